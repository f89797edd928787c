// Vitest global setup: the Lambda bundles are built once for the run, while the first files start, into a
// directory the run's processes reuse them from (scripts/package.ts, AURORA_SNAPSHOT_TOOL_BUNDLE_CACHE): the
// package test, the EMF contract, the bench's footprint and the packed package each needed all of them, and
// building them is seconds of both cores each time. A bundle is reused only when every file esbuild read is
// unchanged; a reader waits while the bundle it needs is announced (`<name>.pending`) and not yet written.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_CACHE_ENV, buildBundle } from '../../scripts/package.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'ast-bundles-'));
  for (const name of ALL_FUNCTIONS) await writeFile(join(dir, `${name}.pending`), '');
  process.env[BUNDLE_CACHE_ENV] = dir;
  const built = (async () => {
    for (const name of ALL_FUNCTIONS) {
      try {
        await buildBundle(name, dir);
      } finally {
        // a failed build leaves no entry: whoever needs it builds it, and sees the error
        await rm(join(dir, `${name}.pending`), { force: true });
      }
    }
  })();
  // not awaited: the files start meanwhile; a build error is the reader's to report
  built.catch(() => {});
  return async () => {
    await built.catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
}
