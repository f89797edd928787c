// The restoring role (cloudformation/restore-role.yaml) in the IAM simulator: every call `aurora-snapshot-tool restore` makes on moto (a DR copy in a second region, and the vault account's copy with --account vault) is allowed, nothing beyond them is, and deletes, shares, snapshot tags, drill marks and other regions are refused; only TrustedPrincipal may assume it, with MFA unless RequireMfa=FALSE.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyDBClusterSnapshotCommand } from '@aws-sdk/client-rds';
import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountPrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { tagsToList } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { addToolStacks } from '../../src/infra/app.js';
import type { RestoreRoleProps } from '../../src/infra/restore-role.js';
import { asFunction, type RecordedCall, recordedCalls, startRecording } from '../support/api-recorder.js';
import { runCli } from '../support/cli.js';
import { prodShape, shapeTags } from '../support/cluster-shapes.js';
import { createEstate, type Estate } from '../support/estate.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { createSubnetGroup, type RecoveryLayer, startRecoveryLayer } from '../support/recovery-region.js';
import { authorizationsOf } from './support/call-authorization.js';
import { decide, decideAssumeRole, type Statement } from './support/iam-simulator.js';
import { committedTemplates, restoringRole } from './support/role-policies.js';

const ACCOUNT = '123456789012';
const VAULT = '999988887777';
const SOURCE = 'us-east-1';
const RECOVERY = 'us-west-2';
const VAULT_REGION = 'eu-west-1';
const COPY = 'prod-db-2026-07-05-00-00';
const OPERATORS = `arn:aws:iam::${ACCOUNT}:role/dr-operators`;

let moto: MotoServer;
let layer: RecoveryLayer;
let estate: Estate;
let dir: string;

beforeAll(async () => {
  moto = await startMoto();
  layer = await startRecoveryLayer(moto.endpoint);
  dir = mkdtempSync(join(tmpdir(), 'restore-role-'));
});

afterAll(async () => {
  await layer?.stop();
  await moto?.stop();
});

/** Only the tests that run the restore on moto start from an empty moto. */
async function emptyMoto(): Promise<void> {
  await moto.reset();
  estate = createEstate({ endpoint: moto.endpoint });
  layer.offer([['15.4', 'aurora-postgresql15']]);
  startRecording(() => moto.endpoint);
}

/** The restoring role as deployed in `account` and `region` (the committed template, what users deploy). */
function roleIn(account: string, region: string, parameters: Record<string, string> = {}) {
  return restoringRole(
    committedTemplates(),
    { account, region },
    { TrustedPrincipal: OPERATORS, ...parameters },
  );
}

/**
 * An encrypted copy the tool made of prod-db in `region` of `owner`'s account, under a key of that region:
 * its backup taken in SOURCE, then copied as the tool copies (every tag passed: moto replaces them).
 */
async function encryptedCopy(owner: Estate, region: string, subnetGroup = true): Promise<void> {
  const sourceKey = await owner.createKey(SOURCE);
  await owner.createCluster(SOURCE, 'prod-db', { engineVersion: '15.4', kmsKeyId: sourceKey.arn });
  const backup = await owner.createSnapshot(SOURCE, {
    clusterId: 'prod-db',
    snapshotId: COPY,
    tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: '2026-07-05T00:00:00.000Z' },
  });
  const key = await owner.createKey(region);
  await owner.clients(region).rds.send(
    new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: backup.arn,
      TargetDBClusterSnapshotIdentifier: COPY,
      KmsKeyId: key.arn,
      Tags: tagsToList({
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.SourceCluster]: 'prod-db',
        [TAG.SourceRegion]: SOURCE,
        [TAG.PointInTime]: '2026-07-05T00:00:00.000Z',
        [TAG.Purpose]: 'dr-copy',
        ...shapeTags(prodShape({ engineVersion: '15.4' })),
      }),
    }),
  );
  // The default VPC's subnets are listed as the default account: the vault restores into its default VPC.
  if (!subnetGroup) return;
  await createSubnetGroup(owner.clients(region).rds, moto.endpoint, region, 'dr-subnets');
}

function configFile(config: Record<string, unknown>): string {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Runs the CLI as the operator of `account`, its AWS calls recorded (as the "function" RestoreCommand). */
async function restoreAs(account: string, region: string, argv: readonly string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...moto.env,
    AWS_ENDPOINT_URL: layer.endpoint,
    AURORA_SNAPSHOT_TOOL_DRILL_POLL_SECONDS: '0',
    AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT: account,
  };
  return asFunction(`arn:aws:lambda:${region}:${account}:function:RestoreCommand`, () => runCli(argv, env));
}

interface Verdict {
  readonly call: string;
  readonly request: string;
  readonly decision: string;
}

