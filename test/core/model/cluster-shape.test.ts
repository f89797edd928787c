// A cluster's shape from its listing (DescribeDBClusters) and its instances (DescribeDBInstances).
import { describe, expect, it } from 'vitest';
import { type InstanceSettings, shapeOf } from '../../../src/core/model/cluster-shape.js';
import type { ClusterInfo } from '../../../src/core/model/model.js';

const CLUSTER: ClusterInfo = {
  id: 'prod-db',
  arn: 'arn:aws:rds:us-east-1:111111111111:cluster:prod-db',
  engine: 'aurora-postgresql',
  status: 'available',
  encrypted: true,
  kmsKeyId: 'key-1',
  tags: { team: 'payments' },
  settings: {
    engineVersion: '15.4',
    members: [
      { id: 'prod-db-2', writer: false, promotionTier: 1 },
      { id: 'prod-db-1', writer: true, promotionTier: 0 },
    ],
    serverlessV2: { min: 0.5, max: 8 },
    clusterParameterGroup: 'prod-cluster-pg',
    iamDatabaseAuthentication: true,
    logExports: ['postgresql'],
    deletionProtection: true,
    port: 5432,
    dbSubnetGroup: 'prod-subnets',
    vpcSecurityGroupIds: ['sg-1'],
  },
};

const INSTANCES: InstanceSettings[] = [
  {
    id: 'prod-db-1',
    clusterId: 'prod-db',
    instanceClass: 'db.r6g.large',
    promotionTier: 0,
    parameterGroup: 'prod-pg',
    performanceInsights: true,
  },
  { id: 'prod-db-2', clusterId: 'prod-db', instanceClass: 'db.r6g.xlarge', parameterGroup: 'prod-pg' },
  { id: 'other-1', clusterId: 'other-db', instanceClass: 'db.t4g.medium' },
];

describe('shapeOf', () => {
  it("joins the cluster's settings and tags with its instances, the writer first", () => {
    // Act
    const shape = shapeOf(CLUSTER, INSTANCES);

    // Assess
    expect(shape).toStrictEqual({
      version: 1,
      clusterId: 'prod-db',
      engine: 'aurora-postgresql',
      engineVersion: '15.4',
      instances: [
        {
          id: 'prod-db-1',
          instanceClass: 'db.r6g.large',
          writer: true,
          promotionTier: 0,
          parameterGroup: 'prod-pg',
          performanceInsights: true,
        },
        {
          id: 'prod-db-2',
          instanceClass: 'db.r6g.xlarge',
          writer: false,
          promotionTier: 1,
          parameterGroup: 'prod-pg',
        },
      ],
      serverlessV2: { min: 0.5, max: 8 },
      clusterParameterGroup: 'prod-cluster-pg',
      iamDatabaseAuthentication: true,
      logExports: ['postgresql'],
      deletionProtection: true,
      port: 5432,
      dbSubnetGroup: 'prod-subnets',
      vpcSecurityGroupIds: ['sg-1'],
      tags: { team: 'payments' },
    });
  });

  it('leaves out a member whose instance was not listed, and an instance the cluster does not list', () => {
    // Prepare: prod-db-2 is gone between the two calls; prod-db-9 is new.
    const instances = [
      INSTANCES[0] as InstanceSettings,
      { id: 'prod-db-9', clusterId: 'prod-db', instanceClass: 'db.r6g.large' },
    ];

    // Act
    const shape = shapeOf(CLUSTER, instances);

    // Assess
    expect(shape?.instances.map((i) => i.id)).toEqual(['prod-db-1']);
  });

  it('does not attribute an instance listed under another cluster to a member that has the same identifier', () => {
    // Prepare: DescribeDBInstances says prod-db-2 belongs to other-db (it moved between the two calls).
    const instances = [
      INSTANCES[0] as InstanceSettings,
      { id: 'prod-db-2', clusterId: 'other-db', instanceClass: 'db.t4g.medium' },
    ];

    // Act
    const shape = shapeOf(CLUSTER, instances);

    // Assess
    expect(shape?.instances.map((i) => [i.id, i.instanceClass])).toEqual([['prod-db-1', 'db.r6g.large']]);
  });

  it('records no promotion tier, not even an undefined one, when neither the cluster nor the instance gives it', () => {
    // Prepare
    const cluster: ClusterInfo = {
      ...CLUSTER,
      settings: {
        ...(CLUSTER.settings as NonNullable<ClusterInfo['settings']>),
        members: [{ id: 'prod-db-2', writer: false }],
      },
    };

    // Act
    const shape = shapeOf(cluster, INSTANCES);

    // Assess
    expect(shape?.instances).toStrictEqual([
      { id: 'prod-db-2', instanceClass: 'db.r6g.xlarge', writer: false, parameterGroup: 'prod-pg' },
    ]);
  });

  it("takes the instance's promotion tier when the cluster does not give it, and omits what neither gives", () => {
    // Prepare
    const cluster: ClusterInfo = {
      ...CLUSTER,
      tags: undefined,
      settings: {
        engineVersion: '15.4',
        members: [{ id: 'prod-db-1', writer: true }],
        iamDatabaseAuthentication: false,
        logExports: [],
        deletionProtection: false,
      },
    };

    // Act
    const shape = shapeOf(cluster, [
      { id: 'prod-db-1', clusterId: 'prod-db', instanceClass: 'db.serverless', promotionTier: 3 },
    ]);

    // Assess
    expect(shape).toStrictEqual({
      version: 1,
      clusterId: 'prod-db',
      engine: 'aurora-postgresql',
      engineVersion: '15.4',
      instances: [{ id: 'prod-db-1', instanceClass: 'db.serverless', writer: true, promotionTier: 3 }],
      iamDatabaseAuthentication: false,
      logExports: [],
      deletionProtection: false,
      tags: {},
    });
  });

  it('is undefined for a cluster listed without its settings', () => {
    // Act
    const shape = shapeOf({ ...CLUSTER, settings: undefined }, INSTANCES);

    // Assess
    expect(shape).toBeUndefined();
  });
});
