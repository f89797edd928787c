/**
 * SnapshotStore over the AWS SDK v3: one region of one account. Listings use the paginators and the
 * TagList that DescribeDBClusterSnapshots returns (never one ListTagsForResource per snapshot, the
 * call that got the original tool throttled); every failure becomes a typed ToolError.
 */
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  AddTagsToResourceCommand,
  CopyDBClusterSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  type DBClusterSnapshot,
  DeleteDBClusterSnapshotCommand,
  DescribeAccountAttributesCommand,
  type DescribeDBClusterSnapshotsMessage,
  ModifyDBClusterSnapshotAttributeCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
} from '@aws-sdk/client-rds';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { InstanceSettings } from '../core/model/cluster-shape.js';
import { ToolError } from '../core/model/errors.js';
import { type ClusterInfo, type SnapshotInfo, type Tags, tagsToList } from '../core/model/model.js';
import { type EngineLogger, type SnapshotStore, silentLogger } from '../core/model/ports.js';
import type { AwsClients } from './clients.js';
import {
  type AwsErrorContext,
  awsErrorCode,
  isSnapshotQuotaError,
  isThrottling,
  translateAwsError,
} from './errors.js';
import {
  isArn,
  isAuroraCluster,
  parseArn,
  toClusterInfo,
  toInstanceSettings,
  toSnapshotInfo,
} from './rds-mapping.js';

/** The most DescribeDBClusterSnapshots / DescribeDBClusters return per page. */
export const PAGE_SIZE = 100;

/** RDS's default quota of manual cluster snapshots per region and account. */
export const DEFAULT_MANUAL_SNAPSHOT_QUOTA = 100;

/** The name DescribeAccountAttributes gives the manual cluster snapshot quota. */
export const MANUAL_CLUSTER_SNAPSHOTS_QUOTA = 'ManualClusterSnapshots';

/** Customers cannot create aliases under `alias/aws/`: those name AWS-managed keys such as aws/rds. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

export interface RdsSnapshotStoreOptions {
  readonly clients: AwsClients;
  readonly logger?: EngineLogger | undefined;
  /** Clients of another region of the same account (DescribeKey on a key ARN of that region). */
  readonly clientsFor?: ((region: string) => AwsClients) | undefined;
  /** Use this quota instead of asking DescribeAccountAttributes (emulators, tests). */
  readonly manualSnapshotQuota?: number | undefined;
}

/** What never changes while a process lives, kept per set of clients so every store shares it. */
interface Lookups {
  account?: Promise<string>;
  quota?: Promise<number>;
  readonly awsManagedKeys: Map<string, Promise<boolean>>;
}

const lookups = new WeakMap<AwsClients, Lookups>();

function lookupsOf(clients: AwsClients): Lookups {
  let found = lookups.get(clients);
  if (!found) {
    found = { awsManagedKeys: new Map() };
    lookups.set(clients, found);
  }
  return found;
}

type CallContext = Omit<AwsErrorContext, 'region' | 'quota'>;

export class RdsSnapshotStore implements SnapshotStore {
  readonly region: string;
  readonly clients: AwsClients;
  private readonly logger: EngineLogger;
  private readonly clientsFor: ((region: string) => AwsClients) | undefined;
  private readonly quotaOverride: number | undefined;

  constructor(options: RdsSnapshotStoreOptions) {
    this.clients = options.clients;
    this.region = options.clients.region;
    this.logger = options.logger ?? silentLogger;
    this.clientsFor = options.clientsFor;
    this.quotaOverride = options.manualSnapshotQuota;
  }

  accountId(): Promise<string> {
    const cache = lookupsOf(this.clients);
    cache.account ??= this.call({ operation: 'GetCallerIdentity', service: 'sts' }, async () => {
      const identity = await this.clients.sts.send(new GetCallerIdentityCommand({}));
      if (!identity.Account) throw new Error('GetCallerIdentity returned no account');
      return identity.Account;
    }).catch((error: unknown) => {
      // A failed lookup is not remembered: the next call asks again.
      delete cache.account;
      throw error;
    });
    return cache.account;
  }

  listClusters(options: { readonly allEngines?: boolean } = {}): Promise<ClusterInfo[]> {
    return this.call({ operation: 'DescribeDBClusters' }, async () => {
      const clusters: ClusterInfo[] = [];
      const pages = paginateDescribeDBClusters(
        { client: this.clients.rds, pageSize: PAGE_SIZE },
        { MaxRecords: PAGE_SIZE },
      );
      for await (const page of pages) {
        for (const cluster of page.DBClusters ?? []) {
          if (options.allEngines || isAuroraCluster(cluster)) clusters.push(toClusterInfo(cluster));
        }
      }
      return clusters;
    });
  }

