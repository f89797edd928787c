/**
 * The status report: per cluster, the latest backup and the latest DR copy (whose age is the recovery
 * point), counts, and the region's manual snapshots against the quota. Computed from one observation.
 */

import { copyRegionsOf } from '../copies/destinations.js';
import { type DestinationProgress, destinationProgress, fanOut, snapshotsIn } from '../copies/fan-out.js';
import { lastDrills } from '../drill/drill-progress.js';
import type { SnapshotInfo } from '../model/model.js';
import {
  isAvailable,
  isCopiedByTool,
  isManual,
  isToolBackup,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { TAG } from '../model/tags.js';
import type { BackupPolicy } from '../policy/backup-policy.js';
import { ageHours, newestOf, pointInTimeOf, timeOf } from '../policy/point-in-time.js';
import { rulesOf, sourceScope } from '../policy/selection.js';
import type {
  ClusterStatus,
  DestinationStatus,
  SnapshotAge,
  SourceObservation,
  StatusReport,
} from './observation.js';
import type { KeptSnapshot } from './plan.js';

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
  config: BackupPolicy,
  kept?: readonly KeptSnapshot[] | undefined,
): StatusReport {
  const scope = sourceScope(obs.clusters, rulesOf(config));
  const matches = scope.owns;
  const backups = groupByCluster(
    obs.snapshots.filter((s) => isManual(s) && isToolBackup(s) && matches(sourceClusterOf(s))),
  );
  const fan = fanOut(obs, config);
  const regions = copyRegionsOf(config);
  const copySnapshots = regions.flatMap((r) => snapshotsIn(obs, r));
  const copies = groupByCluster(
    copySnapshots.filter(
      (s) =>
        isManual(s) &&
        isCopiedByTool(s) &&
        (s.tags[TAG.SourceRegion] ?? obs.region) === obs.region &&
        matches(sourceClusterOf(s)),
    ),
  );
  // With copies in another region, a restore after the loss of this region starts from the newest copy;
  // without, from the newest available backup here.
  const copiesElsewhere = config.ShareSnapshots && regions.length > 0;
  const ids = new Set<string>(scope.selected.map((c) => c.id));
  for (const id of backups.keys()) ids.add(id);
  const clusters: ClusterStatus[] = [...ids].sort().map((clusterId) => {
    const own = backups.get(clusterId) ?? [];
    const drCopies = copies.get(clusterId) ?? [];
    // A backup with no known time is still reported when it is the only one.
    const latest = newestOf(own) ?? own[0];
    const latestCopy = newestOf(drCopies.filter(isAvailable));
    // With several regions, the recovery point is the oldest of each region's newest copy: every
    // destination region must meet the objective, so one that falls behind shows in the alarm.
    const recoveryPoint = !copiesElsewhere
      ? newestOf(own.filter(isAvailable))
      : worstOf(regions.map((r) => newestOf(drCopies.filter((c) => isAvailable(c) && c.region === r))));
    const progress = destinationProgress(obs, config, fan, clusterId, own);
    return {
      clusterId,
      region: obs.region,
      latestSnapshot: latest === undefined ? undefined : snapshotAge(latest, obs.now),
      latestCopy: latestCopy === undefined ? undefined : snapshotAge(latestCopy, obs.now),
      recoveryPoint: recoveryPoint === undefined ? undefined : snapshotAge(recoveryPoint, obs.now),
      snapshotCount: own.length,
      copyCount: drCopies.length,
      ...(progress.length === 0 ? {} : { destinations: progress.map((p) => destinationStatus(p, obs.now)) }),
      ...(kept === undefined ? {} : { kept: kept.filter((k) => k.clusterId === clusterId) }),
    };
  });
  // The one-item form's region, or the first region copies go to.
  const destinationRegion = regions[0];
  return {
    at: obs.now.toISOString(),
    region: obs.region,
    destinationRegion,
    ...(fan.targets.length === 0 ? {} : { destinations: fan.targets.map((t) => t.id) }),
    clusters,
    manualSnapshotCount: obs.snapshots.filter(isManual).length,
    manualSnapshotQuota: obs.manualSnapshotQuota,
  };
}

/** The oldest of the newest copies of each region; undefined when a region has none. */
function worstOf(newest: readonly (SnapshotInfo | undefined)[]): SnapshotInfo | undefined {
  let worst: SnapshotInfo | undefined;
  for (const snapshot of newest) {
    if (snapshot === undefined) return undefined;
    if (worst === undefined || (timeOf(snapshot) ?? 0) < (timeOf(worst) ?? 0)) worst = snapshot;
  }
  return worst;
}

function destinationStatus(progress: DestinationProgress, now: Date): DestinationStatus {
  const { target } = progress;
  return {
    id: target.id,
    kind: target.kind,
    region: target.region,
    ...(target.account === undefined ? {} : { account: target.account }),
    latestCopy: progress.newest === undefined ? undefined : snapshotAge(progress.newest, now),
    ...(progress.oldestMissing === undefined
      ? {}
      : { oldestMissing: snapshotAge(progress.oldestMissing, now) }),
    lagHours: Math.round(progress.lagHours * 1000) / 1000,
    lagging: progress.lagging,
  };
}

/**
 * The report with, per cluster, the restore time its last successful drill measured (SnapshotTool:
 * RestoreMinutes on the snapshot it restored, among `snapshots`): the RTO beside the recovery point. A
 * cluster no drill restored, or whose drill recorded no minutes, has none.
 */
export function withRestoreTimes(report: StatusReport, snapshots: readonly SnapshotInfo[]): StatusReport {
  const last = lastDrills(snapshots);
  return {
    ...report,
    clusters: report.clusters.map((cluster) => {
      const drill = last.get(cluster.clusterId);
      if (drill?.minutes === undefined) return cluster;
      return {
        ...cluster,
        restoreTime: {
          minutes: drill.minutes,
          drilledAt: drill.at,
          snapshotId: drill.snapshotId,
          region: drill.region,
        },
      };
    }),
  };
}
