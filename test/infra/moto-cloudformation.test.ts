// On moto's CloudFormation: publish the bundles to CodeBucket, create the five stacks from the committed templates in the seed's order, then three cluster stacks of each side whose permissions on the shared roles (read back from moto's IAM, decided by an IAM simulator) hold whatever the other cluster stacks do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Capability,
  type Stack as CfnStack,
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { type BucketLocationConstraint, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { publishBundles } from '../../src/aws/publish.js';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { ALL_FUNCTIONS, DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { SNAPSHOT_EVENT_PATTERN, TRIGGER } from '../../src/infra/snapshot-events.js';
import { EXPORTS, type TemplateName, templateFile } from '../../src/infra/templates/index.js';
import { MOTO_DEFAULT_ACCOUNT } from '../support/moto.js';
import { evaluate } from './support/cfn-eval.js';
import { allows, type Statement } from './support/iam-simulator.js';
import { useMotoCloudFormation } from './support/moto-cloudformation.js';

const REGION = 'eu-west-1';
const BUCKET = 'snapshot-tool-code';
const CLOUDFORMATION_DIR = join(import.meta.dirname, '..', '..', 'cloudformation');

const aws = useMotoCloudFormation({ region: REGION, bucket: BUCKET, publish: false });
let s3: S3Client;
let iam: IAMClient;

beforeAll(() => {
  s3 = new S3Client({ ...aws.config, forcePathStyle: true });
  iam = new IAMClient(aws.config);
});

afterAll(() => {
  for (const client of [s3, iam]) client?.destroy();
});

/** The templates of the first release, whose cluster stacks attached policies to the shared roles. */
const RELEASED_DIR = join(import.meta.dirname, 'support', 'released-0.1.0');

async function createStack(
  template: TemplateName,
  stackName: string,
  parameters: Record<string, string> = {},
  options: { dir?: string; update?: boolean; client?: CloudFormationClient } = {},
) {
  const client = options.client ?? aws.cfn;
  const input = {
    StackName: stackName,
    TemplateBody: readFileSync(join(options.dir ?? CLOUDFORMATION_DIR, templateFile(template)), 'utf8'),
    Capabilities: [Capability.CAPABILITY_IAM],
    Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue,
    })),
  };
  await client.send(options.update ? new UpdateStackCommand(input) : new CreateStackCommand(input));
  const stack = await aws.settled(stackName, client);
  const resources =
    (await client.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];
  return { stack, resources };
}

function physicalIdOf(resources: readonly StackResourceSummary[], type: string): string {
  const found = resources.find((r) => r.ResourceType === type);
  expect(found, `${type} was created`).toBeDefined();
  return found?.PhysicalResourceId as string;
}

/**
 * The schedule of a created cluster stack: moto's CloudFormation does not create AWS::Scheduler::Schedule, so
 * its properties are evaluated from the committed template with the parameters moto resolved for the stack
 * and the exports the shared stacks made.
 */
