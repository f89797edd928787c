// The cluster's shape on moto: TakeSnapshotsAurora records it in the snapshot's tags, ShareSnapshotsAurora's DR copy carries it, with one DescribeDBInstances per take.
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shapeFromTags } from '../../src/core/model/cluster-shape-tags.js';
import { tagsFromList } from '../../src/core/model/model.js';
import { TAG } from '../../src/core/model/tags.js';
import { handler as share } from '../../src/handlers/share-snapshots.js';
import { handler as take } from '../../src/handlers/take-snapshots.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { restoreEnvironment } from '../support/environment.js';
import { useMotoBehindFaultProxy } from '../support/moto-fixture.js';
import { createParameterGroups } from '../support/recovery-region.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const savedEnv = { ...process.env };

/**
 * The source: an Aurora PostgreSQL cluster with three instances of two classes, custom cluster and instance
 * parameter groups, log exports, IAM authentication, deletion protection, Serverless v2 capacity, a port and
 * tags; and an Aurora MySQL cluster with a backtrack window (RDS refuses one on PostgreSQL).
 */
async function buildSource(rds: RDSClient): Promise<void> {
  await createParameterGroups(rds, { cluster: 'prod-cluster-pg15', instance: 'prod-instance-pg15' });
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      EngineVersion: '15.4',
      MasterUsername: 'postgres',
      MasterUserPassword: 'not-a-secret-1',
      DBClusterParameterGroupName: 'prod-cluster-pg15',
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      DeletionProtection: true,
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
      Port: 5433,
      Tags: [
        { Key: 'team', Value: 'payments' },
        { Key: 'cost-center', Value: '4711' },
      ],
    }),
  );
  const instances = [
    ['prod-db-1', 'db.r6g.large', 0],
    ['prod-db-2', 'db.r6g.large', 1],
    ['prod-db-3', 'db.r6g.xlarge', 2],
  ] as const;
  for (const [id, instanceClass, tier] of instances) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBClusterIdentifier: 'prod-db',
        Engine: 'aurora-postgresql',
        DBInstanceClass: instanceClass,
        PromotionTier: tier,
        DBParameterGroupName: 'prod-instance-pg15',
      }),
    );
  }
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'prod-ledger',
      Engine: 'aurora-mysql',
      MasterUsername: 'admin',
      MasterUserPassword: 'not-a-secret-1',
      BacktrackWindow: 7200,
    }),
  );
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'prod-ledger-1',
      DBClusterIdentifier: 'prod-ledger',
      Engine: 'aurora-mysql',
      DBInstanceClass: 'db.t4g.medium',
    }),
  );
}

const aws = useMotoBehindFaultProxy({ seed: 27, given: (estate) => buildSource(estate.clients(SRC).rds) });

let output: CapturedOutput;

function sourceEvent() {
  return {
    config: {
      Source: {
        Region: SRC,
        ClusterNamePattern: '^prod',
        ShareSnapshots: 'TRUE',
        DestinationRegion: DST,
        LogLevel: 'INFO',
      },
    },
  };
}

async function tagsOf(region: string, snapshotId: string): Promise<Record<string, string>> {
  const found = await aws.estate
    .clients(region)
    .rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshotId }));
  return { ...tagsFromList(found.DBClusterSnapshots?.[0]?.TagList) };
}

beforeEach(() => {
  Object.assign(process.env, aws.env);
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  restoreEnvironment({ ...savedEnv });
});

