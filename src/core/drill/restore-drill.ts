/**
 * Restore drills, pure: which snapshot each drill restores, the names and tags of what it creates, how
 * far a restore has got, what a clean-up may delete (only what carries the drill tag), and the last
 * successful drill per cluster. The handlers, the CLI and the status report act on these decisions.
 */
import type { SnapshotInfo, Tags } from '../model/model.js';
import { MAX_IDENTIFIER_LENGTH, withSuffix } from '../model/naming.js';
import { compilePattern } from '../model/pattern.js';
import {
  isAvailable,
  isCopiedByTool,
  isManual,
  isToolBackup,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { RESTORE_DRILL_PURPOSE, TAG } from '../model/tags.js';
import { newestOf } from '../policy/point-in-time.js';
import { runsBetween } from '../policy/schedule.js';

/** What a drill needs from the configuration's RestoreDrill block. */
export interface DrillSettings {
  readonly Region: string;
  readonly SnapshotPattern: string;
  readonly MaxRestoreMinutes: number;
}

/** One restore a drill performs: the snapshot and the cluster and instance it creates from it. */
export interface DrillTarget {
  /** The cluster the data comes from. */
  readonly clusterId: string;
  readonly region: string;
  readonly snapshotId: string;
  readonly snapshotArn: string;
  readonly engine: string;
  readonly engineVersion: string | undefined;
  /** The snapshot's key: the restored cluster is encrypted with it. */
  readonly kmsKeyId: string | undefined;
  readonly drillClusterId: string;
  readonly drillInstanceId: string;
  /** The class of the instance, once the drill decided it for the engine version (see chooseInstanceClass). */
  readonly instanceClass?: string | undefined;
  /** Why the drill uses another class than InstanceClass, or could not check it. */
  readonly instanceClassNote?: string | undefined;
}

/** `YYYYMMDDHHMM` in UTC. */
export function drillStamp(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/**
 * What every drill cluster's name carries before its stamp. The drill role may tag, restore, create and
 * delete only under names ending in it and a stamp (see DRILL_NAME_GLOBS): an ARN pattern cannot tell
 * digits from letters, so a plain `-drill-` would also match user clusters such as
 * `orders-drill-staging-0001`; the tool's own name makes the pattern one no user cluster plausibly fits.
 */
export const DRILL_MARKER = '-snapshot-tool-drill-';
const STAMP = /^\d{12}$/;
const INSTANCE_SUFFIX = '-1';

/**
 * `<cluster>-snapshot-tool-drill-<YYYYMMDDHHMM>`, shortened with a hash when the cluster name is too long
 * for RDS, always short enough for its instance's name to keep the marker and the stamp.
 */
export function drillClusterName(clusterId: string, at: Date): string {
  return withSuffix(
    clusterId,
    `${DRILL_MARKER}${drillStamp(at)}`,
    MAX_IDENTIFIER_LENGTH - INSTANCE_SUFFIX.length,
  );
}

/** The one instance of a drill cluster. */
export function drillInstanceName(drillClusterId: string): string {
  return withSuffix(drillClusterId, INSTANCE_SUFFIX);
}

/**
 * The names drillClusterName and drillInstanceName give, as IAM resource name patterns (`?` is one
 * character: the stamp's twelve digits).
 */
export const DRILL_NAME_GLOBS = {
  cluster: `*${DRILL_MARKER}${'?'.repeat(12)}`,
  instance: `*${DRILL_MARKER}${'?'.repeat(12)}${INSTANCE_SUFFIX}`,
} as const;

/** True for a name drillClusterName (or, for an instance, drillInstanceName) gives. */
export function isDrillName(kind: 'cluster' | 'instance', id: string): boolean {
  const name =
    kind === 'instance' && id.endsWith(INSTANCE_SUFFIX) ? id.slice(0, -INSTANCE_SUFFIX.length) : id;
  if (kind === 'instance' && name === id) return false;
  const at = name.lastIndexOf(DRILL_MARKER);
  return at > 0 && STAMP.test(name.slice(at + DRILL_MARKER.length));
}

/** Tags of every cluster and instance a drill creates: the purpose (which alone permits deleting them) and the source. */
export function drillTags(target: Pick<DrillTarget, 'clusterId' | 'snapshotArn' | 'snapshotId'>): Tags {
  return {
    [TAG.Purpose]: RESTORE_DRILL_PURPOSE,
    [TAG.SourceCluster]: target.clusterId,
    [TAG.SourceSnapshot]: target.snapshotArn || target.snapshotId,
  };
}

/** A snapshot a drill may restore: an available manual snapshot the tool made (a copy or a backup). */
export function isDrillCandidate(snapshot: SnapshotInfo): boolean {
  return isManual(snapshot) && isAvailable(snapshot) && (isCopiedByTool(snapshot) || isToolBackup(snapshot));
}

export type DrillChoice =
  | { readonly ok: true; readonly targets: readonly DrillTarget[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Per cluster matching SnapshotPattern, the newest available snapshot the tool made in the region; or
 * the one snapshot named by `snapshotId` (which must exist and be available).
 */
export function chooseDrillTargets(input: {
  readonly snapshots: readonly SnapshotInfo[];
  readonly settings: DrillSettings;
  readonly now: Date;
  readonly snapshotId?: string | undefined;
}): DrillChoice {
  const { settings, now } = input;
  let chosen: SnapshotInfo[];
  if (input.snapshotId !== undefined) {
    const named = input.snapshots.find((s) => s.id === input.snapshotId || s.arn === input.snapshotId);
    if (!named)
      return { ok: false, reason: `snapshot ${input.snapshotId} does not exist in ${settings.Region}` };
    if (!isAvailable(named)) {
      return {
        ok: false,
        reason: `snapshot ${named.id} is ${named.status}, not available, in ${settings.Region}`,
      };
    }
    chosen = [named];
  } else {
    const matches = compilePattern(settings.SnapshotPattern);
    const byCluster = new Map<string, SnapshotInfo[]>();
    for (const snapshot of input.snapshots) {
      if (!isDrillCandidate(snapshot) || !matches(sourceClusterOf(snapshot))) continue;
      const clusterId = sourceClusterOf(snapshot);
      byCluster.set(clusterId, [...(byCluster.get(clusterId) ?? []), snapshot]);
    }
    chosen = [...byCluster.keys()]
      .sort()
      .map((clusterId) => newestOf(byCluster.get(clusterId) as SnapshotInfo[]))
      .filter((s): s is SnapshotInfo => s !== undefined);
    if (chosen.length === 0) {
      return {
        ok: false,
        reason: `no available snapshot made by the tool matches SnapshotPattern ${settings.SnapshotPattern} in ${settings.Region}`,
      };
    }
  }
  const targets = chosen.map((snapshot): DrillTarget => {
    const clusterId = sourceClusterOf(snapshot);
    const drillClusterId = drillClusterName(clusterId, now);
    return {
      clusterId,
      region: settings.Region,
      snapshotId: snapshot.id,
      snapshotArn: snapshot.arn,
      engine: snapshot.engine ?? 'aurora-postgresql',
      engineVersion: snapshot.engineVersion,
      kmsKeyId: snapshot.kmsKeyId,
      drillClusterId,
      drillInstanceId: drillInstanceName(drillClusterId),
    };
  });
  return { ok: true, targets };
}

/** The instance class that gives a drill cluster Serverless v2 capacity (ServerlessV2ScalingConfiguration). */
export const SERVERLESS_CLASS = 'db.serverless';

/**
 * What a drill falls back to when the engine version has no Serverless v2 (Aurora MySQL 2 and 3.01, Aurora
 * PostgreSQL before 13.6 or 14.3): the smallest classes Aurora offers, cheapest first.
 */
export const SMALL_INSTANCE_CLASSES = [
  'db.t4g.medium',
  'db.t3.medium',
  'db.t4g.large',
  'db.t3.large',
  'db.r6g.large',
  'db.r5.large',
  'db.r4.large',
] as const;

export type InstanceClassChoice =
  | { readonly ok: true; readonly instanceClass: string; readonly note?: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The class of a drill's instance, from what RDS offers for the snapshot's engine version
 * (DescribeOrderableDBInstanceOptions): InstanceClass when offered; for db.serverless on a version without
 * Serverless v2, the smallest class offered (the drill proves the restore, and db.serverless stands for
 * "the smallest"); another class that is not offered is refused, naming the version and what is offered.
 * When RDS lists nothing for the version the drill cannot tell, so it tries InstanceClass and says so.
 */
export function chooseInstanceClass(input: {
  readonly wanted: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly region: string;
  /** The classes RDS offers for the engine version (only `wanted` when it is offered). */
  readonly offered: readonly string[];
}): InstanceClassChoice {
  const { wanted, offered } = input;
  const version = `${input.engine} ${input.engineVersion} in ${input.region}`;
  if (offered.includes(wanted)) return { ok: true, instanceClass: wanted };
  if (offered.length === 0) {
    return {
      ok: true,
      instanceClass: wanted,
      note: `RDS lists no orderable instance class for ${version}; the drill tries ${wanted}`,
    };
  }
  const small = SMALL_INSTANCE_CLASSES.find((candidate) => offered.includes(candidate));
  if (wanted === SERVERLESS_CLASS && small !== undefined) {
    return {
      ok: true,
      instanceClass: small,
      note: `${version} has no Serverless v2 (${SERVERLESS_CLASS}): the drill uses ${small}, the smallest class offered for it`,
    };
  }
  const sorted = [...new Set(offered)].sort(bySize);
  const shown = sorted.slice(0, 8).join(', ') + (sorted.length > 8 ? ` and ${sorted.length - 8} more` : '');
  return {
    ok: false,
    reason: `${wanted} is not offered for ${version} (RDS's orderable instance options); set InstanceClass to one that is: ${shown}`,
  };
}

/** Smallest first: the fallback list's order, then the rest by name. */
function bySize(a: string, b: string): number {
  const rank = (c: string) => {
    const at = (SMALL_INSTANCE_CLASSES as readonly string[]).indexOf(c);
    return at === -1 ? SMALL_INSTANCE_CLASSES.length : at;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** A cluster or instance as a clean-up sees it. */
export interface DrillResource {
  readonly kind: 'cluster' | 'instance';
  readonly id: string;
  readonly status: string;
  readonly tags: Tags;
  /** For an instance, its cluster. */
  readonly clusterId?: string | undefined;
}

/**
 * A drill's own cluster or instance: it carries the drill tag and a drill's name, the two things the drill
 * role's deletes require. A name that looks like a drill's is not enough, nor is the tag on another name
 * (the role could not delete it: it is left alone rather than failing every drill).
 */
export function isDrillResource(resource: DrillResource): boolean {
  return resource.tags[TAG.Purpose] === RESTORE_DRILL_PURPOSE && isDrillName(resource.kind, resource.id);
}

export interface DrillDeletion {
  readonly kind: 'cluster' | 'instance';
  readonly id: string;
}

export interface CleanupPlan {
  /** Deletions to start now: tagged instances, then tagged clusters that have no instance left. */
  readonly deletions: readonly DrillDeletion[];
  /** Tagged resources that still exist (being deleted, or waiting for their instances to go). */
  readonly remaining: number;
}

const GONE = new Set(['deleting']);

/**
 * What a clean-up deletes: every tagged drill instance, and every tagged drill cluster once none of its
 * instances remain (RDS refuses to delete a cluster that has instances). `keep` names clusters left for
 * inspection (`drill --keep`) and their instances.
 */
export function planCleanup(
  resources: readonly DrillResource[],
  keep: ReadonlySet<string> = new Set(),
): CleanupPlan {
  const tagged = resources.filter(
    // Stryker disable next-line StringLiteral: equivalent, any text stands for "no cluster" when `keep` names none such
    (r) => isDrillResource(r) && !keep.has(r.kind === 'cluster' ? r.id : (r.clusterId ?? '')),
  );
  // Clusters that still have an instance, tagged or not: RDS refuses to delete them.
  const withInstances = new Set(
    // Stryker disable next-line MethodExpression,ConditionalExpression: equivalent, a cluster carries no clusterId, so counting clusters adds only undefined
    resources.filter((r) => r.kind === 'instance').map((r) => r.clusterId),
  );
  const deletions: DrillDeletion[] = [];
  for (const resource of tagged) {
    if (GONE.has(resource.status)) continue;
    if (resource.kind === 'instance') deletions.push({ kind: 'instance', id: resource.id });
  }
  for (const resource of tagged) {
    if (resource.kind !== 'cluster' || GONE.has(resource.status)) continue;
    if (!withInstances.has(resource.id)) deletions.push({ kind: 'cluster', id: resource.id });
  }
  return { deletions, remaining: tagged.length };
}

/** States from which a restore or an instance will not become available. */
const FAILED_STATES = new Set([
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'restore-error',
  'storage-full',
  'deleting',
]);

export type DrillProgress =
  | { readonly state: 'available'; readonly minutes: number }
  | { readonly state: 'pending'; readonly minutes: number; readonly waitingFor: string }
  | { readonly state: 'failed'; readonly minutes: number; readonly reason: string }
  | { readonly state: 'timed-out'; readonly minutes: number; readonly reason: string };

/** Whole minutes from `startedAt` to `now`, at least 1 once anything has elapsed. */
export function elapsedMinutes(startedAt: Date, now: Date): number {
  return Math.max(0, Math.ceil((now.getTime() - startedAt.getTime()) / 60_000));
}

/** Where a drill's restore stands: both cluster and instance available, still coming, failed, or too slow. */
export function drillProgress(input: {
  readonly target: Pick<DrillTarget, 'drillClusterId' | 'drillInstanceId' | 'snapshotId'>;
  readonly clusterStatus: string | undefined;
  readonly instanceStatus: string | undefined;
  readonly startedAt: Date;
  readonly now: Date;
  readonly maxRestoreMinutes: number;
}): DrillProgress {
  const { target } = input;
  const minutes = elapsedMinutes(input.startedAt, input.now);
  const from = `restored from snapshot ${target.snapshotId}`;
  if (input.clusterStatus === undefined) {
    return { state: 'failed', minutes, reason: `cluster ${target.drillClusterId} (${from}) does not exist` };
  }
  if (FAILED_STATES.has(input.clusterStatus)) {
    return {
      state: 'failed',
      minutes,
      reason: `cluster ${target.drillClusterId} (${from}) is ${input.clusterStatus}`,
    };
  }
  if (input.instanceStatus === undefined) {
    return {
      state: 'failed',
      minutes,
      reason: `instance ${target.drillInstanceId} of the cluster ${from} does not exist`,
    };
  }
  if (FAILED_STATES.has(input.instanceStatus)) {
    return {
      state: 'failed',
      minutes,
      reason: `instance ${target.drillInstanceId} of the cluster ${from} is ${input.instanceStatus}`,
    };
  }
  if (input.clusterStatus === 'available' && input.instanceStatus === 'available') {
    return { state: 'available', minutes: Math.max(1, minutes) };
  }
  const waitingFor =
    input.clusterStatus !== 'available'
      ? `cluster ${target.drillClusterId} is ${input.clusterStatus}`
      : `instance ${target.drillInstanceId} is ${input.instanceStatus}`;
  if (minutes > input.maxRestoreMinutes) {
    return {
      state: 'timed-out',
      minutes,
      reason: `the restore of snapshot ${target.snapshotId} took more than MaxRestoreMinutes (${input.maxRestoreMinutes}): ${waitingFor} after ${minutes} minutes`,
    };
  }
  return { state: 'pending', minutes, waitingFor };
}

/** The tags a successful drill leaves on the snapshot it restored. */
export function verifiedTags(at: Date, minutes: number): Tags {
  return { [TAG.RestoreVerified]: at.toISOString(), [TAG.RestoreMinutes]: String(minutes) };
}

export interface LastDrill {
  readonly snapshotId: string;
  readonly region: string;
  /** ISO time of the drill. */
  readonly at: string;
  readonly minutes: number | undefined;
}

/** Per source cluster, the most recent successful drill recorded on its snapshots. */
export function lastDrills(snapshots: readonly SnapshotInfo[]): Map<string, LastDrill> {
  const last = new Map<string, LastDrill>();
  for (const snapshot of snapshots) {
    const at = snapshot.tags[TAG.RestoreVerified];
    // Stryker disable next-line ConditionalExpression: equivalent, Date.parse of a missing tag is NaN too
    if (at === undefined || Number.isNaN(Date.parse(at))) continue;
    const clusterId = sourceClusterOf(snapshot);
    const known = last.get(clusterId);
    if (known && Date.parse(known.at) >= Date.parse(at)) continue;
    const minutes = Number(snapshot.tags[TAG.RestoreMinutes]);
    last.set(clusterId, {
      snapshotId: snapshot.id,
      region: snapshot.region,
      at: new Date(at).toISOString(),
      minutes: Number.isFinite(minutes) ? minutes : undefined,
    });
  }
  return last;
}

/**
 * True when no drill succeeded within two drill periods: one missed drill is a late run, two mean the
 * drills stopped or keep failing.
 */
export function drillOverdue(last: LastDrill | undefined, now: Date, periodHours: number): boolean {
  if (last === undefined) return true;
  return now.getTime() - Date.parse(last.at) > 2 * periodHours * 3_600_000;
}

/**
 * Hours between two runs of the drill schedule: the longest gap among its next runs (a weekly drill is
 * 168), so "two periods" allows one missed drill whatever the schedule's shape.
 */
export function drillPeriodHours(schedule: string, now: Date): number {
  const runs = runsBetween(schedule, now, new Date(now.getTime() + 400 * 86_400_000), 60);
  let longest = 0;
  for (let i = 1; i < runs.length; i++) {
    longest = Math.max(longest, (runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime());
  }
  return longest === 0 ? 24 * 365 : longest / 3_600_000;
}

export interface ClusterDrillStatus {
  readonly clusterId: string;
  readonly lastDrill: LastDrill | undefined;
  /** No successful drill within two periods of the schedule. */
  readonly overdue: boolean;
}

export interface DrillStatusReport {
  readonly region: string;
  readonly schedule: string;
  readonly periodHours: number;
  readonly clusters: readonly ClusterDrillStatus[];
}

/**
 * Per cluster matching the drill's pattern (the clusters given, and those whose snapshots in the drill
 * region record a drill), the last successful drill and whether it is overdue.
 */
export function drillStatus(input: {
  readonly snapshots: readonly SnapshotInfo[];
  readonly clusterIds: readonly string[];
  readonly settings: Pick<DrillSettings, 'Region' | 'SnapshotPattern'> & { readonly Schedule: string };
  readonly now: Date;
}): DrillStatusReport {
  const matches = compilePattern(input.settings.SnapshotPattern);
  const last = lastDrills(input.snapshots);
  const periodHours = drillPeriodHours(input.settings.Schedule, input.now);
  const ids = [...new Set([...input.clusterIds, ...last.keys()])].filter(matches).sort();
  return {
    region: input.settings.Region,
    schedule: input.settings.Schedule,
    periodHours,
    clusters: ids.map((clusterId) => {
      const lastDrill = last.get(clusterId);
      return { clusterId, lastDrill, overdue: drillOverdue(lastDrill, input.now, periodHours) };
    }),
  };
}
