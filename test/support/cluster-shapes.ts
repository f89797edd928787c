/** Cluster shapes for restore tests, and the tags that record one on a snapshot (the tool's own codec). */
import type { ClusterShape } from '../../src/core/model/cluster-shape.js';
import { shapeToTags } from '../../src/core/model/cluster-shape-tags.js';
import type { Tags } from '../../src/core/model/model.js';

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