async function scheduleOf(
  template: TemplateName,
  stack: CfnStack | undefined,
  { dir = CLOUDFORMATION_DIR, client = aws.cfn, region = REGION } = {},
) {
  const body = parseYaml(readFileSync(join(dir, templateFile(template)), 'utf8'));
  const [schedule] = Object.values(body.Resources as Record<string, { Type: string; Properties: never }>)
    .filter((r) => r.Type === 'AWS::Scheduler::Schedule')
    .map(
      (r) =>
        r.Properties as {
          ScheduleExpression: never;
          ScheduleExpressionTimezone: never;
          Target: { Input: never };
        },
    );
  expect(schedule, `${template} has an AWS::Scheduler::Schedule`).toBeDefined();
  const exports = (await client.send(new ListExportsCommand({}))).Exports ?? [];
  const deployment = {
    region,
    parameters: Object.fromEntries(
      (stack?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
    ),
    imports: Object.fromEntries(exports.map((e) => [e.Name ?? '', e.Value ?? ''])),
  };
  const at = (value: never) => evaluate(body, value, deployment);
  return {
    schedule: at(schedule?.ScheduleExpression as never),
    timeZone: at(schedule?.ScheduleExpressionTimezone as never),
    input: JSON.parse(at(schedule?.Target.Input as never) as string) as unknown,
  };
}

/**
 * The snapshot-event rule of a created source-cluster stack as moto's EventBridge holds it: its pattern, its
 * target and the execution input of that target, parsed (CloudFormation resolved the input template).
 */
async function snapshotEventRuleOf(resources: readonly StackResourceSummary[], region = REGION) {
  const client = new EventBridgeClient({ ...aws.config, region });
  try {
    const name = physicalIdOf(resources, 'AWS::Events::Rule');
    const rule = await client.send(new DescribeRuleCommand({ Name: name }));
    const [target] = (await client.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets ?? [];
    return {
      pattern: JSON.parse(rule.EventPattern ?? 'null') as unknown,
      target,
      input: JSON.parse(target?.InputTransformer?.InputTemplate ?? 'null') as unknown,
    };
  } finally {
    client.destroy();
  }
}

describe('publish', () => {
  it('uploads the ten bundles to CodeBucket under the prefix, byte for byte', async () => {
    // Act
    const published = await publishBundles({
      bucket: BUCKET,
      region: REGION,
      dir: aws.bundles,
      prefix: 'releases/0.1.0',
      endpoint: aws.moto.endpoint,
    });
    // Assess
    expect(published.map((p) => p.key)).toEqual(ALL_FUNCTIONS.map((name) => `releases/0.1.0/${name}.zip`));
    for (const { key, bytes } of published) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      const body = await object.Body?.transformToString();
      expect(body).toBe(readFileSync(join(aws.bundles, key.replace('releases/0.1.0/', '')), 'utf8'));
      expect(bytes).toBe(Buffer.byteLength(body ?? ''));
    }
  });

  it.each([
    ['a bucket name S3 would refuse', { bucket: 'Not_A_Bucket' }, '--bucket'],
    ['a bucket that does not exist', { bucket: 'no-such-bucket' }, '--bucket'],
    ["a region other than the bucket's", { region: 'us-west-2' }, '--region'],
    ['a directory without the bundles', { dir: '/nonexistent/dist/lambda' }, '--dir'],
    ['a prefix with a space', { prefix: 'my releases' }, '--prefix'],
  ])('refuses %s, naming the option', async (_label, override, option) => {
    // Prepare
    const options = {
      bucket: BUCKET,
      region: REGION,
      dir: aws.bundles,
      endpoint: aws.moto.endpoint,
      ...override,
    };
    // Act
    const error = await publishBundles(options).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.parameter)).toEqual([option]);
  });
});

