// The live report (`status --html`): the snapshots that exist now, the recovery point rebuilt from the copies
// kept, and deletions shown as unknown.
import { describe, expect, it } from 'vitest';
import { SourceSchema } from '../../src/config/schema.js';
import type { SnapshotInfo } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import type { SourceObservation, StatusReport } from '../../src/core/plan/pass.js';
import { recoveryPointFromCopies } from '../../src/report/classify.js';
import { appearedAt, reportDataFromStatus } from '../../src/report/live.js';
import { renderReport } from '../../src/report/render.js';

const H = 3_600_000;
const NOW = new Date('2025-01-10T12:00:00.000Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * H);

function snap(
  id: string,
  region: string,
  cluster: string,
  tags: Record<string, string>,
  createdHoursAgo: number,
): SnapshotInfo {
  return {
    id,
    arn: `arn:aws:rds:${region}:123456789012:cluster-snapshot:${id}`,
    clusterId: cluster,
    region,
    accountId: '123456789012',
    type: 'manual',
    status: 'available',
    createTime: ago(createdHoursAgo),
    encrypted: false,
    kmsKeyId: undefined,
    tags,
  };
}

const taken = (id: string, cluster: string, hoursAgo: number) =>
  snap(
    id,
    'eu-west-1',
    cluster,
    { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: ago(hoursAgo).toISOString() },
    hoursAgo,
  );
const copied = (id: string, cluster: string, hoursAgo: number, sharedWith?: string) =>
  snap(
    id,
    'eu-central-1',
    cluster,
    {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.Purpose]: 'dr-copy',
      [TAG.SourceCluster]: cluster,
      [TAG.PointInTime]: ago(hoursAgo).toISOString(),
      ...(sharedWith ? { [TAG.SharedWith]: sharedWith } : {}),
    },
    hoursAgo - 0.25,
  );

const config = SourceSchema.parse({
  Region: 'eu-west-1',
  ClusterNamePattern: 'orders',
  BackupInterval: 24,
  ShareSnapshots: 'TRUE',
  DestinationRegion: 'eu-central-1',
});

function observation(): SourceObservation {
  return {
    now: NOW,
    accountId: '123456789012',
    region: 'eu-west-1',
    clusters: [],
    snapshots: [
      taken('orders-1', 'orders', 48),
      taken('orders-2', 'orders', 24),
      snap('orders-by-hand', 'eu-west-1', 'orders', {}, 30),
      taken('billing-1', 'billing', 24),
    ],
    destinationSnapshots: [
      copied('orders-1', 'orders', 48, '222222222222'),
      copied('orders-2', 'orders', 24),
    ],
    manualSnapshotQuota: 100,
    awsManagedKeys: [],
  };
}

const status = {
  at: NOW.toISOString(),
  region: 'eu-west-1',
  destinationRegion: 'eu-central-1',
  clusters: [
    {
      clusterId: 'orders',
      region: 'eu-west-1',
      latestSnapshot: undefined,
      latestCopy: undefined,
      recoveryPoint: undefined,
      snapshotCount: 2,
      copyCount: 2,
    },
  ],
  manualSnapshotCount: 4,
  manualSnapshotQuota: 100,
} satisfies StatusReport;

describe('reportDataFromStatus', () => {
  it('shows the matching clusters’ snapshots, the hand-made one as not the tool’s, and no other cluster', () => {
    // Act
    const data = reportDataFromStatus({ status, observation: observation(), config });
    // Assess
    expect(data.snapshots.map((s) => `${s.region}/${s.id}/${s.role}`).sort()).toEqual([
      'eu-central-1/orders-1/dr-copy',
      'eu-central-1/orders-2/dr-copy',
      'eu-west-1/orders-1/backup',
      'eu-west-1/orders-2/backup',
      'eu-west-1/orders-by-hand/unmanaged',
    ]);
    expect(renderReport(data).match(/class="snapshot-mark"/g)).toHaveLength(5);
  });

  it('counts per region and cluster, with deletions unknown', () => {
    // Act
    const data = reportDataFromStatus({ status, observation: observation(), config });
    // Assess
    const source = data.rows.find((r) => r.region === 'eu-west-1');
    const destination = data.rows.find((r) => r.region === 'eu-central-1');
    expect(source).toMatchObject({ taken: 2, copied: 0, kept: 2, deleted: undefined });
    expect(destination).toMatchObject({ taken: 0, copied: 2, shared: 1, kept: 2, deleted: undefined });
  });

  it('rebuilds the recovery point from the copies: worst just before a copy arrived, now the newest one’s age', () => {
    // Act
    const data = reportDataFromStatus({ status, observation: observation(), config });
    // Assess
    const series = data.recoveryPoints.find((rp) => rp.clusterId === 'orders');
    expect(series?.region).toBe('eu-central-1');
    expect(series?.samples.at(-1)).toEqual({ at: NOW.toISOString(), ageHours: 24 });
    expect(data.rows.find((r) => r.region === 'eu-central-1')?.worstRecoveryPointHours).toBeCloseTo(24.25, 5);
  });
});

describe('recoveryPointFromCopies', () => {
  it('drops to the new copy’s data age on arrival and grows in between', () => {
    // Prepare
    const copies = [
      { pointInTime: ago(10).toISOString(), availableAt: ago(9).toISOString() },
      { pointInTime: ago(2).toISOString(), availableAt: ago(1).toISOString() },
    ];
    // Act
    const samples = recoveryPointFromCopies(copies, NOW);
    // Assess
    expect(samples.map((s) => s.ageHours)).toEqual([1, 9, 1, 2]);
  });

  it('ignores an older copy arriving late: the newest data still defines the recovery point', () => {
    // Prepare
    const copies = [
      { pointInTime: ago(2).toISOString(), availableAt: ago(1.5).toISOString() },
      { pointInTime: ago(30).toISOString(), availableAt: ago(1).toISOString() },
    ];
    // Act
    const samples = recoveryPointFromCopies(copies, NOW);
    // Assess
    expect(samples.at(-1)?.ageHours).toBe(2);
    expect(Math.max(...samples.map((s) => s.ageHours))).toBe(2);
  });
});

describe('appearedAt', () => {
  it('uses the creation time when it is not after now', () => {
    // Act
    const at = appearedAt(ago(5), ago(6).toISOString(), NOW);
    // Assess
    expect(at).toBe(ago(5).toISOString());
  });

  it('falls back to the point in time when the status is taken at a simulated earlier time', () => {
    // Act
    const at = appearedAt(new Date(NOW.getTime() + 400 * 86_400_000), ago(6).toISOString(), NOW);
    // Assess
    expect(at).toBe(ago(6).toISOString());
  });

  it('never places a snapshot after now', () => {
    // Act
    const future = new Date(NOW.getTime() + H);
    const at = appearedAt(future, future.toISOString(), NOW);
    // Assess
    expect(at).toBe(NOW.toISOString());
  });
});
