// The recovery point's alarm definition and the worst recovery point of a stack: what makes the alarm fire.
import { describe, expect, it } from 'vitest';
import {
  defaultRecoveryPointObjectiveHours,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  publishedDimensions,
  RECOVERY_POINT_ALARM,
  recoveryPointDimensions,
  worstRecoveryPointHours,
} from '../../../src/core/policy/recovery-point.js';

describe('RECOVERY_POINT_ALARM', () => {
  it('fires when the age exceeds the objective, and when a run publishes nothing', () => {
    // Act / Assess: missing data must breach, or a schedule that stopped would never alarm
    expect(RECOVERY_POINT_ALARM).toEqual({
      namespace: 'AuroraSnapshotTool',
      ageMetric: 'RecoveryPointAgeHours',
      objectiveMetric: 'RecoveryPointObjectiveHours',
      stackDimension: 'Stack',
      dimension: { source: 'ClusterNamePattern', destination: 'SnapshotPattern' },
      statistic: 'Maximum',
      periodSeconds: 86_400,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      expression: 'IF(age > objective, age, 0)',
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'breaching',
    });
    expect(METRICS_NAMESPACE).toBe(RECOVERY_POINT_ALARM.namespace);
  });

  it('puts each stack’s points under the stack, or under its pattern when the run is not told its stack', () => {
    // Act / Assess
    expect(recoveryPointDimensions('source', 'prod', 'prod-source')).toEqual({ Stack: 'prod-source' });
    expect(recoveryPointDimensions('source', 'prod', undefined)).toEqual({ ClusterNamePattern: 'prod' });
    expect(recoveryPointDimensions('destination', 'ALL_CLUSTERS', undefined)).toEqual({
      SnapshotPattern: 'ALL_CLUSTERS',
    });
  });

  it('names the set CloudWatch receives: the dimensions and the service Powertools adds', () => {
    // Act / Assess
    expect(METRICS_SERVICE).toBe('aurora-snapshot-tool');
    expect(publishedDimensions({ Stack: 'prod-source' })).toEqual({
      service: 'aurora-snapshot-tool',
      Stack: 'prod-source',
    });
  });

  it('defaults the objective to two backup intervals', () => {
    // Act / Assess
    expect(defaultRecoveryPointObjectiveHours(8)).toBe(16);
  });
});

describe('worstRecoveryPointHours', () => {
  it('is the oldest recovery point of the stack’s clusters', () => {
    // Act / Assess
    expect(worstRecoveryPointHours([3, 12.5, 7])).toBe(12.5);
    expect(worstRecoveryPointHours([-1])).toBe(-1);
  });

  it('is missing (breaching) when there is no cluster, or one cluster has no recovery point', () => {
    // Act / Assess
    expect(worstRecoveryPointHours([])).toBeUndefined();
    expect(worstRecoveryPointHours([3, undefined, 7])).toBeUndefined();
    expect(worstRecoveryPointHours([3, Number.NaN])).toBeUndefined();
  });
});