/**
 * Each authorization of each successful recorded call (the table of test/infra/support/call-authorization.ts,
 * with aws:RequestedRegion as AWS sets it) decided against the restoring role of the caller's account and region.
 */
async function verdicts(calls: readonly RecordedCall[]): Promise<Verdict[]> {
  const found: Verdict[] = [];
  for (const call of calls) {
    if (call.error !== undefined) continue;
    const label = `${call.service}:${call.action} in ${call.region}`;
    const authorizations = authorizationsOf(call);
    if (!authorizations) {
      found.push({ call: label, request: '(no authorization known)', decision: 'unknown' });
      continue;
    }
    const { statements } = roleIn(call.fn.account, call.fn.region);
    for (const request of authorizations) {
      const decision = await decide(statements, {
        action: request.action,
        resource: request.resource,
        context: { ...request.context, 'aws:RequestedRegion': call.region },
        principal: `arn:aws:sts::${call.fn.account}:assumed-role/restore/operator`,
      });
      found.push({ call: label, request: `${request.action} on ${request.resource}`, decision });
    }
  }
  return found;
}

const actionsOf = (calls: readonly RecordedCall[]) =>
  [...new Set(calls.filter((c) => c.error === undefined).map((c) => `${c.service}:${c.action}`))].sort();

describe('the restoring role allows every call of a restore', () => {
  beforeEach(emptyMoto);

  it('in the recovery region of the same account: restore --dry-run, then restore of an encrypted DR copy', async () => {
    // Prepare
    await encryptedCopy(estate, RECOVERY);
    const config = configFile({
      Source: { Region: SOURCE, ClusterNamePattern: '^prod-db$', DestinationRegion: RECOVERY },
      Recovery: { Region: RECOVERY, DBSubnetGroupName: 'dr-subnets' },
    });
    startRecording(() => moto.endpoint);

    // Act
    const dryRun = await restoreAs(ACCOUNT, RECOVERY, [
      'restore',
      '-c',
      config,
      '--cluster',
      'prod-db',
      '--dry-run',
    ]);
    const run = await restoreAs(ACCOUNT, RECOVERY, ['restore', '-c', config, '--cluster', 'prod-db']);
    const calls = recordedCalls();

    // Assess
    expect(dryRun.stderr).toBe('');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(actionsOf(calls)).toEqual([
      'ec2:DescribeSecurityGroups',
      'kms:DescribeKey',
      'rds:CreateDBInstance',
      'rds:DescribeDBClusterParameterGroups',
      'rds:DescribeDBClusterSnapshots',
      'rds:DescribeDBClusters',
      'rds:DescribeDBEngineVersions',
      'rds:DescribeDBInstances',
      'rds:DescribeDBParameterGroups',
      'rds:DescribeDBSubnetGroups',
      'rds:RestoreDBClusterFromSnapshot',
    ]);
    const decided = await verdicts(calls);
    expect(decided.filter((v) => v.decision !== 'Allowed')).toEqual([]);
    // The key's use through RDS was decided too: the copy is encrypted.
    expect(decided.map((v) => v.request)).toContainEqual(
      expect.stringMatching(/^kms:CreateGrant on arn:aws:kms:us-west-2:/),
    );
  });

  it("in the vault account, with the vault's credentials and --account vault", async () => {
    // Prepare
    const vault = estate.as(VAULT);
    await encryptedCopy(vault, VAULT_REGION, false);
    const config = configFile({
      Source: {
        Region: SOURCE,
        ClusterNamePattern: '^prod-db$',
        ShareSnapshots: true,
        DestinationAccount: VAULT,
      },
      Recovery: { Region: VAULT_REGION },
    });
    startRecording(() => moto.endpoint);

    // Act
    const run = await restoreAs(VAULT, VAULT_REGION, [
      'restore',
      '-c',
      config,
      '--cluster',
      'prod-db',
      '--account',
      'vault',
    ]);
    const calls = recordedCalls();

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(actionsOf(calls)).toContain('sts:GetCallerIdentity');
    expect(actionsOf(calls)).toContain('rds:RestoreDBClusterFromSnapshot');
    expect(calls.every((c) => c.fn.account === VAULT)).toBe(true);
    const decided = await verdicts(calls);
    expect(decided.filter((v) => v.decision !== 'Allowed')).toEqual([]);
  });

  it('allows exactly what the restore calls and what RDS authorizes for them, and the service-linked role', async () => {
    // Prepare
    await encryptedCopy(estate, RECOVERY);
    const config = configFile({
      Source: { Region: SOURCE, ClusterNamePattern: '^prod-db$', DestinationRegion: RECOVERY },
      Recovery: { Region: RECOVERY, DBSubnetGroupName: 'dr-subnets' },
    });
    await restoreAs(ACCOUNT, RECOVERY, ['restore', '-c', config, '--cluster', 'prod-db']);

    // Act
    const needed = new Set(
      recordedCalls()
        .filter((c) => c.error === undefined)
        .flatMap((c) => authorizationsOf(c) ?? [])
        .map((a) => a.action),
    );
    const allowed = new Set(
      roleIn(ACCOUNT, RECOVERY)
        .statements.filter((s) => s.Effect === 'Allow')
        .flatMap((s) => [s.Action ?? []].flat()),
    );

    // Assess: the first restore in a fresh account needs RDS's service-linked role (never on moto).
    expect([...allowed].filter((a) => !needed.has(a)).sort()).toEqual(['iam:CreateServiceLinkedRole']);
    expect([...needed].filter((a) => !allowed.has(a))).toEqual([]);
  });
});

