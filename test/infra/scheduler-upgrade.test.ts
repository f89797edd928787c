// Upgrading a cluster stack deployed with the EventBridge rule to the EventBridge Scheduler version is a plain CloudFormation update.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateStackCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { templateFile } from '../../src/infra/templates/index.js';
import { useMotoCloudFormation } from './support/moto-cloudformation.js';

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
  const aws = useMotoCloudFormation({ region: REGION, bucket: BUCKET });
  let events: EventBridgeClient;

  beforeAll(() => {
    events = new EventBridgeClient(aws.config);
  });

  afterAll(() => events?.destroy());

  async function types(stackName: string): Promise<string[]> {
    const summaries =
      (await aws.cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ??
      [];
    return summaries.map((r) => r.ResourceType ?? '');
  }

  it('replaces the schedule rule: the stack updates with the same parameters and the rule is gone', async () => {
    // Prepare
    const shared = (template: string, name: string, parameters: Record<string, string> = {}) =>
      aws.cfn.send(
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
    await aws.cfn.send(
      new CreateStackCommand({
        StackName: 'orders',
        TemplateBody: body(join(RULE_BASED, 'rule-based-source-cluster.yaml')),
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: parameters,
      }),
    );
    const created = await aws.settled('orders');
    const rulesBefore = (await events.send(new ListRulesCommand({}))).Rules ?? [];
    // Act
    await aws.cfn.send(
      new UpdateStackCommand({
        StackName: 'orders',
        TemplateBody: body(join(CURRENT, templateFile('source-cluster'))),
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: parameters,
      }),
    );
    const updated = await aws.settled('orders');
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
