// The handlers' shared runtime: event parsing, the clock, typed errors from failed actions, and the metrics of a pass.
import { afterEach, describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { ConfigError, type ToolError } from '../../src/core/model/errors.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import type { SourcePassReport } from '../../src/core/plan/pass.js';
import type { Action, ActionResult } from '../../src/core/plan/plan.js';
import { destinationPassMetrics, publishMetrics, sourcePassMetrics } from '../../src/handlers/metrics.js';
import {
  ALLOW_EVENT_CLOCK_ENV,
  clockFor,
  firstFailure,
  idsOf,
  invoke,
  parseEvent,
  requireDestination,
  setClock,
  startedRefs,
  startedResult,
  throwIfFailed,
} from '../../src/handlers/runtime.js';
import { captureStdout } from '../state-machine/harness.js';
import { snapshot } from '../support/snapshot-builder.js';

const SOURCE = { Source: { Region: 'us-east-1', ClusterNamePattern: 'prod' } };

const take = (clusterId: string, snapshotId: string): Action => ({
  kind: 'take',
  region: 'us-east-1',
  clusterId,
  snapshotId,
  tags: {},
  reason: 'due',
});
const copy = (clusterId: string, targetId: string): Action => ({
  kind: 'copy',
  purpose: 'dr-copy',
  sourceArn: `arn:aws:rds:us-east-1:111111111111:cluster-snapshot:${targetId}`,
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  targetId,
  kmsKeyId: undefined,
  clusterId,
  tags: {},
  reason: 'no DR copy yet',
});
const remove = (clusterId: string, snapshotId: string): Action => ({
  kind: 'delete',
  region: 'us-east-1',
  clusterId,
  snapshotId,
  reason: 'expired',
});

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

afterEach(() => {
  setClock(undefined);
});

describe('parseEvent', () => {
  it('returns the validated configuration, refs and times', () => {
    // Act
    const parsed = parseEvent(
      {
        config: SOURCE,
        refs: [{ region: 'us-east-1', id: 'prod-db-2025-01-01-00-00' }],
        startedAt: '2025-01-01T00:00:00Z',
        now: '2025-01-01T00:05:00Z',
      },
      { [ALLOW_EVENT_CLOCK_ENV]: 'true' },
    );

    // Assess
    expect(parsed.config.Source?.BackupInterval).toBe(24);
    expect(parsed.refs).toEqual([{ region: 'us-east-1', id: 'prod-db-2025-01-01-00-00' }]);
    expect(parsed.startedAt?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(parsed.now?.toISOString()).toBe('2025-01-01T00:05:00.000Z');
  });

  it('takes the stack its state machine names (the key of the metrics its alarms watch), and refuses an empty one', () => {
    // Act
    const named = parseEvent({ config: SOURCE, stack: 'orders-source' });
    const attempt = () => parseEvent({ config: SOURCE, stack: '' });

    // Assess
    expect(named.stack).toBe('orders-source');
    expect(parseEvent({ config: SOURCE }).stack).toBeUndefined();
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/event\.stack/);
  });

  it('refuses an event clock where the environment does not allow it, so a deployed function keeps its real clock', () => {
    // Act
    const attempt = () => parseEvent({ config: SOURCE, now: '2099-01-01T00:00:00Z' }, {});

    // Assess
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/event\.now: is accepted only where AURORA_SNAPSHOT_TOOL_ALLOW_EVENT_CLOCK=true/);
  });

  it.each([
    [{ config: { Source: { ...SOURCE.Source, RetentionDays: 0 } } }, 'Source.RetentionDays'],
    [{ config: { Source: { ...SOURCE.Source, Retention: 7 } } }, 'Source.Retention'],
    [{ config: SOURCE, now: 'yesterday' }, 'event.now'],
    [{ config: SOURCE, startedAt: 12 }, 'event.startedAt'],
    [{ config: SOURCE, refs: 'prod-db' }, 'event.refs'],
    [{}, 'event.config'],
    ['not an object', 'event'],
  ])('rejects %j as a ConfigError naming %s', (event, parameter) => {
    // Act
    const error = errorOf(() => parseEvent(event));

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toContain(parameter);
  });

  it('says whether the check is sparse: only `sparse: true` makes it so, anything else is refused', () => {
    // Act / Assess
    expect(parseEvent({ config: SOURCE, sparse: true }).sparse).toBe(true);
    expect(parseEvent({ config: SOURCE, sparse: false }).sparse).toBe(false);
    expect(parseEvent({ config: SOURCE }).sparse).toBe(false);
    const error = errorOf(() => parseEvent({ config: SOURCE, sparse: 'yes' }));
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual(['event.sparse']);
  });

  it('requires a Destination block for a destination function, naming it', () => {
    // Prepare
    const config = parseEvent({ config: SOURCE }).config;

    // Act
    const error = errorOf(() => requireDestination(config, 'DeleteOldSnapshotsDestAurora'));

    // Assess
    expect((error as ConfigError).issues).toMatchObject([{ parameter: 'Destination' }]);
    expect(error.message).toContain('DeleteOldSnapshotsDestAurora');
  });

  it('requires the configuration block, naming event.config and where it comes from', () => {
    // Act
    const error = errorOf(() => parseEvent({ refs: [] }));
    // an event that also sets the clock where that is not allowed: the missing block comes first
    const withClock = errorOf(() => parseEvent({ now: '2026-01-01T00:00:00Z' }, {}));

    // Assess
    expect((withClock as ConfigError).issues.map((issue) => issue.parameter)).toEqual(['event.config']);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        parameter: 'event.config',
        value: undefined,
        message: 'is required: the state machine passes its execution input (the configuration block) here',
      },
    ]);
    expect(error.message).toBe(
      'event.config: is required: the state machine passes its execution input (the configuration block) here (got (missing))',
    );
  });

  it("keeps a ref's ARN when the event gives one, and adds none when it does not", () => {
    // Prepare
    const arn = 'arn:aws:rds:us-east-1:222222222222:cluster-snapshot:shared-1';

    // Act
    const parsed = parseEvent({
      config: SOURCE,
      refs: [
        { region: 'us-east-1', id: 'prod-db-1' },
        { region: 'us-east-1', id: 'shared-1', arn },
      ],
    });

    // Assess
    expect(parsed.refs).toStrictEqual([
      { region: 'us-east-1', id: 'prod-db-1' },
      { region: 'us-east-1', id: 'shared-1', arn },
    ]);
    expect(Object.keys(parsed.refs[0] ?? {})).toEqual(['region', 'id']);
  });
});

