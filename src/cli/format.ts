/** Human-readable rendering of plans, pass results and status for the terminal. */

import type { DrillStatusReport } from '../core/drill/index.js';
import type { ClusterStatus } from '../core/plan/observation.js';
import type { SnapshotAge, StatusReport } from '../core/plan/pass.js';
import type { Action, ActionResult, KeptSnapshot, Plan } from '../core/plan/plan.js';
import { formatHours } from '../core/policy/point-in-time.js';

export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'take':
      return `take    ${action.region} ${action.snapshotId} of ${action.clusterId}`;
    case 'copy':
      return `copy    ${action.sourceRegion} -> ${action.targetRegion} ${action.targetId} (${action.purpose}${action.kmsKeyId ? `, key ${action.kmsKeyId}` : ''})`;
    case 'share':
      return `share   ${action.region} ${action.snapshotId} with ${action.accountId}`;
    case 'delete':
      return `delete  ${action.region} ${action.snapshotId}`;
  }
}

export function formatPlan(title: string, plan: Plan): string[] {
  const lines = [
    `${title}: ${plan.actions.length === 0 ? 'nothing to do' : `${plan.actions.length} action(s)`}`,
  ];
  for (const action of plan.actions)
    lines.push(`  ${describeAction(action)}${forDestinations(action)}\n          why: ${action.reason}`);
  for (const note of plan.notes)
    lines.push(
      `  ${note.level === 'warn' ? 'warning' : 'note'}: ${note.destinations ? `[${note.destinations.join(', ')}] ` : ''}${note.message}`,
    );
  for (const kept of plan.kept ?? []) lines.push(`  ${describeKept(kept)}`);
  return lines;
}

/** `keep    us-east-1 orders-2026-11-30-01-00: monthly 2026-11, daily 2026-11-30 (until 2027-11-01T00:00:00.000Z)` */
export function describeKept(kept: KeptSnapshot): string {
  const until = kept.expiresAt === undefined ? '' : ` (until ${kept.expiresAt})`;
  return `keep    ${kept.region} ${kept.snapshotId}: ${kept.reasons.join(', ')}${until}`;
}

export function formatResults(results: readonly ActionResult[]): string[] {
  return results.map((r) =>
    r.ok
      ? `  done    ${describeAction(r.action)}${forDestinations(r.action)}`
      : `  FAILED  ${describeAction(r.action)}${forDestinations(r.action)}: ${r.error}: ${r.message}`,
  );
}

/** ` (for eu-west-1, 123456789012@eu-west-1)`: the destinations a copy or share works for, when named. */
function forDestinations(action: Action): string {
  if (action.kind !== 'copy' && action.kind !== 'share') return '';
  return action.destinations === undefined ? '' : ` (for ${action.destinations.join(', ')})`;
}