describe('the restoring role refuses what a restore never does', () => {
  const { statements } = roleIn(ACCOUNT, RECOVERY);
  const rds = (type: string, name: string, region = RECOVERY) =>
    `arn:aws:rds:${region}:${ACCOUNT}:${type}:${name}`;
  const key = `arn:aws:kms:${RECOVERY}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
  const restoreTags = {
    [`aws:RequestTag/${TAG.SourceSnapshot}`]: rds('cluster-snapshot', COPY),
    'aws:TagKeys': [TAG.SourceSnapshot],
    'aws:RequestedRegion': RECOVERY,
  };
  const inRegion = { 'aws:RequestedRegion': RECOVERY };

  it.each<[string, string, string, Record<string, string | string[]>]>([
    ['delete the restored cluster', 'rds:DeleteDBCluster', rds('cluster', 'prod-db'), inRegion],
    ['delete an instance', 'rds:DeleteDBInstance', rds('db', 'prod-db-1'), inRegion],
    ['delete a copy', 'rds:DeleteDBClusterSnapshot', rds('cluster-snapshot', COPY), inRegion],
    ['share a copy', 'rds:ModifyDBClusterSnapshotAttribute', rds('cluster-snapshot', COPY), inRegion],
    ['copy a snapshot', 'rds:CopyDBClusterSnapshot', rds('cluster-snapshot', COPY), inRegion],
    [
      'modify a cluster (turn deletion protection off)',
      'rds:ModifyDBCluster',
      rds('cluster', 'prod-db'),
      inRegion,
    ],
    ['take a snapshot', 'rds:CreateDBClusterSnapshot', rds('cluster', 'prod-db'), inRegion],
    [
      'tag a snapshot (CreatedBy would hand it to retention)',
      'rds:AddTagsToResource',
      rds('cluster-snapshot', COPY),
      { ...restoreTags, [`aws:RequestTag/${TAG.CreatedBy}`]: TOOL_TAG_VALUE },
    ],
    [
      'restore without the restore mark',
      'rds:RestoreDBClusterFromSnapshot',
      rds('cluster', 'other'),
      inRegion,
    ],
    [
      'restore marked for the drill clean-up',
      'rds:RestoreDBClusterFromSnapshot',
      rds('cluster', 'prod-db'),
      {
        ...restoreTags,
        [`aws:RequestTag/${TAG.Purpose}`]: 'restore-drill',
        'aws:TagKeys': [TAG.SourceSnapshot, TAG.Purpose],
      },
    ],
    [
      'restore in another region',
      'rds:RestoreDBClusterFromSnapshot',
      rds('cluster', 'prod-db', 'eu-central-1'),
      { ...restoreTags, 'aws:RequestedRegion': 'eu-central-1' },
    ],
    [
      'list clusters in another region',
      'rds:DescribeDBClusters',
      '*',
      { 'aws:RequestedRegion': 'eu-central-1' },
    ],
    ['decrypt directly with a key', 'kms:Decrypt', key, {}],
    ['schedule the deletion of a key', 'kms:ScheduleKeyDeletion', key, {}],
    ['create another role', 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/anything`, {}],
  ])('may not %s', async (_what, action, resource, context) => {
    // Act
    const decision = await decide(statements, { action, resource, context });
    // Assess
    expect(decision).not.toBe('Allowed');
  });

  it('allows the same restore with its mark (the refusals above are not a role that allows nothing)', async () => {
    // Act
    const decision = await decide(statements, {
      action: 'rds:RestoreDBClusterFromSnapshot',
      resource: rds('cluster', 'prod-db'),
      context: restoreTags,
    });
    // Assess
    expect(decision).toBe('Allowed');
  });

  it('names no delete, share or modify action anywhere in the template', () => {
    // Act
    const text = JSON.stringify(committedTemplates()['restore-role']);
    // Assess
    expect(text).not.toMatch(/rds:(Delete|Modify|Copy|Remove|Stop|Failover|Reboot)/);
    expect(text).not.toMatch(/"[a-z0-9-]+:[A-Za-z]*\*"/);
  });
});

