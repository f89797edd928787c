/**
 * The fleet report: per account, every protected cluster of every region with its newest backup, its
 * recovery point at each destination and in the vault, its last drill and what is failing and why; the
 * Aurora clusters no policy covers, named with the reason; the accounts and regions that could not be read.
 * Built from the reads alone (the clock is the caller's `now`) with the single-account status functions.
 */
import { type LastDrill, lastDrills } from '../drill/drill-progress.js';
import type { SnapshotInfo } from '../model/model.js';
import { compareIds } from '../model/order.js';
import { isAvailable, isCopiedByTool, isManual, sourceClusterOf } from '../model/snapshot-kind.js';
import { TAG } from '../model/tags.js';
import type { ClusterStatus, DestinationStatus, SnapshotAge } from '../plan/observation.js';
import { snapshotAge, statusReport } from '../plan/status.js';
import { newestOf } from '../policy/point-in-time.js';
import { isAuroraEngine, rulesOf, selectClusters } from '../policy/selection.js';
import {
  type FleetPolicy,
  policyIn,
  type RegionRead,
  regionObservation,
  type UnreadPlace,
} from './fleet-observation.js';
import { type FleetProblem, problemsOf } from './fleet-problems.js';

export interface FleetInput {
  readonly now: Date;
  readonly fleet: FleetPolicy;
  /** The accounts under the organizational units, with their names where Organizations gave them. */
  readonly accounts: readonly { readonly id: string; readonly name?: string | undefined }[];
  /** What the members' reader roles read (each account's regions). */
  readonly reads: readonly RegionRead[];
  /** What the vault account's reader role read (its own copies). */
  readonly vaultReads: readonly RegionRead[];
  /** The places that could not be read, members and vault alike. */
  readonly unread: readonly UnreadPlace[];
}

/** One protected cluster of one account and region. */
export interface FleetCluster {
  readonly accountId: string;
  readonly region: string;
  readonly clusterId: string;
  readonly latestSnapshot: SnapshotAge | undefined;
  /** What a restore would start from (the status' recovery point: the worst of the destination regions). */
  readonly recoveryPoint: SnapshotAge | undefined;
  /** Each destination of the policy: its newest copy (its recovery point) and its lag. */
  readonly destinations: readonly DestinationStatus[];
  /** The newest available copy in the vault account (undefined without a vault, or with none there). */
  readonly vault: SnapshotAge | undefined;
  readonly lastDrill: LastDrill | undefined;
  readonly snapshotCount: number;
  /** Empty when healthy. */
  readonly problems: readonly FleetProblem[];
}

export type UnprotectedCode = 'tags-mismatch' | 'name-mismatch' | 'excluded' | 'region-not-covered';

/** An Aurora cluster of a member account that no policy protects. */
export interface UnprotectedCluster {
  readonly accountId: string;
  readonly region: string;
  readonly clusterId: string;
  readonly code: UnprotectedCode;
  readonly reason: string;
}

export interface FleetAccount {
  readonly accountId: string;
  readonly name?: string | undefined;
  /** The regions read. */
  readonly regions: readonly string[];
  readonly clusters: readonly FleetCluster[];
  readonly unprotected: readonly UnprotectedCluster[];
  readonly unread: readonly UnreadPlace[];
}

export interface FleetTotals {
  readonly accounts: number;
  /** Accounts of which every region was read. */
  readonly accountsRead: number;
  readonly regionsRead: number;
  readonly placesUnread: number;
  readonly protectedClusters: number;
  readonly failingClusters: number;
  readonly unprotectedClusters: number;
}

export interface FleetReport {
  readonly at: string;
  readonly regions: readonly string[];
  readonly vaultAccount?: string | undefined;
  readonly objectiveHours: number;
  readonly accounts: readonly FleetAccount[];
  /** The vault account's places that could not be read (its copies are then unknown, not missing). */
  readonly vaultUnread: readonly UnreadPlace[];
  readonly totals: FleetTotals;
}

/** The key of a source cluster in the vault's index. */
function sourceKey(accountId: string, region: string, clusterId: string): string {
  return `${accountId}\u0000${region}\u0000${clusterId}`;
}

/**
 * The vault's available copies by the cluster they come from (copied by the tool; account, region and
 * cluster from their tags), indexed once: thousands of clusters look theirs up.
 */
export function indexVaultCopies(vault: readonly SnapshotInfo[]): ReadonlyMap<string, SnapshotInfo[]> {
  const index = new Map<string, SnapshotInfo[]>();
  for (const s of vault) {
    const account = s.tags[TAG.SourceAccount];
    const region = s.tags[TAG.SourceRegion];
    if (
      !isManual(s) ||
      !isCopiedByTool(s) ||
      !isAvailable(s) ||
      account === undefined ||
      region === undefined
    )
      continue;
    const key = sourceKey(account, region, sourceClusterOf(s));
    const list = index.get(key);
    if (list) list.push(s);
    else index.set(key, [s]);
  }
  return index;
}

