/**
 * Cluster shapes for restore tests, and a provisional carrier of a shape in a snapshot's tags: one tag
 * holding the shape as JSON. Merge point: once the shape codec (`shapeFromTags` in src/core/model/) is
 * merged, `shapeTags` becomes its encoder and `decodeShapeTag` gives way to `shapeFromTags`.
 */
import type { ClusterShape } from '../../src/core/model/cluster-shape.js';
import type { Tags } from '../../src/core/model/model.js';
import type { ShapeDecoder } from '../../src/core/restore/index.js';

const SHAPE_TAG = 'SnapshotToolTest:Shape';

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

/** The shape as the provisional tag carries it. */
export function shapeTags(shape: ClusterShape): Tags {
  return { [SHAPE_TAG]: JSON.stringify(shape) };
}

/** Reads what shapeTags wrote (the restore command's decoder in tests until the codec is merged). */
export const decodeShapeTag: ShapeDecoder = (tags) => {
  const value = tags[SHAPE_TAG];
  if (value === undefined) return { shape: undefined, reason: 'the copy carries no shape tags' };
  return { shape: JSON.parse(value) as ClusterShape };
};
