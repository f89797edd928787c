// Restore drills, pure: the snapshot each drill restores, the names, what a clean-up may delete, where a restore stands, the last drill.
import { describe, expect, it } from 'vitest';
import { isValidIdentifier } from '../../src/core/naming.js';
import {
  chooseDrillTargets,
  type DrillResource,
  drillClusterName,
  drillInstanceName,
  drillOverdue,
  drillProgress,
  lastDrills,
  planCleanup,
  verifiedTags,
} from '../../src/core/restore-drill.js';
import { RESTORE_DRILL_PURPOSE, TAG, TOOL_TAG_VALUE } from '../../src/core/tags.js';
import { snapshot } from '../support/snapshot-builder.js';

const NOW = new Date('2026-07-05T03:00:00Z');
const SETTINGS = { Region: 'us-west-2', SnapshotPattern: '^orders$', MaxRestoreMinutes: 120 };
const copied = (cluster: string) => ({ [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: cluster });
const DRILL_TAG = { [TAG.Purpose]: RESTORE_DRILL_PURPOSE };

describe('drill names', () => {
  it('names the cluster <cluster>-drill-<YYYYMMDDHHMM> and its instance after it, valid for RDS however long the cluster name', () => {
    // Act
    const name = drillClusterName('orders', NOW);
    const long = drillClusterName(`orders-${'x'.repeat(60)}`, NOW);

    // Assess
    expect(name).toBe('orders-drill-202607050300');
    expect(drillInstanceName(name)).toBe('orders-drill-202607050300-1');
    expect(long).toMatch(/-drill-202607050300$/);
    for (const id of [long, drillInstanceName(long)]) expect(isValidIdentifier(id)).toBe(true);
  });
});

describe('chooseDrillTargets', () => {
  const snapshots = [
    snapshot('orders-old', {
      region: 'us-west-2',
      tags: copied('orders'),
      pointInTime: '2026-07-04T00:00:00Z',
    }),
    snapshot('orders-new', {
      region: 'us-west-2',
      tags: copied('orders'),
      pointInTime: '2026-07-05T00:00:00Z',
    }),
    snapshot('orders-copying', {
      region: 'us-west-2',
      status: 'copying',
      tags: copied('orders'),
      pointInTime: '2026-07-05T02:00:00Z',
    }),
    snapshot('orders-by-hand', {
      region: 'us-west-2',
      clusterId: 'orders',
      pointInTime: '2026-07-05T02:30:00Z',
    }),
    snapshot('ordersx-new', {
      region: 'us-west-2',
      tags: copied('ordersx'),
      pointInTime: '2026-07-05T01:00:00Z',
    }),
  ];

  it('restores per matching cluster the newest available snapshot the tool made, never a hand-made or unfinished one', () => {
    // Act
    const choice = chooseDrillTargets({ snapshots, settings: SETTINGS, now: NOW });

    // Assess
    expect(choice.ok && choice.targets.map((t) => [t.clusterId, t.snapshotId, t.drillClusterId])).toEqual([
      ['orders', 'orders-new', 'orders-drill-202607050300'],
    ]);
  });

  it('restores the snapshot named instead, and refuses one that is missing or not available', () => {
    expect(
      chooseDrillTargets({ snapshots, settings: SETTINGS, now: NOW, snapshotId: 'orders-old' }),
    ).toMatchObject({
      ok: true,
      targets: [{ snapshotId: 'orders-old' }],
    });
    expect(chooseDrillTargets({ snapshots, settings: SETTINGS, now: NOW, snapshotId: 'nope' })).toEqual({
      ok: false,
      reason: 'snapshot nope does not exist in us-west-2',
    });
    expect(
      chooseDrillTargets({ snapshots, settings: SETTINGS, now: NOW, snapshotId: 'orders-copying' }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/orders-copying is copying, not available/),
    });
  });

  it('says so when nothing matches', () => {
    expect(
      chooseDrillTargets({ snapshots, settings: { ...SETTINGS, SnapshotPattern: 'payments' }, now: NOW }),
    ).toEqual({
      ok: false,
      reason: 'no available snapshot made by the tool matches SnapshotPattern payments in us-west-2',
    });
  });
});

