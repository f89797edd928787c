// `aurora-snapshot-tool restore` on moto: a source cluster of three instances of two classes, its own parameter groups and log exports, copied to a second region; the restore there brings back the same shape, prints the endpoints, and refuses before any create call.
// moto is lenient where AWS is not, and the test says so where it matters: it accepts a subnet group, a security
// group or a cluster parameter group that does not exist on RestoreDBClusterFromSnapshot (the tool's own checks
// are what refuse them here), ignores EnablePerformanceInsights (not compared), makes clusters and instances
// available at once, and has no DescribeDBEngineVersions (the recovery layer answers it).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyDBClusterSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterShape } from '../../src/core/model/cluster-shape.js';
import { tagsFromList, tagsToList } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { runCli } from '../support/cli.js';
import { createProductionCluster, shapeTags } from '../support/cluster-shapes.js';
import { createEstate, type Estate } from '../support/estate.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import {
  createParameterGroups,
  createSubnetGroup,
  type RecoveryLayer,
  startRecoveryLayer,
} from '../support/recovery-region.js';

const SOURCE = 'us-east-1';
const RECOVERY = 'us-west-2';
const COPY = 'prod-db-2026-07-05-00-00';
const CREATES = ['RestoreDBClusterFromSnapshot', 'CreateDBInstance'];

let moto: MotoServer;
let layer: RecoveryLayer;
let estate: Estate;
let env: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  moto = await startMoto();
  layer = await startRecoveryLayer(moto.endpoint);
  env = {
    ...process.env,
    ...moto.env,
    AWS_ENDPOINT_URL: layer.endpoint,
    AURORA_SNAPSHOT_TOOL_DRILL_POLL_SECONDS: '0',
  };
  delete env.AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT;
  dir = mkdtempSync(join(tmpdir(), 'restore-'));
});

afterAll(async () => {
  await layer?.stop();
  await moto?.stop();
});

/** The shape of a cluster as RDS describes it (the fields a restore brings back). */
async function describeShape(rds: RDSClient, clusterId: string): Promise<ClusterShape> {
  const cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })))
    .DBClusters?.[0];
  if (!cluster) throw new Error(`no cluster ${clusterId}`);
  const members = cluster.DBClusterMembers ?? [];
  const instances = [];
  for (const member of members) {
    const id = member.DBInstanceIdentifier ?? '';
    const instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })))
      .DBInstances?.[0];
    instances.push({
      id,
      instanceClass: instance?.DBInstanceClass ?? '',
      writer: member.IsClusterWriter ?? false,
      promotionTier: member.PromotionTier,
      parameterGroup: instance?.DBParameterGroups?.[0]?.DBParameterGroupName,
    });
  }
  const tags = tagsFromList(cluster.TagList);
  return {
    version: 1,
    clusterId,
    engine: cluster.Engine ?? '',
    engineVersion: cluster.EngineVersion ?? '',
    instances: instances.sort((a, b) => a.id.localeCompare(b.id)),
    clusterParameterGroup: cluster.DBClusterParameterGroup,
    iamDatabaseAuthentication: cluster.IAMDatabaseAuthenticationEnabled ?? false,
    logExports: cluster.EnabledCloudwatchLogsExports ?? [],
    deletionProtection: cluster.DeletionProtection ?? false,
    port: cluster.Port,
    dbSubnetGroup: cluster.DBSubnetGroup,
    vpcSecurityGroupIds: (cluster.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? ''),
    tags: Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('SnapshotTool:'))),
  };
}

/** The source cluster in us-east-1, its backup, and the tool's copy of it in us-west-2 (with the shape, or without). */
async function sourceAndCopy(options: { withShape: boolean } = { withShape: true }): Promise<ClusterShape> {
  const east = estate.clients(SOURCE).rds;
  await createSubnetGroup(east, moto.endpoint, SOURCE, 'prod-subnets');
  await createProductionCluster(east, {
    DBSubnetGroupName: 'prod-subnets',
    DeletionProtection: true,
    Tags: tagsToList({ team: 'payments', env: 'prod' }),
  });
  const shape = await describeShape(east, 'prod-db');
  const backup = await estate.createSnapshot(SOURCE, {
    clusterId: 'prod-db',
    snapshotId: COPY,
    tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: '2026-07-05T00:00:00.000Z' },
  });
  // With CopyDBClusterSnapshot, moto replaces the copied tags with the ones given: every tag is passed.
  await estate.clients(RECOVERY).rds.send(
    new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: backup.arn,
      TargetDBClusterSnapshotIdentifier: COPY,
      Tags: tagsToList({
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.SourceCluster]: 'prod-db',
        [TAG.SourceRegion]: SOURCE,
        [TAG.PointInTime]: '2026-07-05T00:00:00.000Z',
        [TAG.Purpose]: 'dr-copy',
        ...(options.withShape ? shapeTags(shape) : {}),
      }),
    }),
  );
  return shape;
}

