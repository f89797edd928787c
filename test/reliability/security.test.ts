// Least privilege of the stacks a CDK app deploys (addToolStacks, what infra-app runs): the checks test/infra makes on the CloudFormation templates, on the CDK path, with requests decided by the IAM simulator.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { addToolStacks } from '../../src/infra/app.js';
import { evaluate } from '../infra/support/cfn-eval.js';
import { allows, type Statement as SimulatedStatement } from '../infra/support/iam-simulator.js';

const ACCOUNT = '123456789012';
const KEY_WEST = `arn:aws:kms:us-west-2:${ACCOUNT}:key/0b3a2c5e-1111-2222-3333-444455556666`;
const KEY_EAST = `arn:aws:kms:us-east-1:${ACCOUNT}:key/7c6d5e4f-1111-2222-3333-444455556666`;

interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const BUNDLES = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'ast-security-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
  return dir;
})();

/** The identity policies (role inline policies and attached policies) of both stacks of a configuration. */
function identityStatements(config: unknown): { where: string; statement: Statement }[] {
  const stacks = addToolStacks(new App(), parseConfig(config), { bundleDir: BUNDLES, account: ACCOUNT });
  const found: { where: string; statement: Statement }[] = [];
  for (const stack of [stacks.source, stacks.destination]) {
    if (!stack) continue;
    const resources = Template.fromStack(stack).toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    for (const [id, resource] of Object.entries(resources)) {
      const documents: unknown[] = [];
      if (resource.Type === 'AWS::IAM::Role') {
        for (const policy of (resource.Properties.Policies ?? []) as { PolicyDocument: unknown }[]) {
          documents.push(policy.PolicyDocument);
        }
      }
      if (resource.Type === 'AWS::IAM::Policy') documents.push(resource.Properties.PolicyDocument);
      for (const document of documents) {
        for (const statement of (document as { Statement: Statement[] }).Statement) {
          found.push({ where: `${stack.stackName}/${id}/${statement.Sid ?? '?'}`, statement });
        }
      }
    }
  }
  return found;
}

const actionsOf = (statement: Statement): string[] => [statement.Action ?? []].flat();

/** The functions' role statements of each stack, resolved in the stack's account and region. */
function lambdaRoleStatements(
  config: unknown,
): Partial<Record<'Source' | 'Destination', SimulatedStatement[]>> {
  const stacks = addToolStacks(new App(), parseConfig(config), { bundleDir: BUNDLES, account: ACCOUNT });
  const found: Partial<Record<'Source' | 'Destination', SimulatedStatement[]>> = {};
  for (const [side, stack] of [
    ['Source', stacks.source],
    ['Destination', stacks.destination],
  ] as const) {
    if (!stack) continue;
    const template = Template.fromStack(stack).toJSON();
    const resources = template.Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    const role = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('RolesLambdaRole'),
    );
    if (!role) throw new Error(`${stack.stackName} has no functions' role`);
    const deployment = { region: stack.region, accountId: ACCOUNT };
    found[side] = ((role[1].Properties.Policies ?? []) as { PolicyDocument: unknown }[]).flatMap(
      (policy) =>
        (evaluate(template, policy.PolicyDocument, deployment) as { Statement: SimulatedStatement[] })
          .Statement,
    );
  }
  return found;
}

const CONFIGS = [
  [
    'keys by ARN, cross-account',
    {
      Source: {
        Region: 'us-east-1',
        ClusterNamePattern: 'orders',
        ShareSnapshots: 'TRUE',
        DestinationRegion: 'us-west-2',
        DestinationAccount: '222233334444',
        KmsKeySource: KEY_EAST,
        KmsKeyDestination: KEY_WEST,
      },
      Destination: {
        Region: 'us-west-2',
        SnapshotPattern: 'orders',
        SourceAccount: '111122223333',
        KmsKeyDestination: KEY_WEST,
      },
    },
    [KEY_EAST, KEY_WEST],
  ],
  [
    'a key by alias',
    {
      Source: {
        Region: 'us-east-1',
        ClusterNamePattern: 'orders',
        ShareSnapshots: 'TRUE',
        DestinationAccount: '222233334444',
        KmsKeySource: 'alias/snapshot-tool',
      },
    },
    ['alias/snapshot-tool'],
  ],
  ['no key', { Source: { Region: 'us-east-1', ClusterNamePattern: 'orders' } }, []],
] as const;

