// The restore-drill handlers' decisions: the drill fields an event carries, and the metrics of a drill.
import { describe, expect, it } from 'vitest';
import type { RestoreDrillConfig } from '../../src/config/schema.js';
import type { DrillRun } from '../../src/core/drill/drill-engine.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { drillMetrics, parseDrillEvent } from '../../src/handlers/drill-runtime.js';

const target = {
  clusterId: 'orders',
  region: 'us-west-2',
  snapshotId: 'orders-2026-07-05-03-00',
  snapshotArn: 'arn:aws:rds:us-west-2:111111111111:cluster-snapshot:orders-2026-07-05-03-00',
  engine: 'aurora-postgresql',
  drillClusterId: 'orders-snapshot-tool-drill-202607050300',
  drillInstanceId: 'orders-snapshot-tool-drill-202607050300-1',
};
const drill = { SnapshotPattern: 'orders', Region: 'us-west-2' } as unknown as RestoreDrillConfig;

describe('parseDrillEvent', () => {
  it('reads the run, the check, a caught failure and the snapshot asked for, leaving out what the event lacks', () => {
    // Act
    const full = parseDrillEvent({
      drill: {
        startedAt: '2026-07-05T03:00:00Z',
        targets: [{ ...target, engineVersion: '16.4', instanceClass: 'db.r6g.large' }],
      },
      check: { state: 'available', minutes: [12] },
      failure: { Error: 'RestoreFailed', Cause: 'no' },
      snapshotId: 'orders-2026-07-05-03-00',
      config: {},
    });
    const empty = parseDrillEvent({});

    // Assess
    expect(full).toStrictEqual({
      drill: {
        startedAt: '2026-07-05T03:00:00Z',
        targets: [
          {
            ...target,
            engineVersion: '16.4',
            kmsKeyId: undefined,
            instanceClass: 'db.r6g.large',
            instanceClassNote: undefined,
          },
        ],
      },
      check: { state: 'available', minutes: [12] },
      failure: { Error: 'RestoreFailed', Cause: 'no' },
      snapshotId: 'orders-2026-07-05-03-00',
    });
    expect(empty).toStrictEqual({
      drill: undefined,
      check: undefined,
      failure: undefined,
      snapshotId: undefined,
    });
  });

  it('refuses a malformed drill field with a ConfigError naming it', () => {
    // Act
    let thrown: unknown;
    try {
      parseDrillEvent({
        drill: { startedAt: '2026-07-05T03:00:00Z', targets: [{ ...target, clusterId: '' }] },
      });
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toContain('event.drill.targets');
  });
});

describe('drillMetrics', () => {
  const run = (...clusterIds: string[]): DrillRun => ({
    startedAt: '2026-07-05T03:00:00Z',
    targets: clusterIds.map((clusterId) => ({
      ...target,
      clusterId,
      engineVersion: undefined,
      kmsKeyId: undefined,
    })),
  });

  it('counts a success and the minutes of each restored cluster', () => {
    // Act / Assess
    expect(drillMetrics(drill, run('orders', 'billing'), [12, 30])).toEqual([
      { name: 'RestoreDrillSucceeded', value: 1, unit: 'Count', dimensions: { ClusterId: 'orders' } },
      { name: 'RestoreMinutes', value: 12, unit: 'None', dimensions: { ClusterId: 'orders' } },
      { name: 'RestoreDrillSucceeded', value: 1, unit: 'Count', dimensions: { ClusterId: 'billing' } },
      { name: 'RestoreMinutes', value: 30, unit: 'None', dimensions: { ClusterId: 'billing' } },
    ]);
  });

  it('counts a failure per cluster of the run with no minutes, and per pattern when nothing was restored', () => {
    // Act / Assess
    expect(drillMetrics(drill, run('orders'), undefined)).toEqual([
      { name: 'RestoreDrillSucceeded', value: 0, unit: 'Count', dimensions: { ClusterId: 'orders' } },
    ]);
    const nothing = [
      { name: 'RestoreDrillSucceeded', value: 0, unit: 'Count', dimensions: { SnapshotPattern: 'orders' } },
    ];
    expect(drillMetrics(drill, undefined, undefined)).toEqual(nothing);
    expect(drillMetrics(drill, run(), [])).toEqual(nothing);
  });

  it('gives no minutes for a cluster the check has none for', () => {
    // Act / Assess
    expect(drillMetrics(drill, run('orders', 'billing'), [12])).toEqual([
      { name: 'RestoreDrillSucceeded', value: 1, unit: 'Count', dimensions: { ClusterId: 'orders' } },
      { name: 'RestoreMinutes', value: 12, unit: 'None', dimensions: { ClusterId: 'orders' } },
      { name: 'RestoreDrillSucceeded', value: 1, unit: 'Count', dimensions: { ClusterId: 'billing' } },
    ]);
  });
});
