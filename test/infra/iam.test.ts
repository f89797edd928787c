// Least privilege of the templates, tried with requests in an IAM simulator: delete only the tool's snapshots, keys only through RDS (any cluster's key, with the documented key policy across accounts), state machines only by the tool's prefix, no per-cluster policy on a shared role, no wildcard action, no PassRole.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { shareCopyName, snapshotName, withSuffix } from '../../src/core/model/naming.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { STATE_MACHINE_PREFIX, sharedKeyPolicyStatements } from '../../src/infra/policies.js';
import { synthesizeTemplates, TEMPLATE_NAMES, type TemplateName } from '../../src/infra/templates/index.js';
import { type Deployment, evaluate } from './support/cfn-eval.js';
import {
  allows,
  decideAssumeRole,
  decideServiceOnResource,
  defaultKeyPolicy,
  type Statement,
} from './support/iam-simulator.js';
import {
  importsFor,
  type RoleName,
  resourcesOf,
  roleStatements,
  type Side,
  templateStatements,
} from './support/role-policies.js';

// Synthesized once for the whole file.
const { templates } = synthesizeTemplates();

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const KEY_SOURCE = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const KEY_DESTINATION = `arn:aws:kms:eu-central-1:${ACCOUNT}:key/66666666-7777-8888-9999-000000000000`;
const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-9999-9999-9999-999999999999`;
/** The key a cluster was created with, named in no parameter. */
const CLUSTER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/cccccccc-cccc-cccc-cccc-cccccccccccc`;
const SOURCE_ACCOUNT = '111122223333';
const SOURCE_KEY = `arn:aws:kms:${REGION}:${SOURCE_ACCOUNT}:key/abababab-abab-abab-abab-abababababab`;

function resources(name: TemplateName) {
  return resourcesOf(templates[name]);
}

type Resource = ReturnType<typeof resources>[number][1];

/** Every policy document of every template, unevaluated (for checks on the text). */
function allStatements(): { where: string; statement: Statement }[] {
  return templateStatements(templates);
}

/** The statements a role has once the stacks are deployed (account ACCOUNT, region REGION unless given). */
function effectiveStatements(
  side: Side,
  role: RoleName,
  cluster: Deployment['parameters'] = {},
  where: { region?: string; partition?: string } = {},
): Statement[] {
  return roleStatements(
    templates,
    side,
    role,
    {
      account: ACCOUNT,
      region: where.region ?? REGION,
      ...(where.partition ? { partition: where.partition } : {}),
    },
    cluster,
  );
}

const snapshotArn = (id: string, account = ACCOUNT, region = REGION) =>
  `arn:aws:rds:${region}:${account}:cluster-snapshot:${id}`;
const tagged = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

describe('no wildcard, no PassRole', () => {
  it('no statement of any template grants or denies a wildcard action (but a denial of all plain-HTTP access)', () => {
    // Act: a Deny of everything over plain HTTP grants nothing, and SQS documents it with sqs:*.
    const transportGuard = (statement: Statement) =>
      statement.Effect === 'Deny' &&
      JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } });
    const wildcards = allStatements()
      .filter(({ statement }) => !transportGuard(statement))
      .flatMap(({ where, statement }) =>
        [statement.Action ?? []]
          .flat()
          .filter((a) => a.includes('*'))
          .map((a) => `${where}: ${a}`),
      );
    // Assess
    expect(allStatements().length).toBeGreaterThan(20);
    expect(wildcards).toEqual([]);
  });

  it('no role may pass a role: the deployer passes them, the functions, state machines and schedules never do', () => {
    // Act
    const passRole = allStatements().filter(({ statement }) =>
      [statement.Action ?? []].flat().some((a) => /^iam:PassRole$/i.test(a)),
    );
    // Assess
    expect(passRole).toEqual([]);
  });

  it('roles trust only their service, and Step Functions, EventBridge and EventBridge Scheduler only for this account', () => {
    // Prepare: every role but the restoring role and the status reader, which people and the status
    // account assume (test/infra/restore-role.test.ts, test/infra/status-reader.test.ts).
    const trusts = TEMPLATE_NAMES.filter((name) => name !== 'restore-role').flatMap((name) =>
      resources(name)
        .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && !id.startsWith('StatusReader'))
        .map(([id, r]) => [id, r.Properties.AssumeRolePolicyDocument] as const),
    );
    // Assess
    // The six shared roles, each cluster template's own EventBridge Scheduler role, the source cluster's
    // snapshot-event rule's role, the restore drill's roles (functions, state machine, scheduler), and the
    // account template's five (the source roles, its scheduler's, its snapshot-event rule's).
    expect(trusts).toHaveLength(17);
    for (const [id, document] of trusts) {
      const statements = (document as { Statement: Statement[] }).Statement;
      expect(statements, id).toHaveLength(1);
      const [statement] = statements as [Statement & { Principal: unknown }];
      const service = (statement.Principal as { Service: string }).Service;
      expect(service, id).toMatch(/^(lambda|states|events|scheduler)\.amazonaws\.com$/);
      if (service === 'lambda.amazonaws.com') continue;
      const sameAccount = { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } };
      // The snapshot-event rule's role: for that one rule too (below).
      if (id.startsWith('JobSnapshotEventsRole')) {
        expect(statement.Condition, id).toMatchObject({ ...sameAccount, ArnEquals: expect.anything() });
      } else {
        expect(statement.Condition, id).toEqual(sameAccount);
      }
    }
  });
});

