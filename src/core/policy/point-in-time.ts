/**
 * The point in time of a snapshot's data and its age: from the `SnapshotTool:PointInTime` tag, else
 * SnapshotCreateTime (snapshots of the original tool). Not from names for the account's own snapshots,
 * whose tags are visible: the original parsed names and skipped slots. A snapshot another account shared
 * comes without its tags (AWS returns them only to the owner): shared-origin.ts reads its name's time.
 */
import type { SnapshotInfo } from '../model/model.js';
import { compareIds } from '../model/order.js';
import { TAG } from '../model/tags.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Milliseconds of the snapshot's point in time, undefined when unknown. */
export function timeOf(snapshot: SnapshotInfo): number | undefined {
  const tagged = snapshot.tags[TAG.PointInTime];
  if (tagged !== undefined) {
    const ms = Date.parse(tagged);
    if (!Number.isNaN(ms)) return ms;
  }
  return snapshot.createTime?.getTime();
}

/** The point in time of the snapshot's data, undefined when neither the tag nor a create time says. */
export function pointInTimeOf(snapshot: SnapshotInfo): Date | undefined {
  const ms = timeOf(snapshot);
  return ms === undefined ? undefined : new Date(ms);
}

/** Milliseconds since the snapshot's point in time (negative when it lies in the future). */
export function ageMs(snapshot: SnapshotInfo, now: Date): number | undefined {
  const ms = timeOf(snapshot);
  return ms === undefined ? undefined : now.getTime() - ms;
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
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    return tb - ta;
  }
  return compareIds(a.id, b.id);
}

/**
 * The same order as `newestFirst`, computing each point in time once: planning sorts up to 100,000
 * snapshots, and parsing tags inside the comparator dominated a pass.
 */
export function sortNewestFirst<T extends SnapshotInfo>(snapshots: readonly T[]): T[] {
  const NONE = Number.NEGATIVE_INFINITY;
  return snapshots
    .map((snapshot) => ({ snapshot, time: timeOf(snapshot) ?? NONE }))
    .sort((a, b) => b.time - a.time || compareIds(a.snapshot.id, b.snapshot.id))
    .map((entry) => entry.snapshot);
}

/** The newest snapshot with a known point in time, in one pass (ties go to the smaller id). */
export function newestOf<T extends SnapshotInfo>(snapshots: readonly T[]): T | undefined {
  let best: { snapshot: T; time: number } | undefined;
  for (const snapshot of snapshots) {
    const time = timeOf(snapshot);
    if (time === undefined) continue;
    if (
      best === undefined ||
      time > best.time ||
      (time === best.time && compareIds(snapshot.id, best.snapshot.id) === -1)
    ) {
      best = { snapshot, time };
    }
  }
  return best?.snapshot;
}

/** Hours rounded for messages. */
export function formatHours(hours: number): string {
  return `${Math.round(hours * 10) / 10}h`;
}
