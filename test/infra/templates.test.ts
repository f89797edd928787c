// The five CloudFormation templates: committed and current, the seed's parameters with their constraints, the schedule, the input the functions receive, the alarm and its topic.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DestinationSchema, parseConfig, SourceSchema } from '../../src/config/schema.js';
import { AWS_REGIONS } from '../../src/core/copies/regions.js';
import { SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { FUNCTION_MEMORY_MB } from '../../src/infra/functions.js';
import {
  MAX_INPUT_TEMPLATE_LENGTH,
  SNAPSHOT_EVENT_PATTERN,
  TRIGGER,
  TRIGGER_INPUT_PATHS,
} from '../../src/infra/snapshot-events.js';
import {
  EXPORTS,
  renderTemplate,
  synthesizeTemplates,
  TEMPLATE_NAMES,
  type TemplateName,
  templateFile,
} from '../../src/infra/templates/index.js';
import { type Deployment, evaluate, resourceExists } from './support/cfn-eval.js';

const CLOUDFORMATION_DIR = join(import.meta.dirname, '..', '..', 'cloudformation');
// Synthesized once for the whole file.
const { templates } = synthesizeTemplates();
// Assertions on the committed form of each template (what users deploy).
const assertions = Object.fromEntries(
  TEMPLATE_NAMES.map((name) => [name, Template.fromJSON(templates[name])]),
) as Record<TemplateName, Template>;

const SOURCE_CLUSTER_PARAMETERS = [
  'BackupInterval',
  'BackupSchedule',
  'ScheduleTimezone',
  'ClusterNamePattern',
  'ExcludeClusterPattern',
  'ClusterTags',
  'DestinationRegion',
  'DestinationAccount',
  'LogLevel',
  'RetentionDays',
  'KeepLast',
  'KeepDaily',
  'KeepWeekly',
  'KeepMonthly',
  'KeepYearly',
  'DeleteOldSnapshots',
  'ShareSnapshots',
  'MaxWaitMinutes',
  'SnapshotEvents',
  'KmsKeySource',
  'KmsKeyDestination',
  'RecoveryPointObjectiveHours',
  'ReleaseStuckDestinationsAfterHours',
  ...[2, 3, 4, 5].flatMap((n) => [
    `Destination${n}Region`,
    `Destination${n}Account`,
    `Destination${n}KmsKey`,
  ]),
];
const EXPECTED_PARAMETERS: Record<TemplateName, string[]> = {
  'source-roles': ['DestinationRegions', 'DestinationAccounts'],
  'source-lambdas': ['CodeBucket', 'CodePrefix', 'LogLevel'],
  'source-cluster': SOURCE_CLUSTER_PARAMETERS,
  'destination-lambdas': ['CodeBucket', 'CodePrefix', 'LogLevel', 'SourceAccounts', 'SourceOrganizationId'],
  'destination-cluster': [
    'SnapshotPattern',
    'DeleteOldSnapshots',
    'RetentionDays',
    'KeepLast',
    'KeepDaily',
    'KeepWeekly',
    'KeepMonthly',
    'KeepYearly',
    'KmsKeyDestination',
    'SourceRegion',
    'SourceAccount',
    'SourceOrganizationId',
    'SharedSnapshotsKmsKey',
    'Schedule',
    'ScheduleTimezone',
    'LogLevel',
    'RecoveryPointObjectiveHours',
  ],
  'restore-drill': [
    'CodeBucket',
    'CodePrefix',
    'LogLevel',
    'SnapshotPattern',
    'Schedule',
    'ScheduleTimezone',
    'DBSubnetGroupName',
    'VpcSecurityGroupIds',
    'InstanceClass',
    'MaxRestoreMinutes',
  ],
  'restore-role': ['TrustedPrincipal', 'RequireMfa'],
  // The three source templates' parameters (a user of the three switches with the same values), and the
  // status reader's.
  account: [
    ...new Set([
      'DestinationRegions',
      'DestinationAccounts',
      'CodeBucket',
      'CodePrefix',
      'LogLevel',
      ...SOURCE_CLUSTER_PARAMETERS,
      'StatusAccount',
      'MonitoringSinkArn',
    ]),
  ],
  'status-reader': ['StatusAccount'],
  'organization-monitoring': ['OrganizationId', 'RecoveryPointObjectiveHours'],
};

interface ParameterDef {
  Type: string;
  Default?: string;
  Description?: string;
  AllowedPattern?: string;
  AllowedValues?: string[];
  ConstraintDescription?: string;
}

function parametersOf(name: TemplateName): Record<string, ParameterDef> {
  return (templates[name].Parameters ?? {}) as Record<string, ParameterDef>;
}

/** What CloudFormation does with a parameter value before creating anything. */
function cloudFormationAccepts(parameter: ParameterDef, value: string): boolean {
  if (parameter.AllowedValues) return parameter.AllowedValues.includes(value);
  return new RegExp(parameter.AllowedPattern as string).test(value);
}

const SOURCE_IMPORTS: Record<string, string> = Object.fromEntries([
  ...SOURCE_FUNCTIONS.map((fn) => [
    EXPORTS.function(fn),
    `arn:aws:lambda:eu-west-1:123456789012:function:${fn}`,
  ]),
  [EXPORTS.role('Source', 'StateMachineRole'), 'arn:aws:iam::123456789012:role/states'],
  [EXPORTS.role('Source', 'EventsRole'), 'arn:aws:iam::123456789012:role/events'],
  [EXPORTS.role('Source', 'LambdaRole'), 'arn:aws:iam::123456789012:role/lambda'],
]);
const DESTINATION_IMPORTS: Record<string, string> = {
  [EXPORTS.function('CopySnapshotsDestAurora')]:
    'arn:aws:lambda:eu-west-1:123456789012:function:CopySnapshotsDestAurora',
  [EXPORTS.function('DeleteOldSnapshotsDestAurora')]:
    'arn:aws:lambda:eu-west-1:123456789012:function:DeleteOldSnapshotsDestAurora',
  [EXPORTS.role('Destination', 'StateMachineRole')]: 'arn:aws:iam::123456789012:role/states',
  [EXPORTS.role('Destination', 'EventsRole')]: 'arn:aws:iam::123456789012:role/events',
  [EXPORTS.role('Destination', 'LambdaRole')]: 'arn:aws:iam::123456789012:role/lambda',
};

function resourcesOfType(name: TemplateName, type: string): [string, Record<string, unknown>][] {
  return Object.entries(assertions[name].findResources(type)) as [string, Record<string, unknown>][];
}

/** The JSON text the schedule starts the state machine with, for a deployment of `name`. */
function ruleInput(name: TemplateName, deployment: Deployment): unknown {
  const [[, schedule]] = resourcesOfType(name, 'AWS::Scheduler::Schedule') as [
    [string, { Properties: { Target: { Input: unknown } } }],
  ];
  const text = evaluate(templates[name], schedule.Properties.Target.Input, deployment);
  expect(typeof text).toBe('string');
  return JSON.parse(text as string);
}

describe('the committed templates', () => {
  it.each(TEMPLATE_NAMES)('cloudformation/%s.yaml is what `npm run synth` writes now', (name) => {
    // Prepare
    const file = join(CLOUDFORMATION_DIR, templateFile(name));
    // Act
    const committed = readFileSync(file, 'utf8');
    // Assess
    expect(committed, `${file} is stale: run npm run synth and commit the result`).toBe(
      renderTemplate(name, templates[name]),
    );
  });

  it.each(TEMPLATE_NAMES)(
    'cloudformation/%s.yaml reads back as the synthesized template, for YAML 1.1 and 1.2 readers alike',
    (name) => {
      // Prepare
      const text = readFileSync(join(CLOUDFORMATION_DIR, templateFile(name)), 'utf8');
      // Act
      const asYaml11 = parseYaml(text, { version: '1.1' });
      const asYaml12 = parseYaml(text, { version: '1.2' });
      // Assess: the compact form (flow collections, single quotes) changes the bytes, not the template.
      expect(asYaml11).toEqual(templates[name]);
      expect(asYaml12).toEqual(templates[name]);
    },
  );

  it.each(TEMPLATE_NAMES)(
    '%s needs no CDK bootstrap: no assets, no bootstrap version parameter, no CDK metadata',
    (name) => {
      // Act
      const text = JSON.stringify(templates[name]);
      // Assess
      expect(text).not.toMatch(/BootstrapVersion|AssetParameters|cdk-hnb659fds|AWS::CDK::Metadata|aws:asset/);
    },
  );

  // CloudFormation takes at most 51,200 bytes in a TemplateBody (`--template-body`, or `deploy` without
  // `--s3-bucket`); 50,000 keeps room for a parameter or an alarm before the documented inline deployment
  // breaks. (It was 46,000 until source-cluster carried its configuration block twice, for the schedule and
  // for the snapshot-event rule: CloudFormation has no way to state a value once for two resources; then
  // 49,000 until the source state machine gave each kind of execution its own second share round.) What
  // source-cluster gains next should come with a deployment through S3 (1 MB). Every file of
  // cloudformation/, not only the ones synth writes today.
  const INLINE_BUDGET_BYTES = 50_000;
  const committedFiles = readdirSync(CLOUDFORMATION_DIR).filter((file) => /\.(ya?ml|json)$/.test(file));
  // account.yaml is the one template deployed only from S3 (a stack set's TemplateURL): its own budget below.
  const inlineFiles = committedFiles.filter((file) => file !== templateFile('account'));
  it.each(inlineFiles)(
    'cloudformation/%s stays within 50,000 bytes, so an inline deployment keeps its headroom',
    (file) => {
      // Act
      const size = statSync(join(CLOUDFORMATION_DIR, file)).size;
      // Assess
      expect(
        size,
        `cloudformation/${file} is ${size} bytes, over the ${INLINE_BUDGET_BYTES}-byte budget for a template deployed inline (CloudFormation's limit: 51,200)`,
      ).toBeLessThanOrEqual(INLINE_BUDGET_BYTES);
    },
  );

  // A stack set takes its template from S3 (TemplateURL), up to 1 MB; 460,800 bytes (450 KiB) leaves more
  // than half of it for what the organization features add.
  const URL_BUDGET_BYTES = 460_800;
  it('cloudformation/account.yaml stays within 460,800 bytes, well under the 1 MB of a TemplateURL', () => {
    // Act
    const size = statSync(join(CLOUDFORMATION_DIR, templateFile('account'))).size;
    // Assess
    expect(size, `cloudformation/account.yaml is ${size} bytes`).toBeLessThan(URL_BUDGET_BYTES);
  });

  it('the size check covers every template synth writes', () => {
    // Assess
    expect(committedFiles.sort()).toEqual(TEMPLATE_NAMES.map(templateFile).sort());
  });
});

describe('parameters', () => {
  it.each(TEMPLATE_NAMES)('%s has exactly the seed parameters (plus the documented additions)', (name) => {
    // Act
    const names = Object.keys(parametersOf(name));
    // Assess
    expect(names.sort()).toEqual([...EXPECTED_PARAMETERS[name]].sort());
  });

  it.each(TEMPLATE_NAMES)(
    'every parameter of %s has a description, a constraint and its description',
    (name) => {
      for (const [parameter, def] of Object.entries(parametersOf(name))) {
        // Assess
        expect(def.Type, parameter).toBe('String');
        expect(def.Description?.length ?? 0, parameter).toBeGreaterThan(20);
        expect(def.ConstraintDescription?.length ?? 0, parameter).toBeGreaterThan(5);
        expect(Boolean(def.AllowedPattern) || Boolean(def.AllowedValues), parameter).toBe(true);
        if (def.Default !== undefined)
          expect(cloudFormationAccepts(def, def.Default), `${parameter} default`).toBe(true);
      }
    },
  );

  it('source-cluster declares the seed parameters with assertions on their constraints', () => {
    // Assess
    const t = assertions['source-cluster'];
    t.hasParameter('BackupInterval', {
      Type: 'String',
      Default: '24',
      AllowedPattern: Match.stringLikeRegexp('8760'),
    });
    t.hasParameter('DeleteOldSnapshots', { AllowedValues: ['TRUE', 'FALSE'], Default: 'TRUE' });
    t.hasParameter('ShareSnapshots', { AllowedValues: ['TRUE', 'FALSE'], Default: 'FALSE' });
    t.hasParameter('LogLevel', {
      AllowedValues: ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'],
      Default: 'ERROR',
    });
    t.hasParameter('DestinationRegion', {
      AllowedValues: Match.arrayWith(['', 'eu-central-1', 'us-west-2']),
    });
    t.hasParameter('ClusterNamePattern', { ConstraintDescription: Match.stringLikeRegexp('ALL_CLUSTERS') });
    assertions['destination-cluster'].hasParameter('SnapshotPattern', { AllowedPattern: Match.anyValue() });
    assertions['source-lambdas'].hasParameter('CodeBucket', { AllowedPattern: Match.anyValue() });
  });

  // Each value with the verdict the configuration schema gives it: the template must agree.
  const samples: [TemplateName, string, string, unknown][] = [
    ['source-cluster', 'BackupInterval', '1', 'Source'],
    ['source-cluster', 'BackupInterval', '8760', 'Source'],
    ['source-cluster', 'BackupInterval', '0', 'Source'],
    ['source-cluster', 'BackupInterval', '8761', 'Source'],
    ['source-cluster', 'BackupInterval', '09', 'Source'],
    ['source-cluster', 'BackupInterval', '00', 'Source'],
    ['source-cluster', 'BackupInterval', 'eight', 'Source'],
    ['source-cluster', 'RetentionDays', '36500', 'Source'],
    ['source-cluster', 'RetentionDays', '36501', 'Source'],
    ['source-cluster', 'RetentionDays', '-1', 'Source'],
    ['source-cluster', 'ClusterNamePattern', '^prod-db$', 'Source'],
    ['source-cluster', 'ClusterNamePattern', 'ALL_CLUSTERS', 'Source'],
    ['source-cluster', 'ClusterNamePattern', 'orders\\d+', 'Source'],
    ['source-cluster', 'ClusterNamePattern', 'a b', 'Source'],
    ['source-cluster', 'ClusterNamePattern', 'x"}', 'Source'],
    ['source-cluster', 'ClusterNamePattern', '', 'Source'],
    ['source-cluster', 'DestinationAccount', '123456789012', 'Source'],
    ['source-cluster', 'DestinationAccount', '12345', 'Source'],
    ['source-cluster', 'DestinationRegion', 'us-west-2', 'Source'],
    ['source-cluster', 'DestinationRegion', 'us-west-9', 'Source'],
    [
      'source-cluster',
      'KmsKeyDestination',
      'arn:aws:kms:us-west-2:111122223333:key/0b3a2c5e-1111-2222-3333-444455556666',
      'Source',
    ],
    ['source-cluster', 'KmsKeySource', 'arn:aws:kms:eu-west-1:111122223333:key/x"y', 'Source'],
    ['source-cluster', 'KmsKeySource', 'alias/aurora-snapshot-tool', 'Source'],
    ['source-cluster', 'KmsKeySource', 'alias/team-a/dr_keys-2', 'Source'],
    ['source-cluster', 'KmsKeySource', `alias/${'a'.repeat(250)}`, 'Source'],
    ['source-cluster', 'KmsKeySource', `alias/${'a'.repeat(251)}`, 'Source'],
    ['source-cluster', 'KmsKeySource', 'alias/aws/rds', 'Source'],
    ['source-cluster', 'KmsKeySource', 'alias/', 'Source'],
    ['source-cluster', 'KmsKeySource', 'alias/a b', 'Source'],
    ['source-cluster', 'KmsKeyDestination', 'alias/aurora-snapshot-tool', 'Source'],
    ['source-cluster', 'KmsKeyDestination', 'alias/aws/rds', 'Source'],
    ['destination-cluster', 'KmsKeyDestination', 'alias/vault-copies', 'Destination'],
    ['destination-cluster', 'KmsKeyDestination', 'alias/aws/rds', 'Destination'],
    ['source-cluster', 'BackupSchedule', '0 0,8,16 * * ? *', 'Source'],
    ['source-cluster', 'BackupSchedule', '0 8 * *', 'Source'],
    ['source-cluster', 'LogLevel', 'DEBUG', 'Source'],
    ['source-cluster', 'LogLevel', 'VERBOSE', 'Source'],
    ['destination-cluster', 'RetentionDays', '14', 'Destination'],
    ['destination-cluster', 'RetentionDays', '0', 'Destination'],
    ['destination-cluster', 'SourceAccount', '111122223333', 'Destination'],
    ['destination-cluster', 'SourceAccount', '11112222333a', 'Destination'],
    ['destination-cluster', 'Schedule', '0 * * * ? *', 'Destination'],
    ['source-cluster', 'ScheduleTimezone', 'UTC', 'Source'],
    ['source-cluster', 'ScheduleTimezone', 'Europe/Berlin', 'Source'],
    ['source-cluster', 'ScheduleTimezone', 'America/Argentina/Buenos_Aires', 'Source'],
    ['source-cluster', 'ScheduleTimezone', '+01:00', 'Source'],
    ['source-cluster', 'ScheduleTimezone', 'Europe/Berlin"', 'Source'],
    ['destination-cluster', 'ScheduleTimezone', 'Australia/Sydney', 'Destination'],
    ['source-cluster', 'ExcludeClusterPattern', '-test$', 'Source'],
    ['source-cluster', 'ExcludeClusterPattern', 'a b', 'Source'],
    ['source-cluster', 'ClusterTags', 'team=db', 'Source'],
    ['source-cluster', 'ClusterTags', 'team=db,backup=*', 'Source'],
    ['source-cluster', 'ClusterTags', 'team', 'Source'],
    ['source-cluster', 'ClusterTags', 'team=d"b', 'Source'],
    ['source-cluster', 'KeepDaily', '0', 'Source'],
    ['source-cluster', 'KeepMonthly', '12', 'Source'],
    ['source-cluster', 'KeepYearly', '100000', 'Source'],
    ['source-cluster', 'KeepYearly', '100001', 'Source'],
    ['source-cluster', 'KeepLast', '-1', 'Source'],
    ['source-cluster', 'KeepWeekly', '2.5', 'Source'],
    ['destination-cluster', 'KeepMonthly', '24', 'Destination'],
    ['destination-cluster', 'KeepLast', 'three', 'Destination'],
  ];
  it.each(samples)(
    '%s %s=%j is accepted exactly when the schema accepts it',
    (name, parameter, value, side) => {
      // Prepare
      const def = parametersOf(name as TemplateName)[parameter] as ParameterDef;
      const base =
        side === 'Source'
          ? { Region: 'eu-west-1', ClusterNamePattern: 'orders' }
          : { Region: 'eu-west-1', SnapshotPattern: 'orders' };
      const schema = side === 'Source' ? SourceSchema : DestinationSchema;
      // Act
      const template = cloudFormationAccepts(def, value);
      const schemaVerdict = value !== '' && schema.safeParse({ ...base, [parameter]: value }).success;
      // Assess
      expect(template).toBe(schemaVerdict);
    },
  );

  it('the optional key parameters accept empty and the seed\'s None, and mean "no key" for both', () => {
    // Prepare
    const def = parametersOf('source-cluster').KmsKeySource as ParameterDef;
    // Act
    const withNone = ruleInput('source-cluster', {
      parameters: { ClusterNamePattern: 'orders', KmsKeySource: 'None', KmsKeyDestination: '' },
      imports: SOURCE_IMPORTS,
    }) as { Source: Record<string, unknown> };
    // Assess
    expect(cloudFormationAccepts(def, 'None')).toBe(true);
    expect(cloudFormationAccepts(def, '')).toBe(true);
    expect(withNone.Source).not.toHaveProperty('KmsKeySource');
    expect(withNone.Source).not.toHaveProperty('KmsKeyDestination');
  });

  it.each(TEMPLATE_NAMES.filter((name) => templates[name].Conditions))(
    'in %s, an optional parameter is unset when empty, and when None wherever its constraint lets None through',
    (name) => {
      // Prepare
      const conditions = Object.keys(templates[name].Conditions ?? {});
      const optional = Object.entries(parametersOf(name)).filter(([p]) => conditions.includes(`Has${p}`));
      // Act
      const isSet = (parameter: string, value: string) =>
        evaluate(templates[name], { Condition: `Has${parameter}` }, { parameters: { [parameter]: value } });
      // Assess
      for (const [parameter, def] of optional) {
        expect(isSet(parameter, ''), `${parameter}=''`).toBe(false);
        if (cloudFormationAccepts(def, 'None'))
          expect(isSet(parameter, 'None'), `${parameter}=None`).toBe(false);
        const example =
          def.AllowedValues?.find((v) => v !== '') ??
          (parameter.endsWith('Account') ? '111122223333' : undefined);
        if (example) expect(isSet(parameter, example), `${parameter}=${example}`).toBe(true);
      }
    },
  );

  it('MaxWaitMinutes accepts exactly what the configuration schema accepts, and reaches the functions', () => {
    // Prepare
    const def = parametersOf('source-cluster').MaxWaitMinutes as ParameterDef;
    const schemaAccepts = (value: string) => {
      try {
        parseConfig({ Source: { Region: 'eu-west-1', ClusterNamePattern: 'x', MaxWaitMinutes: value } });
        return true;
      } catch {
        return false;
      }
    };
    const values = [
      ...Array.from({ length: 10_200 }, (_, n) => String(n)),
      '0005',
      '007',
      '010080',
      '',
      '7.5',
      '-5',
      '1e3',
      '99999',
    ];
    // Act
    const disagreements = values.filter((v) => cloudFormationAccepts(def, v) !== schemaAccepts(v));
    // Assess
    expect(def.Default).toBe('720');
    expect(disagreements).toEqual([]);
    expect(
      (
        ruleInput('source-cluster', {
          parameters: { ClusterNamePattern: 'x', MaxWaitMinutes: '2880' },
          imports: SOURCE_IMPORTS,
        }) as { Source: Record<string, unknown> }
      ).Source.MaxWaitMinutes,
    ).toBe('2880');
  });

  it('a template rule rejects ShareSnapshots=TRUE without a destination before anything is created', () => {
    // Prepare
    const rule = (templates['source-cluster'].Rules as Record<string, { Assertions: { Assert: unknown }[] }>)
      .ShareNeedsADestination;
    const assert = (parameters: Record<string, string>) =>
      evaluate(templates['source-cluster'], rule?.Assertions[0]?.Assert, {
        parameters: { ClusterNamePattern: 'x', ...parameters },
      });
    // Act / Assess
    expect(assert({ ShareSnapshots: 'TRUE' })).toBe(false);
    expect(assert({ ShareSnapshots: 'TRUE', DestinationRegion: 'us-west-2' })).toBe(true);
    expect(assert({ ShareSnapshots: 'TRUE', DestinationAccount: '111122223333' })).toBe(true);
    expect(assert({ ShareSnapshots: 'FALSE' })).toBe(true);
  });

  it('no template rule asks for keys with SourceAccount: an unencrypted cluster shares and copies without one', () => {
    // Prepare: every rule of the template, evaluated as CloudFormation would for a deployment
    const template = templates['destination-cluster'];
    const rules = Object.entries(
      (template.Rules ?? {}) as Record<
        string,
        { RuleCondition?: unknown; Assertions: { Assert: unknown; AssertDescription: string }[] }
      >,
    );
    const refused = (parameters: Record<string, string>) => {
      const deployment = { parameters: { SnapshotPattern: 'x', ...parameters } };
      return rules.flatMap(([name, rule]) =>
        rule.RuleCondition !== undefined && !evaluate(template, rule.RuleCondition, deployment)
          ? []
          : rule.Assertions.filter((a) => !evaluate(template, a.Assert, deployment)).map(() => name),
      );
    };
    // Act / Assess: the keys matter only for encrypted snapshots, known at run time (EncryptionKeyRequired)
    expect(refused({ SourceAccount: '111122223333' })).toEqual([]);
    expect(refused({ SourceAccount: '111122223333', KmsKeyDestination: 'None' })).toEqual([]);
    expect(refused({})).toEqual([]);
  });
});

describe('schedules', () => {
  it('the source schedule is an EventBridge Scheduler schedule on cron(BackupSchedule) in ScheduleTimezone', () => {
    // Assess
    assertions['source-cluster'].hasResourceProperties('AWS::Scheduler::Schedule', {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a JS template
      ScheduleExpression: { 'Fn::Sub': 'cron(${BackupSchedule})' },
      ScheduleExpressionTimezone: { Ref: 'ScheduleTimezone' },
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    // Its one EventBridge rule is the snapshot-event rule: a pattern, no schedule.
    for (const [id, rule] of resourcesOfType('source-cluster', 'AWS::Events::Rule')) {
      expect(rule.Properties, id).not.toHaveProperty('ScheduleExpression');
      expect(rule.Properties, id).toHaveProperty('EventPattern');
    }
    assertions['destination-cluster'].resourceCountIs('AWS::Events::Rule', 0);
  });

  it('the destination schedule runs on cron(Schedule), hourly by default, in UTC by default', () => {
    // Prepare
    const [[, schedule]] = resourcesOfType('destination-cluster', 'AWS::Scheduler::Schedule') as [
      [string, { Properties: { ScheduleExpression: unknown; ScheduleExpressionTimezone: unknown } }],
    ];
    // Act
    const expression = evaluate(templates['destination-cluster'], schedule.Properties.ScheduleExpression, {});
    const zone = evaluate(
      templates['destination-cluster'],
      schedule.Properties.ScheduleExpressionTimezone,
      {},
    );
    // Assess
    expect(expression).toBe('cron(0 * * * ? *)');
    expect(zone).toBe('UTC');
    assertions['destination-cluster'].resourceCountIs('AWS::Events::Rule', 0);
  });

  it('each schedule targets its own state machine through a role of its own stack, with retries', () => {
    for (const name of ['source-cluster', 'destination-cluster'] as const) {
      // Assess
      assertions[name].hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('^JobStateMachine') },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobSchedulerRole'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 86400 },
        }),
      });
    }
  });
});

