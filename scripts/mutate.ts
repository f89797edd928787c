/**
 * `npm run mutate`: StrykerJS on Node 22, the Lambda runtime's major version (scripts/node22.ts), whatever
 * Node runs npm, since the platform's Intl (time zones, offsets) differs between Node versions. Arguments go
 * to `stryker run` (`npm run mutate -- --concurrency 1 --mutate src/core/policy/zone.ts`). Beside the report it
 * writes reports/mutation/run.json: when the run started, the commit it ran on, the files that differed from
 * that commit, and the Node version, which `tsx scripts/mutation-table.ts --save` puts in the saved summary.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node22, withNode } from './node22.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STRYKER = join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

/** What `tsx scripts/mutation-table.ts --save` needs to know of a run that its report does not say. */
export interface RunFacts {
  /** ISO time the run started. */
  readonly started: string;
  /** The commit checked out (HEAD) when the run started. */
  readonly commit: string;
  /** Files that differed from that commit when the run started (`git status --porcelain`), if any. */
  readonly uncommitted: readonly string[];
  /** `node --version` of the Node the run used. */
  readonly node: string;
  /** The arguments given to `stryker run`. */
  readonly args: readonly string[];
  /** Stryker's exit code (1 when the score is under `thresholds.break`). */
  readonly exitCode: number | null;
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

async function main(): Promise<void> {
  const binary = await node22();
  const node = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  const started = new Date().toISOString();
  const commit = git('rev-parse', 'HEAD').trim();
  const uncommitted = git('status', '--porcelain')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
  const args = process.argv.slice(2);
  // A run that ends before reporting must not leave the previous run's report to be read as its own.
  rmSync(join(ROOT, 'reports', 'mutation', 'mutation.json'), { force: true });
  console.error(`mutation run on ${node} (${binary}), commit ${commit.slice(0, 12)}`);
  // PATH finds Node 22 first too, so whatever Stryker or Vitest starts by name runs on it.
  const child = spawn(binary, [STRYKER, 'run', ...args], {
    cwd: ROOT,
    env: withNode(binary),
    stdio: 'inherit',
  });
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  const facts: RunFacts = { started, commit, uncommitted, node, args, exitCode };
  mkdirSync(join(ROOT, 'reports', 'mutation'), { recursive: true });
  writeFileSync(join(ROOT, 'reports', 'mutation', 'run.json'), `${JSON.stringify(facts, null, 2)}\n`);
  process.exitCode = exitCode ?? 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
