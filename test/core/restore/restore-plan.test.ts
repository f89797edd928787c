// The restore plan, pure: the exact requests that bring back a cluster like the source, what the Recovery block maps, and every refusal made before anything is created.
import { describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import {
  compareVersions,
  familyOf,
  nearestVersion,
  planRestore,
  type RecoveryRegionFacts,
  type RestorePlanInput,
  restoredInstanceName,
  restoreKeyOf,
  singleInstanceName,
} from '../../../src/core/restore/index.js';
import { prodShape } from '../../support/cluster-shapes.js';
import { snapshot } from '../../support/snapshot-builder.js';

const REGION = 'us-west-2';
const COPY = snapshot('prod-db-2026-07-05-00-00', {
  region: REGION,
  pointInTime: '2026-07-05T00:00:00Z',
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
  port: 5433,
  iamDatabaseAuthentication: true,
  encrypted: true,
  kmsKeyId: 'arn:aws:kms:us-west-2:111111111111:key/copy-key',
  tags: {
    [TAG.CopiedBy]: TOOL_TAG_VALUE,
    [TAG.SourceCluster]: 'prod-db',
    [TAG.SourceRegion]: 'us-east-1',
  },
});

/** A recovery region that has everything the source had, under the same names. */
function facts(fields: Partial<RecoveryRegionFacts> = {}): RecoveryRegionFacts {
  return {
    region: REGION,
    subnetGroups: [{ name: 'prod-subnets' }, { name: 'dr-subnets' }],
    securityGroups: { checked: true, ids: ['sg-0123456789abcdef0', 'sg-0aaaaaaaaaaaaaaaa'] },
    clusterParameterGroups: [
      { name: 'prod-cluster-params', family: 'aurora-postgresql15' },
      { name: 'dr-cluster-params', family: 'aurora-postgresql15' },
      { name: 'old-cluster-params', family: 'aurora-postgresql14' },
    ],
    instanceParameterGroups: [
      { name: 'prod-instance-params', family: 'aurora-postgresql15' },
      { name: 'dr-instance-params', family: 'aurora-postgresql15' },
    ],
    engineVersions: {
      checked: true,
      versions: [
        { version: '15.4', family: 'aurora-postgresql15' },
        { version: '15.6', family: 'aurora-postgresql15' },
        { version: '16.2', family: 'aurora-postgresql16' },
      ],
    },
    clusters: [],
    instances: [],
    key: { keyId: 'arn:aws:kms:us-west-2:111111111111:key/copy-key', usable: true },
    ...fields,
  };
}

function input(fields: Partial<RestorePlanInput> = {}): RestorePlanInput {
  return { snapshot: COPY, shape: prodShape(), facts: facts(), recovery: {}, ...fields };
}

function plan(fields: Partial<RestorePlanInput> = {}) {
  const result = planRestore(input(fields));
  if (!result.ok) throw new Error(JSON.stringify(result.refusals));
  return result.plan;
}

function refusals(fields: Partial<RestorePlanInput> = {}) {
  const result = planRestore(input(fields));
  if (result.ok) throw new Error('no refusal');
  return result.refusals;
}

const TAGS = [
  { Key: TAG.SourceCluster, Value: 'prod-db' },
  { Key: TAG.SourceSnapshot, Value: COPY.arn },
  { Key: 'env', Value: 'prod' },
  { Key: 'team', Value: 'payments' },
];

describe('planRestore with a recorded shape', () => {
  it('restores the cluster with every field of the source, then its three instances writer first', () => {
    // Act
    const result = plan();

    // Assess
    expect(result.requests).toEqual([
      {
        action: 'RestoreDBClusterFromSnapshot',
        input: {
          DBClusterIdentifier: 'prod-db',
          SnapshotIdentifier: 'prod-db-2026-07-05-00-00',
          Engine: 'aurora-postgresql',
          EngineVersion: '15.4',
          DBSubnetGroupName: 'prod-subnets',
          VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
          KmsKeyId: 'arn:aws:kms:us-west-2:111111111111:key/copy-key',
          DBClusterParameterGroupName: 'prod-cluster-params',
          EnableIAMDatabaseAuthentication: true,
          EnableCloudwatchLogsExports: ['postgresql'],
          DeletionProtection: true,
          Port: 5433,
          Tags: TAGS,
          CopyTagsToSnapshot: true,
        },
      },
      ...[
        ['prod-db-1', 'db.r6g.large', 0, true],
        ['prod-db-2', 'db.r6g.xlarge', 1, false],
        ['prod-db-3', 'db.r6g.xlarge', 2, false],
      ].map(([id, instanceClass, tier, insights]) => ({
        action: 'CreateDBInstance',
        input: {
          DBInstanceIdentifier: id,
          DBClusterIdentifier: 'prod-db',
          DBInstanceClass: instanceClass,
          Engine: 'aurora-postgresql',
          PromotionTier: tier,
          DBParameterGroupName: 'prod-instance-params',
          EnablePerformanceInsights: insights,
          PubliclyAccessible: false,
          Tags: TAGS,
        },
      })),
    ]);
    expect(result).toMatchObject({
      region: REGION,
      sourceClusterId: 'prod-db',
      clusterId: 'prod-db',
      snapshotArn: COPY.arn,
      pointInTime: new Date('2026-07-05T00:00:00Z'),
      shapeKnown: true,
      existing: [],
      notes: [],
    });
  });

  it('creates the writer first whatever order the shape lists the instances in', () => {
    // Prepare
    const [writer, ...readers] = prodShape().instances;
    const shape = prodShape({ instances: [...readers].reverse().concat(writer ? [writer] : []) });

    // Act
    const ids = plan({ shape }).requests.map((r) =>
      r.action === 'CreateDBInstance' ? r.input.DBInstanceIdentifier : r.input.DBClusterIdentifier,
    );

    // Assess
    expect(ids).toEqual(['prod-db', 'prod-db-1', 'prod-db-2', 'prod-db-3']);
  });

  it('names the restored cluster --name and its instances after it', () => {
    // Act
    const result = plan({ name: 'prod-db-dr' });

    // Assess
    expect(
      result.requests.map((r) => (r.action === 'CreateDBInstance' ? r.input.DBInstanceIdentifier : '')),
    ).toEqual(['', 'prod-db-dr-1', 'prod-db-dr-2', 'prod-db-dr-3']);
  });

  it('carries Serverless v2 capacity and the backtrack window where the source had them', () => {
    // Prepare
    const shape = prodShape({
      engine: 'aurora-mysql',
      engineVersion: '8.0.mysql_aurora.3.05.2',
      serverlessV2: { min: 1, max: 32 },
      backtrackWindowSeconds: 86400,
      instances: [{ id: 'prod-db-1', instanceClass: 'db.serverless', writer: true }],
      clusterParameterGroup: undefined,
    });
    const versions = { checked: true as const, versions: [{ version: '8.0.mysql_aurora.3.05.2' }] };

    // Act
    const cluster = plan({ shape, facts: facts({ engineVersions: versions }) }).requests[0];

    // Assess
    expect(cluster?.input).toMatchObject({
      Engine: 'aurora-mysql',
      ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 32 },
      BacktrackWindow: 86400,
    });
  });

  it('gives every instance the --instance-class, and says so', () => {
    // Act
    const result = plan({ instanceClass: 'db.serverless' });

    // Assess
    expect(
      result.requests.slice(1).map((r) => r.action === 'CreateDBInstance' && r.input.DBInstanceClass),
    ).toEqual(['db.serverless', 'db.serverless', 'db.serverless']);
    expect(result.requests[0]?.input).toMatchObject({
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
    });
    expect(result.notes).toEqual([
      "every instance gets the class db.serverless (--instance-class), not the source's",
      "Serverless v2 capacity 0.5 to 16 ACUs (the source's range is unknown)",
    ]);
  });

  it('restores into --engine-version when the region offers it', () => {
    // Act
    const cluster = plan({ engineVersion: '15.6' }).requests[0];

    // Assess
    expect(cluster?.input).toMatchObject({ EngineVersion: '15.6' });
  });
});

