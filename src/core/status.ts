/**
 * The status report: per cluster, the latest backup and the latest DR copy (whose age is the recovery
 * point), counts, and the region's manual snapshots against the quota. Computed from one observation.
 */
import type { SourceConfig } from '../config/schema.js';
import type { SnapshotInfo } from './model.js';
import type { ClusterStatus, SnapshotAge, SourceObservation, StatusReport } from './observation.js';
import type { KeptSnapshot } from './plan.js';
import { ageHours, newestOf, pointInTimeOf } from './point-in-time.js';
import { isAvailable, isCopiedByTool, isManual, isToolBackup, sourceClusterOf } from './roles.js';
import { rulesOf, sourceScope } from './selection.js';
import { TAG } from './tags.js';

/**
 * A snapshot whose point in time lies after `now` (made by a simulated run with a later clock, or by a
 * clock ahead) has age 0 and `inFutureHours` set: never a negative age.
 */
export function snapshotAge(snapshot: SnapshotInfo, now: Date): SnapshotAge {
  const at = pointInTimeOf(snapshot);
  const hours = ageHours(snapshot, now) ?? Number.NaN;
  return {
    id: snapshot.id,
    region: snapshot.region,
    status: snapshot.status,
    pointInTime: at === undefined ? '' : at.toISOString(),
    ageHours: Math.max(hours, 0),
    ...(hours < 0 ? { inFutureHours: -hours } : {}),
  };
}

function groupByCluster(snapshots: readonly SnapshotInfo[]): Map<string, SnapshotInfo[]> {
  const groups = new Map<string, SnapshotInfo[]>();
  for (const snapshot of snapshots) {
    const clusterId = sourceClusterOf(snapshot);
    const list = groups.get(clusterId);
    if (list) list.push(snapshot);
    else groups.set(clusterId, [snapshot]);
  }
  return groups;
}

/**
 * Clusters are those that match the pattern, plus deleted ones whose backups remain. The latest
 * snapshot is the latest backup in any state; the latest copy is the latest *available* DR copy, since
 * only that one can be restored.
 */
export function statusReport(
  obs: SourceObservation,
  config: SourceConfig,
  kept?: readonly KeptSnapshot[] | undefined,
): StatusReport {
  const scope = sourceScope(obs.clusters, rulesOf(config));
  const matches = scope.owns;
  const backups = groupByCluster(
    obs.snapshots.filter((s) => isManual(s) && isToolBackup(s) && matches(sourceClusterOf(s))),
  );
  const copies = groupByCluster(
    obs.destinationSnapshots.filter(
      (s) =>
        isManual(s) &&
        isCopiedByTool(s) &&
        (s.tags[TAG.SourceRegion] ?? obs.region) === obs.region &&
        matches(sourceClusterOf(s)),
    ),
  );
  // With copies in another region, a restore after the loss of this region starts from the newest copy;
  // without, from the newest available backup here.
  const copiesElsewhere =
    config.ShareSnapshots &&
    config.DestinationRegion !== undefined &&
    config.DestinationRegion !== config.Region;
  const ids = new Set<string>(scope.selected.map((c) => c.id));
  for (const id of backups.keys()) ids.add(id);
  const clusters: ClusterStatus[] = [...ids].sort().map((clusterId) => {
    const own = backups.get(clusterId) ?? [];
    const drCopies = copies.get(clusterId) ?? [];
    // A backup with no known time is still reported when it is the only one.
    const latest = newestOf(own) ?? own[0];
    const latestCopy = newestOf(drCopies.filter(isAvailable));
    const recoveryPoint = copiesElsewhere ? latestCopy : newestOf(own.filter(isAvailable));
    return {
      clusterId,
      region: obs.region,
      latestSnapshot: latest === undefined ? undefined : snapshotAge(latest, obs.now),
      latestCopy: latestCopy === undefined ? undefined : snapshotAge(latestCopy, obs.now),
      recoveryPoint: recoveryPoint === undefined ? undefined : snapshotAge(recoveryPoint, obs.now),
      snapshotCount: own.length,
      copyCount: drCopies.length,
      ...(kept === undefined ? {} : { kept: kept.filter((k) => k.clusterId === clusterId) }),
    };
  });
  // Without DestinationRegion the comparison holds and the region is that undefined.
  const destinationRegion = config.DestinationRegion !== config.Region ? config.DestinationRegion : undefined;
  return {
    at: obs.now.toISOString(),
    region: obs.region,
    destinationRegion,
    clusters,
    manualSnapshotCount: obs.snapshots.filter(isManual).length,
    manualSnapshotQuota: obs.manualSnapshotQuota,
  };
}
