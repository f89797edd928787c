/**
 * The shape of a cluster that its snapshot does not carry: what a restore needs to bring back a cluster like
 * the one that was lost (its instances, capacity, parameter groups, authentication, log exports, protection,
 * tags). Recorded when the snapshot is taken, it travels with every copy of it.
 */
import type { ClusterInfo, ClusterSettings, Tags } from './model.js';

/** One instance of the cluster, as the restore recreates it. */
export interface InstanceShape {
  /** The source instance's identifier (a restore names its own instances after it). */
  readonly id: string;
  /** `db.r6g.large`, or `db.serverless` for a Serverless v2 instance. */
  readonly instanceClass: string;
  /** True for the cluster's writer. */
  readonly writer: boolean;
  /** Failover priority, 0 (first) to 15. */
  readonly promotionTier?: number | undefined;
  /** The instance's DB parameter group, by name (a restore maps it into the recovery region). */
  readonly parameterGroup?: string | undefined;
  readonly performanceInsights?: boolean | undefined;
}

/** The cluster's listed settings (all but its members, which become `instances`), and the rest of its shape. */
export interface ClusterShape extends Omit<ClusterSettings, 'members'> {
  /** Layout of this record: a later version of the tool still reads version 1. */
  readonly version: 1;
  readonly clusterId: string;
  readonly engine: string;
  readonly instances: readonly InstanceShape[];
  /** The cluster's own tags (not the tool's). */
  readonly tags: Tags;
  /**
   * True when the cluster's tags were left out so the rest of the shape fits in the snapshot's tags
   * (`tags` is then empty): a restore says so rather than restoring a cluster without them in silence.
   */
  readonly tagsOmitted?: boolean | undefined;
}

/** One instance of a cluster as DescribeDBInstances tells it. */
export interface InstanceSettings {
  readonly id: string;
  readonly clusterId: string;
  readonly instanceClass: string;
  readonly promotionTier?: number | undefined;
  readonly parameterGroup?: string | undefined;
  readonly performanceInsights?: boolean | undefined;
}

/**
 * The shape of a cluster from its listing and its instances; undefined when the listing did not carry the
 * cluster's settings. Members come from the cluster (which one is the writer); an instance listed by
 * DescribeDBInstances that the cluster does not list, or a member DescribeDBInstances did not return (one
 * being created or deleted between the two calls), is left out. Instances are in the cluster's order, the
 * writer first.
 */
export function shapeOf(
  cluster: ClusterInfo,
  instances: readonly InstanceSettings[],
): ClusterShape | undefined {
  const settings = cluster.settings;
  if (settings === undefined) return undefined;
  const byId = new Map(instances.filter((i) => i.clusterId === cluster.id).map((i) => [i.id, i]));
  const members = [...settings.members].sort((a, b) => Number(b.writer) - Number(a.writer));
  const shapes: InstanceShape[] = [];
  for (const member of members) {
    const instance = byId.get(member.id);
    if (instance === undefined) continue;
    const promotionTier = member.promotionTier ?? instance.promotionTier;
    shapes.push({
      id: member.id,
      instanceClass: instance.instanceClass,
      writer: member.writer,
      ...(promotionTier === undefined ? {} : { promotionTier }),
      ...(instance.parameterGroup === undefined ? {} : { parameterGroup: instance.parameterGroup }),
      ...(instance.performanceInsights === undefined
        ? {}
        : { performanceInsights: instance.performanceInsights }),
    });
  }
  return {
    version: 1,
    clusterId: cluster.id,
    engine: cluster.engine,
    engineVersion: settings.engineVersion,
    instances: shapes,
    ...(settings.serverlessV2 === undefined ? {} : { serverlessV2: { ...settings.serverlessV2 } }),
    ...(settings.clusterParameterGroup === undefined
      ? {}
      : { clusterParameterGroup: settings.clusterParameterGroup }),
    iamDatabaseAuthentication: settings.iamDatabaseAuthentication,
    logExports: [...settings.logExports],
    deletionProtection: settings.deletionProtection,
    ...(settings.backtrackWindowSeconds === undefined
      ? {}
      : { backtrackWindowSeconds: settings.backtrackWindowSeconds }),
    ...(settings.port === undefined ? {} : { port: settings.port }),
    ...(settings.dbSubnetGroup === undefined ? {} : { dbSubnetGroup: settings.dbSubnetGroup }),
    ...(settings.vpcSecurityGroupIds === undefined
      ? {}
      : { vpcSecurityGroupIds: [...settings.vpcSecurityGroupIds] }),
    tags: { ...(cluster.tags ?? {}) },
  };
}