describe('planRestore without a recorded shape', () => {
  it('restores from what the snapshot says with one instance of --instance-class, and says the shape was unknown', () => {
    // Act
    const result = plan({
      shape: undefined,
      shapeReason: 'the copy carries no shape tags',
      instanceClass: 'db.r6g.large',
    });

    // Assess
    const tags = [
      { Key: TAG.SourceCluster, Value: 'prod-db' },
      { Key: TAG.SourceSnapshot, Value: COPY.arn },
    ];
    expect(result.requests).toEqual([
      {
        action: 'RestoreDBClusterFromSnapshot',
        input: {
          DBClusterIdentifier: 'prod-db',
          SnapshotIdentifier: COPY.id,
          Engine: 'aurora-postgresql',
          EngineVersion: '15.4',
          KmsKeyId: COPY.kmsKeyId,
          EnableIAMDatabaseAuthentication: true,
          EnableCloudwatchLogsExports: [],
          DeletionProtection: true,
          Port: 5433,
          Tags: tags,
          CopyTagsToSnapshot: true,
        },
      },
      {
        action: 'CreateDBInstance',
        input: {
          DBInstanceIdentifier: 'prod-db-1',
          DBClusterIdentifier: 'prod-db',
          DBInstanceClass: 'db.r6g.large',
          Engine: 'aurora-postgresql',
          PubliclyAccessible: false,
          Tags: tags,
        },
      },
    ]);
    expect(result.shapeKnown).toBe(false);
    expect(result.notes).toEqual([
      "the cluster's shape is unknown (the copy carries no shape tags): restored from what the snapshot says (engine, version, port, IAM authentication) with one db.r6g.large instance; parameter groups, log exports and tags are not carried",
    ]);
  });

  it('refuses without --instance-class, naming the option and why it is needed', () => {
    // Act
    const found = refusals({ shape: undefined, shapeReason: 'the copy carries no shape tags' });

    // Assess
    expect(found).toEqual([
      {
        parameter: '--instance-class',
        message:
          'is required: the copy prod-db-2026-07-05-00-00 carries no shape of the cluster (the copy carries no shape tags), so the class of its instance must be given, e.g. --instance-class db.r6g.large or db.serverless',
      },
    ]);
  });
});

