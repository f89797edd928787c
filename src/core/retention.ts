/**
 * Retention: which of the tool's snapshots to delete. Only manual, available snapshots that carry the
 * role's tag, are older than RetentionDays and are not held back; never the newest available snapshot of
 * a cluster (backups must not vanish when taking stops); oldest first, at most MaxDeletesPerPass.
 */
import type { SnapshotInfo } from './model.js';
import type { Note } from './plan.js';
import { daysToMs, timeOf } from './point-in-time.js';
import { isAvailable, isManual } from './roles.js';

/** The note of a pass that deletes nothing because DeleteOldSnapshots is FALSE (source and destination alike). */
export const DELETE_DISABLED_NOTE: Note = {
  level: 'info',
  code: 'delete-disabled',
  message: 'DeleteOldSnapshots is FALSE: nothing deleted',
};

export interface Hold {
  /** Note code, e.g. `kept-copy-pending`. */
  readonly code: string;
  readonly message: string;
}

export interface RetentionInput {
  readonly now: Date;
  readonly retentionDays: number;
  readonly maxDeletes: number;
  /** The snapshots of the region; only those `owned` are ever considered. */
  readonly snapshots: readonly SnapshotInfo[];
  /** The role's test: the tool's tag for this side, the pattern, the source filters. */
  readonly owned: (snapshot: SnapshotInfo) => boolean;
  /** The group within which the newest is kept (the cluster, and the purpose where it matters). */
  readonly groupOf: (snapshot: SnapshotInfo) => string;
  /** Why an expired snapshot must still be kept (DR work in progress), or undefined. */
  readonly hold?: ((snapshot: SnapshotInfo) => Hold | undefined) | undefined;
}

export interface RetentionDelete {
  readonly snapshot: SnapshotInfo;
  readonly ageDays: number;
  readonly reason: string;
}

export interface RetentionDecision {
  readonly deletes: readonly RetentionDelete[];
  readonly notes: readonly Note[];
}

export function decideRetention(input: RetentionInput): RetentionDecision {
  const { now, retentionDays } = input;
  // Each snapshot's group and time are computed once: retention runs over up to 100,000 snapshots.
  const eligible = input.snapshots
    .filter((s) => isManual(s) && isAvailable(s) && input.owned(s))
    .map((snapshot) => ({ snapshot, group: input.groupOf(snapshot), time: timeOf(snapshot) }));
  const newest = new Map<string, { snapshot: SnapshotInfo; time: number }>();
  for (const { snapshot, group, time } of eligible) {
    if (time === undefined) continue;
    const current = newest.get(group);
    if (
      current === undefined ||
      time > current.time ||
      // Stryker disable next-line EqualityOperator: equivalent, `<=` differs only for equal ids, which a listing of one region never holds
      (time === current.time && snapshot.id < current.snapshot.id)
    ) {
      newest.set(group, { snapshot, time });
    }
  }
  const notes: Note[] = [];
  const candidates: { snapshot: SnapshotInfo; age: number }[] = [];
  const limit = daysToMs(retentionDays);
  for (const { snapshot, group, time } of eligible) {
    if (time === undefined || now.getTime() - time <= limit) continue;
    const age = now.getTime() - time;
    const clusterId = snapshot.clusterId;
    // Every dated eligible snapshot's group has a newest (the loop above saw it).
    if (newest.get(group)!.snapshot === snapshot) {
      notes.push({
        level: 'info',
        code: 'kept-newest',
        message: `kept ${snapshot.id}: older than RetentionDays (${retentionDays}) but the newest available snapshot of its cluster`,
        clusterId,
        snapshotId: snapshot.id,
      });
      continue;
    }
    const hold = input.hold?.(snapshot);
    if (hold) {
      notes.push({
        level: 'info',
        code: hold.code,
        message: hold.message,
        clusterId,
        snapshotId: snapshot.id,
      });
      continue;
    }
    candidates.push({ snapshot, age });
  }
  // Stryker disable next-line EqualityOperator: equivalent, `<=` differs only for equal ids, which a listing of one region never holds
  candidates.sort((a, b) => b.age - a.age || (a.snapshot.id < b.snapshot.id ? -1 : 1));
  const chosen = candidates.slice(0, input.maxDeletes);
  if (candidates.length > chosen.length) {
    notes.push({
      level: 'warn',
      code: 'delete-limit',
      message: `${candidates.length - chosen.length} more expired snapshot(s) left for later passes (MaxDeletesPerPass ${input.maxDeletes})`,
    });
  }
  return {
    deletes: chosen.map(({ snapshot, age }) => {
      const ageDays = age / daysToMs(1);
      return {
        snapshot,
        ageDays,
        reason: `${Math.floor(ageDays * 10) / 10} days old, older than RetentionDays (${retentionDays})`,
      };
    }),
    notes,
  };
}