/** The recovery region: its own subnet group, the source's cluster parameter group by name, a DB parameter group for the family. */
async function recoveryRegion(): Promise<void> {
  const west = estate.clients(RECOVERY).rds;
  await createSubnetGroup(west, moto.endpoint, RECOVERY, 'dr-subnets');
  await createParameterGroups(west, { cluster: 'prod-cluster-params', instance: 'dr-instance-params' });
}

function configFile(recovery: Record<string, unknown> = {}, source: Record<string, unknown> = {}): string {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      Source: {
        Region: SOURCE,
        ClusterNamePattern: '^prod-db$',
        DestinationRegion: RECOVERY,
        ShareSnapshots: true,
        ...source,
      },
      Recovery: {
        Region: RECOVERY,
        DBSubnetGroupName: 'dr-subnets',
        DBParameterGroups: { 'aurora-postgresql15': 'dr-instance-params' },
        ...recovery,
      },
    }),
  );
  return file;
}

const restore = (config: string, ...extra: string[]) =>
  runCli(['restore', '--config', config, '--cluster', 'prod-db', ...extra], env);

const createCalls = () => layer.actions().filter((a) => CREATES.includes(a.action));
const recoveryClusters = async () =>
  ((await estate.clients(RECOVERY).rds.send(new DescribeDBClustersCommand({}))).DBClusters ?? []).map(
    (c) => c.DBClusterIdentifier,
  );

beforeEach(async () => {
  await moto.reset();
  estate = createEstate({ endpoint: moto.endpoint });
  layer.offer([
    ['15.4', 'aurora-postgresql15'],
    ['15.6', 'aurora-postgresql15'],
    ['16.2', 'aurora-postgresql16'],
  ]);
  layer.clear();
});

describe('restore in the recovery region', () => {
  it("brings back the source's shape, field by field, and prints the endpoints, the point in time and the minutes", async () => {
    // Prepare
    const source = await sourceAndCopy();
    await recoveryRegion();
    layer.clear();

    // Act
    const run = await restore(configFile());

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const restored = await describeShape(estate.clients(RECOVERY).rds, 'prod-db');
    // Compared field by field: engine, engineVersion, instances (identifier, class, writer, promotion tier),
    // clusterParameterGroup (same name in the recovery region), iamDatabaseAuthentication, logExports,
    // deletionProtection, port, tags. Mapped by the Recovery block, so different by design: dbSubnetGroup
    // (dr-subnets) and each instance's parameterGroup (dr-instance-params, by family). Security groups: the
    // source's belong to us-east-1, so the restore leaves them to the VPC's default.
    expect(restored.engine).toBe(source.engine);
    expect(restored.engineVersion).toBe(source.engineVersion);
    expect(restored.instances.map(({ parameterGroup: _, ...i }) => i)).toEqual(
      source.instances.map(({ parameterGroup: _, ...i }) => i),
    );
    expect(restored.instances.map((i) => i.parameterGroup)).toEqual([
      'dr-instance-params',
      'dr-instance-params',
      'dr-instance-params',
    ]);
    expect(restored.clusterParameterGroup).toBe(source.clusterParameterGroup);
    expect(restored.iamDatabaseAuthentication).toBe(source.iamDatabaseAuthentication);
    expect(restored.logExports).toEqual(source.logExports);
    expect(restored.deletionProtection).toBe(source.deletionProtection);
    expect(restored.port).toBe(source.port);
    expect(restored.tags).toEqual(source.tags);
    expect(restored.dbSubnetGroup).toBe('dr-subnets');
    const endpoints = (
      await estate
        .clients(RECOVERY)
        .rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'prod-db' }))
    ).DBClusters?.[0];
    expect(run.stdout).toContain(`writer endpoint: ${endpoints?.Endpoint}:5433`);
    expect(run.stdout).toContain(`reader endpoint: ${endpoints?.ReaderEndpoint}:5433`);
    expect(run.stdout).toContain('instance prod-db-3: available');
    expect(run.stdout).toContain('data as of 2026-07-05T00:00:00.000Z');
    expect(run.stdout).toMatch(/Restored prod-db in \d+ minutes?\n/);
    expect(createCalls()).toEqual([
      { action: 'RestoreDBClusterFromSnapshot', region: RECOVERY },
      { action: 'CreateDBInstance', region: RECOVERY },
      { action: 'CreateDBInstance', region: RECOVERY },
      { action: 'CreateDBInstance', region: RECOVERY },
    ]);
  });

  it('--dry-run --json prints the exact requests and the expected time, and creates nothing (the example in docs/restore.md)', async () => {
    // Prepare
    await sourceAndCopy();
    await recoveryRegion();
    layer.clear();

    // Act
    const run = await restore(configFile(), '--dry-run', '--json');

    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      dryRun: boolean;
      requests: { action: string }[];
      expectedTime: string;
    };
    expect(result.dryRun).toBe(true);
    expect(result.requests.map((r) => r.action)).toEqual([
      'RestoreDBClusterFromSnapshot',
      'CreateDBInstance',
      'CreateDBInstance',
      'CreateDBInstance',
    ]);
    expect(createCalls()).toEqual([]);
    expect(await recoveryClusters()).toEqual([]);
    const docs = readFileSync(new URL('../../docs/restore.md', import.meta.url), 'utf8');
    const example =
      /<!-- restore-dry-run:start -->\n```json\n([\s\S]*?)```\n<!-- restore-dry-run:end -->/.exec(docs)?.[1];
    expect(example, 'docs/restore.md shows this output').toBe(run.stdout);
  });

  it('restores a copy without a shape from what the snapshot says, with one --instance-class instance, and says the shape was unknown', async () => {
    // Prepare
    await sourceAndCopy({ withShape: false });
    await recoveryRegion();

    // Act
    const refused = await restore(configFile());
    const run = await restore(configFile(), '--instance-class', 'db.r6g.large', '--name', 'prod-db-dr');

    // Assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      '--instance-class: is required: the copy prod-db-2026-07-05-00-00 carries no shape',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shape: unknown (the snapshot records no cluster shape)');
    const restored = await describeShape(estate.clients(RECOVERY).rds, 'prod-db-dr');
    expect(restored.instances.map((i) => [i.id, i.instanceClass, i.writer])).toEqual([
      ['prod-db-dr-1', 'db.r6g.large', true],
    ]);
    expect(restored.port).toBe(5433);
    expect(restored.engineVersion).toBe('15.4');
  });
});