describe('the state machine input (the configuration block)', () => {
  it("carries the seed parameters the schema reads, with this stack's region", () => {
    // Act
    const input = ruleInput('source-cluster', {
      region: 'eu-west-1',
      parameters: {
        ClusterNamePattern: '^orders$',
        BackupInterval: '8',
        BackupSchedule: '0 0,8,16 * * ? *',
        RetentionDays: '14',
        ShareSnapshots: 'TRUE',
        DestinationRegion: 'eu-central-1',
        DestinationAccount: '111122223333',
        KmsKeyDestination: 'arn:aws:kms:eu-central-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
        LogLevel: 'INFO',
      },
      imports: SOURCE_IMPORTS,
    });
    const config = parseConfig(input);
    // Assess
    expect(config.Source).toMatchObject({
      Region: 'eu-west-1',
      ClusterNamePattern: '^orders$',
      BackupInterval: 8,
      RetentionDays: 14,
      DeleteOldSnapshots: true,
      ShareSnapshots: true,
      DestinationRegion: 'eu-central-1',
      DestinationAccount: '111122223333',
      LogLevel: 'INFO',
    });
  });

  it('carries ScheduleTimezone, and ClusterTags and ExcludeClusterPattern only when set, as the schema reads them', () => {
    // Act
    const set = ruleInput('source-cluster', {
      parameters: {
        ClusterNamePattern: 'ALL_CLUSTERS',
        ScheduleTimezone: 'Europe/Berlin',
        ClusterTags: 'team=db,backup=*',
        ExcludeClusterPattern: '-scratch\\d*$',
      },
      imports: SOURCE_IMPORTS,
    });
    const unset = ruleInput('source-cluster', {
      parameters: { ClusterNamePattern: 'orders' },
      imports: SOURCE_IMPORTS,
    }) as { Source: Record<string, unknown> };
    // Assess
    expect(parseConfig(set).Source).toMatchObject({
      ScheduleTimezone: 'Europe/Berlin',
      ClusterTags: { team: 'db', backup: '*' },
      ExcludeClusterPattern: '-scratch\\d*$',
    });
    expect(unset.Source.ScheduleTimezone).toBe('UTC');
    expect(unset.Source).not.toHaveProperty('ClusterTags');
    expect(unset.Source).not.toHaveProperty('ExcludeClusterPattern');
  });

  it('DeleteOldSnapshots=FALSE deploys the same resources and hands the functions FALSE: nothing is deleted', () => {
    // Act
    const input = ruleInput('source-cluster', {
      parameters: { ClusterNamePattern: 'orders', DeleteOldSnapshots: 'FALSE' },
      imports: SOURCE_IMPORTS,
    });
    const destination = ruleInput('destination-cluster', {
      parameters: { SnapshotPattern: 'orders', DeleteOldSnapshots: 'FALSE' },
      imports: DESTINATION_IMPORTS,
    });
    // Assess
    expect(parseConfig(input).Source?.DeleteOldSnapshots).toBe(false);
    expect(parseConfig(destination).Destination?.DeleteOldSnapshots).toBe(false);
    // No resource depends on it: the template cannot break on FALSE as the original's did.
    for (const name of ['source-cluster', 'destination-cluster'] as const) {
      const pattern = name === 'source-cluster' ? 'ClusterNamePattern' : 'SnapshotPattern';
      const deployed = (value: string) =>
        Object.keys(templates[name].Resources as object).filter((id) =>
          resourceExists(templates[name], id, {
            parameters: { [pattern]: 'orders', DeleteOldSnapshots: value },
          }),
        );
      expect(deployed('FALSE')).toEqual(deployed('TRUE'));
    }
  });

  it('keeps the backslashes of a regular expression, so the text stays JSON and the pattern stays the same', () => {
    // Act
    const input = ruleInput('source-cluster', {
      parameters: { ClusterNamePattern: '^orders-\\d+$' },
      imports: SOURCE_IMPORTS,
    }) as { Source: { ClusterNamePattern: string } };
    // Assess
    expect(input.Source.ClusterNamePattern).toBe('^orders-\\d+$');
  });

  it('leaves out unset optional parameters, and the destination names SourceAccount only when set', () => {
    // Act
    const sameAccount = ruleInput('destination-cluster', {
      parameters: { SnapshotPattern: 'orders' },
      imports: DESTINATION_IMPORTS,
    }) as { Destination: Record<string, unknown> };
    const crossAccount = ruleInput('destination-cluster', {
      parameters: { SnapshotPattern: 'orders', SourceAccount: '111122223333', SourceRegion: 'eu-west-1' },
      imports: DESTINATION_IMPORTS,
    }) as { Destination: Record<string, unknown> };
    // Assess: the destination state machine copies only when Destination.SourceAccount is present.
    expect(Object.keys(sameAccount.Destination).sort()).toEqual(
      [
        'DeleteOldSnapshots',
        'KeepDaily',
        'KeepLast',
        'KeepMonthly',
        'KeepWeekly',
        'KeepYearly',
        'LogLevel',
        'Region',
        'RetentionDays',
        'Schedule',
        'ScheduleTimezone',
        'SnapshotPattern',
      ].sort(),
    );
    expect(crossAccount.Destination).toMatchObject({
      SourceAccount: '111122223333',
      SourceRegion: 'eu-west-1',
    });
    expect(parseConfig(crossAccount).Destination?.SourceAccount).toBe('111122223333');
  });
});

