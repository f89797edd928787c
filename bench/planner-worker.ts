/**
 * One planner-scale measurement in a process of its own (run with --expose-gc): builds a synthetic
 * source observation, plans every phase on it several times, and prints the timings and heap figures
 * as JSON. A fresh process per size keeps one size's garbage and JIT state out of the next's figures.
 *
 * Usage: node --expose-gc --import tsx bench/planner-worker.ts <snapshots> <clusters> <repeats> [gfs]
 */
import { performance } from 'node:perf_hooks';
import { parseConfig, type SourceConfig } from '../src/config/schema.js';
import { ALL_SOURCE_PHASES, type SourceObservation } from '../src/core/plan/pass.js';
import { planSource } from '../src/core/plan/source-planner.js';
import { backup, cluster, drCopy, hoursAfter, sourceObservation } from '../test/support/snapshot-builder.js';

export interface PlannerSample {
  readonly snapshots: number;
  readonly clusters: number;
  /** Milliseconds of each planSource call on the estate (after warm-up calls on a small one). */
  readonly planMs: readonly number[];
  /**
   * CPU milliseconds (user + system, this process's threads, the garbage collector's included) of the same
   * calls: on a machine shared with other work, wall time measures the load as much as the planner.
   */
  readonly planCpuMs: readonly number[];
  readonly actions: number;
  readonly notes: number;
  /** Heap taken by the observation itself (after a full GC). */
  readonly observationHeapBytes: number;
  /** Heap growth across one planSource call, garbage included (young-generation collections may hide some). */
  readonly planHeapDeltaBytes: number;
  /** Heap the plan keeps once garbage is collected. */
  readonly planRetainedBytes: number;
  readonly rssBytes: number;
}

const NOW = new Date('2025-03-01T00:00:00.000Z');

export const PLANNER_CONFIG_INPUT = {
  Source: {
    Region: 'us-east-1',
    ClusterNamePattern: 'ALL_CLUSTERS',
    BackupInterval: 1,
    RetentionDays: 2,
    ShareSnapshots: 'TRUE',
    DestinationRegion: 'us-west-2',
  },
};

/**
 * `snapshots` split over `clusters`: per cluster, hourly backups (a third of the clusters are due,
 * the older ones past RetentionDays) and the DR copies of all but the newest two (so there are copies
 * to plan and the limit of copies in flight to apply), one of them still copying. About half the
 * snapshots are backups, half DR copies.
 */
export function syntheticObservation(
  snapshots: number,
  clusters: number,
  spacingHours = 1,
): SourceObservation {
  // Backups b and copies b - 2 per cluster make snapshots / clusters in all.
  const perCluster = Math.max(3, Math.ceil((snapshots / clusters + 2) / 2));
  const clusterList = [];
  const sources = [];
  const copies = [];
  for (let c = 0; c < clusters; c++) {
    const id = `db-${String(c).padStart(5, '0')}`;
    clusterList.push(cluster(id));
    // Newest backup 0, 1 or 2 hours old: with BackupInterval 1 about a third are due.
    const newestAge = c % 3;
    for (let j = 0; j < perCluster; j++) {
      const source = backup(id, hoursAfter(NOW, -(newestAge + j * spacingHours)));
      sources.push(source);
      if (j >= 3) copies.push(drCopy(source, 'us-west-2'));
      else if (j === 2) copies.push(drCopy(source, 'us-west-2', { status: 'copying' }));
    }
  }
  return sourceObservation({
    now: NOW,
    clusters: clusterList,
    snapshots: sources,
    destinationSnapshots: copies,
    manualSnapshotQuota: 1_000_000,
  });
}

/**
 * The GFS variant: KeepLast, KeepDaily, KeepWeekly, KeepMonthly and KeepYearly in a zone with daylight saving,
 * over backups 8 hours apart (so the history spans months and years and every rule has periods to count).
 */
export const GFS_POLICY = {
  KeepLast: 3,
  KeepDaily: 14,
  KeepWeekly: 8,
  KeepMonthly: 12,
  KeepYearly: 3,
  ScheduleTimezone: 'Europe/Berlin',
} as const;
export const GFS_SPACING_HOURS = 8;

export function plannerConfig(gfs = false): SourceConfig {
  const input = gfs ? { Source: { ...PLANNER_CONFIG_INPUT.Source, ...GFS_POLICY } } : PLANNER_CONFIG_INPUT;
  const source = parseConfig(input).Source;
  if (!source) throw new Error('planner config has no Source block');
  return source;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the planner worker with node --expose-gc');
  gc();
  gc();
}

export function measurePlanner(
  snapshots: number,
  clusters: number,
  repeats: number,
  gfs = false,
): PlannerSample {
  const config = plannerConfig(gfs);
  collect();
  const before = process.memoryUsage().heapUsed;
  const observation = syntheticObservation(snapshots, clusters, gfs ? GFS_SPACING_HOURS : 1);
  collect();
  const withObservation = process.memoryUsage().heapUsed;
  // JIT warm-up on a small estate: a large one would cost a full extra plan.
  const small = syntheticObservation(2000, 20);
  for (let i = 0; i < 5; i++) planSource(small, config, ALL_SOURCE_PHASES);
  const planMs: number[] = [];
  const planCpuMs: number[] = [];
  let plan = planSource(small, config, ALL_SOURCE_PHASES);
  let heapDelta = 0;
  for (let i = 0; i < repeats; i++) {
    collect();
    const start = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    plan = planSource(observation, config, ALL_SOURCE_PHASES);
    planMs.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    planCpuMs.push((cpu.user + cpu.system) / 1000);
    heapDelta = Math.max(heapDelta, process.memoryUsage().heapUsed - start);
  }
  collect();
  const retained = process.memoryUsage().heapUsed - withObservation;
  return {
    snapshots: observation.snapshots.length + observation.destinationSnapshots.length,
    clusters,
    planMs,
    planCpuMs,
    actions: plan.actions.length,
    notes: plan.notes.length,
    observationHeapBytes: withObservation - before,
    planHeapDeltaBytes: heapDelta,
    planRetainedBytes: Math.max(0, retained),
    rssBytes: process.memoryUsage().rss,
  };
}

if (process.argv[1]?.endsWith('planner-worker.ts')) {
  const [snapshots, clusters, repeats] = process.argv.slice(2, 5).map(Number);
  const gfs = process.argv[5] === 'gfs';
  if (!snapshots || !clusters || !repeats) {
    console.error('usage: planner-worker.ts <snapshots> <clusters> <repeats>');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(measurePlanner(snapshots, clusters, repeats, gfs))}\n`);
}
