/**
 * Retention, the one policy both planners call: which of the tool's snapshots to delete and why each other
 * one is kept. Only manual, available snapshots that carry the role's tag are considered. A snapshot is kept
 * when any rule keeps it (within RetentionDays, KeepLast, KeepDaily/Weekly/Monthly/Yearly in ScheduleTimezone,
 * see retention-rules.ts); of the rest, never the newest available snapshot of a group (backups must not vanish
 * when taking stops), never one a hold protects (DR work in progress); oldest first, at most MaxDeletesPerPass.
 */
import type { SnapshotInfo } from '../model/model.js';
import { compareIds } from '../model/order.js';
import { isAvailable, isManual } from '../model/snapshot-kind.js';
import type { KeptSnapshot, Note } from '../plan/plan.js';
import type { RetentionRules } from './backup-policy.js';
import { daysToMs, timeOf } from './point-in-time.js';
import {
  type Dated,
  type Keep,
  type KeepRule,
  keepLast,
  keepPeriods,
  keepWithinDays,
} from './retention-rules.js';
import { UTC_ZONE } from './zone.js';

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

/** The keep rules beside RetentionDays; each 0 (or absent) is off. */
export interface KeepPolicy {
  readonly keepLast?: number | undefined;
  readonly keepDaily?: number | undefined;
  readonly keepWeekly?: number | undefined;
  readonly keepMonthly?: number | undefined;
  readonly keepYearly?: number | undefined;
  /** IANA zone of the days, weeks, months and years. @default UTC */
  readonly timeZone?: string | undefined;
}

/** The keep rules of one side's RetentionRules, in retention's terms (RetentionDays goes on its own). */
export function keepPolicyOf(rules: RetentionRules): KeepPolicy {
  return {
    keepLast: rules.KeepLast,
    keepDaily: rules.KeepDaily,
    keepWeekly: rules.KeepWeekly,
    keepMonthly: rules.KeepMonthly,
    keepYearly: rules.KeepYearly,
    timeZone: rules.ScheduleTimezone,
  };
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
  /** KeepLast and the GFS rules; RetentionDays alone when absent. */
  readonly policy?: KeepPolicy | undefined;
}

export interface RetentionDelete {
  readonly snapshot: SnapshotInfo;
  readonly ageDays: number;
  readonly reason: string;
}

/** A snapshot retention keeps, with every reason and when the policy would let it go. */
export interface RetentionKeep {
  readonly snapshot: SnapshotInfo;
  /** `within RetentionDays (7)`, `monthly 2026-11`, `last 3 (1 of 3)`, `newest`, or a hold's message. */
  readonly reasons: readonly string[];
  /**
   * When the rules that keep it stop keeping it, if the schedule goes on (ISO-8601). Absent while it is kept
   * as the newest, by a hold, or by KeepLast alone (those end with events, not dates).
   */
  readonly expiresAt?: string | undefined;
}

export interface RetentionDecision {
  readonly deletes: readonly RetentionDelete[];
  readonly notes: readonly Note[];
  /** Every considered snapshot that is not deleted in this pass, with why. */
  readonly kept: readonly RetentionKeep[];
}

/** The rules a policy composes: RetentionDays always, the others when their count is above 0. */
export function keepRules(retentionDays: number, policy: KeepPolicy = {}): KeepRule[] {
  const zone = policy.timeZone ?? UTC_ZONE;
  const rules: KeepRule[] = [keepWithinDays(retentionDays)];
  if ((policy.keepLast ?? 0) > 0) rules.push(keepLast(policy.keepLast as number));
  if ((policy.keepDaily ?? 0) > 0) rules.push(keepPeriods('daily', policy.keepDaily as number, zone));
  if ((policy.keepWeekly ?? 0) > 0) rules.push(keepPeriods('weekly', policy.keepWeekly as number, zone));
  if ((policy.keepMonthly ?? 0) > 0) rules.push(keepPeriods('monthly', policy.keepMonthly as number, zone));
  if ((policy.keepYearly ?? 0) > 0) rules.push(keepPeriods('yearly', policy.keepYearly as number, zone));
  return rules;
}

/** Newest first; the same point in time falls back to the identifier, so every pass orders alike. */
function newestFirst(a: Dated, b: Dated): number {
  return b.time - a.time || compareIds(a.snapshot.id, b.snapshot.id);
}

/** What the rules keep in one group, merged: every reason, and the latest end a rule can tell. */
function applyRules(
  rules: readonly KeepRule[],
  group: readonly Dated[],
  now: number,
): Map<SnapshotInfo, Keep[]> {
  const merged = new Map<SnapshotInfo, Keep[]>();
  for (const rule of rules) {
    for (const [snapshot, keep] of rule(group, now)) {
      const list = merged.get(snapshot);
      if (list) list.push(keep);
      else merged.set(snapshot, [keep]);
    }
  }
  return merged;
}

