/**
 * `npm run bench`: runs the comparisons with the original tool's approach (API calls per pass, recovery
 * point, planner scale, Lambda footprint), a pass of the real handlers over many snapshots, the
 * orchestration cost of the polling and the event-driven designs (with the copy lag), and `status
 * --organization` over a simulated organization, in one run on this machine, prints the tables and writes
 * bench/results.json. `--quick` runs the smallest sizes only (what the smoke test runs) and
 * writes nothing unless `--out FILE` is given. `--only fleetStatus` runs that comparison alone and merges it
 * into the results file, keeping the other comparisons' figures.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTION_MEMORY_MB } from '../src/infra/functions.js';
import { type ApiCallsOptions, runApiCalls } from './api-calls.js';
import { type FleetBenchOptions, type FleetStatusResult, runFleetComparison } from './fleet-status.js';
import { type FootprintOptions, runFootprint } from './footprint.js';
import { type OrchestrationOptions, runOrchestrationCost } from './orchestration-cost.js';
import { DEFAULT_PASS_SIZES, runPassSize } from './pass-size.js';
import { DEFAULT_PLANNER_SIZES, type PlannerSize, runPlannerScale } from './planner-scale.js';
import { type RecoveryOptions, runRecoveryPoint } from './recovery-point.js';
import { type BenchResults, fleetStatusTable, formatTables, machineInfo, summarize } from './report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_PATH = join(ROOT, 'bench', 'results.json');

export interface BenchOptions {
  readonly apiCalls?: ApiCallsOptions;
  readonly recovery?: RecoveryOptions;
  readonly plannerSizes?: readonly PlannerSize[];
  readonly footprint?: FootprintOptions;
  /** Snapshot counts of the pass-size comparison. */
  readonly passSizes?: readonly number[];
  readonly orchestration?: OrchestrationOptions;
  /** The simulated organization of `status --organization` (both runs: parallel and one account at a time). */
  readonly fleetStatus?: Omit<FleetBenchOptions, 'accountsInParallel' | 'log'>;
  readonly log?: (message: string) => void;
}

/** The smallest sizes of every comparison: the smoke test's run, a few seconds each. */
export const QUICK_OPTIONS: BenchOptions = {
  // 90 snapshots: the size at which the original's users counted 274 calls a pass; 120: two pages.
  apiCalls: { clusterCounts: [1], snapshotCounts: [10, 90, 120] },
  recovery: { worstCasePolls: [0, 2], randomRuns: 2, originalSamples: 10_000 },
  plannerSizes: [
    { snapshots: 1_000, clusters: 10, repeats: 3 },
    { snapshots: 10_000, clusters: 100, repeats: 3 },
  ],
  footprint: { runs: 1, functions: ['TakeSnapshotsAurora', 'CheckSnapshotStatus', 'RecordRestoreDrill'] },
  passSizes: [1_000],
  // One simulated day of each workload; the copy lag over 6 snapshots (two days of (a)).
  orchestration: { days: { a: 1, b: 1, c: 1 }, lagRuns: 6 },
  // Ten clusters a region, so that one of them is untagged and named as unprotected.
  // Two days of backups and vault copies: one listing page each, so the two runs' simulated waits stay short.
  fleetStatus: { accounts: 2, regions: 2, clustersPerRegion: 10, backupsPerCluster: 2, vaultDays: 2 },
};

export async function runBench(options: BenchOptions = {}): Promise<BenchResults> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const apiCalls = await runApiCalls({ log, ...options.apiCalls });
  log('recovery point: source state machine on a virtual clock');
  const recoveryPoint = await runRecoveryPoint(options.recovery);
  const plannerScale = await runPlannerScale(options.plannerSizes ?? DEFAULT_PLANNER_SIZES, log);
  const footprint = await runFootprint({ log, ...options.footprint });
  const passSize = await runPassSize(options.passSizes ?? DEFAULT_PASS_SIZES, FUNCTION_MEMORY_MB, log);
  const orchestrationCost = await runOrchestrationCost({ log, ...options.orchestration });
  const fleetStatus = await runFleetComparison({ log, ...options.fleetStatus });
  return {
    date: new Date().toISOString(),
    machine: machineInfo(loadAtStart),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    apiCalls,
    recoveryPoint,
    plannerScale,
    footprint,
    passSize,
    orchestrationCost,
    fleetStatus,
    summary: summarize(apiCalls, recoveryPoint, plannerScale, footprint, orchestrationCost, fleetStatus),
  };
}

