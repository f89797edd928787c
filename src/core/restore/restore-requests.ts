/**
 * The API requests a restore makes, as data with the RDS API's own field names: what `--dry-run` prints is
 * exactly what the adapter sends.
 */
import type { Tags } from '../model/model.js';
import { compareIds } from '../model/order.js';

export interface ApiTag {
  readonly Key: string;
  readonly Value: string;
}

/** RestoreDBClusterFromSnapshot: every field the restore sets (absent ones are left to RDS's defaults). */
export interface RestoreClusterRequest {
  readonly DBClusterIdentifier: string;
  readonly SnapshotIdentifier: string;
  readonly Engine: string;
  readonly EngineVersion?: string;
  readonly DBSubnetGroupName?: string;
  readonly VpcSecurityGroupIds?: readonly string[];
  readonly KmsKeyId?: string;
  readonly DBClusterParameterGroupName?: string;
  readonly EnableIAMDatabaseAuthentication: boolean;
  readonly EnableCloudwatchLogsExports: readonly string[];
  readonly DeletionProtection: boolean;
  readonly ServerlessV2ScalingConfiguration?: { readonly MinCapacity: number; readonly MaxCapacity: number };
  readonly BacktrackWindow?: number;
  readonly Port?: number;
  readonly Tags: readonly ApiTag[];
  readonly CopyTagsToSnapshot: boolean;
}

/** CreateDBInstance of one instance of the restored cluster. */
export interface CreateInstanceRequest {
  readonly DBInstanceIdentifier: string;
  readonly DBClusterIdentifier: string;
  readonly DBInstanceClass: string;
  readonly Engine: string;
  readonly PromotionTier?: number;
  readonly DBParameterGroupName?: string;
  readonly EnablePerformanceInsights?: boolean;
  readonly PubliclyAccessible: false;
  readonly Tags: readonly ApiTag[];
}

export type RestoreRequest =
  | { readonly action: 'RestoreDBClusterFromSnapshot'; readonly input: RestoreClusterRequest }
  | { readonly action: 'CreateDBInstance'; readonly input: CreateInstanceRequest };

/** Tags as the API takes them, in the order of the keys (a stable dry-run output). */
export function apiTags(tags: Tags): ApiTag[] {
  return Object.entries(tags)
    .sort(([a], [b]) => compareIds(a, b))
    .map(([Key, Value]) => ({ Key, Value }));
}
