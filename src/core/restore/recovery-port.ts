/**
 * What a restore needs to know of the recovery region (gathered by the adapter before anything is created),
 * how the configuration's Recovery block reaches the core, and the port the restore acts through.
 */
import type { ClusterShape } from '../model/cluster-shape.js';
import type { Tags } from '../model/model.js';
import type { CreateInstanceRequest, RestoreClusterRequest } from './restore-requests.js';

/** A fact the adapter could not establish, and why (a missing permission, an API the region lacks). */
export interface Unchecked {
  readonly checked: false;
  readonly reason: string;
}

export interface NamedGroup {
  readonly name: string;
  /** Parameter group family (`aurora-postgresql15`), or the VPC of a subnet group. */
  readonly family?: string | undefined;
}

export interface OfferedVersion {
  readonly version: string;
  /** The parameter group family of the version (`aurora-postgresql15`). */
  readonly family?: string | undefined;
}

/** A cluster of the recovery region, by name, with the tags that tell a restore's own earlier attempt. */
export interface ExistingCluster {
  readonly id: string;
  readonly tags: Tags;
}

/** The recovery region as the restore needs it, read before any create call. */
export interface RecoveryRegionFacts {
  readonly region: string;
  readonly subnetGroups: readonly NamedGroup[];
  /** The VPC security group ids of the region, when they could be listed. */
  readonly securityGroups: { readonly checked: true; readonly ids: readonly string[] } | Unchecked;
  readonly clusterParameterGroups: readonly NamedGroup[];
  readonly instanceParameterGroups: readonly NamedGroup[];
  /** The versions of the engine RDS offers in the region (DescribeDBEngineVersions). */
  readonly engineVersions:
    | { readonly checked: true; readonly versions: readonly OfferedVersion[] }
    | Unchecked;
  readonly clusters: readonly ExistingCluster[];
  /** Instance identifiers in use in the region, with their cluster. */
  readonly instances: readonly { readonly id: string; readonly clusterId?: string | undefined }[];
  /** The key the restored cluster would be encrypted with, and whether the caller can use it. */
  readonly key?: KeyFact | undefined;
}

export type KeyFact =
  | { readonly keyId: string; readonly usable: true; readonly arn?: string | undefined }
  | { readonly keyId: string; readonly usable: false; readonly reason: string };

/** The configuration's Recovery block, in the core's own words. */
export interface RecoverySettings {
  readonly dbSubnetGroupName?: string | undefined;
  readonly vpcSecurityGroupIds?: readonly string[] | undefined;
  readonly kmsKeyId?: string | undefined;
  /** Cluster parameter groups of the recovery region, by the source's group name or by family. */
  readonly clusterParameterGroups?: Readonly<Record<string, string>> | undefined;
  /** Instance (DB) parameter groups of the recovery region, by the source's group name or by family. */
  readonly instanceParameterGroups?: Readonly<Record<string, string>> | undefined;
}

/**
 * Reads the cluster's shape from a snapshot's tags: the shape, or undefined and the reason (no shape
 * recorded, a copy whose tags another account cannot see, a layout this version cannot read).
 */
export type ShapeDecoder = (tags: Tags) => {
  readonly shape: ClusterShape | undefined;
  readonly reason?: string | undefined;
};

/** Where a resource of the restore stands. */
export interface ResourceState {
  /** Undefined when it does not exist. */
  readonly status: string | undefined;
}

export interface RestoredEndpoints {
  readonly writer: string | undefined;
  readonly reader: string | undefined;
  readonly port: number | undefined;
}

/**
 * The restore's port in the recovery region. Creates of something already there fail with
 * ResourceAlreadyExists (a rerun after an interruption converges on it).
 */
export interface RecoveryStore {
  readonly region: string;
  /** The region's facts for restoring `engine`; `keyId` is the key whose use is checked (none: unencrypted). */
  regionFacts(input: {
    readonly engine: string;
    readonly keyId?: string | undefined;
  }): Promise<RecoveryRegionFacts>;
  restoreCluster(request: RestoreClusterRequest): Promise<void>;
  createInstance(request: CreateInstanceRequest): Promise<void>;
  clusterState(clusterId: string): Promise<ResourceState & { readonly endpoints: RestoredEndpoints }>;
  instanceState(instanceId: string): Promise<ResourceState>;
}

/** What a restore drill sends through the restore's port: the region's facts and the two creates. */
export type RestoreSender = Pick<RecoveryStore, 'regionFacts' | 'restoreCluster' | 'createInstance'>;