/** The latest end a rule can tell (a KeepLast keep alone tells none): the policy keeps it at least until then. */
function expiryOf(keeps: readonly Keep[]): string | undefined {
  const ends = keeps.flatMap((keep) => (keep.expiresAt === undefined ? [] : [keep.expiresAt]));
  return ends.length === 0 ? undefined : new Date(Math.max(...ends)).toISOString();
}

export function decideRetention(input: RetentionInput): RetentionDecision {
  const { now, retentionDays } = input;
  const nowMs = now.getTime();
  const rules = keepRules(retentionDays, input.policy);
  // Each snapshot's group and time are computed once: retention runs over up to 100,000 snapshots.
  const eligible: { snapshot: SnapshotInfo; group: string; time: number | undefined }[] = [];
  const groups = new Map<string, Dated[]>();
  for (const snapshot of input.snapshots) {
    if (!(isManual(snapshot) && isAvailable(snapshot) && input.owned(snapshot))) continue;
    const time = timeOf(snapshot);
    const group = input.groupOf(snapshot);
    eligible.push({ snapshot, group, time });
    if (time === undefined) continue;
    const list = groups.get(group);
    if (list) list.push({ snapshot, time });
    else groups.set(group, [{ snapshot, time }]);
  }
  const newest = new Set<SnapshotInfo>();
  const byRule = new Map<SnapshotInfo, Keep[]>();
  for (const group of groups.values()) {
    group.sort(newestFirst);
    newest.add((group[0] as Dated).snapshot);
    for (const [snapshot, keeps] of applyRules(rules, group, nowMs)) byRule.set(snapshot, keeps);
  }
  const kept: RetentionKeep[] = [];
  const notes: Note[] = [];
  const candidates: { snapshot: SnapshotInfo; age: number }[] = [];
  // In the listing's order, so notes come out as they always did.
  for (const { snapshot, time } of eligible) {
    if (time === undefined) {
      kept.push({ snapshot, reasons: ['no known point in time'] });
      continue;
    }
    const keeps = byRule.get(snapshot);
    const isNewest = newest.has(snapshot);
    const clusterId = snapshot.clusterId;
    if (keeps !== undefined) {
      kept.push({
        snapshot,
        reasons: [...(isNewest ? ['newest'] : []), ...keeps.map((k) => k.reason)],
        expiresAt: isNewest ? undefined : expiryOf(keeps),
      });
      continue;
    }
    if (isNewest) {
      notes.push({
        level: 'info',
        code: 'kept-newest',
        message: `kept ${snapshot.id}: older than RetentionDays (${retentionDays}) but the newest available snapshot of its cluster`,
        clusterId,
        snapshotId: snapshot.id,
      });
      kept.push({ snapshot, reasons: ['newest'] });
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
      kept.push({ snapshot, reasons: [hold.message] });
      continue;
    }
    candidates.push({ snapshot, age: nowMs - time });
  }
  candidates.sort((a, b) => b.age - a.age || compareIds(a.snapshot.id, b.snapshot.id));
  const chosen = candidates.slice(0, input.maxDeletes);
  if (candidates.length > chosen.length) {
    notes.push({
      level: 'warn',
      code: 'delete-limit',
      message: `${candidates.length - chosen.length} more expired snapshot(s) left for later passes (MaxDeletesPerPass ${input.maxDeletes})`,
    });
    for (const { snapshot } of candidates.slice(chosen.length)) {
      kept.push({
        snapshot,
        reasons: [`expired, left for a later pass (MaxDeletesPerPass ${input.maxDeletes})`],
      });
    }
  }
  return {
    deletes: chosen.map(({ snapshot, age }) => {
      const ageDays = age / daysToMs(1);
      return {
        snapshot,
        ageDays,
        reason: `${Math.floor(ageDays * 10) / 10} days old, older than RetentionDays (${retentionDays})${rules.length > 1 ? ' and kept by no KeepLast/KeepDaily/KeepWeekly/KeepMonthly/KeepYearly rule' : ''}`,
      };
    }),
    notes,
    kept,
  };
}

/** The decision's kept snapshots as a plan reports them. */
export function keptSnapshots(
  decision: RetentionDecision,
  region: string,
  clusterOf: (snapshot: SnapshotInfo) => string,
): KeptSnapshot[] {
  return decision.kept.map(({ snapshot, reasons, expiresAt }) => ({
    region,
    clusterId: clusterOf(snapshot),
    snapshotId: snapshot.id,
    reasons,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  }));
}
