/** Which copy a restore restores: the newest available copy of the cluster, and why, in words. */
import type { SnapshotInfo } from '../model/model.js';
import {
  isAvailable,
  isCopiedByTool,
  isManual,
  isToolBackup,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { TAG } from '../model/tags.js';
import { newestFirst, pointInTimeOf, timeOf } from '../policy/point-in-time.js';

export type RestoreChoice =
  | { readonly ok: true; readonly snapshot: SnapshotInfo; readonly reason: string }
  | { readonly ok: false; readonly parameter: string; readonly value?: string; readonly reason: string };

/** The tool's own snapshots of a cluster: its backups and its copies (never a snapshot made by hand). */
export function isRestoreCandidate(snapshot: SnapshotInfo, clusterId: string): boolean {
  return (
    isManual(snapshot) &&
    (isCopiedByTool(snapshot) || isToolBackup(snapshot)) &&
    sourceClusterOf(snapshot) === clusterId
  );
}

/** When the last successful drill restored this snapshot (its `SnapshotTool:RestoreVerified` tag). */
export function drilledAt(snapshot: SnapshotInfo): Date | undefined {
  const value = snapshot.tags[TAG.RestoreVerified];
  if (value === undefined) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function describe(snapshot: SnapshotInfo): string {
  const at = pointInTimeOf(snapshot);
  return `${snapshot.id} (point in time ${at === undefined ? 'unknown' : at.toISOString()})`;
}

function drilledText(snapshot: SnapshotInfo): string {
  const at = drilledAt(snapshot);
  return at === undefined ? 'never drilled' : `drilled successfully on ${at.toISOString()}`;
}

/**
 * The copy to restore, among the region's snapshots: the one `snapshotId` names (which must be available
 * and of the cluster), else the newest available copy of `clusterId` whose point in time is not after
 * `before`. Between copies of the same point in time one a drill restored comes first. The newest copy
 * wins over an older drilled one (a drill runs weekly, copies daily: preferring the drilled one would
 * lose days of data by default); the reason then names the newest drilled copy so the user can choose it.
 */
export function chooseRestoreSnapshot(input: {
  readonly snapshots: readonly SnapshotInfo[];
  readonly clusterId: string;
  readonly region: string;
  readonly snapshotId?: string | undefined;
  readonly before?: Date | undefined;
  /** The account the cluster was in (`--source-account`): in a vault, copies of clusters of the same name from several accounts. */
  readonly sourceAccount?: string | undefined;
}): RestoreChoice {
  const { clusterId, region } = input;
  if (input.snapshotId !== undefined) {
    const named = input.snapshots.find((s) => s.id === input.snapshotId || s.arn === input.snapshotId);
    if (!named) {
      return {
        ok: false,
        parameter: '--snapshot',
        value: input.snapshotId,
        reason: `no snapshot ${input.snapshotId} in ${region}; leave --snapshot out to restore the newest copy of ${clusterId}`,
      };
    }
    if (input.sourceAccount !== undefined && ownerOf(named) !== input.sourceAccount) {
      return {
        ok: false,
        parameter: '--snapshot',
        value: input.snapshotId,
        reason: `snapshot ${named.id} holds a cluster of account ${ownerOf(named) ?? 'unknown (no SourceAccount tag)'}, not ${input.sourceAccount}`,
      };
    }
    if (sourceClusterOf(named) !== clusterId) {
      return {
        ok: false,
        parameter: '--snapshot',
        value: input.snapshotId,
        reason: `snapshot ${named.id} holds cluster ${sourceClusterOf(named)}, not ${clusterId}`,
      };
    }
    if (!isAvailable(named)) {
      return {
        ok: false,
        parameter: '--snapshot',
        value: input.snapshotId,
        reason: `snapshot ${named.id} is ${named.status}, not available`,
      };
    }
    return { ok: true, snapshot: named, reason: `the snapshot named by --snapshot, ${drilledText(named)}` };
  }
  const before = input.before?.getTime();
  const ofCluster = input.snapshots.filter((s) => isRestoreCandidate(s, clusterId));
  const owners = [
    ...new Set(ofCluster.map(ownerOf).filter((owner): owner is string => owner !== undefined)),
  ].sort();
  if (input.sourceAccount === undefined && owners.length > 1) {
    // A vault for several accounts: restoring the newest copy of any of them could bring back another
    // account's data under this cluster's name.
    return {
      ok: false,
      parameter: '--source-account',
      reason: `copies of a cluster ${clusterId} of ${owners.length} accounts are in ${region} (${owners.join(', ')}): name the account whose cluster to restore with --source-account`,
    };
  }
  const candidates =
    input.sourceAccount === undefined
      ? ofCluster
      : ofCluster.filter((s) => ownerOf(s) === input.sourceAccount);
  const inTime = candidates.filter((s) => {
    const ms = timeOf(s);
    return before === undefined || (ms !== undefined && ms <= before);
  });
  const available = inTime.filter(isAvailable).sort(byNewestThenDrilled);
  const chosen = available[0];
  if (chosen === undefined) {
    const beforeText =
      input.before === undefined ? '' : ` with a point in time at or before ${input.before.toISOString()}`;
    // Here no copy in time is available: every one of them is still being made, or failed.
    const notAvailable = inTime.length;
    return {
      ok: false,
      parameter: input.before === undefined ? '--cluster' : '--before',
      value: input.before === undefined ? clusterId : input.before.toISOString(),
      reason:
        `no available copy of ${clusterId} made by the tool in ${region}${beforeText}` +
        (notAvailable > 0 ? ` (${notAvailable} not available yet)` : '') +
        (candidates.length === 0
          ? `; check --region and --account${input.sourceAccount === undefined ? '' : ' and --source-account'}`
          : ''),
    };
  }
  const what =
    input.before === undefined
      ? 'newest available copy'
      : `newest available copy at or before ${input.before.toISOString()}`;
  let reason = `${what}, ${drilledText(chosen)}`;
  if (drilledAt(chosen) === undefined) {
    const drilled = available.find((s) => drilledAt(s) !== undefined);
    if (drilled !== undefined) {
      reason += `; the newest drilled copy is ${describe(drilled)}, ${drilledText(drilled)}: restore it with --snapshot ${drilled.id}`;
    }
  }
  return { ok: true, snapshot: chosen, reason };
}

/**
 * The account whose cluster the snapshot holds: its SourceAccount tag; a backup without it is of its own
 * account; a copy without it (made before the tag existed) is of an account unknown.
 */
function ownerOf(snapshot: SnapshotInfo): string | undefined {
  return snapshot.tags[TAG.SourceAccount] ?? (isCopiedByTool(snapshot) ? undefined : snapshot.accountId);
}

function byNewestThenDrilled(a: SnapshotInfo, b: SnapshotInfo): number {
  if (timeOf(a) === timeOf(b)) {
    const da = drilledAt(a) !== undefined;
    const db = drilledAt(b) !== undefined;
    if (da !== db) return da ? -1 : 1;
  }
  return newestFirst(a, b);
}