describe('planRestore maps into the recovery region', () => {
  const recovery = {
    dbSubnetGroupName: 'dr-subnets',
    vpcSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaaa'],
    kmsKeyId: 'arn:aws:kms:us-west-2:111111111111:key/dr-key',
    clusterParameterGroups: { 'prod-cluster-params': 'dr-cluster-params' },
    instanceParameterGroups: { 'aurora-postgresql15': 'dr-instance-params' },
  };

  it("uses the Recovery block's subnet group, security groups, key and parameter groups (by name and by family)", () => {
    // Prepare
    const key = { keyId: recovery.kmsKeyId, usable: true as const };

    // Act
    const result = plan({ recovery, facts: facts({ key }) });

    // Assess
    expect(result.requests[0]?.input).toMatchObject({
      DBSubnetGroupName: 'dr-subnets',
      VpcSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaaa'],
      KmsKeyId: recovery.kmsKeyId,
      DBClusterParameterGroupName: 'dr-cluster-params',
    });
    expect(result.requests[1]?.input).toMatchObject({ DBParameterGroupName: 'dr-instance-params' });
  });

  it("falls back to RDS's defaults where the source's names do not exist in the region, and says so", () => {
    // Prepare
    const empty = facts({
      subnetGroups: [{ name: 'other' }],
      securityGroups: { checked: true, ids: ['sg-0aaaaaaaaaaaaaaaa'] },
      clusterParameterGroups: [],
      instanceParameterGroups: [],
    });

    // Act
    const result = plan({ facts: empty });

    // Assess
    const cluster = result.requests[0]?.input ?? {};
    expect(
      ['DBSubnetGroupName', 'VpcSecurityGroupIds', 'DBClusterParameterGroupName'].filter((k) => k in cluster),
    ).toEqual([]);
    expect('DBParameterGroupName' in (result.requests[1]?.input ?? {})).toBe(false);
    expect(result.notes).toEqual([
      "the source's DB subnet group prod-subnets does not exist in us-west-2: the restore uses the default VPC (set Recovery.DBSubnetGroupName; the region has: other)",
      "the source's security groups (sg-0123456789abcdef0) do not exist in us-west-2: the restore uses the VPC's default group (set Recovery.VpcSecurityGroupIds)",
      "the source's cluster parameter group prod-cluster-params does not exist in us-west-2 for family aurora-postgresql15 and Recovery.DBClusterParameterGroups maps neither it nor the family: RDS's default group is used (map it to carry the source's parameters)",
      "the source's DB parameter group prod-instance-params does not exist in us-west-2 for family aurora-postgresql15 and Recovery.DBParameterGroups maps neither it nor the family: RDS's default group is used (map it to carry the source's parameters)",
    ]);
  });

  it("uses the source's security groups unchecked only in the source's own region, and says what was not checked", () => {
    // Prepare
    const unchecked = { checked: false as const, reason: 'the EC2 API client is not installed' };
    const sameRegion = { ...COPY, tags: { ...COPY.tags, [TAG.SourceRegion]: REGION } };

    // Act
    const elsewhere = plan({ facts: facts({ securityGroups: unchecked }) });
    const here = plan({ snapshot: sameRegion, facts: facts({ securityGroups: unchecked }) });
    const given = plan({
      recovery: { vpcSecurityGroupIds: ['sg-0bbbbbbbbbbbbbbbb'] },
      facts: facts({ securityGroups: unchecked }),
    });

    // Assess
    expect('VpcSecurityGroupIds' in (elsewhere.requests[0]?.input ?? {})).toBe(false);
    expect(elsewhere.notes).toEqual([
      "the source's security groups (sg-0123456789abcdef0) belong to another region in us-west-2: the restore uses the VPC's default group (set Recovery.VpcSecurityGroupIds)",
    ]);
    expect(here.requests[0]?.input).toMatchObject({ VpcSecurityGroupIds: ['sg-0123456789abcdef0'] });
    expect(here.notes).toEqual([
      "the source's security groups are used unchecked (same region): the EC2 API client is not installed",
    ]);
    expect(given.requests[0]?.input).toMatchObject({ VpcSecurityGroupIds: ['sg-0bbbbbbbbbbbbbbbb'] });
    expect(given.notes).toEqual([
      'Recovery.VpcSecurityGroupIds not checked before the restore: the EC2 API client is not installed',
    ]);
  });

  it('says the engine version was not checked when the region could not list its versions', () => {
    // Act
    const result = plan({
      facts: facts({ engineVersions: { checked: false, reason: 'DescribeDBEngineVersions failed' } }),
    });

    // Assess
    expect(result.notes).toEqual([
      'engine version aurora-postgresql 15.4 not checked: DescribeDBEngineVersions failed',
    ]);
  });

  it('leaves out the key of an unencrypted copy, and takes Recovery.KmsKeyId over the copy key', () => {
    // Prepare
    const plain = { ...COPY, encrypted: false, kmsKeyId: undefined };

    // Act, Assess
    expect(restoreKeyOf(plain, {})).toBeUndefined();
    expect(restoreKeyOf(COPY, {})).toBe(COPY.kmsKeyId);
    expect(restoreKeyOf(COPY, { kmsKeyId: 'k' })).toBe('k');
    expect('KmsKeyId' in (plan({ snapshot: plain }).requests[0]?.input ?? {})).toBe(false);
  });

  it('resumes an interrupted restore of the same copy: what exists is listed, not created again', () => {
    // Prepare
    const earlier = facts({
      clusters: [{ id: 'prod-db', tags: { [TAG.SourceSnapshot]: COPY.arn } }],
      instances: [{ id: 'prod-db-1', clusterId: 'prod-db' }],
    });

    // Act
    const result = plan({ facts: earlier });

    // Assess
    expect(result.existing).toEqual(['prod-db', 'prod-db-1']);
    expect(result.notes).toEqual([
      'an earlier restore of prod-db-2026-07-05-00-00 into prod-db was interrupted: prod-db, prod-db-1 already exist and are not created again',
    ]);
  });
});

