// The recovery-point alarm of each cluster stack: it watches exactly the metrics the functions print as EMF
// (names, the exact dimension set with Powertools' `service`, the stack its state machine names in each task's
// payload), breaches on missing data, and notifies the stack's topic with the pattern, the region and the
// objective in its description. test/contracts/emf-alarms.test.ts checks the same on the built bundles.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import type { DestinationPassReport, SourcePassReport } from '../../src/core/plan/pass.js';
import { RECOVERY_POINT_ALARM } from '../../src/core/policy/recovery-point.js';
import { runsBetween } from '../../src/core/policy/schedule.js';
import {
  destinationPassMetrics,
  type MetricPoint,
  publishMetrics,
  sourcePassMetrics,
} from '../../src/handlers/metrics.js';
import { ALL_FUNCTIONS, DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { SOURCE_DESTINATION_METRICS } from '../../src/infra/cluster-job.js';
import { BundleCode, SourceCluster, SourceFunctions, SourceRoles } from '../../src/infra/index.js';
import { EXPORTS, synthesizeTemplates } from '../../src/infra/templates/index.js';
import { captureStdout } from '../state-machine/harness.js';
import { snapshot } from '../support/snapshot-builder.js';
import { type Deployment, evaluate } from './support/cfn-eval.js';

const { templates } = synthesizeTemplates();
const BUNDLES = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
  return dir;
})();

function sourceStack() {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
  const stack = new Stack(app, 'S', { env: { region: 'us-east-1', account: '123456789012' } });
  const roles = new SourceRoles(stack, 'Roles');
  const functions = new SourceFunctions(stack, 'Functions', {
    role: roles.lambdaRole,
    code: BundleCode.fromDirectory(BUNDLES),
  });
  return { stack, roles, functions };
}
type Json = Record<string, unknown>;

const IMPORTS: Record<string, string> = Object.fromEntries([
  ...[...SOURCE_FUNCTIONS, ...DESTINATION_FUNCTIONS].map((fn) => [
    EXPORTS.function(fn),
    `arn:aws:lambda:eu-west-1:123456789012:function:${fn}`,
  ]),
  ...(['Source', 'Destination'] as const).flatMap((side) =>
    (['LambdaRole', 'StateMachineRole', 'EventsRole'] as const).map((role) => [
      EXPORTS.role(side, role),
      `arn:aws:iam::123456789012:role/${side}${role}`,
    ]),
  ),
]);

function resourcesOf(template: Json, type: string): [string, Json][] {
  return Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
}

/** The alarm that breaches on missing data (the failed-runs alarm does not). */
function recoveryAlarmOf(template: Json): [string, Json] {
  const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(
    ([, r]) => (r.Properties as Json).TreatMissingData === RECOVERY_POINT_ALARM.treatMissingData,
  );
  expect(alarms).toHaveLength(1);
  return alarms[0] as [string, Json];
}

/**
 * The alarm's properties, the configuration the schedule hands the functions and the `stack` the state
 * machine puts in every task's payload, for one deployment.
 */
function deployed(name: 'source-cluster' | 'destination-cluster', deployment: Deployment) {
  const template = templates[name] as Json;
  const [logicalId, alarm] = recoveryAlarmOf(template);
  const properties = evaluate(template, alarm.Properties, deployment) as Json;
  const [[, schedule]] = resourcesOf(template, 'AWS::Scheduler::Schedule') as [[string, Json]];
  const target = (schedule.Properties as Json).Target as Json;
  const input = JSON.parse(evaluate(template, target.Input, deployment) as string);
  const [[, machine]] = resourcesOf(template, 'AWS::StepFunctions::StateMachine') as [[string, Json]];
  const definition = JSON.parse(
    evaluate(template, (machine.Properties as Json).DefinitionString, deployment) as string,
  );
  return { logicalId, properties, config: parseConfig(input), template, stacks: payloadStacks(definition) };
}