  listInstances(clusterIds: readonly string[]): Promise<InstanceSettings[]> {
    if (clusterIds.length === 0) return Promise.resolve([]);
    return this.call({ operation: 'DescribeDBInstances' }, async () => {
      const instances: InstanceSettings[] = [];
      // RDS documents no limit on a filter's values; 100 a call keeps each request of a usual size.
      for (let start = 0; start < clusterIds.length; start += PAGE_SIZE) {
        const pages = paginateDescribeDBInstances(
          { client: this.clients.rds, pageSize: PAGE_SIZE },
          {
            Filters: [{ Name: 'db-cluster-id', Values: clusterIds.slice(start, start + PAGE_SIZE) }],
            MaxRecords: PAGE_SIZE,
          },
        );
        for await (const page of pages) {
          for (const instance of page.DBInstances ?? []) {
            const settings = toInstanceSettings(instance);
            if (settings) instances.push(settings);
          }
        }
      }
      return instances;
    });
  }

  listSnapshots(type: 'manual' | 'shared'): Promise<SnapshotInfo[]> {
    const input: DescribeDBClusterSnapshotsMessage =
      type === 'manual'
        ? { SnapshotType: 'manual', MaxRecords: PAGE_SIZE }
        : { SnapshotType: 'shared', IncludeShared: true, MaxRecords: PAGE_SIZE };
    return this.call({ operation: 'DescribeDBClusterSnapshots' }, async () => {
      const found = await this.describeAll(input);
      if (type === 'manual') return found.map((snapshot) => toSnapshotInfo(snapshot, this.region));
      const own = await this.accountId();
      return found
        .map((snapshot) => toSnapshotInfo(snapshot, this.region))
        .filter((snapshot) => snapshot.accountId !== own)
        .map(asShared);
    });
  }

  async getSnapshot(idOrArn: string): Promise<SnapshotInfo | undefined> {
    const parsed = parseArn(idOrArn);
    if (parsed && parsed.accountId !== (await this.accountId())) {
      // Another account's snapshot is only visible through the shared listing.
      const shared = await this.listSnapshots('shared');
      return shared.find((snapshot) => snapshot.arn === idOrArn);
    }
    const identifier = parsed && parsed.region === this.region ? parsed.resource : idOrArn;
    const input: DescribeDBClusterSnapshotsMessage = { DBClusterSnapshotIdentifier: identifier };
    // RDS only finds an automated snapshot by identifier when asked for that type.
    if (identifier.startsWith('rds:')) input.SnapshotType = 'automated';
    try {
      const found = await this.call({ operation: 'DescribeDBClusterSnapshots', snapshotId: identifier }, () =>
        this.describeAll(input),
      );
      const first = found[0];
      return first === undefined ? undefined : toSnapshotInfo(first, this.region);
    } catch (error) {
      if (error instanceof ToolError && error.name === 'SnapshotNotFound') return undefined;
      throw error;
    }
  }

  createSnapshot(input: { clusterId: string; snapshotId: string; tags: Tags }): Promise<SnapshotInfo> {
    const context = {
      operation: 'CreateDBClusterSnapshot',
      snapshotId: input.snapshotId,
      clusterId: input.clusterId,
    };
    return this.call(context, async () => {
      const output = await this.clients.rds.send(
        new CreateDBClusterSnapshotCommand({
          DBClusterIdentifier: input.clusterId,
          DBClusterSnapshotIdentifier: input.snapshotId,
          // Tags in the create call itself: a snapshot never exists untagged, even after a crash.
          Tags: tagsToList(input.tags),
        }),
      );
      this.noteRetries(context.operation, output.$metadata?.attempts);
      return this.made(output.DBClusterSnapshot, input.snapshotId);
    });
  }