describe('planRestore refuses before anything is created', () => {
  it('refuses a name in use, for the cluster or one of its instances, suggesting another --name', () => {
    // Prepare
    const taken = facts({
      clusters: [{ id: 'prod-db', tags: {} }],
      instances: [{ id: 'prod-db-dr-2', clusterId: 'other' }],
    });

    // Act
    const byCluster = refusals({ facts: taken });
    const byInstance = refusals({ facts: taken, name: 'prod-db-dr' });
    const invalid = refusals({ name: 'Prod_DB' });

    // Assess
    expect(byCluster).toEqual([
      {
        parameter: '--name',
        value: 'prod-db',
        message:
          'a cluster prod-db already exists in us-west-2; choose another name, e.g. --name prod-db-restored',
      },
    ]);
    expect(byInstance).toEqual([
      {
        parameter: '--name',
        value: 'prod-db-dr',
        message:
          'the instance name prod-db-dr-2 it gives is in use in us-west-2 (cluster other); choose another --name',
      },
    ]);
    expect(invalid[0]).toMatchObject({ parameter: '--name', value: 'Prod_DB' });
  });

  it('refuses a subnet group or security group the region does not have, listing what it has', () => {
    // Act
    const found = refusals({
      recovery: {
        dbSubnetGroupName: 'missing-subnets',
        vpcSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0ccccccccccccccc0'],
      },
    });

    // Assess
    expect(found).toEqual([
      {
        parameter: 'Recovery.DBSubnetGroupName',
        value: 'missing-subnets',
        message: 'no DB subnet group missing-subnets in us-west-2; the region has: prod-subnets, dr-subnets',
      },
      {
        parameter: 'Recovery.VpcSecurityGroupIds',
        value: 'sg-0ccccccccccccccc0',
        message:
          'no security group sg-0ccccccccccccccc0 in us-west-2; the region has: sg-0123456789abcdef0, sg-0aaaaaaaaaaaaaaaa',
      },
    ]);
  });

  it('refuses a key the credentials cannot use, the copy key or the Recovery one, saying what the role needs', () => {
    // Prepare
    const unusable = (keyId: string) =>
      facts({ key: { keyId, usable: false, reason: 'AccessDeniedException' } });

    // Act
    const copyKey = refusals({ facts: unusable(COPY.kmsKeyId ?? '') });
    const given = refusals({ recovery: { kmsKeyId: 'alias/dr' }, facts: unusable('alias/dr') });

    // Assess
    expect(copyKey).toEqual([
      {
        parameter: 'KmsKeyId',
        value: COPY.kmsKeyId,
        message:
          "the copy's key cannot be used in us-west-2 by these credentials (AccessDeniedException): the restoring role needs kms:DescribeKey, kms:Decrypt and kms:CreateGrant on it, or set Recovery.KmsKeyId to a key it may use",
      },
    ]);
    expect(given).toEqual([
      {
        parameter: 'Recovery.KmsKeyId',
        value: 'alias/dr',
        message:
          'the key cannot be used in us-west-2 by these credentials (AccessDeniedException): the restoring role needs kms:DescribeKey, kms:Decrypt and kms:CreateGrant on it',
      },
    ]);
  });

  it('refuses an engine version no longer offered, naming the nearest offered one and --engine-version', () => {
    // Prepare
    const offered = facts({
      engineVersions: {
        checked: true,
        versions: [{ version: '15.6' }, { version: '15.10' }, { version: '16.2' }],
      },
    });

    // Act
    const found = refusals({ facts: offered });
    const older = refusals({ engineVersion: '14.9' });

    // Assess
    expect(found).toEqual([
      {
        parameter: '--engine-version',
        value: '15.4',
        message:
          'aurora-postgresql 15.4 is no longer offered in us-west-2; the nearest offered version is 15.6: restore with --engine-version 15.6',
      },
    ]);
    expect(older).toEqual([
      {
        parameter: '--engine-version',
        value: '14.9',
        message:
          "is older than the snapshot's aurora-postgresql 15.4: RDS restores a snapshot into its own version or a later one",
      },
    ]);
  });

  it('refuses a Recovery parameter group that is missing or of another family, naming the mapping key', () => {
    // Act
    const missing = refusals({ recovery: { clusterParameterGroups: { 'prod-cluster-params': 'nope' } } });
    const family = refusals({
      recovery: { clusterParameterGroups: { 'aurora-postgresql15': 'old-cluster-params' } },
    });

    // Assess
    expect(missing).toEqual([
      {
        parameter: 'Recovery.DBClusterParameterGroups.prod-cluster-params',
        value: 'nope',
        message:
          'no cluster parameter group nope in us-west-2; the region has of family aurora-postgresql15: prod-cluster-params, dr-cluster-params',
      },
    ]);
    expect(family).toEqual([
      {
        parameter: 'Recovery.DBClusterParameterGroups.aurora-postgresql15',
        value: 'old-cluster-params',
        message:
          'cluster parameter group old-cluster-params is of family aurora-postgresql14; the restored engine version needs family aurora-postgresql15: prod-cluster-params, dr-cluster-params',
      },
    ]);
  });
});