describe('the snapshot-event rule', () => {
  const [[ruleId, rule]] = resourcesOfType('source-cluster', 'AWS::Events::Rule') as [
    [string, { Condition?: string; Properties: Record<string, unknown> }],
  ];
  const target = (rule.Properties.Targets as Record<string, unknown>[])[0] as {
    Arn: unknown;
    RoleArn: unknown;
    DeadLetterConfig: { Arn: unknown };
    RetryPolicy: unknown;
    InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: unknown };
  };
  /** The execution input the rule's target starts the state machine with, for a deployment, parsed. */
  const eventInput = (deployment: Deployment) =>
    JSON.parse(
      evaluate(templates['source-cluster'], target.InputTransformer.InputTemplate, deployment) as string,
    ) as Record<string, unknown>;

  it('matches the documented pattern and starts the state machine through its own role, failed starts to the queue the schedule uses', () => {
    // Prepare
    const id = (type: string) => resourcesOfType('source-cluster', type).map(([logicalId]) => logicalId);
    const [machineId] = id('AWS::StepFunctions::StateMachine');
    const [queueId] = id('AWS::SQS::Queue');
    const roleId = id('AWS::IAM::Role').find((r) => r.startsWith('JobSnapshotEventsRole'));
    // Assess
    expect(rule.Properties.EventPattern).toEqual(SNAPSHOT_EVENT_PATTERN);
    expect(rule.Properties.State).toBe('ENABLED');
    expect(target.Arn).toEqual({ Ref: machineId });
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 86400 });
    expect(target.InputTransformer.InputPathsMap).toEqual(TRIGGER_INPUT_PATHS);
  });

  it('is deployed with its role unless SnapshotEvents is FALSE, which leaves no rule and no role', () => {
    // Prepare
    const roleId = resourcesOfType('source-cluster', 'AWS::IAM::Role')
      .map(([id]) => id)
      .find((id) => id.startsWith('JobSnapshotEventsRole')) as string;
    const exists = (id: string, SnapshotEvents?: string) =>
      resourceExists(templates['source-cluster'], id, {
        parameters: { ClusterNamePattern: 'x', ...(SnapshotEvents ? { SnapshotEvents } : {}) },
      });
    // Act / Assess
    expect([exists(ruleId), exists(roleId)]).toEqual([true, true]);
    expect([exists(ruleId, 'TRUE'), exists(roleId, 'TRUE')]).toEqual([true, true]);
    expect([exists(ruleId, 'FALSE'), exists(roleId, 'FALSE')]).toEqual([false, false]);
    expect(parametersOf('source-cluster').SnapshotEvents).toMatchObject({
      Default: 'TRUE',
      AllowedValues: ['TRUE', 'FALSE'],
    });
  });

  const KEY = (region: string, n: number) =>
    `arn:aws:kms:${region}:123456789012:key/0b3a2c5e-1111-2222-3333-44445555666${n}`;
  it.each<[string, Record<string, string>]>([
    ['the defaults', { ClusterNamePattern: 'orders' }],
    [
      'one destination, the first release’s form',
      {
        ClusterNamePattern: '^orders-\\d+$',
        ShareSnapshots: 'TRUE',
        DestinationRegion: 'us-west-2',
        DestinationAccount: '111122223333',
        KmsKeyDestination: KEY('us-west-2', 1),
        KmsKeySource: KEY('eu-west-1', 2),
      },
    ],
    [
      'five destinations, with accounts and keys',
      {
        ClusterNamePattern: 'ALL_CLUSTERS',
        ShareSnapshots: 'TRUE',
        DestinationRegion: 'us-west-2',
        KmsKeyDestination: KEY('us-west-2', 1),
        Destination2Region: 'eu-central-1',
        Destination2Account: '111122223333',
        Destination2KmsKey: KEY('eu-central-1', 2),
        Destination3Region: 'eu-west-1',
        Destination3Account: '444455556666',
        Destination4Region: 'us-east-2',
        Destination5Region: 'ap-southeast-2',
        Destination5KmsKey: KEY('ap-southeast-2', 5),
      },
    ],
    [
      'keys named by one alias, as a stack set deploys them to every account and region',
      {
        ClusterNamePattern: 'ALL_CLUSTERS',
        ShareSnapshots: 'TRUE',
        KmsKeySource: 'alias/aurora-snapshot-tool',
        DestinationRegion: 'us-west-2',
        KmsKeyDestination: 'alias/aurora-snapshot-tool',
        Destination2Region: 'eu-west-1',
        Destination2Account: '111122223333',
        Destination2KmsKey: 'alias/aurora-snapshot-tool',
      },
    ],
    [
      'every optional setting',
      {
        ClusterNamePattern: '^(orders|billing)-[0-9]+$',
        ExcludeClusterPattern: '-scratch\\d*$',
        ClusterTags: 'team=db,backup=*',
        ScheduleTimezone: 'Europe/Berlin',
        RecoveryPointObjectiveHours: '48',
        ReleaseStuckDestinationsAfterHours: '72',
        ShareSnapshots: 'TRUE',
        DestinationAccount: '111122223333',
      },
    ],
  ])(
    'starts the state machine with exactly the block the schedule sends, and the Trigger (%s)',
    (_label, parameters) => {
      // Prepare
      const deployment: Deployment = { region: 'eu-west-1', parameters, imports: SOURCE_IMPORTS };
      // Act
      const { Trigger, ...block } = eventInput(deployment);
      // Assess
      expect(block).toEqual(ruleInput('source-cluster', deployment));
      expect(Trigger).toEqual(TRIGGER);
      expect(() => parseConfig(block)).not.toThrow();
    },
  );

  it("fits EventBridge's 8,192 characters with the largest configuration block the parameters make", () => {
    // Prepare: every value at the longest it means something, ClusterTags at CloudFormation's 4,096 bytes
    // for a parameter value (the patterns accept longer key ids and numbers with leading zeros: no key and
    // no setting has them).
    const longestRegion = [...AWS_REGIONS].sort((a, b) => b.length - a.length || a.localeCompare(b));
    // A key's longest name is an alias name, alias/ and 250 characters: longer than any key ARN.
    const key = (region: string) => `alias/${region}/${'k'.repeat(249 - region.length)}`;
    const tagPair = (n: number) => `${String(n).padStart(3, '0')}${'k'.repeat(125)}=${'v'.repeat(256)}`;
    const pairs = Array.from({ length: 10 }, (_, n) => tagPair(n)).join(',');
    const clusterTags = `${pairs},${'k'.repeat(128)}=${'v'.repeat(4096 - pairs.length - 130)}`;
    const pattern = `${'\\d'.repeat(127)}x`;
    const [home, ...regions] = longestRegion as [string, ...string[]];
    const parameters: Record<string, string> = {
      ClusterNamePattern: pattern,
      ExcludeClusterPattern: pattern,
      ClusterTags: clusterTags,
      BackupInterval: '8760',
      BackupSchedule:
        '0,5,10,15,20,25,30,35,40,45,50,55 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 ? * MON-FRI *',
      ScheduleTimezone: 'America/Argentina/ComodRivadavia',
      RetentionDays: '36500',
      KeepLast: '100000',
      KeepDaily: '100000',
      KeepWeekly: '100000',
      KeepMonthly: '100000',
      KeepYearly: '100000',
      ShareSnapshots: 'TRUE',
      LogLevel: 'CRITICAL',
      MaxWaitMinutes: '10080',
      KmsKeySource: key(home),
      DestinationRegion: regions[0] as string,
      DestinationAccount: '111122223333',
      KmsKeyDestination: key(regions[0] as string),
      RecoveryPointObjectiveHours: '17520',
      ReleaseStuckDestinationsAfterHours: '8760',
    };
    for (const n of [2, 3, 4, 5]) {
      const region = regions[n - 1] as string;
      Object.assign(parameters, {
        [`Destination${n}Region`]: region,
        [`Destination${n}Account`]: '111122223333',
        [`Destination${n}KmsKey`]: key(region),
      });
    }
    // Act
    const text = evaluate(templates['source-cluster'], target.InputTransformer.InputTemplate, {
      region: home,
      parameters,
      imports: SOURCE_IMPORTS,
    }) as string;
    // Assess: each value passes its template parameter, and the functions would take the block.
    const defs = parametersOf('source-cluster');
    for (const [name, value] of Object.entries(parameters)) {
      expect(cloudFormationAccepts(defs[name] as ParameterDef, value), name).toBe(true);
    }
    expect(clusterTags).toHaveLength(4096);
    const { Trigger: _trigger, ...block } = JSON.parse(text) as Record<string, unknown>;
    expect(() => parseConfig(block)).not.toThrow();
    expect(text.length).toBeLessThanOrEqual(MAX_INPUT_TEMPLATE_LENGTH);
    expect(text.length).toBeGreaterThan(6000);
  });
});

