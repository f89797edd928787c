// A simulated week of scheduled passes with 30% of all AWS requests throttled ends with exactly the snapshots of a fault-free week, and no per-snapshot tag call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { TAG } from '../../src/core/model/tags.js';
import {
  ALL_DESTINATION_PHASES,
  ALL_SOURCE_PHASES,
  runDestinationPass,
  runSourcePass,
} from '../../src/core/plan/pass.js';
import type { ActionResult } from '../../src/core/plan/plan.js';
import { runsBetween } from '../../src/core/policy/schedule.js';
import { type FaultPlan, MUTATING_ACTIONS } from '../support/fault-proxy.js';
import { ManualClock } from '../support/manual-clock.js';
import { DAY, HOUR, pointInTime, type Rig, type Summary, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const SCHEDULE = '0 0,8,16 * * ? *';
const START = new Date('2026-02-02T00:00:00Z');
const CLUSTERS = ['billing-db', 'orders-db'];
const SEED = 20260202;

const config = parseConfig({
  Source: {
    Region: SRC,
    ClusterNamePattern: '^(orders|billing)-db$',
    BackupInterval: 8,
    BackupSchedule: SCHEDULE,
    RetentionDays: 3,
    DeleteOldSnapshots: 'TRUE',
    ShareSnapshots: 'TRUE',
    DestinationRegion: DST,
  },
  Destination: { Region: DST, SnapshotPattern: '^(orders|billing)-db$', RetentionDays: 4 },
});

/** Every scheduled run of the week, each a little late as EventBridge may be (seconds, fixed). */
const RUNS = runsBetween(SCHEDULE, new Date(START.getTime() - 1), new Date(START.getTime() + 7 * DAY)).map(
  (run, i) => new Date(run.getTime() + ((i * 37) % 55) * 1000),
);

interface WeekOutcome {
  readonly source: Summary[];
  readonly destination: Summary[];
  readonly failed: ActionResult[];
  /** Snapshots taken per cluster over the week. */
  readonly taken: Record<string, number>;
}

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ seed: SEED });
});

afterAll(async () => {
  await rig?.stop();
});

async function week(plan: FaultPlan): Promise<WeekOutcome> {
  await rig.reset(plan);
  for (const id of [...CLUSTERS, 'scratch-db']) await rig.estate.createCluster(SRC, id);
  const clock = new ManualClock(START);
  const failed: ActionResult[] = [];
  const taken: Record<string, number> = {};
  for (const run of RUNS) {
    clock.set(run);
    const stores = { source: rig.storeFor(SRC), destination: rig.storeFor(DST) };
    const source = await runSourcePass(stores, config.Source!, clock, ALL_SOURCE_PHASES);
    const destination = await runDestinationPass(
      rig.storeFor(DST),
      config.Destination!,
      clock,
      ALL_DESTINATION_PHASES,
    );
    failed.push(...source.failed, ...destination.failed);
    for (const result of source.results) {
      if (result.ok && result.action.kind === 'take') {
        taken[result.action.clusterId] = (taken[result.action.clusterId] ?? 0) + 1;
      }
    }
  }
  return {
    source: await summaries(rig.estate, SRC),
    destination: await summaries(rig.estate, DST),
    failed,
    taken,
  };
}

/** Mutating requests per region and action that passed the proxy (throttled ones never reach moto). */
function mutationsReachingMoto(): Record<string, number> {
  const faults = rig.proxy.faults();
  return Object.fromEntries(
    Object.entries(rig.proxy.counts())
      .filter(([key]) => MUTATING_ACTIONS.includes(key.split(':')[1] ?? ''))
      .map(([key, count]) => [key, count - (faults[key] ?? 0)]),
  );
}

/** Backups of one cluster, oldest first. */
function backupsOf(list: readonly Summary[], cluster: string): Summary[] {
  return list
    .filter((s) => s.tags[TAG.SourceCluster] === cluster)
    .sort((a, b) => pointInTime(a) - pointInTime(b));
}

/**
 * Each test simulates one or two weeks of passes against moto (about 40 s on a busy machine). A test that
 * timed out would go on running its week under the next test's, on the same server.
 */
const WEEK_TIMEOUT = 180_000;

describe('a week of passes with 30% of requests throttled', { timeout: WEEK_TIMEOUT }, () => {
  it('ends with exactly the snapshots and copies of a fault-free week, with zero ListTagsForResource', async () => {
    // Prepare: the same week without faults, as the reference.
    const reference = await week([]);
    const referenceMutations = mutationsReachingMoto();

    // Act
    const throttled = await week([{ fault: 'throttle', probability: 0.3 }]);

    // Assess: the faults really happened, at about the planned rate, and were all absorbed.
    const faults = Object.values(rig.proxy.faults()).reduce((sum, n) => sum + n, 0);
    expect(faults).toBeGreaterThan(0.2 * rig.proxy.total());
    expect(faults).toBeLessThan(0.4 * rig.proxy.total());
    // A throttled request never reaches moto: every mutation reached it as often as in the fault-free week.
    expect(mutationsReachingMoto()).toEqual(referenceMutations);
    expect(reference.failed).toEqual([]);
    expect(throttled.failed).toEqual([]);
    // The same snapshots, copies and tags at the end of the week.
    expect(throttled.source).toEqual(reference.source);
    expect(throttled.destination).toEqual(reference.destination);
    // One snapshot per scheduled run and cluster: none missed, none duplicated.
    expect(throttled.taken).toEqual(Object.fromEntries(CLUSTERS.map((c) => [c, RUNS.length])));
    expect(rig.proxy.total('ListTagsForResource')).toBe(0);
  });

  it('keeps one snapshot per 8-hour slot per cluster at both ends, within each side’s retention', async () => {
    // Prepare
    const end = RUNS.at(-1) as Date;
    const slot = (s: Summary) => Math.floor((pointInTime(s) - START.getTime()) / (8 * HOUR));

    // Act
    const outcome = await week([{ fault: 'throttle', probability: 0.3 }]);

    // Assess
    for (const cluster of CLUSTERS) {
      for (const [list, days] of [
        [outcome.source, 3],
        [outcome.destination, 4],
      ] as const) {
        const slots = backupsOf(list, cluster).map(slot);
        const expected = RUNS.filter((run) => end.getTime() - run.getTime() <= days * DAY).map((run) =>
          Math.floor((run.getTime() - START.getTime()) / (8 * HOUR)),
        );
        expect(slots, `${cluster}, ${days} days`).toEqual(expected);
      }
    }
    expect(outcome.source.filter((s) => s.tags[TAG.SourceCluster] === 'scratch-db')).toEqual([]);
    expect(rig.proxy.total('ListTagsForResource')).toBe(0);
  });
});
