/** The demos' progress bar: drawn on stderr when it is a terminal, nothing otherwise (pipes, tests, CI logs). */
import { SingleBar } from 'cli-progress';

export function progressBar(total: number): SingleBar | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    format: 'simulating [{bar}] {value}/{total} executions | {at} UTC',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
  });
  bar.start(total, 0, { at: '' });
  return bar;
}
