/**
 * `status --organization` at the size of a large organization: the reader (src/aws/fleet-reader.ts) and the
 * fleet report (src/core/fleet) over in-memory Organizations and RDS readers behind the same ports, each
 * request answered after a fixed simulated latency. Measures the elapsed time, the RDS requests per account
 * and the most RDS requests one account ever had in flight at once (its API budget).
 */
import { loadavg } from 'node:os';
import {
  ACCOUNTS_IN_PARALLEL,
  accountsUnder,
  type OrganizationsApi,
  RDS_REQUESTS_PER_ACCOUNT,
  type RegionReader,
  readFleet,
} from '../src/aws/fleet-reader.js';
import { type FleetPolicy, fleetReport, memberRegions, vaultRegions } from '../src/core/fleet/index.js';
import type { ClusterInfo, SnapshotInfo } from '../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../src/core/model/tags.js';
import type { BackupPolicy } from '../src/core/policy/backup-policy.js';
import { type MachineInfo, machineInfo } from './report.js';

/**
 * Simulated latency of one request, in milliseconds: typical answers of these calls from the same region
 * (a page of 100 cluster snapshots with their tags is the slowest), fixed so that runs compare. Not
 * measured against AWS.
 */
export const SIMULATED_LATENCY_MS = {
  organizationsList: 150,
  assumeRole: 120,
  describeDBClusters: 200,
  describeDBClusterSnapshotsPage: 300,
} as const;

/** RDS's page size of DescribeDBClusterSnapshots and DescribeDBClusters (MaxRecords at most 100). */
const PAGE = 100;

export interface FleetBenchOptions {
  readonly accounts?: number;
  readonly regions?: number;
  readonly clustersPerRegion?: number;
  /** Daily backups each member keeps (and DR copies of each in the next region). @default 7 */
  readonly backupsPerCluster?: number;
  /** Days of copies the vault keeps of every cluster. @default 7 */
  readonly vaultDays?: number;
  /** Accounts read at once (readFleet's accountsInParallel; 1 reads one after another). @default ACCOUNTS_IN_PARALLEL */
  readonly accountsInParallel?: number;
  readonly log?: (message: string) => void;
}

export interface FleetBenchResult {
  readonly accounts: number;
  readonly regions: number;
  readonly clustersPerRegion: number;
  readonly snapshotsPerMemberRegion: number;
  readonly vaultSnapshots: number;
  readonly latencyMs: typeof SIMULATED_LATENCY_MS;
  readonly accountsInParallel: number;
  readonly rdsRequestsPerAccountLimit: number;
  readonly elapsedSeconds: number;
  readonly rdsRequestsPerAccount: { readonly min: number; readonly max: number };
  readonly maxConcurrentRdsRequestsPerAccount: number;
  readonly vaultRdsRequests: number;
  readonly assumeRoleCalls: number;
  readonly organizationsCalls: number;
  readonly protectedClusters: number;
  readonly failingClusters: number;
  readonly unprotectedClusters: number;
  /** Accounts or regions the report could not read (none in this estate). */
  readonly placesUnread: number;
}

const REGION_NAMES = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'eu-central-1'];
const VAULT = '999999999999';
/** The region every member copies to, and where it shares with the vault. */
const DR_REGION = 'us-west-2';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Per account: RDS requests made, in flight now, and the most in flight at once. */
class AccountMeter {
  requests = 0;
  inFlight = 0;
  maxInFlight = 0;
  async request<T>(latencyMs: number, answer: () => T): Promise<T> {
    this.requests++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await sleep(latencyMs);
      return answer();
    } finally {
      this.inFlight--;
    }
  }
}

function snapshotOf(
  account: string,
  region: string,
  id: string,
  clusterId: string,
  at: Date,
  tags: Record<string, string>,
): SnapshotInfo {
  return {
    id,
    arn: `arn:aws:rds:${region}:${account}:cluster-snapshot:${id}`,
    clusterId,
    region,
    accountId: account,
    type: 'manual',
    status: 'available',
    createTime: at,
    encrypted: true,
    kmsKeyId: 'key',
    tags: { [TAG.PointInTime]: at.toISOString(), [TAG.SourceCluster]: clusterId, ...tags },
  };
}

/** An in-memory region of one account: its clusters and snapshots, paged and metered as RDS would answer. */
function memoryReader(meter: AccountMeter, clusters: ClusterInfo[], snapshots: SnapshotInfo[]): RegionReader {
  return {
    async listClusters() {
      const pages = Math.max(1, Math.ceil(clusters.length / PAGE));
      for (let i = 0; i < pages; i++) await meter.request(SIMULATED_LATENCY_MS.describeDBClusters, () => 0);
      return clusters;
    },
    async listSnapshots() {
      const pages = Math.max(1, Math.ceil(snapshots.length / PAGE));
      for (let i = 0; i < pages; i++)
        await meter.request(SIMULATED_LATENCY_MS.describeDBClusterSnapshotsPage, () => 0);
      return snapshots;
    },
  };
}

