// Least privilege of the templates, tried with requests: delete only the tool's snapshots, keys only by name, no wildcard action, no PassRole.
import { describe, expect, it } from 'vitest';
import { TOOL_TAG_VALUE } from '../../src/core/tags.js';
import { DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import {
  EXPORTS,
  synthesizeTemplates,
  TEMPLATE_NAMES,
  type TemplateName,
} from '../../src/infra/templates/index.js';
import { type Deployment, evaluate, resourceExists } from './support/cfn-eval.js';
import { allows, type Statement } from './support/iam-eval.js';

// Synthesized once for the whole file.
const { templates } = synthesizeTemplates();

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ROLE_ARNS = {
  lambda: `arn:aws:iam::${ACCOUNT}:role/tool-lambda`,
  states: `arn:aws:iam::${ACCOUNT}:role/tool-states`,
  events: `arn:aws:iam::${ACCOUNT}:role/tool-events`,
};
const KEY_SOURCE = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const KEY_DESTINATION = `arn:aws:kms:eu-central-1:${ACCOUNT}:key/66666666-7777-8888-9999-000000000000`;
const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-9999-9999-9999-999999999999`;
const SOURCE_ACCOUNT = '111122223333';

function imports(side: 'Source' | 'Destination'): Record<string, string> {
  return {
    [EXPORTS.role(side, 'LambdaRole')]: ROLE_ARNS.lambda,
    [EXPORTS.role(side, 'StateMachineRole')]: ROLE_ARNS.states,
    [EXPORTS.role(side, 'EventsRole')]: ROLE_ARNS.events,
    ...Object.fromEntries(
      [...SOURCE_FUNCTIONS, ...DESTINATION_FUNCTIONS].map((fn) => [
        EXPORTS.function(fn),
        `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}`,
      ]),
    ),
  };
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
}

function resources(name: TemplateName): [string, Resource][] {
  return Object.entries(templates[name].Resources as Record<string, Resource>);
}

/** Every policy document of every template, unevaluated (for checks on the text). */
function allStatements(): { where: string; statement: Statement }[] {
  const found: { where: string; statement: Statement }[] = [];
  const add = (where: string, document: unknown) => {
    for (const statement of ((document as { Statement?: Statement[] })?.Statement ?? []) as Statement[]) {
      found.push({ where, statement });
    }
  };
  for (const name of TEMPLATE_NAMES) {
    for (const [id, r] of resources(name)) {
      const where = `${name}/${id}`;
      if (r.Type === 'AWS::IAM::Role') {
        add(where, r.Properties.AssumeRolePolicyDocument);
        for (const p of (r.Properties.Policies ?? []) as { PolicyDocument: unknown }[])
          add(where, p.PolicyDocument);
      }
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::SNS::TopicPolicy')
        add(where, r.Properties.PolicyDocument);
      if (r.Type === 'AWS::KMS::Key') add(where, r.Properties.KeyPolicy);
    }
  }
  return found;
}

/**
 * The statements a role has once the stacks are deployed: its inline policies (from the shared stack) plus
 * every AWS::IAM::Policy a cluster stack attaches to it, for the given parameters.
 */
function effectiveStatements(
  side: 'Source' | 'Destination',
  role: 'LambdaRole' | 'StateMachineRole' | 'EventsRole',
  cluster: Deployment['parameters'] = {},
): Statement[] {
  const shared: TemplateName = side === 'Source' ? 'source-roles' : 'destination-lambdas';
  const clusterTemplate: TemplateName = side === 'Source' ? 'source-cluster' : 'destination-cluster';
  const deployment: Deployment = { region: REGION, accountId: ACCOUNT, imports: imports(side) };
  const statements: Statement[] = [];
  const [, roleResource] = resources(shared).find(
    ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(`Roles${role}`),
  ) as [string, Resource];
  for (const policy of (roleResource.Properties.Policies ?? []) as { PolicyDocument: unknown }[]) {
    const document = evaluate(templates[shared], policy.PolicyDocument, deployment) as {
      Statement: Statement[];
    };
    statements.push(...document.Statement);
  }
  const clusterDeployment: Deployment = { ...deployment, parameters: cluster };
  const roleName =
    ROLE_ARNS[role === 'LambdaRole' ? 'lambda' : role === 'EventsRole' ? 'events' : 'states'].split('/')[1];
  for (const [id, r] of resources(clusterTemplate)) {
    if (r.Type !== 'AWS::IAM::Policy' || !resourceExists(templates[clusterTemplate], id, clusterDeployment))
      continue;
    const attached = evaluate(templates[clusterTemplate], r.Properties.Roles, clusterDeployment) as string[];
    if (!attached.includes(roleName as string)) continue;
    const document = evaluate(templates[clusterTemplate], r.Properties.PolicyDocument, clusterDeployment) as {
      Statement: Statement[];
    };
    statements.push(...document.Statement);
  }
  return statements;
}

const snapshotArn = (id: string, account = ACCOUNT, region = REGION) =>
  `arn:aws:rds:${region}:${account}:cluster-snapshot:${id}`;
const tagged = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

describe('no wildcard, no PassRole', () => {
  it('no statement of any template grants or denies a wildcard action', () => {
    // Act
    const wildcards = allStatements().flatMap(({ where, statement }) =>
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
    // Prepare
    const trusts = TEMPLATE_NAMES.flatMap((name) =>
      resources(name)
        .filter(([, r]) => r.Type === 'AWS::IAM::Role')
        .map(([id, r]) => [id, r.Properties.AssumeRolePolicyDocument] as const),
    );
    // Assess
    // The six shared roles, and each cluster template's own EventBridge Scheduler role.
    expect(trusts).toHaveLength(8);
    for (const [id, document] of trusts) {
      const [statement] = (document as { Statement: Statement[] }).Statement as [
        Statement & { Principal: unknown },
      ];
      const service = (statement.Principal as { Service: string }).Service;
      expect(service, id).toMatch(/^(lambda|states|events|scheduler)\.amazonaws\.com$/);
      if (service !== 'lambda.amazonaws.com') {
        expect(statement.Condition, id).toEqual({
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        });
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

  it('deletes a snapshot tagged CreatedBy by the tool', () => {
    // Act / Assess
    expect(
      allows(lambda, deleteRequest(snapshotArn('orders-2026-01-01-01-00'), { CreatedBy: TOOL_TAG_VALUE })),
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
  ])('refuses to delete %s', (_label, arn, tags) => {
    // Act / Assess
    expect(allows(lambda, deleteRequest(arn, tags))).toBe(false);
  });

  it("refuses to delete clusters or another account's snapshots, whatever their tags", () => {
    // Act / Assess
    expect(
      allows(lambda, {
        action: 'rds:DeleteDBCluster',
        resource: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:orders`,
        context: tagged({ CreatedBy: TOOL_TAG_VALUE }),
      }),
    ).toBe(false);
    expect(
      allows(lambda, deleteRequest(snapshotArn('x', '999999999999'), { CreatedBy: TOOL_TAG_VALUE })),
    ).toBe(false);
  });

  it('shares only snapshots the tool took or copied', () => {
    // Prepare
    const share = (tags: Record<string, string>) => ({
      action: 'rds:ModifyDBClusterSnapshotAttribute',
      resource: snapshotArn('orders-2026'),
      context: tagged(tags),
    });
    // Act / Assess
    expect(allows(lambda, share({ CreatedBy: TOOL_TAG_VALUE }))).toBe(true);
    expect(allows(lambda, share({ CopiedBy: TOOL_TAG_VALUE }))).toBe(true);
    expect(allows(lambda, share({}))).toBe(false);
    expect(allows(lambda, share({ Team: 'orders' }))).toBe(false);
  });

  it('creates and copies snapshots of the account only', () => {
    // Act / Assess
    expect(
      allows(lambda, {
        action: 'rds:CreateDBClusterSnapshot',
        resource: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:orders`,
      }),
    ).toBe(true);
    expect(
      allows(lambda, {
        action: 'rds:CreateDBClusterSnapshot',
        resource: 'arn:aws:rds:eu-west-1:999999999999:cluster:orders',
      }),
    ).toBe(false);
    expect(
      allows(lambda, {
        action: 'rds:CopyDBClusterSnapshot',
        resource: snapshotArn('orders-2026', ACCOUNT, 'eu-central-1'),
      }),
    ).toBe(true);
    expect(
      allows(lambda, {
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

  it('deletes a copy tagged CopiedBy by the tool, and nothing else', () => {
    // Act / Assess
    expect(allows(lambda, deleteRequest({ CopiedBy: TOOL_TAG_VALUE }))).toBe(true);
    expect(allows(lambda, deleteRequest({ CreatedBy: TOOL_TAG_VALUE }))).toBe(false);
    expect(allows(lambda, deleteRequest({}))).toBe(false);
    expect(allows(lambda, deleteRequest({ CopiedBy: 'another tool' }))).toBe(false);
  });

  it('copies from the source account only when SourceAccount is set, and only from that account', () => {
    // Prepare
    const crossAccount = effectiveStatements('Destination', 'LambdaRole', {
      SnapshotPattern: 'orders',
      SourceAccount: SOURCE_ACCOUNT,
    });
    const copyFrom = (account: string) => ({
      action: 'rds:CopyDBClusterSnapshot',
      resource: snapshotArn('orders-2026', account),
    });
    // Act / Assess
    expect(allows(lambda, copyFrom(SOURCE_ACCOUNT))).toBe(false);
    expect(allows(crossAccount, copyFrom(SOURCE_ACCOUNT))).toBe(true);
    expect(allows(crossAccount, copyFrom('999999999999'))).toBe(false);
    expect(allows(crossAccount, copyFrom(ACCOUNT))).toBe(true);
  });
});

describe('KMS: only the named keys, grants only for AWS resources', () => {
  const withKeys = effectiveStatements('Source', 'LambdaRole', {
    ClusterNamePattern: 'orders',
    KmsKeySource: KEY_SOURCE,
    KmsKeyDestination: KEY_DESTINATION,
  });
  const withoutKeys = effectiveStatements('Source', 'LambdaRole', { ClusterNamePattern: 'orders' });
  const viaRds = { 'kms:ViaService': `rds.${REGION}.amazonaws.com` };

  it("lets RDS use the cluster's named keys on the functions' behalf", () => {
    // Act / Assess
    for (const key of [KEY_SOURCE, KEY_DESTINATION]) {
      expect(allows(withKeys, { action: 'kms:Decrypt', resource: key, context: viaRds })).toBe(true);
      expect(
        allows(withKeys, {
          action: 'kms:CreateGrant',
          resource: key,
          context: { 'kms:GrantIsForAWSResource': 'true' },
        }),
      ).toBe(true);
    }
  });

  it('refuses other keys, direct use, grants for anything but an AWS resource, and keys of clusters that name none', () => {
    // Act / Assess
    expect(allows(withKeys, { action: 'kms:Decrypt', resource: OTHER_KEY, context: viaRds })).toBe(false);
    expect(allows(withKeys, { action: 'kms:Decrypt', resource: KEY_SOURCE })).toBe(false);
    expect(allows(withKeys, { action: 'kms:CreateGrant', resource: KEY_SOURCE })).toBe(false);
    expect(
      allows(withKeys, {
        action: 'kms:CreateGrant',
        resource: KEY_SOURCE,
        context: { 'kms:GrantIsForAWSResource': 'false' },
      }),
    ).toBe(false);
    expect(allows(withoutKeys, { action: 'kms:Decrypt', resource: KEY_SOURCE, context: viaRds })).toBe(false);
    expect(allows(withKeys, { action: 'kms:ScheduleKeyDeletion', resource: KEY_SOURCE })).toBe(false);
  });

  it('every kms:CreateGrant of every template is conditioned on kms:GrantIsForAWSResource', () => {
    // Act
    const grants = allStatements().filter(({ statement }) =>
      [statement.Action ?? []].flat().includes('kms:CreateGrant'),
    );
    // Assess
    expect(grants.length).toBeGreaterThan(0);
    for (const { where, statement } of grants) {
      expect(statement.Condition, where).toMatchObject({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    }
  });

  it("lets the source read any key's metadata (to tell aws/rds keys apart) but use none of them", () => {
    // Act / Assess
    expect(allows(withoutKeys, { action: 'kms:DescribeKey', resource: OTHER_KEY })).toBe(true);
    expect(allows(withoutKeys, { action: 'kms:Encrypt', resource: OTHER_KEY, context: viaRds })).toBe(false);
  });
});

describe('state machines and schedules', () => {
  it.each([
    ['Source', SOURCE_FUNCTIONS, DESTINATION_FUNCTIONS],
    ['Destination', DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS],
  ] as const)("the %s state machine role invokes only its side's functions", (side, own, other) => {
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
    for (const fn of own) expect(allows(states, invoke(fn)), fn).toBe(true);
    for (const fn of other) expect(allows(states, invoke(fn)), fn).toBe(false);
    expect(allows(states, invoke('SomeOtherFunction'))).toBe(false);
    expect(
      allows(states, {
        ...invoke(own[0]),
        resource: `arn:aws:lambda:${REGION}:999999999999:function:${own[0]}`,
      }),
    ).toBe(false);
  });

  it.each(['source-cluster', 'destination-cluster'] as const)(
    'the schedule of %s starts only its own state machine, through a role of its own stack; the shared events role has no permission',
    (name) => {
      // Prepare
      const side = name === 'source-cluster' ? 'Source' : 'Destination';
      const events = effectiveStatements(side, 'EventsRole', {
        ClusterNamePattern: 'x',
        SnapshotPattern: 'x',
      });
      const [[machineId]] = resources(name).filter(
        ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
      ) as [[string, Resource]];
      const [[roleId, role]] = resources(name).filter(
        ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('JobSchedulerRole'),
      ) as [[string, Resource]];
      const [[, schedule]] = resources(name).filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule') as [
        [string, Resource],
      ];
      const deployment: Deployment = { region: REGION, accountId: ACCOUNT, imports: imports(side) };
      // Act
      const statements = ((role.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).flatMap(
        (p) =>
          (evaluate(templates[name], p.PolicyDocument, deployment) as { Statement: Statement[] }).Statement,
      );
      // Assess: no cluster stack writes a policy onto the imported events role.
      expect(events).toEqual([]);
      expect((schedule.Properties.Target as { RoleArn: unknown }).RoleArn).toEqual({
        'Fn::GetAtt': [roleId, 'Arn'],
      });
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatchObject({
        Action: 'states:StartExecution',
        Resource: `<resource ${machineId}>`,
      });
      expect(
        allows(statements, {
          action: 'states:StartExecution',
          resource: 'arn:aws:states:eu-west-1:1:stateMachine:other',
        }),
      ).toBe(false);
    },
  );
});