  copySnapshot(input: {
    sourceArn: string;
    sourceRegion: string;
    targetId: string;
    kmsKeyId?: string | undefined;
    tags: Tags;
  }): Promise<SnapshotInfo> {
    const crossRegion = input.sourceRegion !== this.region;
    const context = {
      operation: 'CopyDBClusterSnapshot',
      snapshotId: input.targetId,
      sourceArn: input.sourceArn,
      kmsKeyId: input.kmsKeyId,
    };
    return this.call(context, async () => {
      // SDK v3 (middleware-sdk-rds) presigns the source-region request RDS needs for a cross-region copy
      // when the source is an ARN of another region; it reads the region from the ARN (the command has
      // no SourceRegion member), so a bare identifier or a mismatched region would copy nothing.
      const sourceRegion = parseArn(input.sourceArn)?.region;
      if (crossRegion && sourceRegion !== input.sourceRegion) {
        throw new ToolError(
          'AwsRequestError',
          `a copy from ${input.sourceRegion} into ${this.region} needs the source snapshot's ARN in ` +
            `${input.sourceRegion}, got ${input.sourceArn}`,
          { details: { ...context, region: this.region, sourceRegion: input.sourceRegion } },
        );
      }
      const output = await this.clients.rds.send(
        new CopyDBClusterSnapshotCommand({
          SourceDBClusterSnapshotIdentifier: input.sourceArn,
          TargetDBClusterSnapshotIdentifier: input.targetId,
          ...(input.kmsKeyId === undefined ? {} : { KmsKeyId: input.kmsKeyId }),
          // Every tag explicitly and no CopyTags: what the copy carries is decided here, not inherited.
          Tags: tagsToList(input.tags),
          CopyTags: false,
        }),
      );
      this.noteRetries(context.operation, output.$metadata?.attempts);
      return this.made(output.DBClusterSnapshot, input.targetId);
    });
  }

  async shareSnapshot(input: { snapshotId: string; accountId: string }): Promise<void> {
    const context = {
      operation: 'ModifyDBClusterSnapshotAttribute',
      snapshotId: input.snapshotId,
      accountId: input.accountId,
    };
    await this.call(context, async () => {
      const output = await this.clients.rds.send(
        new ModifyDBClusterSnapshotAttributeCommand({
          DBClusterSnapshotIdentifier: input.snapshotId,
          AttributeName: 'restore',
          ValuesToAdd: [input.accountId],
        }),
      );
      this.noteRetries(context.operation, output.$metadata?.attempts);
    });
  }