describe("stacks on moto's CloudFormation, in the seed's order", () => {
  it(
    'creates source-roles, source-lambdas (from CodeBucket), and source-cluster with DeleteOldSnapshots=FALSE; ' +
      "moto's CloudFormation skips AWS::CloudWatch::Alarm and AWS::SNS::TopicPolicy, whose properties templates.test.ts asserts",
    async () => {
      // Prepare
      await publishBundles({ bucket: BUCKET, region: REGION, dir: aws.bundles, endpoint: aws.moto.endpoint });
      // Act
      const roles = await createStack('source-roles', 'snapshot-tool-source-roles');
      const lambdas = await createStack('source-lambdas', 'snapshot-tool-source-lambdas', {
        CodeBucket: BUCKET,
      });
      const cluster = await createStack('source-cluster', 'snapshot-tool-orders', {
        ClusterNamePattern: '^orders-\\d+$',
        BackupInterval: '8',
        BackupSchedule: '0 0,8,16 * * ? *',
        DeleteOldSnapshots: 'FALSE',
        KmsKeySource: 'None',
      });
      // Assess
      for (const { stack } of [roles, lambdas, cluster]) expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
      expect(roles.resources.filter((r) => r.ResourceType === 'AWS::IAM::Role')).toHaveLength(3);
      expect(
        lambdas.resources
          .filter((r) => r.ResourceType === 'AWS::Lambda::Function')
          .map((r) => r.PhysicalResourceId),
      ).toEqual([...SOURCE_FUNCTIONS]);
      for (const type of ['AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic', 'AWS::KMS::Key']) {
        physicalIdOf(cluster.resources, type);
      }
      const { schedule, timeZone, input } = await scheduleOf('source-cluster', cluster.stack);
      expect(schedule).toBe('cron(0 0,8,16 * * ? *)');
      expect(timeZone).toBe('UTC');
      // The Scheduler's own role and the snapshot-event rule's, beside the state machine's imported one.
      expect(cluster.resources.filter((r) => r.ResourceType === 'AWS::IAM::Role')).toHaveLength(2);
      // The rule as moto's CloudFormation resolved it: the schedule's block with the event's Trigger.
      const rule = await snapshotEventRuleOf(cluster.resources);
      expect(rule.pattern).toEqual(SNAPSHOT_EVENT_PATTERN);
      expect(rule.target?.Arn).toBe(physicalIdOf(cluster.resources, 'AWS::StepFunctions::StateMachine'));
      expect(rule.input).toEqual({ ...(input as object), Trigger: TRIGGER });
      expect(parseConfig(input).Source).toMatchObject({
        Region: REGION,
        ClusterNamePattern: '^orders-\\d+$',
        BackupInterval: 8,
        DeleteOldSnapshots: false,
      });
      expect((input as { Source: object }).Source).not.toHaveProperty('KmsKeySource');
      expect(cluster.stack?.Outputs?.map((o) => o.OutputKey)).toEqual(
        expect.arrayContaining(['StateMachineArn', 'AlarmTopicArn']),
      );
    },
  );

  it('serves a second cluster from the same functions, with its own state machine and schedule', async () => {
    // Act
    const second = await createStack('source-cluster', 'snapshot-tool-billing', {
      ClusterNamePattern: 'billing',
      BackupSchedule: '30 2 * * ? *',
      ScheduleTimezone: 'Europe/Berlin',
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'eu-central-1',
      KmsKeyDestination: 'arn:aws:kms:eu-central-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
    });
    const { schedule, timeZone, input } = await scheduleOf('source-cluster', second.stack);
    // Assess
    expect(second.stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(schedule).toBe('cron(30 2 * * ? *)');
    expect(timeZone).toBe('Europe/Berlin');
    expect(parseConfig(input).Source).toMatchObject({
      ClusterNamePattern: 'billing',
      ShareSnapshots: true,
      DestinationRegion: 'eu-central-1',
      DeleteOldSnapshots: true,
    });
    // Its keys and its state machine are already the shared roles': it writes no policy to them. Its only IAM
    // resources are the roles of its own EventBridge Scheduler schedule and snapshot-event rule.
    expect(
      second.resources.filter((r) => r.ResourceType?.startsWith('AWS::IAM::')).map((r) => r.ResourceType),
    ).toEqual(['AWS::IAM::Role', 'AWS::IAM::Role']);
    expect((await snapshotEventRuleOf(second.resources)).input).toEqual({
      ...(input as object),
      Trigger: TRIGGER,
    });
  });

  it('creates destination-lambdas and a cross-account destination-cluster', async () => {
    // Act
    const lambdas = await createStack('destination-lambdas', 'snapshot-tool-destination-lambdas', {
      CodeBucket: BUCKET,
      LogLevel: 'INFO',
    });
    const cluster = await createStack('destination-cluster', 'snapshot-tool-destination-orders', {
      SnapshotPattern: 'orders',
      RetentionDays: '14',
      SourceAccount: '111122223333',
      KmsKeyDestination: `arn:aws:kms:${REGION}:${MOTO_DEFAULT_ACCOUNT}:key/0b3a2c5e-1111-2222-3333-444455556666`,
      SharedSnapshotsKmsKey: `arn:aws:kms:${REGION}:111122223333:key/0b3a2c5e-aaaa-2222-3333-444455556666`,
    });
    const { schedule, input } = await scheduleOf('destination-cluster', cluster.stack);
    const exports = (await aws.cfn.send(new ListExportsCommand({}))).Exports?.map((e) => e.Name) ?? [];
    // Assess
    expect(lambdas.stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(cluster.stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(
      lambdas.resources
        .filter((r) => r.ResourceType === 'AWS::Lambda::Function')
        .map((r) => r.PhysicalResourceId),
    ).toEqual([...DESTINATION_FUNCTIONS]);
    expect(schedule).toBe('cron(0 * * * ? *)');
    expect(parseConfig(input).Destination).toMatchObject({
      Region: REGION,
      SnapshotPattern: 'orders',
      RetentionDays: 14,
      SourceAccount: '111122223333',
    });
    expect(exports).toEqual(
      expect.arrayContaining([
        EXPORTS.role('Source', 'LambdaRole'),
        EXPORTS.role('Destination', 'EventsRole'),
        ...[...SOURCE_FUNCTIONS, ...DESTINATION_FUNCTIONS].map((fn) => EXPORTS.function(fn)),
      ]),
    );
  });
});

/**
 * A policy document as moto returns it: URL-encoded JSON as AWS does, or, for the inline policies
 * CloudFormation gave a role, the Python text of the document (single quotes; the tool's policies hold
 * only strings, lists and mappings, with no quote inside a value).
 */
function asJson(text: string): string {
  const decoded = text.includes('%7B') || text.includes('%22') ? decodeURIComponent(text) : text;
  return decoded.startsWith("{'") ? decoded.replaceAll("'", '"') : decoded;
}

/** Every statement a role has in moto's IAM: its inline policies and its attached managed policies. */
async function roleStatements(roleArn: string): Promise<Statement[]> {
  const roleName = roleArn.split('/').at(-1) as string;
  const documents: string[] = [];
  const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  for (const policyName of inline.PolicyNames ?? []) {
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    documents.push(policy.PolicyDocument ?? '{}');
  }
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  for (const { PolicyArn } of attached.AttachedPolicies ?? []) {
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn }));
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn, VersionId: policy.Policy?.DefaultVersionId }),
    );
    documents.push(version.PolicyVersion?.Document ?? '{}');
  }
  return documents.flatMap((text) => {
    const document = JSON.parse(asJson(text)) as { Statement: Statement | Statement[] };
    return [document.Statement].flat();
  });
}

