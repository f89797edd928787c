// Builds test estates on moto through the SDK: Aurora PostgreSQL clusters, KMS keys and snapshots, in any region and account.
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  type DBClusterSnapshot,
  DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import { type AwsClients, buildAwsClients } from '../../src/aws/clients.js';
import { type Tags, tagsToList } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { MOTO_CREDENTIALS, MOTO_DEFAULT_ACCOUNT } from './moto.js';

export interface EstateOptions {
  /** moto's endpoint (not a fault proxy: building the estate should not be faulted). */
  readonly endpoint: string;
  /** Account to act as. @default 123456789012 (moto's default) */
  readonly accountId?: string;
}

export interface ClusterOptions {
  /** @default aurora-postgresql */
  readonly engine?: string;
  /** @default moto's default for the engine (aurora-postgresql 12.7) */
  readonly engineVersion?: string;
  /** @default false */
  readonly encrypted?: boolean;
  /**
   * Key of an encrypted cluster. Defaults to `alias/aws/rds`, what AWS uses when none is given; moto
   * would otherwise record a placeholder id that names no key.
   */
  readonly kmsKeyId?: string;
  /** Tags of the cluster (DescribeDBClusters returns them in TagList). */
  readonly tags?: Tags;
}

export interface MadeSnapshot {
  readonly id: string;
  readonly arn: string;
}

export interface Estate {
  readonly endpoint: string;
  readonly accountId: string;
  /** The same estate seen from another account. */
  as(accountId: string): Estate;
  clients(region: string): AwsClients;
  createKey(region: string, description?: string): Promise<{ keyId: string; arn: string }>;
  /** Creates the alias `aliasName` (alias/<name>) of the key `keyId` in `region` of this account. */
  createAlias(region: string, aliasName: string, keyId: string): Promise<void>;
  createCluster(region: string, clusterId: string, options?: ClusterOptions): Promise<{ arn: string }>;
  createSnapshot(
    region: string,
    input: { clusterId: string; snapshotId: string; tags?: Tags },
  ): Promise<MadeSnapshot>;
  /** A snapshot as the original Python tool made it: its name, its three tags, no point-in-time tag. */
  createOriginalToolSnapshot(
    region: string,
    clusterId: string,
    at: Date,
    options?: { shareAndCopy?: boolean },
  ): Promise<MadeSnapshot>;
  /** Snapshots of the region as DescribeDBClusterSnapshots returns them (manual by default). */
  snapshots(region: string, type?: 'manual' | 'automated' | 'shared'): Promise<DBClusterSnapshot[]>;
  snapshotIds(region: string, type?: 'manual' | 'automated' | 'shared'): Promise<string[]>;
  shareSnapshot(region: string, snapshotId: string, withAccount: string): Promise<void>;
}

/** `YYYY-MM-DD-HH-MM` in UTC, the original tool's timestamp format (names and CreatedOn). */
export function originalTimestamp(at: Date): string {
  return at.toISOString().slice(0, 16).replace('T', '-').replace(':', '-');
}

export function originalToolSnapshotName(clusterId: string, at: Date): string {
  return `${clusterId}-${originalTimestamp(at)}`;
}

export function originalToolTags(at: Date, options: { shareAndCopy?: boolean } = {}): Tags {
  return {
    [TAG.CreatedBy]: TOOL_TAG_VALUE,
    [TAG.CreatedOn]: originalTimestamp(at),
    ...(options.shareAndCopy === false ? {} : { [TAG.ShareAndCopy]: 'YES' }),
  };
}

export function createEstate(options: EstateOptions): Estate {
  const accountId = options.accountId ?? MOTO_DEFAULT_ACCOUNT;
  const byRegion = new Map<string, AwsClients>();
  const clients = (region: string): AwsClients => {
    let found = byRegion.get(region);
    if (!found) {
      found = buildAwsClients({
        region,
        endpoint: options.endpoint,
        accountId,
        credentials: MOTO_CREDENTIALS,
        maxAttempts: 3,
        retryBaseDelayMs: 10,
      });
      byRegion.set(region, found);
    }
    return found;
  };

  const snapshots = async (region: string, type: 'manual' | 'automated' | 'shared' = 'manual') => {
    const output = await clients(region).rds.send(
      new DescribeDBClusterSnapshotsCommand({
        SnapshotType: type,
        ...(type === 'shared' ? { IncludeShared: true } : {}),
      }),
    );
    return output.DBClusterSnapshots ?? [];
  };

  const createSnapshot: Estate['createSnapshot'] = async (region, input) => {
    const output = await clients(region).rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: input.clusterId,
        DBClusterSnapshotIdentifier: input.snapshotId,
        Tags: tagsToList(input.tags ?? {}),
      }),
    );
    return {
      id: output.DBClusterSnapshot?.DBClusterSnapshotIdentifier ?? input.snapshotId,
      arn: output.DBClusterSnapshot?.DBClusterSnapshotArn ?? '',
    };
  };

  return {
    endpoint: options.endpoint,
    accountId,
    as: (other) => createEstate({ ...options, accountId: other }),
    clients,
    async createKey(region, description = 'test key') {
      const output = await clients(region).kms.send(new CreateKeyCommand({ Description: description }));
      const key = output.KeyMetadata;
      if (!key?.KeyId || !key.Arn) throw new Error('CreateKey returned no key');
      return { keyId: key.KeyId, arn: key.Arn };
    },
    async createAlias(region, aliasName, keyId) {
      await clients(region).kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
    },
    async createCluster(region, clusterId, cluster = {}) {
      const encrypted = cluster.encrypted ?? cluster.kmsKeyId !== undefined;
      const output = await clients(region).rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: clusterId,
          Engine: cluster.engine ?? 'aurora-postgresql',
          ...(cluster.engineVersion !== undefined ? { EngineVersion: cluster.engineVersion } : {}),
          MasterUsername: 'postgres',
          MasterUserPassword: 'not-a-secret-1',
          StorageEncrypted: encrypted,
          ...(encrypted ? { KmsKeyId: cluster.kmsKeyId ?? 'alias/aws/rds' } : {}),
          ...(cluster.tags
            ? { Tags: Object.entries(cluster.tags).map(([Key, Value]) => ({ Key, Value })) }
            : {}),
        }),
      );
      return { arn: output.DBCluster?.DBClusterArn ?? '' };
    },
    createSnapshot,
    createOriginalToolSnapshot: (region, clusterId, at, original = {}) =>
      createSnapshot(region, {
        clusterId,
        snapshotId: originalToolSnapshotName(clusterId, at),
        tags: originalToolTags(at, original),
      }),
    snapshots,
    async snapshotIds(region, type) {
      return (await snapshots(region, type)).map((s) => s.DBClusterSnapshotIdentifier ?? '').sort();
    },
    async shareSnapshot(region, snapshotId, withAccount) {
      await clients(region).rds.send(
        new ModifyDBClusterSnapshotAttributeCommand({
          DBClusterSnapshotIdentifier: snapshotId,
          AttributeName: 'restore',
          ValuesToAdd: [withAccount],
        }),
      );
    },
  };
}
