// What moto cannot show of a cluster's shape, with aws-sdk-client-mock: PerformanceInsightsEnabled (moto does not return it), pages of instances, more than 100 clusters, and a role without rds:DescribeDBInstances (moto authorizes every call).
import {
  CreateDBClusterSnapshotCommand,
  type DBCluster,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createSnapshotStore, type RdsSnapshotStore } from '../../src/aws/index.js';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { shapeFromTags } from '../../src/core/model/cluster-shape-tags.js';
import { isToolError } from '../../src/core/model/errors.js';
import { tagsFromList } from '../../src/core/model/model.js';
import { runSourcePass } from '../../src/core/plan/pass.js';
import { rejection } from '../support/rejection.js';

const REGION = 'us-east-1';
const ACCOUNT = '111111111111';
const NOW = new Date('2026-04-01T01:00:00Z');

function newStore(): RdsSnapshotStore {
  // Own credentials: fresh clients, not the shared ones, so mocks never leak between tests.
  return createSnapshotStore({
    region: REGION,
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
    maxAttempts: 1,
  });
}

const CLUSTER: DBCluster = {
  DBClusterIdentifier: 'prod-db',
  DBClusterArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:prod-db`,
  Engine: 'aurora-mysql',
  EngineVersion: '8.0.mysql_aurora.3.05.2',
  Status: 'available',
  StorageEncrypted: false,
  DBClusterMembers: [
    { DBInstanceIdentifier: 'prod-db-2', IsClusterWriter: false, PromotionTier: 15 },
    { DBInstanceIdentifier: 'prod-db-1', IsClusterWriter: true, PromotionTier: 0 },
  ],
  ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 64 },
  DBClusterParameterGroup: 'ledger-cluster',
  IAMDatabaseAuthenticationEnabled: false,
  EnabledCloudwatchLogsExports: ['audit', 'error'],
  DeletionProtection: false,
  BacktrackWindow: 86_400,
  Port: 3306,
  DBSubnetGroup: 'private',
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0a', Status: 'active' }, { VpcSecurityGroupId: 'sg-0b' }],
  TagList: [{ Key: 'team', Value: 'ledger' }],
};

/** What CreateDBClusterSnapshot answers. */
function created(id: string | undefined) {
  return {
    DBClusterSnapshot: {
      DBClusterSnapshotIdentifier: id,
      DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:${id}`,
      DBClusterIdentifier: 'prod-db',
      Status: 'creating',
    },
  };
}

function config(): SourceConfig {
  return parseConfig({ Source: { Region: REGION, ClusterNamePattern: 'prod' } }).Source as SourceConfig;
}

