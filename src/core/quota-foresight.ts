/**
 * Quota foresight: how many manual snapshots a policy keeps per cluster once it has run long enough (the steady
 * state), from a simulated history of the schedule through the due decision and the retention policy itself,
 * and whether every selected cluster's snapshots fit the account's manual snapshot quota in each region.
 */
import { decideDue } from './due.js';
import type { SnapshotInfo } from './model.js';
import type { Note } from './plan.js';
import { decideRetention, type KeepPolicy } from './retention.js';
import { runsBetween } from './schedule.js';
import { UTC_ZONE } from './zone.js';

const DAY_MS = 86_400_000;
/** The AWS default, when the account's own quota is not known (validate works offline). */
export const DEFAULT_MANUAL_SNAPSHOT_QUOTA = 100;

export interface Cadence {
  /** BackupSchedule (EventBridge cron, 6 fields). */
  readonly schedule: string;
  readonly intervalHours: number;
  readonly timeZone?: string | undefined;
}

export interface RetentionSettings extends KeepPolicy {
  readonly retentionDays: number;
}

/** Days of history after which the policy keeps nothing older: the longest rule, and a margin. */
function horizonDays(policy: RetentionSettings, cadence: Cadence): number {
  const lastHours = (policy.keepLast ?? 0) * cadence.intervalHours;
  // Stryker disable next-line ArithmeticOperator: equivalent, hours × 24 instead of ÷ 24 only lengthens the history simulated (the same counts, slower)
  const lastDays = Math.ceil(lastHours / 24);
  return (
    // Stryker disable next-line ArithmeticOperator: equivalent, the margin only lengthens the history before the last year sampled, which already holds all a rule keeps
    Math.max(
      policy.retentionDays,
      lastDays,
      policy.keepDaily ?? 0,
      (policy.keepWeekly ?? 0) * 7,
      (policy.keepMonthly ?? 0) * 31,
      (policy.keepYearly ?? 0) * 366,
    ) + 40
  );
}

/** The times the tool takes snapshots on the schedule, by the due decision, from `start` to `end`. */
export function takenTimes(cadence: Cadence, start: Date, end: Date): number[] {
  const zone = cadence.timeZone ?? UTC_ZONE;
  const taken: number[] = [];
  let latest: SnapshotInfo[] = [];
  for (const run of runsBetween(cadence.schedule, start, end, 1_000_000, zone)) {
    if (decideDue(latest, run, cadence.intervalHours, zone).due) {
      taken.push(run.getTime());
      latest = [synthetic(run.getTime(), taken.length)];
    }
  }
  return taken;
}

// Stryker disable StringLiteral,BooleanLiteral: equivalent, the due decision and retention read only the type, status and time of these snapshots (one group, unique times)
function synthetic(time: number, index: number): SnapshotInfo {
  return {
    id: `s${index}`,
    arn: `s${index}`,
    clusterId: 'c',
    region: 'r',
    accountId: 'a',
    type: 'manual',
    status: 'available',
    createTime: new Date(time),
    encrypted: false,
    kmsKeyId: undefined,
    // The create time is the point in time of a snapshot without the PointInTime tag.
    tags: {},
  };
}
// Stryker restore StringLiteral,BooleanLiteral

/**
 * The most snapshots of one cluster the policy keeps at once in steady state: the policy applied to a
 * simulated history right after thirteen passes four weeks apart over its last year.
 */
export function steadyStateCount(policy: RetentionSettings, cadence: Cadence): number {
  const days = horizonDays(policy, cadence) + 365;
  const start = new Date(Date.UTC(2030, 0, 1));
  const end = new Date(start.getTime() + days * DAY_MS);
  const snapshots = takenTimes(cadence, start, end).map((t, i) => synthetic(t, i));
  let most = 0;
  // Stryker disable next-line EqualityOperator: equivalent in effect, twelve samples four weeks apart already meet every phase of the year a rule's count depends on
  for (let k = 0; k <= 12; k++) {
    // Right after a pass: its snapshot is taken and the expired ones are gone, the most that is ever kept.
    const history = snapshots.filter(
      // Stryker disable next-line EqualityOperator: equivalent in effect, right after the pass at the cut or right after the one before it, as many are kept
      (s) => (s.createTime as Date).getTime() <= end.getTime() - k * 28 * DAY_MS,
    );
    const latest = history.at(-1);
    if (latest === undefined) continue;
    const now = (latest.createTime as Date).getTime();
    const decision = decideRetention({
      now: new Date(now),
      retentionDays: policy.retentionDays,
      maxDeletes: Number.MAX_SAFE_INTEGER,
      snapshots: history,
      owned: () => true,
      // Stryker disable next-line ArrowFunction,StringLiteral: equivalent, any constant puts the cluster's snapshots in one group
      groupOf: () => 'c',
      policy,
    });
    most = Math.max(most, history.length - decision.deletes.length);
  }
  return most;
}

export interface RegionForesight {
  readonly region: string;
  readonly side: 'source' | 'destination';
  /** Snapshots the policy keeps per cluster in steady state. */
  readonly perCluster: number;
  /** Clusters counted (undefined when not known, as in `validate`). */
  readonly clusters: number | undefined;
  /** perCluster × clusters (perCluster when the clusters are not known). */
  readonly total: number;
  readonly quota: number;
  /** Whole clusters that fit the quota. */
  readonly clustersThatFit: number;
  readonly exceeds: boolean;
}

export function regionForesight(input: {
  readonly region: string;
  readonly side: 'source' | 'destination';
  readonly policy: RetentionSettings;
  readonly cadence: Cadence;
  readonly clusters?: number | undefined;
  readonly quota?: number | undefined;
}): RegionForesight {
  const perCluster = steadyStateCount(input.policy, input.cadence);
  const quota = input.quota ?? DEFAULT_MANUAL_SNAPSHOT_QUOTA;
  const total = perCluster * (input.clusters ?? 1);
  return {
    region: input.region,
    side: input.side,
    perCluster,
    clusters: input.clusters,
    total,
    quota,
    clustersThatFit: perCluster === 0 ? Number.POSITIVE_INFINITY : Math.floor(quota / perCluster),
    exceeds: total > quota,
  };
}

/** A warning naming the numbers when the kept snapshots exceed the quota; an info line otherwise. */
export function foresightNote(f: RegionForesight): Note {
  const counted =
    f.clusters === undefined
      ? `${f.perCluster} manual snapshots per cluster`
      : `${f.perCluster} manual snapshots per cluster × ${f.clusters} cluster(s) = ${f.total}`;
  const fit = Number.isFinite(f.clustersThatFit) ? `; the quota fits ${f.clustersThatFit} cluster(s)` : '';
  return f.exceeds
    ? {
        level: 'warn',
        code: 'quota-foresight',
        message: `the ${f.side} policy keeps ${counted} in ${f.region} in steady state, more than the manual snapshot quota of ${f.quota}${fit}: lower the retention or ask AWS for a higher quota`,
      }
    : {
        level: 'info',
        code: 'quota-foresight',
        message: `the ${f.side} policy keeps ${counted} in ${f.region} in steady state, within the manual snapshot quota of ${f.quota}${fit}`,
      };
}
