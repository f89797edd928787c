// The CDK constructs: props validated by the CLI's schema (ConfigError naming the prop), the input and schedule they produce, keys by ARN, id or alias, assets, shared topics.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { ALL_FUNCTIONS, LAMBDA_HANDLER, LAMBDA_RUNTIME, SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { addToolStacks } from '../../src/infra/app.js';
import { DestinationCluster, type DestinationClusterProps } from '../../src/infra/destination-cluster.js';
import { BundleCode, DestinationFunctions, SourceFunctions } from '../../src/infra/functions.js';
import { DestinationRoles, SourceRoles } from '../../src/infra/roles.js';
import { SNAPSHOT_EVENT_PATTERN, TRIGGER } from '../../src/infra/snapshot-events.js';
import { SourceCluster, type SourceClusterProps } from '../../src/infra/source-cluster.js';

const BUNDLES = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
  return dir;
})();

function sourceStack(region = 'eu-west-1') {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
  const stack = new Stack(app, 'Source', { env: { region, account: '123456789012' } });
  const roles = new SourceRoles(stack, 'Roles');
  const functions = new SourceFunctions(stack, 'Functions', {
    role: roles.lambdaRole,
    code: BundleCode.fromDirectory(BUNDLES),
  });
  return { app, stack, roles, functions };
}

function destinationStack(region = 'eu-central-1') {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
  const stack = new Stack(app, 'Destination', { env: { region, account: '123456789012' } });
  const roles = new DestinationRoles(stack, 'Roles');
  const functions = new DestinationFunctions(stack, 'Functions', {
    role: roles.lambdaRole,
    code: BundleCode.fromDirectory(BUNDLES),
  });
  return { app, stack, roles, functions };
}

type SourceSettings = Omit<SourceClusterProps, 'roles' | 'functions'>;
type DestinationSettings = Omit<DestinationClusterProps, 'roles' | 'functions'>;

function issuesOf(act: () => unknown): { parameter: string; message: string }[] {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

/** The input the cluster's schedule starts its state machine with, parsed. */
function ruleInput(stack: Stack): unknown {
  const schedules = Template.fromStack(stack).findResources('AWS::Scheduler::Schedule');
  const [schedule] = Object.values(schedules) as [{ Properties: { Target: { Input: unknown } } }];
  const input = schedule.Properties.Target.Input;
  expect(typeof input).toBe('string');
  return JSON.parse(input as string);
}

describe('SourceCluster props are validated with the schema, naming the prop', () => {
  it.each<[string, SourceSettings, string]>([
    ['a zero interval', { clusterNamePattern: 'orders', backupInterval: 0 }, 'backupInterval'],
    ['a pattern with a space', { clusterNamePattern: 'orders db' }, 'clusterNamePattern'],
    ['a 5-field cron', { clusterNamePattern: 'orders', backupSchedule: '0 1 * * ?' }, 'backupSchedule'],
    [
      'sharing without a destination',
      { clusterNamePattern: 'orders', shareSnapshots: true },
      'destinationRegion',
    ],
    [
      'the destination in its own region',
      { clusterNamePattern: 'orders', destinationRegion: 'eu-west-1' },
      'destinationRegion',
    ],
    ['a short account', { clusterNamePattern: 'orders', destinationAccount: '1234' }, 'destinationAccount'],
    [
      'a destination key of another region',
      {
        clusterNamePattern: 'orders',
        destinationRegion: 'eu-central-1',
        kmsKeyDestination: 'arn:aws:kms:us-east-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
      },
      'kmsKeyDestination',
    ],
    ['a tag key starting with aws:', { clusterNamePattern: 'orders', tags: { 'aws:x': 'y' } }, 'tags.aws:x'],
    ['a retention of 0 days', { clusterNamePattern: 'orders', retentionDays: 0 }, 'retentionDays'],
  ])('rejects %s', (_label, settings, prop) => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    const issues = issuesOf(() => new SourceCluster(stack, 'Cluster', { roles, functions, ...settings }));
    // Assess
    expect(issues.map((i) => i.parameter)).toContain(prop);
  });

  it('takes CloudFormation parameters as they are, for deployment-time values', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    const pattern = new CfnParameter(stack, 'Pattern', { type: 'String' });
    // Act
    new SourceCluster(stack, 'Cluster', {
      roles,
      functions,
      clusterNamePattern: pattern.valueAsString,
      backupInterval: 8,
    });
    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({ Input: Match.objectLike({ 'Fn::Join': Match.anyValue() }) }),
    });
  });
});

