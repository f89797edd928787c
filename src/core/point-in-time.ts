/**
 * The point in time of a snapshot's data and its age: from the `SnapshotTool:PointInTime` tag, else
 * SnapshotCreateTime (snapshots of the original tool). Never from names: the original parsed names and
 * a cross-region copy's create time is the time of the copy, not of the data.
 */
import type { SnapshotInfo } from './model.js';
import { TAG } from './tags.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The point in time of the snapshot's data, undefined when neither the tag nor a create time says. */
export function pointInTimeOf(snapshot: SnapshotInfo): Date | undefined {
  const tagged = snapshot.tags[TAG.PointInTime];
  if (tagged !== undefined) {
    const ms = Date.parse(tagged);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  return snapshot.createTime;
}

/** Milliseconds since the snapshot's point in time (negative when it lies in the future). */
export function ageMs(snapshot: SnapshotInfo, now: Date): number | undefined {
  const at = pointInTimeOf(snapshot);
  return at === undefined ? undefined : now.getTime() - at.getTime();
}

export function ageHours(snapshot: SnapshotInfo, now: Date): number | undefined {
  const ms = ageMs(snapshot, now);
  return ms === undefined ? undefined : ms / HOUR_MS;
}

export function hoursToMs(hours: number): number {
  return hours * HOUR_MS;
}

export function daysToMs(days: number): number {
  return days * DAY_MS;
}

/** Orders snapshots by point in time, newest first; those without one go last, ties by id. */
export function newestFirst(a: SnapshotInfo, b: SnapshotInfo): number {
  const ta = pointInTimeOf(a)?.getTime();
  const tb = pointInTimeOf(b)?.getTime();
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    return tb - ta;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Hours rounded for messages. */
export function formatHours(hours: number): string {
  return `${Math.round(hours * 10) / 10}h`;
}
