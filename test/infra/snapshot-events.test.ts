// The snapshot-event rule of source-cluster against EventBridge's matching and input transformation (moto's
// events, over HTTP): the events RDS documents, built by test/support/rds-events.ts, put on a bus whose rule
// has the template's pattern and target; only the tool's RDS-EVENT-0075 gets through, and it starts a run with
// the schedule's configuration block and the event's Trigger.
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { SNAPSHOT_EVENT_PATTERN, TRIGGER, TRIGGER_INPUT_PATHS } from '../../src/infra/snapshot-events.js';
import { EXPORTS, synthesizeTemplates } from '../../src/infra/templates/index.js';
import { MOTO_DEFAULT_ACCOUNT, type MotoServer, startMoto } from '../support/moto.js';
import {
  clusterSnapshotEvent,
  instanceSnapshotEvent,
  putEventsEntry,
  type RdsEvent,
  toolSnapshotEvent,
  toolSnapshotTags,
  transformInput,
} from '../support/rds-events.js';
import { type Deployment, evaluate } from './support/cfn-eval.js';

const REGION = 'eu-west-1';
const BUS = 'rds-events';
const { templates } = synthesizeTemplates();
const template = templates['source-cluster'];

interface RuleProperties {
  EventPattern: unknown;
  Targets: { InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: unknown } }[];
}
const resourcesOf = (type: string) =>
  Object.values(template.Resources as Record<string, { Type: string; Properties: unknown }>)
    .filter((r) => r.Type === type)
    .map((r) => r.Properties);
const [rule] = resourcesOf('AWS::Events::Rule') as [RuleProperties];
const [schedule] = resourcesOf('AWS::Scheduler::Schedule') as [{ Target: { Input: unknown } }];

const DEPLOYMENT: Deployment = {
  region: REGION,
  accountId: MOTO_DEFAULT_ACCOUNT,
  parameters: {
    ClusterNamePattern: '^orders-\\d+$',
    BackupInterval: '8',
    BackupSchedule: '0 0,8,16 * * ? *',
    ShareSnapshots: 'TRUE',
    DestinationRegion: 'eu-central-1',
    DestinationAccount: '444455556666',
    KmsKeyDestination: 'arn:aws:kms:eu-central-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
    ClusterTags: 'team=db',
  },
  imports: Object.fromEntries(
    SOURCE_FUNCTIONS.map((fn) => [
      EXPORTS.function(fn),
      `arn:aws:lambda:${REGION}:123456789012:function:${fn}`,
    ]),
  ),
};
/** The target's input transformer as CloudFormation resolves it for DEPLOYMENT. */
const transformer = {
  InputPathsMap: rule.Targets[0]?.InputTransformer.InputPathsMap as Record<string, string>,
  InputTemplate: evaluate(template, rule.Targets[0]?.InputTransformer.InputTemplate, DEPLOYMENT) as string,
};
/** The configuration block the schedule starts the state machine with, for DEPLOYMENT. */
const scheduleInput = JSON.parse(evaluate(template, schedule.Target.Input, DEPLOYMENT) as string) as object;

/**
 * The contract of the handlers' runtime (design of issue 26): `Trigger` is taken out of the execution input
 * before the configuration is parsed. Done here until the runtime of the new state machines does it.
 */
function splitTrigger(input: string): { trigger: unknown; config: Record<string, unknown> } {
  const { Trigger: trigger, ...config } = JSON.parse(input) as Record<string, unknown>;
  return { trigger, config };
}