describe('parseEvent: the Trigger an RDS event adds to the execution input', () => {
  const TRIGGER = {
    Kind: 'RdsEvent',
    EventId: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    RdsEventId: 'RDS-EVENT-0075',
    SnapshotArn: 'arn:aws:rds:us-east-1:111122223333:cluster-snapshot:prod-2026-12-07-03-00',
    Time: '2026-12-07T03:00:05Z',
  };

  it('takes the Trigger out of the configuration before parsing it, and returns it', () => {
    // Act
    const parsed = parseEvent({ config: { ...SOURCE, Trigger: TRIGGER } });

    // Assess: the configuration is the block alone; a scheduled execution has no trigger.
    expect(parsed.trigger).toEqual(TRIGGER);
    expect(parsed.config).toEqual(parseEvent({ config: SOURCE }).config);
    expect(parseEvent({ config: SOURCE }).trigger).toBeUndefined();
  });

  it.each([
    [{ ...TRIGGER, Kind: 'Schedule' }, 'Trigger.Kind'],
    [{ ...TRIGGER, EventId: '' }, 'Trigger.EventId'],
    [{ ...TRIGGER, RdsEventId: 75 }, 'Trigger.RdsEventId'],
    [{ ...TRIGGER, SnapshotArn: undefined }, 'Trigger.SnapshotArn'],
    [{ ...TRIGGER, Time: 'yesterday' }, 'Trigger.Time'],
    [{ ...TRIGGER, Detail: {} }, 'Trigger.Detail'],
    ['RDS-EVENT-0075', 'Trigger'],
    [null, 'Trigger'],
  ])('refuses the Trigger %j as a ConfigError naming %s', (trigger, parameter) => {
    // Act
    const error = errorOf(() => parseEvent({ config: { ...SOURCE, Trigger: trigger } }));

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual([parameter]);
    expect(error.message).toContain(parameter);
  });

  it('still refuses any other unknown key of the configuration, so the schema stays strict', () => {
    // Act
    const error = errorOf(() => parseEvent({ config: { ...SOURCE, Trigger: TRIGGER, Trigger2: {} } }));

    // Assess
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual(['Trigger2']);
  });

  it('logs the trigger on every line of the invocation it started, and gives it to the function', async () => {
    // Prepare
    const output = captureStdout();
    let seen: unknown;

    // Act
    try {
      await invoke(
        'ShareSnapshotsAurora',
        { config: { Source: { ...SOURCE.Source, LogLevel: 'INFO' }, Trigger: TRIGGER } },
        undefined,
        async (run) => {
          seen = run.trigger;
          run.logger.info('working');
        },
      );
    } finally {
      output.restore();
    }

    // Assess
    expect(seen).toEqual(TRIGGER);
    expect(output.logs()).toEqual([
      expect.objectContaining({ message: 'started by an RDS event', trigger: TRIGGER }),
      expect.objectContaining({ message: 'working', trigger: TRIGGER }),
    ]);
  });
});