export async function runFleetStatus(options: FleetBenchOptions = {}): Promise<FleetBenchResult> {
  const accounts = options.accounts ?? 50;
  const regionCount = options.regions ?? 3;
  const clustersPerRegion = options.clustersPerRegion ?? 20;
  const backups = options.backupsPerCluster ?? 7;
  const vaultDays = options.vaultDays ?? 7;
  const accountsInParallel = options.accountsInParallel ?? ACCOUNTS_IN_PARALLEL;
  const log = options.log ?? (() => {});
  const regions = REGION_NAMES.slice(0, regionCount);
  const now = new Date('2026-06-01T12:00:00Z');
  const ids = Array.from({ length: accounts }, (_, i) => String(100_000_000_000 + i));

  // Every region copies to one DR region, where the copies are shared with the vault (Source.Destinations).
  const policy: BackupPolicy = {
    Region: regions[0] as string,
    ClusterNamePattern: 'ALL_CLUSTERS',
    ClusterTags: { backup: 'daily' },
    BackupInterval: 24,
    BackupSchedule: '0 2 * * ? *',
    ShareSnapshots: true,
    MaxWaitMinutes: 180,
    RetentionDays: backups,
    DeleteOldSnapshots: true,
    KeepLast: 0,
    KeepDaily: 0,
    KeepWeekly: 0,
    KeepMonthly: 0,
    KeepYearly: 0,
    MaxDeletesPerPass: 50,
    ScheduleTimezone: 'UTC',
    Destinations: [{ Region: DR_REGION }, { Region: DR_REGION, Account: VAULT }],
  };
  const fleet: FleetPolicy = { policy, regions, vaultAccount: VAULT, objectiveHours: 48 };

  // The estate, in memory.
  const data = new Map<string, { clusters: ClusterInfo[]; snapshots: SnapshotInfo[] }>();
  const vaultData = new Map<string, SnapshotInfo[]>([[DR_REGION, []]]);
  const place = (account: string, region: string) => {
    const key = `${account}/${region}`;
    let entry = data.get(key);
    if (!entry) {
      entry = { clusters: [], snapshots: [] };
      data.set(key, entry);
    }
    return entry;
  };
  for (const account of ids) {
    for (const region of regions) {
      for (let c = 0; c < clustersPerRegion; c++) {
        // One cluster in ten is untagged: the report names it.
        const clusterId = `${region}-db-${c}`;
        place(account, region).clusters.push({
          id: clusterId,
          arn: `arn:aws:rds:${region}:${account}:cluster:${clusterId}`,
          engine: 'aurora-postgresql',
          status: 'available',
          encrypted: true,
          kmsKeyId: 'key',
          tags: c % 10 === 9 ? {} : { backup: 'daily' },
        });
        if (c % 10 === 9) continue;
        for (let d = 0; d < backups; d++) {
          const at = new Date(now.getTime() - (d * 24 + 10) * 3_600_000);
          const id = `${clusterId}-${at.toISOString().slice(0, 16).replace(/[T:]/g, '-')}`;
          const common = { [TAG.SourceRegion]: region, [TAG.SourceAccount]: account };
          place(account, region).snapshots.push(
            snapshotOf(account, region, id, clusterId, at, {
              ...common,
              [TAG.CreatedBy]: TOOL_TAG_VALUE,
              [TAG.Purpose]: 'backup',
            }),
          );
          place(account, DR_REGION).snapshots.push(
            snapshotOf(account, DR_REGION, id, clusterId, at, {
              ...common,
              [TAG.CopiedBy]: TOOL_TAG_VALUE,
              [TAG.Purpose]: 'dr-copy',
              // Shared with the vault, as the copy-and-share destination does: the estate is healthy.
              [TAG.SharedWith]: VAULT,
            }),
          );
          if (d < vaultDays) {
            vaultData.get(DR_REGION)?.push(
              snapshotOf(VAULT, DR_REGION, `${account}-${id}`, clusterId, at, {
                ...common,
                [TAG.CopiedBy]: TOOL_TAG_VALUE,
                [TAG.Purpose]: 'dr-copy',
              }),
            );
          }
        }
      }
    }
  }

  const meters = new Map<string, AccountMeter>();
  const meterOf = (account: string) => {
    let meter = meters.get(account);
    if (!meter) {
      meter = new AccountMeter();
      meters.set(account, meter);
    }
    return meter;
  };
  let organizationsCalls = 0;
  const organizations: OrganizationsApi = {
    async *accountPages(parentId) {
      // Organizations pages accounts 20 at a time.
      const members = parentId === 'ou-bench-members' ? ids : [];
      for (let start = 0; start === 0 || start < members.length; start += 20) {
        organizationsCalls++;
        await sleep(SIMULATED_LATENCY_MS.organizationsList);
        yield { Accounts: members.slice(start, start + 20).map((Id) => ({ Id, Status: 'ACTIVE' })) };
      }
    },
    async *unitPages() {
      organizationsCalls++;
      await sleep(SIMULATED_LATENCY_MS.organizationsList);
      yield { OrganizationalUnits: [] };
    },
  };
  let assumeRoleCalls = 0;
  const assume = async (account: string, region: string): Promise<RegionReader> => {
    assumeRoleCalls++;
    await sleep(SIMULATED_LATENCY_MS.assumeRole);
    if (account === VAULT) return memoryReader(meterOf(VAULT), [], vaultData.get(region) ?? []);
    const entry = place(account, region);
    return memoryReader(meterOf(account), entry.clusters, entry.snapshots);
  };

  log(
    `fleet status: ${accounts} accounts x ${regionCount} regions x ${clustersPerRegion} clusters, up to ${accountsInParallel} account(s) at once, simulated latency`,
  );
  const started = performance.now();
  const found = await accountsUnder(organizations, ['ou-bench-members']);
  const reads = await readFleet({
    accounts: found,
    regions: memberRegions(fleet),
    vaultAccount: VAULT,
    vaultRegions: vaultRegions(fleet),
    assume,
    accountsInParallel,
  });
  const report = fleetReport({ now, fleet, accounts: found, ...reads });
  const elapsedSeconds = Math.round((performance.now() - started) / 10) / 100;

  const members = ids.map((id) => meterOf(id));
  const sizes = [...data.values()].map((d) => d.snapshots.length);
  return {
    accounts,
    regions: regionCount,
    clustersPerRegion,
    snapshotsPerMemberRegion: Math.max(...sizes),
    vaultSnapshots: [...vaultData.values()].reduce((n, list) => n + list.length, 0),
    latencyMs: SIMULATED_LATENCY_MS,
    accountsInParallel,
    rdsRequestsPerAccountLimit: RDS_REQUESTS_PER_ACCOUNT,
    elapsedSeconds,
    rdsRequestsPerAccount: {
      min: Math.min(...members.map((m) => m.requests)),
      max: Math.max(...members.map((m) => m.requests)),
    },
    maxConcurrentRdsRequestsPerAccount: Math.max(...[...meters.values()].map((m) => m.maxInFlight)),
    vaultRdsRequests: meterOf(VAULT).requests,
    assumeRoleCalls,
    organizationsCalls,
    protectedClusters: report.totals.protectedClusters,
    failingClusters: report.totals.failingClusters,
    unprotectedClusters: report.totals.unprotectedClusters,
    placesUnread: report.totals.placesUnread,
  };
}