/** The `stack` of each Lambda task's payload in a definition. */
function payloadStacks(definition: { States: Record<string, Json> }): unknown[] {
  return Object.values(definition.States)
    .filter((state) => state.Type === 'Task')
    .map((state) => ((state.Parameters as Json).Payload as Json).stack);
}

interface MetricQuery {
  Id: string;
  Expression?: string;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
}

/** The (name, dimensions) of each metric the alarm reads, as the publisher would write them. */
function watched(properties: Json): { id: string; name: string; dimensions: Record<string, string> }[] {
  return (properties.Metrics as MetricQuery[])
    .filter((query) => query.MetricStat)
    .map((query) => {
      const stat = query.MetricStat as NonNullable<MetricQuery['MetricStat']>;
      expect(stat.Metric.Namespace).toBe(RECOVERY_POINT_ALARM.namespace);
      expect(stat.Period).toBe(RECOVERY_POINT_ALARM.periodSeconds);
      expect(stat.Stat).toBe(RECOVERY_POINT_ALARM.statistic);
      return {
        id: query.Id,
        name: stat.Metric.MetricName,
        dimensions: Object.fromEntries(stat.Metric.Dimensions.map((d) => [d.Name, d.Value])),
      };
    });
}

interface Emitted {
  readonly name: string;
  readonly value: unknown;
  readonly dimensions: Record<string, string>;
}

/** What CloudWatch receives for the points: the EMF documents publishMetrics prints, metric by metric. */
function emitted(points: readonly MetricPoint[]): Emitted[] {
  const output = captureStdout();
  try {
    publishMetrics(points);
  } finally {
    output.restore();
  }
  return output.emf().flatMap((doc) =>
    doc._aws.CloudWatchMetrics.flatMap((directive) => {
      expect(directive.Namespace).toBe(RECOVERY_POINT_ALARM.namespace);
      return directive.Metrics.flatMap((metric) =>
        directive.Dimensions.map((set) => ({
          name: metric.Name,
          value: doc[metric.Name],
          dimensions: Object.fromEntries(set.map((key) => [key, String(doc[key])])),
        })),
      );
    }),
  );
}

/** The metrics CloudWatch receives under exactly this name and dimension set. */
function published(metrics: readonly Emitted[], name: string, dimensions: Record<string, string>) {
  const wanted = JSON.stringify(Object.entries(dimensions).sort());
  return metrics.filter(
    (metric) => metric.name === name && JSON.stringify(Object.entries(metric.dimensions).sort()) === wanted,
  );
}

function expectAlarmShape(properties: Json): void {
  expect(properties).toMatchObject({
    ComparisonOperator: RECOVERY_POINT_ALARM.comparisonOperator,
    Threshold: RECOVERY_POINT_ALARM.threshold,
    EvaluationPeriods: RECOVERY_POINT_ALARM.evaluationPeriods,
    DatapointsToAlarm: RECOVERY_POINT_ALARM.datapointsToAlarm,
    TreatMissingData: RECOVERY_POINT_ALARM.treatMissingData,
  });
  const expression = (properties.Metrics as MetricQuery[]).find((query) => query.Expression);
  expect(expression?.Expression).toBe(RECOVERY_POINT_ALARM.expression);
}

