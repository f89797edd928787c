// The restore drill's stack from the CDK app: its own roles (nothing added to shared roles), cfn-lint and cdk-nag clean, and IAM that deletes and creates clusters and instances only with the drill tag.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { drillClusterName, drillInstanceName } from '../../src/core/drill/index.js';
import { RESTORE_DRILL_PURPOSE, TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { ALL_FUNCTIONS, DRILL_FUNCTIONS } from '../../src/handlers/names.js';
import { addToolStacks } from '../../src/infra/app.js';
import { BundleCode, RestoreDrill } from '../../src/infra/index.js';
import { synthesizeTemplates, TEMPLATE_NAMES } from '../../src/infra/templates/index.js';
import { evaluate } from './support/cfn-eval.js';
import { allows, type Statement } from './support/iam-simulator.js';
import { committedTemplates, drillRoleStatements } from './support/role-policies.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b3a2c5e-1111-2222-3333-444455556666`;

function bundleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
  return dir;
}

const BUNDLES = bundleDir();
const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
const stacks = addToolStacks(
  app,
  parseConfig({
    Source: {
      Region: 'eu-west-1',
      ClusterNamePattern: '^orders$',
      ShareSnapshots: 'TRUE',
      DestinationRegion: REGION,
    },
    Destination: { Region: REGION, SnapshotPattern: '^orders$', KmsKeyDestination: KEY },
    RestoreDrill: {
      SnapshotPattern: '^orders$',
      DBSubnetGroupName: 'drill-subnets',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      ScheduleTimezone: 'Europe/Berlin',
    },
  }),
  { bundleDir: BUNDLES, account: ACCOUNT },
);
const drillStack = stacks.drill as Stack;
const template = Template.fromStack(drillStack).toJSON() as {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
};

/** The drill functions' statements, with the stack's pseudo parameters resolved as CloudFormation would. */
function functionStatements(): Statement[] {
  const roles = Object.entries(template.Resources).filter(
    ([, r]) =>
      r.Type === 'AWS::IAM::Role' &&
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
  );
  expect(roles).toHaveLength(1);
  const policies = (roles[0]?.[1].Properties.Policies ?? []) as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      const join = (value as Record<string, unknown>)['Fn::Join'] as [string, unknown[]] | undefined;
      if (join) return join[1].map(resolve).join(join[0]);
      const ref = (value as Record<string, unknown>).Ref;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::Region') return REGION;
      if (ref === 'AWS::AccountId') return ACCOUNT;
      if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    }
    return value;
  };
  return policies.flatMap((p) => p.PolicyDocument.Statement).map((s) => resolve(s) as Statement);
}

const cluster = (id: string) => `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${id}`;
const instance = (id: string) => `arn:aws:rds:${REGION}:${ACCOUNT}:db:${id}`;
const drillTag = { [`aws:ResourceTag/${TAG.Purpose}`]: RESTORE_DRILL_PURPOSE };
/** The names a drill of `orders` gives its cluster and instance. */
const DRILL_CLUSTER = drillClusterName('orders', new Date('2026-07-05T03:00:00Z'));
const DRILL_INSTANCE = drillInstanceName(DRILL_CLUSTER);

