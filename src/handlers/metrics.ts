/**
 * The functions' CloudWatch metrics (Powertools Metrics, EMF, namespace AuroraSnapshotTool): what a
 * pass did per cluster, the age of each cluster's latest snapshot and of its recovery point (the
 * latest copy at the destination), and the manual snapshot count against the quota.
 */

import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type DestinationConfig, recoveryPointObjectiveHours, type SourceConfig } from '../config/schema.js';
import { backupPolicyOf, destinationPolicyOf } from '../config/to-core.js';
import { activeDestinations, destinationsOfAction } from '../core/copies/fan-out.js';
import { compilePattern } from '../core/model/pattern.js';
import { TAG, TOOL_TAG_VALUE } from '../core/model/tags.js';
import { isCopyOfSource } from '../core/plan/destination-planner.js';
import type {
  DestinationPassReport,
  DestinationPhase,
  SourcePassReport,
  SourcePhase,
} from '../core/plan/pass.js';
import type { ActionKind, ActionResult } from '../core/plan/plan.js';
import { pointInTimeOf } from '../core/policy/point-in-time.js';
import {
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  RECOVERY_POINT_ALARM,
  recoveryPointDimensions,
  type StackSide,
  worstRecoveryPointHours,
} from '../core/policy/recovery-point.js';

export { METRICS_NAMESPACE };

export type MetricName =
  | 'SnapshotsTaken'
  | 'CopiesStarted'
  | 'SnapshotsDeleted'
  | 'LatestSnapshotAgeHours'
  | typeof RECOVERY_POINT_ALARM.ageMetric
  | typeof RECOVERY_POINT_ALARM.objectiveMetric
  | 'ManualSnapshotCount'
  | 'RestoreDrillSucceeded'
  | 'RestoreMinutes'
  | 'DestinationRecoveryPointAgeHours'
  | 'DestinationLagHours'
  | 'DestinationFailedActions';

/** The dimension of the per-destination points: the destination's id (`eu-west-1`, `123456789012@eu-west-1`). */
export const DESTINATION_DIMENSION = 'Destination';

export interface MetricPoint {
  readonly name: MetricName;
  readonly value: number;
  readonly unit: 'Count' | 'None';
  /**
   * `ClusterId` for per-cluster metrics, `Region` for the region's snapshot count, `Stack` for the points
   * the stack's recovery-point alarm watches. Powertools adds `service` to each set (publishedDimensions).
   */
  readonly dimensions: Readonly<Record<string, string>>;
}

const COUNTED: Readonly<Record<string, { kind: ActionKind; metric: MetricName }>> = {
  take: { kind: 'take', metric: 'SnapshotsTaken' },
  share: { kind: 'copy', metric: 'CopiesStarted' },
  copy: { kind: 'copy', metric: 'CopiesStarted' },
  delete: { kind: 'delete', metric: 'SnapshotsDeleted' },
};

const HOUR_MS = 3_600_000;

function round(hours: number): number {
  return Math.round(hours * 1000) / 1000;
}

/**
 * Counts for the phases that ran (zero for a cluster where nothing happened, so dashboards show a
 * line rather than a gap), one per cluster.
 */
function phaseCounts(
  phases: readonly string[],
  clusters: readonly string[],
  results: readonly ActionResult[],
): MetricPoint[] {
  const points: MetricPoint[] = [];
  const seen = new Set<string>();
  for (const phase of phases) {
    const counted = COUNTED[phase];
    if (!counted || seen.has(counted.metric)) continue;
    seen.add(counted.metric);
    const perCluster = new Map<string, number>(clusters.map((id) => [id, 0]));
    for (const result of results) {
      if (!result.ok || result.action.kind !== counted.kind) continue;
      const id = result.action.clusterId;
      perCluster.set(id, (perCluster.get(id) ?? 0) + 1);
    }
    for (const [clusterId, value] of perCluster) {
      points.push({ name: counted.metric, value, unit: 'Count', dimensions: { ClusterId: clusterId } });
    }
  }
  return points;
}

/**
 * The points a stack's recovery-point alarm watches: the worst age over its clusters (left out when one
 * of them has no recovery point, which the alarm reads as breaching) and the objective of the run.
 */
function stackRecoveryPoints(
  side: StackSide,
  pattern: string,
  stack: string | undefined,
  ages: readonly (number | undefined)[],
  objectiveHours: number,
): MetricPoint[] {
  const dimensions = recoveryPointDimensions(side, pattern, stack);
  const points: MetricPoint[] = [
    { name: RECOVERY_POINT_ALARM.objectiveMetric, value: objectiveHours, unit: 'None', dimensions },
  ];
  const worst = worstRecoveryPointHours(ages);
  if (worst !== undefined) {
    points.unshift({ name: RECOVERY_POINT_ALARM.ageMetric, value: round(worst), unit: 'None', dimensions });
  }
  return points;
}

/**
 * Every source pass publishes the ages, so each run (whatever it did) feeds the recovery-point alarm of
 * `stack`, the stack whose state machine ran it.
 */