describe('source functions: deletion only of what the tool took', () => {
  const lambda = effectiveStatements('Source', 'LambdaRole', { ClusterNamePattern: 'orders' });
  const deleteRequest = (arn: string, tags: Record<string, string>) => ({
    action: 'rds:DeleteDBClusterSnapshot',
    resource: arn,
    context: tagged(tags),
  });

  it('deletes a snapshot tagged CreatedBy by the tool', async () => {
    // Act / Assess
    expect(
      await allows(
        lambda,
        deleteRequest(snapshotArn('orders-2026-01-01-01-00'), { CreatedBy: TOOL_TAG_VALUE }),
      ),
    ).toBe(true);
  });

  it.each([
    ['an untagged manual snapshot', snapshotArn('orders-manual'), {}],
    ['a snapshot whose CreatedBy is someone else', snapshotArn('orders-2026'), { CreatedBy: 'Backup team' }],
    [
      'a disaster-recovery copy (CopiedBy only)',
      snapshotArn('orders-2026', ACCOUNT, 'eu-central-1'),
      { CopiedBy: TOOL_TAG_VALUE },
    ],
    ['an automated snapshot', snapshotArn('rds:orders-2026-01-01-01-05'), {}],
    [
      'a CreatedBy with different case',
      snapshotArn('orders-2026'),
      { CreatedBy: 'snapshot tool for aurora' },
    ],
  ])('refuses to delete %s', async (_label, arn, tags) => {
    // Act / Assess
    expect(await allows(lambda, deleteRequest(arn, tags))).toBe(false);
  });

  it("refuses to delete clusters or another account's snapshots, whatever their tags", async () => {
    // Act / Assess
    expect(
      await allows(lambda, {
        action: 'rds:DeleteDBCluster',
        resource: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:orders`,
        context: tagged({ CreatedBy: TOOL_TAG_VALUE }),
      }),
    ).toBe(false);
    expect(
      await allows(lambda, deleteRequest(snapshotArn('x', '999999999999'), { CreatedBy: TOOL_TAG_VALUE })),
    ).toBe(false);
  });

  it('shares only snapshots the tool took or copied', async () => {
    // Prepare
    const share = (tags: Record<string, string>) => ({
      action: 'rds:ModifyDBClusterSnapshotAttribute',
      resource: snapshotArn('orders-2026'),
      context: tagged(tags),
    });
    // Act / Assess
    expect(await allows(lambda, share({ CreatedBy: TOOL_TAG_VALUE }))).toBe(true);
    expect(await allows(lambda, share({ CopiedBy: TOOL_TAG_VALUE }))).toBe(true);
    expect(await allows(lambda, share({}))).toBe(false);
    expect(await allows(lambda, share({ Team: 'orders' }))).toBe(false);
  });

  it('creates and copies snapshots of the account only', async () => {
    // Act / Assess
    expect(
      await allows(lambda, {
        action: 'rds:CreateDBClusterSnapshot',
        resource: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:orders`,
      }),
    ).toBe(true);
    expect(
      await allows(lambda, {
        action: 'rds:CreateDBClusterSnapshot',
        resource: 'arn:aws:rds:eu-west-1:999999999999:cluster:orders',
      }),
    ).toBe(false);
    expect(
      await allows(lambda, {
        action: 'rds:CopyDBClusterSnapshot',
        resource: snapshotArn('orders-2026', ACCOUNT, 'eu-central-1'),
      }),
    ).toBe(true);
    expect(
      await allows(lambda, {
        action: 'rds:CopyDBClusterSnapshot',
        resource: snapshotArn('orders-2026', '999999999999'),
      }),
    ).toBe(false);
  });
});