async function exportedRoleArn(name: string, client = aws.cfn): Promise<string> {
  const exported = (await client.send(new ListExportsCommand({}))).Exports ?? [];
  const found = exported.find((e) => e.Name === name)?.Value;
  expect(found, name).toBeDefined();
  return found as string;
}

interface ClusterStack {
  readonly name: string;
  readonly stateMachineArn: string;
  /** The key this cluster's copies use, named only in its own stack. */
  readonly key: string;
}

const keyOf = (n: number) =>
  `arn:aws:kms:${REGION}:${MOTO_DEFAULT_ACCOUNT}:key/0b3a2c5e-0000-0000-0000-00000000000${n}`;

/** The cluster's schedule may start its state machine, and RDS may use its key for its copies. */
async function permissionsHold(
  side: 'Source' | 'Destination',
  cluster: ClusterStack,
  { client = aws.cfn, region = REGION } = {},
): Promise<string[]> {
  const eventsRole = await roleStatements(await exportedRoleArn(EXPORTS.role(side, 'EventsRole'), client));
  const lambdaRole = await roleStatements(await exportedRoleArn(EXPORTS.role(side, 'LambdaRole'), client));
  const failures: string[] = [];
  if (!(await allows(eventsRole, { action: 'states:StartExecution', resource: cluster.stateMachineArn }))) {
    failures.push(`${cluster.name}: the schedule cannot start ${cluster.stateMachineArn}`);
  }
  const grant = {
    action: 'kms:CreateGrant',
    resource: cluster.key,
    context: { 'kms:ViaService': `rds.${region}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' },
  };
  if (!(await allows(lambdaRole, grant))) failures.push(`${cluster.name}: RDS cannot use ${cluster.key}`);
  if (!(await allows(lambdaRole, { ...grant, action: 'kms:Decrypt' }))) {
    failures.push(`${cluster.name}: RDS cannot decrypt with ${cluster.key}`);
  }
  return failures;
}

describe('three cluster stacks of each side on the same shared roles', () => {
  const clusters: Record<'Source' | 'Destination', ClusterStack[]> = { Source: [], Destination: [] };

  it.each(['Source', 'Destination'] as const)(
    '%s: each cluster keeps its permissions after the others are created',
    async (side) => {
      // Act
      for (const n of [1, 2, 3]) {
        const name = `snapshot-tool-${side.toLowerCase()}-cluster-${n}`;
        const created =
          side === 'Source'
            ? await createStack('source-cluster', name, {
                ClusterNamePattern: `^app-${n}$`,
                KmsKeySource: keyOf(n),
              })
            : await createStack('destination-cluster', name, {
                SnapshotPattern: `^app-${n}$`,
                SourceAccount: '111122223333',
                KmsKeyDestination: keyOf(n + 3),
                SharedSnapshotsKmsKey: `arn:aws:kms:${REGION}:111122223333:key/0b3a2c5e-1111-0000-0000-00000000000${n}`,
              });
        expect(created.stack?.StackStatus).toBe('CREATE_COMPLETE');
        clusters[side].push({
          name,
          stateMachineArn: physicalIdOf(created.resources, 'AWS::StepFunctions::StateMachine'),
          key: side === 'Source' ? keyOf(n) : keyOf(n + 3),
        });
      }
      // Assess
      expect(new Set(clusters[side].map((c) => c.stateMachineArn)).size).toBe(3);
      for (const cluster of clusters[side]) expect(await permissionsHold(side, cluster)).toEqual([]);
    },
  );

  it.each(['Source', 'Destination'] as const)(
    '%s: the other clusters keep their permissions after one cluster stack is deleted',
    async (side) => {
      // Prepare
      const [first, second, third] = clusters[side] as [ClusterStack, ClusterStack, ClusterStack];
      // Act
      await aws.cfn.send(new DeleteStackCommand({ StackName: second.name }));
      // Assess
      const remaining = (await aws.cfn.send(new DescribeStacksCommand({}))).Stacks?.map((st) => st.StackName);
      expect(remaining).not.toContain(second.name);
      for (const cluster of [first, third]) expect(await permissionsHold(side, cluster)).toEqual([]);
    },
  );
});

/** A CloudFormation client for another region, whose code bucket holds the published bundles. */
async function regionWithBundles(
  region: BucketLocationConstraint,
  bucket: string,
): Promise<CloudFormationClient> {
  await aws.codeBucket(bucket, region);
  return new CloudFormationClient({ ...aws.config, region });
}

describe('upgrade from the first release, a plain CloudFormation update', () => {
  const UPGRADE_REGION = 'eu-west-2';
  const UPGRADE_BUCKET = 'snapshot-tool-code-upgrade';
  let regional: CloudFormationClient;

  beforeAll(async () => {
    regional = await regionWithBundles(UPGRADE_REGION, UPGRADE_BUCKET);
  });

  afterAll(() => regional?.destroy());

  it('updates the shared stacks, then a cluster stack made by the old templates: no policy left on the roles, its state machine renamed with the prefix the roles allow', async () => {
    // Prepare: the first release's stacks, whose cluster stack wrote its policies to the shared roles.
    // (With two such cluster stacks, the second one's update deletes a policy name the first one's already
    // removed: moto fails that call, where CloudFormation deletes removed resources in the cleanup phase
    // after the update has completed, whose failures roll nothing back. And moto's update of a role ignores
    // its new inline policies, so what the updated roles allow is asserted on the templates, in iam.test.ts.)
    const key = (n: number) =>
      `arn:aws:kms:${UPGRADE_REGION}:${MOTO_DEFAULT_ACCOUNT}:key/0b3a2c5e-9999-0000-0000-00000000000${n}`;
    const steps = [
      ['source-roles', 'upgrade-source-roles', {}],
      ['source-lambdas', 'upgrade-source-lambdas', { CodeBucket: UPGRADE_BUCKET }],
      ['source-cluster', 'upgrade-cluster-1', { ClusterNamePattern: '^one$', KmsKeySource: key(1) }],
    ] as const;
    for (const [template, name, parameters] of steps) {
      const old = await createStack(template, name, parameters, { dir: RELEASED_DIR, client: regional });
      expect(old.stack?.StackStatus, name).toBe('CREATE_COMPLETE');
    }
    // Act: the documented order, shared stacks first.
    const updated = [];
    for (const [template, name, parameters] of steps) {
      updated.push(await createStack(template, name, parameters, { update: true, client: regional }));
    }
    const added = await createStack(
      'source-cluster',
      'upgrade-cluster-2',
      { ClusterNamePattern: '^two$', KmsKeySource: key(2) },
      { client: regional },
    );
    // Assess
    for (const { stack } of updated) expect(stack?.StackStatus, stack?.StackName).toBe('UPDATE_COMPLETE');
    for (const cluster of [updated[2], added]) {
      expect(cluster?.stack?.StackStatus).toMatch(/^(UPDATE|CREATE)_COMPLETE$/);
      // No policy on a shared role: the IAM resources left are the stack's own roles, its EventBridge
      // Scheduler schedule's and its snapshot-event rule's.
      expect(
        cluster?.resources
          .filter((r) => r.ResourceType?.startsWith('AWS::IAM::'))
          .map((r) => [r.ResourceType, r.LogicalResourceId?.replace(/[0-9A-F]{8}$/, '')])
          .sort(),
      ).toEqual([
        ['AWS::IAM::Role', 'JobSchedulerRole'],
        ['AWS::IAM::Role', 'JobSnapshotEventsRole'],
      ]);
      expect(physicalIdOf(cluster?.resources ?? [], 'AWS::StepFunctions::StateMachine')).toContain(
        ':stateMachine:AuroraSnapshotTool-Source-',
      );
    }
    const roleName = (await exportedRoleArn(EXPORTS.role('Source', 'LambdaRole'), regional))
      .split('/')
      .at(-1);
    const left = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    expect(left.PolicyNames?.filter((name) => /KmsKey|StartOwnStateMachine/.test(name))).toEqual([]);
  });
});

describe('upgrade from the one-destination templates, then a second destination', () => {
  const UPGRADE_REGION = 'eu-west-3';
  const UPGRADE_BUCKET = 'snapshot-tool-code-destinations';
  const ONE_DESTINATION_DIR = join(import.meta.dirname, 'support', 'one-destination');
  const keyIn = (region: string) =>
    `arn:aws:kms:${region}:${MOTO_DEFAULT_ACCOUNT}:key/0b3a2c5e-2222-0000-0000-000000000001`;
  let regional: CloudFormationClient;

  beforeAll(async () => {
    regional = await regionWithBundles(UPGRADE_REGION, UPGRADE_BUCKET);
  });

  afterAll(() => regional?.destroy());

  it('updates a one-destination stack with no new parameter to the same input, then adds destination 2 and confines the roles to both regions', async () => {
    // Prepare: the stacks as the one-destination templates made them.
    const one = {
      ClusterNamePattern: '^orders$',
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'us-west-2',
      KmsKeyDestination: keyIn('us-west-2'),
    };
    const opts = { client: regional, region: UPGRADE_REGION };
    for (const [template, name, parameters, dir] of [
      ['source-roles', 'dest-source-roles', {}, ONE_DESTINATION_DIR],
      ['source-lambdas', 'dest-source-lambdas', { CodeBucket: UPGRADE_BUCKET }, CLOUDFORMATION_DIR],
      ['source-cluster', 'dest-orders', one, ONE_DESTINATION_DIR],
    ] as const) {
      const created = await createStack(template, name, parameters, { dir, client: regional });
      expect(created.stack?.StackStatus, name).toBe('CREATE_COMPLETE');
    }
    const before = await scheduleOf(
      'source-cluster',
      (await regional.send(new DescribeStacksCommand({ StackName: 'dest-orders' }))).Stacks?.[0],
      { ...opts, dir: ONE_DESTINATION_DIR },
    );

    // Act 1: the documented order, shared stacks first, with the stacks' parameters as they are.
    const roles = await createStack(
      'source-roles',
      'dest-source-roles',
      {},
      { update: true, client: regional },
    );
    const same = await createStack('source-cluster', 'dest-orders', one, { update: true, client: regional });
    const after = await scheduleOf('source-cluster', same.stack, opts);

    // Assess 1: the functions receive exactly what they did; the roles carry no regions policy.
    expect(roles.stack?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(same.stack?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(after.input).toEqual(before.input);
    expect(roles.resources.map((r) => r.ResourceType)).not.toContain('AWS::IAM::Policy');

    // Act 2: a second destination, a copy to eu-central-1 shared there with another account; the shared
    // roles told both destination regions.
    const two = {
      ...one,
      Destination2Region: 'eu-central-1',
      Destination2Account: '111122223333',
      Destination2KmsKey: keyIn('eu-central-1'),
    };
    const confined = await createStack(
      'source-roles',
      'dest-source-roles',
      { DestinationRegions: 'us-west-2,eu-central-1' },
      { update: true, client: regional },
    );
    const both = await createStack('source-cluster', 'dest-orders', two, { update: true, client: regional });
    const { input } = await scheduleOf('source-cluster', both.stack, opts);

    // Assess 2: the input is the list; the functions' role, read back from IAM, copies to both regions only.
    expect(confined.stack?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(both.stack?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(parseConfig(input).Source?.Destinations).toEqual([
      { Region: 'us-west-2', KmsKeyDestination: keyIn('us-west-2') },
      { Region: 'eu-central-1', Account: '111122223333', KmsKeyDestination: keyIn('eu-central-1') },
    ]);
    const lambdaRole = await roleStatements(
      await exportedRoleArn(EXPORTS.role('Source', 'LambdaRole'), regional),
    );
    const copyInto = (region: string) => ({
      action: 'rds:CopyDBClusterSnapshot',
      resource: `arn:aws:rds:${region}:${MOTO_DEFAULT_ACCOUNT}:cluster-snapshot:orders-2026-01-01-01-00`,
    });
    expect(await allows(lambdaRole, copyInto('eu-central-1'))).toBe(true);
    expect(await allows(lambdaRole, copyInto('us-west-2'))).toBe(true);
    expect(await allows(lambdaRole, copyInto('ap-south-1'))).toBe(false);
  });
});