describe('the source-cluster recovery-point alarm', () => {
  const deployment: Deployment = {
    region: 'eu-west-1',
    parameters: {
      ClusterNamePattern: '^orders$',
      BackupInterval: '8',
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'eu-central-1',
    },
    imports: IMPORTS,
    stackName: 'orders-source',
  };

  it('reads the age and the objective the source functions print, under the service and the stack its state machine names', () => {
    // Prepare
    const { properties, config, stacks } = deployed('source-cluster', deployment);
    const source = config.Source as SourceConfig;
    const report = {
      results: [],
      status: {
        at: '2025-01-01T00:00:00.000Z',
        region: 'eu-west-1',
        destinationRegion: 'eu-central-1',
        manualSnapshotCount: 1,
        manualSnapshotQuota: 100,
        clusters: [
          {
            clusterId: 'orders',
            region: 'eu-west-1',
            latestSnapshot: undefined,
            latestCopy: undefined,
            recoveryPoint: {
              id: 'c',
              region: 'eu-central-1',
              status: 'available',
              pointInTime: '',
              ageHours: 20,
            },
            snapshotCount: 1,
            copyCount: 1,
          },
        ],
      },
    } as unknown as SourcePassReport;

    // Act
    const printed = emitted(sourcePassMetrics(report, [], source, stacks[0] as string));
    const metrics = watched(properties);

    // Assess: each metric the alarm reads is one the run printed, with the objective BackupInterval + the
    // 24 hours between two runs of the default daily BackupSchedule (more than 2 x BackupInterval)
    expectAlarmShape(properties);
    expect(new Set(stacks)).toEqual(new Set(['orders-source']));
    expect(metrics.map((m) => [m.id, m.name])).toEqual([
      ['age', RECOVERY_POINT_ALARM.ageMetric],
      ['objective', RECOVERY_POINT_ALARM.objectiveMetric],
    ]);
    for (const metric of metrics) {
      expect(metric.dimensions).toEqual({ service: 'aurora-snapshot-tool', Stack: 'orders-source' });
      expect(published(printed, metric.name, metric.dimensions)).toHaveLength(1);
    }
    expect(published(printed, RECOVERY_POINT_ALARM.ageMetric, metrics[0]?.dimensions ?? {})[0]?.value).toBe(
      20,
    );
    expect(
      published(printed, RECOVERY_POINT_ALARM.objectiveMetric, metrics[1]?.dimensions ?? {})[0]?.value,
    ).toBe(32);
  });

  it('hands the functions RecoveryPointObjectiveHours when set, and states it in the description', () => {
    // Act
    const { properties, config } = deployed('source-cluster', {
      ...deployment,
      parameters: { ...deployment.parameters, RecoveryPointObjectiveHours: '12' },
    });
    const byDefault = deployed('source-cluster', deployment);

    // Assess
    expect(config.Source?.RecoveryPointObjectiveHours).toBe(12);
    expect(byDefault.config.Source?.RecoveryPointObjectiveHours).toBeUndefined();
    expect(properties.AlarmDescription).toMatch(
      /\^orders\$ in eu-west-1 .*RecoveryPointObjectiveHours \(12 hours\)/,
    );
    expect(properties.AlarmDescription).toContain('service=aurora-snapshot-tool, Stack=orders-source');
    expect(byDefault.properties.AlarmDescription).toMatch(
      /BackupInterval \(8 hours\) \+ itself or the longest wait between runs/,
    );
    expect(properties.AlarmDescription).toMatch(/age in hours/);
  });

  it("notifies the stack's topic, whose policy lets this alarm publish", () => {
    // Act
    const template = templates['source-cluster'] as Json;
    const [logicalId, alarm] = recoveryAlarmOf(template);

    // Assess
    const [topic] = resourcesOf(template, 'AWS::SNS::Topic');
    expect((alarm.Properties as Json).AlarmActions).toEqual([{ Ref: topic?.[0] }]);
    const [[, policy]] = resourcesOf(template, 'AWS::SNS::TopicPolicy') as [[string, Json]];
    const statements = ((policy.Properties as Json).PolicyDocument as Json).Statement as Json[];
    const publish = statements.find((s) => s.Sid === 'ThisAlarmPublishes') as Json;
    expect(JSON.stringify(publish.Condition)).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] }));
  });
});

