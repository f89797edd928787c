// Upgrading a source-cluster stack of the schedule-only templates to the one with the snapshot-event rule is a
// plain CloudFormation update on moto's CloudFormation: every resource kept as it is (the state machine not
// replaced), the rule and its role added. (SnapshotEvents=FALSE is checked on the template, in
// templates.test.ts: moto's CloudFormation keeps a resource whose condition turns false on an update.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Capability,
  CreateStackCommand,
  ListStackResourcesCommand,
  type Parameter,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../src/config/schema.js';
import { TRIGGER } from '../../src/infra/snapshot-events.js';
import { templateFile } from '../../src/infra/templates/index.js';
import { evaluate } from './support/cfn-eval.js';
import { useMotoCloudFormation } from './support/moto-cloudformation.js';

const REGION = 'eu-west-1';
const BUCKET = 'snapshot-tool-code';
const CURRENT = join(import.meta.dirname, '..', '..', 'cloudformation');
const BEFORE = join(import.meta.dirname, 'support', 'before-snapshot-events');
const body = (dir: string, name: string) => readFileSync(join(dir, templateFile(name as never)), 'utf8');

const PARAMETERS: Parameter[] = Object.entries({
  ClusterNamePattern: '^orders-\\d+$',
  BackupSchedule: '0 0,8,16 * * ? *',
  BackupInterval: '8',
  ShareSnapshots: 'TRUE',
  DestinationRegion: 'eu-central-1',
  KmsKeyDestination: 'arn:aws:kms:eu-central-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
  Destination2Region: 'us-west-2',
  Destination2Account: '111122223333',
}).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

const aws = useMotoCloudFormation({ region: REGION, bucket: BUCKET });
let events: EventBridgeClient;

beforeAll(async () => {
  events = new EventBridgeClient(aws.config);
  for (const [name, parameters] of [
    ['source-roles', []],
    ['source-lambdas', [{ ParameterKey: 'CodeBucket', ParameterValue: BUCKET }]],
  ] as const) {
    await aws.cfn.send(
      new CreateStackCommand({
        StackName: `snapshot-tool-${name}`,
        TemplateBody: body(CURRENT, name),
        Capabilities: [Capability.CAPABILITY_IAM],
        Parameters: [...parameters],
      }),
    );
    expect((await aws.settled(`snapshot-tool-${name}`))?.StackStatus).toBe('CREATE_COMPLETE');
  }
}, 120_000);

afterAll(() => events?.destroy());

/** The `orders` stack of the source-cluster template in `dir`, with PARAMETERS. */
const ordersStack = (dir: string) => ({
  StackName: 'orders',
  TemplateBody: body(dir, 'source-cluster'),
  Capabilities: [Capability.CAPABILITY_IAM],
  Parameters: PARAMETERS,
});

/** Logical id to [type, physical id] of every resource of the stack. */
async function resourcesOf(stackName: string): Promise<Map<string, [string, string]>> {
  const summaries =
    (await aws.cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ??
    [];
  return new Map(
    summaries.map((r) => [r.LogicalResourceId ?? '', [r.ResourceType ?? '', r.PhysicalResourceId ?? '']]),
  );
}

/** The rules of the account's default bus with an event pattern (the snapshot-event rules). */
async function patternRules() {
  return ((await events.send(new ListRulesCommand({}))).Rules ?? []).filter((r) => r.EventPattern);
}

describe('source-cluster from the schedule-only templates', () => {
  it('keeps every parameter and resource, and gives the new parameter a default', () => {
    // Prepare
    const old = parseYaml(body(BEFORE, 'source-cluster')) as {
      Parameters: Record<string, object>;
      Resources: Record<string, { Type: string }>;
    };
    const now = parseYaml(body(CURRENT, 'source-cluster')) as typeof old;
    // Act
    const gone = Object.keys(old.Resources).filter(
      (id) => now.Resources[id]?.Type !== old.Resources[id]?.Type,
    );
    const added = Object.keys(now.Resources).filter((id) => !(id in old.Resources));
    const newParameters = Object.keys(now.Parameters).filter((p) => !(p in old.Parameters));
    // Assess
    expect(gone).toEqual([]);
    expect(added.map((id) => now.Resources[id]?.Type).sort()).toEqual([
      'AWS::Events::Rule',
      'AWS::IAM::Role',
    ]);
    expect(newParameters).toEqual(['SnapshotEvents']);
    expect(now.Parameters.SnapshotEvents).toMatchObject({ Default: 'TRUE' });
    for (const p of Object.keys(old.Parameters)) expect(now.Parameters, p).toHaveProperty(p);
  });

  it("updates on moto's CloudFormation with the same parameters: nothing replaced, the rule and its role added", async () => {
    // Prepare
    await aws.cfn.send(new CreateStackCommand(ordersStack(BEFORE)));
    expect((await aws.settled('orders'))?.StackStatus).toBe('CREATE_COMPLETE');
    const before = await resourcesOf('orders');
    const rulesBefore = await patternRules();
    // Act
    await aws.cfn.send(new UpdateStackCommand(ordersStack(CURRENT)));
    const updated = await aws.settled('orders');
    const after = await resourcesOf('orders');
    const rulesAfter = await patternRules();
    // Assess: every resource there before has its physical id still (the state machine's ARN among them).
    expect(updated?.StackStatus).toBe('UPDATE_COMPLETE');
    for (const [id, resource] of before) expect(after.get(id), id).toEqual(resource);
    const added = [...after]
      .filter(([id]) => !before.has(id))
      .map(([id, [type]]) => [id.replace(/[0-9A-F]{8}$/, ''), type]);
    expect(added.sort()).toEqual([
      ['JobSnapshotEventsRole', 'AWS::IAM::Role'],
      ['JobSnapshotEventsRule', 'AWS::Events::Rule'],
    ]);
    expect(rulesBefore).toEqual([]);
    expect(rulesAfter).toHaveLength(1);
    const machine = [...after.values()].find(([type]) => type === 'AWS::StepFunctions::StateMachine')?.[1];
    const [target] =
      (await events.send(new ListTargetsByRuleCommand({ Rule: rulesAfter[0]?.Name }))).Targets ?? [];
    expect(target?.Arn).toBe(machine);
    // The schedule's input, from the stack's parameters (moto's CloudFormation makes no schedule).
    const template = parseYaml(body(CURRENT, 'source-cluster')) as {
      Resources: Record<string, { Type: string; Properties: { Target: { Input: unknown } } }>;
    };
    const schedule = Object.values(template.Resources).find((r) => r.Type === 'AWS::Scheduler::Schedule');
    const scheduleInput = JSON.parse(
      evaluate(template, schedule?.Properties.Target.Input, {
        region: REGION,
        parameters: Object.fromEntries(PARAMETERS.map((p) => [p.ParameterKey, p.ParameterValue])) as Record<
          string,
          string
        >,
      }) as string,
    ) as object;
    expect(JSON.parse(target?.InputTransformer?.InputTemplate ?? 'null')).toEqual({
      ...scheduleInput,
      Trigger: TRIGGER,
    });
    expect(parseConfig(scheduleInput).Source?.Destinations).toHaveLength(2);
  });
});