describe('functions', () => {
  it.each(['source-lambdas', 'destination-lambdas'] as const)(
    '%s gives every function the memory a 10,000-snapshot pass needs (bench comparison 5), and 5 minutes',
    (name) => {
      // Prepare
      const functions = resourcesOfType(name, 'AWS::Lambda::Function');
      // Assess
      expect(functions.length).toBeGreaterThan(0);
      for (const [id, fn] of functions) {
        expect((fn.Properties as { MemorySize: number }).MemorySize, id).toBe(FUNCTION_MEMORY_MB);
        expect((fn.Properties as { Timeout: number }).Timeout, id).toBe(300);
      }
      expect(FUNCTION_MEMORY_MB).toBeGreaterThanOrEqual(512);
    },
  );
});

describe('state machines', () => {
  it('the source definition invokes the four imported source functions, logs everything and traces', () => {
    // Prepare
    const [[, machine]] = resourcesOfType('source-cluster', 'AWS::StepFunctions::StateMachine') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    // Act
    const definition = JSON.parse(
      evaluate(templates['source-cluster'], machine.Properties.DefinitionString, {
        imports: SOURCE_IMPORTS,
      }) as string,
    ) as { States: Record<string, { Parameters?: { FunctionName?: string } }> };
    const invoked = new Set(
      Object.values(definition.States).flatMap((s) =>
        s.Parameters?.FunctionName ? [s.Parameters.FunctionName] : [],
      ),
    );
    // Assess
    expect([...invoked].sort()).toEqual(
      SOURCE_FUNCTIONS.map((fn) => `arn:aws:lambda:eu-west-1:123456789012:function:${fn}`).sort(),
    );
    expect(machine.Properties).toMatchObject({
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      TracingConfiguration: { Enabled: true },
      RoleArn: { 'Fn::ImportValue': EXPORTS.role('Source', 'StateMachineRole') },
    });
  });

  it('the destination definition invokes the two destination functions', () => {
    // Prepare
    const [[, machine]] = resourcesOfType('destination-cluster', 'AWS::StepFunctions::StateMachine') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    // Act
    const text = evaluate(templates['destination-cluster'], machine.Properties.DefinitionString, {
      imports: DESTINATION_IMPORTS,
    }) as string;
    // Assess
    expect(text).toContain('function:CopySnapshotsDestAurora"');
    expect(text).toContain('function:DeleteOldSnapshotsDestAurora"');
    expect(text).not.toContain('function:CheckSnapshotStatus');
  });
});

