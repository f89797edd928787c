/** How long a restore of a cluster is expected to take, from the minutes its past drills recorded on its snapshots. */
import type { SnapshotInfo } from '../model/model.js';
import { sourceClusterOf } from '../model/snapshot-kind.js';
import { recordedMinutes } from '../model/tags.js';
import { drilledAt } from './restore-choice.js';

export type ExpectedTime =
  | {
      readonly known: true;
      /** The minutes of the most recent drill of the cluster. */
      readonly minutes: number;
      readonly drills: number;
      readonly lowest: number;
      readonly highest: number;
      readonly text: string;
    }
  | { readonly known: false; readonly text: string };

/**
 * From the `SnapshotTool:RestoreMinutes` tags of the cluster's snapshots (each records the last successful
 * drill of that snapshot): the most recent drill's minutes, with the range of all. A drill restores one
 * instance; a restore creates its instances together, so the cluster's own time is the better guide.
 */
export function expectedRestoreTime(snapshots: readonly SnapshotInfo[], clusterId: string): ExpectedTime {
  const drills = snapshots
    .filter((s) => sourceClusterOf(s) === clusterId)
    .map((s) => ({ at: drilledAt(s), minutes: recordedMinutes(s.tags) }))
    .filter((d): d is { at: Date; minutes: number } => d.at !== undefined && d.minutes !== undefined)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const last = drills[0];
  if (last === undefined) {
    return {
      known: false,
      text: `unknown: no drill of ${clusterId} recorded its minutes on a snapshot in this region (run aurora-snapshot-tool drill)`,
    };
  }
  const all = drills.map((d) => d.minutes);
  const lowest = Math.min(...all);
  const highest = Math.max(...all);
  const range = drills.length > 1 ? `; ${drills.length} drills took ${lowest} to ${highest} minutes` : '';
  return {
    known: true,
    minutes: last.minutes,
    drills: drills.length,
    lowest,
    highest,
    text: `about ${last.minutes} minutes (the last drill of ${clusterId}, on ${last.at.toISOString()}${range})`,
  };
}