/** The target: 50 accounts x 3 regions x 20 clusters read and reported in under a minute. */
export const FLEET_TARGET_SECONDS = 60;

/** The comparison `npm run bench` runs: the reader as it is, and the same reader one account at a time. */
export interface FleetStatusResult {
  /** When this comparison ran (it may be run alone and merged into an older results file). */
  readonly date: string;
  /** The machine and its load during this comparison (the same as the file's when the whole bench ran). */
  readonly machine: MachineInfo;
  /** The reader with its defaults: ACCOUNTS_IN_PARALLEL accounts at once. */
  readonly parallel: FleetBenchResult;
  /** The same reader over the same estate, accounts read one after another (accountsInParallel 1). */
  readonly sequential: FleetBenchResult;
  /** sequential.elapsedSeconds / parallel.elapsedSeconds. */
  readonly speedUp: number;
  readonly targetSeconds: number;
  /** No account, in either run, ever had more RDS requests in flight than RDS_REQUESTS_PER_ACCOUNT. */
  readonly withinBudget: boolean;
  /** The parallel run under targetSeconds, within budget. */
  readonly met: boolean;
}

export async function runFleetComparison(
  options: Omit<FleetBenchOptions, 'accountsInParallel'> = {},
): Promise<FleetStatusResult> {
  const date = new Date().toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const parallel = await runFleetStatus(options);
  const sequential = await runFleetStatus({ ...options, accountsInParallel: 1 });
  const withinBudget = [parallel, sequential].every(
    (run) => run.maxConcurrentRdsRequestsPerAccount <= run.rdsRequestsPerAccountLimit,
  );
  return {
    date,
    machine: machineInfo(loadAtStart),
    parallel,
    sequential,
    speedUp: Math.round((sequential.elapsedSeconds / parallel.elapsedSeconds) * 100) / 100,
    targetSeconds: FLEET_TARGET_SECONDS,
    withinBudget,
    met: withinBudget && parallel.elapsedSeconds < FLEET_TARGET_SECONDS,
  };
}