describe("destination functions: deletion only of the tool's copies", () => {
  const lambda = effectiveStatements('Destination', 'LambdaRole', { SnapshotPattern: 'orders' });
  const deleteRequest = (tags: Record<string, string>) => ({
    action: 'rds:DeleteDBClusterSnapshot',
    resource: snapshotArn('orders-2026'),
    context: tagged(tags),
  });

  it('deletes a copy tagged CopiedBy by the tool, and nothing else', async () => {
    // Act / Assess
    expect(await allows(lambda, deleteRequest({ CopiedBy: TOOL_TAG_VALUE }))).toBe(true);
    expect(await allows(lambda, deleteRequest({ CreatedBy: TOOL_TAG_VALUE }))).toBe(false);
    expect(await allows(lambda, deleteRequest({}))).toBe(false);
    expect(await allows(lambda, deleteRequest({ CopiedBy: 'another tool' }))).toBe(false);
  });

  it('copies what another account shares in this region, whatever the cluster stack, and only into this account', async () => {
    // Prepare: the shared role alone, as every destination-cluster stack finds it.
    const copy = (resource: string) => ({ action: 'rds:CopyDBClusterSnapshot', resource });
    // Act / Assess
    expect(await allows(lambda, copy(snapshotArn('orders-2026', SOURCE_ACCOUNT)))).toBe(true);
    expect(await allows(lambda, copy(snapshotArn('orders-2026-copy')))).toBe(true);
    expect(await allows(lambda, copy(snapshotArn('orders-2026', SOURCE_ACCOUNT, 'us-east-1')))).toBe(false);
    expect(
      await allows(lambda, {
        action: 'rds:DeleteDBClusterSnapshot',
        resource: snapshotArn('orders-2026', SOURCE_ACCOUNT),
        context: tagged({ CopiedBy: TOOL_TAG_VALUE }),
      }),
    ).toBe(false);
  });
});

/** The calls RDS makes to KMS for the caller when it copies or re-encrypts a snapshot. */
const THROUGH_RDS_ACTIONS = [
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
];

