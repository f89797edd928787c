// Upgrading a cluster stack deployed with the EventBridge rule to the EventBridge Scheduler version is a plain CloudFormation update.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { publishBundles } from '../../src/aws/publish.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { templateFile } from '../../src/infra/templates/index.js';
import { type MotoServer, startMoto } from '../support/moto.js';

const REGION = 'eu-west-1';
const BUCKET = 'snapshot-tool-code';
const CURRENT = join(import.meta.dirname, '..', '..', 'cloudformation');
const RULE_BASED = join(import.meta.dirname, 'support');

type Side = 'source' | 'destination';
interface Resources {
  [id: string]: { Type: string; Properties?: { ScheduleExpression?: string } };
}
/** The EventBridge rules that run on a schedule (the ones EventBridge Scheduler replaced). */
const scheduleRules = (resources: Resources) =>
  Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties?.ScheduleExpression);
const load = (path: string) =>
  parseYaml(readFileSync(path, 'utf8')) as { Resources: Resources; Parameters: Record<string, object> };
const before = (side: Side) => load(join(RULE_BASED, `rule-based-${side}-cluster.yaml`));
const after = (side: Side) => load(join(CURRENT, templateFile(`${side}-cluster`)));
const body = (path: string) => readFileSync(path, 'utf8');

describe.each<Side>(['source', 'destination'])('%s-cluster from the rule-based version', (side) => {
  it('keeps every parameter, gives each new one a default, and changes the type of no logical id', () => {
    // Prepare
    const old = before(side);
    const now = after(side);
    // Act
    const retyped = Object.entries(old.Resources).filter(
      ([id, r]) => now.Resources[id] !== undefined && now.Resources[id]?.Type !== r.Type,
    );
    const added = Object.keys(now.Parameters).filter((p) => !(p in old.Parameters));
    // Assess: CloudFormation refuses to change a resource's type in place; a renamed one is created beside.
    expect(retyped).toEqual([]);
    for (const p of Object.keys(old.Parameters)) expect(now.Parameters, p).toHaveProperty(p);
    for (const p of added) expect(now.Parameters[p], p).toHaveProperty('Default');
    expect(scheduleRules(old.Resources)).toHaveLength(1);
    // A source cluster's one EventBridge rule now is its snapshot-event rule, on RDS's events.
    expect(scheduleRules(now.Resources)).toEqual([]);
    expect(Object.values(now.Resources).map((r) => r.Type)).toContain('AWS::Scheduler::Schedule');
  });
});

describe("the update on moto's CloudFormation", () => {
  let moto: MotoServer;
  let cfn: CloudFormationClient;
  let events: EventBridgeClient;

  beforeAll(async () => {
    moto = await startMoto();
    const config = { region: REGION, endpoint: moto.endpoint, credentials: moto.credentials };
    cfn = new CloudFormationClient(config);
    events = new EventBridgeClient(config);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(
      new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
    s3.destroy();
    const bundles = mkdtempSync(join(tmpdir(), 'bundles-'));
    for (const name of ALL_FUNCTIONS) writeFileSync(join(bundles, `${name}.zip`), `bundle of ${name}`);
    await publishBundles({ bucket: BUCKET, region: REGION, dir: bundles, endpoint: moto.endpoint });
  });

  afterAll(async () => {
    cfn?.destroy();
    events?.destroy();
    await moto?.stop();
  });

  async function settled(stackName: string) {
    for (let poll = 0; poll < 50; poll++) {
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
      if (!stack?.StackStatus?.endsWith('_IN_PROGRESS')) return stack;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${stackName} did not settle`);
  }

  async function types(stackName: string): Promise<string[]> {
    const summaries =
      (await cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];
    return summaries.map((r) => r.ResourceType ?? '');
  }

  it('replaces the schedule rule: the stack updates with the same parameters and the rule is gone', async () => {
    // Prepare
    const shared = (template: string, name: string, parameters: Record<string, string> = {}) =>
      cfn.send(
        new CreateStackCommand({
          StackName: name,
          TemplateBody: body(join(CURRENT, templateFile(template as never))),
          Capabilities: ['CAPABILITY_IAM'],
          Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
            ParameterKey,
            ParameterValue,
          })),
        }),
      );
    await shared('source-roles', 'snapshot-tool-source-roles');
    await shared('source-lambdas', 'snapshot-tool-source-lambdas', { CodeBucket: BUCKET });
    const parameters = [
      { ParameterKey: 'ClusterNamePattern', ParameterValue: '^orders$' },
      { ParameterKey: 'BackupSchedule', ParameterValue: '0 0,8,16 * * ? *' },
    ];
    await cfn.send(
      new CreateStackCommand({
        StackName: 'orders',
        TemplateBody: body(join(RULE_BASED, 'rule-based-source-cluster.yaml')),
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: parameters,
      }),
    );
    const created = await settled('orders');
    const rulesBefore = (await events.send(new ListRulesCommand({}))).Rules ?? [];
    // Act
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'orders',
        TemplateBody: body(join(CURRENT, templateFile('source-cluster'))),
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: parameters,
      }),
    );
    const updated = await settled('orders');
    const rulesAfter = (await events.send(new ListRulesCommand({}))).Rules ?? [];
    // Assess
    expect(created?.StackStatus).toBe('CREATE_COMPLETE');
    expect(rulesBefore.filter((r) => r.ScheduleExpression === 'cron(0 0,8,16 * * ? *)')).toHaveLength(1);
    expect(updated?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(await types('orders')).toContain('AWS::StepFunctions::StateMachine');
    expect(rulesAfter.filter((r) => r.ScheduleExpression === 'cron(0 0,8,16 * * ? *)')).toEqual([]);
    // The stack's one rule now: its snapshot-event rule, on a pattern and with no schedule.
    expect((await types('orders')).filter((type) => type === 'AWS::Events::Rule')).toHaveLength(1);
    expect(rulesAfter.filter((r) => r.ScheduleExpression)).toEqual([]);
    expect(rulesAfter.filter((r) => r.EventPattern)).toHaveLength(1);
    expect(updated?.Parameters?.find((p) => p.ParameterKey === 'ScheduleTimezone')?.ParameterValue).toBe(
      'UTC',
    );
  });
});
