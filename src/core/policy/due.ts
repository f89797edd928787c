/**
 * The due decision: take a snapshot of a cluster when the latest snapshot the tool took of it is older
 * than BackupInterval, less a tolerance so that a schedule firing every BackupInterval never skips a
 * slot because the previous pass ran a few seconds late. In a time zone with daylight saving the age is
 * the larger of the elapsed time and the hours the local wall clock shows: a daily run after the spring
 * change comes 23 hours after the previous one, yet a day later on the wall, so it still takes one.
 */
import type { SnapshotInfo } from '../model/model.js';
import { isFailedStatus, isInProgressStatus } from '../model/snapshot-kind.js';
import { ageMs, hoursToMs, newestOf } from './point-in-time.js';
import { UTC_ZONE, wallClock } from './zone.js';

/** 10% of the interval, at most 30 minutes. */
export const DUE_TOLERANCE_FRACTION = 0.1;
export const DUE_TOLERANCE_MAX_MS = 30 * 60_000;

export function dueToleranceMs(intervalHours: number): number {
  return Math.min(hoursToMs(intervalHours) * DUE_TOLERANCE_FRACTION, DUE_TOLERANCE_MAX_MS);
}

export type DueCode = 'first' | 'due' | 'not-due' | 'in-progress';

export interface DueDecision {
  readonly due: boolean;
  readonly code: DueCode;
  readonly reason: string;
  /** The latest backup the decision is based on. */
  readonly latest?: SnapshotInfo | undefined;
  /** Its age in milliseconds. */
  readonly ageMs?: number | undefined;
}

/**
 * Decides for one cluster from the tool's backups of that cluster (any state). Failed ones do not
 * count; one in progress means not due (a second would duplicate it); backups with no known point in
 * time are ignored.
 */
export function decideDue(
  backups: readonly SnapshotInfo[],
  now: Date,
  intervalHours: number,
  zone: string = UTC_ZONE,
): DueDecision {
  const live = backups.filter((s) => !isFailedStatus(s.status));
  const inProgress = live.find((s) => isInProgressStatus(s.status));
  if (inProgress) {
    return {
      due: false,
      code: 'in-progress',
      reason: `snapshot ${inProgress.id} is still ${inProgress.status}`,
      latest: inProgress,
    };
  }
  const latest = newestOf(live);
  if (latest === undefined) {
    return { due: true, code: 'first', reason: 'no snapshot taken by the tool yet' };
  }
  const elapsed = ageMs(latest, now) as number;
  // The wall-clock hours when more than the elapsed ones (24 across a spring-forward day's 23; in UTC equal).
  const age = Math.max(elapsed, wallClock(now.getTime(), zone) - wallClock(now.getTime() - elapsed, zone));
  const threshold = hoursToMs(intervalHours) - dueToleranceMs(intervalHours);
  const hours = Math.round((age / 3_600_000) * 10) / 10;
  if (age < 0) {
    return {
      due: false,
      code: 'not-due',
      reason: `latest snapshot ${latest.id} has a point in time in the future (${-hours}h after now, from a simulated run or a clock ahead): not due`,
      latest,
      ageMs: age,
    };
  }
  if (age >= threshold) {
    return {
      due: true,
      code: 'due',
      reason: `latest snapshot ${latest.id} is ${hours}h old (BackupInterval ${intervalHours}h)`,
      latest,
      ageMs: age,
    };
  }
  return {
    due: false,
    code: 'not-due',
    reason: `latest snapshot ${latest.id} is ${hours}h old, younger than BackupInterval ${intervalHours}h`,
    latest,
    ageMs: age,
  };
}