describe('clockFor', () => {
  it('prefers the event time, then the injected clock, then the system clock', () => {
    // Prepare
    const injected = new Date('2030-01-01T00:00:00Z');
    const before = Date.now();

    // Act
    const system = clockFor(undefined).now();
    setClock({ now: () => injected });
    const fromInjected = clockFor(undefined).now();
    const fromEvent = clockFor(new Date('2031-01-01T00:00:00Z')).now();

    // Assess
    expect(system.getTime()).toBeGreaterThanOrEqual(before);
    expect(fromInjected).toEqual(injected);
    expect(fromEvent.toISOString()).toBe('2031-01-01T00:00:00.000Z');
  });
});

describe('firstFailure', () => {
  it('is undefined when every action succeeded', () => {
    expect(firstFailure([{ action: take('prod-db', 'prod-db-1'), ok: true }])).toBeUndefined();
  });

  it('names the first failure by its stable name, with the cluster, snapshot and region in the message', () => {
    // Prepare
    const results: ActionResult[] = [
      { action: take('prod-db', 'prod-db-1'), ok: true },
      { action: copy('prod-db', 'prod-db-1'), ok: false, error: 'KmsKeyNotAccessible', message: 'key gone' },
      { action: remove('prod-db', 'prod-db-0'), ok: false, error: 'AccessDenied', message: 'no' },
    ];

    // Act
    const error = firstFailure(results);

    // Assess
    expect(error?.name).toBe('KmsKeyNotAccessible');
    expect(error?.message).toContain('prod-db-1');
    expect(error?.message).toContain('cluster prod-db');
    expect(error?.message).toContain('us-west-2');
    expect(error?.message).toContain('key gone');
    expect(error?.message).toContain('1 more failed action');
  });

  it('maps an error name the tool does not know to AwsRequestError', () => {
    // Act
    const error = firstFailure([{ action: take('prod-db', 'prod-db-1'), ok: false, error: 'TypeError' }]);

    // Assess
    expect(error?.name).toBe('AwsRequestError');
  });

  it('names a failed copy as a copy, by its target snapshot and region, in its details', () => {
    // Act
    const error = firstFailure([{ action: copy('prod-db', 'prod-db-1'), ok: false, error: 'AccessDenied' }]);

    // Assess
    expect(error?.details).toEqual({
      action: 'copy',
      clusterId: 'prod-db',
      snapshotId: 'prod-db-1',
      region: 'us-west-2',
      reason: 'no DR copy yet',
    });
  });
});

