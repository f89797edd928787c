/**
 * An in-memory AWS estate (every account and region) and SnapshotStore views of it, for unit tests and
 * benchmarks of the engine and the handlers. It behaves like RDS where the engine cares: new snapshots
 * are `creating` and copies `copying` until the test completes them; duplicate identifiers, missing
 * snapshots, the manual snapshot quota, the limit of copies in flight, encrypted cross-region copies
 * without a key and shares of aws/rds-key snapshots fail with the tool's typed errors. Every call is
 * counted by method, and faults can be injected per call.
 *
 * Usage:
 *   const clock = new ManualClock('2025-01-01T00:00:00Z');
 *   const estate = new MemoryEstate({ clock });
 *   estate.addCluster({ region: 'us-east-1', id: 'prod-db' });
 *   const source = estate.store('us-east-1');          // default account 111111111111
 *   await runSourcePass({ source, destination: estate.store('us-west-2') }, config, clock, ['take']);
 *   estate.settle();                                    // every creating/copying snapshot -> available
 *   estate.calls.listSnapshots                          // how many listings were made
 */

import { partitionOf } from '../../src/core/copies/regions.js';
import type { InstanceSettings } from '../../src/core/model/cluster-shape.js';
import { ToolError, type ToolErrorName } from '../../src/core/model/errors.js';
import type {
  ClusterInfo,
  ClusterSettings,
  SnapshotInfo,
  SnapshotType,
  Tags,
} from '../../src/core/model/model.js';
import { isValidIdentifier } from '../../src/core/model/naming.js';
import type { Clock, SnapshotStore } from '../../src/core/model/ports.js';

export const DEFAULT_ACCOUNT = '111111111111';
export const DEFAULT_QUOTA = 100;
export const DEFAULT_COPY_LIMIT = 5;

/** The SnapshotStore methods, as counted in `calls`. */
export type StoreMethod = Exclude<keyof SnapshotStore, 'region'>;

export interface StoreCall {
  readonly method: StoreMethod;
  readonly region: string;
  readonly accountId: string;
  readonly args: readonly unknown[];
}

/** Returns an error to throw instead of performing the call, or undefined to let it run. */
export type FaultRule = (call: StoreCall) => Error | undefined;

export interface MemoryEstateOptions {
  readonly clock: Clock;
  /** Manual snapshot quota of every region and account unless set with setQuota (default 100). */
  readonly quota?: number;
  /** Copies in flight per region and account before CopyLimitReached (default 5, as RDS). */
  readonly copyLimit?: number;
  /** New snapshots and copies are `available` at once (as moto makes them) instead of in progress. */
  readonly instant?: boolean;
}

export interface PutSnapshotInput {
  readonly region: string;
  readonly id: string;
  readonly clusterId?: string;
  readonly accountId?: string;
  readonly type?: SnapshotType;
  readonly status?: string;
  readonly createTime?: Date | undefined;
  readonly encrypted?: boolean;
  readonly kmsKeyId?: string | undefined;
  readonly engineVersion?: string | undefined;
  /** RDS's PercentProgress, for a snapshot put in progress. */
  readonly percentProgress?: number | undefined;
  /** AllocatedStorage in GiB. */
  readonly allocatedStorageGiB?: number | undefined;
  readonly tags?: Tags;
  /** Accounts the snapshot is shared with (restore attribute). */
  readonly sharedWith?: readonly string[];
}

export interface AddClusterInput {
  readonly region: string;
  readonly id: string;
  readonly accountId?: string;
  readonly status?: string;
  readonly engine?: string;
  readonly encrypted?: boolean;
  readonly kmsKeyId?: string | undefined;
  readonly tags?: Tags | undefined;
  /** The cluster's size in GiB: its snapshots report it as their AllocatedStorage. @default unknown */
  readonly allocatedStorageGiB?: number | undefined;
  /**
   * The cluster's instances (listInstances returns them). Without `settings`, the cluster is listed with
   * settings of its own: these instances as members, the first the writer, engine version 15.4, the rest off.
   * @default none
   */
  readonly instances?: readonly Omit<InstanceSettings, 'clusterId'>[] | undefined;
  /** What the listing tells of the cluster's shape (DescribeDBClusters). */
  readonly settings?: ClusterSettings | undefined;
}