/** An SQS queue of moto's, spoken to in SQS's JSON protocol (the SDK's SQS client is not a dependency). */
function sqs(moto: MotoServer) {
  const call = async (action: string, body: object): Promise<Record<string, unknown>> => {
    const response = await fetch(moto.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': `AmazonSQS.${action}`,
        // moto reads the region from the credential scope.
        Authorization: `AWS4-HMAC-SHA256 Credential=testing/20261207/${REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`SQS ${action}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  return {
    async create(name: string): Promise<{ arn: string; receive: () => Promise<string[]> }> {
      const { QueueUrl } = (await call('CreateQueue', { QueueName: name })) as { QueueUrl: string };
      return {
        arn: `arn:aws:sqs:${REGION}:${MOTO_DEFAULT_ACCOUNT}:${name}`,
        async receive() {
          const { Messages = [] } = (await call('ReceiveMessage', {
            QueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
          })) as { Messages?: { Body: string; ReceiptHandle: string }[] };
          for (const m of Messages) await call('DeleteMessage', { QueueUrl, ReceiptHandle: m.ReceiptHandle });
          return Messages.map((m) => m.Body);
        },
      };
    },
  };
}

let moto: MotoServer;
let events: EventBridgeClient;
/** What the rule lets through, untransformed: the matching alone. */
let matched: { receive: () => Promise<string[]> };
/** What the rule's target receives: the execution input. */
let started: { receive: () => Promise<string[]> };

beforeAll(async () => {
  moto = await startMoto();
  events = new EventBridgeClient({ region: REGION, endpoint: moto.endpoint, credentials: moto.credentials });
  const queues = sqs(moto);
  const raw = await queues.create('matched');
  const inputs = await queues.create('started');
  // A bus of its own: the default bus is left to the stacks other tests create.
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  await events.send(
    new PutRuleCommand({
      Name: 'snapshot-events',
      EventBusName: BUS,
      EventPattern: JSON.stringify(rule.EventPattern),
      State: 'ENABLED',
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'snapshot-events',
      EventBusName: BUS,
      Targets: [
        { Id: 'matched', Arn: raw.arn },
        { Id: 'started', Arn: inputs.arn, InputTransformer: transformer },
      ],
    }),
  );
  matched = raw;
  started = inputs;
}, 60_000);

afterAll(async () => {
  events?.destroy();
  await moto?.stop();
});

/** Puts `event` on the bus, as RDS would on the default one; the id EventBridge gave it. */
async function deliver(event: RdsEvent): Promise<string> {
  const { Entries = [], FailedEntryCount } = await events.send(
    new PutEventsCommand({ Entries: [putEventsEntry(event, BUS)] }),
  );
  expect(FailedEntryCount ?? 0).toBe(0);
  return Entries[0]?.EventId as string;
}

describe('the pattern', () => {
  it('is the one pattern of the code, in the template', () => {
    // Assess
    expect(rule.EventPattern).toEqual(SNAPSHOT_EVENT_PATTERN);
  });

  it.each<[string, () => RdsEvent, boolean]>([
    [
      "the tool's snapshot created (RDS-EVENT-0075)",
      () => toolSnapshotEvent('RDS-EVENT-0075', 'orders-1'),
      true,
    ],
    [
      "the tool's snapshot being created (RDS-EVENT-0074): nothing to copy yet",
      () => toolSnapshotEvent('RDS-EVENT-0074', 'orders-1'),
      false,
    ],
    [
      'a manual snapshot with no CreatedBy tag',
      () =>
        clusterSnapshotEvent('RDS-EVENT-0075', {
          snapshotId: 'orders-1-before-upgrade',
          tags: { team: 'db' },
        }),
      false,
    ],
    [
      'a manual snapshot another tool made (CreatedBy of another value)',
      () =>
        clusterSnapshotEvent('RDS-EVENT-0075', {
          snapshotId: 'orders-1-nightly',
          tags: { ...toolSnapshotTags('orders-1'), CreatedBy: 'AWS Backup' },
        }),
      false,
    ],
    [
      "an automated snapshot created (RDS-EVENT-0169), even with the tool's tags",
      () =>
        clusterSnapshotEvent('RDS-EVENT-0169', {
          snapshotId: 'orders-1-2026-12-07-03-00',
          tags: toolSnapshotTags('orders-1'),
        }),
      false,
    ],
    [
      "a DB instance's snapshot created, even with the tool's tags",
      () =>
        instanceSnapshotEvent({
          snapshotId: 'orders-1-2026-12-07-03-00',
          tags: toolSnapshotTags('orders-1'),
        }),
      false,
    ],
  ])('%s', async (_label, build, through) => {
    // Prepare
    const event = build();
    // Act
    await deliver(event);
    const delivered = await matched.receive();
    await started.receive();
    // Assess
    expect(delivered).toHaveLength(through ? 1 : 0);
  });

  it('lets nothing through from another source, whatever its detail', async () => {
    // Prepare: the tool's event word for word, from an application's own source.
    const event = toolSnapshotEvent('RDS-EVENT-0075', 'orders-1');
    // Act
    await events.send(
      new PutEventsCommand({
        Entries: [{ ...putEventsEntry(event, BUS), Source: 'com.example.rds-mirror' }],
      }),
    );
    // Assess
    expect(await matched.receive()).toEqual([]);
    expect(await started.receive()).toEqual([]);
  });
});

describe('the target', () => {
  it('starts the run with the configuration block the schedule sends and the Trigger of the event', async () => {
    // Prepare
    const event = toolSnapshotEvent('RDS-EVENT-0075', 'orders-1');
    // Act
    const eventId = await deliver(event);
    const [input] = await started.receive();
    await matched.receive();
    // Assess
    expect(input).toBeDefined();
    const { trigger, config } = splitTrigger(input as string);
    expect(config).toEqual(scheduleInput);
    expect(parseConfig(config).Source).toMatchObject({
      Region: REGION,
      ClusterNamePattern: '^orders-\\d+$',
      DestinationAccount: '444455556666',
    });
    // moto keeps the time PutEvents was given as the epoch seconds the SDK sent; EventBridge gives the
    // event's time in ISO 8601 (next test).
    expect(trigger).toEqual({
      Kind: 'RdsEvent',
      EventId: eventId,
      RdsEventId: 'RDS-EVENT-0075',
      SnapshotArn: event.detail.SourceArn,
      Time: String(Date.parse(event.time) / 1000),
    });
  });

  it("gives the documented event's id, EventID, SourceArn and time as they are", () => {
    // Prepare
    const event = toolSnapshotEvent('RDS-EVENT-0075', 'orders-1', {
      id: '844e2571-85d4-695f-b930-0153b71dcb42',
      at: new Date('2026-12-07T03:00:05.123Z'),
    });
    // Act
    const { trigger, config } = splitTrigger(transformInput(transformer, event));
    // Assess
    expect(transformer.InputPathsMap).toEqual(TRIGGER_INPUT_PATHS);
    expect(config).toEqual(scheduleInput);
    expect(trigger).toEqual({
      Kind: TRIGGER.Kind,
      EventId: '844e2571-85d4-695f-b930-0153b71dcb42',
      RdsEventId: 'RDS-EVENT-0075',
      SnapshotArn: `arn:aws:rds:eu-west-1:111122223333:cluster-snapshot:orders-1-2026-12-07-03-00`,
      Time: '2026-12-07T03:00:05Z',
    });
  });

  it('starts one run per delivery: a duplicated event is delivered twice, and the handlers read the state', async () => {
    // Prepare
    const event = toolSnapshotEvent('RDS-EVENT-0075', 'orders-2');
    // Act
    await deliver(event);
    await deliver(event);
    const inputs = await started.receive();
    await matched.receive();
    // Assess: EventBridge gives each delivery its own id; the planner makes the second a no-op.
    expect(inputs).toHaveLength(2);
    const [first, second] = inputs.map(
      (text) => splitTrigger(text).trigger as { EventId: string; SnapshotArn: string },
    );
    expect(first?.SnapshotArn).toBe(second?.SnapshotArn);
    expect(first?.EventId).not.toBe(second?.EventId);
  });
});
