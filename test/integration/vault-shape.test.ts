// The shape reaches the vault account on moto: production's `run` takes a backup of a cluster of three instances of
// two classes and shares it with the vault, leaving the shape in the vault's shapes bucket; the vault's `run` copies
// the shared snapshot into its own account with the shape tags in the copy call; `restore --account vault` in the
// vault brings back production's instances. Foreign tags are hidden as AWS hides them (moto's honest layer), and a
// layer copies what another account shared, which moto cannot (test/support/shared-copy-layer.ts). moto does not
// enforce bucket policies or ExpectedBucketOwner: those are proven on the templates (test/infra/vault.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildS3Client } from '../../src/aws/s3-shape-carrier.js';
import { shapeFromTags, shapeToTags } from '../../src/core/model/cluster-shape-tags.js';
import { tagsFromList } from '../../src/core/model/model.js';
import {
  shapeBucketName,
  shapeObjectBody,
  shapeObjectKey,
  shapeTagsOf,
} from '../../src/core/model/shape-carrier.js';
import { TAG } from '../../src/core/model/tags.js';
import { runCli } from '../support/cli.js';
import { createProductionCluster } from '../support/cluster-shapes.js';
import { createEstate, type Estate } from '../support/estate.js';
import { MOTO_CREDENTIALS, type MotoServer, startMoto } from '../support/moto.js';
import { createParameterGroups, type RecoveryLayer, startRecoveryLayer } from '../support/recovery-region.js';
import { type SharedCopyLayer, startSharedCopyLayer } from '../support/shared-copy-layer.js';

const REGION = 'us-east-1';
const PRODUCTION = '111122223333';
const VAULT = '999988887777';
const BUCKET = shapeBucketName(VAULT, REGION);

let moto: MotoServer;
let copies: SharedCopyLayer;
let layer: RecoveryLayer;
let production: Estate;
let vault: Estate;
let dir: string;

beforeAll(async () => {
  moto = await startMoto();
  copies = await startSharedCopyLayer(moto.endpoint);
  layer = await startRecoveryLayer(copies.endpoint);
  dir = mkdtempSync(join(tmpdir(), 'vault-shape-'));
});

afterAll(async () => {
  await layer?.stop();
  await copies?.stop();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  production = createEstate({ endpoint: moto.endpoint, accountId: PRODUCTION });
  vault = createEstate({ endpoint: moto.endpoint, accountId: VAULT });
  layer.offer([['15.4', 'aurora-postgresql15']]);
});

/** The environment of the CLI acting as `account`. */
function envAs(account: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...moto.env,
    AWS_ENDPOINT_URL: layer.endpoint,
    AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT: account,
    AURORA_SNAPSHOT_TOOL_DRILL_POLL_SECONDS: '0',
  };
}

function s3As(account: string): S3Client {
  return buildS3Client({
    region: REGION,
    endpoint: moto.endpoint,
    accountId: account,
    credentials: MOTO_CREDENTIALS,
    maxAttempts: 2,
  });
}

function configFile(block: Record<string, unknown>): string {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(block));
  return file;
}

const SOURCE_CONFIG = {
  Source: {
    Region: REGION,
    ClusterNamePattern: '^prod-db$',
    ShareSnapshots: true,
    DestinationAccount: VAULT,
  },
};
const VAULT_CONFIG = {
  Destination: {
    Region: REGION,
    SnapshotPattern: '^prod-db',
    SourceAccount: PRODUCTION,
    RetentionDays: 35,
  },
};

/** Parameter groups of the same names in `rds`'s account (the runbook's first step in the vault). */
async function parameterGroups(rds: RDSClient): Promise<void> {
  await createParameterGroups(rds, { cluster: 'prod-cluster-params', instance: 'prod-instance-params' });
}

/** Production's cluster: three instances of two classes, its parameter groups, log exports, IAM auth. */
async function productionCluster(): Promise<void> {
  await createProductionCluster(production.clients(REGION).rds);
}

/** The vault's shapes bucket, as its destination stack makes it. */
async function shapesBucket(): Promise<void> {
  const s3 = s3As(VAULT);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
  );
}

/** The one backup production took, as production sees it (its tags). */
async function productionBackup() {
  const [backup, ...others] = await production.snapshots(REGION);
  if (!backup || others.length > 0) throw new Error('expected one backup in production');
  return backup;
}

async function instancesOf(rds: RDSClient, clusterId: string) {
  const cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })))
    .DBClusters?.[0];
  const instances = [];
  for (const member of cluster?.DBClusterMembers ?? []) {
    const id = member.DBInstanceIdentifier ?? '';
    const instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })))
      .DBInstances?.[0];
    instances.push({
      id,
      instanceClass: instance?.DBInstanceClass,
      writer: member.IsClusterWriter,
      promotionTier: member.PromotionTier,
      parameterGroup: instance?.DBParameterGroups?.[0]?.DBParameterGroupName,
    });
  }
  return {
    clusterParameterGroup: cluster?.DBClusterParameterGroup,
    iamDatabaseAuthentication: cluster?.IAMDatabaseAuthenticationEnabled,
    logExports: cluster?.EnabledCloudwatchLogsExports,
    port: cluster?.Port,
    instances: instances.sort((a, b) => a.id.localeCompare(b.id)),
  };
}