/** A snapshot as the estate holds it (mutable; stores hand out copies). */
export interface StoredSnapshot {
  id: string;
  arn: string;
  clusterId: string;
  region: string;
  accountId: string;
  type: SnapshotType;
  status: string;
  createTime: Date | undefined;
  encrypted: boolean;
  kmsKeyId: string | undefined;
  engineVersion?: string | undefined;
  percentProgress?: number | undefined;
  allocatedStorageGiB?: number | undefined;
  tags: Record<string, string>;
  sharedWith: Set<string>;
}

function snapshotArn(region: string, accountId: string, id: string): string {
  return `arn:${partitionOf(region)}:rds:${region}:${accountId}:cluster-snapshot:${id}`;
}

function clusterArn(region: string, accountId: string, id: string): string {
  return `arn:${partitionOf(region)}:rds:${region}:${accountId}:cluster:${id}`;
}

function defaultSettings(instances: readonly Omit<InstanceSettings, 'clusterId'>[]): ClusterSettings {
  return {
    engineVersion: '15.4',
    members: instances.map((instance, index) => ({
      id: instance.id,
      writer: index === 0,
      ...(instance.promotionTier === undefined ? {} : { promotionTier: instance.promotionTier }),
    })),
    iamDatabaseAuthentication: false,
    logExports: [],
    deletionProtection: false,
  };
}

function fail(name: ToolErrorName, message: string, details: Record<string, unknown> = {}): never {
  throw new ToolError(name, message, { details });
}

const IN_PROGRESS = new Set(['creating', 'copying']);

export class MemoryEstate {
  readonly clock: Clock;
  /** Calls per method, over every store of the estate. */
  readonly calls: Record<StoreMethod, number>;
  /** Every call in order, with its region, account and arguments. */
  readonly log: StoreCall[] = [];
  private readonly snapshotsByArn = new Map<string, StoredSnapshot>();
  private readonly clusters = new Map<string, ClusterInfo & { accountId: string; region: string }>();
  /** Sizes of the clusters that have one (GiB), by `${accountId}/${region}/${id}`. */
  private readonly clusterSizes = new Map<string, number>();
  private readonly instances = new Map<string, InstanceSettings[]>();
  private readonly quotas = new Map<string, number>();
  private readonly managedKeys = new Set<string>();
  /** Key aliases, by `<account>/<region>/<alias name>`: the key ARN each names. */
  private readonly aliases = new Map<string, string>();
  private readonly faults: FaultRule[] = [];
  private readonly options: MemoryEstateOptions;

  constructor(options: MemoryEstateOptions) {
    this.options = options;
    this.clock = options.clock;
    this.calls = MemoryEstate.zeroCalls();
  }

  private static zeroCalls(): Record<StoreMethod, number> {
    return {
      accountId: 0,
      listClusters: 0,
      listInstances: 0,
      listSnapshots: 0,
      getSnapshot: 0,
      createSnapshot: 0,
      copySnapshot: 0,
      shareSnapshot: 0,
      addTags: 0,
      deleteSnapshot: 0,
      manualSnapshotQuota: 0,
      isAwsManagedKey: 0,
      keyArnOf: 0,
    };
  }

  /** The SnapshotStore of one region of one account. */
  store(region: string, accountId: string = DEFAULT_ACCOUNT): MemorySnapshotStore {
    return new MemorySnapshotStore(this, region, accountId);
  }

  /** Sets every counter back to zero and empties the log. */
  resetCalls(): void {
    Object.assign(this.calls, MemoryEstate.zeroCalls());
    this.log.length = 0;
  }

  /** Number of calls of `method`, optionally only in one region (and account). */
  callCount(method: StoreMethod, region?: string, accountId?: string): number {
    return this.log.filter(
      (c) =>
        c.method === method &&
        (region === undefined || c.region === region) &&
        (accountId === undefined || c.accountId === accountId),
    ).length;
  }

  // ---- faults -------------------------------------------------------------------------------------

