// The status report: latest backup and recovery point per cluster, counts and the quota, and the restore time the last drill measured.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { TAG } from '../../../src/core/model/tags.js';
import { statusReport, withRestoreTimes } from '../../../src/core/plan/status.js';
import {
  backup,
  cluster,
  drCopy,
  hoursAfter,
  snapshot,
  sourceObservation,
} from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T00:00:00.000Z');

function config(extra: Record<string, unknown> = {}): SourceConfig {
  return parseConfig({ Source: { Region: 'us-east-1', ClusterNamePattern: 'prod', ...extra } })
    .Source as SourceConfig;
}

describe('statusReport', () => {
  it('gives per cluster the latest backup and the latest available DR copy with their ages', () => {
    // Prepare
    const older = backup('prod', hoursAfter(NOW, -30));
    const latest = backup('prod', hoursAfter(NOW, -6), { status: 'creating' });
    const obs = sourceObservation({
      now: NOW,
      clusters: [cluster('prod'), cluster('dev')],
      snapshots: [older, latest, snapshot('by-hand', { clusterId: 'prod' })],
      destinationSnapshots: [
        drCopy(older, 'us-west-2'),
        drCopy(latest, 'us-west-2', { status: 'copying' }),
        drCopy(
          backup('prod', hoursAfter(NOW, -3), { tags: { [TAG.SourceRegion]: 'eu-west-1' } }),
          'us-west-2',
        ),
      ],
      manualSnapshotQuota: 100,
    });

    // Act
    const report = statusReport(obs, config({ DestinationRegion: 'us-west-2' }));

    // Assess
    expect(report).toMatchObject({
      at: NOW.toISOString(),
      region: 'us-east-1',
      destinationRegion: 'us-west-2',
      manualSnapshotCount: 3,
      manualSnapshotQuota: 100,
    });
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0]).toMatchObject({
      clusterId: 'prod',
      snapshotCount: 2,
      copyCount: 2,
      latestSnapshot: {
        id: latest.id,
        status: 'creating',
        ageHours: 6,
        pointInTime: hoursAfter(NOW, -6).toISOString(),
      },
      latestCopy: { id: older.id, region: 'us-west-2', status: 'available', ageHours: 30 },
    });
  });

  it('takes the recovery point from the DR copies when snapshots are copied elsewhere, else from the available backups', () => {
    // Prepare
    const older = backup('prod', hoursAfter(NOW, -30));
    const latest = backup('prod', hoursAfter(NOW, -6));
    const creating = backup('prod', hoursAfter(NOW, -1), { status: 'creating' });
    const obs = sourceObservation({
      now: NOW,
      clusters: [cluster('prod')],
      snapshots: [older, latest, creating],
      destinationSnapshots: [drCopy(older, 'us-west-2'), drCopy(latest, 'us-west-2', { status: 'copying' })],
    });

    // Act
    const copied = statusReport(obs, config({ ShareSnapshots: true, DestinationRegion: 'us-west-2' }));
    const local = statusReport(obs, config({ ShareSnapshots: false, DestinationRegion: 'us-west-2' }));

    // Assess
    expect(copied.clusters[0]?.recoveryPoint).toMatchObject({ region: 'us-west-2', ageHours: 30 });
    expect(local.clusters[0]?.recoveryPoint).toMatchObject({
      id: latest.id,
      region: 'us-east-1',
      ageHours: 6,
    });
  });

  it('lists a matching cluster with no snapshot, and a deleted cluster whose backups remain', () => {
    // Prepare
    const obs = sourceObservation({
      now: NOW,
      clusters: [cluster('prod-new')],
      snapshots: [backup('prod-gone', hoursAfter(NOW, -1))],
    });

    // Act
    const report = statusReport(obs, config());

    // Assess
    expect(report.destinationRegion).toBeUndefined();
    expect(report.clusters.map((c) => [c.clusterId, c.latestSnapshot?.id, c.latestCopy])).toEqual([
      ['prod-gone', backup('prod-gone', hoursAfter(NOW, -1)).id, undefined],
      ['prod-new', undefined, undefined],
    ]);
  });

  it('counts copies of the original tool (no SourceRegion tag) as copies of this region', () => {
    // Prepare
    const legacy = snapshot('prod-old', {
      clusterId: 'prod',
      region: 'us-west-2',
      createTime: hoursAfter(NOW, -10),
      tags: { [TAG.CopiedBy]: 'Snapshot Tool for Aurora' },
    });

    // Act
    const report = statusReport(
      sourceObservation({ now: NOW, clusters: [cluster('prod')], destinationSnapshots: [legacy] }),
      config({ DestinationRegion: 'us-west-2' }),
    );

    // Assess
    expect(report.clusters[0]?.latestCopy?.ageHours).toBe(10);
  });

  it('reports an unknown point in time as empty with no age', () => {
    // Prepare
    const timeless = snapshot('prod-x', {
      clusterId: 'prod',
      tags: { CreatedBy: 'Snapshot Tool for Aurora' },
    });

    // Act
    const report = statusReport(sourceObservation({ now: NOW, snapshots: [timeless] }), config());

    // Assess
    expect(report.clusters[0]?.latestSnapshot?.pointInTime).toBe('');
    expect(report.clusters[0]?.latestSnapshot?.ageHours).toBeNaN();
  });
});

describe('withRestoreTimes', () => {
  it('sets per cluster the minutes of its last successful drill, wherever that drill ran, and none where no drill recorded minutes', () => {
    // Prepare: prod drilled twice (the later drill in another region), dev drilled without minutes, qa never
    const verified = (at: string, minutes?: string) => ({
      tags: {
        [TAG.RestoreVerified]: at,
        ...(minutes !== undefined ? { [TAG.RestoreMinutes]: minutes } : {}),
      },
    });
    const prod = backup('prod', hoursAfter(NOW, -30));
    const obs = sourceObservation({
      now: NOW,
      clusters: [cluster('prod'), cluster('dev'), cluster('qa')],
      snapshots: [prod, backup('dev', hoursAfter(NOW, -30)), backup('qa', hoursAfter(NOW, -30))],
      manualSnapshotQuota: 100,
    });
    const report = statusReport(obs, config({ ClusterNamePattern: 'ALL_CLUSTERS' }));
    const drilled = [
      drCopy(prod, 'us-west-2', verified('2025-02-20T03:00:00Z', '31')),
      drCopy(prod, 'eu-west-1', verified('2025-02-27T03:00:00Z', '17')),
      drCopy(backup('dev', hoursAfter(NOW, -30)), 'us-west-2', verified('2025-02-27T03:00:00Z')),
    ];

    // Act
    const measured = withRestoreTimes(report, drilled);

    // Assess
    expect(measured.clusters.map((c) => [c.clusterId, c.restoreTime])).toEqual([
      ['dev', undefined],
      [
        'prod',
        {
          minutes: 17,
          drilledAt: '2025-02-27T03:00:00.000Z',
          snapshotId: drilled[1]?.id,
          region: 'eu-west-1',
        },
      ],
      ['qa', undefined],
    ]);
    expect(measured.clusters.map((c) => c.recoveryPoint)).toEqual(
      report.clusters.map((c) => c.recoveryPoint),
    );
  });
});
