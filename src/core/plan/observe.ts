/**
 * Observing a pass (the one read of each region before planning): the clusters and manual snapshots of the
 * regions a job works in, the quota, and which keys of the snapshots to share are the AWS-managed aws/rds key.
 */

import { copyRegionsOf, destinationParameter, destinationsOf } from '../copies/destinations.js';
import { ConfigError, type ConfigIssue } from '../model/errors.js';
import type { SnapshotInfo } from '../model/model.js';
import type { Clock, SnapshotStore } from '../model/ports.js';
import {
  isAvailable,
  isCopiedByTool,
  isManual,
  isSharedWith,
  isToolBackup,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import type { BackupPolicy, DestinationPolicy } from '../policy/backup-policy.js';
import { rulesOf, sourceScope } from '../policy/selection.js';
import type {
  DestinationObservation,
  DestinationPhase,
  SourceObservation,
  SourcePhase,
  StoreForRegion,
} from './observation.js';

export interface SourceStores {
  /** The source region (clusters and their snapshots). */
  readonly source: SnapshotStore;
  /** The destination region of the same account, when DestinationRegion differs from the source region. */
  readonly destination?: SnapshotStore | undefined;
  /** With Source.Destinations: a store for each other region copies go to (`destination` may be one of them). */
  readonly destinations?: readonly SnapshotStore[] | undefined;
}

/** The stores of a source job: its region and each other region it copies to (same account). */
export function sourceStoresWith(
  config: BackupPolicy,
  storeFor: (region: string) => SnapshotStore,
): SourceStores {
  const regions = copyRegionsOf(config);
  const [first] = regions;
  return {
    source: storeFor(config.Region),
    destination: first === undefined ? undefined : storeFor(first),
    ...(regions.length > 1 ? { destinations: regions.map(storeFor) } : {}),
  };
}

/** The store given for `region` among the stores of other regions. */
function storeIn(stores: SourceStores, region: string): SnapshotStore | undefined {
  if (stores.destination?.region === region) return stores.destination;
  return stores.destinations?.find((store) => store.region === region);
}

export const ALL_SOURCE_PHASES: readonly SourcePhase[] = ['take', 'share', 'delete'];
export const ALL_DESTINATION_PHASES: readonly DestinationPhase[] = ['copy', 'delete'];

/** DestinationRegion when the source job makes DR copies there (ShareSnapshots, another region). */
export function drRegionOf(config: BackupPolicy): string | undefined {
  // Without DestinationRegion the comparison holds and the result is that undefined.
  return config.ShareSnapshots && config.DestinationRegion !== config.Region
    ? config.DestinationRegion
    : undefined;
}

/**
 * One listing per region: clusters and manual snapshots of the source region, the destination region's
 * manual snapshots when a destination store is given (the share and delete phases and the recovery point
 * need them), the quota, and, only when snapshots are shared with another account, which of the keys of
 * the snapshots that would be shared are the AWS-managed aws/rds key.
 */
export async function observeSource(
  stores: SourceStores,
  config: BackupPolicy,
  clock: Clock,
  phases: readonly SourcePhase[] = ALL_SOURCE_PHASES,
): Promise<SourceObservation> {
  const { source } = stores;
  if (source.region !== config.Region) {
    throw new Error(`engine: the source store is for ${source.region}, Source.Region is ${config.Region}`);
  }
  // Stores are used only for the other regions the configuration copies to.
  const regions = copyRegionsOf(config);
  if (
    config.DestinationRegion !== undefined &&
    config.DestinationRegion !== config.Region &&
    stores.destination !== undefined &&
    stores.destination.region !== config.DestinationRegion
  ) {
    throw new Error(
      `engine: the destination store is for ${stores.destination.region}, DestinationRegion is ${config.DestinationRegion}`,
    );
  }
  const active = config.ShareSnapshots ? regions : [];
  const needed = phases.includes('share') || phases.includes('delete');
  for (const region of active) {
    if (needed && storeIn(stores, region) === undefined) {
      throw new Error(
        `engine: DR copies go to ${region}; pass a store for that region as stores.destination${regions.length > 1 ? ' or in stores.destinations' : ''}`,
      );
    }
  }
  const listed = regions.flatMap((region) => {
    const store = storeIn(stores, region);
    return store === undefined ? [] : [{ region, store }];
  });
  const now = clock.now();
  const [accountId, clusters, snapshots, regionListings, manualSnapshotQuota] = await Promise.all([
    source.accountId(),
    source.listClusters({ allEngines: true }),
    source.listSnapshots('manual'),
    Promise.all(
      listed.map(async ({ region, store }) => ({
        region,
        store,
        snapshots: await store.listSnapshots('manual'),
      })),
    ),
    source.manualSnapshotQuota(),
  ]);
  if (phases.includes('take') || phases.includes('share')) {
    const own = destinationsOf(config).filter((d) => d.account === accountId);
    if (own.length > 0) {
      throw new ConfigError(own.map((d) => ownAccountIssue(accountId, destinationParameter(d, 'Account'))));
    }
  }
  const regionSnapshots: Record<string, readonly SnapshotInfo[]> = Object.fromEntries(
    regionListings.map(({ region, snapshots: listing }) => [region, listing]),
  );
  // Those of the first region copies go to, when its store was given (never another region's).
  const destinationSnapshots = regionListings.find(({ region }) => region === regions[0])?.snapshots ?? [];
  const awsManagedKeys =
    phases.includes('share') && config.ShareSnapshots
      ? await awsManagedKeysOf(
          config,
          source,
          sourceScope(clusters, rulesOf(config)).owns,
          snapshots,
          regionListings,
        )
      : [];
  return {
    now,
    accountId,
    region: config.Region,
    clusters,
    snapshots,
    destinationSnapshots,
    ...(listed.length > 1 ? { regionSnapshots } : {}),
    manualSnapshotQuota,
    awsManagedKeys,
  };
}

/** The manual snapshots of one region copies go to, and its store. */
interface RegionListing {
  readonly region: string;
  readonly store: SnapshotStore;
  readonly snapshots: readonly SnapshotInfo[];
}

/**
 * The aws/rds keys among those of the snapshots still to be shared: the backups shared in place with the
 * accounts of Source.Region, and the DR copies in each listed region shared with the accounts of that region
 * (one KMS lookup per distinct key and region; none where no account is to receive anything).
 */
async function awsManagedKeysOf(
  config: BackupPolicy,
  source: SnapshotStore,
  matches: (clusterId: string) => boolean,
  snapshots: readonly SnapshotInfo[],
  regionListings: readonly RegionListing[],
): Promise<string[]> {
  const targets = destinationsOf(config);
  const accountsIn = (region: string): string[] =>
    targets.flatMap((d) => (d.region === region && d.account !== undefined ? [d.account] : []));
  const keys = new Set(
    await findAwsManagedKeys(matches, accountsIn(config.Region), snapshots, source, isToolBackup),
  );
  for (const { region, store, snapshots: copies } of regionListings) {
    for (const key of await findAwsManagedKeys(matches, accountsIn(region), copies, store, isCopiedByTool)) {
      keys.add(key);
    }
  }
  return [...keys].sort();
}

/** DestinationAccount naming the account the tool runs in: each copy would be shared with itself. */
export function ownAccountIssue(accountId: string, parameter: string): ConfigIssue {
  return {
    parameter,
    value: accountId,
    message:
      'is the account these credentials act in: snapshots would be shared with their own account; name the ' +
      `other account the copies are for, or leave ${parameter.endsWith('.Account') ? 'Account' : 'DestinationAccount'} out for copies in this account`,
  };
}

/** One KMS lookup per distinct key of the encrypted snapshots still to be shared. */
export async function findAwsManagedKeys(
  matches: (clusterId: string) => boolean,
  accounts: readonly string[],
  snapshots: readonly SnapshotInfo[],
  store: SnapshotStore,
  isCandidate: (snapshot: SnapshotInfo) => boolean,
): Promise<string[]> {
  const keys = new Set<string>();
  for (const snapshot of snapshots) {
    if (
      snapshot.encrypted &&
      snapshot.kmsKeyId !== undefined &&
      isManual(snapshot) &&
      isAvailable(snapshot) &&
      isCandidate(snapshot) &&
      accounts.some((account) => !isSharedWith(snapshot, account)) &&
      matches(sourceClusterOf(snapshot))
    ) {
      keys.add(snapshot.kmsKeyId);
    }
  }
  const managed: string[] = [];
  for (const key of [...keys].sort()) {
    if (await store.isAwsManagedKey(key)) managed.push(key);
  }
  return managed;
}

/** The store of each region a source plan acts in. */
export function sourceStoreFor(stores: SourceStores): StoreForRegion {
  return (region) => {
    if (region === stores.source.region) return stores.source;
    const store = storeIn(stores, region);
    if (store !== undefined) return store;
    throw new Error(`engine: no store for region ${region}`);
  };
}

/** The store of a plan that acts in one region only. */
export function singleStoreFor(store: SnapshotStore): StoreForRegion {
  return (region) => {
    if (region === store.region) return store;
    throw new Error(`engine: no store for region ${region}`);
  };
}

/** One listing of the account's own snapshots, and of those shared with it when the copy phase runs. */
export async function observeDestination(
  store: SnapshotStore,
  config: DestinationPolicy,
  clock: Clock,
  phases: readonly DestinationPhase[] = ALL_DESTINATION_PHASES,
): Promise<DestinationObservation> {
  if (store.region !== config.Region) {
    throw new Error(`engine: the store is for ${store.region}, Destination.Region is ${config.Region}`);
  }
  const now = clock.now();
  const [accountId, snapshots, shared, manualSnapshotQuota] = await Promise.all([
    store.accountId(),
    store.listSnapshots('manual'),
    phases.includes('copy') ? store.listSnapshots('shared') : Promise.resolve([]),
    store.manualSnapshotQuota(),
  ]);
  return { now, accountId, region: config.Region, snapshots, shared, manualSnapshotQuota };
}