describe('alarms', () => {
  it.each(['source-cluster', 'destination-cluster'] as const)(
    '%s alarms on failed plus timed-out executions of its state machine and notifies its topic',
    (name) => {
      // Assess
      const t = assertions[name];
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^JobAlarmTopic') }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0)', ReturnData: true }),
          Match.objectLike({
            Id: 'failed',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'ExecutionsFailed', Namespace: 'AWS/States' }),
            }),
          }),
          Match.objectLike({
            Id: 'timedOut',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut', Namespace: 'AWS/States' }),
            }),
          }),
        ]),
      });
    },
  );

  it.each(['source-cluster', 'destination-cluster'] as const)(
    '%s encrypts its topic with a rotated customer managed key CloudWatch may use, and refuses plain HTTP',
    (name) => {
      // Assess
      const t = assertions[name];
      t.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobAlarmTopicKey'), 'Arn'] },
      });
      t.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            }),
          ]),
        },
      });
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            // The topic policy replaces SNS's default one: CloudWatch is admitted for this alarm only.
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                ArnEquals: {
                  'aws:SourceArn': [
                    { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobFailedExecutions'), 'Arn'] },
                    { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobScheduleCannotStart'), 'Arn'] },
                    { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobRecoveryPointAge'), 'Arn'] },
                  ],
                },
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              },
            }),
          ]),
        },
      });
    },
  );

  it.each(['source-cluster', 'destination-cluster'] as const)(
    '%s: a schedule that cannot start its state machine leaves its event in an encrypted dead-letter queue and alarms to the topic',
    (name) => {
      // Prepare
      const t = assertions[name];
      const [[queueId]] = resourcesOfType(name, 'AWS::SQS::Queue') as [[string, unknown]];
      // Assess: after its retries the schedule sends a failed start to the stack's queue, encrypted, TLS only.
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } }),
      });
      t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      t.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      // The alarm: any message in the stack's dead-letter queue (Scheduler's own metrics are per schedule
      // group, every schedule of the account's default group, not per schedule).
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^JobAlarmTopic') }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      });
    },
  );
});
