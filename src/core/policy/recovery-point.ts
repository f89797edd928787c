/**
 * The recovery point of a cluster stack and its alarm, defined once: which snapshot is the recovery point,
 * the metric the functions publish for it (name, namespace, dimensions, statistic) and the
 * alarm the cluster stacks put on it (period, comparison, missing data). The metric publisher and the CDK
 * constructs both read this definition, so the alarm always watches what the functions publish.
 */

/** CloudWatch namespace of every metric the tool publishes. */
export const METRICS_NAMESPACE = 'AuroraSnapshotTool';

/**
 * The functions' Powertools serviceName. Powertools adds it to every point as the dimension `service`, and
 * CloudWatch tells metrics apart by their exact set of dimensions: an alarm names it with the others.
 */
export const METRICS_SERVICE = 'aurora-snapshot-tool';

/**
 * The recovery-point alarm of a cluster stack. Each run publishes, per stack (dimension `Stack`: the stack's
 * name, which its state machine hands the functions), the worst age of the recovery point over the clusters
 * the stack selects and the objective the run was configured with; the alarm's expression is the age when it
 * exceeds the objective, else 0, so the notification's reason carries the age in hours.
 *
 * - Keyed by the stack, not by its pattern: two stacks of one ClusterNamePattern (told apart by ClusterTags)
 *   or of one SnapshotPattern would otherwise feed one metric, and one stack's runs would clear the other's
 *   alarm. A run that is not told its stack (a function invoked by hand) keys the points by the pattern.
 * - The objective is published by the functions (not written in the alarm) because its default is
 *   BackupInterval x 2 and CloudFormation cannot compute with parameters; the schema resolves it.
 * - Missing data is breaching: a schedule that stops firing (a disabled rule, a deleted stack, a
 *   throttled account) publishes nothing, and that alone sets the alarm off.
 * - Periods of one day, two of two breaching to alarm: a daily local time the spring-forward change skips
 *   leaves a UTC day without a point (47 hours between runs), which one period alone would report as a
 *   stopped schedule. Two periods (CloudWatch allows up to 7 days in all for periods of an hour or more)
 *   report a schedule that stopped within two days of its last run (schedules rarer than that alarm where
 *   two days pass without a run, see docs/deployment.md), and an age above the objective once a second day
 *   reports it too. CloudWatch evaluates sliding windows by default: no 48 hours without a point, then.
 */
export const RECOVERY_POINT_ALARM = {
  namespace: METRICS_NAMESPACE,
  ageMetric: 'RecoveryPointAgeHours',
  objectiveMetric: 'RecoveryPointObjectiveHours',
  /** Dimension of the per-stack points: the stack whose state machine ran the function. */
  stackDimension: 'Stack',
  /** Dimension of the per-stack points of a run not told its stack: the pattern that selects the clusters. */
  dimension: { source: 'ClusterNamePattern', destination: 'SnapshotPattern' },
  statistic: 'Maximum',
  periodSeconds: 86_400,
  evaluationPeriods: 2,
  datapointsToAlarm: 2,
  /** The alarm's expression over the two metrics (ids `age` and `objective`), breaching above 0. */
  expression: 'IF(age > objective, age, 0)',
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'breaching',
} as const;

export type StackSide = keyof typeof RECOVERY_POINT_ALARM.dimension;

/** The dimensions of one stack's recovery-point points, as the functions hand them to Powertools. */
export function recoveryPointDimensions(
  side: StackSide,
  pattern: string,
  stack: string | undefined,
): Record<string, string> {
  if (stack !== undefined) return { [RECOVERY_POINT_ALARM.stackDimension]: stack };
  return { [RECOVERY_POINT_ALARM.dimension[side]]: pattern };
}

/** The exact dimension set CloudWatch receives for a point published with `dimensions` (what an alarm names). */
export function publishedDimensions(dimensions: Readonly<Record<string, string>>): Record<string, string> {
  return { service: METRICS_SERVICE, ...dimensions };
}

/**
 * The objective when none is set: two backup intervals, so one late or failed run does not alarm; where the
 * schedule waits longer than an interval between two runs (a local time the spring-forward change skips, a
 * weekend), the interval plus that longest wait, so the same holds across it.
 */
export function defaultRecoveryPointObjectiveHours(backupIntervalHours: number, longestGapHours = 0): number {
  return Math.max(backupIntervalHours * 2, backupIntervalHours + Math.ceil(longestGapHours));
}

/**
 * The worst recovery point over a stack's clusters, or undefined when one of them has none: a matching
 * cluster without any restorable copy is then reported as missing data, which is breaching.
 */
export function worstRecoveryPointHours(ages: readonly (number | undefined)[]): number | undefined {
  if (ages.length === 0) return undefined;
  let worst = Number.NEGATIVE_INFINITY;
  for (const age of ages) {
    if (age === undefined || Number.isNaN(age)) return undefined;
    worst = Math.max(worst, age);
  }
  return worst;
}
