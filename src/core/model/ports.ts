/**
 * The narrow ports through which the core reaches AWS: only the calls the engine makes.
 * `src/aws/` implements them over SDK v3; tests may implement them in memory.
 */

import type { DrillResource } from '../drill/drill-cleanup.js';
import type { InstanceSettings } from './cluster-shape.js';
import type { ClusterInfo, SnapshotInfo, Tags } from './model.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** One region of one account. */
export interface SnapshotStore {
  readonly region: string;
  /** The account this store acts as (STS GetCallerIdentity, cached). */
  accountId(): Promise<string>;
  /**
   * Aurora clusters of the region (paginated), with their TagList; `allEngines` also returns the other
   * engines DescribeDBClusters lists (DocumentDB, Neptune, Multi-AZ), so the planner can say it left them out.
   */
  listClusters(options?: { readonly allEngines?: boolean }): Promise<ClusterInfo[]>;
  /**
   * The instances of these clusters (DescribeDBInstances filtered by `db-cluster-id`: one call for the clusters
   * of a pass, rather than one per cluster); with the clusters' listing, their shape.
   */
  listInstances(clusterIds: readonly string[]): Promise<InstanceSettings[]>;
  /**
   * Cluster snapshots of the region with their TagList, one DescribeDBClusterSnapshots page per
   * 100 snapshots and no per-snapshot tag calls. `manual` lists the account's own manual snapshots,
   * `shared` the ones other accounts shared with it.
   */
  listSnapshots(type: 'manual' | 'shared'): Promise<SnapshotInfo[]>;
  /** One snapshot by identifier or ARN, undefined when it does not exist. */
  getSnapshot(idOrArn: string): Promise<SnapshotInfo | undefined>;
  createSnapshot(input: { clusterId: string; snapshotId: string; tags: Tags }): Promise<SnapshotInfo>;
  /** Copies into this store's region; for a cross-region copy pass the source ARN and its region. */
  copySnapshot(input: {
    sourceArn: string;
    sourceRegion: string;
    targetId: string;
    kmsKeyId?: string | undefined;
    tags: Tags;
  }): Promise<SnapshotInfo>;
  shareSnapshot(input: { snapshotId: string; accountId: string }): Promise<void>;
  addTags(arn: string, tags: Tags): Promise<void>;
  deleteSnapshot(snapshotId: string): Promise<void>;
  /** The account's quota of manual cluster snapshots in this region (100 unless raised). */
  manualSnapshotQuota(): Promise<number>;
  /** True when the key is the AWS-managed `aws/rds` key (such snapshots cannot be shared). */
  isAwsManagedKey(kmsKeyId: string): Promise<boolean>;
  /**
   * The key ARN of a key of this account named otherwise (an alias name `alias/<name>`, an alias ARN, a key
   * id), in this store's region (KMS DescribeKey); undefined when no such alias or key exists there. The
   * edges resolve the configured keys with it before a pass (src/aws/configured-keys.ts), so the core itself
   * never calls it and sees key ARNs only, as snapshots name their keys. Optional, so that stores written
   * before it keep working: without it, a key named otherwise is passed to RDS as named (RDS accepts aliases).
   */
  keyArnOf?(kmsKeyId: string): Promise<string | undefined>;
}

/**
 * Where the shape of a snapshot shared with another account goes, since that account cannot read its tags
 * (shape-carrier.ts): the source side delivers it, the vault collects it.
 */
export interface ShapeCarrier {
  /**
   * Leaves the shape tags of this account's snapshot `snapshotId`, shared with `vaultAccount`, in that
   * account's shapes bucket of `region` (and nowhere else: the bucket must be owned by `vaultAccount`).
   */
  deliver(input: {
    readonly region: string;
    readonly vaultAccount: string;
    readonly sourceAccount: string;
    readonly snapshotId: string;
    readonly shapeTags: Tags;
  }): Promise<void>;
  /**
   * What `sourceAccount` left for its snapshot `snapshotId` in this account's own shapes bucket of `region`;
   * undefined when there is nothing.
   */
  collect(input: {
    readonly region: string;
    readonly sourceAccount: string;
    readonly snapshotId: string;
  }): Promise<string | undefined>;
}

export interface OrderableQuery {
  readonly engine: string;
  readonly engineVersion: string;
  readonly instanceClass?: string | undefined;
}

export interface DrillStatus {
  /** Undefined when the cluster does not exist. */
  readonly clusterStatus: string | undefined;
  readonly instanceStatus: string | undefined;
}

/**
 * What a restore drill does in one region besides the restore (which it makes through the restore command's
 * port, RestoreSender): list and watch its resources and delete them. Deletes of a missing one fail with
 * ResourceNotFound, of a cluster that still has instances with ResourceBusy: the drill treats the first as done.
 */
export interface RestoreStore {
  readonly region: string;
  /** Every cluster and instance of the region with its tags (the drill selects by tag, never by name). */
  listDrillResources(): Promise<DrillResource[]>;
  /**
   * The instance classes RDS offers for an engine version in this region (each once); with
   * `instanceClass`, only that class when it is offered.
   */
  orderableInstanceClasses(input: OrderableQuery): Promise<string[]>;
  describeDrill(clusterId: string, instanceId: string): Promise<DrillStatus>;
  deleteInstance(instanceId: string): Promise<void>;
  /** Without a final snapshot. */
  deleteCluster(clusterId: string): Promise<void>;
}

/** Where the engine reports what it does; the Lambda handlers map it to Powertools Logger. */
export interface EngineLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };
