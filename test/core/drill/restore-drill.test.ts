// Restore drills, pure: the snapshot each drill restores, the names, what a clean-up may delete, where a restore stands, the last drill.
import { describe, expect, it } from 'vitest';
import {
  chooseDrillTargets,
  chooseInstanceClass,
  DRILL_NAME_GLOBS,
  type DrillResource,
  drillClusterName,
  drillInstanceName,
  drillOverdue,
  drillPeriodHours,
  drillProgress,
  drillStatus,
  drillTags,
  elapsedMinutes,
  isDrillCandidate,
  isDrillName,
  lastDrills,
  planCleanup,
  verifiedTags,
} from '../../../src/core/drill/index.js';
import { isValidIdentifier } from '../../../src/core/model/naming.js';
import { RESTORE_DRILL_PURPOSE, TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { snapshot } from '../../support/snapshot-builder.js';

const NOW = new Date('2026-07-05T03:00:00Z');
const SETTINGS = { Region: 'us-west-2', SnapshotPattern: '^orders$', MaxRestoreMinutes: 120 };
const copied = (cluster: string) => ({ [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: cluster });
const DRILL_TAG = { [TAG.Purpose]: RESTORE_DRILL_PURPOSE };
/** The name a drill of `cluster` gives its cluster. */
const drill = (cluster: string) => drillClusterName(cluster, NOW);

describe('drill names', () => {
  it('names the cluster <cluster>-snapshot-tool-drill-<YYYYMMDDHHMM> and its instance after it, valid for RDS however long the cluster name', () => {
    // Act
    const name = drillClusterName('orders', NOW);
    const long = drillClusterName(`orders-${'x'.repeat(60)}`, NOW);

    // Assess
    expect(name).toBe('orders-snapshot-tool-drill-202607050300');
    expect(drillInstanceName(name)).toBe('orders-snapshot-tool-drill-202607050300-1');
    expect(long).toMatch(/^orders-x+-[0-9a-z]{6}-snapshot-tool-drill-202607050300$/);
    expect(drillInstanceName(long)).toBe(`${long}-1`);
    for (const id of [long, drillInstanceName(long)]) expect(isValidIdentifier(id)).toBe(true);
  });

  it('gives, for a cluster name of any length, names the IAM patterns of the drill role match and isDrillName knows', () => {
    // Prepare: an IAM ARN pattern as IAM reads it (`*` any run, `?` one character)
    const matches = (glob: string, id: string) =>
      new RegExp(`^${glob.replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(id);

    // Act
    const names = Array.from({ length: 63 }, (_, i) => `c${'x'.repeat(i)}`).map((clusterId) => {
      const cluster = drillClusterName(clusterId, NOW);
      return { cluster, instance: drillInstanceName(cluster) };
    });

    // Assess
    for (const { cluster, instance } of names) {
      expect(isValidIdentifier(instance), instance).toBe(true);
      expect(matches(DRILL_NAME_GLOBS.cluster, cluster), cluster).toBe(true);
      expect(matches(DRILL_NAME_GLOBS.instance, instance), instance).toBe(true);
      expect(isDrillName('cluster', cluster) && isDrillName('instance', instance), cluster).toBe(true);
    }
  });

  it.each([
    ['cluster', 'prod-db'],
    ['cluster', 'orders-drill-202607050300'],
    ['cluster', 'orders-drill-staging-0001'],
    ['cluster', 'orders-snapshot-tool-drill-staging0001'],
    ['cluster', 'orders-snapshot-tool-drill-20260705030'],
    ['cluster', '-snapshot-tool-drill-202607050300'],
    ['cluster', 'orders-snapshot-tool-drill-202607050300-1'],
    ['instance', 'orders-snapshot-tool-drill-202607050300'],
    ['instance', 'orders-snapshot-tool-drill-202607050300-2'],
    ['instance', 'prod-db-1'],
  ] as const)('does not take the %s %s for a drill name', (kind, id) => {
    // Act / Assess
    expect(isDrillName(kind, id)).toBe(false);
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
      ['orders', 'orders-new', 'orders-snapshot-tool-drill-202607050300'],
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

  it('deletes tagged instances first, then tagged clusters without instances, and nothing untagged or named otherwise', () => {
    // Act
    const plan = planCleanup([
      cluster('orders', {}),
      instance('orders-1', 'orders', {}),
      cluster(drill('one'), DRILL_TAG),
      instance(`${drill('one')}-1`, drill('one'), DRILL_TAG),
      cluster(drill('two'), DRILL_TAG),
      cluster(drill('three'), {}),
      instance(`${drill('three')}-1`, drill('three'), {}),
      cluster(drill('four'), { [TAG.Purpose]: 'backup' }),
      cluster(drill('five'), DRILL_TAG, 'deleting'),
      // The drill tag on names the drill never gives (the drill role could not delete them)
      cluster('orders-drill-202601010000', DRILL_TAG),
      cluster('six-snapshot-tool-drill-2026010100', DRILL_TAG),
      instance('orders-2-snapshot-tool-drill-202601010000', 'orders', DRILL_TAG),
    ]);

    // Assess
    expect(plan.deletions).toEqual([
      { kind: 'instance', id: `${drill('one')}-1` },
      { kind: 'cluster', id: drill('two') },
    ]);
    expect(plan.remaining).toBe(4);
  });

  it('waits for a tagged cluster whose untagged instance remains, and keeps what --keep names', () => {
    // Act
    const plan = planCleanup(
      [
        cluster(drill('a'), DRILL_TAG),
        instance(`${drill('a')}-1`, drill('a'), {}),
        cluster(drill('b'), DRILL_TAG),
        instance(`${drill('b')}-1`, drill('b'), DRILL_TAG),
      ],
      new Set([drill('b')]),
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

describe('restore drill: what each decision takes, names and deletes, exactly', () => {
  const tool = (id: string, fields: Parameters<typeof snapshot>[1] = {}) =>
    snapshot(id, { region: 'us-west-2', tags: copied('orders'), ...fields });

  it('tags what a drill creates with its purpose restore-drill (what the deployed IAM policy matches), the source cluster and the snapshot ARN (its id when the ARN is unknown)', () => {
    // Act / Assess
    expect(drillTags({ clusterId: 'orders', snapshotArn: 'arn:aws:rds:x', snapshotId: 'snap' })).toEqual({
      'SnapshotTool:Purpose': 'restore-drill',
      [TAG.SourceCluster]: 'orders',
      [TAG.SourceSnapshot]: 'arn:aws:rds:x',
    });
    expect(drillTags({ clusterId: 'orders', snapshotArn: '', snapshotId: 'snap' })[TAG.SourceSnapshot]).toBe(
      'snap',
    );
  });

  it('restores a backup the tool took as well as a copy, but never an automated or a hand-made snapshot', () => {
    // Prepare
    const backup = snapshot('orders-2026-07-05-01-00', {
      region: 'us-west-2',
      clusterId: 'orders',
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'orders' },
    });
    const automated = tool('rds:orders-2026-07-05-02-00', { type: 'automated' });
    const handMade = snapshot('orders-by-hand', { region: 'us-west-2', clusterId: 'orders' });

    // Act / Assess
    expect(isDrillCandidate(backup)).toBe(true);
    expect(isDrillCandidate(tool('orders-copy'))).toBe(true);
    expect(isDrillCandidate(automated)).toBe(false);
    expect(isDrillCandidate(handMade)).toBe(false);
    expect(isDrillCandidate(tool('orders-copy', { status: 'copying' }))).toBe(false);
  });

  it('restores the newest of each matching cluster, in cluster order, with its engine, version and key', () => {
    // Prepare
    const snapshots = [
      snapshot('pay-new', {
        region: 'us-west-2',
        tags: copied('payments'),
        pointInTime: '2026-07-05T01:00:00Z',
        engine: 'aurora-mysql',
        engineVersion: '8.0',
        kmsKeyId: 'key-pay',
      }),
      tool('orders-a', { pointInTime: '2026-07-04T01:00:00Z' }),
      tool('orders-b', { pointInTime: '2026-07-05T01:00:00Z' }),
      snapshot('audit-new', {
        region: 'us-west-2',
        tags: copied('audit'),
        pointInTime: '2026-07-05T01:00:00Z',
      }),
    ];

    // Act
    const choice = chooseDrillTargets({
      snapshots,
      settings: { ...SETTINGS, Region: 'eu-west-1', SnapshotPattern: '^(orders|payments)$' },
      now: NOW,
    });

    // Assess
    expect(choice).toEqual({
      ok: true,
      targets: [
        {
          clusterId: 'orders',
          region: 'eu-west-1',
          snapshotId: 'orders-b',
          snapshotArn: snapshots[2]?.arn,
          engine: 'aurora-postgresql',
          engineVersion: undefined,
          kmsKeyId: undefined,
          drillClusterId: 'orders-snapshot-tool-drill-202607050300',
          drillInstanceId: 'orders-snapshot-tool-drill-202607050300-1',
        },
        {
          clusterId: 'payments',
          region: 'eu-west-1',
          snapshotId: 'pay-new',
          snapshotArn: snapshots[0]?.arn,
          engine: 'aurora-mysql',
          engineVersion: '8.0',
          kmsKeyId: 'key-pay',
          drillClusterId: 'payments-snapshot-tool-drill-202607050300',
          drillInstanceId: 'payments-snapshot-tool-drill-202607050300-1',
        },
      ],
    });
  });

  it('finds a named snapshot by its ARN too, and restores it whoever made it', () => {
    // Prepare
    const handMade = snapshot('orders-by-hand', { region: 'us-west-2', clusterId: 'orders' });

    // Act
    const choice = chooseDrillTargets({
      snapshots: [handMade],
      settings: SETTINGS,
      now: NOW,
      snapshotId: handMade.arn,
    });

    // Assess
    expect(choice).toMatchObject({
      ok: true,
      targets: [{ snapshotId: 'orders-by-hand', clusterId: 'orders' }],
    });
  });

  it('plans the clean-up: a kept cluster keeps its instances, an instance being deleted is not deleted again, and its cluster waits', () => {
    // Prepare
    const res = (r: Partial<DrillResource> & Pick<DrillResource, 'kind' | 'id'>): DrillResource => ({
      status: 'available',
      tags: DRILL_TAG,
      ...r,
    });

    // Act
    const plan = planCleanup(
      [
        res({ kind: 'cluster', id: drill('a') }),
        res({ kind: 'instance', id: `${drill('a')}-1`, clusterId: drill('a'), status: 'deleting' }),
        res({ kind: 'cluster', id: drill('kept') }),
        res({ kind: 'instance', id: `${drill('kept')}-1`, clusterId: drill('kept') }),
        res({ kind: 'instance', id: `${drill('orphan')}-1` }),
        res({ kind: 'cluster', id: drill('b'), status: 'deleting' }),
      ],
      new Set([drill('kept')]),
    );

    // Assess
    expect(plan).toEqual({ deletions: [{ kind: 'instance', id: `${drill('orphan')}-1` }], remaining: 4 });
  });

  it('fails a restore whose cluster or instance reached any state it will not come back from', () => {
    // Prepare
    const failed = [
      'failed',
      'inaccessible-encryption-credentials',
      'inaccessible-encryption-credentials-recoverable',
      'incompatible-network',
      'incompatible-option-group',
      'incompatible-parameters',
      'incompatible-restore',
      'restore-error',
      'storage-full',
      'deleting',
    ];
    const target = { drillClusterId: 'o-drill', drillInstanceId: 'o-drill-1', snapshotId: 'snap' };
    const progress = (clusterStatus: string | undefined, instanceStatus: string | undefined) =>
      drillProgress({
        target,
        clusterStatus,
        instanceStatus,
        startedAt: NOW,
        now: new Date(NOW.getTime() + 5 * 60_000),
        maxRestoreMinutes: 30,
      });

    // Act / Assess
    for (const state of failed) {
      expect(progress(state, 'creating')).toEqual({
        state: 'failed',
        minutes: 5,
        reason: `cluster o-drill (restored from snapshot snap) is ${state}`,
      });
      expect(progress('available', state)).toEqual({
        state: 'failed',
        minutes: 5,
        reason: `instance o-drill-1 of the cluster restored from snapshot snap is ${state}`,
      });
    }
    expect(progress('available', undefined)).toEqual({
      state: 'failed',
      minutes: 5,
      reason: 'instance o-drill-1 of the cluster restored from snapshot snap does not exist',
    });
    expect(progress(undefined, 'available')).toEqual({
      state: 'failed',
      minutes: 5,
      reason: 'cluster o-drill (restored from snapshot snap) does not exist',
    });
    expect(progress('backing-up', 'available')).toEqual({
      state: 'pending',
      minutes: 5,
      waitingFor: 'cluster o-drill is backing-up',
    });
  });

  it('counts whole minutes up, at least 1 for a restore available at once, and never below 0 for a clock behind', () => {
    // Prepare
    const target = { drillClusterId: 'o-drill', drillInstanceId: 'o-drill-1', snapshotId: 'snap' };
    const at = (ms: number, maxRestoreMinutes = 30) =>
      drillProgress({
        target,
        clusterStatus: 'available',
        instanceStatus: 'modifying',
        startedAt: NOW,
        now: new Date(NOW.getTime() + ms),
        maxRestoreMinutes,
      });

    // Act / Assess
    expect(elapsedMinutes(NOW, new Date(NOW.getTime() - 90_000))).toBe(0);
    expect(elapsedMinutes(NOW, NOW)).toBe(0);
    expect(elapsedMinutes(NOW, new Date(NOW.getTime() + 1))).toBe(1);
    expect(elapsedMinutes(NOW, new Date(NOW.getTime() + 120_000))).toBe(2);
    expect(
      drillProgress({
        target,
        clusterStatus: 'available',
        instanceStatus: 'available',
        startedAt: NOW,
        now: NOW,
        maxRestoreMinutes: 30,
      }),
    ).toEqual({ state: 'available', minutes: 1 });
    expect(at(30 * 60_000)).toEqual({
      state: 'pending',
      minutes: 30,
      waitingFor: 'instance o-drill-1 is modifying',
    });
    expect(at(30 * 60_000 + 1)).toEqual({
      state: 'timed-out',
      minutes: 31,
      reason:
        'the restore of snapshot snap took more than MaxRestoreMinutes (30): instance o-drill-1 is modifying after 31 minutes',
    });
  });

  it('reads the last drill per cluster whatever the order, skipping unreadable times and minutes', () => {
    // Prepare
    const tagged = (id: string, cluster: string, tags: Record<string, string>) =>
      snapshot(id, { region: 'eu-west-1', tags: { ...copied(cluster), ...tags } });
    const newer = tagged('orders-b', 'orders', {
      [TAG.RestoreVerified]: '2026-07-05T03:00:00Z',
      [TAG.RestoreMinutes]: 'n/a',
    });
    const older = tagged('orders-a', 'orders', verifiedTags(new Date('2026-06-28T03:00:00Z'), 22));
    const same = tagged('orders-c', 'orders', verifiedTags(new Date('2026-07-05T03:00:00Z'), 5));
    const garbled = tagged('orders-d', 'orders', {
      [TAG.RestoreVerified]: 'last week',
      [TAG.RestoreMinutes]: '3',
    });
    const other = tagged('pay-a', 'payments', verifiedTags(new Date('2026-07-01T03:00:00Z'), 7));
    const expected = {
      snapshotId: 'orders-b',
      region: 'eu-west-1',
      at: '2026-07-05T03:00:00.000Z',
      minutes: undefined,
    };

    // Act / Assess
    expect(lastDrills([newer, older, same, garbled, other]).get('orders')).toEqual(expected);
    expect(lastDrills([garbled, older, newer, same]).get('orders')).toEqual(expected);
    expect(lastDrills([older, other]).get('payments')).toEqual({
      snapshotId: 'pay-a',
      region: 'eu-west-1',
      at: '2026-07-01T03:00:00.000Z',
      minutes: 7,
    });
    expect([...lastDrills([garbled]).keys()]).toEqual([]);
  });

  it('gives a drill whose minutes tag was emptied by hand no minutes, not 0', () => {
    // Prepare
    const emptied = snapshot('orders-a', {
      region: 'eu-west-1',
      tags: { ...copied('orders'), [TAG.RestoreVerified]: '2026-07-05T03:00:00Z', [TAG.RestoreMinutes]: '' },
    });

    // Act / Assess
    expect(lastDrills([emptied]).get('orders')?.minutes).toBeUndefined();
  });

  it('is overdue only past exactly two drill periods', () => {
    // Prepare
    const last = { snapshotId: 's', region: 'r', at: '2026-07-05T03:00:00.000Z', minutes: 1 };

    // Act / Assess
    expect(drillOverdue(last, new Date('2026-07-19T03:00:00Z'), 168)).toBe(false);
    expect(drillOverdue(last, new Date('2026-07-19T03:00:00.001Z'), 168)).toBe(true);
  });

  it('takes the longest gap of the drill schedule as its period, and a year for one that never runs', () => {
    // Act / Assess
    expect(drillPeriodHours('0 3 ? * SUN *', NOW)).toBe(168);
    expect(drillPeriodHours('0 3 ? * MON,TUE *', NOW)).toBe(144);
    expect(drillPeriodHours('0 3 1 1 ? 2020', NOW)).toBe(24 * 365);
    expect(drillPeriodHours('0 3 1 1 ? 2027', NOW)).toBe(24 * 365);
  });

  it('reports per cluster of the pattern, given or found on the snapshots, sorted, the last drill and whether it is overdue', () => {
    // Prepare
    const verified = (id: string, cluster: string, at: string) =>
      snapshot(id, { region: 'us-west-2', tags: { ...copied(cluster), ...verifiedTags(new Date(at), 9) } });

    // Act
    const report = drillStatus({
      snapshots: [
        verified('pay-a', 'payments', '2026-06-01T03:00:00Z'),
        verified('orders-a', 'orders', '2026-07-01T03:00:00Z'),
        verified('audit-a', 'audit', '2026-07-01T03:00:00Z'),
      ],
      clusterIds: ['reports', 'orders', 'audit-x'],
      settings: {
        Region: 'us-west-2',
        SnapshotPattern: '^(orders|payments|reports)$',
        Schedule: '0 3 ? * SUN *',
      },
      now: NOW,
    });

    // Assess
    expect(report).toEqual({
      region: 'us-west-2',
      schedule: '0 3 ? * SUN *',
      periodHours: 168,
      clusters: [
        {
          clusterId: 'orders',
          lastDrill: {
            snapshotId: 'orders-a',
            region: 'us-west-2',
            at: '2026-07-01T03:00:00.000Z',
            minutes: 9,
          },
          overdue: false,
        },
        {
          clusterId: 'payments',
          lastDrill: { snapshotId: 'pay-a', region: 'us-west-2', at: '2026-06-01T03:00:00.000Z', minutes: 9 },
          overdue: true,
        },
        { clusterId: 'reports', lastDrill: undefined, overdue: true },
      ],
    });
  });
});

describe('chooseDrillTargets: snapshots with no known time', () => {
  it('never restores a snapshot whose point in time is unknown, and says nothing matches when no other is left', () => {
    // Prepare: a copy with neither a PointInTime tag nor a create time
    const undated = snapshot('orders-undated', { region: 'us-west-2', tags: copied('orders') });

    // Act / Assess
    expect(chooseDrillTargets({ snapshots: [undated], settings: SETTINGS, now: NOW })).toEqual({
      ok: false,
      reason: 'no available snapshot made by the tool matches SnapshotPattern ^orders$ in us-west-2',
    });
  });
});

describe('chooseInstanceClass', () => {
  const version = { engine: 'aurora-postgresql', engineVersion: '13.4', region: 'us-west-2' };

  it('keeps InstanceClass when RDS offers it for the engine version', () => {
    // Act / Assess
    expect(chooseInstanceClass({ ...version, wanted: 'db.serverless', offered: ['db.serverless'] })).toEqual({
      ok: true,
      instanceClass: 'db.serverless',
    });
    expect(
      chooseInstanceClass({ ...version, wanted: 'db.r6g.large', offered: ['db.t3.medium', 'db.r6g.large'] }),
    ).toEqual({ ok: true, instanceClass: 'db.r6g.large' });
  });

  it('falls back from db.serverless to the smallest class the version offers, saying which and why', () => {
    // Act
    const choice = chooseInstanceClass({
      ...version,
      wanted: 'db.serverless',
      offered: ['db.r6g.large', 'db.x2g.large', 'db.t3.medium', 'db.t3.large'],
    });

    // Assess
    expect(choice).toEqual({
      ok: true,
      instanceClass: 'db.t3.medium',
      note: 'aurora-postgresql 13.4 in us-west-2 has no Serverless v2 (db.serverless): the drill uses db.t3.medium, the smallest class offered for it',
    });
  });

  it('refuses another class the version does not offer, listing the offered ones smallest first', () => {
    // Act
    const choice = chooseInstanceClass({
      ...version,
      wanted: 'db.r7g.large',
      offered: ['db.x2g.large', 'db.r6g.large', 'db.t4g.medium', 'db.r6g.large'],
    });

    // Assess
    expect(choice).toEqual({
      ok: false,
      reason:
        "db.r7g.large is not offered for aurora-postgresql 13.4 in us-west-2 (RDS's orderable instance options); set InstanceClass to one that is: db.t4g.medium, db.r6g.large, db.x2g.large",
    });
  });

  it('refuses db.serverless when the version offers none of the small classes, and shortens a long list', () => {
    // Prepare
    const offered = Array.from({ length: 10 }, (_, i) => `db.x2g.${i + 1}xlarge`);

    // Act
    const choice = chooseInstanceClass({ ...version, wanted: 'db.serverless', offered });

    // Assess
    expect(choice.ok).toBe(false);
    expect(choice.ok === false && choice.reason).toMatch(
      /^db\.serverless is not offered for aurora-postgresql 13\.4 in us-west-2 .*: db\.x2g\.10xlarge, db\.x2g\.1xlarge, .* and 2 more$/,
    );
  });

  it('lists up to eight offered classes in full, and names how many more past eight', () => {
    // Prepare
    const offered = (n: number) => Array.from({ length: n }, (_, i) => `db.x2g.${i + 1}xlarge`);
    const reason = (n: number) => {
      const choice = chooseInstanceClass({ ...version, wanted: 'db.r7g.large', offered: offered(n) });
      return choice.ok ? undefined : choice.reason.slice(choice.reason.indexOf('one that is: '));
    };

    // Act / Assess
    expect(reason(8)).toBe(
      'one that is: db.x2g.1xlarge, db.x2g.2xlarge, db.x2g.3xlarge, db.x2g.4xlarge, db.x2g.5xlarge, db.x2g.6xlarge, db.x2g.7xlarge, db.x2g.8xlarge',
    );
    expect(reason(9)).toBe(
      'one that is: db.x2g.1xlarge, db.x2g.2xlarge, db.x2g.3xlarge, db.x2g.4xlarge, db.x2g.5xlarge, db.x2g.6xlarge, db.x2g.7xlarge, db.x2g.8xlarge and 1 more',
    );
  });

  it('tries InstanceClass, saying so, when RDS lists nothing for the version', () => {
    // Act / Assess
    expect(chooseInstanceClass({ ...version, wanted: 'db.serverless', offered: [] })).toEqual({
      ok: true,
      instanceClass: 'db.serverless',
      note: 'RDS lists no orderable instance class for aurora-postgresql 13.4 in us-west-2; the drill tries db.serverless',
    });
  });

  it('reads which clusters have instances from the instances only: a cluster that names a clusterId is still deleted', () => {
    // Prepare: the type lets a cluster carry a clusterId (its own identifier, as RDS's DBClusterIdentifier)
    const own: DrillResource = {
      kind: 'cluster',
      id: drill('c'),
      status: 'available',
      tags: DRILL_TAG,
      clusterId: drill('c'),
    };

    // Act
    const plan = planCleanup([own]);

    // Assess
    expect(plan.deletions).toEqual([{ kind: 'cluster', id: drill('c') }]);
  });
});
