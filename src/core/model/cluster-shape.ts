/**
 * The shape of a cluster that its snapshot does not carry: what a restore needs to bring back a cluster like
 * the one that was lost (its instances, capacity, parameter groups, authentication, log exports, protection,
 * tags). Recorded when the snapshot is taken, it travels with every copy of it.
 */
import type { Tags } from './model.js';

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

export interface ClusterShape {
  /** Layout of this record: a later version of the tool still reads version 1. */
  readonly version: 1;
  readonly clusterId: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly instances: readonly InstanceShape[];
  /** Serverless v2 capacity in ACUs, when the cluster has it. */
  readonly serverlessV2?: { readonly min: number; readonly max: number } | undefined;
  /** The cluster's DB cluster parameter group, by name. */
  readonly clusterParameterGroup?: string | undefined;
  readonly iamDatabaseAuthentication: boolean;
  /** CloudWatch Logs exports (`postgresql`, ...). */
  readonly logExports: readonly string[];
  readonly deletionProtection: boolean;
  /** Backtrack window in seconds, where set (Aurora MySQL only; absent for PostgreSQL). */
  readonly backtrackWindowSeconds?: number | undefined;
  readonly port?: number | undefined;
  /** Network of the source, by name and id: used as-is only where they exist in the recovery region. */
  readonly dbSubnetGroup?: string | undefined;
  readonly vpcSecurityGroupIds?: readonly string[] | undefined;
  /** The cluster's own tags (not the tool's). */
  readonly tags: Tags;
}