describe('the source-cluster alarms with several destinations (template slots)', () => {
  const deployment: Deployment = {
    region: 'eu-west-1',
    parameters: {
      ClusterNamePattern: '^orders$',
      BackupInterval: '8',
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'eu-central-1',
      Destination2Region: 'us-west-2',
      Destination2Account: '111122223333',
    },
    imports: IMPORTS,
  };
  const age = (hours: number) => ({
    id: 'c',
    region: 'x',
    status: 'available',
    pointInTime: '',
    ageHours: hours,
  });
  /** A pass over one cluster whose copy in eu-central-1 is 5 hours old, and whose destination 2 has `second`. */
  const report = (second: ReturnType<typeof age> | undefined, failed = false) =>
    ({
      results: failed
        ? [
            {
              ok: false,
              action: {
                kind: 'copy',
                clusterId: 'orders',
                snapshotId: 'orders-2025-01-01-00-00',
                targetRegion: 'us-west-2',
                targetSnapshotId: 'orders-2025-01-01-00-00',
              },
              error: { name: 'AccessDenied', message: 'denied' },
            },
          ]
        : [],
      status: {
        at: '2025-01-01T00:00:00.000Z',
        region: 'eu-west-1',
        manualSnapshotCount: 1,
        manualSnapshotQuota: 100,
        clusters: [
          {
            clusterId: 'orders',
            region: 'eu-west-1',
            latestSnapshot: age(1),
            latestCopy: age(5),
            recoveryPoint: age(5),
            snapshotCount: 1,
            copyCount: 1,
            destinations: [
              {
                id: 'eu-central-1',
                kind: 'copy',
                region: 'eu-central-1',
                latestCopy: age(5),
                lagHours: 0,
                lagging: false,
              },
              {
                id: '111122223333@us-west-2',
                kind: 'copy-share',
                region: 'us-west-2',
                account: '111122223333',
                latestCopy: second,
                lagHours: second ? 0 : 30,
                lagging: !second,
              },
            ],
          },
        ],
      },
    }) as unknown as SourcePassReport;

  it('its one recovery-point alarm reads the worst age over every destination, and no point (breaching) when one has no copy', () => {
    // Prepare
    const { properties, config, stacks } = deployed('source-cluster', deployment);
    const source = config.Source as SourceConfig;
    const [age0] = watched(properties);
    const stack = stacks[0] as string;
    // Act
    const stale = published(
      emitted(sourcePassMetrics(report(age(40)), [], source, stack)),
      age0?.name ?? '',
      age0?.dimensions ?? {},
    );
    const dead = published(
      emitted(sourcePassMetrics(report(undefined), [], source, stack)),
      age0?.name ?? '',
      age0?.dimensions ?? {},
    );
    // Assess: 40 hours is above the objective of 16, so the alarm's expression shows it; no point is breaching.
    expect(source.Destinations).toHaveLength(2);
    expect(stale.map((p) => p.value)).toEqual([40]);
    expect(dead).toEqual([]);
    expect(RECOVERY_POINT_ALARM.treatMissingData).toBe('breaching');
  });

  it("the alarms' descriptions name the per-destination metrics the functions publish, with the Destination dimension", () => {
    // Prepare
    const { properties, config, template, stacks } = deployed('source-cluster', deployment);
    const source = config.Source as SourceConfig;
    const points = emitted(sourcePassMetrics(report(age(6), true), ['share'], source, stacks[0] as string));
    const failedAlarm = resourcesOf(template, 'AWS::CloudWatch::Alarm').find(([id]) =>
      id.startsWith('JobFailedExecutions'),
    );
    // Act
    const failedDescription = String(
      evaluate(
        template,
        ((failedAlarm as [string, Json])[1].Properties as Json).AlarmDescription,
        deployment,
      ),
    );
    // Assess
    expect(String(properties.AlarmDescription)).toContain(SOURCE_DESTINATION_METRICS.age);
    expect(failedDescription).toContain(SOURCE_DESTINATION_METRICS.failed);
    expect(
      published(points, SOURCE_DESTINATION_METRICS.age, {
        service: 'aurora-snapshot-tool',
        ClusterId: 'orders',
        [SOURCE_DESTINATION_METRICS.dimension]: '111122223333@us-west-2',
      }).map((p) => p.value),
    ).toEqual([6]);
    expect(
      published(points, SOURCE_DESTINATION_METRICS.failed, {
        service: 'aurora-snapshot-tool',
        [SOURCE_DESTINATION_METRICS.dimension]: '111122223333@us-west-2',
      }).map((p) => p.value),
    ).toEqual([1]);
  });
});