describe('KMS: any key of the account, only through RDS, grants only for AWS resources', () => {
  const withoutKeys = effectiveStatements('Source', 'LambdaRole', { ClusterNamePattern: 'orders' });
  const viaRds = (region = REGION) => ({ 'kms:ViaService': `rds.${region}.amazonaws.com` });
  const grantForRds = (region = REGION) => ({ ...viaRds(region), 'kms:GrantIsForAWSResource': 'true' });

  it('copies a cluster under its own customer managed key named nowhere in the configuration: RDS may use the key and make its grant (CopyDBClusterSnapshot needs kms:CreateGrant and kms:DescribeKey)', async () => {
    // Act / Assess
    expect(
      await allows(withoutKeys, { action: 'kms:CreateGrant', resource: CLUSTER_KEY, context: grantForRds() }),
    ).toBe(true);
    for (const action of THROUGH_RDS_ACTIONS) {
      expect(await allows(withoutKeys, { action, resource: CLUSTER_KEY, context: viaRds() }), action).toBe(
        true,
      );
    }
  });

  it('uses KmsKeySource and KmsKeyDestination (in DestinationRegion) through RDS, with the same shared role', async () => {
    // Act / Assess
    for (const [key, region] of [
      [KEY_SOURCE, REGION],
      [KEY_DESTINATION, 'eu-central-1'],
    ] as const) {
      expect(
        await allows(withoutKeys, { action: 'kms:CreateGrant', resource: key, context: grantForRds(region) }),
      ).toBe(true);
      expect(
        await allows(withoutKeys, { action: 'kms:ReEncryptTo', resource: key, context: viaRds(region) }),
      ).toBe(true);
    }
  });

  it('refuses direct use, use through another service, grants for anything but an AWS resource, and key administration', async () => {
    // Act / Assess
    expect(await allows(withoutKeys, { action: 'kms:Decrypt', resource: CLUSTER_KEY })).toBe(false);
    expect(
      await allows(withoutKeys, {
        action: 'kms:Decrypt',
        resource: CLUSTER_KEY,
        context: { 'kms:ViaService': `ec2.${REGION}.amazonaws.com` },
      }),
    ).toBe(false);
    expect(
      await allows(withoutKeys, { action: 'kms:CreateGrant', resource: CLUSTER_KEY, context: viaRds() }),
    ).toBe(false);
    expect(
      await allows(withoutKeys, {
        action: 'kms:CreateGrant',
        resource: CLUSTER_KEY,
        context: { ...viaRds(), 'kms:GrantIsForAWSResource': 'false' },
      }),
    ).toBe(false);
    expect(
      await allows(withoutKeys, {
        action: 'kms:CreateGrant',
        resource: CLUSTER_KEY,
        context: { 'kms:GrantIsForAWSResource': 'true' },
      }),
    ).toBe(false);
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:Sign']) {
      expect(await allows(withoutKeys, { action, resource: CLUSTER_KEY, context: viaRds() }), action).toBe(
        false,
      );
    }
  });

  it("refuses the source another account's key, even through RDS and with that key's permission", async () => {
    // Prepare: the other account's key policy allows this account.
    const foreignKey = `arn:aws:kms:${REGION}:999999999999:key/12345678-1234-1234-1234-123456789012`;
    const keyPolicy = [...defaultKeyPolicy('999999999999'), ...sharedKeyPolicy(ACCOUNT)];
    // Act / Assess
    expect(
      await allows(
        withoutKeys,
        {
          action: 'kms:Decrypt',
          resource: foreignKey,
          context: viaRds(),
          principal: `arn:aws:iam::${ACCOUNT}:role/tool-lambda`,
        },
        { keyPolicy },
      ),
    ).toBe(false);
  });

  it('every kms:CreateGrant of every template is conditioned on kms:GrantIsForAWSResource', () => {
    // Act
    // Allows only: a Deny grants nothing (the source's denial outside its destination regions names it too).
    const grants = allStatements().filter(
      ({ statement }) =>
        statement.Effect === 'Allow' && [statement.Action ?? []].flat().includes('kms:CreateGrant'),
    );
    // Assess
    expect(grants.length).toBeGreaterThan(0);
    for (const { where, statement } of grants) {
      expect(statement.Condition, where).toMatchObject({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    }
  });

  it("lets the source read any of its keys' metadata directly (to tell aws/rds keys apart) but use none directly", async () => {
    // Act / Assess
    expect(await allows(withoutKeys, { action: 'kms:DescribeKey', resource: OTHER_KEY })).toBe(true);
    expect(await allows(withoutKeys, { action: 'kms:Encrypt', resource: OTHER_KEY })).toBe(false);
  });

  it("in China, uses keys through RDS's endpoint there (rds.<region>.amazonaws.com.cn), in the aws-cn partition", async () => {
    // Prepare
    const china = effectiveStatements(
      'Source',
      'LambdaRole',
      { ClusterNamePattern: 'orders' },
      { region: 'cn-north-1', partition: 'aws-cn' },
    );
    const key = `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
    const keyPolicy = [
      { ...defaultKeyPolicy(ACCOUNT)[0], Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` } },
    ] as Statement[];
    const principal = `arn:aws-cn:iam::${ACCOUNT}:role/tool-lambda`;
    // Act / Assess
    expect(
      await allows(
        china,
        {
          action: 'kms:CreateGrant',
          resource: key,
          principal,
          context: {
            'kms:ViaService': 'rds.cn-north-1.amazonaws.com.cn',
            'kms:GrantIsForAWSResource': 'true',
          },
        },
        { keyPolicy },
      ),
    ).toBe(true);
    expect(
      await allows(
        china,
        {
          action: 'kms:Decrypt',
          resource: key,
          principal,
          context: { 'kms:ViaService': 'rds.cn-north-1.amazonaws.com.cn' },
        },
        { keyPolicy },
      ),
    ).toBe(true);
  });
});

/** The key-policy statements the documentation gives for the key of shared snapshots, for `account`. */
function sharedKeyPolicy(account: string): Statement[] {
  const stack = new Stack();
  return sharedKeyPolicyStatements(account).map(
    (s) => evaluate({}, stack.resolve(s.toStatementJson()), { region: REGION }) as Statement,
  );
}