describe.each(CONFIGS)('the CDK stacks with %s', (_label, config, keys) => {
  const statements = identityStatements(config);

  it('grant no wildcard action and no iam:PassRole', () => {
    // Act
    const wildcards = statements.flatMap(({ where, statement }) =>
      actionsOf(statement)
        .filter((action) => action.includes('*') || /^iam:PassRole$/i.test(action))
        .map((action) => `${where}: ${action}`),
    );

    // Assess
    expect(statements.length).toBeGreaterThan(5);
    expect(wildcards).toEqual([]);
  });

  it('delete and share only snapshots that carry the tool’s tag (IAM simulator)', async () => {
    // Prepare
    const roles = lambdaRoleStatements(config);
    const snapshot = (region: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster-snapshot:orders-2026`;
    const request = (action: string, region: string, tags: Record<string, string>) => ({
      action,
      resource: snapshot(region),
      context: Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
    });
    // Act / Assess
    expect(roles.Source).toBeDefined();
    for (const [side, statements] of Object.entries(roles)) {
      const ownTag = side === 'Source' ? 'CreatedBy' : 'CopiedBy';
      const region = side === 'Source' ? 'us-east-1' : 'us-west-2';
      const del = 'rds:DeleteDBClusterSnapshot';
      expect(await allows(statements, request(del, region, { [ownTag]: TOOL_TAG_VALUE })), side).toBe(true);
      expect(await allows(statements, request(del, region, {})), side).toBe(false);
      expect(await allows(statements, request(del, region, { [ownTag]: 'someone else' })), side).toBe(false);
      const other = side === 'Source' ? 'CopiedBy' : 'CreatedBy';
      expect(await allows(statements, request(del, region, { [other]: TOOL_TAG_VALUE })), side).toBe(false);
      const share = 'rds:ModifyDBClusterSnapshotAttribute';
      expect(await allows(statements, request(share, region, {})), side).toBe(false);
      if (side === 'Source') {
        expect(await allows(statements, request(share, region, { CreatedBy: TOOL_TAG_VALUE }))).toBe(true);
      }
    }
  });

  it("use keys only through the partition's RDS, for this account, grant only for AWS resources, and name no key (one role serves every cluster)", () => {
    // Prepare
    // Allows only: a Deny grants nothing (the source's denial outside its destination regions names keys too).
    const kmsStatements = statements.filter(
      ({ statement }) =>
        statement.Effect === 'Allow' && actionsOf(statement).some((a) => a.startsWith('kms:')),
    );
    // Reading a key's metadata: the source tells aws/rds keys apart, the destination finds its key by alias.
    const describing = ['TellAwsManagedKeysApart', 'FindTheKeyOfTheCopies'];
    const direct = kmsStatements.filter(({ statement }) => describing.includes(statement.Sid ?? ''));
    const throughRds = kmsStatements.filter(({ statement }) => !describing.includes(statement.Sid ?? ''));

    // Assess: the direct rights are reading metadata; every use goes through RDS.
    expect(direct.length).toBeGreaterThan(0);
    for (const { where, statement } of direct)
      expect(actionsOf(statement), where).toEqual(['kms:DescribeKey']);
    expect(throughRds.length).toBeGreaterThanOrEqual(2);
    for (const { where, statement } of throughRds) {
      expect(JSON.stringify(statement.Condition?.StringLike?.['kms:ViaService']), where).toBe(
        JSON.stringify({ 'Fn::Join': ['', ['rds.*.', { Ref: 'AWS::URLSuffix' }]] }),
      );
      expect(statement.Condition?.StringEquals?.['kms:CallerAccount'], where).toEqual({
        Ref: 'AWS::AccountId',
      });
      if (actionsOf(statement).includes('kms:CreateGrant')) {
        expect(statement.Condition?.Bool?.['kms:GrantIsForAWSResource'], where).toBe('true');
      }
      for (const key of keys) expect(JSON.stringify(statement), where).not.toContain(key);
    }
  });

  it('use a key of the account through RDS, and never directly (IAM simulator)', async () => {
    // Prepare
    const roles = lambdaRoleStatements(config);
    const key = `arn:aws:kms:us-west-2:${ACCOUNT}:key/12345678-1234-1234-1234-123456789012`;
    const viaRds = { 'kms:ViaService': 'rds.us-west-2.amazonaws.com' };
    // Act / Assess
    for (const [side, statements] of Object.entries(roles)) {
      expect(await allows(statements, { action: 'kms:Decrypt', resource: key, context: viaRds }), side).toBe(
        true,
      );
      expect(
        await allows(statements, {
          action: 'kms:CreateGrant',
          resource: key,
          context: { ...viaRds, 'kms:GrantIsForAWSResource': 'true' },
        }),
        side,
      ).toBe(true);
      expect(await allows(statements, { action: 'kms:Decrypt', resource: key }), side).toBe(false);
      expect(
        await allows(statements, { action: 'kms:CreateGrant', resource: key, context: viaRds }),
        side,
      ).toBe(false);
    }
  });
});