describe('restore names and engine versions', () => {
  it("names instances after the new cluster, keeping the source's own identifiers under the source's name", () => {
    // Act
    const names = [
      restoredInstanceName({
        sourceClusterId: 'prod-db',
        sourceInstanceId: 'prod-db-instance-1',
        clusterId: 'prod-db-dr',
      }),
      restoredInstanceName({
        sourceClusterId: 'prod-db',
        sourceInstanceId: 'prod-db-instance-1',
        clusterId: 'prod-db',
      }),
      restoredInstanceName({
        sourceClusterId: 'prod-db',
        sourceInstanceId: 'writer',
        clusterId: 'prod-db-dr',
      }),
      restoredInstanceName({ sourceClusterId: 'prod-db', sourceInstanceId: 'prod-db', clusterId: 'dr' }),
      singleInstanceName('prod-db'),
    ];

    // Assess
    expect(names).toEqual([
      'prod-db-dr-instance-1',
      'prod-db-instance-1',
      'prod-db-dr-writer',
      'dr',
      'prod-db-1',
    ]);
  });

  it('keeps every instance name valid for RDS however long the names', () => {
    // Prepare
    const long = 'a'.repeat(60);

    // Act
    const names = [
      restoredInstanceName({ sourceClusterId: 'p', sourceInstanceId: `p-${long}`, clusterId: 'prod-db-dr' }),
      restoredInstanceName({ sourceClusterId: 'prod', sourceInstanceId: 'prod-1', clusterId: `c${long}` }),
    ];

    // Assess
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/);
    }
    expect(names[0]).toMatch(/^prod-db-dr-[a-z0-9]{6}$/);
  });

  it('orders versions by number and suggests the lowest later version, else the highest', () => {
    // Act, Assess
    expect(['15.10', '15.4', '15.9'].sort(compareVersions)).toEqual(['15.4', '15.9', '15.10']);
    expect(nearestVersion('15.4', [{ version: '16.1' }, { version: '15.10' }, { version: '15.9' }])).toBe(
      '15.9',
    );
    expect(nearestVersion('17.1', [{ version: '16.1' }, { version: '15.10' }])).toBe('16.1');
    expect(nearestVersion('15.4', [])).toBeUndefined();
  });

  it('names the parameter group family from the region, else as Aurora names it', () => {
    // Act, Assess
    expect(familyOf('aurora-postgresql', '15.4', [{ version: '15.4', family: 'from-region' }])).toBe(
      'from-region',
    );
    expect(familyOf('aurora-postgresql', '15.4')).toBe('aurora-postgresql15');
    expect(familyOf('aurora-mysql', '8.0.mysql_aurora.3.05.2')).toBe('aurora-mysql8.0');
    expect(familyOf('aurora-mysql', undefined)).toBeUndefined();
    expect(familyOf('neptune', '1.2')).toBeUndefined();
  });
});