describe("the CDK app's restore drill stack", () => {
  it('has its own roles for its functions, state machine and schedule, and attaches nothing to another stack', () => {
    // Act
    const roles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');

    // Assess
    expect(roles).toHaveLength(3);
    expect(functions.map((f) => f.Properties.FunctionName).sort()).toEqual([...DRILL_FUNCTIONS].sort());
    expect(JSON.stringify(template)).not.toMatch(/Fn::ImportValue/);
    const machines = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::StepFunctions::StateMachine',
    );
    expect(machines).toHaveLength(1);
    const schedule = Object.values(template.Resources).find((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    const target = schedule?.Properties.Target as { Input: string } | undefined;
    const input = JSON.parse(target?.Input ?? '{}') as {
      RestoreDrill: Record<string, unknown>;
    };
    expect(parseConfig(input).RestoreDrill).toMatchObject({
      Region: REGION,
      SnapshotPattern: '^orders$',
      InstanceClass: 'db.serverless',
      MaxRestoreMinutes: 120,
      DBSubnetGroupName: 'drill-subnets',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    });
  });

  it('deletes clusters and instances only when they carry SnapshotTool:Purpose=restore-drill', async () => {
    // Prepare
    const statements = functionStatements();
    const may = (action: string, resource: string, context: Record<string, string> = {}) =>
      allows(statements, { action, resource, context });

    // Assess
    expect(await may('rds:DeleteDBCluster', cluster(DRILL_CLUSTER), drillTag)).toBe(true);
    expect(await may('rds:DeleteDBInstance', instance(DRILL_INSTANCE), drillTag)).toBe(true);
    expect(await may('rds:DeleteDBCluster', cluster(DRILL_CLUSTER))).toBe(false);
    expect(
      await may('rds:DeleteDBCluster', cluster('orders'), { [`aws:ResourceTag/${TAG.Purpose}`]: 'backup' }),
    ).toBe(false);
    expect(await may('rds:DeleteDBInstance', instance('orders-1'))).toBe(false);
    expect(
      await may(
        'rds:DeleteDBClusterSnapshot',
        `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:x`,
        drillTag,
      ),
    ).toBe(false);
    // Every statement that allows a cluster or instance delete carries the tag condition, and names only
    // the drill's own clusters and instances
    for (const statement of statements) {
      const actions = [statement.Action ?? []].flat();
      if (!actions.some((a) => /^rds:(Delete|\*)/.test(a) && /DBCluster$|DBInstance$|\*/.test(a))) continue;
      expect(statement.Condition, statement.Sid).toEqual({
        StringEquals: { [`aws:ResourceTag/${TAG.Purpose}`]: RESTORE_DRILL_PURPOSE },
      });
      for (const resource of [statement.Resource ?? []].flat()) {
        expect(resource, statement.Sid).toMatch(/:(cluster|db):\*-snapshot-tool-drill-\?{12}(-1)?$/);
      }
    }
  });

  it('restores and creates only what the request tags restore-drill, and records only on snapshots the tool made', async () => {
    // Prepare
    const statements = functionStatements();
    const request = { [`aws:RequestTag/${TAG.Purpose}`]: RESTORE_DRILL_PURPOSE };
    const snapshot = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:orders-2026-07-05-00-00`;

    // Assess
    expect(
      await allows(statements, {
        action: 'rds:RestoreDBClusterFromSnapshot',
        resource: cluster(DRILL_CLUSTER),
        context: request,
      }),
    ).toBe(true);
    expect(
      await allows(statements, {
        action: 'rds:RestoreDBClusterFromSnapshot',
        resource: cluster(DRILL_CLUSTER),
      }),
    ).toBe(false);
    expect(
      await allows(statements, {
        action: 'rds:CreateDBInstance',
        resource: instance(DRILL_INSTANCE),
        context: request,
      }),
    ).toBe(true);
    expect(
      await allows(statements, { action: 'rds:CreateDBInstance', resource: instance(DRILL_INSTANCE) }),
    ).toBe(false);
    expect(
      await allows(statements, {
        action: 'rds:AddTagsToResource',
        resource: snapshot,
        context: { [`aws:ResourceTag/${TAG.CopiedBy}`]: TOOL_TAG_VALUE },
      }),
    ).toBe(true);
    expect(await allows(statements, { action: 'rds:AddTagsToResource', resource: snapshot })).toBe(false);
    expect(
      await allows(statements, {
        action: 'rds:ModifyDBCluster',
        resource: cluster('orders'),
        context: drillTag,
      }),
    ).toBe(false);
  });

  it.each([
    ["the CDK app's stack", () => functionStatements()],
    [
      'cloudformation/restore-drill.yaml',
      () => drillRoleStatements(committedTemplates(), { account: ACCOUNT, region: REGION }),
    ],
  ])(
    "%s: restores onto the cluster parameter group the restore plan names, the engine's default option group and instance parameter group only, and lets RDS create its service-linked role and no other",
    async (_where, statementsOf) => {
      // Prepare
      const statements = statementsOf();
      const rds = (type: string, name: string) => `arn:aws:rds:${REGION}:${ACCOUNT}:${type}:${name}`;
      const request = { [`aws:RequestTag/${TAG.Purpose}`]: RESTORE_DRILL_PURPOSE };
      const may = (action: string, resource: string, context: Record<string, string> = request) =>
        allows(statements, { action, resource, context });
      const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`;
      const service = (name: string) => ({ 'iam:AWSServiceName': name });

      // Assess: the defaults RDS gives a restore and an instance that name no group
      const restore = 'rds:RestoreDBClusterFromSnapshot';
      expect(await may(restore, rds('cluster-pg', 'default.aurora-postgresql16'))).toBe(true);
      expect(await may(restore, rds('og', 'default:aurora-postgresql-16'))).toBe(true);
      expect(await may(restore, rds('subgrp', 'drill-subnets'))).toBe(true);
      expect(await may('rds:CreateDBInstance', rds('pg', 'default.aurora-mysql8.0'))).toBe(true);
      expect(await may('rds:CreateDBInstance', rds('og', 'default:aurora-mysql-8-0'))).toBe(true);
      // The source's cluster parameter group, as the restore command gives it (naming it changes nothing of it);
      // the instance's own group is not the drill's (its instance has the drill's class), nor any group
      // without the drill's request tag
      expect(await may(restore, rds('cluster-pg', 'orders-params'))).toBe(true);
      expect(await may(restore, rds('cluster-pg', 'orders-params'), {})).toBe(false);
      expect(await may('rds:CreateDBInstance', rds('pg', 'orders-params'))).toBe(false);
      expect(await may(restore, rds('og', 'default:aurora-postgresql-16'), {})).toBe(false);
      // The service-linked role of RDS, and only it
      expect(await may('iam:CreateServiceLinkedRole', slr, service('rds.amazonaws.com'))).toBe(true);
      expect(await may('iam:CreateServiceLinkedRole', slr, service('ec2.amazonaws.com'))).toBe(false);
      expect(
        await may(
          'iam:CreateServiceLinkedRole',
          `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ec2.amazonaws.com/AWSServiceRoleForEC2`,
          service('rds.amazonaws.com'),
        ),
      ).toBe(false);
      expect(await may('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/x`, {})).toBe(false);
    },
  );

  it.each([
    ["the CDK app's stack", () => functionStatements()],
    [
      'cloudformation/restore-drill.yaml',
      () => drillRoleStatements(committedTemplates(), { account: ACCOUNT, region: REGION }),
    ],
  ])(
    '%s: cannot tag and then delete, restore over or add an instance to a cluster a drill did not create',
    async (_where, statementsOf) => {
      // Prepare: what AWS checks for a standalone AddTagsToResource adding the drill tag, and for a delete
      // of the resource once it carries the tag
      const statements = statementsOf();
      const tagging = {
        [`aws:RequestTag/${TAG.Purpose}`]: RESTORE_DRILL_PURPOSE,
        'aws:TagKeys': [TAG.Purpose],
        'rds:TagsFromRequest': 'true',
      };
      const may = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
        allows(statements, { action, resource, context });
      const verdict = async (kind: 'cluster' | 'instance', id: string) => {
        const arn = kind === 'cluster' ? cluster(id) : instance(id);
        const deletion = kind === 'cluster' ? 'rds:DeleteDBCluster' : 'rds:DeleteDBInstance';
        return {
          id,
          tag: await may('rds:AddTagsToResource', arn, tagging),
          deleteOnceTagged: await may(deletion, arn, drillTag),
        };
      };
      const refused = (id: string) => ({ id, tag: false, deleteOnceTagged: false });
      // Production clusters and instances, and names that merely contain "drill" (also the shape drills
      // had before their names carried the tool's marker: `?` in an ARN matches letters and hyphens too)
      const clusters = [
        'prod-db',
        'drill',
        'drill-db',
        'orders-drill',
        'orders-drill-202601010000',
        'orders-drill-staging-0001',
        'team-drill-prod-cluster',
        'orders-snapshot-tool-drill',
      ];
      const instances = ['prod-db-1', 'prod-db-instance-1', 'orders-drill-202601010000-1', 'drill-1'];

      // Act
      const found = [
        ...(await Promise.all(clusters.map((id) => verdict('cluster', id)))),
        ...(await Promise.all(instances.map((id) => verdict('instance', id)))),
      ];

      // Assess
      expect(found).toEqual([...clusters, ...instances].map(refused));
      const request = { [`aws:RequestTag/${TAG.Purpose}`]: RESTORE_DRILL_PURPOSE };
      // A restore onto a production cluster's name, an instance in a production cluster
      expect(await may('rds:RestoreDBClusterFromSnapshot', cluster('prod-db'), request)).toBe(false);
      expect(await may('rds:CreateDBInstance', cluster('prod-db'), request)).toBe(false);
      expect(await may('rds:CreateDBInstance', instance('prod-db-2'), request)).toBe(false);
      // Named like a drill's, but without the tag: not deleted
      const lookAlike = drillClusterName('orders', new Date('2026-01-01T00:00:00Z'));
      expect(await may('rds:DeleteDBCluster', cluster(lookAlike))).toBe(false);
      expect(await may('rds:DeleteDBInstance', instance(drillInstanceName(lookAlike)))).toBe(false);
      // What a drill does to its own cluster and instance stays allowed
      const own = drillClusterName(`orders-${'x'.repeat(60)}`, new Date('2026-07-05T03:00:00Z'));
      for (const [action, resource, context] of [
        ['rds:RestoreDBClusterFromSnapshot', cluster(own), request],
        ['rds:AddTagsToResource', cluster(own), tagging],
        ['rds:CreateDBInstance', cluster(own), request],
        ['rds:CreateDBInstance', instance(drillInstanceName(own)), request],
        ['rds:AddTagsToResource', instance(drillInstanceName(own)), tagging],
        ['rds:DeleteDBInstance', instance(drillInstanceName(own)), drillTag],
        ['rds:DeleteDBCluster', cluster(own), drillTag],
      ] as const) {
        expect(await may(action, resource, context), `${action} on ${resource}`).toBe(true);
      }
    },
  );

  it('uses the copies key only through RDS', async () => {
    // Prepare
    const statements = functionStatements();

    // Assess
    const via = { 'kms:ViaService': `rds.${REGION}.amazonaws.com` };
    expect(await allows(statements, { action: 'kms:Decrypt', resource: KEY, context: via })).toBe(true);
    expect(await allows(statements, { action: 'kms:Decrypt', resource: KEY })).toBe(false);
  });

  it('passes cdk-nag with every finding acknowledged for a reason', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(drillStack);

    // Assess
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  it('passes cfn-lint', () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'drill-template-')), 'restore-drill.json');
    writeFileSync(file, JSON.stringify(template));

    // Act
    const result = spawnSync('cfn-lint', ['--format', 'parseable', '--', file], {
      encoding: 'utf8',
      timeout: 120_000,
    });

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('in cloudformation/, only restore-drill deletes clusters or instances, and only those tagged restore-drill', async () => {
    // Prepare
    const { templates } = synthesizeTemplates();
    const deletes = (name: string) =>
      JSON.stringify(templates[name as keyof typeof templates]).match(/rds:Delete(DBCluster|DBInstance)"/g) ??
      [];
    const drillTemplate = templates['restore-drill'] as typeof template;
    const [[, role]] = Object.entries(drillTemplate.Resources).filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::Role' &&
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    ) as [[string, (typeof drillTemplate.Resources)[string]]];
    const policies = evaluate(drillTemplate, role.Properties.Policies, {
      region: REGION,
      accountId: ACCOUNT,
    }) as {
      PolicyDocument: { Statement: Statement[] };
    }[];
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);

    // Act / Assess
    for (const name of TEMPLATE_NAMES.filter((n) => n !== 'restore-drill'))
      expect(deletes(name), name).toEqual([]);
    expect(deletes('restore-drill')).toHaveLength(2);
    expect(
      await allows(statements, {
        action: 'rds:DeleteDBCluster',
        resource: cluster(DRILL_CLUSTER),
        context: drillTag,
      }),
    ).toBe(true);
    expect(
      await allows(statements, { action: 'rds:DeleteDBCluster', resource: cluster(DRILL_CLUSTER) }),
    ).toBe(false);
    expect(
      await allows(statements, { action: 'rds:DeleteDBInstance', resource: instance(DRILL_INSTANCE) }),
    ).toBe(false);
  });

  it('cloudformation/restore-drill.yaml hands the functions a RestoreDrill block the schema accepts', () => {
    // Prepare
    const { templates } = synthesizeTemplates();
    const drillTemplate = templates['restore-drill'] as typeof template;
    const schedule = Object.values(drillTemplate.Resources).find(
      (r) => r.Type === 'AWS::Scheduler::Schedule',
    );
    const target = schedule?.Properties.Target as { Input: unknown } | undefined;

    // Act
    const text = evaluate(drillTemplate, target?.Input, {
      region: REGION,
      accountId: ACCOUNT,
      parameters: {
        CodeBucket: 'code-bucket',
        SnapshotPattern: '^orders\\d$',
        VpcSecurityGroupIds: 'sg-0123456789abcdef0,sg-89abcdef',
      },
    });
    const config = parseConfig(JSON.parse(text as string));

    // Assess
    expect(config.RestoreDrill).toEqual({
      Region: REGION,
      SnapshotPattern: '^orders\\d$',
      Schedule: '0 3 ? * SUN *',
      ScheduleTimezone: 'UTC',
      InstanceClass: 'db.serverless',
      MaxRestoreMinutes: 120,
      LogLevel: 'ERROR',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0', 'sg-89abcdef'],
    });
  });

  it('refuses a schedule time zone that is not an IANA name, naming the prop', () => {
    // Prepare
    const scope = new Stack(new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) }), 'S', {
      env: { region: REGION, account: ACCOUNT },
    });

    // Act / Assess
    expect(
      () =>
        new RestoreDrill(scope, 'D', {
          code: BundleCode.fromDirectory(BUNDLES),
          snapshotPattern: 'orders',
          scheduleTimezone: 'Mars/Olympus',
        }),
    ).toThrow(/scheduleTimezone: must be an IANA time zone name/);
  });
});