describe('the shape of a cluster from RDS', () => {
  it('reads PerformanceInsightsEnabled, BacktrackWindow, Serverless v2 capacity and promotion tiers into the snapshot', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.sts).on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    const rds = mockClient(store.clients.rds);
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [CLUSTER] });
    rds.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'prod-db-1',
          DBClusterIdentifier: 'prod-db',
          DBInstanceClass: 'db.serverless',
          DBParameterGroups: [{ DBParameterGroupName: 'ledger-instance' }],
          PerformanceInsightsEnabled: true,
          PromotionTier: 0,
        },
        {
          DBInstanceIdentifier: 'prod-db-2',
          DBClusterIdentifier: 'prod-db',
          DBInstanceClass: 'db.serverless',
          DBParameterGroups: [{ DBParameterGroupName: 'ledger-instance' }],
          PerformanceInsightsEnabled: false,
          PromotionTier: 15,
        },
      ],
    });
    rds.on(CreateDBClusterSnapshotCommand).callsFake((input) => created(input.DBClusterSnapshotIdentifier));

    // Act
    const report = await runSourcePass({ source: store }, config(), { now: () => NOW }, ['take']);

    // Assess
    const create = rds.commandCalls(CreateDBClusterSnapshotCommand)[0]?.args[0].input;
    expect(report.failed).toEqual([]);
    expect(report.plan.notes.filter((n) => n.code.startsWith('shape'))).toEqual([]);
    expect(shapeFromTags(tagsFromList(create?.Tags)).shape).toStrictEqual({
      version: 1,
      clusterId: 'prod-db',
      engine: 'aurora-mysql',
      engineVersion: '8.0.mysql_aurora.3.05.2',
      instances: [
        {
          id: 'prod-db-1',
          instanceClass: 'db.serverless',
          writer: true,
          promotionTier: 0,
          parameterGroup: 'ledger-instance',
          performanceInsights: true,
        },
        {
          id: 'prod-db-2',
          instanceClass: 'db.serverless',
          writer: false,
          promotionTier: 15,
          parameterGroup: 'ledger-instance',
          performanceInsights: false,
        },
      ],
      serverlessV2: { min: 0, max: 64 },
      clusterParameterGroup: 'ledger-cluster',
      iamDatabaseAuthentication: false,
      logExports: ['audit', 'error'],
      deletionProtection: false,
      backtrackWindowSeconds: 86_400,
      port: 3306,
      dbSubnetGroup: 'private',
      vpcSecurityGroupIds: ['sg-0a', 'sg-0b'],
      tags: { team: 'ledger' },
    });
  });

  it('still takes the snapshot, without a shape and with a warning naming the permission, when DescribeDBInstances is denied', async () => {
    // Prepare: a stack upgraded from a release whose role lacks rds:DescribeDBInstances.
    const store = newStore();
    mockClient(store.clients.sts).on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    const rds = mockClient(store.clients.rds);
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [CLUSTER] });
    rds.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
    rds.on(DescribeDBInstancesCommand).rejects(
      new RDSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'User is not authorized to perform: rds:DescribeDBInstances',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    rds.on(CreateDBClusterSnapshotCommand).callsFake((input) => created(input.DBClusterSnapshotIdentifier));

    // Act
    const report = await runSourcePass({ source: store }, config(), { now: () => NOW }, ['take']);

    // Assess
    expect(report.failed).toEqual([]);
    const create = rds.commandCalls(CreateDBClusterSnapshotCommand);
    expect(create).toHaveLength(1);
    expect(shapeFromTags(tagsFromList(create[0]?.args[0].input.Tags)).code).toBe('absent');
    expect(report.plan.notes).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        code: 'shape-unreadable',
        clusterId: 'prod-db',
        message: expect.stringContaining('rds:DescribeDBInstances'),
      }),
    );
  });

  it('lists the instances of the given clusters by db-cluster-id, following the Marker', async () => {
    // Prepare
    const store = newStore();
    const rds = mockClient(store.clients.rds);
    const inputs: unknown[] = [];
    const pages = [
      {
        DBInstances: [
          { DBInstanceIdentifier: 'a-1', DBClusterIdentifier: 'a', DBInstanceClass: 'db.r6g.large' },
        ],
        Marker: 'next',
      },
      {
        DBInstances: [
          { DBInstanceIdentifier: 'b-1', DBClusterIdentifier: 'b', DBInstanceClass: 'db.r6g.large' },
          // An instance outside any cluster is not a cluster's.
          { DBInstanceIdentifier: 'lonely', DBInstanceClass: 'db.t3.micro' },
        ],
      },
    ];
    rds.on(DescribeDBInstancesCommand).callsFake((input) => {
      inputs.push(structuredClone(input));
      return pages.shift();
    });

    // Act
    const instances = await store.listInstances(['a', 'b']);

    // Assess
    expect(instances.map((i) => `${i.clusterId}/${i.id}`)).toEqual(['a/a-1', 'b/b-1']);
    expect(inputs).toEqual([
      { Filters: [{ Name: 'db-cluster-id', Values: ['a', 'b'] }], MaxRecords: 100 },
      { Filters: [{ Name: 'db-cluster-id', Values: ['a', 'b'] }], MaxRecords: 100, Marker: 'next' },
    ]);
  });

  it('asks for at most 100 clusters a call, and makes no call for none', async () => {
    // Prepare
    const store = newStore();
    const rds = mockClient(store.clients.rds);
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    const ids = Array.from({ length: 150 }, (_, n) => `cluster-${n}`);

    // Act
    await store.listInstances([]);
    const none = rds.commandCalls(DescribeDBInstancesCommand).length;
    await store.listInstances(ids);

    // Assess
    expect(none).toBe(0);
    const values = rds
      .commandCalls(DescribeDBInstancesCommand)
      .map((c) => c.args[0].input.Filters?.[0]?.Values);
    expect(values).toEqual([ids.slice(0, 100), ids.slice(100)]);
  });

  it('names a denied listing AccessDenied with the action to grant', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rds)
      .on(DescribeDBInstancesCommand)
      .rejects(
        new RDSServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          message: 'not authorized',
          $metadata: { httpStatusCode: 403 },
        }),
      );

    // Act
    const error = await rejection(store.listInstances(['prod-db']));

    // Assess
    expect(isToolError(error, 'AccessDenied')).toBe(true);
    expect((error as Error).message).toContain('rds:DescribeDBInstances');
  });
});
