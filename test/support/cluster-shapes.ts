/** Cluster shapes for restore tests, and the tags that record one on a snapshot (the tool's own codec). */
import {
  CreateDBClusterCommand,
  type CreateDBClusterCommandInput,
  CreateDBInstanceCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { ClusterShape } from '../../src/core/model/cluster-shape.js';
import { shapeToTags } from '../../src/core/model/cluster-shape-tags.js';
import type { Tags } from '../../src/core/model/model.js';
import { createParameterGroups } from './recovery-region.js';

/** A production cluster: three instances of two classes, its own parameter groups, log exports, IAM auth. */
export function prodShape(fields: Partial<ClusterShape> = {}): ClusterShape {
  return {
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
        parameterGroup: 'prod-instance-params',
        performanceInsights: true,
      },
      {
        id: 'prod-db-2',
        instanceClass: 'db.r6g.xlarge',
        writer: false,
        promotionTier: 1,
        parameterGroup: 'prod-instance-params',
        performanceInsights: false,
      },
      {
        id: 'prod-db-3',
        instanceClass: 'db.r6g.xlarge',
        writer: false,
        promotionTier: 2,
        parameterGroup: 'prod-instance-params',
        performanceInsights: false,
      },
    ],
    clusterParameterGroup: 'prod-cluster-params',
    iamDatabaseAuthentication: true,
    logExports: ['postgresql'],
    deletionProtection: true,
    port: 5433,
    dbSubnetGroup: 'prod-subnets',
    vpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    tags: { team: 'payments', env: 'prod' },
    ...fields,
  };
}

/** The tags TakeSnapshotsAurora writes for `shape` (SnapshotTool:Shape and its parts). */
export function shapeTags(shape: ClusterShape): Tags {
  const encoded = shapeToTags(shape);
  if (!encoded.ok) throw new Error(encoded.reason);
  return encoded.tags;
}

/**
 * The production cluster of the restore tests, made in `rds`'s account and region: `prod-db` with three
 * instances (db.r6g.large, then two db.r6g.xlarge, failover tiers 0 to 2), its parameter groups
 * `prod-cluster-params` and `prod-instance-params`, IAM authentication, PostgreSQL log exports and port 5433;
 * `cluster` adds to or changes the cluster's request.
 */
export async function createProductionCluster(
  rds: RDSClient,
  cluster: Partial<CreateDBClusterCommandInput> = {},
): Promise<void> {
  await createParameterGroups(rds, { cluster: 'prod-cluster-params', instance: 'prod-instance-params' });
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      EngineVersion: '15.4',
      MasterUsername: 'postgres',
      MasterUserPassword: 'not-a-secret-1',
      DBClusterParameterGroupName: 'prod-cluster-params',
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      Port: 5433,
      ...cluster,
    }),
  );
  for (const [index, instanceClass] of ['db.r6g.large', 'db.r6g.xlarge', 'db.r6g.xlarge'].entries()) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: `prod-db-${index + 1}`,
        DBClusterIdentifier: 'prod-db',
        DBInstanceClass: instanceClass,
        Engine: 'aurora-postgresql',
        DBParameterGroupName: 'prod-instance-params',
        PromotionTier: index,
      }),
    );
  }
}