describe('who may assume the restoring role', () => {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/restore`;
  const mfa = { 'aws:MultiFactorAuthPresent': 'true' };
  const trustOf = (parameters: Record<string, string>): Statement[] =>
    roleIn(ACCOUNT, RECOVERY, parameters).trust;

  it('TrustedPrincipal with MFA, by default', async () => {
    // Prepare
    const trust = trustOf({});
    // Act / Assess
    expect(await decideAssumeRole(trust, OPERATORS, roleArn, mfa)).toBe('Allowed');
    expect(await decideAssumeRole(trust, OPERATORS, roleArn)).not.toBe('Allowed');
    expect(await decideAssumeRole(trust, `arn:aws:iam::${ACCOUNT}:role/someone-else`, roleArn, mfa)).not.toBe(
      'Allowed',
    );
  });

  it('TrustedPrincipal without MFA when RequireMfa=FALSE (a pipeline)', async () => {
    // Prepare
    const trust = trustOf({ RequireMfa: 'FALSE' });
    // Act / Assess
    expect(trust[0]).not.toHaveProperty('Condition');
    expect(await decideAssumeRole(trust, OPERATORS, roleArn)).toBe('Allowed');
  });

  it("an account id as TrustedPrincipal: that account's principals its IAM lets assume the role, no other account's", async () => {
    // Prepare
    const trust = trustOf({ TrustedPrincipal: '111122223333' });
    const mayAssume: Statement[] = [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }];
    // Act / Assess
    expect(
      await decideAssumeRole(trust, 'arn:aws:iam::111122223333:role/break-glass', roleArn, mfa, mayAssume),
    ).toBe('Allowed');
    expect(await decideAssumeRole(trust, 'arn:aws:iam::111122223333:role/anyone', roleArn, mfa)).not.toBe(
      'Allowed',
    );
    expect(
      await decideAssumeRole(trust, 'arn:aws:iam::444455556666:role/break-glass', roleArn, mfa, mayAssume),
    ).not.toBe('Allowed');
  });

  it.each([
    ['123456789012', true],
    ['arn:aws:iam::123456789012:role/dr-operators', true],
    ['arn:aws:iam::123456789012:role/path/dr-operators', true],
    ['arn:aws:iam::123456789012:user/alice', true],
    ['arn:aws-us-gov:iam::123456789012:root', true],
    ['*', false],
    ['arn:aws:iam::123:role/x', false],
    ['arn:aws:sts::123456789012:assumed-role/x/y', false],
    ['', false],
  ])('TrustedPrincipal %j is accepted by the template: %s', (value, accepted) => {
    // Prepare
    const parameter = (
      committedTemplates()['restore-role'].Parameters as Record<string, { AllowedPattern: string }>
    ).TrustedPrincipal;
    // Act / Assess
    expect(new RegExp(parameter?.AllowedPattern ?? '$^').test(value)).toBe(accepted);
  });
});

describe('the CDK app adds the restoring role only when asked', () => {
  function app(config: Record<string, unknown>, restoreRole?: RestoreRoleProps) {
    const bundles = mkdtempSync(join(tmpdir(), 'bundles-'));
    for (const name of ALL_FUNCTIONS) writeFileSync(join(bundles, `${name}.zip`), 'zip');
    return addToolStacks(new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) }), parseConfig(config), {
      bundleDir: bundles,
      ...(restoreRole ? { restoreRole } : {}),
    });
  }
  const config = {
    Source: {
      Region: SOURCE,
      ClusterNamePattern: '^prod-db$',
      ShareSnapshots: true,
      DestinationRegion: RECOVERY,
    },
    Recovery: { Region: RECOVERY },
  };

  it('in the recovery region, a stack of its own with the one role, nothing unacknowledged for cdk-nag', () => {
    // Act
    const stacks = app(config, { assumedBy: new AccountPrincipal('111122223333') });
    const stack = stacks.restoreRole as Stack;
    // Assess
    expect(stack.region).toBe(RECOVERY);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 43200,
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })],
      },
    });
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('not without the option: the source and destination stacks are as before', () => {
    // Act
    const stacks = app(config);
    // Assess
    expect(stacks).not.toHaveProperty('restoreRole');
  });

  it('refuses the option when the configuration names no recovery region, naming Recovery.Region', () => {
    // Act / Assess
    expect(() =>
      app(
        { Source: { Region: SOURCE, ClusterNamePattern: '^prod-db$' } },
        { assumedBy: new AccountPrincipal('111122223333') },
      ),
    ).toThrow(/Recovery\.Region: is required for the restoring role/);
  });
});
