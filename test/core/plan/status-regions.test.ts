// The status report across several copy regions and destinations: the recovery point as the oldest of each
// region's newest copy, the destinations and kept reasons reported per cluster, and the fields left out.
import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { TAG } from '../../../src/core/model/tags.js';
import type { KeptSnapshot } from '../../../src/core/plan/plan.js';
import { statusReport } from '../../../src/core/plan/status.js';
import { AP, EU, NOW, OTHER, SRC, sourceConfig, W2 } from '../../support/destinations-fixture.js';
import { backup, cluster, drCopy, hoursAfter, sourceObservation } from '../../support/snapshot-builder.js';

const copiesTo = (...regions: string[]) =>
  sourceConfig({ ShareSnapshots: true, Destinations: regions.map((Region) => ({ Region })) });

const marked = (hoursAgo: number, clusterId = 'prod') =>
  backup(clusterId, hoursAfter(NOW, -hoursAgo), { tags: { [TAG.ShareAndCopy]: 'YES' } });

/** An observation of backups at 40, 30, 10 and 2 hours ago, with the copies each region holds. */
function observe(copies: Record<string, number[]>, clusterIds = ['prod']) {
  const backups = new Map<number, SnapshotInfo>([40, 30, 10, 2].map((h) => [h, marked(h)]));
  const regionSnapshots = Object.fromEntries(
    Object.entries(copies).map(([region, hours]) => [
      region,
      hours.map((h) => drCopy(backups.get(h) as SnapshotInfo, region)),
    ]),
  );
  return sourceObservation({
    now: NOW,
    clusters: clusterIds.map((id) => cluster(id)),
    snapshots: [...backups.values()],
    destinationSnapshots: regionSnapshots[Object.keys(copies)[0] ?? ''] ?? [],
    regionSnapshots,
  });
}

describe('statusReport: the recovery point over several copy regions', () => {
  it("is the oldest of each region's newest copy with three regions, not the newest copy of the others", () => {
    // Prepare: us-west-2 is 2 hours behind, eu-west-1 30, ap-southeast-2 10
    const obs = observe({ [W2]: [40, 2], [EU]: [40, 30], [AP]: [40, 10] });

    // Act
    const [prod] = statusReport(obs, copiesTo(W2, EU, AP)).clusters;

    // Assess
    expect([prod?.recoveryPoint?.region, prod?.recoveryPoint?.ageHours]).toEqual([EU, 30]);
    expect([prod?.latestCopy?.ageHours]).toEqual([2]);
  });

  it("is the oldest of each region's newest copy in either listing order of the regions", () => {
    // Prepare: eu-west-1 lags (newest copy 30 hours old), us-west-2 has the 2-hour backup
    const obs = observe({ [W2]: [2], [EU]: [30] });

    // Act
    const euFirst = statusReport(obs, copiesTo(EU, W2)).clusters[0]?.recoveryPoint;
    const euLast = statusReport(obs, copiesTo(W2, EU)).clusters[0]?.recoveryPoint;

    // Assess
    expect([euFirst?.region, euFirst?.ageHours]).toEqual([EU, 30]);
    expect([euLast?.region, euLast?.ageHours]).toEqual([EU, 30]);
  });

  it('names the first copy region written when every region has a copy of the same backup', () => {
    // Prepare
    const obs = observe({ [W2]: [10], [EU]: [10] });

    // Act
    const w2First = statusReport(obs, copiesTo(W2, EU)).clusters[0]?.recoveryPoint;
    const euFirst = statusReport(obs, copiesTo(EU, W2)).clusters[0]?.recoveryPoint;

    // Assess
    expect([w2First?.region, w2First?.ageHours]).toEqual([W2, 10]);
    expect([euFirst?.region, euFirst?.ageHours]).toEqual([EU, 10]);
  });
});

describe('statusReport: what is reported per destination and per cluster', () => {
  it('gives the account of a destination that has one, and no account field for a copy in this account', () => {
    // Prepare
    const obs = observe({ [W2]: [2], [EU]: [2] });
    const cfg = sourceConfig({
      ShareSnapshots: true,
      Destinations: [{ Region: W2 }, { Region: EU, Account: OTHER }],
    });

    // Act
    const destinations = statusReport(obs, cfg).clusters[0]?.destinations ?? [];

    // Assess
    expect(destinations.map((d) => [d.id, d.kind, d.region, d.account])).toEqual([
      [W2, 'copy', W2, undefined],
      [`${OTHER}@${EU}`, 'copy-share', EU, OTHER],
    ]);
    expect(destinations[0]).not.toHaveProperty('account');
  });

  it('reports no destinations, for the job or any cluster, while nothing is copied or shared', () => {
    // Prepare
    const obs = observe({ [W2]: [2] });

    // Act
    const report = statusReport(obs, sourceConfig({ ShareSnapshots: false, DestinationRegion: W2 }));

    // Assess
    expect(report).not.toHaveProperty('destinations');
    expect(report.clusters.map((c) => c.clusterId)).toEqual(['prod']);
    expect(report.clusters[0]).not.toHaveProperty('destinations');
  });

  it('gives each cluster the kept reasons of its own snapshots only, and none when no reasons are passed', () => {
    // Prepare
    const obs = observe({ [W2]: [2] }, ['prod-a', 'prod-b']);
    const kept: KeptSnapshot[] = [
      { region: SRC, clusterId: 'prod-b', snapshotId: 'prod-b-1', reasons: ['newest'] },
      { region: SRC, clusterId: 'prod-a', snapshotId: 'prod-a-1', reasons: ['within RetentionDays (7)'] },
      { region: SRC, clusterId: 'prod-b', snapshotId: 'prod-b-2', reasons: ['last 3 (2 of 3)'] },
    ];

    // Act
    const withKept = statusReport(obs, copiesTo(W2), kept);
    const without = statusReport(obs, copiesTo(W2));

    // Assess
    expect(withKept.clusters.map((c) => [c.clusterId, c.kept?.map((k) => k.snapshotId)])).toEqual([
      ['prod', []],
      ['prod-a', ['prod-a-1']],
      ['prod-b', ['prod-b-1', 'prod-b-2']],
    ]);
    expect(without.clusters.map((c) => c.clusterId)).toEqual(['prod', 'prod-a', 'prod-b']);
    for (const c of without.clusters) expect(c).not.toHaveProperty('kept');
  });
});