describe('cross-account: the key of the shared snapshots', () => {
  const destination = effectiveStatements('Destination', 'LambdaRole', {
    SnapshotPattern: 'orders',
    SourceAccount: SOURCE_ACCOUNT,
    KmsKeyDestination: `arn:aws:kms:${REGION}:${ACCOUNT}:key/66666666-7777-8888-9999-000000000000`,
    SharedSnapshotsKmsKey: SOURCE_KEY,
  });
  const principal = `arn:aws:iam::${ACCOUNT}:role/tool-lambda`;
  const viaRds = { 'kms:ViaService': `rds.${REGION}.amazonaws.com` };

  it("lets the destination copy with SourceAccount's key once the key policy has the documented statements", async () => {
    // Prepare
    const keyPolicy = [...defaultKeyPolicy(SOURCE_ACCOUNT), ...sharedKeyPolicy(ACCOUNT)];
    // Act / Assess
    for (const action of THROUGH_RDS_ACTIONS) {
      expect(
        await allows(
          destination,
          { action, resource: SOURCE_KEY, principal, context: viaRds },
          { keyPolicy },
        ),
        action,
      ).toBe(true);
    }
    expect(
      await allows(
        destination,
        {
          action: 'kms:CreateGrant',
          resource: SOURCE_KEY,
          principal,
          context: { ...viaRds, 'kms:GrantIsForAWSResource': 'true' },
        },
        { keyPolicy },
      ),
    ).toBe(true);
  });

  it("is refused SourceAccount's key while its key policy lacks them, and direct use even with them", async () => {
    // Act / Assess
    expect(
      await allows(
        destination,
        {
          action: 'kms:CreateGrant',
          resource: SOURCE_KEY,
          principal,
          context: { ...viaRds, 'kms:GrantIsForAWSResource': 'true' },
        },
        { keyPolicy: defaultKeyPolicy(SOURCE_ACCOUNT) },
      ),
    ).toBe(false);
    expect(
      await allows(
        destination,
        { action: 'kms:Decrypt', resource: SOURCE_KEY, principal },
        { keyPolicy: [...defaultKeyPolicy(SOURCE_ACCOUNT), ...sharedKeyPolicy(ACCOUNT)] },
      ),
    ).toBe(false);
  });

  it('docs/deployment.md gives exactly these key-policy statements', () => {
    // Prepare
    const guide = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'deployment.md'), 'utf8');
    const section = guide.slice(guide.indexOf('### Key policies'));
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    // Act / Assess
    expect(json).toBeDefined();
    expect(JSON.parse(json as string)).toEqual(sharedKeyPolicy('222222222222'));
  });

  it('the documented statements let another account make grants only for AWS resources', async () => {
    // Prepare: a principal of the destination account with every KMS permission of its own.
    const everything: Statement[] = [{ Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*' }];
    const keyPolicy = [...defaultKeyPolicy(SOURCE_ACCOUNT), ...sharedKeyPolicy(ACCOUNT)];
    // Act / Assess
    expect(
      await allows(
        everything,
        {
          action: 'kms:CreateGrant',
          resource: SOURCE_KEY,
          principal,
          context: { 'kms:GrantIsForAWSResource': 'false' },
        },
        { keyPolicy },
      ),
    ).toBe(false);
  });
});