describe('planRestore maps parameter groups by name and family', () => {
  // Aurora MySQL 5.6 (engine `aurora`): a family neither the region's listing nor Aurora's naming tells.
  const legacy = {
    shape: prodShape({ engine: 'aurora', engineVersion: '5.6.10a' }),
    snapshot: { ...COPY, engine: 'aurora', engineVersion: '5.6.10a' },
  };
  const legacyFacts = (fields: Partial<RecoveryRegionFacts> = {}) =>
    facts({ engineVersions: { checked: true, versions: [{ version: '5.6.10a' }] }, ...fields });

  it('with no family known, lists every group of the region when the mapped one is missing, naming no family', () => {
    // Act
    const found = refusals({
      ...legacy,
      facts: legacyFacts(),
      recovery: { clusterParameterGroups: { 'prod-cluster-params': 'nope' } },
    });

    // Assess
    expect(found).toEqual([
      {
        parameter: 'Recovery.DBClusterParameterGroups.prod-cluster-params',
        value: 'nope',
        message:
          'no cluster parameter group nope in us-west-2; the region has: prod-cluster-params, dr-cluster-params, old-cluster-params',
      },
    ]);
  });

  it("with no family known, takes the mapped group and the source's own group whatever their family", () => {
    // Act
    const mapped = plan({
      ...legacy,
      facts: legacyFacts(),
      recovery: { clusterParameterGroups: { 'prod-cluster-params': 'old-cluster-params' } },
    });
    const own = plan({ ...legacy, facts: legacyFacts() });

    // Assess
    expect(mapped.requests[0]?.input).toMatchObject({ DBClusterParameterGroupName: 'old-cluster-params' });
    expect(own.requests[0]?.input).toMatchObject({ DBClusterParameterGroupName: 'prod-cluster-params' });
    expect(own.requests[1]?.input).toMatchObject({ DBParameterGroupName: 'prod-instance-params' });
  });

  it("with no family known, says the source's missing group falls back to RDS's default without naming a family", () => {
    // Act
    const result = plan({
      ...legacy,
      facts: legacyFacts({ instanceParameterGroups: [] }),
    });

    // Assess
    expect(result.notes).toEqual([
      "the source's DB parameter group prod-instance-params does not exist in us-west-2 and Recovery.DBParameterGroups maps neither it nor the family: RDS's default group is used (map it to carry the source's parameters)",
    ]);
  });

  it('takes a mapped group whose family the region does not say', () => {
    // Prepare
    const region = facts({ clusterParameterGroups: [{ name: 'dr-cluster-params' }] });

    // Act
    const result = plan({
      facts: region,
      recovery: { clusterParameterGroups: { 'prod-cluster-params': 'dr-cluster-params' } },
    });

    // Assess
    expect(result.requests[0]?.input).toMatchObject({ DBClusterParameterGroupName: 'dr-cluster-params' });
  });

  it("does not take another group of the family for the source's missing one", () => {
    // Act
    const result = plan({ shape: prodShape({ clusterParameterGroup: 'custom-cluster-params' }) });

    // Assess
    expect('DBClusterParameterGroupName' in (result.requests[0]?.input ?? {})).toBe(false);
    expect(result.notes).toEqual([
      "the source's cluster parameter group custom-cluster-params does not exist in us-west-2 for family aurora-postgresql15 and Recovery.DBClusterParameterGroups maps neither it nor the family: RDS's default group is used (map it to carry the source's parameters)",
    ]);
  });

  it("does not take the source's group of another family than the restored version's", () => {
    // Act
    const result = plan({ shape: prodShape({ clusterParameterGroup: 'old-cluster-params' }) });

    // Assess
    expect('DBClusterParameterGroupName' in (result.requests[0]?.input ?? {})).toBe(false);
    expect(result.notes).toEqual([
      "the source's cluster parameter group old-cluster-params does not exist in us-west-2 for family aurora-postgresql15 and Recovery.DBClusterParameterGroups maps neither it nor the family: RDS's default group is used (map it to carry the source's parameters)",
    ]);
  });

  it("uses RDS's default group without a note when the source had the default one", () => {
    // Act
    const result = plan({
      shape: prodShape({ clusterParameterGroup: 'default.aurora-postgresql15' }),
      facts: facts({ clusterParameterGroups: [] }),
    });

    // Assess
    expect('DBClusterParameterGroupName' in (result.requests[0]?.input ?? {})).toBe(false);
    expect(result.notes).toEqual([]);
  });
});

