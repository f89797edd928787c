// The project typechecks (TypeScript strict, every file of tsconfig.json: src, test, bench, scripts), as
// `npm run typecheck` does, with TypeScript 7's native compiler (`@typescript/native`, about 12 s of CPU
// where TypeScript 5.9's took 38 s). Part of the suite rather than a step before it: the other tests share
// the cores meanwhile.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = 'node_modules/@typescript/native/bin/tsc';

/** Runs tsc without emitting, with `tsconfig` (relative to the repository), and returns its exit and output. */
async function typecheck(tsconfig: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      // one thread: the suite's other files keep every core busy, and TypeScript 7's parallel checkers each
      // resolve the shared types again (12.6 s of CPU over 9.4 s single-threaded, on a busy machine)
      [TSC, '--noEmit', '--pretty', 'false', '--singleThreaded', '-p', tsconfig],
      {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      output: `${e.stdout ?? ''}${e.stderr ?? e.message}`,
    };
  }
}

describe('typecheck', () => {
  it('finds no type error in the project (tsconfig.json)', async () => {
    // Act
    const { code, output } = await typecheck('tsconfig.json');

    // Assess
    expect(output, 'tsc --noEmit -p tsconfig.json').toBe('');
    expect(code).toBe(0);
  }, 300_000);

  it('reports a type error, naming the file (the check can fail)', async () => {
    // Act
    const { code, output } = await typecheck('test/fixtures/typecheck-broken/tsconfig.json');

    // Assess
    expect(code).not.toBe(0);
    expect(output).toMatch(/bad\.ts\(3,14\): error TS2322/);
  }, 60_000);
});