/** A mistake on the command line or a results file to merge into that is missing: its message, no stack. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/** The comparisons `--only` runs alone. */
export const ONLY_COMPARISONS = ['fleetStatus'] as const;

export interface BenchArgs {
  readonly quick: boolean;
  /** Where the results go; undefined: printed only. */
  readonly out: string | undefined;
  readonly only: (typeof ONLY_COMPARISONS)[number] | undefined;
}

/** The command line of `npm run bench`; a mistake is an error naming the argument and what it accepts. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let out: string | undefined;
  let only: BenchArgs['only'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--out' || arg === '--only') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) {
        throw new BenchUsageError(
          `${arg} needs a value: ${arg === '--out' ? 'a file path' : ONLY_COMPARISONS.join(', ')}`,
        );
      }
      if (arg === '--out') out = value;
      else {
        const known = ONLY_COMPARISONS.find((name) => name === value);
        if (known === undefined) {
          throw new BenchUsageError(
            `--only ${JSON.stringify(value)} is not a comparison that runs alone; accepted: ${ONLY_COMPARISONS.join(', ')}`,
          );
        }
        only = known;
      }
    } else {
      throw new BenchUsageError(
        `unknown argument ${JSON.stringify(arg)}; accepted: --quick, --out FILE, --only fleetStatus`,
      );
    }
  }
  return { quick, out: out ?? (quick ? undefined : RESULTS_PATH), only };
}

/** The results file `--only` merges into, read before the comparison runs. */
export async function readResults(path: string): Promise<BenchResults> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new BenchUsageError(
      `--only merges into ${path}, which cannot be read: run the whole bench once first (npm run bench)`,
    );
  }
  return JSON.parse(text) as BenchResults;
}

/**
 * `existing` with its fleetStatus replaced and its summary made again: the other comparisons' figures, date
 * and machine stay those of the run that wrote them.
 */
export function withFleetStatus(existing: BenchResults, fleetStatus: FleetStatusResult): BenchResults {
  // Without the old summary first, so that fleetStatus comes before it, as in a whole run's file.
  const { summary: _old, fleetStatus: _replaced, ...rest } = existing;
  return {
    ...rest,
    fleetStatus,
    summary: summarize(
      existing.apiCalls,
      existing.recoveryPoint,
      existing.plannerScale,
      existing.footprint,
      existing.orchestrationCost,
      fleetStatus,
    ),
  };
}

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}

async function main(argv: readonly string[]): Promise<void> {
  const { quick, out, only } = parseBenchArgs(argv);
  const log = (message: string) => process.stderr.write(`  ${message}\n`);
  const options = { ...(quick ? QUICK_OPTIONS : {}), log };
  if (only === 'fleetStatus') {
    const existing = out === undefined ? undefined : await readResults(out);
    const fleetStatus = await runFleetComparison({ log, ...options.fleetStatus });
    process.stdout.write(`${fleetStatusTable(fleetStatus).join('\n')}\n`);
    if (out !== undefined && existing !== undefined) {
      await writeResults(out, withFleetStatus(existing, fleetStatus));
      process.stdout.write(
        `Merged fleetStatus into ${out} (the other comparisons are from the run of ${existing.date})\n`,
      );
    }
    return;
  }
  const results = await runBench(options);
  process.stdout.write(`${formatTables(results)}\n\n`);
  process.stdout.write(
    `${results.machine.cpuCount} x ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB, node ${results.machine.node}, ` +
      `load ${results.machine.loadAverage.start} -> ${results.machine.loadAverage.end}; ${results.durationSeconds} s\n`,
  );
  if (out) {
    await writeResults(out, results);
    process.stdout.write(`Wrote ${out}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(
      error instanceof BenchUsageError
        ? `npm run bench: ${error.message}`
        : error instanceof Error
          ? (error.stack ?? error.message)
          : error,
    );
    process.exitCode = 1;
  });
}
