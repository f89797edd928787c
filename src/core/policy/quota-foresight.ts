/**
 * Quota foresight: how many manual snapshots a policy keeps per cluster once it has run long enough (the steady
 * state), from a simulated history of the schedule through the due decision and the retention policy itself,
 * and whether every selected cluster's snapshots fit the account's manual snapshot quota in each region.
 */

import type { SnapshotInfo } from '../model/model.js';
import type { Note } from '../plan/plan.js';
import { decideDue } from './due.js';
import { decideRetention, type KeepPolicy } from './retention.js';
import { longestRunGap, runsBetween } from './schedule.js';
import { localDay, UTC_ZONE } from './zone.js';

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

/**
 * Days of history after which the policy keeps nothing older: the longest rule, and a margin. KeepLast's
 * snapshots lie at most BackupInterval plus the schedule's longest wait apart (a pass comes when the interval
 * has passed, or at the next run after that): 4 on a yearly schedule span years, not 4 intervals of a day.
 */
function horizonDays(policy: RetentionSettings, cadence: Cadence, start: Date): number {
  const wait = longestRunGap(cadence.schedule, start, cadence.timeZone)?.hours ?? 0;
  const lastHours = (policy.keepLast ?? 0) * (cadence.intervalHours + wait);
  const lastDays = Math.ceil(lastHours / 24);
  return (
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
      latest = [synthetic(run.getTime())];
    }
  }
  return taken;
}

/** A snapshot of the simulation: the due decision and retention read its type, status and time. */
function synthetic(time: number): SnapshotInfo {
  // Unique, as a region's snapshot ids are; the cluster, region and account are one group by `groupOf`.
  const id = String(time);
  return {
    id,
    arn: id,
    clusterId: id,
    region: id,
    accountId: id,
    type: 'manual',
    status: 'available',
    createTime: new Date(time),
    // Stryker disable next-line BooleanLiteral: equivalent, neither the due decision nor retention reads whether a snapshot is encrypted
    encrypted: false,
    kmsKeyId: undefined,
    // The create time is the point in time of a snapshot without the PointInTime tag.
    tags: {},
  };
}

/**
 * The most snapshots of one cluster the policy keeps at once in steady state: the schedule's passes
 * simulated as the tool runs them, taking snapshots and deleting what the policy lets go, over a history
 * long enough for every rule and then a whole year, so that every phase of the calendar (the ends of weeks,
 * months and years) is met; the most kept right after the last pass of any day.
 */
export function steadyStateCount(policy: RetentionSettings, cadence: Cadence): number {
  const start = new Date(Date.UTC(2030, 0, 1));
  const days = horizonDays(policy, cadence, start) + 366;
  const end = new Date(start.getTime() + days * DAY_MS);
  // Days of the policy's zone, the days its rules keep by: the last pass of a UTC day is not the last of a
  // local one (Tokyo's 22:00 is 13:00 UTC), and what the rules keep after a local day's last pass is the most.
  const takenByDay = new Map<string, SnapshotInfo[]>();
  for (const time of takenTimes(cadence, start, end)) {
    const day = localDay(time, policy.timeZone ?? UTC_ZONE);
    const taken = takenByDay.get(day) ?? [];
    takenByDay.set(day, [...taken, synthetic(time)]);
  }
  let kept: SnapshotInfo[] = [];
  let most = 0;
  // The policy once a day, after its last pass: a snapshot it lets go is never kept again, so what is left
  // is what a pass after every snapshot leaves, at a 24th of the cost of an hourly schedule's passes.
  for (const taken of takenByDay.values()) {
    const decision = decideRetention({
      now: (taken.at(-1) as SnapshotInfo).createTime as Date,
      retentionDays: policy.retentionDays,
      maxDeletes: Number.MAX_SAFE_INTEGER,
      snapshots: [...kept, ...taken],
      owned: () => true,
      // Stryker disable next-line StringLiteral: equivalent, any constant puts the cluster's snapshots in one group
      groupOf: () => 'c',
      policy,
    });
    kept = decision.kept.map((k) => k.snapshot);
    most = Math.max(most, kept.length);
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