/** Aurora clusters of one region that the policy leaves out, each with its reason. */
export function unprotectedIn(fleet: FleetPolicy, read: RegionRead): UnprotectedCluster[] {
  const aurora = read.clusters.filter((c) => isAuroraEngine(c.engine)).sort((a, b) => compareIds(a.id, b.id));
  const place = { accountId: read.accountId, region: read.region };
  if (!fleet.regions.includes(read.region)) {
    return aurora.map((c) => ({
      ...place,
      clusterId: c.id,
      code: 'region-not-covered' as const,
      reason: `cluster ${c.id} is in ${read.region}, where the policy does not run (Organization.Regions: ${fleet.regions.join(', ')})`,
    }));
  }
  const rules = rulesOf(policyIn(fleet, read.region));
  const { selected, leftOut } = selectClusters(aurora, rules);
  const chosen = new Set(selected.map((c) => c.id));
  const reasons = new Map(leftOut.map((l) => [l.cluster.id, l]));
  return aurora
    .filter((c) => !chosen.has(c.id))
    .map((c) => {
      const left = reasons.get(c.id);
      if (left === undefined) {
        return {
          ...place,
          clusterId: c.id,
          code: 'name-mismatch' as const,
          reason: `cluster ${c.id} does not match ClusterNamePattern ${JSON.stringify(rules.clusterNamePattern)}`,
        };
      }
      return {
        ...place,
        clusterId: c.id,
        code: left.code === 'excluded' ? ('excluded' as const) : ('tags-mismatch' as const),
        reason: left.reason.replace(/: left out$/, ''),
      };
    })
    .sort((a, b) => a.clusterId.localeCompare(b.clusterId));
}

/** The protected clusters of one account and region, from the status report of its observation. */
export function protectedIn(
  input: FleetInput,
  read: RegionRead,
  accountReads: readonly RegionRead[],
  drills: ReadonlyMap<string, LastDrill>,
  vault: ReadonlyMap<string, readonly SnapshotInfo[]>,
): FleetCluster[] {
  const { fleet, now } = input;
  const observation = regionObservation(fleet, read, accountReads, now);
  const status = statusReport(observation, policyIn(fleet, read.region));
  return status.clusters.map((cluster: ClusterStatus) => {
    const newestVault = fleet.vaultAccount
      ? newestOf(vault.get(sourceKey(read.accountId, read.region, cluster.clusterId)) ?? [])
      : undefined;
    const vaultCopy = newestVault === undefined ? undefined : snapshotAge(newestVault, now);
    const lastDrill = drills.get(cluster.clusterId);
    return {
      accountId: read.accountId,
      region: read.region,
      clusterId: cluster.clusterId,
      latestSnapshot: cluster.latestSnapshot,
      recoveryPoint: cluster.recoveryPoint,
      destinations: cluster.destinations ?? [],
      vault: vaultCopy,
      lastDrill,
      snapshotCount: cluster.snapshotCount,
      problems: problemsOf({
        status: cluster,
        vaultCopy,
        // A vault that could not be read has copies unknown, not missing.
        vaultAccount: input.vaultReads.length > 0 ? fleet.vaultAccount : undefined,
        objectiveHours: fleet.objectiveHours,
      }),
    };
  });
}

export function fleetReport(input: FleetInput): FleetReport {
  const { fleet } = input;
  const vaultUnread = input.unread.filter((u) => u.accountId === fleet.vaultAccount);
  const vaultSnapshots = input.vaultReads.flatMap((r) => r.snapshots);
  const vault = indexVaultCopies(vaultSnapshots);
  const drilledInVault = new Map<string, SnapshotInfo[]>();
  for (const s of vaultSnapshots) {
    const account = s.tags[TAG.SourceAccount];
    if (account === undefined || s.tags[TAG.RestoreVerified] === undefined) continue;
    drilledInVault.set(account, [...(drilledInVault.get(account) ?? []), s]);
  }
  const accounts: FleetAccount[] = [...input.accounts]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(({ id, name }) => {
      const reads = input.reads
        .filter((r) => r.accountId === id)
        .sort((a, b) => a.region.localeCompare(b.region));
      // A drill is recorded on the snapshot it restored: in the account, or on the vault's copy.
      const drills = lastDrills([...reads.flatMap((r) => r.snapshots), ...(drilledInVault.get(id) ?? [])]);
      return {
        accountId: id,
        ...(name === undefined ? {} : { name }),
        regions: reads.map((r) => r.region),
        clusters: reads
          .filter((r) => fleet.regions.includes(r.region))
          .flatMap((r) => protectedIn(input, r, reads, drills, vault)),
        unprotected: reads.flatMap((r) => unprotectedIn(fleet, r)),
        unread: input.unread.filter((u) => u.accountId === id),
      };
    });
  const clusters = accounts.flatMap((a) => a.clusters);
  return {
    at: input.now.toISOString(),
    regions: fleet.regions,
    ...(fleet.vaultAccount === undefined ? {} : { vaultAccount: fleet.vaultAccount }),
    objectiveHours: fleet.objectiveHours,
    accounts,
    vaultUnread,
    totals: {
      accounts: accounts.length,
      accountsRead: accounts.filter((a) => a.unread.length === 0).length,
      regionsRead: input.reads.length,
      placesUnread: input.unread.length,
      protectedClusters: clusters.length,
      failingClusters: clusters.filter((c) => c.problems.length > 0).length,
      unprotectedClusters: accounts.reduce((n, a) => n + a.unprotected.length, 0),
    },
  };
}
