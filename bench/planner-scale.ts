/**
 * Comparison 3, planner scale: the pure source planner (all phases) on synthetic observations from
 * 1,000 snapshots over 10 clusters to 1,000,000 over 10,000, each size in a fresh Node process
 * (bench/planner-worker.ts) so its heap figures are its own. Reports the median plan time, heap use,
 * and the growth between sizes (time ∝ size^k: k = 1 is linear).
 */
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PlannerSample } from './planner-worker.js';
import { growthExponent, median } from './stats.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface PlannerSize {
  readonly snapshots: number;
  readonly clusters: number;
  /** Timed plans (the median is reported). */
  readonly repeats: number;
}

export const DEFAULT_PLANNER_SIZES: readonly PlannerSize[] = [
  { snapshots: 1_000, clusters: 10, repeats: 15 },
  { snapshots: 10_000, clusters: 100, repeats: 11 },
  { snapshots: 100_000, clusters: 1_000, repeats: 5 },
  { snapshots: 1_000_000, clusters: 10_000, repeats: 3 },
];

/** The size the target names, and the target. */
export const PLANNER_TARGET = { snapshots: 100_000, maxMs: 1000 } as const;
/**
 * Growth exponents up to this count as linear: 10x the snapshots in at most 12.6x the time. Timer and
 * JIT noise at the small sizes makes a perfect 1.0 unlikely; more than this is real superlinear growth.
 */
export const LINEAR_EXPONENT_LIMIT = 1.1;

export interface PlannerRow {
  readonly snapshots: number;
  readonly clusters: number;
  readonly medianMs: number;
  readonly planMs: readonly number[];
  /** Median CPU milliseconds of the same calls (less sensitive to other work on the machine). */
  readonly medianCpuMs: number;
  /** Median microseconds per snapshot. */
  readonly microsPerSnapshot: number;
  readonly actions: number;
  readonly observationHeapMB: number;
  readonly planHeapDeltaMB: number;
  readonly planRetainedMB: number;
  readonly rssMB: number;
  /** Exponent k of time ∝ size^k from the previous size to this one. */
  readonly growthFromPrevious: number | undefined;
  /** This size's median time over the previous size's. */
  readonly timeRatioFromPrevious: number | undefined;
}

export interface PlannerResult {
  readonly rows: readonly PlannerRow[];
  readonly target: {
    readonly snapshots: number;
    readonly maxMs: number;
    readonly measuredMs: number | undefined;
    readonly measuredCpuMs: number | undefined;
    readonly met: boolean | undefined;
  };
  /** The largest growth exponent between consecutive sizes, and between which sizes. */
  /**
   * The same planner with a GFS policy (KeepLast, KeepDaily, KeepWeekly, KeepMonthly, KeepYearly in
   * Europe/Berlin) at the largest measured size up to the target's, against the same target.
   */
  readonly gfs:
    | {
        readonly snapshots: number;
        readonly medianMs: number;
        readonly medianCpuMs: number;
        readonly maxMs: number;
        readonly met: boolean;
      }
    | undefined;
  readonly worstGrowthExponent: number | undefined;
  readonly worstGrowthStep: string | undefined;
  readonly linear: boolean | undefined;
}

const MB = 1024 * 1024;

async function measure(size: PlannerSize, gfs = false): Promise<PlannerSample> {
  const worker = join(ROOT, 'bench', 'planner-worker.ts');
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      worker,
      String(size.snapshots),
      String(size.clusters),
      String(size.repeats),
      ...(gfs ? ['gfs'] : []),
    ],
    { cwd: ROOT, maxBuffer: 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as PlannerSample;
}

export async function runPlannerScale(
  sizes: readonly PlannerSize[] = DEFAULT_PLANNER_SIZES,
  log: (message: string) => void = () => {},
): Promise<PlannerResult> {
  const rows: PlannerRow[] = [];
  for (const size of sizes) {
    log(`planner: ${size.snapshots} snapshots over ${size.clusters} clusters`);
    const sample = await measure(size);
    const medianMs = median(sample.planMs);
    const previous = rows.at(-1);
    rows.push({
      snapshots: sample.snapshots,
      clusters: sample.clusters,
      medianMs,
      planMs: sample.planMs,
      medianCpuMs: median(sample.planCpuMs),
      microsPerSnapshot: (medianMs * 1000) / sample.snapshots,
      actions: sample.actions,
      observationHeapMB: sample.observationHeapBytes / MB,
      planHeapDeltaMB: sample.planHeapDeltaBytes / MB,
      planRetainedMB: sample.planRetainedBytes / MB,
      rssMB: sample.rssBytes / MB,
      growthFromPrevious: previous
        ? growthExponent(previous.snapshots, previous.medianMs, sample.snapshots, medianMs)
        : undefined,
      timeRatioFromPrevious: previous ? medianMs / previous.medianMs : undefined,
    });
  }
  const atTarget = rows.find((row) => row.snapshots === PLANNER_TARGET.snapshots);
  const gfsSize = [...sizes].reverse().find((size) => size.snapshots <= PLANNER_TARGET.snapshots);
  let gfs: PlannerResult['gfs'];
  if (gfsSize !== undefined) {
    log(`planner with a GFS policy: ${gfsSize.snapshots} snapshots over ${gfsSize.clusters} clusters`);
    const sample = await measure(gfsSize, true);
    const medianMs = median(sample.planMs);
    gfs = {
      snapshots: sample.snapshots,
      medianMs,
      medianCpuMs: median(sample.planCpuMs),
      maxMs: PLANNER_TARGET.maxMs,
      met: medianMs < PLANNER_TARGET.maxMs,
    };
  }
  let worst: number | undefined;
  let worstStep: string | undefined;
  rows.forEach((row, i) => {
    const k = row.growthFromPrevious;
    if (k !== undefined && (worst === undefined || k > worst)) {
      worst = k;
      worstStep = `${rows[i - 1]?.snapshots} -> ${row.snapshots}`;
    }
  });
  return {
    rows,
    target: {
      ...PLANNER_TARGET,
      measuredMs: atTarget?.medianMs,
      measuredCpuMs: atTarget?.medianCpuMs,
      met: atTarget === undefined ? undefined : atTarget.medianMs < PLANNER_TARGET.maxMs,
    },
    gfs,
    worstGrowthExponent: worst,
    worstGrowthStep: worstStep,
    linear: worst === undefined ? undefined : worst <= LINEAR_EXPONENT_LIMIT,
  };
}
