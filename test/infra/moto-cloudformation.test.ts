// Smoke test on moto's CloudFormation: publish the bundles to CodeBucket, then create the five stacks from the committed templates in the seed's order.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Stack as CfnStack,
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBundles } from '../../src/aws/publish.js';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/errors.js';
import { ALL_FUNCTIONS, DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { EXPORTS, type TemplateName, templateFile } from '../../src/infra/templates/index.js';
import { type MotoServer, startMoto } from '../support/moto.js';

const REGION = 'eu-west-1';
const BUCKET = 'snapshot-tool-code';
const CLOUDFORMATION_DIR = join(import.meta.dirname, '..', '..', 'cloudformation');

let moto: MotoServer;
let cfn: CloudFormationClient;
let events: EventBridgeClient;
let s3: S3Client;
let bundles: string;

beforeAll(async () => {
  moto = await startMoto();
  const config = { region: REGION, endpoint: moto.endpoint, credentials: moto.credentials };
  cfn = new CloudFormationClient(config);
  events = new EventBridgeClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(
    new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
  bundles = mkdtempSync(join(tmpdir(), 'bundles-'));
  // Stand-ins for the zips `npm run package` builds: moto stores the code, it does not run it.
  for (const name of ALL_FUNCTIONS) writeFileSync(join(bundles, `${name}.zip`), `bundle of ${name}`);
});

afterAll(async () => {
  for (const client of [cfn, events, s3]) client?.destroy();
  await moto?.stop();
});

async function createStack(
  template: TemplateName,
  stackName: string,
  parameters: Record<string, string> = {},
) {
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: readFileSync(join(CLOUDFORMATION_DIR, templateFile(template)), 'utf8'),
      Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
    }),
  );
  let stack: CfnStack | undefined;
  // moto creates synchronously; the loop only guards against an in-progress answer.
  for (let poll = 0; poll < 50; poll++) {
    stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    if (!stack?.StackStatus?.endsWith('_IN_PROGRESS')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const resources =
    (await cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];
  return { stack, resources };
}

function physicalIdOf(resources: readonly StackResourceSummary[], type: string): string {
  const found = resources.find((r) => r.ResourceType === type);
  expect(found, `${type} was created`).toBeDefined();
  return found?.PhysicalResourceId as string;
}

async function ruleInputAndSchedule(ruleName: string) {
  const rule = await events.send(new DescribeRuleCommand({ Name: ruleName }));
  const targets = await events.send(new ListTargetsByRuleCommand({ Rule: ruleName }));
  return {
    schedule: rule.ScheduleExpression,
    input: JSON.parse(targets.Targets?.[0]?.Input ?? 'null') as unknown,
  };
}

describe('publish', () => {
  it('uploads the six bundles to CodeBucket under the prefix, byte for byte', async () => {
    // Act
    const published = await publishBundles({
      bucket: BUCKET,
      region: REGION,
      dir: bundles,
      prefix: 'releases/0.1.0',
      endpoint: moto.endpoint,
    });
    // Assess
    expect(published.map((p) => p.key)).toEqual(ALL_FUNCTIONS.map((name) => `releases/0.1.0/${name}.zip`));
    for (const { key, bytes } of published) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      const body = await object.Body?.transformToString();
      expect(body).toBe(readFileSync(join(bundles, key.replace('releases/0.1.0/', '')), 'utf8'));
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
    const options = { bucket: BUCKET, region: REGION, dir: bundles, endpoint: moto.endpoint, ...override };
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
      await publishBundles({ bucket: BUCKET, region: REGION, dir: bundles, endpoint: moto.endpoint });
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
      for (const type of [
        'AWS::StepFunctions::StateMachine',
        'AWS::Events::Rule',
        'AWS::SNS::Topic',
        'AWS::KMS::Key',
      ]) {
        physicalIdOf(cluster.resources, type);
      }
      const { schedule, input } = await ruleInputAndSchedule(
        physicalIdOf(cluster.resources, 'AWS::Events::Rule'),
      );
      expect(schedule).toBe('cron(0 0,8,16 * * ? *)');
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
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'eu-central-1',
      KmsKeyDestination: 'arn:aws:kms:eu-central-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
    });
    const { schedule, input } = await ruleInputAndSchedule(
      physicalIdOf(second.resources, 'AWS::Events::Rule'),
    );
    // Assess
    expect(second.stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(schedule).toBe('cron(30 2 * * ? *)');
    expect(parseConfig(input).Source).toMatchObject({
      ClusterNamePattern: 'billing',
      ShareSnapshots: true,
      DestinationRegion: 'eu-central-1',
      DeleteOldSnapshots: true,
    });
    const policies = second.resources.filter((r) => r.ResourceType === 'AWS::IAM::Policy');
    // Its own StartExecution policy and the KmsKeyDestination policy; no KmsKeySource policy.
    expect(policies).toHaveLength(2);
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
    });
    const { schedule, input } = await ruleInputAndSchedule(
      physicalIdOf(cluster.resources, 'AWS::Events::Rule'),
    );
    const exports = (await cfn.send(new ListExportsCommand({}))).Exports?.map((e) => e.Name) ?? [];
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