describe('the destination-cluster recovery-point alarm', () => {
  it('reads the age and the objective the destination functions print, under the service and the stack', () => {
    // Prepare
    const { properties, config, stacks } = deployed('destination-cluster', {
      region: 'eu-central-1',
      parameters: { SnapshotPattern: 'orders', SourceRegion: 'eu-west-1' },
      imports: IMPORTS,
      stackName: 'orders-dr',
    });
    const destination = config.Destination as DestinationConfig;
    const now = new Date('2025-01-02T00:00:00Z');
    const report = {
      results: [],
      observation: {
        now,
        region: 'eu-central-1',
        snapshots: [
          snapshot('orders-a', {
            region: 'eu-central-1',
            tags: {
              [TAG.CopiedBy]: TOOL_TAG_VALUE,
              [TAG.SourceCluster]: 'orders',
              [TAG.SourceRegion]: 'eu-west-1',
            },
            pointInTime: '2025-01-01T12:00:00Z',
          }),
        ],
      },
    } as unknown as DestinationPassReport;

    // Act
    const points = emitted(destinationPassMetrics(report, [], destination, stacks[0] as string));
    const metrics = watched(properties);

    // Assess: the objective is 48 hours (twice the default BackupInterval) when not set
    expectAlarmShape(properties);
    expect(new Set(stacks)).toEqual(new Set(['orders-dr']));
    const dimensions = { service: 'aurora-snapshot-tool', Stack: 'orders-dr' };
    for (const metric of metrics) {
      expect(metric.dimensions).toEqual(dimensions);
      expect(published(points, metric.name, metric.dimensions)).toHaveLength(1);
    }
    expect(published(points, RECOVERY_POINT_ALARM.ageMetric, dimensions)[0]?.value).toBe(12);
    expect(published(points, RECOVERY_POINT_ALARM.objectiveMetric, dimensions)[0]?.value).toBe(48);
    expect(properties.AlarmDescription).toMatch(/SnapshotPattern orders in eu-central-1 .*48 hours/);
  });
});

describe('the SourceCluster construct', () => {
  /** Each recovery-point alarm of a synthesized stack, with the `stack` its state machine's payloads carry. */
  function alarmsAndPayloads(template: Json, deployment: Deployment) {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm')
      .filter(([, r]) => (r.Properties as Json).TreatMissingData === RECOVERY_POINT_ALARM.treatMissingData)
      .map(([, r]) => evaluate(template, r.Properties, deployment) as Json);
    const payloads = resourcesOf(template, 'AWS::StepFunctions::StateMachine').map(([, r]) =>
      payloadStacks(
        JSON.parse(evaluate(template, (r.Properties as Json).DefinitionString, deployment) as string),
      ),
    );
    return { alarms, payloads };
  }

  it('has the same alarm, under the stack its state machine names, with the objective the props give', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();

    // Act
    new SourceCluster(stack, 'C', {
      roles,
      functions,
      clusterNamePattern: '^orders$',
      backupInterval: 6,
      recoveryPointObjectiveHours: 9,
    });
    const template = Template.fromStack(stack).toJSON() as Json;
    const { alarms, payloads } = alarmsAndPayloads(template, { stackName: 'orders-stack' });

    // Assess
    const [properties] = alarms as [Json];
    expectAlarmShape(properties);
    expect(String(properties.AlarmDescription)).toContain('RecoveryPointObjectiveHours (9 hours)');
    const dimensions = { service: 'aurora-snapshot-tool', Stack: 'orders-stack' };
    expect(watched(properties).map((m) => m.dimensions)).toEqual([dimensions, dimensions]);
    expect(payloads.map((p) => [...new Set(p)])).toEqual([['orders-stack']]);
  });

  it('gives two clusters of one stack a Stack value each, in its alarm and its payloads, so neither feeds the other', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();

    // Act: one pattern, two sets of tags
    for (const team of ['a', 'b']) {
      new SourceCluster(stack, `Team${team}`, {
        roles,
        functions,
        clusterNamePattern: '^orders',
        clusterTags: { team },
      });
    }
    const template = Template.fromStack(stack).toJSON() as Json;
    const { alarms, payloads } = alarmsAndPayloads(template, { stackName: 'orders-stack' });

    // Assess
    const watchedStacks = alarms.map((a) => [...new Set(watched(a).map((m) => m.dimensions.Stack))]);
    expect(watchedStacks.sort()).toEqual([['orders-stack/Teama/Job'], ['orders-stack/Teamb/Job']]);
    expect(payloads.map((p) => [...new Set(p)]).sort()).toEqual(watchedStacks.sort());
  });

  it('refuses a RecoveryPointObjectiveHours below the backup interval, naming the prop', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();

    // Act / Assess
    expect(
      () =>
        new SourceCluster(stack, 'C', {
          roles,
          functions,
          clusterNamePattern: '^orders$',
          backupInterval: 6,
          recoveryPointObjectiveHours: 5,
        }),
    ).toThrow(/recoveryPointObjectiveHours: must not be below BackupInterval \(6 hours\)/);
  });
});

