/** The tool's view of Aurora clusters and cluster snapshots, independent of the AWS SDK. */

export type Tags = Readonly<Record<string, string>>;

/** One member of a cluster as DescribeDBClusters lists it (DBClusterMembers). */
export interface ClusterMember {
  readonly id: string;
  readonly writer: boolean;
  readonly promotionTier?: number | undefined;
}

/** What DescribeDBClusters tells of a cluster's shape: all of it but its instances' own settings. */
export interface ClusterSettings {
  readonly engineVersion: string;
  readonly members: readonly ClusterMember[];
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
  /** Network of the cluster, by name and id (a restore uses them as-is only where they exist in its region). */
  readonly dbSubnetGroup?: string | undefined;
  readonly vpcSecurityGroupIds?: readonly string[] | undefined;
}

export interface ClusterInfo {
  readonly id: string;
  readonly arn: string;
  readonly engine: string;
  readonly status: string;
  readonly encrypted: boolean;
  readonly kmsKeyId: string | undefined;
  /** The cluster's tags (DescribeDBClusters' TagList). */
  readonly tags?: Tags | undefined;
  /** What the listing tells of the cluster's shape (the snapshot records it); absent where a store does not say. */
  readonly settings?: ClusterSettings | undefined;
}

/** Snapshot types as DescribeDBClusterSnapshots reports them. */
export type SnapshotType = 'manual' | 'automated' | 'shared' | 'public' | 'awsbackup' | (string & {});

export interface SnapshotInfo {
  /** DBClusterSnapshotIdentifier (for a snapshot shared from another account, RDS reports its ARN here). */
  readonly id: string;
  readonly arn: string;
  readonly clusterId: string;
  readonly region: string;
  /** Account that owns the snapshot (from its ARN). */
  readonly accountId: string;
  readonly type: SnapshotType;
  /** `creating`, `copying`, `available`, `failed`, `deleting`... */
  readonly status: string;
  readonly createTime: Date | undefined;
  readonly encrypted: boolean;
  readonly kmsKeyId: string | undefined;
  readonly percentProgress?: number | undefined;
  /** AllocatedStorage in GiB, as RDS reports it: sizes the wait for a copy that shows no progress yet. */
  readonly allocatedStorageGiB?: number | undefined;
  /** Engine and version of the data (a restore recreates them). */
  readonly engine?: string | undefined;
  readonly engineVersion?: string | undefined;
  /** Port and IAM database authentication of the snapshotted cluster (what a restore without its shape keeps). */
  readonly port?: number | undefined;
  readonly iamDatabaseAuthentication?: boolean | undefined;
  /** For a copy, the snapshot it was copied from (SourceDBClusterSnapshotArn). */
  readonly sourceArn?: string | undefined;
  /** Its tags: AWS returns them only to the owning account (none for a snapshot another account shared). */
  readonly tags: Tags;
}

/** A snapshot named across regions and accounts. */
export interface SnapshotRef {
  readonly region: string;
  readonly id: string;
  readonly arn?: string | undefined;
}

export function tagsFromList(
  list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
): Tags {
  const tags: Record<string, string> = {};
  if (list === undefined) return tags;
  for (const tag of list) {
    if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  }
  return tags;
}

export function tagsToList(tags: Tags): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
