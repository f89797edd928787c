/**
 * Regenerates docs/report.png, the README's picture of the report: runs the demo (10 simulated days from a
 * fixed date, so the picture changes only when the software does) and screenshots the real page with
 * headless Chromium.  Usage: tsx scripts/screenshot.ts [--days N] [--png FILE] [--html FILE]
 * (--html screenshots an existing page instead of running the demo).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from '../src/demo/run.js';
import { findChromium, screenshot } from '../src/report/chromium.js';

const START = new Date('2025-03-03T00:00:00Z');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '10' },
      png: { type: 'string', default: 'docs/report.png' },
      html: { type: 'string' },
    },
  });
  const chromium = findChromium();
  if (!chromium) {
    process.stderr.write(
      'Chromium is needed for the screenshot: apt-get install chromium (or set CHROMIUM_PATH).\n',
    );
    return 2;
  }
  const work = await mkdtemp(join(tmpdir(), 'aurora-screenshot-'));
  try {
    let page = values.html ? resolve(values.html) : join(work, 'demo-report.html');
    if (!values.html) {
      const result = await runDemo({
        days: Number(values.days),
        out: page,
        start: START,
        io: { write: () => {}, error: (line) => process.stderr.write(`${line}\n`) },
        onProgress: () => {},
      });
      if (result.exitCode !== 0) {
        process.stderr.write(
          `the demo did not pass its checks (exit ${result.exitCode}); no screenshot taken\n`,
        );
        return result.exitCode;
      }
      page = result.report ?? page;
    }
    const png = resolve(values.png);
    await screenshot(chromium, page, png);
    process.stdout.write(`${png}\n`);
    return 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
