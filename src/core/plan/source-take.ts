/** The source planner's take decision (pure): which selected clusters get a snapshot this pass, and under what name and tags. */

import type { ClusterInfo, SnapshotInfo, Tags } from '../model/model.js';
import { createdOn, snapshotName } from '../model/naming.js';
import { compareIds } from '../model/order.js';
import { sourceClusterOf } from '../model/snapshot-kind.js';
import { TAG, TOOL_TAG_VALUE } from '../model/tags.js';
import type { BackupPolicy } from '../policy/backup-policy.js';
import { decideDue, dueToleranceMs } from '../policy/due.js';
import { slotOf } from '../policy/schedule.js';
import type { Note } from './plan.js';
import type { SourceContext, TakeAction } from './source-context.js';

/** The tags of a snapshot the tool takes: the original's, ours, and the configured ones (ours win). */
export function takeTags(config: BackupPolicy, clusterId: string, accountId: string, now: Date): Tags {
  return {
    ...config.Tags,
    [TAG.CreatedBy]: TOOL_TAG_VALUE,
    [TAG.CreatedOn]: createdOn(now),
    ...(config.ShareSnapshots ? { [TAG.ShareAndCopy]: 'YES' } : {}),
    [TAG.PointInTime]: now.toISOString(),
    [TAG.SourceCluster]: clusterId,
    [TAG.SourceRegion]: config.Region,
    [TAG.SourceAccount]: accountId,
    [TAG.Purpose]: 'backup',
  };
}

/** The snapshots to take: one per selected cluster whose backup is due, each with its reason. */
export function planTakes(ctx: SourceContext): {
  readonly takes: readonly TakeAction[];
  readonly notes: readonly Note[];
} {
  const notes: Note[] = [];
  const { obs, config } = ctx;
  const byCluster = new Map<string, SnapshotInfo[]>();
  for (const backup of ctx.backups) {
    const clusterId = sourceClusterOf(backup);
    const list = byCluster.get(clusterId);
    if (list) list.push(backup);
    else byCluster.set(clusterId, [backup]);
  }
  const existing = new Set(obs.snapshots.map((s) => s.id));
  const clusters = [...ctx.scope.selected].sort(byId);
  for (const { cluster, code, reason } of [...ctx.scope.leftOut].sort((a, b) => byId(a.cluster, b.cluster))) {
    notes.push({ level: 'info', code, message: reason, clusterId: cluster.id });
  }
  if (clusters.length === 0) {
    notes.push({
      level: 'warn',
      code: 'no-cluster',
      message:
        ctx.scope.leftOut.length === 0
          ? `ClusterNamePattern ${JSON.stringify(config.ClusterNamePattern)} matches no cluster in ${obs.region}`
          : `ClusterNamePattern ${JSON.stringify(config.ClusterNamePattern)} matches no cluster in ${obs.region} that is selected (${ctx.scope.leftOut.length} left out, see the notes)`,
    });
  }
  const slot = slotOf(
    config.BackupSchedule,
    obs.now,
    dueToleranceMs(config.BackupInterval),
    config.ScheduleTimezone,
  );
  const takes: TakeAction[] = [];
  for (const cluster of clusters) {
    if (cluster.status !== 'available') {
      notes.push({
        level: 'warn',
        code: 'cluster-not-available',
        message: `cluster ${cluster.id} is ${cluster.status}: no snapshot taken this pass`,
        clusterId: cluster.id,
      });
      continue;
    }
    const decision = decideDue(
      byCluster.get(cluster.id) ?? [],
      obs.now,
      config.BackupInterval,
      config.ScheduleTimezone,
    );
    if (!decision.due) {
      notes.push({
        level: 'info',
        code: decision.code,
        message: decision.reason,
        clusterId: cluster.id,
        snapshotId: decision.latest?.id,
      });
      continue;
    }
    // Named after the scheduled firing, not the clock's minute: two passes of one slot (a repeated
    // delivery, a manual run beside the scheduled one) choose the same name, and RDS keeps only one.
    const snapshotId = snapshotName(cluster.id, slot ?? obs.now);
    if (existing.has(snapshotId)) {
      notes.push({
        level: 'warn',
        code: 'name-taken',
        message: `a snapshot named ${snapshotId} already exists and is not a usable backup of ${cluster.id}; the next pass retries under a new name`,
        clusterId: cluster.id,
        snapshotId,
      });
      continue;
    }
    takes.push({
      kind: 'take',
      region: obs.region,
      clusterId: cluster.id,
      snapshotId,
      tags: takeTags(config, cluster.id, obs.accountId, obs.now),
      reason: decision.reason,
    });
  }
  return { takes, notes };
}

/** Cluster identifiers are unique in a region. */
function byId(a: ClusterInfo, b: ClusterInfo): number {
  return compareIds(a.id, b.id);
}