describe('the shape of a backup shared with a vault account', () => {
  it("is left in the vault's bucket by production's run, written on the vault's copy by the vault's run, and brought back by restore --account vault", async () => {
    // Prepare
    await productionCluster();
    await shapesBucket();
    await parameterGroups(vault.clients(REGION).rds);

    // Act: production takes and shares; the vault copies; the vault restores.
    const shared = await runCli(['run', '--config', configFile(SOURCE_CONFIG)], envAs(PRODUCTION));
    const copied = await runCli(['run', '--config', configFile(VAULT_CONFIG)], envAs(VAULT));
    const restored = await runCli(
      [
        'restore',
        '--config',
        configFile(SOURCE_CONFIG),
        '--cluster',
        'prod-db',
        '--region',
        REGION,
        '--account',
        'vault',
        '--name',
        'prod-db-restored',
      ],
      envAs(VAULT),
    );

    // Assess: production's backup records the shape, and the object in the vault's bucket is its shape tags.
    expect(shared.stderr).toBe('');
    expect(shared.code).toBe(0);
    const backup = await productionBackup();
    const backupTags = tagsFromList(backup.TagList);
    const recorded = shapeFromTags(backupTags).shape;
    expect(recorded?.instances.map((i) => i.instanceClass)).toEqual([
      'db.r6g.large',
      'db.r6g.xlarge',
      'db.r6g.xlarge',
    ]);
    const backupId = backup.DBClusterSnapshotIdentifier ?? '';
    const object = await s3As(VAULT).send(
      new GetObjectCommand({ Bucket: BUCKET, Key: shapeObjectKey(PRODUCTION, backupId) }),
    );
    expect(await object.Body?.transformToString()).toBe(shapeObjectBody(shapeTagsOf(backupTags)));
    // Both sides name the account that must own the bucket: S3 refuses a bucket of that name owned by another.
    const s3Calls = copies.requests().filter((r) => r.path.startsWith(`/${BUCKET}/`));
    expect(
      s3Calls.map((r) => [
        r.method,
        r.account,
        r.path.split('?')[0],
        r.headers['x-amz-expected-bucket-owner'],
      ]),
    ).toEqual([
      ['PUT', PRODUCTION, `/${BUCKET}/${shapeObjectKey(PRODUCTION, backupId)}`, VAULT],
      ['GET', VAULT, `/${BUCKET}/${shapeObjectKey(PRODUCTION, backupId)}`, VAULT],
    ]);

    // Assess: the vault cannot see production's tags, yet its own copy carries the shape, given in the copy call.
    const [offer] = await vault.snapshots(REGION, 'shared');
    expect(offer?.TagList ?? []).toEqual([]);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    const copyCall = copies
      .requests()
      .find((r) => r.action === 'CopyDBClusterSnapshot' && r.account === VAULT);
    const copyCallTags = Object.fromEntries(
      [...(copyCall?.form ?? [])]
        .filter(([key]) => /^Tags\.Tag\.\d+\.Key$/.test(key))
        .map(([key, value]) => [value, copyCall?.form.get(key.replace(/Key$/, 'Value')) ?? '']),
    );
    expect(shapeTagsOf(copyCallTags)).toEqual(shapeTagsOf(backupTags));
    const [copy, ...more] = await vault.snapshots(REGION);
    expect(more).toEqual([]);
    expect(copy?.DBClusterSnapshotIdentifier).toBe(backupId);
    const copyTags = tagsFromList(copy?.TagList);
    expect(copyTags[TAG.SourceAccount]).toBe(PRODUCTION);
    expect(shapeFromTags(copyTags)).toEqual({ shape: recorded });

    // Assess: the restore in the vault brings back production's instances, parameter groups and settings.
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('shape: recorded with the copy');
    const source = await instancesOf(production.clients(REGION).rds, 'prod-db');
    const back = await instancesOf(vault.clients(REGION).rds, 'prod-db-restored');
    expect(
      back.instances.map(({ id, ...i }) => ({ id: id.replace('prod-db-restored', 'prod-db'), ...i })),
    ).toEqual(source.instances);
    expect(back.clusterParameterGroup).toBe(source.clusterParameterGroup);
    expect(back.iamDatabaseAuthentication).toBe(true);
    expect(back.logExports).toEqual(['postgresql']);
    expect(back.port).toBe(5433);
  });

  it("refuses a shape object that is another cluster's, and the vault's copy is made without a shape", async () => {
    // Prepare: production's backup is shared without the object (no bucket yet); then production (or whoever
    // holds its role) writes another cluster's shape under that backup's key.
    await productionCluster();
    const shared = await runCli(['run', '--config', configFile(SOURCE_CONFIG)], envAs(PRODUCTION));
    expect(shared.code).toBe(0);
    expect(shared.stdout).toContain(
      "but its shape could not be left in that account's shapes bucket (AwsRequestError: PutObject failed in us-east-1",
    );
    await shapesBucket();
    const backup = await productionBackup();
    const recorded = shapeFromTags(tagsFromList(backup.TagList)).shape;
    if (!recorded) throw new Error('the backup records no shape');
    const other = shapeToTags({ ...recorded, clusterId: 'other-db' });
    if (!other.ok) throw new Error(other.reason);
    await s3As(PRODUCTION).send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: shapeObjectKey(PRODUCTION, backup.DBClusterSnapshotIdentifier ?? ''),
        Body: shapeObjectBody(other.tags),
        ExpectedBucketOwner: VAULT,
      }),
    );

    // Act
    const copied = await runCli(['run', '--config', configFile(VAULT_CONFIG)], envAs(VAULT));

    // Assess
    expect(copied.code).toBe(0);
    expect(copied.stdout).toContain(
      `is the shape of cluster other-db, but ${backup.DBClusterSnapshotArn} is a snapshot of prod-db`,
    );
    const [copy] = await vault.snapshots(REGION);
    expect(copy?.DBClusterSnapshotIdentifier).toBe(backup.DBClusterSnapshotIdentifier);
    expect(shapeFromTags(tagsFromList(copy?.TagList)).code).toBe('absent');
  });
});