describe('state machines and schedules', () => {
  it.each([
    ['Source', SOURCE_FUNCTIONS, DESTINATION_FUNCTIONS],
    ['Destination', DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS],
  ] as const)("the %s state machine role invokes only its side's functions", async (side, own, other) => {
    // Prepare
    const states = effectiveStatements(side, 'StateMachineRole', {
      ClusterNamePattern: 'x',
      SnapshotPattern: 'x',
    });
    const invoke = (fn: string) => ({
      action: 'lambda:InvokeFunction',
      resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}`,
    });
    // Act / Assess
    for (const fn of own) expect(await allows(states, invoke(fn)), fn).toBe(true);
    for (const fn of other) expect(await allows(states, invoke(fn)), fn).toBe(false);
    expect(await allows(states, invoke('SomeOtherFunction'))).toBe(false);
    expect(
      await allows(states, {
        ...invoke(own[0]),
        resource: `arn:aws:lambda:${REGION}:999999999999:function:${own[0]}`,
      }),
    ).toBe(false);
  });

  it.each(['source-cluster', 'destination-cluster'] as const)(
    "the shared events role starts the state machine of every %s stack, named with the side's prefix, and no other",
    async (name) => {
      // Prepare
      const side = name === 'source-cluster' ? 'Source' : 'Destination';
      const events = effectiveStatements(side, 'EventsRole', {
        ClusterNamePattern: 'x',
        SnapshotPattern: 'x',
      });
      const [[, machine]] = resources(name).filter(
        ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
      ) as [[string, Resource]];
      const machineArn = (stackName: string) =>
        `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${
          evaluate(templates[name], machine.Properties.StateMachineName, {
            region: REGION,
            accountId: ACCOUNT,
            stackName,
            imports: importsFor(side, ACCOUNT, REGION),
          }) as string
        }`;
      const start = (resource: string) => ({ action: 'states:StartExecution', resource });
      // Act / Assess
      expect(machineArn('orders')).toContain(
        `:stateMachine:${STATE_MACHINE_PREFIX[side === 'Source' ? 'source' : 'destination']}`,
      );
      expect(machineArn('orders').split(':').at(-1)?.length).toBeLessThanOrEqual(80);
      expect(await allows(events, start(machineArn('orders')))).toBe(true);
      expect(await allows(events, start(machineArn('billing')))).toBe(true);
      expect(await allows(events, start(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:other`))).toBe(
        false,
      );
      const otherSide = side === 'Source' ? STATE_MACHINE_PREFIX.destination : STATE_MACHINE_PREFIX.source;
      expect(
        await allows(events, start(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${otherSide}x`)),
      ).toBe(false);
    },
  );

  it.each(['source-cluster', 'destination-cluster'] as const)(
    'the EventBridge Scheduler schedule of %s starts only its own state machine, through a role of its own stack',
    async (name) => {
      // Prepare
      const side = name === 'source-cluster' ? 'Source' : 'Destination';
      const [[machineId]] = resources(name).filter(
        ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
      ) as [[string, Resource]];
      const [[roleId, role]] = resources(name).filter(
        ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('JobSchedulerRole'),
      ) as [[string, Resource]];
      const [[, schedule]] = resources(name).filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule') as [
        [string, Resource],
      ];
      const deployment: Deployment = {
        region: REGION,
        accountId: ACCOUNT,
        imports: importsFor(side, ACCOUNT, REGION),
      };
      // Act
      const statements = ((role.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).flatMap(
        (p) =>
          (evaluate(templates[name], p.PolicyDocument, deployment) as { Statement: Statement[] }).Statement,
      );
      // Assess
      expect((schedule.Properties.Target as { RoleArn: unknown }).RoleArn).toEqual({
        'Fn::GetAtt': [roleId, 'Arn'],
      });
      expect(statements).toHaveLength(2);
      expect(statements[0]).toMatchObject({
        Action: 'states:StartExecution',
        Resource: `<resource ${machineId}>`,
      });
      // The other: writing a failed start to the stack's own dead-letter queue, and nothing else.
      const [[queueId]] = resources(name).filter(([, r]) => r.Type === 'AWS::SQS::Queue') as [
        [string, Resource],
      ];
      expect(statements[1]).toMatchObject({ Action: 'sqs:SendMessage', Resource: `<${queueId}.Arn>` });
      // The state machine's ARN in place of the evaluator's placeholder, for the simulator.
      const own = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:own`;
      const concrete = statements.slice(0, 1).map((st) => ({ ...st, Resource: own }));
      const start = (resource: string) => ({ action: 'states:StartExecution', resource });
      expect(await allows(concrete, start(own))).toBe(true);
      expect(await allows(concrete, start(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:other`))).toBe(
        false,
      );
    },
  );
});

describe('the snapshot-event rule of source-cluster', () => {
  const template = templates['source-cluster'];
  const deployment: Deployment = {
    region: REGION,
    accountId: ACCOUNT,
    stackName: 'orders',
    imports: importsFor('Source', ACCOUNT, REGION),
  };
  const [[ruleId, rule]] = resources('source-cluster').filter(([, r]) => r.Type === 'AWS::Events::Rule') as [
    [string, Resource],
  ];
  const [[roleId, role]] = resources('source-cluster').filter(
    ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('JobSnapshotEventsRole'),
  ) as [[string, Resource]];
  const [[machineId]] = resources('source-cluster').filter(
    ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
  ) as [[string, Resource]];
  /** The rule's ARN once deployed: a rule of the default bus, by the name the template gives it. */
  const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${evaluate(template, rule.Properties.Name, deployment)}`;
  const trust = (
    evaluate(template, role.Properties.AssumeRolePolicyDocument, deployment) as { Statement: Statement[] }
  ).Statement;
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/snapshot-events`;

  it('names the rule within EventBridge’s 64 characters, after the stack and the job', () => {
    // Act
    const name = ruleArn.split('/').at(-1) as string;
    // Assess
    expect(name).toMatch(/^AuroraSnapshotTool-[0-9a-f-]{36}-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(64);
  });

  it('targets its state machine through its own role, which EventBridge may assume for this rule of this account only', async () => {
    // Prepare
    const target = (rule.Properties.Targets as { RoleArn: unknown; Arn: unknown }[])[0];
    const assume = (context: Record<string, string>, service = 'events.amazonaws.com') =>
      decideAssumeRole(trust, service, roleArn, context);
    // Act / Assess
    expect(target?.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(target?.Arn).toEqual({ Ref: machineId });
    expect(await assume({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ruleArn })).toBe('Allowed');
    expect(
      await assume({
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': `${ruleArn.replace(/rule\/.*/, 'rule/other')}`,
      }),
    ).not.toBe('Allowed');
    expect(
      await assume({
        'aws:SourceAccount': '999999999999',
        'aws:SourceArn': ruleArn.replace(ACCOUNT, '999999999999'),
      }),
    ).not.toBe('Allowed');
    expect(await assume({ 'aws:SourceAccount': ACCOUNT })).not.toBe('Allowed');
    expect(
      await assume({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ruleArn }, 'scheduler.amazonaws.com'),
    ).not.toBe('Allowed');
  });

  it('may start its own state machine and do nothing else', async () => {
    // Prepare
    const statements = ((role.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).flatMap(
      (p) => (evaluate(template, p.PolicyDocument, deployment) as { Statement: Statement[] }).Statement,
    );
    const own = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:own`;
    // The evaluator's placeholder for the state machine's Ref, made the ARN the simulator needs.
    const concrete = statements.map(
      (st): Statement => (st.Resource === `<resource ${machineId}>` ? { ...st, Resource: own } : st),
    );
    // Act / Assess
    expect(statements).toEqual([
      {
        Sid: 'StartOnlyThisStateMachine',
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: `<resource ${machineId}>`,
      },
    ]);
    expect(await allows(concrete, { action: 'states:StartExecution', resource: own })).toBe(true);
    expect(
      await allows(concrete, {
        action: 'states:StartExecution',
        resource: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:other`,
      }),
    ).toBe(false);
    expect(
      await allows(concrete, {
        action: 'states:StopExecution',
        resource: `${own.replace('stateMachine', 'execution')}:x`,
      }),
    ).toBe(false);
    expect(
      await allows(concrete, {
        action: 'sqs:SendMessage',
        resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:queue`,
      }),
    ).toBe(false);
  });

  it("writes a start it could not make to the schedule's dead-letter queue, by the queue's policy and for this rule only", async () => {
    // Prepare
    const [[queueId]] = resources('source-cluster').filter(([, r]) => r.Type === 'AWS::SQS::Queue') as [
      [string, Resource],
    ];
    const [[, queuePolicy]] = resources('source-cluster').filter(
      ([, r]) => r.Type === 'AWS::SQS::QueuePolicy',
    ) as [[string, Resource]];
    const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:dead-letters`;
    const policy = (
      evaluate(template, queuePolicy.Properties.PolicyDocument, deployment) as { Statement: Statement[] }
    ).Statement.map(
      (st): Statement => (st.Resource === `<${queueId}.Arn>` ? { ...st, Resource: queueArn } : st),
    );
    const send = (sourceArn: string) =>
      decideServiceOnResource(policy, 'events.amazonaws.com', 'sqs:SendMessage', queueArn, {
        'aws:SourceArn': sourceArn,
      });
    // Act / Assess
    expect((rule.Properties.Targets as { DeadLetterConfig: unknown }[])[0]?.DeadLetterConfig).toEqual({
      Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    expect(await send(ruleArn)).toBe('Allowed');
    expect(await send(ruleArn.replace(/rule\/.*/, 'rule/other'))).not.toBe('Allowed');
    expect(ruleId).toMatch(/^JobSnapshotEventsRule/);
  });
});

describe('per-cluster stacks leave the shared roles alone', () => {
  it.each(['source-cluster', 'destination-cluster'] as const)(
    '%s writes no policy to a role it imports (IAM keeps one inline policy per name per role)',
    (name) => {
      // Prepare
      const writesToRoles = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy'];
      // Act
      const written = resources(name).filter(
        ([, r]) =>
          writesToRoles.includes(r.Type) &&
          JSON.stringify(r.Properties.Roles ?? r.Properties.RoleName ?? []).includes('Fn::ImportValue'),
      );
      const anyPolicy = resources(name).filter(([, r]) => writesToRoles.includes(r.Type));
      // Assess
      expect(written.map(([id]) => id)).toEqual([]);
      expect(anyPolicy.map(([id]) => id)).toEqual([]);
    },
  );
});

describe('tag forgery: the marks deletion and sharing depend on are set only on what the tool names', () => {
  const roles = {
    Source: effectiveStatements('Source', 'LambdaRole', { ClusterNamePattern: 'orders' }),
    Destination: effectiveStatements('Destination', 'LambdaRole', { SnapshotPattern: 'orders' }),
  };
  const tagRequest = (
    id: string,
    tags: Record<string, string>,
    existing: Record<string, string> = {},
    region = REGION,
  ) => ({
    action: 'rds:AddTagsToResource',
    resource: snapshotArn(id, ACCOUNT, region),
    context: {
      ...tagged(existing),
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
      'aws:TagKeys': Object.keys(tags),
      'rds:TagsFromRequest': 'true',
    },
  });
  const at = new Date('2026-03-04T05:06:00Z');
  const longCluster = `orders-${'x'.repeat(60)}`;

  it.each(Object.keys(roles) as (keyof typeof roles)[])(
    '%s: refuses CreatedBy or CopiedBy on a manual snapshot, whose delete or share would follow',
    async (side) => {
      // Act / Assess
      for (const mark of [TAG.CreatedBy, TAG.CopiedBy]) {
        for (const id of ['orders-before-upgrade', 'orders-2026', 'rds-manual-copy']) {
          expect(await allows(roles[side], tagRequest(id, { [mark]: TOOL_TAG_VALUE })), `${mark} ${id}`).toBe(
            false,
          );
        }
      }
    },
  );

  it.each(Object.keys(roles) as (keyof typeof roles)[])(
    "%s: refuses to put the tool's mark over another owner's",
    async (side) => {
      // Act / Assess
      for (const mark of [TAG.CreatedBy, TAG.CopiedBy]) {
        const id = snapshotName('orders', at);
        expect(
          await allows(roles[side], tagRequest(id, { [mark]: TOOL_TAG_VALUE }, { [mark]: 'Backup team' })),
          mark,
        ).toBe(false);
        expect(
          await allows(roles[side], tagRequest(id, { [mark]: TOOL_TAG_VALUE }, { [mark]: TOOL_TAG_VALUE })),
          mark,
        ).toBe(true);
      }
    },
  );

  it('tags every snapshot the tool takes or copies, named as src/core/model/naming.ts names them (long names shortened too)', async () => {
    // Prepare
    const taken = [snapshotName('orders', at), snapshotName(longCluster, at)];
    const copies = taken.flatMap((id) => [
      id,
      withSuffix(id, '-eu-central-1'),
      withSuffix(id, '-ap-southeast-2'),
      shareCopyName(id),
      withSuffix(shareCopyName(id), '-2'),
    ]);
    // Act / Assess
    for (const id of taken) {
      expect(id.length).toBeLessThanOrEqual(63);
      expect(
        await allows(roles.Source, tagRequest(id, { [TAG.CreatedBy]: TOOL_TAG_VALUE, Team: 'orders' })),
        id,
      ).toBe(true);
    }
    for (const id of copies) {
      for (const side of ['Source', 'Destination'] as const) {
        expect(
          await allows(roles[side], tagRequest(id, { [TAG.CopiedBy]: TOOL_TAG_VALUE }, {}, 'eu-central-1')),
          `${side} ${id}`,
        ).toBe(true);
      }
    }
  });

  it('records a share on the tool’s snapshot, and lets other tags (the configured Tags) be set on any snapshot of the account', async () => {
    // Act / Assess
    expect(
      await allows(
        roles.Source,
        tagRequest(
          snapshotName('orders', at),
          { [TAG.SharedWith]: '222222222222' },
          { CreatedBy: TOOL_TAG_VALUE },
        ),
      ),
    ).toBe(true);
    expect(await allows(roles.Source, tagRequest('orders-before-upgrade', { Team: 'orders' }))).toBe(true);
    expect(
      await allows(roles.Source, {
        ...tagRequest('x', { Team: 'orders' }),
        resource: snapshotArn(snapshotName('orders', at), '999999999999'),
      }),
    ).toBe(false);
  });
});