/** One data point CloudWatch holds for the alarm: when, and the age and objective printed then. */
interface Point {
  readonly at: number;
  readonly age: number;
  readonly objective: number;
}

/**
 * Whether the alarm of `properties` (as the template gives CloudWatch) is in ALARM at `at`: over its
 * EvaluationPeriods sliding windows of Period seconds (CloudWatch's default evaluation window), each window's
 * Maximum through `IF(age > objective, age, 0)`, a window without points as TreatMissingData says, ALARM when
 * DatapointsToAlarm of them breach.
 */
function inAlarm(properties: Json, points: readonly Point[], at: number): boolean {
  const periodMs = (properties.Metrics as MetricQuery[]).find((q) => q.MetricStat)!.MetricStat!.Period * 1000;
  const periods = properties.EvaluationPeriods as number;
  const needed = (properties.DatapointsToAlarm as number | undefined) ?? periods;
  let breaching = 0;
  for (let i = 0; i < periods; i++) {
    const inWindow = points.filter((p) => p.at > at - (i + 1) * periodMs && p.at <= at - i * periodMs);
    if (inWindow.length === 0) {
      if (properties.TreatMissingData === 'breaching') breaching++;
      continue;
    }
    const maxAge = Math.max(...inWindow.map((p) => p.age));
    const maxObjective = Math.max(...inWindow.map((p) => p.objective));
    const value = maxAge > maxObjective ? maxAge : 0;
    if (value > (properties.Threshold as number)) breaching++;
  }
  return breaching >= needed;
}