describe('the shape of a cluster on moto', () => {
  it("is recorded in the tags of the snapshot TakeSnapshotsAurora takes, field by field the source's", async () => {
    // Act
    const result = await take(sourceEvent());

    // Assess
    const prodId = result.taken.find((id) => id.startsWith('prod-db-'));
    expect(prodId).toBeDefined();
    const reading = shapeFromTags(await tagsOf(SRC, prodId ?? ''));
    expect(reading.reason).toBeUndefined();
    const shape = reading.shape;
    expect(shape?.version).toBe(1);
    expect(shape?.clusterId).toBe('prod-db');
    expect(shape?.engine).toBe('aurora-postgresql');
    expect(shape?.engineVersion).toBe('15.4');
    // moto returns no PerformanceInsightsEnabled: test/unit/aws-shape.test.ts reads it from a mocked client.
    expect(shape?.instances).toEqual([
      {
        id: 'prod-db-1',
        instanceClass: 'db.r6g.large',
        writer: true,
        promotionTier: 0,
        parameterGroup: 'prod-instance-pg15',
      },
      {
        id: 'prod-db-2',
        instanceClass: 'db.r6g.large',
        writer: false,
        promotionTier: 1,
        parameterGroup: 'prod-instance-pg15',
      },
      {
        id: 'prod-db-3',
        instanceClass: 'db.r6g.xlarge',
        writer: false,
        promotionTier: 2,
        parameterGroup: 'prod-instance-pg15',
      },
    ]);
    expect(shape?.serverlessV2).toEqual({ min: 0.5, max: 16 });
    expect(shape?.clusterParameterGroup).toBe('prod-cluster-pg15');
    expect(shape?.iamDatabaseAuthentication).toBe(true);
    expect(shape?.logExports).toEqual(['postgresql']);
    expect(shape?.deletionProtection).toBe(true);
    expect(shape?.backtrackWindowSeconds).toBeUndefined();
    expect(shape?.port).toBe(5433);
    expect(shape?.dbSubnetGroup).toBe('default');
    // moto gives a cluster created without security groups none; AWS lists the VPC's default group.
    expect(shape?.vpcSecurityGroupIds).toEqual([]);
    expect(shape?.tags).toEqual({ team: 'payments', 'cost-center': '4711' });
    expect(shape?.tagsOmitted).toBeUndefined();
  });

  it('records the backtrack window of an Aurora MySQL cluster, and nothing of the other cluster', async () => {
    // Act
    const result = await take(sourceEvent());

    // Assess
    const ledgerId = result.taken.find((id) => id.startsWith('prod-ledger-'));
    const shape = shapeFromTags(await tagsOf(SRC, ledgerId ?? '')).shape;
    expect(shape).toMatchObject({
      clusterId: 'prod-ledger',
      engine: 'aurora-mysql',
      backtrackWindowSeconds: 7200,
      iamDatabaseAuthentication: false,
      logExports: [],
      deletionProtection: false,
      tags: {},
    });
    // The instance has the engine's default parameter group, recorded under the name moto gives it.
    expect(shape?.instances).toEqual([
      {
        id: 'prod-ledger-1',
        instanceClass: 'db.t4g.medium',
        writer: true,
        promotionTier: 1,
        parameterGroup: 'default.aurora-mysql5.7.mysql_aurora.2.07',
      },
    ]);
  });

  it('reads the instances of every cluster taken with one DescribeDBInstances, beside the one cluster listing, and tags in the create call', async () => {
    // Act
    const result = await take(sourceEvent());

    // Assess
    expect(result.taken).toHaveLength(2);
    expect(aws.proxy.counts()[`${SRC}:DescribeDBInstances`]).toBe(1);
    expect(aws.proxy.counts()[`${SRC}:DescribeDBClusters`]).toBe(1);
    // The shape is in the create call's Tags: no snapshot exists without it, and no tagging call follows.
    expect(aws.proxy.counts()[`${SRC}:CreateDBClusterSnapshot`]).toBe(2);
    expect(aws.proxy.total('AddTagsToResource')).toBe(0);
  });

  it('travels with the DR copy ShareSnapshotsAurora makes in the destination region', async () => {
    // Prepare
    const result = await take(sourceEvent());
    const prodId = result.taken.find((id) => id.startsWith('prod-db-')) ?? '';

    // Act
    const shared = await share(sourceEvent());

    // Assess
    expect(shared.copied).toContain(prodId);
    const source = await tagsOf(SRC, prodId);
    const copy = await tagsOf(DST, prodId);
    expect(copy[TAG.Purpose]).toBe('dr-copy');
    expect(shapeFromTags(copy)).toEqual(shapeFromTags(source));
    expect(shapeFromTags(copy).shape?.clusterId).toBe('prod-db');
  });
});
