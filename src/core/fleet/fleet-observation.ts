/**
 * What the fleet view reads in each account and region, and the one observation per account and region it
 * makes of it: the observation `status` makes of one account (src/core/plan/status.ts), so the fleet and the
 * single-account status decide the same way.
 */
import { copyRegionsOf } from '../copies/destinations.js';
import type { ClusterInfo, SnapshotInfo } from '../model/model.js';
import type { SourceObservation } from '../plan/observation.js';
import type { BackupPolicy } from '../policy/backup-policy.js';

/** One account's region as its status reader role saw it. */
export interface RegionRead {
  readonly accountId: string;
  readonly region: string;
  /** Every cluster DescribeDBClusters lists (other engines included: the report leaves them out itself). */
  readonly clusters: readonly ClusterInfo[];
  /** The account's own manual cluster snapshots in the region. */
  readonly snapshots: readonly SnapshotInfo[];
}

/** An account, or one region of it, that could not be read, and why (the role could not be assumed...). */
export interface UnreadPlace {
  readonly accountId: string;
  /** Undefined when nothing of the account could be read. */
  readonly region?: string | undefined;
  /** The error's stable name (AccessDenied, ThrottlingError...). */
  readonly code: string;
  readonly reason: string;
}

/** The organization's policy as the fleet view applies it: one Source block for every member and region. */
export interface FleetPolicy {
  /** The Source block; its Region is replaced by each region of `regions`. */
  readonly policy: BackupPolicy;
  /** Where members run the policy (Organization.Regions). */
  readonly regions: readonly string[];
  /** The account every member's copies are shared into (Organization.VaultAccount). */
  readonly vaultAccount?: string | undefined;
  /** Hours the recovery point may reach before the cluster is failing. */
  readonly objectiveHours: number;
}

/** The policy as it runs in `region`. */
export function policyIn(fleet: FleetPolicy, region: string): BackupPolicy {
  return { ...fleet.policy, Region: region };
}

/**
 * The regions to read in each member account: where the policy runs, then every other region its copies
 * go to (their DR copies are the recovery point), each once.
 */
export function memberRegions(fleet: FleetPolicy): string[] {
  const regions = new Set(fleet.regions);
  for (const region of fleet.regions) {
    for (const copyRegion of copyRegionsOf(policyIn(fleet, region))) regions.add(copyRegion);
  }
  return [...regions];
}

/**
 * The regions to read in the vault account: those where members share their snapshots (a share is copied
 * by the vault in the region it was shared in), each once.
 */
export function vaultRegions(fleet: FleetPolicy): string[] {
  return memberRegions(fleet);
}

/**
 * The observation `statusReport` reads for one account and region, from the reads of that account: the
 * region's clusters and snapshots, and the snapshots of each region its copies go to. The quota is not
 * read (the status reader role has no DescribeAccountAttributes); the fleet reports no quota.
 */
export function regionObservation(
  fleet: FleetPolicy,
  read: RegionRead,
  accountReads: readonly RegionRead[],
  now: Date,
): SourceObservation {
  const copyRegions = copyRegionsOf(policyIn(fleet, read.region));
  const snapshotsOf = (region: string): readonly SnapshotInfo[] =>
    accountReads.find((r) => r.accountId === read.accountId && r.region === region)?.snapshots ?? [];
  const [first] = copyRegions;
  return {
    now,
    accountId: read.accountId,
    region: read.region,
    clusters: read.clusters,
    snapshots: read.snapshots,
    destinationSnapshots: first === undefined ? [] : snapshotsOf(first),
    ...(copyRegions.length > 1
      ? { regionSnapshots: Object.fromEntries(copyRegions.map((r) => [r, snapshotsOf(r)])) }
      : {}),
    manualSnapshotQuota: 0,
    awsManagedKeys: [],
  };
}
