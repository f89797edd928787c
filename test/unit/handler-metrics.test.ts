// The metrics a pass prints as EMF: the counts per cluster, and per destination its recovery point, lag and failures.
import { describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import type { SourcePassReport, SourcePhase } from '../../src/core/plan/pass.js';
import type { Action, ActionResult } from '../../src/core/plan/plan.js';
import { destinationPassMetrics, publishMetrics, sourcePassMetrics } from '../../src/handlers/metrics.js';
import { captureStdout } from '../state-machine/harness.js';
import { snapshot } from '../support/snapshot-builder.js';

const age = (ageHours: number) => ({
  id: 'x',
  region: 'us-east-1',
  status: 'available',
  pointInTime: '',
  ageHours,
});

const take = (clusterId: string): Action => ({
  kind: 'take',
  region: 'us-east-1',
  clusterId,
  snapshotId: `${clusterId}-new`,
  tags: {},
  reason: 'due',
});
const copy = (clusterId: string, targetRegion: string): Action => ({
  kind: 'copy',
  purpose: 'dr-copy',
  sourceArn: `arn:aws:rds:us-east-1:111111111111:cluster-snapshot:${clusterId}-1`,
  sourceRegion: 'us-east-1',
  targetRegion,
  targetId: `${clusterId}-1`,
  kmsKeyId: undefined,
  clusterId,
  tags: {},
  reason: 'no DR copy yet',
});
const remove = (clusterId: string): Action => ({
  kind: 'delete',
  region: 'us-east-1',
  clusterId,
  snapshotId: `${clusterId}-old`,
  reason: 'expired',
});

function sourceConfig(destinations: readonly object[]): SourceConfig {
  return parseConfig({
    Source: {
      Region: 'us-east-1',
      ClusterNamePattern: 'prod',
      ShareSnapshots: destinations.length > 0,
      ...(destinations.length > 0 ? { Destinations: destinations } : {}),
    },
  }).Source as SourceConfig;
}

interface ClusterSpec {
  readonly clusterId: string;
  readonly recoveryPoint?: number;
  readonly destinations?: readonly { id: string; lagHours: number; copyAge?: number }[];
}

function reportOf(clusters: readonly ClusterSpec[], results: readonly ActionResult[] = []): SourcePassReport {
  return {
    results,
    status: {
      at: '2025-01-01T00:00:00.000Z',
      region: 'us-east-1',
      manualSnapshotCount: 7,
      manualSnapshotQuota: 100,
      clusters: clusters.map((c) => ({
        clusterId: c.clusterId,
        region: 'us-east-1',
        latestSnapshot: c.recoveryPoint === undefined ? undefined : age(c.recoveryPoint),
        latestCopy: undefined,
        recoveryPoint: c.recoveryPoint === undefined ? undefined : age(c.recoveryPoint),
        snapshotCount: 1,
        copyCount: 0,
        ...(c.destinations === undefined
          ? {}
          : {
              destinations: c.destinations.map((d) => ({
                id: d.id,
                kind: 'copy',
                region: d.id,
                latestCopy: d.copyAge === undefined ? undefined : age(d.copyAge),
                lagHours: d.lagHours,
                lagging: false,
              })),
            }),
      })),
    },
  } as unknown as SourcePassReport;
}

/** Publishes the points of a source pass and returns what was printed. */
function printed(report: SourcePassReport, phases: readonly SourcePhase[], source: SourceConfig) {
  const output = captureStdout();
  try {
    publishMetrics(sourcePassMetrics(report, phases, source, 'prod-stack'));
  } finally {
    output.restore();
  }
  return output;
}

describe('source pass metrics, as printed', () => {
  it('counts the copies of a pass once, though its phases name the share twice', () => {
    // Prepare
    const report = reportOf([{ clusterId: 'prod-a' }], [{ action: copy('prod-a', 'eu-west-1'), ok: true }]);

    // Act
    const output = printed(report, ['share', 'share'], sourceConfig([]));

    // Assess
    expect(output.metric('CopiesStarted', { ClusterId: 'prod-a' })).toEqual([1]);
  });

  it('counts only the actions of the kind a metric names: a deletion is no snapshot taken', () => {
    // Prepare
    const report = reportOf(
      [{ clusterId: 'prod-a' }],
      [
        { action: take('prod-a'), ok: true },
        { action: remove('prod-a'), ok: true },
        { action: remove('prod-a'), ok: true },
      ],
    );

    // Act
    const output = printed(report, ['take'], sourceConfig([]));

    // Assess
    expect(output.metric('SnapshotsTaken', { ClusterId: 'prod-a' })).toEqual([1]);
    expect(output.metric('SnapshotsDeleted', { ClusterId: 'prod-a' })).toEqual([]);
  });

  const twoRegions = sourceConfig([{ Region: 'eu-west-1' }, { Region: 'us-west-2' }]);

  it("names each destination's recovery point per cluster, and its worst lag over the clusters", () => {
    // Prepare
    const report = reportOf([
      {
        clusterId: 'prod-a',
        recoveryPoint: 3,
        destinations: [
          { id: 'eu-west-1', lagHours: 1.5, copyAge: 3 },
          { id: 'us-west-2', lagHours: 0, copyAge: 5 },
        ],
      },
      {
        clusterId: 'prod-b',
        recoveryPoint: 4,
        destinations: [
          { id: 'eu-west-1', lagHours: 0.25, copyAge: 4 },
          { id: 'us-west-2', lagHours: 7.125 },
        ],
      },
    ]);

    // Act
    const output = printed(report, ['take'], twoRegions);

    // Assess
    const age = (clusterId: string, destination: string) =>
      output.metric('DestinationRecoveryPointAgeHours', { ClusterId: clusterId, Destination: destination });
    expect(age('prod-a', 'eu-west-1')).toEqual([3]);
    expect(age('prod-a', 'us-west-2')).toEqual([5]);
    expect(age('prod-b', 'eu-west-1')).toEqual([4]);
    expect(age('prod-b', 'us-west-2')).toEqual([]);
    expect(output.metric('DestinationLagHours', { Destination: 'eu-west-1' })).toEqual([1.5]);
    expect(output.metric('DestinationLagHours', { Destination: 'us-west-2' })).toEqual([7.125]);
    // Each age is printed under exactly ClusterId and Destination (and Powertools' service).
    const dimensionSets = output
      .emf()
      .filter((doc) => doc.DestinationRecoveryPointAgeHours !== undefined)
      .flatMap((doc) =>
        doc._aws.CloudWatchMetrics.flatMap((d) => d.Dimensions.map((set) => [...set].sort().join())),
      );
    expect(new Set(dimensionSets)).toEqual(new Set(['ClusterId,Destination,service']));
    // A pass without the share phase reports no failed actions per destination.
    expect(output.metric('DestinationFailedActions', { Destination: 'eu-west-1' })).toEqual([]);
  });

  it("with several destinations the stack's recovery point is the worst over every destination", () => {
    // Prepare
    const report = reportOf([
      {
        clusterId: 'prod-a',
        recoveryPoint: 3,
        destinations: [
          { id: 'eu-west-1', lagHours: 0, copyAge: 3 },
          { id: 'us-west-2', lagHours: 0, copyAge: 9.5 },
        ],
      },
    ]);

    // Act
    const output = printed(report, [], twoRegions);

    // Assess
    expect(output.metric('RecoveryPointAgeHours', { Stack: 'prod-stack' })).toEqual([9.5]);
  });

  it("with several destinations one that has no copy leaves the stack's age out, so the alarm breaches", () => {
    // Prepare
    const report = reportOf([
      {
        clusterId: 'prod-a',
        recoveryPoint: 3,
        destinations: [
          { id: 'eu-west-1', lagHours: 0, copyAge: 3 },
          { id: 'us-west-2', lagHours: 30 },
        ],
      },
    ]);

    // Act
    const output = printed(report, [], twoRegions);

    // Assess
    expect(output.metric('RecoveryPointAgeHours', { Stack: 'prod-stack' })).toEqual([]);
    expect(output.metric('RecoveryPointObjectiveHours', { Stack: 'prod-stack' })).toEqual([48]);
  });

  it("with one destination the stack's recovery point is the cluster's, though its share is not done yet", () => {
    // Prepare: one account shared with in place; the backup is there, the share not yet
    const report = reportOf([
      {
        clusterId: 'prod-a',
        recoveryPoint: 2,
        destinations: [{ id: '222222222222@us-east-1', lagHours: 2 }],
      },
    ]);

    // Act
    const output = printed(report, [], sourceConfig([{ Region: 'us-east-1', Account: '222222222222' }]));

    // Assess
    expect(output.metric('RecoveryPointAgeHours', { Stack: 'prod-stack' })).toEqual([2]);
  });
});

describe('destination pass metrics, as printed', () => {
  const destination = parseConfig({
    Source: { Region: 'us-east-1', ClusterNamePattern: 'prod' },
    Destination: { Region: 'us-west-2', SnapshotPattern: 'prod' },
  }).Destination as DestinationConfig;
  const now = new Date('2025-01-02T00:00:00Z');
  const copied = { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'prod-db' };

  function printedFor(snapshots: readonly ReturnType<typeof snapshot>[]) {
    const report = {
      results: [],
      observation: { now, region: 'us-west-2', snapshots },
    } as unknown as Parameters<typeof destinationPassMetrics>[0];
    const output = captureStdout();
    try {
      publishMetrics(destinationPassMetrics(report, [], destination, 'dr-stack'));
    } finally {
      output.restore();
    }
    return output;
  }

  it('takes no recovery point from a copy still copying, nor from a snapshot the tool did not copy', () => {
    // Act
    const output = printedFor([
      snapshot('prod-db-a', { region: 'us-west-2', tags: copied, pointInTime: '2025-01-01T12:00:00Z' }),
      snapshot('prod-db-b', {
        region: 'us-west-2',
        status: 'copying',
        tags: copied,
        pointInTime: '2025-01-01T23:00:00Z',
      }),
      snapshot('prod-db-hand', {
        region: 'us-west-2',
        tags: { [TAG.SourceCluster]: 'prod-db' },
        pointInTime: '2025-01-01T22:00:00Z',
      }),
    ]);

    // Assess
    expect(output.metric('RecoveryPointAgeHours', { ClusterId: 'prod-db' })).toEqual([12]);
    expect(output.metric('RecoveryPointAgeHours', { Stack: 'dr-stack' })).toEqual([12]);
  });

  it('takes no recovery point from a copy of a cluster outside the SnapshotPattern', () => {
    // Act
    const output = printedFor([
      snapshot('prod-db-a', { region: 'us-west-2', tags: copied, pointInTime: '2025-01-01T12:00:00Z' }),
      snapshot('test-db-a', {
        region: 'us-west-2',
        tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'test-db' },
        pointInTime: '2025-01-01T23:00:00Z',
      }),
    ]);

    // Assess
    expect(output.metric('RecoveryPointAgeHours', { ClusterId: 'test-db' })).toEqual([]);
    expect(output.metric('RecoveryPointAgeHours', { Stack: 'dr-stack' })).toEqual([12]);
  });
});