describe('planRestore orders, names and checks each instance', () => {
  it('creates the writer first even when it fails over last, then the readers by failover priority', () => {
    // Prepare
    const shape = prodShape({
      instances: [
        { id: 'prod-db-1', instanceClass: 'db.r6g.large', writer: false, promotionTier: 1 },
        { id: 'prod-db-2', instanceClass: 'db.r6g.large', writer: false, promotionTier: 0 },
        { id: 'prod-db-3', instanceClass: 'db.r6g.large', writer: true, promotionTier: 2 },
      ],
    });

    // Act
    const ids = plan({ shape })
      .requests.slice(1)
      .map((r) => r.action === 'CreateDBInstance' && r.input.DBInstanceIdentifier);

    // Assess
    expect(ids).toEqual(['prod-db-3', 'prod-db-2', 'prod-db-1']);
  });

  it('names the one instance of a restore without a shape --name-1', () => {
    // Act
    const result = plan({ shape: undefined, instanceClass: 'db.r6g.large', name: 'prod-db-dr' });

    // Assess
    expect(result.requests[1]?.input).toMatchObject({
      DBInstanceIdentifier: 'prod-db-dr-1',
      DBClusterIdentifier: 'prod-db-dr',
    });
  });

  it('refuses an instance name held by an instance of the same name whose cluster is not an earlier restore of this copy', () => {
    // Prepare: the cluster is gone from the listing (being deleted), its instance is still there.
    const region = facts({ instances: [{ id: 'prod-db-1', clusterId: 'prod-db' }] });

    // Act
    const found = refusals({ facts: region });

    // Assess
    expect(found).toEqual([
      {
        parameter: '--name',
        value: 'prod-db',
        message:
          'the instance name prod-db-1 it gives is in use in us-west-2 (cluster prod-db); choose another --name',
      },
    ]);
  });

  it('resuming an earlier restore, still refuses an instance name another cluster holds', () => {
    // Prepare
    const region = facts({
      clusters: [{ id: 'prod-db', tags: { [TAG.SourceSnapshot]: COPY.arn } }],
      instances: [
        { id: 'prod-db-1', clusterId: 'prod-db' },
        { id: 'prod-db-2', clusterId: 'other' },
      ],
    });

    // Act
    const found = refusals({ facts: region });

    // Assess
    expect(found).toEqual([
      {
        parameter: '--name',
        value: 'prod-db',
        message:
          'the instance name prod-db-2 it gives is in use in us-west-2 (cluster other); choose another --name',
      },
    ]);
  });

  it('refuses an instance name in use by an instance of no cluster, naming no cluster', () => {
    // Act
    const found = refusals({ facts: facts({ instances: [{ id: 'prod-db-3' }] }) });

    // Assess
    expect(found).toEqual([
      {
        parameter: '--name',
        value: 'prod-db',
        message: 'the instance name prod-db-3 it gives is in use in us-west-2; choose another --name',
      },
    ]);
  });

  it('refuses an invalid --name, saying what RDS accepts', () => {
    // Act
    const found = refusals({ name: 'Prod_DB' });

    // Assess
    expect(found[0]).toEqual({
      parameter: '--name',
      value: 'Prod_DB',
      message:
        'must be 1-63 lowercase letters, digits or hyphens, starting with a letter, without two hyphens in a row or one at the end',
    });
  });
});

describe('planRestore chooses the engine version', () => {
  it("restores into an --engine-version equal to the snapshot's own", () => {
    // Act
    const cluster = plan({ engineVersion: '15.4' }).requests[0];

    // Assess
    expect(cluster?.input).toMatchObject({ EngineVersion: '15.4' });
  });

  it('refuses an engine the region offers in no version, naming the engine and the region', () => {
    // Act
    const found = refusals({ facts: facts({ engineVersions: { checked: true, versions: [] } }) });

    // Assess
    expect(found).toEqual([
      {
        parameter: '--engine-version',
        value: '15.4',
        message: 'aurora-postgresql is not offered in us-west-2',
      },
    ]);
  });
});