function duration(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)}m`;
  if (hours < 48) return `${hours.toFixed(1)}h`;
  return `${(hours / 24).toFixed(1)}d`;
}

/** `5.0h old`, or for a point in time after now, `in the future: 2026-01-31 08:00 UTC, 16.1d from now`. */
function ageOf(snapshot: SnapshotAge, label: string): string {
  if (snapshot.inFutureHours !== undefined) {
    const at = snapshot.pointInTime.slice(0, 16).replace('T', ' ');
    return `in the future: ${at} UTC, ${duration(snapshot.inFutureHours)} from now`;
  }
  return label === 'old' ? `${duration(snapshot.ageHours)} old` : `${label} ${duration(snapshot.ageHours)}`;
}

/** The recovery point (the data a restore now would lose) beside the restore time the last drill measured. */
function recoveryText(c: ClusterStatus): string {
  const point = c.recoveryPoint
    ? `point ${c.recoveryPoint.id} (${ageOf(c.recoveryPoint, 'old')})`
    : 'no recovery point yet';
  const time = c.restoreTime
    ? `restore time ${c.restoreTime.minutes} min (last drill ${c.restoreTime.drilledAt.slice(0, 16).replace('T', ' ')} UTC, ${c.restoreTime.snapshotId} in ${c.restoreTime.region})`
    : 'restore time not measured (no successful restore drill recorded)';
  return `${point}; ${time}`;
}

export function formatStatus(report: StatusReport, clusterNamePattern?: string): string[] {
  const lines = [
    `Status at ${report.at} — ${report.region}${
      (report.destinations?.length ?? 0) > 1
        ? ` -> ${report.destinations?.join(', ')}`
        : report.destinationRegion
          ? ` -> ${report.destinationRegion}`
          : ''
    }`,
    `Manual cluster snapshots: ${report.manualSnapshotCount} of ${report.manualSnapshotQuota} (quota)`,
  ];
  if (report.clusters.length === 0) {
    lines.push(
      clusterNamePattern === undefined
        ? `No cluster in ${report.region} matches ClusterNamePattern.`
        : `No cluster in ${report.region} matches ClusterNamePattern ${JSON.stringify(clusterNamePattern)}.`,
    );
  }
  for (const c of report.clusters) {
    const latest = c.latestSnapshot
      ? `${c.latestSnapshot.id} (${c.latestSnapshot.status}, ${ageOf(c.latestSnapshot, 'old')})`
      : 'none';
    const copy = c.latestCopy
      ? `${c.latestCopy.id} in ${c.latestCopy.region} (${c.latestCopy.status}, ${ageOf(c.latestCopy, 'recovery point')})`
      : report.destinationRegion
        ? 'none'
        : 'n/a';
    lines.push(`${c.clusterId}`);
    lines.push(`  latest snapshot: ${latest}; ${c.snapshotCount} kept`);
    lines.push(`  latest copy:     ${copy}; ${c.copyCount} kept`);
    lines.push(`  recovery:        ${recoveryText(c)}`);
    const destinations = c.destinations ?? [];
    for (const d of destinations) {
      // One destination is the line above; only its lag is added when it lags.
      if (destinations.length === 1 && !d.lagging) continue;
      const newest = d.latestCopy
        ? `${d.latestCopy.id} (${d.latestCopy.status}, ${ageOf(d.latestCopy, 'recovery point')})`
        : 'none';
      const lag = d.lagging
        ? ` — LAGGING: ${d.oldestMissing?.id ?? 'a backup'} not received for ${duration(d.lagHours)} (over MaxWaitMinutes)`
        : '';
      lines.push(`  destination ${d.id}: ${newest}${lag}`);
    }
    for (const kept of c.kept ?? []) lines.push(`  ${describeKept(kept)}`);
  }
  const ahead = report.clusters
    .flatMap((c) => [c.latestSnapshot, c.latestCopy, ...(c.destinations ?? []).map((d) => d.latestCopy)])
    .filter((s) => s?.inFutureHours !== undefined);
  if (ahead.length > 0) {
    lines.push(
      'note: a point in time after now comes from a simulated run with a later --now (or a clock ahead); such a snapshot counts as the newest.',
    );
  }
  return lines;
}

/** The restore drills of `status`: the last successful one per cluster, and a warning when overdue. */
export function formatDrillStatus(drills: DrillStatusReport): string[] {
  const lines = [
    `Restore drills in ${drills.region} (${drills.schedule}, every ${formatHours(drills.periodHours)}):`,
  ];
  if (drills.clusters.length === 0) lines.push("  no cluster matches the drill's SnapshotPattern");
  for (const c of drills.clusters) {
    const last = c.lastDrill;
    const text = last
      ? `last succeeded ${last.at} on ${last.snapshotId}${last.minutes === undefined ? '' : ` in ${last.minutes} min`}`
      : 'no successful drill recorded';
    lines.push(`  ${c.clusterId}: ${text}`);
    if (c.overdue) {
      lines.push(
        `  WARNING: ${c.clusterId} has no successful restore drill within ${formatHours(2 * drills.periodHours)} (2 x the drill period)`,
      );
    }
  }
  return lines;
}