describe('the recovery-point alarm across a spring-forward change', () => {
  const HOUR = 3_600_000;
  afterEach(() => {
    vi.useRealTimers();
  });

  /**
   * The points the source functions print at each run of the schedule between `from` and `until`: the
   * recovery point is the previous run's snapshot (the run's own is still being created when it prints).
   */
  function printedPoints(zone: string, from: string, until: string): { points: Point[]; alarm: Json } {
    const { properties, config, stacks } = deployed('source-cluster', {
      region: 'eu-west-1',
      parameters: { ClusterNamePattern: '^orders$', BackupSchedule: '30 2 * * ? *', ScheduleTimezone: zone },
      imports: IMPORTS,
      stackName: 'orders-source',
    });
    const source = config.Source as SourceConfig;
    const runs = runsBetween(
      source.BackupSchedule,
      new Date(from),
      new Date(until),
      1000,
      source.ScheduleTimezone,
    );
    const [age, objective] = watched(properties);
    const points: Point[] = [];
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let i = 1; i < runs.length; i++) {
      const run = runs[i] as Date;
      vi.setSystemTime(run);
      const ageHours = (run.getTime() - (runs[i - 1] as Date).getTime()) / HOUR;
      const report = {
        results: [],
        status: {
          at: run.toISOString(),
          region: 'eu-west-1',
          manualSnapshotCount: 1,
          manualSnapshotQuota: 100,
          clusters: [
            {
              clusterId: 'orders',
              region: 'eu-west-1',
              latestSnapshot: undefined,
              latestCopy: undefined,
              recoveryPoint: { id: 's', region: 'eu-west-1', status: 'available', pointInTime: '', ageHours },
              snapshotCount: 1,
              copyCount: 0,
            },
          ],
        },
      } as unknown as SourcePassReport;
      const printed = emitted(sourcePassMetrics(report, [], source, stacks[0] as string));
      const value = (name: string, dimensions: Record<string, string>) =>
        published(printed, name, dimensions)[0]?.value as number;
      points.push({
        at: run.getTime(),
        age: value(age!.name, age!.dimensions),
        objective: value(objective!.name, objective!.dimensions),
      });
    }
    vi.useRealTimers();
    return { points, alarm: properties };
  }

  /** The instants, every 15 minutes, at which the alarm is in ALARM. */
  function alarmed(alarm: Json, points: readonly Point[], from: string, until: string): number[] {
    expectAlarmShape(alarm);
    expect(watched(alarm)[0]?.name).toBe(RECOVERY_POINT_ALARM.ageMetric);
    const times: number[] = [];
    for (let t = Date.parse(from); t <= Date.parse(until); t += 15 * 60_000) {
      if (inAlarm(alarm, points, t)) times.push(t);
    }
    return times;
  }

  for (const [zone, skipped] of [
    ['Europe/Berlin', '2027-03-28'],
    ['America/New_York', '2027-03-14'],
  ] as const) {
    it(`stays OK in ${zone} when 02:30 does not exist on ${skipped} and the day has no run`, () => {
      // Prepare: a daily 02:30, the week around the change
      const { points, alarm } = printedPoints(zone, '2027-03-05T00:00:00Z', '2027-04-05T00:00:00Z');
      const ages = points.map((p) => p.age);
      // Assess: Scheduler skips the day (47 hours between two runs), and no UTC day of it holds a point
      expect(Math.max(...ages)).toBe(47);
      const dayStart = Date.parse(`${skipped}T00:00:00Z`);
      expect(points.filter((p) => p.at >= dayStart && p.at < dayStart + 24 * HOUR)).toEqual([]);
      // Act / Assess: the objective the runs print covers the wait, and the alarm never fires that week
      expect(points.every((p) => p.objective >= 47)).toBe(true);
      expect(alarmed(alarm, points, '2027-03-10T00:00:00Z', '2027-04-04T00:00:00Z')).toEqual([]);
    });
  }

  it('still fires within two days of the last run when the schedule stops', () => {
    // Prepare: the runs stop after 2027-03-24 (a disabled schedule publishes nothing)
    const { points, alarm } = printedPoints('Europe/Berlin', '2027-03-05T00:00:00Z', '2027-03-24T12:00:00Z');
    const last = (points.at(-1) as Point).at;
    // Act
    const times = alarmed(alarm, points, '2027-03-10T00:00:00Z', '2027-04-04T00:00:00Z');
    // Assess: ALARM from two days after the last run, and from then on
    expect(times[0]).toBeGreaterThan(last + 47 * HOUR);
    expect(times[0]).toBeLessThanOrEqual(last + 48 * HOUR + 15 * 60_000);
    expect(times.at(-1)).toBe(Date.parse('2027-04-04T00:00:00Z'));
    expect(times.length).toBe(
      (Date.parse('2027-04-04T00:00:00Z') - (times[0] as number)) / (15 * 60_000) + 1,
    );
  });
});