describe('planCleanup', () => {
  const cluster = (id: string, tags: Record<string, string>, status = 'available'): DrillResource => ({
    kind: 'cluster',
    id,
    status,
    tags,
  });
  const instance = (
    id: string,
    clusterId: string,
    tags: Record<string, string>,
    status = 'available',
  ): DrillResource => ({
    kind: 'instance',
    id,
    clusterId,
    status,
    tags,
  });

  it('deletes tagged instances first, then tagged clusters without instances, and nothing untagged', () => {
    // Act
    const plan = planCleanup([
      cluster('orders', {}),
      instance('orders-1', 'orders', {}),
      cluster('orders-drill-1', DRILL_TAG),
      instance('orders-drill-1-1', 'orders-drill-1', DRILL_TAG),
      cluster('orders-drill-2', DRILL_TAG),
      cluster('orders-drill-3', {}),
      instance('orders-drill-3-1', 'orders-drill-3', {}),
      cluster('orders-drill-4', { [TAG.Purpose]: 'backup' }),
      cluster('orders-drill-5', DRILL_TAG, 'deleting'),
    ]);

    // Assess
    expect(plan.deletions).toEqual([
      { kind: 'instance', id: 'orders-drill-1-1' },
      { kind: 'cluster', id: 'orders-drill-2' },
    ]);
    expect(plan.remaining).toBe(4);
  });

  it('waits for a tagged cluster whose untagged instance remains, and keeps what --keep names', () => {
    // Act
    const plan = planCleanup(
      [
        cluster('a-drill', DRILL_TAG),
        instance('a-drill-1', 'a-drill', {}),
        cluster('b-drill', DRILL_TAG),
        instance('b-drill-1', 'b-drill', DRILL_TAG),
      ],
      new Set(['b-drill']),
    );

    // Assess
    expect(plan.deletions).toEqual([]);
    expect(plan.remaining).toBe(1);
  });
});

describe('drillProgress', () => {
  const target = { drillClusterId: 'o-drill', drillInstanceId: 'o-drill-1', snapshotId: 'orders-new' };
  const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
  const progress = (cluster: string | undefined, instance: string | undefined, minutes: number) =>
    drillProgress({
      target,
      clusterStatus: cluster,
      instanceStatus: instance,
      startedAt: NOW,
      now: at(minutes),
      maxRestoreMinutes: 30,
    });

  it('is available with the minutes it took once both are, pending before, timed out past MaxRestoreMinutes', () => {
    expect(progress('available', 'available', 17.2)).toEqual({ state: 'available', minutes: 18 });
    expect(progress('creating', 'creating', 10)).toMatchObject({
      state: 'pending',
      waitingFor: 'cluster o-drill is creating',
    });
    expect(progress('available', 'configuring-enhanced-monitoring', 10)).toMatchObject({
      state: 'pending',
      waitingFor: 'instance o-drill-1 is configuring-enhanced-monitoring',
    });
    expect(progress('creating', 'creating', 31)).toMatchObject({
      state: 'timed-out',
      reason: expect.stringMatching(/snapshot orders-new took more than MaxRestoreMinutes \(30\)/),
    });
  });

  it('fails naming the snapshot when the cluster or instance failed or vanished', () => {
    expect(progress('inaccessible-encryption-credentials', 'creating', 3)).toMatchObject({
      state: 'failed',
      reason: 'cluster o-drill (restored from snapshot orders-new) is inaccessible-encryption-credentials',
    });
    expect(progress(undefined, undefined, 3)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/orders-new\) does not exist/),
    });
    expect(progress('available', 'failed', 3)).toMatchObject({ state: 'failed' });
  });
});

describe('lastDrills and drillOverdue', () => {
  it('keeps per cluster the latest verified snapshot, and is overdue after two drill periods without one', () => {
    // Prepare
    const tagged = (id: string, at: string, minutes: number) =>
      snapshot(id, {
        region: 'us-west-2',
        tags: { ...copied('orders'), ...verifiedTags(new Date(at), minutes) },
      });

    // Act
    const last = lastDrills([
      tagged('orders-a', '2026-06-28T03:00:00Z', 22),
      tagged('orders-b', '2026-07-05T03:00:00Z', 19),
      snapshot('orders-c', { region: 'us-west-2', tags: copied('orders') }),
    ]).get('orders');

    // Assess
    expect(last).toEqual({
      snapshotId: 'orders-b',
      region: 'us-west-2',
      at: '2026-07-05T03:00:00.000Z',
      minutes: 19,
    });
    expect(drillOverdue(last, new Date('2026-07-19T02:00:00Z'), 168)).toBe(false);
    expect(drillOverdue(last, new Date('2026-07-19T04:00:00Z'), 168)).toBe(true);
    expect(drillOverdue(undefined, NOW, 168)).toBe(true);
  });
});
