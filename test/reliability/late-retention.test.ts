// Retention switched on late over months of old snapshots: each pass deletes at most MaxDeletesPerPass (default 20), oldest first, and never the newest.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import {
  ALL_SOURCE_PHASES,
  type PassReport,
  runDestinationPass,
  runSourcePass,
  type SourcePhase,
} from '../../src/core/plan/pass.js';
import { ManualClock } from '../support/manual-clock.js';
import { DAY, pointInTime, type Rig, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const NOW = Date.parse('2026-09-01T01:00:00Z');
const HISTORY_DAYS = 120;

let rig: Rig;
let clock: ManualClock;

const idFor = (daysAgo: number) => `orders-db-old-${String(daysAgo).padStart(3, '0')}`;

function sourceConfig(settings: Record<string, unknown>): SourceConfig {
  return parseConfig({
    Source: { Region: SRC, ClusterNamePattern: '^orders-db$', BackupInterval: 24, ...settings },
  }).Source as SourceConfig;
}

function destinationConfig(settings: Record<string, unknown>): DestinationConfig {
  return parseConfig({
    Destination: { Region: DST, SnapshotPattern: '^orders-db$', SourceRegion: SRC, ...settings },
  }).Destination as DestinationConfig;
}

const deleted = (report: PassReport) =>
  report.results
    .filter((r) => r.ok && r.action.kind === 'delete')
    .map((r) => (r.action as { snapshotId: string }).snapshotId);

/** Runs passes every 5 minutes until one deletes nothing; returns what each pass deleted. */
async function untilSettled(pass: () => Promise<PassReport>): Promise<string[][]> {
  const rounds: string[][] = [];
  for (let i = 0; i < 50; i++) {
    const report = await pass();
    expect(report.failed).toEqual([]);
    const ids = deleted(report);
    rounds.push(ids);
    if (ids.length === 0) return rounds;
    clock.advance({ minutes: 5 });
  }
  throw new Error('retention did not settle in 50 passes');
}

beforeAll(async () => {
  rig = await startRig({ seed: 10 });
});

afterAll(async () => {
  await rig?.stop();
});

beforeEach(async () => {
  // Prepare: four months of daily backups at the source and their DR copies at the destination, never expired.
  await rig.reset();
  clock = new ManualClock(new Date(NOW));
  await rig.estate.createCluster(SRC, 'orders-db');
  await rig.estate.createCluster(DST, 'orders-db');
  for (let d = 1; d <= HISTORY_DAYS; d++) {
    const pointInTimeIso = new Date(NOW - d * DAY).toISOString();
    const common = {
      [TAG.PointInTime]: pointInTimeIso,
      [TAG.SourceCluster]: 'orders-db',
      [TAG.SourceRegion]: SRC,
    };
    await rig.estate.createSnapshot(SRC, {
      clusterId: 'orders-db',
      snapshotId: idFor(d),
      tags: { ...common, [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.Purpose]: 'backup' },
    });
    await rig.estate.createSnapshot(DST, {
      clusterId: 'orders-db',
      snapshotId: idFor(d),
      tags: { ...common, [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.Purpose]: 'dr-copy' },
    });
  }
});

describe('retention enabled late', () => {
  it('at the source: nothing while DeleteOldSnapshots is FALSE, then at most 20 per pass, oldest first, down to RetentionDays', async () => {
    // Prepare
    const off = sourceConfig({ RetentionDays: 7, DeleteOldSnapshots: 'FALSE' });
    const on = sourceConfig({ RetentionDays: 7, DeleteOldSnapshots: 'TRUE' });
    const stores = { source: rig.storeFor(SRC) };
    const pass = (config: SourceConfig, phases: readonly SourcePhase[] = ALL_SOURCE_PHASES) =>
      runSourcePass(stores, config, clock, phases);

    // Act
    const disabled = await pass(off);
    clock.advance({ minutes: 5 });
    const rounds = await untilSettled(() => pass(on));

    // Assess
    expect(deleted(disabled)).toEqual([]);
    expect(disabled.results.filter((r) => r.action.kind === 'take')).toHaveLength(1);
    expect(rounds.slice(0, -1).every((ids) => ids.length <= 20)).toBe(true);
    expect(rounds[0]).toHaveLength(20);
    // Oldest first: the rounds, concatenated, go from the oldest backup forwards.
    const order = rounds.flat();
    expect(order).toEqual(Array.from({ length: order.length }, (_, i) => idFor(HISTORY_DAYS - i)));
    // What is left is exactly the last RetentionDays, and the snapshot taken.
    const end = clock.now().getTime();
    const left = (await summaries(rig.estate, SRC)).filter((s) => s.tags[TAG.CreatedBy] === TOOL_TAG_VALUE);
    expect(left.every((s) => end - pointInTime(s) <= 7 * DAY)).toBe(true);
    expect(left).toHaveLength(7);
  });

  it('with RetentionDays 1 and taking stopped, deletes at most MaxDeletesPerPass a pass and never the newest', async () => {
    // Prepare: only the retention step runs (no snapshot is taken any more); a lower limit set.
    const config = sourceConfig({ RetentionDays: 1, DeleteOldSnapshots: 'TRUE', MaxDeletesPerPass: 25 });

    // Act
    const rounds = await untilSettled(() =>
      runSourcePass({ source: rig.storeFor(SRC) }, config, clock, ['delete']),
    );

    // Assess
    expect(rounds.map((ids) => ids.length)).toEqual([25, 25, 25, 25, 19, 0]);
    expect(rounds.flat()).not.toContain(idFor(1));
    expect(await rig.estate.snapshotIds(SRC)).toEqual([idFor(1)]);
    expect(rig.proxy.total('DeleteDBClusterSnapshot')).toBe(HISTORY_DAYS - 1);
  });

  it('at the destination: at most 20 copies per pass, oldest first, never the newest copy', async () => {
    // Prepare: a destination job with a short retention enabled over the four months of copies.
    const config = destinationConfig({ RetentionDays: 2 });

    // Act
    const rounds = await untilSettled(() => runDestinationPass(rig.storeFor(DST), config, clock, ['delete']));

    // Assess
    expect(rounds.every((ids) => ids.length <= 20)).toBe(true);
    expect(rounds.slice(0, 5).map((ids) => ids.length)).toEqual([20, 20, 20, 20, 20]);
    expect(rounds.flat()).toEqual(
      Array.from({ length: rounds.flat().length }, (_, i) => idFor(HISTORY_DAYS - i)),
    );
    const end = clock.now().getTime();
    const left = await summaries(rig.estate, DST);
    expect(left.map((s) => s.id)).toContain(idFor(1));
    expect(left.every((s) => end - pointInTime(s) <= 2 * DAY)).toBe(true);
    // The source's backups are not the destination job's to delete.
    expect(await rig.estate.snapshotIds(SRC)).toHaveLength(HISTORY_DAYS);
  });
});