describe('firstFailure: the message and details', () => {
  it('says how many more actions failed, in the plural, and keeps the reason and place in details', () => {
    // Prepare
    const results: ActionResult[] = [
      { action: remove('prod-db', 'prod-db-0'), ok: false, error: 'AccessDenied', message: 'no' },
      { action: take('prod-db', 'prod-db-1'), ok: false, error: 'SnapshotQuotaExceeded' },
      { action: copy('prod-db', 'prod-db-2'), ok: false },
    ];

    // Act
    const error = firstFailure(results);

    // Assess
    expect([error?.name, error?.message]).toEqual([
      'AccessDenied',
      'delete of prod-db-0 (cluster prod-db, us-east-1) failed: no (and 2 more failed actions; see the log)',
    ]);
    expect(error?.details).toEqual({
      action: 'delete',
      clusterId: 'prod-db',
      snapshotId: 'prod-db-0',
      region: 'us-east-1',
      reason: 'expired',
    });
  });

  it('falls back on the error name, then on "unknown error", when a failure has no message', () => {
    // Act
    const named = firstFailure([
      { action: take('prod-db', 'prod-db-1'), ok: false, error: 'SnapshotQuotaExceeded' },
    ]);
    const bare = firstFailure([{ action: copy('prod-db', 'prod-db-2'), ok: false }]);

    // Assess
    expect(named?.message).toBe(
      'take of prod-db-1 (cluster prod-db, us-east-1) failed: SnapshotQuotaExceeded',
    );
    expect([bare?.name, bare?.message]).toEqual([
      'AwsRequestError',
      'copy of prod-db-2 (cluster prod-db, us-west-2) failed: unknown error',
    ]);
  });
});

describe('throwIfFailed', () => {
  const W2 = { id: 'us-west-2', kind: 'copy', region: 'us-west-2', parameter: '' } as const;
  const EU = { id: 'eu-west-1', kind: 'copy', region: 'eu-west-1', parameter: '' } as const;
  const copyTo = (region: string, targetId: string): Action => ({
    ...(copy('prod-db', targetId) as Extract<Action, { kind: 'copy' }>),
    targetRegion: region,
  });

  it('returns when every action succeeded', () => {
    // Act / Assess
    expect(throwIfFailed([{ action: take('prod-db', 'prod-db-1'), ok: true }], [W2, EU])).toBeUndefined();
  });

  it('throws the first failure as it is with one destination', () => {
    // Act
    const error = errorOf(() =>
      throwIfFailed(
        [{ action: copyTo('us-west-2', 'c-1'), ok: false, error: 'CopyLimitReached', message: 'busy' }],
        [W2],
      ),
    );

    // Assess
    expect([error.name, error.message]).toEqual([
      'CopyLimitReached',
      'copy of c-1 (cluster prod-db, us-west-2) failed: busy',
    ]);
  });

  it('names every destination whose actions failed, with several destinations', () => {
    // Prepare
    const results: ActionResult[] = [
      { action: copyTo('us-west-2', 'c-1'), ok: false, error: 'CopyLimitReached', message: 'busy' },
      { action: copyTo('eu-west-1', 'c-2'), ok: false, error: 'KmsKeyNotAccessible', message: 'key' },
      { action: copyTo('eu-west-1', 'c-3'), ok: true },
    ];

    // Act
    const error = errorOf(() => throwIfFailed(results, [W2, EU]));

    // Assess
    expect([error.name, error.message]).toEqual([
      'CopyLimitReached',
      'destinations us-west-2, eu-west-1 failed (the other destinations went on): copy of c-1 (cluster prod-db, us-west-2) failed: busy (and 1 more failed action; see the log)',
    ]);
    expect((error as ToolError).details.destinations).toEqual(['us-west-2', 'eu-west-1']);
  });

  it('says "destination" for one failed destination of several, and throws a failure of no destination as it is', () => {
    // Act
    const one = errorOf(() =>
      throwIfFailed(
        [{ action: copyTo('eu-west-1', 'c-2'), ok: false, error: 'KmsKeyNotAccessible', message: 'key' }],
        [W2, EU],
      ),
    );
    const none = errorOf(() =>
      throwIfFailed(
        [
          {
            action: take('prod-db', 'prod-db-1'),
            ok: false,
            error: 'SnapshotQuotaExceeded',
            message: 'full',
          },
        ],
        [W2, EU],
      ),
    );

    // Assess
    expect(one.message).toBe(
      'destination eu-west-1 failed (the other destinations went on): copy of c-2 (cluster prod-db, eu-west-1) failed: key',
    );
    expect(none.message).toBe('take of prod-db-1 (cluster prod-db, us-east-1) failed: full');
  });
});

describe('idsOf', () => {
  it('lists the snapshots the successful actions of one kind touched, a copy by its target', () => {
    // Prepare
    const results: ActionResult[] = [
      { action: take('prod-db', 'prod-db-1'), ok: true },
      { action: take('prod-db', 'prod-db-2'), ok: false, error: 'SnapshotQuotaExceeded' },
      { action: copy('prod-db', 'prod-db-0'), ok: true },
      { action: remove('prod-db', 'prod-db-old'), ok: true },
    ];

    // Act / Assess
    expect(idsOf(results, 'take')).toEqual(['prod-db-1']);
    expect(idsOf(results, 'copy')).toEqual(['prod-db-0']);
    expect(idsOf(results, 'delete')).toEqual(['prod-db-old']);
    expect(idsOf(results, 'share')).toEqual([]);
  });
});