describe('restore refuses before any create call', () => {
  it.each([
    ['a name in use', {}, ['--name', 'taken'], '--name: a cluster taken already exists in us-west-2'],
    [
      'a subnet group missing in the region',
      { DBSubnetGroupName: 'nope' },
      [],
      'Recovery.DBSubnetGroupName: no DB subnet group nope in us-west-2; the region has: dr-subnets',
    ],
    [
      'a security group missing in the region (listed with EC2 DescribeSecurityGroups)',
      { VpcSecurityGroupIds: ['sg-0123456789abcdef0'] },
      [],
      'Recovery.VpcSecurityGroupIds: no security group sg-0123456789abcdef0 in us-west-2; the region has: sg-',
    ],
    [
      'a key the credentials cannot use',
      { KmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/00000000-0000-0000-0000-000000000000' },
      [],
      'Recovery.KmsKeyId: the key cannot be used in us-west-2 by these credentials (KMS DescribeKey answered NotFoundException)',
    ],
    [
      'an engine version no longer offered',
      {},
      ['--engine-version', '15.5'],
      '--engine-version: aurora-postgresql 15.5 is no longer offered in us-west-2; the nearest offered version is 15.6: restore with --engine-version 15.6',
    ],
    [
      'a parameter group the region does not have',
      { DBClusterParameterGroups: { 'prod-cluster-params': 'dr-missing' } },
      [],
      'Recovery.DBClusterParameterGroups.prod-cluster-params: no cluster parameter group dr-missing in us-west-2',
    ],
  ])(
    'refuses %s, naming the parameter and what it accepts, exit 2',
    async (_case, recovery, extra, message) => {
      // Prepare
      await sourceAndCopy();
      await recoveryRegion();
      await estate.createCluster(RECOVERY, 'taken');
      layer.clear();

      // Act
      const run = await restore(configFile(recovery), ...extra);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
      expect(createCalls()).toEqual([]);
      expect(await recoveryClusters()).toEqual(['taken']);
    },
  );

  it('refuses the version of the copy when the region no longer offers it, naming the nearest', async () => {
    // Prepare
    await sourceAndCopy();
    await recoveryRegion();
    layer.offer([
      ['15.6', 'aurora-postgresql15'],
      ['16.2', 'aurora-postgresql16'],
    ]);
    layer.clear();

    // Act
    const run = await restore(configFile());

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--engine-version: aurora-postgresql 15.4 is no longer offered in us-west-2; the nearest offered version is 15.6: restore with --engine-version 15.6 (got "15.4")',
    );
    expect(createCalls()).toEqual([]);
  });

  it('refuses a --source-account that is not an account id before any request, naming the option', async () => {
    // Prepare
    await sourceAndCopy();
    layer.clear();

    // Act
    const run = await restore(configFile({}), '--source-account', 'prod');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--source-account: must be a 12-digit AWS account id: the account the lost cluster was in',
    );
    expect(layer.actions()).toEqual([]);
  });

  it("refuses --account vault when the credentials are not the vault account's", async () => {
    // Prepare
    await sourceAndCopy();

    // Act
    const run = await restore(configFile({}, { DestinationAccount: '111122223333' }), '--account', 'vault');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "--account: the credentials act as account 123456789012, not the vault account 111122223333 (Source.DestinationAccount): run the command with that account's profile (AWS_PROFILE)",
    );
    expect(createCalls()).toEqual([]);
  });
});
