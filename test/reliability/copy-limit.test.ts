// More DR copies wanted than RDS runs at once into a region: at most 5 in flight, the rest start on later passes, all arrive, none twice.
// moto makes copies available at once, so the snapshot gate (support/snapshot-gate.ts) keeps each copy `copying`
// until the test releases it, and refuses a sixth concurrent copy into a region with RDS's error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import type { SnapshotStore } from '../../src/core/model/ports.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { ALL_SOURCE_PHASES, runSourcePass, type SourcePassReport } from '../../src/core/plan/pass.js';
import { ManualClock } from '../support/manual-clock.js';
import { type Rig, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const CLUSTERS = Array.from({ length: 8 }, (_, i) => `orders-${i + 1}`);

function sourceConfig(pattern: string): SourceConfig {
  return parseConfig({
    Source: {
      Region: SRC,
      ClusterNamePattern: pattern,
      BackupInterval: 24,
      RetentionDays: 7,
      ShareSnapshots: 'TRUE',
      DestinationRegion: DST,
    },
  }).Source as SourceConfig;
}

let rig: Rig;
let clock: ManualClock;

beforeAll(async () => {
  rig = await startRig({ seed: 5 });
});

afterAll(async () => {
  await rig?.stop();
});

beforeEach(async () => {
  await rig.reset();
  rig.gate.holdCopies(true);
  clock = new ManualClock('2026-05-04T01:00:00Z');
  for (const id of CLUSTERS) await rig.estate.createCluster(SRC, id);
});

function pass(config: SourceConfig): Promise<SourcePassReport> {
  return runSourcePass(
    { source: rig.storeFor(SRC), destination: rig.storeFor(DST) },
    config,
    clock,
    ALL_SOURCE_PHASES,
  );
}

/** A promise that resolves once `parties` callers arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === parties) open();
    return opened;
  };
}

/** The store, whose listing answers only once every party of `arrive` has listed. */
function afterListing(store: SnapshotStore, arrive: () => Promise<void>): SnapshotStore {
  const wrapped = Object.create(store) as SnapshotStore;
  wrapped.listSnapshots = async (type) => {
    const snapshots = await store.listSnapshots(type);
    await arrive();
    return snapshots;
  };
  return wrapped;
}

const copiesStarted = (report: SourcePassReport) =>
  report.results.filter((r) => r.ok && r.action.kind === 'copy').map((r) => r.action.clusterId);

async function copiesBySource(): Promise<Map<string, number>> {
  const bySource = new Map<string, number>();
  for (const copy of await summaries(rig.estate, DST)) {
    if (copy.tags[TAG.CopiedBy] !== TOOL_TAG_VALUE) continue;
    const source = copy.tags[TAG.SourceSnapshot] ?? '';
    bySource.set(source, (bySource.get(source) ?? 0) + 1);
  }
  return bySource;
}

describe('more than 5 copies wanted at once', () => {
  it('starts 5 counting a copy already running, the rest on later passes as slots free, and all arrive', async () => {
    // Prepare: a copy of something else is already running in the destination region.
    await rig.estate.createCluster(DST, 'reporting');
    await rig.estate.createSnapshot(DST, { clusterId: 'reporting', snapshotId: 'reporting-import' });
    rig.gate.hold(DST, /^reporting-import$/, 'copying');
    const config = sourceConfig('^orders-');

    // Act: a pass takes the eight snapshots and starts what fits; later passes as copies finish.
    const first = await pass(config);
    clock.advance({ minutes: 10 });
    const whileFull = await pass(config);
    rig.gate.release(DST, 2);
    clock.advance({ minutes: 10 });
    const afterTwo = await pass(config);
    rig.gate.release(DST);
    clock.advance({ minutes: 10 });
    const afterAll = await pass(config);
    rig.gate.release(DST);
    clock.advance({ minutes: 10 });
    const settled = await pass(config);

    // Assess
    expect(first.results.filter((r) => r.action.kind === 'take')).toHaveLength(8);
    expect(copiesStarted(first)).toHaveLength(4);
    expect(first.plan.notes).toContainEqual(expect.objectContaining({ code: 'copy-limit' }));
    expect(copiesStarted(whileFull)).toEqual([]);
    expect(copiesStarted(afterTwo)).toHaveLength(2);
    expect(copiesStarted(afterAll)).toHaveLength(2);
    expect(copiesStarted(settled)).toEqual([]);
    expect(new Set([first, whileFull, afterTwo, afterAll, settled].flatMap(copiesStarted))).toEqual(
      new Set(CLUSTERS),
    );
    for (const report of [first, whileFull, afterTwo, afterAll, settled]) expect(report.failed).toEqual([]);
    // RDS never had to refuse a copy, and never more than 5 ran at once (4 of ours and the other one).
    expect(rig.gate.refusedCopies()).toBe(0);
    expect(rig.gate.peakCopying(DST)).toBeLessThanOrEqual(4);
    // All arrived, one copy per snapshot, each copy requested once.
    const copies = await copiesBySource();
    expect(copies.size).toBe(8);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    expect(rig.proxy.total('CopyDBClusterSnapshot')).toBe(8);
    expect((await summaries(rig.estate, DST)).every((s) => s.status === 'available')).toBe(true);
  });

  it('when two clusters’ jobs run at the same minute, RDS’s refusal is named CopyLimitReached and later passes finish', async () => {
    // Prepare: two jobs (one per half of the clusters) that both list the destination before either copies,
    // as two state machines started by the same schedule may.
    const low = sourceConfig('^orders-[1-4]$');
    const high = sourceConfig('^orders-[5-8]$');
    const listed = barrier(2);
    const together = (config: SourceConfig) =>
      runSourcePass(
        { source: rig.storeFor(SRC), destination: afterListing(rig.storeFor(DST), listed) },
        config,
        clock,
        ALL_SOURCE_PHASES,
      );

    // Act: both jobs fire together; then, as copies finish, their next runs.
    const [a, b] = await Promise.all([together(low), together(high)]);
    rig.gate.release(DST);
    clock.advance({ minutes: 10 });
    const [a2, b2] = await Promise.all([pass(low), pass(high)]);
    rig.gate.release(DST);
    clock.advance({ minutes: 10 });
    const [a3, b3] = await Promise.all([pass(low), pass(high)]);

    // Assess: RDS refused what went beyond 5, the tool named it, and nothing was lost or doubled.
    const refusals = [...a.failed, ...b.failed];
    expect(refusals.length).toBe(3);
    expect(new Set(refusals.map((f) => f.error))).toEqual(new Set(['CopyLimitReached']));
    expect(rig.gate.refusedCopies()).toBe(3);
    expect(rig.gate.peakCopying(DST)).toBe(5);
    expect([...a2.failed, ...b2.failed, ...a3.failed, ...b3.failed]).toEqual([]);
    const copies = await copiesBySource();
    expect(copies.size).toBe(8);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
  });
});