describe('unknown props, as a plain-JavaScript app could pass them, are refused before anything is created', () => {
  /** Props with one key the construct does not know, as JavaScript lets an app write them. */
  const withKey = <P>(props: P, key: string, value: unknown): P =>
    ({ ...props, [key]: value }) as unknown as P;

  it('SourceCluster refuses a misspelt retentionDay, naming it, suggesting retentionDays and listing the accepted props', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    const props = withKey<SourceClusterProps>(
      { roles, functions, clusterNamePattern: 'orders' },
      'retentionDay',
      3,
    );
    // Act
    const issues = issuesOf(() => new SourceCluster(stack, 'Cluster', props));
    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.parameter).toBe('retentionDay');
    expect(issues[0]?.message).toContain('not a prop of SourceCluster (did you mean retentionDays?)');
    expect(issues[0]?.message).toMatch(/accepted: .*clusterNamePattern.*retentionDays/);
    expect(stack.node.tryFindChild('Cluster')?.node.children ?? []).toEqual([]);
    expect(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine')).toEqual({});
  });

  it('SourceCluster names every unknown prop, even one set to undefined, and does not take a far-off name for a known one', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    const props = withKey(
      withKey<SourceClusterProps>({ roles, functions, clusterNamePattern: 'orders' }, 'deleteOld', undefined),
      'region',
      'eu-west-1',
    );
    // Act
    const issues = issuesOf(() => new SourceCluster(stack, 'Cluster', props));
    // Assess
    expect(issues.map((i) => i.parameter)).toEqual(['deleteOld', 'region']);
    expect(issues[0]?.message).not.toContain('did you mean');
  });

  it('DestinationCluster refuses a misspelt sourceAcount naming it and creates nothing', () => {
    // Prepare
    const { stack, roles, functions } = destinationStack();
    const props = withKey<DestinationClusterProps>(
      { roles, functions, snapshotPattern: 'orders' },
      'sourceAcount',
      '123456789012',
    );
    // Act
    const issues = issuesOf(() => new DestinationCluster(stack, 'Cluster', props));
    // Assess
    expect(issues.map((i) => i.parameter)).toEqual(['sourceAcount']);
    expect(issues[0]?.message).toContain('not a prop of DestinationCluster (did you mean sourceAccount?)');
    expect(issues[0]?.message).toContain('sharedSnapshotsKmsKey');
    expect(stack.node.tryFindChild('Cluster')?.node.children ?? []).toEqual([]);
  });

  it('SourceFunctions and DestinationFunctions refuse a misspelt memorysize, showing an object value by its kind only', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');
    const role = new SourceRoles(stack, 'Roles').lambdaRole;
    const props = withKey(
      withKey({ role, code: BundleCode.fromDirectory(BUNDLES) }, 'memorysize', 512),
      'rol',
      role,
    );
    // Act
    const source = issuesOf(() => new SourceFunctions(stack, 'Functions', props));
    const destination = issuesOf(() => new DestinationFunctions(stack, 'Functions', props));
    // Assess
    for (const issues of [source, destination]) {
      expect(issues.map((i) => i.parameter)).toEqual(['memorysize', 'rol']);
      expect(issues[0]?.message).toContain('(did you mean memorySize?)');
    }
    expect(source[0]?.message).toContain('not a prop of SourceFunctions');
    expect(destination[1]).toMatchObject({ value: '<object>' });
    expect(stack.node.tryFindChild('Functions')).toBeUndefined();
  });
});

