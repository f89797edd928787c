/**
 * `npm run bench`: runs the comparisons with the original tool's approach (API calls per pass, recovery
 * point, planner scale, Lambda footprint), a pass of the real handlers over many snapshots, and the
 * orchestration cost of the polling and the event-driven designs (with the copy lag), in one run on this
 * machine, prints the tables and writes bench/results.json. `--quick` runs the smallest sizes only (what the smoke test runs) and
 * writes nothing unless `--out FILE` is given.
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTION_MEMORY_MB } from '../src/infra/functions.js';
import { type ApiCallsOptions, runApiCalls } from './api-calls.js';
import { type FootprintOptions, runFootprint } from './footprint.js';
import { type OrchestrationOptions, runOrchestrationCost } from './orchestration-cost.js';
import { DEFAULT_PASS_SIZES, runPassSize } from './pass-size.js';
import { DEFAULT_PLANNER_SIZES, type PlannerSize, runPlannerScale } from './planner-scale.js';
import { type RecoveryOptions, runRecoveryPoint } from './recovery-point.js';
import { type BenchResults, formatTables, machineInfo, summarize } from './report.js';

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
    summary: summarize(apiCalls, recoveryPoint, plannerScale, footprint, orchestrationCost),
  };
}

async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : quick ? undefined : RESULTS_PATH;
  const log = (message: string) => process.stderr.write(`  ${message}\n`);
  const results = await runBench({ ...(quick ? QUICK_OPTIONS : {}), log });
  process.stdout.write(`${formatTables(results)}\n\n`);
  process.stdout.write(
    `${results.machine.cpuCount} x ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB, node ${results.machine.node}, ` +
      `load ${results.machine.loadAverage.start} -> ${results.machine.loadAverage.end}; ${results.durationSeconds} s\n`,
  );
  if (out) {
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`Wrote ${out}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