describe('startedResult', () => {
  it('lists the snapshots and copies that started, not the failed ones nor deletions', () => {
    // Prepare
    const results: ActionResult[] = [
      { action: take('prod-db', 'prod-db-1'), ok: true },
      { action: take('other-db', 'other-db-1'), ok: false, error: 'SnapshotQuotaExceeded' },
      { action: copy('prod-db', 'prod-db-0'), ok: true },
      { action: remove('prod-db', 'prod-db-old'), ok: true },
    ];

    // Act
    const result = startedResult(results, new Date('2025-01-01T00:00:00Z'));

    // Assess
    expect(result).toEqual({
      started: true,
      refs: [
        { region: 'us-east-1', id: 'prod-db-1' },
        { region: 'us-west-2', id: 'prod-db-0' },
      ],
      startedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(startedRefs([])).toEqual([]);
    expect(startedResult([{ action: remove('prod-db', 'prod-db-old'), ok: true }], new Date(0)).started).toBe(
      false,
    );
  });
});

describe('sourcePassMetrics', () => {
  const config = parseConfig(SOURCE).Source as SourceConfig;
  const report = {
    results: [
      { action: take('prod-db', 'prod-db-1'), ok: true },
      { action: take('prod-db-2', 'prod-db-2-1'), ok: false, error: 'SnapshotQuotaExceeded' },
    ],
    status: {
      at: '2025-01-01T00:00:00.000Z',
      region: config.Region,
      destinationRegion: 'us-west-2',
      manualSnapshotCount: 42,
      manualSnapshotQuota: 100,
      clusters: [
        {
          clusterId: 'prod-db',
          region: 'us-east-1',
          latestSnapshot: {
            id: 'a',
            region: 'us-east-1',
            status: 'available',
            pointInTime: '',
            ageHours: 2.5,
          },
          latestCopy: { id: 'a', region: 'us-west-2', status: 'available', pointInTime: '', ageHours: 26.25 },
          recoveryPoint: {
            id: 'a',
            region: 'us-west-2',
            status: 'available',
            pointInTime: '',
            ageHours: 26.25,
          },
          snapshotCount: 3,
          copyCount: 2,
        },
        {
          clusterId: 'prod-db-2',
          region: 'us-east-1',
          latestSnapshot: undefined,
          latestCopy: undefined,
          recoveryPoint: undefined,
          snapshotCount: 0,
          copyCount: 0,
        },
      ],
    },
  } as unknown as SourcePassReport;

  it('counts successful actions of the phases that ran per cluster, zero included, and the ages', () => {
    // Act
    const points = sourcePassMetrics(report, ['take'], config);

    // Assess: prod-db-2 has no recovery point yet, so the stack's worst age is left out (missing is breaching)
    expect(points).toEqual([
      { name: 'SnapshotsTaken', value: 1, unit: 'Count', dimensions: { ClusterId: 'prod-db' } },
      { name: 'SnapshotsTaken', value: 0, unit: 'Count', dimensions: { ClusterId: 'prod-db-2' } },
      { name: 'LatestSnapshotAgeHours', value: 2.5, unit: 'None', dimensions: { ClusterId: 'prod-db' } },
      { name: 'RecoveryPointAgeHours', value: 26.25, unit: 'None', dimensions: { ClusterId: 'prod-db' } },
      {
        name: 'RecoveryPointObjectiveHours',
        value: 48,
        unit: 'None',
        dimensions: { ClusterNamePattern: 'prod' },
      },
      { name: 'ManualSnapshotCount', value: 42, unit: 'Count', dimensions: { Region: 'us-east-1' } },
    ]);
  });

  it("publishes the stack's worst recovery point and its objective under the alarm's dimension", () => {
    // Prepare: both clusters have a recovery point; the objective is set explicitly
    const withObjective = parseConfig({ Source: { ...SOURCE.Source, RecoveryPointObjectiveHours: 30 } })
      .Source as SourceConfig;
    const clusters = report.status.clusters.map((cluster) => ({
      ...cluster,
      recoveryPoint: cluster.recoveryPoint ?? { ...(cluster.latestSnapshot as object), ageHours: 40 },
    }));
    const both = { ...report, status: { ...report.status, clusters } } as unknown as SourcePassReport;

    // Act
    const points = sourcePassMetrics(both, [], withObjective);

    // Assess
    const stack = points.filter((point) => 'ClusterNamePattern' in point.dimensions);
    expect(stack).toEqual([
      { name: 'RecoveryPointAgeHours', value: 40, unit: 'None', dimensions: { ClusterNamePattern: 'prod' } },
      {
        name: 'RecoveryPointObjectiveHours',
        value: 30,
        unit: 'None',
        dimensions: { ClusterNamePattern: 'prod' },
      },
    ]);
  });

  it('publishes one EMF document per dimension set in the AuroraSnapshotTool namespace', () => {
    // Prepare
    const output = captureStdout();

    // Act
    publishMetrics(sourcePassMetrics(report, ['take', 'delete'], config, 'prod-db-stack'));
    output.restore();

    // Assess: each set also has `service`, which Powertools adds and the alarms name
    const docs = output.emf();
    expect(docs).toHaveLength(4);
    expect(output.metric('RecoveryPointAgeHours', { ClusterId: 'prod-db' })).toEqual([26.25]);
    expect(output.metric('SnapshotsDeleted', { ClusterId: 'prod-db-2' })).toEqual([0]);
    const directives = docs.flatMap((doc) => doc._aws.CloudWatchMetrics);
    expect(new Set(directives.map((d) => d.Namespace))).toEqual(new Set(['AuroraSnapshotTool']));
    expect(new Set(directives.flatMap((d) => d.Dimensions.map((set) => [...set].sort().join())))).toEqual(
      new Set(['ClusterId,service', 'Stack,service', 'Region,service']),
    );
    expect(new Set(docs.map((doc) => doc.service))).toEqual(new Set(['aurora-snapshot-tool']));
  });
});

describe('destinationPassMetrics', () => {
  it('takes the recovery point from the newest available copy the tool made, per source cluster', () => {
    // Prepare
    const now = new Date('2025-01-02T00:00:00Z');
    const copied = { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'prod-db' };
    const report = {
      results: [],
      observation: {
        now,
        region: 'us-west-2',
        snapshots: [
          snapshot('prod-db-a', { region: 'us-west-2', tags: copied, pointInTime: '2025-01-01T00:00:00Z' }),
          snapshot('prod-db-b', { region: 'us-west-2', tags: copied, pointInTime: '2025-01-01T18:00:00Z' }),
          snapshot('prod-db-c', {
            region: 'us-west-2',
            status: 'copying',
            tags: copied,
            pointInTime: '2025-01-01T23:00:00Z',
          }),
          snapshot('by-hand', { region: 'us-west-2', pointInTime: '2025-01-01T23:30:00Z' }),
        ],
      },
    } as unknown as Parameters<typeof destinationPassMetrics>[0];

    // Act
    const destination = parseConfig({
      Source: {
        Region: 'us-east-1',
        ClusterNamePattern: 'prod',
        BackupInterval: 8,
        BackupSchedule: '0 */8 * * ? *',
      },
      Destination: { Region: 'us-west-2', SnapshotPattern: 'prod' },
    }).Destination as DestinationConfig;
    const points = destinationPassMetrics(report, ['delete'], destination);

    // Assess: the objective defaults to twice the source's BackupInterval
    expect(points).toEqual([
      { name: 'SnapshotsDeleted', value: 0, unit: 'Count', dimensions: { ClusterId: 'prod-db' } },
      { name: 'RecoveryPointAgeHours', value: 6, unit: 'None', dimensions: { ClusterId: 'prod-db' } },
      { name: 'RecoveryPointAgeHours', value: 6, unit: 'None', dimensions: { SnapshotPattern: 'prod' } },
      {
        name: 'RecoveryPointObjectiveHours',
        value: 16,
        unit: 'None',
        dimensions: { SnapshotPattern: 'prod' },
      },
      { name: 'ManualSnapshotCount', value: 4, unit: 'Count', dimensions: { Region: 'us-west-2' } },
    ]);
  });
});