describe('SourceCluster', () => {
  it('starts its state machine on cron(backupSchedule) with the configuration block, defaults filled in', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    const cluster = new SourceCluster(stack, 'Cluster', {
      roles,
      functions,
      clusterNamePattern: '^orders-\\d+$',
      backupSchedule: '0 0,8,16 * * ? *',
      deleteOldSnapshots: false,
    });
    const input = ruleInput(stack);
    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 0,8,16 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
    expect(input).toEqual(cluster.config);
    expect(parseConfig(input).Source).toMatchObject({
      Region: 'eu-west-1',
      ClusterNamePattern: '^orders-\\d+$',
      BackupInterval: 24,
      RetentionDays: 7,
      DeleteOldSnapshots: false,
      ShareSnapshots: false,
    });
  });

  it('refuses a backupSchedule written as cron(...): the construct writes cron(...) around the fields itself', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    const issues = issuesOf(
      () =>
        new SourceCluster(stack, 'Cluster', {
          roles,
          functions,
          clusterNamePattern: '^orders$',
          backupSchedule: ' cron(0 2 * * ? *) ',
        }),
    );
    // Assess
    expect(issues).toEqual([expect.objectContaining({ parameter: 'backupSchedule' })]);
  });

  it('runs its schedule in scheduleTimezone and hands the functions the zone, the tags and the exclusion', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    new SourceCluster(stack, 'Cluster', {
      roles,
      functions,
      clusterNamePattern: 'ALL_CLUSTERS',
      scheduleTimezone: 'Europe/Berlin',
      clusterTags: { team: 'db' },
      excludeClusterPattern: '-scratch$',
    });
    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(parseConfig(ruleInput(stack)).Source).toMatchObject({
      ScheduleTimezone: 'Europe/Berlin',
      ClusterTags: { team: 'db' },
      ExcludeClusterPattern: '-scratch$',
    });
  });

  it('refuses an unknown scheduleTimezone, naming the prop', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    const issues = issuesOf(
      () =>
        new SourceCluster(stack, 'Cluster', {
          roles,
          functions,
          clusterNamePattern: 'orders',
          scheduleTimezone: 'Europe/Atlantis',
        }),
    );
    // Assess
    expect(issues.map((i) => i.parameter)).toContain('scheduleTimezone');
  });

  it('invokes the given functions and runs as the shared state machine role', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    new SourceCluster(stack, 'Cluster', { roles, functions, clusterNamePattern: 'orders' });
    const template = Template.fromStack(stack);
    // Assess
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as [
      { Properties: { DefinitionString: unknown; RoleArn: unknown } },
    ];
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    for (const fn of SOURCE_FUNCTIONS) expect(definition).toContain(`Functions${fn}`);
    expect(JSON.stringify(machine.Properties.RoleArn)).toContain('RolesStateMachineRole');
  });

  it.each([
    ['a key ARN', 'arn:aws:kms:eu-west-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666'],
    ['a key id', '0b3a2c5e-1111-2222-3333-444455556666'],
    ['an alias', 'alias/snapshot-tool'],
    ['no key', undefined],
  ])(
    'writes no policy to the shared roles for a cluster with kmsKeySource given as %s: the roles use keys through RDS',
    (_label, key) => {
      // Prepare
      const { stack, roles, functions } = sourceStack();
      // Act
      new SourceCluster(stack, 'Cluster', {
        roles,
        functions,
        clusterNamePattern: 'orders',
        shareSnapshots: true,
        destinationRegion: 'eu-central-1',
        kmsKeyDestination: 'alias/dr',
        ...(key ? { kmsKeySource: key } : {}),
      });
      // Assess
      expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).toEqual([]);
    },
  );

  it('names its state machine with the documented source prefix, distinct for two clusters of one stack', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    new SourceCluster(stack, 'Orders', { roles, functions, clusterNamePattern: 'orders' });
    new SourceCluster(stack, 'Billing', { roles, functions, clusterNamePattern: 'billing' });
    const names = Object.values(
      Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'),
    ).map((m) =>
      JSON.stringify((m as { Properties: { StateMachineName: unknown } }).Properties.StateMachineName),
    );
    // Assess
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toContain('AuroraSnapshotTool-Source-');
    expect(new Set(names).size).toBe(2);
  });

  it('shares the given alarm topic instead of creating a topic and a key', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    const topic = new Topic(stack, 'Ops');
    // Act
    new SourceCluster(stack, 'Cluster', {
      roles,
      functions,
      clusterNamePattern: 'orders',
      alarmTopic: topic,
    });
    const template = Template.fromStack(stack);
    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Ops') }],
    });
  });

  it('serves two clusters from one set of roles and functions, each with its own machine, schedule and log group', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    new SourceCluster(stack, 'Orders', { roles, functions, clusterNamePattern: 'orders' });
    new SourceCluster(stack, 'Billing', {
      roles,
      functions,
      clusterNamePattern: 'billing',
      backupSchedule: '30 2 * * ? *',
    });
    const template = Template.fromStack(stack);
    // Assess
    template.resourceCountIs('AWS::Lambda::Function', 4);
    // The three shared roles, and per cluster its EventBridge Scheduler role and its snapshot-event rule's.
    template.resourceCountIs('AWS::IAM::Role', 7);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.resourceCountIs('AWS::Events::Rule', 2);
    const distinct = (type: string, property: string) => {
      const values = Object.values(template.findResources(type)).map((r) =>
        JSON.stringify((r as { Properties: Record<string, unknown> }).Properties[property]),
      );
      return new Set(values).size === values.length;
    };
    expect(distinct('AWS::Logs::LogGroup', 'LogGroupName')).toBe(true);
    expect(distinct('AWS::Events::Rule', 'Name')).toBe(true);
  });

  it("starts its state machine as soon as one of its snapshots is created: the rule's input is the schedule's block with the event's Trigger", () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    const cluster = new SourceCluster(stack, 'Cluster', {
      roles,
      functions,
      clusterNamePattern: '^orders-\\d+$',
      shareSnapshots: true,
      destinationRegion: 'eu-central-1',
    });
    const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')) as [
      { Properties: { EventPattern: unknown; Targets: { InputTransformer: { InputTemplate: unknown } }[] } },
    ];
    const template = rule.Properties.Targets[0]?.InputTransformer.InputTemplate;
    // Assess
    expect(rule.Properties.EventPattern).toEqual(SNAPSHOT_EVENT_PATTERN);
    expect(typeof template).toBe('string');
    expect(JSON.parse(template as string)).toEqual({ ...cluster.config, Trigger: TRIGGER });
    expect(ruleInput(stack)).toEqual(cluster.config);
    expect(cluster.job.snapshotEvents?.rule.name).toBeDefined();
  });

  it('snapshotEvents: false leaves it to the schedule: no rule and no role for one', () => {
    // Prepare
    const { stack, roles, functions } = sourceStack();
    // Act
    const cluster = new SourceCluster(stack, 'Cluster', {
      roles,
      functions,
      clusterNamePattern: 'orders',
      snapshotEvents: false,
    });
    const template = Template.fromStack(stack);
    // Assess
    expect(cluster.job.snapshotEvents).toBeUndefined();
    template.resourceCountIs('AWS::Events::Rule', 0);
    // The three shared roles and the schedule's.
    template.resourceCountIs('AWS::IAM::Role', 4);
    expect(parseConfig(ruleInput(stack)).Source?.SnapshotEvents).toBe(false);
  });

  it("refuses a configuration EventBridge would refuse in the rule's input template, naming snapshotEvents, before anything is created", () => {
    // Prepare: 30 tags a cluster must carry, each key and value at RDS's longest: the block alone is 12,000 characters.
    const { stack, roles, functions } = sourceStack();
    const clusterTags = Object.fromEntries(
      Array.from({ length: 30 }, (_, n) => [
        `${String(n).padStart(3, '0')}${'k'.repeat(125)}`,
        'v'.repeat(256),
      ]),
    );
    // Act
    const issues = issuesOf(
      () =>
        new SourceCluster(stack, 'Cluster', { roles, functions, clusterNamePattern: 'orders', clusterTags }),
    );
    const without = new SourceCluster(stack, 'Without', {
      roles,
      functions,
      clusterNamePattern: 'orders',
      clusterTags,
      snapshotEvents: false,
    });
    // Assess
    expect(issues.map((i) => i.parameter)).toEqual(['snapshotEvents']);
    expect(issues[0]?.message).toMatch(
      /at most 8192 characters, and it is \d+: shorten .*or set snapshotEvents to false/,
    );
    expect(stack.node.tryFindChild('Cluster')?.node.children ?? []).toEqual([]);
    expect(without.job.snapshotEvents).toBeUndefined();
  });
});

