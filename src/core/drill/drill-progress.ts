/** How far a drill's restore has got, and the last successful drill per cluster (for the status report). */
import type { SnapshotInfo, Tags } from '../model/model.js';
import { compilePattern } from '../model/pattern.js';
import { sourceClusterOf } from '../model/snapshot-kind.js';
import { recordedMinutes, TAG } from '../model/tags.js';
import { runsBetween } from '../policy/schedule.js';
import type { DrillSettings } from './drill-choice.js';
import type { DrillTarget } from './drill-names.js';

/** States from which a restored cluster or its instance will not become available (the restore command reads them too). */
export const RESTORE_FAILED_STATES: ReadonlySet<string> = new Set([
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'restore-error',
  'storage-full',
  'deleting',
]);

export type DrillProgress =
  | { readonly state: 'available'; readonly minutes: number }
  | { readonly state: 'pending'; readonly minutes: number; readonly waitingFor: string }
  | { readonly state: 'failed'; readonly minutes: number; readonly reason: string }
  | { readonly state: 'timed-out'; readonly minutes: number; readonly reason: string };

/** Whole minutes from `startedAt` to `now`, at least 1 once anything has elapsed. */
export function elapsedMinutes(startedAt: Date, now: Date): number {
  return Math.max(0, Math.ceil((now.getTime() - startedAt.getTime()) / 60_000));
}

/** Where a drill's restore stands: both cluster and instance available, still coming, failed, or too slow. */
export function drillProgress(input: {
  readonly target: Pick<DrillTarget, 'drillClusterId' | 'drillInstanceId' | 'snapshotId'>;
  readonly clusterStatus: string | undefined;
  readonly instanceStatus: string | undefined;
  readonly startedAt: Date;
  readonly now: Date;
  readonly maxRestoreMinutes: number;
}): DrillProgress {
  const { target } = input;
  const minutes = elapsedMinutes(input.startedAt, input.now);
  const from = `restored from snapshot ${target.snapshotId}`;
  if (input.clusterStatus === undefined) {
    return { state: 'failed', minutes, reason: `cluster ${target.drillClusterId} (${from}) does not exist` };
  }
  if (RESTORE_FAILED_STATES.has(input.clusterStatus)) {
    return {
      state: 'failed',
      minutes,
      reason: `cluster ${target.drillClusterId} (${from}) is ${input.clusterStatus}`,
    };
  }
  if (input.instanceStatus === undefined) {
    return {
      state: 'failed',
      minutes,
      reason: `instance ${target.drillInstanceId} of the cluster ${from} does not exist`,
    };
  }
  if (RESTORE_FAILED_STATES.has(input.instanceStatus)) {
    return {
      state: 'failed',
      minutes,
      reason: `instance ${target.drillInstanceId} of the cluster ${from} is ${input.instanceStatus}`,
    };
  }
  if (input.clusterStatus === 'available' && input.instanceStatus === 'available') {
    return { state: 'available', minutes: Math.max(1, minutes) };
  }
  const waitingFor =
    input.clusterStatus !== 'available'
      ? `cluster ${target.drillClusterId} is ${input.clusterStatus}`
      : `instance ${target.drillInstanceId} is ${input.instanceStatus}`;
  if (minutes > input.maxRestoreMinutes) {
    return {
      state: 'timed-out',
      minutes,
      reason: `the restore of snapshot ${target.snapshotId} took more than MaxRestoreMinutes (${input.maxRestoreMinutes}): ${waitingFor} after ${minutes} minutes`,
    };
  }
  return { state: 'pending', minutes, waitingFor };
}

/** The tags a successful drill leaves on the snapshot it restored. */
export function verifiedTags(at: Date, minutes: number): Tags {
  return { [TAG.RestoreVerified]: at.toISOString(), [TAG.RestoreMinutes]: String(minutes) };
}

export interface LastDrill {
  readonly snapshotId: string;
  readonly region: string;
  /** ISO time of the drill. */
  readonly at: string;
  readonly minutes: number | undefined;
}

/** Per source cluster, the most recent successful drill recorded on its snapshots. */
export function lastDrills(snapshots: readonly SnapshotInfo[]): Map<string, LastDrill> {
  const last = new Map<string, LastDrill>();
  for (const snapshot of snapshots) {
    const at = snapshot.tags[TAG.RestoreVerified];
    if (at === undefined || Number.isNaN(Date.parse(at))) continue;
    const clusterId = sourceClusterOf(snapshot);
    const known = last.get(clusterId);
    if (known && Date.parse(known.at) >= Date.parse(at)) continue;
    last.set(clusterId, {
      snapshotId: snapshot.id,
      region: snapshot.region,
      at: new Date(at).toISOString(),
      minutes: recordedMinutes(snapshot.tags),
    });
  }
  return last;
}

/**
 * True when no drill succeeded within two drill periods: one missed drill is a late run, two mean the
 * drills stopped or keep failing.
 */
export function drillOverdue(last: LastDrill | undefined, now: Date, periodHours: number): boolean {
  if (last === undefined) return true;
  return now.getTime() - Date.parse(last.at) > 2 * periodHours * 3_600_000;
}

/**
 * Hours between two runs of the drill schedule: the longest gap among its next runs (a weekly drill is
 * 168), so "two periods" allows one missed drill whatever the schedule's shape.
 */
export function drillPeriodHours(schedule: string, now: Date): number {
  const runs = runsBetween(schedule, now, new Date(now.getTime() + 400 * 86_400_000), 60);
  let longest = 0;
  for (let i = 1; i < runs.length; i++) {
    longest = Math.max(longest, (runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime());
  }
  return longest === 0 ? 24 * 365 : longest / 3_600_000;
}

export interface ClusterDrillStatus {
  readonly clusterId: string;
  readonly lastDrill: LastDrill | undefined;
  /** No successful drill within two periods of the schedule. */
  readonly overdue: boolean;
}

export interface DrillStatusReport {
  readonly region: string;
  readonly schedule: string;
  readonly periodHours: number;
  readonly clusters: readonly ClusterDrillStatus[];
}

/**
 * Per cluster matching the drill's pattern (the clusters given, and those whose snapshots in the drill
 * region record a drill), the last successful drill and whether it is overdue.
 */
export function drillStatus(input: {
  readonly snapshots: readonly SnapshotInfo[];
  readonly clusterIds: readonly string[];
  readonly settings: Pick<DrillSettings, 'Region' | 'SnapshotPattern'> & { readonly Schedule: string };
  readonly now: Date;
}): DrillStatusReport {
  const matches = compilePattern(input.settings.SnapshotPattern);
  const last = lastDrills(input.snapshots);
  const periodHours = drillPeriodHours(input.settings.Schedule, input.now);
  const ids = [...new Set([...input.clusterIds, ...last.keys()])].filter(matches).sort();
  return {
    region: input.settings.Region,
    schedule: input.settings.Schedule,
    periodHours,
    clusters: ids.map((clusterId) => {
      const lastDrill = last.get(clusterId);
      return { clusterId, lastDrill, overdue: drillOverdue(lastDrill, input.now, periodHours) };
    }),
  };
}