  async addTags(arn: string, tags: Tags): Promise<void> {
    if (Object.keys(tags).length === 0) return;
    const context = { operation: 'AddTagsToResource', snapshotId: parseArn(arn)?.resource ?? arn };
    await this.call(context, async () => {
      const output = await this.clients.rds.send(
        new AddTagsToResourceCommand({ ResourceName: arn, Tags: tagsToList(tags) }),
      );
      this.noteRetries(context.operation, output.$metadata?.attempts);
    });
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    const identifier = await this.ownIdentifier(snapshotId);
    const context = { operation: 'DeleteDBClusterSnapshot', snapshotId: identifier };
    await this.call(context, async () => {
      const output = await this.clients.rds.send(
        new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: identifier }),
      );
      this.noteRetries(context.operation, output.$metadata?.attempts);
    });
  }

  manualSnapshotQuota(): Promise<number> {
    if (this.quotaOverride !== undefined) return Promise.resolve(this.quotaOverride);
    const cache = lookupsOf(this.clients);
    cache.quota ??= this.lookUpQuota().then(({ quota, definitive }) => {
      if (!definitive) delete cache.quota;
      return quota;
    });
    return cache.quota;
  }

  isAwsManagedKey(kmsKeyId: string): Promise<boolean> {
    if (AWS_MANAGED_ALIAS.test(kmsKeyId)) return Promise.resolve(true);
    const clients = this.clientsOfKey(kmsKeyId);
    const cache = lookupsOf(clients).awsManagedKeys;
    let known = cache.get(kmsKeyId);
    if (!known) {
      known = this.call({ operation: 'DescribeKey', service: 'kms', kmsKeyId }, async () => {
        const output = await clients.kms.send(new DescribeKeyCommand({ KeyId: kmsKeyId }));
        return output.KeyMetadata?.KeyManager === 'AWS';
      }).catch((error: unknown) => {
        cache.delete(kmsKeyId);
        throw error;
      });
      cache.set(kmsKeyId, known);
    }
    return known;
  }

  keyArnOf(kmsKeyId: string): Promise<string | undefined> {
    // Not remembered: an alias may be moved to another key between runs.
    return this.call({ operation: 'DescribeKey', service: 'kms', kmsKeyId }, async () => {
      try {
        const output = await this.clientsOfKey(kmsKeyId).kms.send(
          new DescribeKeyCommand({ KeyId: kmsKeyId }),
        );
        return output.KeyMetadata?.Arn;
      } catch (error) {
        // KMS's answer for an alias (or key id) that names nothing in this account and region.
        if (awsErrorCode(error) === 'NotFoundException') return undefined;
        throw error;
      }
    });
  }

  /** The clients of the region a key names (its ARN's), else this store's. */
  private clientsOfKey(kmsKeyId: string): AwsClients {
    const keyRegion = parseArn(kmsKeyId)?.region || this.region;
    return keyRegion === this.region ? this.clients : (this.clientsFor?.(keyRegion) ?? this.clients);
  }

  /** Runs one SDK interaction and turns whatever it throws into a ToolError naming the context. */
  private async call<T>(context: CallContext, act: () => Promise<T>): Promise<T> {
    try {
      return await act();
    } catch (error) {
      const quota = isSnapshotQuotaError(error, context.operation)
        ? await this.manualSnapshotQuota().catch(() => undefined)
        : undefined;
      throw translateAwsError(error, {
        ...context,
        region: this.region,
        quota,
        endpoint: this.clients.endpoint,
      });
    }
  }

  private async describeAll(input: DescribeDBClusterSnapshotsMessage): Promise<DBClusterSnapshot[]> {
    const snapshots: DBClusterSnapshot[] = [];
    const pages = paginateDescribeDBClusterSnapshots(
      { client: this.clients.rds, pageSize: PAGE_SIZE },
      input,
    );
    for await (const page of pages) snapshots.push(...(page.DBClusterSnapshots ?? []));
    return snapshots;
  }

  private async made(snapshot: DBClusterSnapshot | undefined, id: string): Promise<SnapshotInfo> {
    if (snapshot) return toSnapshotInfo(snapshot, this.region);
    const found = await this.getSnapshot(id);
    if (!found)
      throw new ToolError(
        'SnapshotNotFound',
        `snapshot ${id} was not found in ${this.region} after it was made`,
      );
    return found;
  }

  /**
   * The identifier to delete, refusing what this store must never delete: snapshots of another account
   * or region (named by ARN) and automated snapshots (`rds:` prefix), whatever the caller planned.
   */
  private async ownIdentifier(snapshotId: string): Promise<string> {
    let identifier = snapshotId;
    if (isArn(snapshotId)) {
      const parsed = parseArn(snapshotId);
      const own = await this.accountId();
      if (
        !parsed ||
        parsed.region !== this.region ||
        parsed.accountId !== own ||
        parsed.resourceType !== 'cluster-snapshot'
      ) {
        throw new ToolError(
          'AwsRequestError',
          `refusing to delete ${snapshotId}: it is not a cluster snapshot of account ${own} in ${this.region}`,
          { details: { operation: 'DeleteDBClusterSnapshot', region: this.region, snapshotId } },
        );
      }
      identifier = parsed.resource;
    }
    if (identifier.startsWith('rds:')) {
      throw new ToolError(
        'AwsRequestError',
        `refusing to delete ${identifier}: automated snapshots belong to the cluster's backup retention`,
        { details: { operation: 'DeleteDBClusterSnapshot', region: this.region, snapshotId: identifier } },
      );
    }
    return identifier;
  }

  private async lookUpQuota(): Promise<{ quota: number; definitive: boolean }> {
    try {
      const output = await this.clients.rdsProbe.send(new DescribeAccountAttributesCommand({}));
      const quota = output.AccountQuotas?.find((q) => q.AccountQuotaName === MANUAL_CLUSTER_SNAPSHOTS_QUOTA);
      return { quota: quota?.Max ?? DEFAULT_MANUAL_SNAPSHOT_QUOTA, definitive: true };
    } catch (error) {
      const translated = translateAwsError(error, {
        operation: 'DescribeAccountAttributes',
        region: this.region,
        endpoint: this.clients.endpoint,
      });
      const fields = {
        region: this.region,
        assumed: DEFAULT_MANUAL_SNAPSHOT_QUOTA,
        reason: translated.message,
      };
      if (translated.name === 'AccessDenied' || translated.name === 'CredentialsError') {
        this.logger.warn('cannot read the manual snapshot quota; assuming the default', fields);
      } else {
        this.logger.debug('cannot read the manual snapshot quota; assuming the default', fields);
      }
      // Throttled: ask again next time. Anything else (a refusal, or an emulator that answers the call
      // with HTTP 500 because it lacks it) is remembered, so a pass does not keep paying for the probe.
      return { quota: DEFAULT_MANUAL_SNAPSHOT_QUOTA, definitive: !isThrottling(error) };
    }
  }

  private noteRetries(operation: string, attempts: number | undefined): void {
    if (attempts !== undefined && attempts > 1) {
      this.logger.debug('AWS call succeeded after retries', { operation, region: this.region, attempts });
    }
  }
}

/**
 * RDS names a snapshot shared from another account by its ARN and types it `shared`; emulators may
 * report the bare identifier and `manual`. Normalizing here keeps the engine on AWS's behaviour.
 */
function asShared(snapshot: SnapshotInfo): SnapshotInfo {
  return { ...snapshot, id: snapshot.arn || snapshot.id, type: 'shared' };
}