export function sourcePassMetrics(
  report: SourcePassReport,
  phases: readonly SourcePhase[],
  source: SourceConfig,
  stack?: string,
): MetricPoint[] {
  const clusters = report.status.clusters.map((cluster) => cluster.clusterId);
  const points = phaseCounts(phases, clusters, report.results);
  for (const cluster of report.status.clusters) {
    const dimensions = { ClusterId: cluster.clusterId };
    if (cluster.latestSnapshot) {
      points.push({
        name: 'LatestSnapshotAgeHours',
        value: round(cluster.latestSnapshot.ageHours),
        unit: 'None',
        dimensions,
      });
    }
    if (cluster.recoveryPoint) {
      points.push({
        name: RECOVERY_POINT_ALARM.ageMetric,
        value: round(cluster.recoveryPoint.ageHours),
        unit: 'None',
        dimensions,
      });
    }
  }
  const ages = report.status.clusters.map((cluster) => cluster.recoveryPoint?.ageHours);
  const perDestination = destinationPoints(report, phases, source);
  points.push(...perDestination.points);
  points.push(
    ...stackRecoveryPoints(
      'source',
      source.ClusterNamePattern,
      stack,
      // With several destinations each must meet the objective: a dead one sets the alarm off.
      perDestination.count > 1 ? [...ages, ...perDestination.ages] : ages,
      recoveryPointObjectiveHours(source),
    ),
  );
  points.push({
    name: 'ManualSnapshotCount',
    value: report.status.manualSnapshotCount,
    unit: 'Count',
    dimensions: { Region: report.status.region },
  });
  return points;
}

/**
 * Per destination (dimension Destination, see destinationsOf): the age of its newest copy or share per
 * cluster, its worst lag (hours the oldest backup it lacks has waited) and the actions of this pass that
 * failed for it, so a failing or lagging destination is named by the metrics and the alarm.
 */
function destinationPoints(
  report: SourcePassReport,
  phases: readonly SourcePhase[],
  source: SourceConfig,
): { points: MetricPoint[]; ages: (number | undefined)[]; count: number } {
  const targets = activeDestinations(backupPolicyOf(source));
  const points: MetricPoint[] = [];
  const ages: (number | undefined)[] = [];
  const failed = new Map<string, number>(targets.map((t) => [t.id, 0]));
  for (const result of report.results) {
    if (result.ok) continue;
    for (const id of destinationsOfAction(result.action, targets)) failed.set(id, (failed.get(id) ?? 0) + 1);
  }
  for (const target of targets) {
    const dimension = { [DESTINATION_DIMENSION]: target.id };
    let lag = 0;
    for (const cluster of report.status.clusters) {
      const status = cluster.destinations?.find((d) => d.id === target.id);
      if (status === undefined) continue;
      lag = Math.max(lag, status.lagHours);
      ages.push(status.latestCopy?.ageHours);
      if (status.latestCopy) {
        points.push({
          name: 'DestinationRecoveryPointAgeHours',
          value: round(status.latestCopy.ageHours),
          unit: 'None',
          dimensions: { ClusterId: cluster.clusterId, ...dimension },
        });
      }
    }
    points.push({ name: 'DestinationLagHours', value: round(lag), unit: 'None', dimensions: dimension });
    if (phases.includes('share')) {
      points.push({
        name: 'DestinationFailedActions',
        value: failed.get(target.id) ?? 0,
        unit: 'Count',
        dimensions: dimension,
      });
    }
  }
  return { points, ages, count: targets.length };
}

/**
 * At the destination the recovery point of a cluster is its newest available copy made by the tool
 * (tag CopiedBy), grouped by the source cluster the copy's tags name.
 */
export function destinationPassMetrics(
  report: DestinationPassReport,
  phases: readonly DestinationPhase[],
  destination: DestinationConfig,
  stack?: string,
): MetricPoint[] {
  const now = report.observation.now;
  const matches = compilePattern(destination.SnapshotPattern);
  const newest = new Map<string, number>();
  for (const snapshot of report.observation.snapshots) {
    if (snapshot.tags[TAG.CopiedBy] !== TOOL_TAG_VALUE || snapshot.status !== 'available') continue;
    const at = pointInTimeOf(snapshot);
    if (at === undefined) continue;
    if (!isCopyOfSource(destinationPolicyOf(destination), matches, snapshot)) continue;
    const clusterId = snapshot.tags[TAG.SourceCluster] ?? snapshot.clusterId;
    newest.set(clusterId, Math.max(newest.get(clusterId) ?? Number.NEGATIVE_INFINITY, at.getTime()));
  }
  const points = phaseCounts(phases, [...newest.keys()], report.results);
  for (const [clusterId, at] of newest) {
    points.push({
      name: RECOVERY_POINT_ALARM.ageMetric,
      value: round((now.getTime() - at) / HOUR_MS),
      unit: 'None',
      dimensions: { ClusterId: clusterId },
    });
  }
  points.push(
    ...stackRecoveryPoints(
      'destination',
      destination.SnapshotPattern,
      stack,
      [...newest.values()].map((at) => (now.getTime() - at) / HOUR_MS),
      recoveryPointObjectiveHours(destination),
    ),
  );
  points.push({
    name: 'ManualSnapshotCount',
    value: report.observation.snapshots.length,
    unit: 'Count',
    dimensions: { Region: report.observation.region },
  });
  return points;
}

/**
 * Emits the points as EMF on stdout, one document per set of dimensions; each set also has `service`
 * (METRICS_SERVICE), which Powertools always adds.
 */
export function publishMetrics(points: readonly MetricPoint[]): void {
  const groups = new Map<string, MetricPoint[]>();
  for (const point of points) {
    const key = JSON.stringify(Object.entries(point.dimensions).sort());
    groups.set(key, [...(groups.get(key) ?? []), point]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const metrics = new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: METRICS_SERVICE,
      defaultDimensions: { ...first.dimensions },
    });
    for (const point of group) {
      metrics.addMetric(
        point.name,
        point.unit === 'Count' ? MetricUnit.Count : MetricUnit.NoUnit,
        point.value,
      );
    }
    metrics.publishStoredMetrics();
  }
}
