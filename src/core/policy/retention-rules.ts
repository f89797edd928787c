/**
 * The keep rules of retention, each a small pure function over one group's snapshots (newest first): keep
 * everything within RetentionDays, the last N, and restic's "the newest snapshot of each of the N most recent
 * days / ISO weeks / calendar months / calendar years that have one", counted in ScheduleTimezone. Each
 * kept snapshot carries the rule that kept it and, when the rule can tell, when it stops keeping it.
 */
import type { SnapshotInfo } from '../model/model.js';
import { instantOfWallClock, localDay, localIsoWeek, localMonth, localYear, wallClock } from './zone.js';

const DAY_MS = 86_400_000;

export type KeepRuleName = 'within' | 'last' | 'daily' | 'weekly' | 'monthly' | 'yearly';

/** A snapshot with its point in time, as the rules read it. */
export interface Dated {
  readonly snapshot: SnapshotInfo;
  readonly time: number;
}

/** Why a rule keeps a snapshot. */
export interface Keep {
  readonly rule: KeepRuleName;
  /** e.g. `within RetentionDays (7)`, `monthly 2026-11`, `last 3 (2 of 3)`. */
  readonly reason: string;
  /**
   * When the rule stops keeping it if the schedule goes on (ms): RetentionDays after its point in time, or the
   * start of the period N periods later. Undefined for KeepLast, which depends on how many come after.
   */
  readonly expiresAt?: number | undefined;
}

/** A rule: the snapshots of one group it keeps (newest first in, keeps by snapshot out). */
export type KeepRule = (newestFirst: readonly Dated[], now: number) => Map<SnapshotInfo, Keep>;

/** RetentionDays: every snapshot at most `days` old. */
export function keepWithinDays(days: number): KeepRule {
  const limit = days * DAY_MS;
  return (newestFirst, now) => {
    const kept = new Map<SnapshotInfo, Keep>();
    for (const { snapshot, time } of newestFirst) {
      if (now - time > limit) break;
      kept.set(snapshot, {
        rule: 'within',
        reason: `within RetentionDays (${days})`,
        expiresAt: time + limit,
      });
    }
    return kept;
  };
}

/** KeepLast: the `n` newest. */
export function keepLast(n: number): KeepRule {
  return (newestFirst) => {
    const kept = new Map<SnapshotInfo, Keep>();
    newestFirst.slice(0, n).forEach(({ snapshot }, index) => {
      kept.set(snapshot, { rule: 'last', reason: `last ${n} (${index + 1} of ${n})` });
    });
    return kept;
  };
}

export type Period = 'daily' | 'weekly' | 'monthly' | 'yearly';

/** The period of a time in a zone, as its label (`2026-11-30`, `2026-W48`, `2026-11`, `2026`). */
export function periodOf(period: Period, time: number, zone: string): string {
  switch (period) {
    case 'daily':
      return localDay(time, zone);
    case 'weekly':
      return localIsoWeek(time, zone);
    case 'monthly':
      return localMonth(time, zone);
    case 'yearly':
      return localYear(time, zone);
  }
}

/** The instant the period `count` periods after the one holding `time` starts, in `zone`. */
export function periodStartAfter(period: Period, time: number, count: number, zone: string): number {
  const wall = new Date(wallClock(time, zone));
  const y = wall.getUTCFullYear();
  const m = wall.getUTCMonth();
  const d = wall.getUTCDate();
  let start: number;
  switch (period) {
    case 'daily':
      start = Date.UTC(y, m, d + count);
      break;
    case 'weekly': {
      const mondayOffset = (wall.getUTCDay() + 6) % 7;
      start = Date.UTC(y, m, d - mondayOffset + 7 * count);
      break;
    }
    case 'monthly':
      start = Date.UTC(y, m + count, 1);
      break;
    case 'yearly':
      start = Date.UTC(y + count, 0, 1);
      break;
  }
  // A zone that changes its clocks at midnight has no 00:00 that day: the period starts at 01:00.
  return instantOfWallClock(start, zone) ?? (instantOfWallClock(start + 3_600_000, zone) as number);
}

/**
 * A number that differs between two times exactly when their periods' labels do (the local day, the week
 * from Monday, the month or the year): comparing it costs no string, which a pass over 100,000 snapshots
 * would otherwise build per rule.
 */
export function periodKey(period: Period, time: number, zone: string): number {
  const day = Math.floor(wallClock(time, zone) / DAY_MS);
  switch (period) {
    case 'daily':
      return day;
    case 'weekly':
      // Day 0 (1970-01-01) was a Thursday: day + 3 counts from a Monday.
      return Math.floor((day + 3) / 7);
    case 'monthly': {
      const date = new Date(day * DAY_MS);
      const yearMonths = date.getUTCFullYear() * 12;
      // Stryker disable next-line ArithmeticOperator: equivalent, keys are only compared for equality, and year × 12 less the month (0-11) differs between any two months too
      return yearMonths + date.getUTCMonth();
    }
    case 'yearly':
      return new Date(day * DAY_MS).getUTCFullYear();
  }
}

/** restic's keep-daily/weekly/monthly/yearly: the newest snapshot of each of the `n` most recent periods that have one. */
export function keepPeriods(period: Period, n: number, zone: string): KeepRule {
  return (newestFirst) => {
    const kept = new Map<SnapshotInfo, Keep>();
    let last: number | undefined;
    for (const { snapshot, time } of newestFirst) {
      if (kept.size >= n) break;
      const key = periodKey(period, time, zone);
      if (key === last) continue;
      last = key;
      kept.set(snapshot, {
        rule: period,
        reason: `${period} ${periodOf(period, time, zone)}`,
        expiresAt: periodStartAfter(period, time, n, zone),
      });
    }
    return kept;
  };
}
