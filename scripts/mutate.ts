/**
 * `npm run mutate`: StrykerJS on Node 22, the Lambda runtime's major version (scripts/node22.ts), whatever
 * Node runs npm, since the platform's Intl (time zones, offsets) differs between Node versions. Arguments go
 * to `stryker run` (`npm run mutate -- --concurrency 1 --mutate src/core/policy/zone.ts`). Beside the report it
 * writes reports/mutation/run.json: when the run started, the commit it ran on, the files that differed from
 * that commit, and the Node version, which `tsx scripts/mutation-table.ts --save` puts in the saved summary.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
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

/**
 * StrykerJS's incremental report of the runs saved with `npm run mutate -- --save-baseline`, gzipped and
 * committed: a run with `--incremental` on a fresh clone starts from it and tests again only the mutants whose
 * code or covering tests changed since, and those it holds no result for.
 */
export const BASELINE = join('docs', 'mutation', 'incremental.json.gz');
/** Where StrykerJS reads and writes the incremental report (its default `incrementalFile`). */
export const INCREMENTAL = join('reports', 'stryker-incremental.json');

/** Puts the committed baseline where StrykerJS reads it, unless a report is there already; true when it did. */
export function restoreBaseline(root: string): boolean {
  const report = join(root, INCREMENTAL);
  const baseline = join(root, BASELINE);
  if (existsSync(report) || !existsSync(baseline)) return false;
  mkdirSync(dirname(report), { recursive: true });
  writeFileSync(report, gunzipSync(readFileSync(baseline)));
  return true;
}

/** Saves the incremental report as the committed baseline (gzipped); refuses when there is none. */
export function saveBaseline(root: string): void {
  const report = join(root, INCREMENTAL);
  if (!existsSync(report)) throw new Error(`no ${INCREMENTAL}: run npm run mutate -- --incremental first`);
  mkdirSync(dirname(join(root, BASELINE)), { recursive: true });
  writeFileSync(join(root, BASELINE), gzipSync(readFileSync(report), { level: 9 }));
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

async function main(): Promise<void> {
  if (process.argv[2] === '--save-baseline') {
    saveBaseline(ROOT);
    console.error(`saved ${INCREMENTAL} as ${BASELINE}`);
    return;
  }
  const binary = await node22();
  const node = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  const started = new Date().toISOString();
  const commit = git('rev-parse', 'HEAD').trim();
  const uncommitted = git('status', '--porcelain')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
  const args = process.argv.slice(2);
  if (args.includes('--incremental') && restoreBaseline(ROOT)) {
    console.error(
      `starting from ${BASELINE}: mutants whose code and covering tests are unchanged keep its results`,
    );
  }
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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
