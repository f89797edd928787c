/**
 * What the running test file's worker has loaded, so that test/support/setup.ts puts back only the state of
 * modules a file used, instead of importing the handlers and every SDK client for each file. A mutation run
 * (vitest.mutation.config.ts) starts a fresh worker for each mutant: importing them there cost about a second
 * per mutant, even for a test of the pure core.
 *
 * Vitest 4 keeps the modules a worker evaluated (its own and node_modules' alike) in
 * `globalThis.__vitest_worker__.evaluatedModules`; when that is not there (another Vitest), every module
 * counts as loaded, which is slower and as safe. test/unit/test-environment.test.ts shows it is there.
 */
import { fileURLToPath } from 'node:url';

interface WorkerState {
  readonly evaluatedModules?: { readonly fileToModulesMap?: ReadonlyMap<string, unknown> };
}

function loadedFiles(): ReadonlyMap<string, unknown> | undefined {
  const worker = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
  return worker?.evaluatedModules?.fileToModulesMap;
}

/** Whether this worker can tell which modules it loaded. */
export function knowsLoadedModules(): boolean {
  return loadedFiles() !== undefined;
}

/** Whether the module at `url` (a file URL, as `new URL('../x.ts', import.meta.url)` gives) was loaded. */
export function hasLoadedFile(url: URL): boolean {
  const files = loadedFiles();
  return files === undefined || files.has(fileURLToPath(url));
}

/** Whether any module of the npm package `name` (from any node_modules folder) was loaded. */
export function hasLoadedPackage(name: string): boolean {
  const files = loadedFiles();
  if (files === undefined) {
    return true;
  }
  const marker = `/node_modules/${name}/`;
  for (const file of files.keys()) {
    if (file.includes(marker)) {
      return true;
    }
  }
  return false;
}