describe('planRestore chooses the network and the key', () => {
  it('says the region has none when it has no subnet group', () => {
    // Act
    const found = refusals({
      recovery: { dbSubnetGroupName: 'dr-subnets' },
      facts: facts({ subnetGroups: [] }),
    });

    // Assess
    expect(found).toEqual([
      {
        parameter: 'Recovery.DBSubnetGroupName',
        value: 'dr-subnets',
        message: 'no DB subnet group dr-subnets in us-west-2; the region has: none',
      },
    ]);
  });

  it("takes an empty Recovery.VpcSecurityGroupIds as none given: the source's groups are used", () => {
    // Act
    const result = plan({ recovery: { vpcSecurityGroupIds: [] } });

    // Assess
    expect(result.requests[0]?.input).toMatchObject({ VpcSecurityGroupIds: ['sg-0123456789abcdef0'] });
    expect(result.notes).toEqual([]);
  });

  it('names every missing Recovery security group in one refusal', () => {
    // Act
    const found = refusals({
      recovery: { vpcSecurityGroupIds: ['sg-0ccccccccccccccc0', 'sg-0dddddddddddddddd'] },
    });

    // Assess
    expect(found).toEqual([
      {
        parameter: 'Recovery.VpcSecurityGroupIds',
        value: 'sg-0ccccccccccccccc0, sg-0dddddddddddddddd',
        message:
          'no security group sg-0ccccccccccccccc0, sg-0dddddddddddddddd in us-west-2; the region has: sg-0123456789abcdef0, sg-0aaaaaaaaaaaaaaaa',
      },
    ]);
  });

  it('gives no security groups when the source had none', () => {
    // Act
    const result = plan({ shape: prodShape({ vpcSecurityGroupIds: [] }) });

    // Assess
    expect('VpcSecurityGroupIds' in (result.requests[0]?.input ?? {})).toBe(false);
    expect(result.notes).toEqual([]);
  });

  it("uses the VPC's default group when only some of the source's security groups exist in the region, naming them all", () => {
    // Act
    const result = plan({
      shape: prodShape({ vpcSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0eeeeeeeeeeeeeeee'] }),
    });

    // Assess
    expect('VpcSecurityGroupIds' in (result.requests[0]?.input ?? {})).toBe(false);
    expect(result.notes).toEqual([
      "the source's security groups (sg-0aaaaaaaaaaaaaaaa, sg-0eeeeeeeeeeeeeeee) do not exist in us-west-2: the restore uses the VPC's default group (set Recovery.VpcSecurityGroupIds)",
    ]);
  });

  it('refuses only for the key the restore uses: an unusable other key does not stop it', () => {
    // Prepare
    const copyKeyUnusable = facts({
      key: { keyId: COPY.kmsKeyId ?? '', usable: false, reason: 'AccessDeniedException' },
    });

    // Act
    const result = plan({ recovery: { kmsKeyId: 'alias/dr' }, facts: copyKeyUnusable });

    // Assess
    expect(result.requests[0]?.input).toMatchObject({ KmsKeyId: 'alias/dr' });
  });
});

describe('planRestore says what it could not carry', () => {
  it('says the shape is unknown without a reason given, and the instance class is required', () => {
    // Act
    const noted = plan({ shape: undefined, instanceClass: 'db.r6g.large' });
    const found = refusals({ shape: undefined });

    // Assess
    expect(noted.notes).toEqual([
      "the cluster's shape is unknown (the copy carries none): restored from what the snapshot says (engine, version, port, IAM authentication) with one db.r6g.large instance; parameter groups, log exports and tags are not carried",
    ]);
    expect(found).toEqual([
      {
        parameter: '--instance-class',
        message:
          'is required: the copy prod-db-2026-07-05-00-00 carries no shape of the cluster (none recorded), so the class of its instance must be given, e.g. --instance-class db.r6g.large or db.serverless',
      },
    ]);
  });

  it("says the cluster's own tags were left out of its shape, and restores it with the tool's tags only", () => {
    // Act
    const result = plan({ shape: prodShape({ tags: {}, tagsOmitted: true }) });

    // Assess
    expect(result.requests[0]?.input).toMatchObject({ Tags: TAGS.slice(0, 2) });
    expect(result.notes).toEqual([
      "the cluster's own tags did not fit beside its shape in the snapshot's tags: the restored cluster has only the tool's",
    ]);
  });

  it('restores a cluster that had no instance without any, and says so', () => {
    // Act
    const result = plan({ shape: prodShape({ instances: [] }) });

    // Assess
    expect(result.requests.map((r) => r.action)).toEqual(['RestoreDBClusterFromSnapshot']);
    expect(result.notes).toEqual([
      'the source cluster had no instance: the restored cluster has none either',
    ]);
  });

  it('gives the default Serverless v2 capacity when any instance of the source is db.serverless and its range is unknown', () => {
    // Prepare
    const shape = prodShape({
      instances: [
        { id: 'prod-db-1', instanceClass: 'db.r6g.large', writer: true, promotionTier: 0 },
        { id: 'prod-db-2', instanceClass: 'db.serverless', writer: false, promotionTier: 1 },
      ],
    });

    // Act
    const result = plan({ shape });

    // Assess
    expect(result.requests[0]?.input).toMatchObject({
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
    });
    expect(result.notes).toEqual(["Serverless v2 capacity 0.5 to 16 ACUs (the source's range is unknown)"]);
  });

  it('sets no backtrack window when the source had it off (0)', () => {
    // Act
    const cluster = plan({ shape: prodShape({ backtrackWindowSeconds: 0 }) }).requests[0];

    // Assess
    expect('BacktrackWindow' in (cluster?.input ?? {})).toBe(false);
  });
});

describe("planRestore for a restore drill changes only the drill's overrides", () => {
  const drill = {
    instanceId: 'prod-db-drill-1',
    tags: { [TAG.Purpose]: 'restore-drill' },
    serverlessV2: { MinCapacity: 0.5, MaxCapacity: 2 },
  };

  it("restores one instance of the drill's class under the drill's name, at the drill's capacity, without notes on the class", () => {
    // Act
    const result = plan({ name: 'prod-db-drill', instanceClass: 'db.serverless', drill });

    // Assess
    expect(result.requests[0]?.input).toMatchObject({
      DBClusterIdentifier: 'prod-db-drill',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 2 },
      DeletionProtection: false,
      EnableCloudwatchLogsExports: [],
    });
    expect(result.requests.slice(1)).toEqual([
      {
        action: 'CreateDBInstance',
        input: {
          DBInstanceIdentifier: 'prod-db-drill-1',
          DBClusterIdentifier: 'prod-db-drill',
          DBInstanceClass: 'db.serverless',
          Engine: 'aurora-postgresql',
          PromotionTier: 0,
          PubliclyAccessible: false,
          Tags: [{ Key: TAG.Purpose, Value: 'restore-drill' }],
        },
      },
    ]);
    expect(result.notes).toEqual([]);
  });

  it('refuses a drill without an instance class rather than create an instance of none', () => {
    // Act
    const found = refusals({ name: 'prod-db-drill', drill });

    // Assess
    expect(found).toEqual([
      {
        parameter: '--instance-class',
        message:
          "is required for a restore drill: its one instance is of the drill's class, not the source's",
      },
    ]);
  });
});