describe('functions', () => {
  it("are the seed's functions with the bundles' entry point and runtime, deployed from assets", () => {
    // Prepare
    const { stack } = sourceStack();
    // Act
    const template = Template.fromStack(stack);
    // Assess
    for (const name of SOURCE_FUNCTIONS) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: name,
        Handler: LAMBDA_HANDLER,
        Runtime: LAMBDA_RUNTIME,
        Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/lambda/${name}` });
    }
  });

  it('tell the user to run npm run package when a bundle is missing', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');
    const empty = mkdtempSync(join(tmpdir(), 'no-bundles-'));
    // Act / Assess
    expect(
      () =>
        new SourceFunctions(stack, 'Functions', {
          role: new SourceRoles(stack, 'Roles').lambdaRole,
          code: BundleCode.fromDirectory(empty),
        }),
    ).toThrow(/npm run package/);
  });
});

describe('DestinationCluster', () => {
  it.each<[string, DestinationSettings, string]>([
    ['a retention of 0 days', { snapshotPattern: 'orders', retentionDays: 0 }, 'retentionDays'],
    ['a bad source account', { snapshotPattern: 'orders', sourceAccount: '12' }, 'sourceAccount'],
    ['an unknown source region', { snapshotPattern: 'orders', sourceRegion: 'mars-1' }, 'sourceRegion'],
    [
      'a shared key given by alias',
      { snapshotPattern: 'orders', sharedSnapshotsKmsKey: 'alias/theirs' },
      'sharedSnapshotsKmsKey',
    ],
  ])('rejects %s, naming the prop', (_label, settings, prop) => {
    // Prepare
    const { stack, roles, functions } = destinationStack();
    // Act
    const issues = issuesOf(
      () => new DestinationCluster(stack, 'Cluster', { roles, functions, ...settings }),
    );
    // Assess
    expect(issues.map((i) => i.parameter)).toContain(prop);
  });

  it('runs hourly by default with its block, and writes no policy to the shared roles for sourceAccount and its key', () => {
    // Prepare
    const { stack, roles, functions } = destinationStack();
    // Act
    new DestinationCluster(stack, 'Cluster', {
      roles,
      functions,
      snapshotPattern: 'orders',
      sourceAccount: '111122223333',
      sharedSnapshotsKmsKey: 'arn:aws:kms:eu-central-1:111122223333:key/0b3a2c5e-1111-2222-3333-444455556666',
    });
    const template = Template.fromStack(stack);
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
    expect(parseConfig(ruleInput(stack)).Destination).toMatchObject({
      Region: 'eu-central-1',
      SnapshotPattern: 'orders',
      SourceAccount: '111122223333',
    });
    expect(Object.keys(template.findResources('AWS::IAM::Policy'))).toEqual([]);
    expect(JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'))).toContain(
      'AuroraSnapshotTool-Destination-',
    );
  });
});

describe('the CDK app', () => {
  it('puts the source stack in Source.Region and the destination stack in Destination.Region', () => {
    // Prepare
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
    // Act
    const stacks = addToolStacks(
      app,
      parseConfig({
        Source: {
          Region: 'eu-west-1',
          ClusterNamePattern: 'orders',
          ShareSnapshots: 'TRUE',
          DestinationRegion: 'eu-central-1',
        },
        Destination: { Region: 'eu-central-1', SnapshotPattern: 'orders' },
      }),
      { bundleDir: BUNDLES, account: '123456789012' },
    );
    // Assess
    expect(stacks.source?.region).toBe('eu-west-1');
    expect(stacks.destination?.region).toBe('eu-central-1');
    Template.fromStack(stacks.destination as Stack).resourceCountIs('AWS::Lambda::Function', 2);
    expect(() => app.synth()).not.toThrow();
  });
});