  /** Adds a rule consulted before every call; the first rule returning an error makes the call throw it. */
  addFault(rule: FaultRule): void {
    this.faults.push(rule);
  }

  /** Makes the next `times` calls of `method` (in `region`, when given) throw `error`. */
  failNext(method: StoreMethod, error: Error, options: { times?: number; region?: string } = {}): void {
    let left = options.times ?? 1;
    this.addFault((call) => {
      if (left <= 0 || call.method !== method) return undefined;
      if (options.region !== undefined && call.region !== options.region) return undefined;
      left--;
      return error;
    });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Records the call and throws an injected fault, if any. Called by the stores. */
  enter(call: StoreCall): void {
    this.calls[call.method]++;
    this.log.push(call);
    for (const rule of this.faults) {
      const error = rule(call);
      if (error) throw error;
    }
  }

  // ---- setup --------------------------------------------------------------------------------------

  addCluster(input: AddClusterInput): ClusterInfo {
    const accountId = input.accountId ?? DEFAULT_ACCOUNT;
    const cluster = {
      id: input.id,
      arn: clusterArn(input.region, accountId, input.id),
      engine: input.engine ?? 'aurora-postgresql',
      status: input.status ?? 'available',
      encrypted: input.encrypted ?? false,
      kmsKeyId: input.kmsKeyId,
      ...(input.tags !== undefined ? { tags: { ...input.tags } } : {}),
      // As DescribeDBClusters: every cluster is listed with its settings.
      settings: input.settings ?? defaultSettings(input.instances ?? []),
      accountId,
      region: input.region,
    };
    this.clusters.set(`${accountId}/${input.region}/${input.id}`, cluster);
    if (input.allocatedStorageGiB !== undefined) {
      this.clusterSizes.set(`${accountId}/${input.region}/${input.id}`, input.allocatedStorageGiB);
    }
    this.instances.set(
      `${accountId}/${input.region}/${input.id}`,
      (input.instances ?? []).map((instance) => ({ ...instance, clusterId: input.id })),
    );
    return cluster;
  }

  setClusterStatus(region: string, id: string, status: string, accountId = DEFAULT_ACCOUNT): void {
    const cluster = this.clusters.get(`${accountId}/${region}/${id}`);
    if (!cluster) throw new Error(`memory estate: no cluster ${id} in ${region}`);
    this.clusters.set(`${accountId}/${region}/${id}`, { ...cluster, status });
  }

  removeCluster(region: string, id: string, accountId = DEFAULT_ACCOUNT): void {
    this.clusters.delete(`${accountId}/${region}/${id}`);
  }

  /** Puts a snapshot as it is (any type, state, time and tags), e.g. one made by the original tool. */
  putSnapshot(input: PutSnapshotInput): SnapshotInfo {
    const accountId = input.accountId ?? DEFAULT_ACCOUNT;
    const stored: StoredSnapshot = {
      id: input.id,
      arn: snapshotArn(input.region, accountId, input.id),
      clusterId: input.clusterId ?? input.id.replace(/-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/, ''),
      region: input.region,
      accountId,
      type: input.type ?? 'manual',
      status: input.status ?? 'available',
      createTime: 'createTime' in input ? input.createTime : this.clock.now(),
      encrypted: input.encrypted ?? input.kmsKeyId !== undefined,
      kmsKeyId: input.kmsKeyId,
      engineVersion: input.engineVersion,
      percentProgress: input.percentProgress,
      allocatedStorageGiB: input.allocatedStorageGiB,
      tags: { ...input.tags },
      sharedWith: new Set(input.sharedWith ?? []),
    };
    this.snapshotsByArn.set(stored.arn, stored);
    return this.view(stored, accountId);
  }

  /** Sets the manual snapshot quota of one region (of one account, or of the default one). */
  setQuota(region: string, quota: number, accountId = DEFAULT_ACCOUNT): void {
    this.quotas.set(`${accountId}/${region}`, quota);
  }

  quotaOf(region: string, accountId: string): number {
    return this.quotas.get(`${accountId}/${region}`) ?? this.options.quota ?? DEFAULT_QUOTA;
  }

  /** Declares a key id (as snapshots name it) to be the AWS-managed aws/rds key. Keys ending in alias/aws/rds always are. */
  addAwsManagedKey(kmsKeyId: string): void {
    this.managedKeys.add(kmsKeyId);
  }

  isAwsManaged(kmsKeyId: string): boolean {
    return this.managedKeys.has(kmsKeyId) || /alias\/aws\/rds$/.test(kmsKeyId);
  }

  /** Creates the alias `aliasName` (alias/<name>) of `keyArn` in the key's region, in `accountId`. */
  addKeyAlias(region: string, aliasName: string, keyArn: string, accountId = DEFAULT_ACCOUNT): void {
    this.aliases.set(`${accountId}/${region}/${aliasName}`, keyArn);
  }

  /** The key ARN an alias name or alias ARN names in that account and region, as KMS DescribeKey finds it. */
  keyArnOf(kmsKeyId: string, region: string, accountId: string): string | undefined {
    if (/^arn:[^:]+:kms:[^:]+:\d{12}:key\//.test(kmsKeyId)) return kmsKeyId;
    const alias = /^(?:arn:[^:]+:kms:([^:]+):(\d{12}):)?(alias\/.+)$/.exec(kmsKeyId);
    if (!alias) return undefined;
    const [, aliasRegion = region, aliasAccount = accountId, name = ''] = alias;
    return this.aliases.get(`${aliasAccount}/${aliasRegion}/${name}`);
  }

  // ---- state control ------------------------------------------------------------------------------

  private resolve(idOrArn: string, region?: string, accountId = DEFAULT_ACCOUNT): StoredSnapshot {
    const byArn = this.snapshotsByArn.get(idOrArn);
    if (byArn) return byArn;
    const matches = [...this.snapshotsByArn.values()].filter(
      (s) => s.id === idOrArn && s.accountId === accountId && (region === undefined || s.region === region),
    );
    if (matches.length !== 1) {
      throw new Error(
        `memory estate: ${matches.length} snapshots match ${idOrArn}; pass the ARN or the region`,
      );
    }
    return matches[0] as StoredSnapshot;
  }

  /** Sets a snapshot's state (`creating`, `copying`, `available`, `failed`...). */
  setStatus(idOrArn: string, status: string, region?: string, accountId?: string): void {
    this.resolve(idOrArn, region, accountId).status = status;
  }

  /** Sets the PercentProgress RDS reports for a snapshot in progress. */
  setProgress(idOrArn: string, percentProgress: number, region?: string, accountId?: string): void {
    this.resolve(idOrArn, region, accountId).percentProgress = percentProgress;
  }

  /** The size in GiB of a cluster, when it has one. */
  clusterSize(region: string, accountId: string, id: string): number | undefined {
    return this.clusterSizes.get(`${accountId}/${region}/${id}`);
  }

  /** Makes one in-progress snapshot available. */
  complete(idOrArn: string, region?: string, accountId?: string): void {
    this.setStatus(idOrArn, 'available', region, accountId);
  }

  /** Makes one snapshot `failed`. */
  fail(idOrArn: string, region?: string, accountId?: string): void {
    this.setStatus(idOrArn, 'failed', region, accountId);
  }

  /** Makes every `creating` and `copying` snapshot available; returns how many changed. */
  settle(filter: { region?: string; accountId?: string } = {}): number {
    let changed = 0;
    for (const s of this.snapshotsByArn.values()) {
      if (!IN_PROGRESS.has(s.status)) continue;
      if (filter.region !== undefined && s.region !== filter.region) continue;
      if (filter.accountId !== undefined && s.accountId !== filter.accountId) continue;
      s.status = 'available';
      changed++;
    }
    return changed;
  }

  /** Snapshots of the estate (copies, safe to keep), optionally of one region and account. */
  snapshots(filter: { region?: string; accountId?: string; type?: SnapshotType } = {}): SnapshotInfo[] {
    return [...this.snapshotsByArn.values()]
      .filter(
        (s) =>
          (filter.region === undefined || s.region === filter.region) &&
          (filter.accountId === undefined || s.accountId === filter.accountId) &&
          (filter.type === undefined || s.type === filter.type),
      )
      .map((s) => this.view(s, s.accountId));
  }

  /** One snapshot by ARN, or by id in a region of an account; undefined when absent. */
  find(idOrArn: string, region?: string, accountId = DEFAULT_ACCOUNT): SnapshotInfo | undefined {
    const stored =
      this.snapshotsByArn.get(idOrArn) ??
      [...this.snapshotsByArn.values()].find(
        (s) => s.id === idOrArn && s.accountId === accountId && (region === undefined || s.region === region),
      );
    return stored && this.view(stored, stored.accountId);
  }

  /** Accounts a snapshot is shared with. */
  sharedWith(idOrArn: string, region?: string, accountId?: string): string[] {
    return [...this.resolve(idOrArn, region, accountId).sharedWith].sort();
  }

  // ---- what the stores use ------------------------------------------------------------------------

  /** The snapshot as `viewer` sees it: other accounts see a shared one by ARN, typed `shared`. */
  view(s: StoredSnapshot, viewer: string): SnapshotInfo {
    const foreign = s.accountId !== viewer;
    return {
      id: foreign ? s.arn : s.id,
      arn: s.arn,
      clusterId: s.clusterId,
      region: s.region,
      accountId: s.accountId,
      type: foreign ? 'shared' : s.type,
      status: s.status,
      createTime: s.createTime === undefined ? undefined : new Date(s.createTime),
      encrypted: s.encrypted,
      kmsKeyId: s.kmsKeyId,
      ...(s.engineVersion !== undefined ? { engineVersion: s.engineVersion } : {}),
      ...(s.percentProgress !== undefined ? { percentProgress: s.percentProgress } : {}),
      ...(s.allocatedStorageGiB !== undefined ? { allocatedStorageGiB: s.allocatedStorageGiB } : {}),
      // As in AWS, tags are returned only to the owning account.
      tags: foreign ? {} : { ...s.tags },
    };
  }

  clustersOf(region: string, accountId: string): ClusterInfo[] {
    return [...this.clusters.values()]
      .filter((c) => c.region === region && c.accountId === accountId)
      .map(({ accountId: _a, region: _r, ...cluster }) => ({ ...cluster }));
  }

  instancesOf(region: string, accountId: string, clusterId: string): InstanceSettings[] {
    return (this.instances.get(`${accountId}/${region}/${clusterId}`) ?? []).map((i) => ({ ...i }));
  }

  cluster(region: string, accountId: string, id: string): ClusterInfo | undefined {
    return this.clusters.get(`${accountId}/${region}/${id}`);
  }

  ownSnapshots(region: string, accountId: string): StoredSnapshot[] {
    return [...this.snapshotsByArn.values()].filter((s) => s.region === region && s.accountId === accountId);
  }

  /** A snapshot `viewer` may read: its own (by id in `region` or by ARN) or one shared with it (by ARN). */
  lookup(idOrArn: string, region: string, viewer: string): StoredSnapshot | undefined {
    const byArn = this.snapshotsByArn.get(idOrArn);
    if (byArn) return byArn.accountId === viewer || byArn.sharedWith.has(viewer) ? byArn : undefined;
    return this.snapshotsByArn.get(snapshotArn(region, viewer, idOrArn));
  }

  insert(stored: StoredSnapshot): void {
    this.snapshotsByArn.set(stored.arn, stored);
  }

  remove(arn: string): void {
    this.snapshotsByArn.delete(arn);
  }

  get instant(): boolean {
    return this.options.instant ?? false;
  }

  get copyLimit(): number {
    return this.options.copyLimit ?? DEFAULT_COPY_LIMIT;
  }

  newSnapshot(fields: Omit<StoredSnapshot, 'arn' | 'sharedWith' | 'type' | 'createTime'>): StoredSnapshot {
    return {
      ...fields,
      arn: snapshotArn(fields.region, fields.accountId, fields.id),
      type: 'manual',
      createTime: this.clock.now(),
      sharedWith: new Set(),
    };
  }
}

/** One region of one account of a MemoryEstate. */
export class MemorySnapshotStore implements SnapshotStore {
  constructor(
    readonly estate: MemoryEstate,
    readonly region: string,
    readonly account: string,
  ) {}

  private enter(method: StoreMethod, ...args: unknown[]): void {
    this.estate.enter({ method, region: this.region, accountId: this.account, args });
  }

  async accountId(): Promise<string> {
    this.enter('accountId');
    return this.account;
  }

  async listClusters(options: { readonly allEngines?: boolean } = {}): Promise<ClusterInfo[]> {
    this.enter('listClusters');
    // As RDS: DescribeDBClusters lists every engine; the store keeps Aurora unless asked for all.
    return this.estate
      .clustersOf(this.region, this.account)
      .filter((c) => options.allEngines || c.engine.startsWith('aurora'));
  }

  async listInstances(clusterIds: readonly string[]): Promise<InstanceSettings[]> {
    this.enter('listInstances', clusterIds);
    return clusterIds.flatMap((id) => this.estate.instancesOf(this.region, this.account, id));
  }

  async listSnapshots(type: 'manual' | 'shared'): Promise<SnapshotInfo[]> {
    this.enter('listSnapshots', type);
    if (type === 'manual') {
      return this.estate
        .ownSnapshots(this.region, this.account)
        .filter((s) => s.type === 'manual')
        .map((s) => this.estate.view(s, this.account));
    }
    return this.estate
      .snapshots({ region: this.region })
      .filter((s) => s.accountId !== this.account)
      .map((s) => this.estate.lookup(s.arn, this.region, this.account))
      .filter((s): s is NonNullable<typeof s> => s !== undefined && s.type === 'manual')
      .map((s) => this.estate.view(s, this.account));
  }

  async getSnapshot(idOrArn: string): Promise<SnapshotInfo | undefined> {
    this.enter('getSnapshot', idOrArn);
    const stored = this.estate.lookup(idOrArn, this.region, this.account);
    return stored && this.estate.view(stored, this.account);
  }

  private checkQuota(): void {
    const count = this.estate
      .ownSnapshots(this.region, this.account)
      .filter((s) => s.type === 'manual').length;
    const quota = this.estate.quotaOf(this.region, this.account);
    if (count >= quota) {
      fail(
        'SnapshotQuotaExceeded',
        `the quota of ${quota} manual cluster snapshots in ${this.region} is reached`,
        {
          region: this.region,
          quota,
        },
      );
    }
  }

  private checkNew(id: string): void {
    if (!isValidIdentifier(id)) fail('AwsRequestError', `${id} is not a valid snapshot identifier`);
    if (this.estate.lookup(id, this.region, this.account)) {
      fail('SnapshotAlreadyExists', `snapshot ${id} already exists in ${this.region}`, { snapshotId: id });
    }
  }

  async createSnapshot(input: { clusterId: string; snapshotId: string; tags: Tags }): Promise<SnapshotInfo> {
    this.enter('createSnapshot', input);
    const cluster = this.estate.cluster(this.region, this.account, input.clusterId);
    if (!cluster) fail('AwsRequestError', `cluster ${input.clusterId} not found in ${this.region}`);
    if (cluster.status !== 'available') {
      fail('AwsRequestError', `cluster ${input.clusterId} is ${cluster.status}, not available`);
    }
    this.checkNew(input.snapshotId);
    this.checkQuota();
    const stored = this.estate.newSnapshot({
      id: input.snapshotId,
      clusterId: input.clusterId,
      region: this.region,
      accountId: this.account,
      status: this.estate.instant ? 'available' : 'creating',
      encrypted: cluster.encrypted,
      kmsKeyId: cluster.kmsKeyId,
      allocatedStorageGiB: this.estate.clusterSize(this.region, this.account, input.clusterId),
      tags: { ...input.tags },
    });
    this.estate.insert(stored);
    return this.estate.view(stored, this.account);
  }

  async copySnapshot(input: {
    sourceArn: string;
    sourceRegion: string;
    targetId: string;
    kmsKeyId?: string | undefined;
    tags: Tags;
  }): Promise<SnapshotInfo> {
    this.enter('copySnapshot', input);
    const source = this.estate.lookup(input.sourceArn, input.sourceRegion, this.account);
    if (!source || source.region !== input.sourceRegion) {
      fail('SnapshotNotFound', `source snapshot ${input.sourceArn} not found in ${input.sourceRegion}`);
    }
    if (source.status !== 'available') {
      fail('SnapshotNotReady', `source snapshot ${source.id} is ${source.status}, not available`);
    }
    const crossRegion = source.region !== this.region;
    const crossAccount = source.accountId !== this.account;
    if (source.encrypted && (crossRegion || crossAccount) && input.kmsKeyId === undefined) {
      fail('EncryptionKeyRequired', `copying encrypted ${source.id} into ${this.region} needs a KMS key`);
    }
    this.checkNew(input.targetId);
    // Copies are manual snapshots; what a manual listing shows is what the limit counts.
    const copying = this.estate
      .ownSnapshots(this.region, this.account)
      .filter((s) => s.status === 'copying' && s.type === 'manual');
    if (copying.length >= this.estate.copyLimit) {
      fail('CopyLimitReached', `${copying.length} copies already in progress in ${this.region}`);
    }
    this.checkQuota();
    const stored = this.estate.newSnapshot({
      id: input.targetId,
      clusterId: source.clusterId,
      region: this.region,
      accountId: this.account,
      status: this.estate.instant ? 'available' : 'copying',
      encrypted: source.encrypted,
      kmsKeyId: source.encrypted ? (input.kmsKeyId ?? source.kmsKeyId) : undefined,
      allocatedStorageGiB: source.allocatedStorageGiB,
      // As moto: the tags given replace the source's.
      tags: { ...input.tags },
    });
    this.estate.insert(stored);
    return this.estate.view(stored, this.account);
  }

  private own(idOrArn: string): ReturnType<MemoryEstate['lookup']> & {} {
    const stored = this.estate.lookup(idOrArn, this.region, this.account);
    if (!stored || stored.accountId !== this.account || stored.region !== this.region) {
      fail('SnapshotNotFound', `snapshot ${idOrArn} not found in ${this.region}`, { snapshotId: idOrArn });
    }
    return stored;
  }

  async shareSnapshot(input: { snapshotId: string; accountId: string }): Promise<void> {
    this.enter('shareSnapshot', input);
    const stored = this.own(input.snapshotId);
    if (stored.status !== 'available') {
      fail('SnapshotNotReady', `snapshot ${stored.id} is ${stored.status}, not available`);
    }
    if (stored.encrypted && stored.kmsKeyId !== undefined && this.estate.isAwsManaged(stored.kmsKeyId)) {
      fail(
        'AwsRequestError',
        `snapshot ${stored.id} is encrypted with the AWS-managed aws/rds key and cannot be shared`,
      );
    }
    stored.sharedWith.add(input.accountId);
  }

  async addTags(arn: string, tags: Tags): Promise<void> {
    this.enter('addTags', arn, tags);
    const stored = this.own(arn);
    Object.assign(stored.tags, tags);
  }

  /** Deletes an available or failed snapshot; deleting a `copying` copy cancels it, as RDS does. */
  async deleteSnapshot(snapshotId: string): Promise<void> {
    this.enter('deleteSnapshot', snapshotId);
    const stored = this.own(snapshotId);
    if (stored.status === 'creating') {
      fail('SnapshotNotReady', `snapshot ${snapshotId} is creating and cannot be deleted yet`);
    }
    this.estate.remove(stored.arn);
  }

  async manualSnapshotQuota(): Promise<number> {
    this.enter('manualSnapshotQuota');
    return this.estate.quotaOf(this.region, this.account);
  }

  async isAwsManagedKey(kmsKeyId: string): Promise<boolean> {
    this.enter('isAwsManagedKey', kmsKeyId);
    return this.estate.isAwsManaged(kmsKeyId);
  }

  async keyArnOf(kmsKeyId: string): Promise<string | undefined> {
    this.enter('keyArnOf', kmsKeyId);
    return this.estate.keyArnOf(kmsKeyId, this.region, this.account);
  }
}
