/** Maps RDS API shapes to the core's model (ClusterInfo, SnapshotInfo) and reads RDS ARNs. */
import type { DBCluster, DBClusterSnapshot, DBInstance } from '@aws-sdk/client-rds';
import type { InstanceSettings } from '../core/model/cluster-shape.js';
import {
  type ClusterInfo,
  type ClusterSettings,
  type SnapshotInfo,
  tagsFromList,
} from '../core/model/model.js';

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** e.g. `cluster-snapshot`, `cluster`, `key`. */
  readonly resourceType: string;
  /** The name after the type; automated snapshots keep their `rds:` prefix. */
  readonly resource: string;
}

/** Reads `arn:partition:service:region:account:type:name` and `arn:...:type/name`; undefined otherwise. */
export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const rest = parts.slice(5).join(':');
  const separator = rest.search(/[:/]/);
  const resourceType = separator < 0 ? rest : rest.slice(0, separator);
  const resource = separator < 0 ? '' : rest.slice(separator + 1);
  return { partition, service, region, accountId, resourceType, resource };
}

export function isArn(value: string): boolean {
  return value.startsWith('arn:');
}

export function toSnapshotInfo(snapshot: DBClusterSnapshot, fallbackRegion: string): SnapshotInfo {
  const arn = snapshot.DBClusterSnapshotArn ?? '';
  const parsed = parseArn(arn);
  return {
    id: snapshot.DBClusterSnapshotIdentifier ?? parsed?.resource ?? '',
    arn,
    clusterId: snapshot.DBClusterIdentifier ?? '',
    region: parsed?.region || fallbackRegion,
    accountId: parsed?.accountId ?? '',
    type: snapshot.SnapshotType ?? 'manual',
    status: snapshot.Status ?? 'unknown',
    createTime: snapshot.SnapshotCreateTime,
    encrypted: snapshot.StorageEncrypted ?? false,
    kmsKeyId: snapshot.KmsKeyId,
    percentProgress: snapshot.PercentProgress,
    ...(snapshot.AllocatedStorage !== undefined ? { allocatedStorageGiB: snapshot.AllocatedStorage } : {}),
    engine: snapshot.Engine,
    engineVersion: snapshot.EngineVersion,
    ...(snapshot.Port !== undefined ? { port: snapshot.Port } : {}),
    ...(snapshot.IAMDatabaseAuthenticationEnabled !== undefined
      ? { iamDatabaseAuthentication: snapshot.IAMDatabaseAuthenticationEnabled }
      : {}),
    ...(snapshot.SourceDBClusterSnapshotArn ? { sourceArn: snapshot.SourceDBClusterSnapshotArn } : {}),
    tags: tagsFromList(snapshot.TagList),
  };
}

export function toClusterInfo(cluster: DBCluster): ClusterInfo {
  return {
    id: cluster.DBClusterIdentifier ?? '',
    arn: cluster.DBClusterArn ?? '',
    engine: cluster.Engine ?? '',
    status: cluster.Status ?? 'unknown',
    encrypted: cluster.StorageEncrypted ?? false,
    kmsKeyId: cluster.KmsKeyId,
    tags: tagsFromList(cluster.TagList),
    settings: clusterSettingsOf(cluster),
  };
}

/** What DescribeDBClusters tells of a cluster's shape (the snapshot the tool takes records it). */
export function clusterSettingsOf(cluster: DBCluster): ClusterSettings {
  const scaling = cluster.ServerlessV2ScalingConfiguration;
  const min = scaling?.MinCapacity;
  const max = scaling?.MaxCapacity;
  // RDS reports BacktrackWindow 0 (or nothing) where backtracking is off.
  const backtrack = cluster.BacktrackWindow;
  return {
    engineVersion: cluster.EngineVersion ?? '',
    members: (cluster.DBClusterMembers ?? []).map((member) => ({
      id: member.DBInstanceIdentifier ?? '',
      writer: member.IsClusterWriter ?? false,
      ...(member.PromotionTier === undefined ? {} : { promotionTier: member.PromotionTier }),
    })),
    ...(min !== undefined && max !== undefined ? { serverlessV2: { min, max } } : {}),
    ...(cluster.DBClusterParameterGroup ? { clusterParameterGroup: cluster.DBClusterParameterGroup } : {}),
    iamDatabaseAuthentication: cluster.IAMDatabaseAuthenticationEnabled ?? false,
    logExports: [...(cluster.EnabledCloudwatchLogsExports ?? [])],
    deletionProtection: cluster.DeletionProtection ?? false,
    ...(backtrack ? { backtrackWindowSeconds: backtrack } : {}),
    ...(cluster.Port === undefined ? {} : { port: cluster.Port }),
    ...(cluster.DBSubnetGroup ? { dbSubnetGroup: cluster.DBSubnetGroup } : {}),
    ...(cluster.VpcSecurityGroups === undefined
      ? {}
      : {
          vpcSecurityGroupIds: cluster.VpcSecurityGroups.flatMap((group) =>
            group.VpcSecurityGroupId ? [group.VpcSecurityGroupId] : [],
          ),
        }),
  };
}

/** One instance of a cluster, as DescribeDBInstances tells it; undefined for one outside a cluster. */
export function toInstanceSettings(instance: DBInstance): InstanceSettings | undefined {
  if (!instance.DBClusterIdentifier || !instance.DBInstanceIdentifier) return undefined;
  const parameterGroup = instance.DBParameterGroups?.[0]?.DBParameterGroupName;
  return {
    id: instance.DBInstanceIdentifier,
    clusterId: instance.DBClusterIdentifier,
    instanceClass: instance.DBInstanceClass ?? '',
    ...(instance.PromotionTier === undefined ? {} : { promotionTier: instance.PromotionTier }),
    ...(parameterGroup ? { parameterGroup } : {}),
    ...(instance.PerformanceInsightsEnabled === undefined
      ? {}
      : { performanceInsights: instance.PerformanceInsightsEnabled }),
  };
}

/**
 * DescribeDBClusters also returns Neptune, DocumentDB and Multi-AZ (non-Aurora) clusters; only Aurora
 * engines (`aurora`, `aurora-mysql`, `aurora-postgresql`) are this tool's.
 */
export function isAuroraCluster(cluster: DBCluster): boolean {
  return (cluster.Engine ?? '').startsWith('aurora');
}
