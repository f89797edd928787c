/**
 * The fan-out of a source job to its destinations (pure): where each snapshot's copy is in each region,
 * whether a destination has received a snapshot (its copy, its share), what each destination's newest
 * delivered snapshot is, and how long the oldest snapshot it still lacks has waited. The planner (copies,
 * shares, holds) and the status report read the same answers.
 */

import type { SnapshotInfo } from '../model/model.js';
import { shareCopyName, withSuffix } from '../model/naming.js';
import {
  isAvailable,
  isCopiedByTool,
  isManual,
  isMarkedForCopy,
  isShareCopy,
  isSharedWith,
  isToolBackup,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { TAG } from '../model/tags.js';
import type { SourceObservation } from '../plan/observation.js';
import type { Action } from '../plan/plan.js';
import type { BackupPolicy } from '../policy/backup-policy.js';
import { ageMs, hoursToMs, newestOf, timeOf } from '../policy/point-in-time.js';
import { type DestinationTarget, destinationId, destinationsOf } from './destinations.js';

/** Where the copies of snapshots are in one region, and which names are free there. */
export interface CopyIndex {
  /**
   * The copy of `source`: the snapshot whose SourceSnapshot tag names it, else (copies made before that
   * tag existed) a copy with the expected name and no SourceSnapshot tag.
   */
  of(source: SnapshotInfo): SnapshotInfo | undefined;
  /**
   * A name for a new copy: `preferred`, or `preferred` + `suffix` when a snapshot of other data holds it
   * (two source regions with the same cluster name copying into one region at the same minute).
   * Undefined when both are taken. The name is reserved for the rest of the plan.
   */
  reserve(preferred: string, suffix: string): string | undefined;
}

export function indexCopies(
  region: readonly SnapshotInfo[],
  nameOf: (source: SnapshotInfo) => string,
  isCopy: (snapshot: SnapshotInfo) => boolean,
): CopyIndex {
  const bySource = new Map<string, SnapshotInfo>();
  const byId = new Map<string, SnapshotInfo | undefined>();
  for (const snapshot of region) {
    const source = snapshot.tags[TAG.SourceSnapshot];
    if (source !== undefined) bySource.set(source, snapshot);
    byId.set(snapshot.id, snapshot);
  }
  return {
    of(source) {
      const tagged = bySource.get(source.arn);
      if (tagged !== undefined) return tagged;
      const named = byId.get(nameOf(source));
      return named !== undefined && named.tags[TAG.SourceSnapshot] === undefined && isCopy(named)
        ? named
        : undefined;
    },
    reserve(preferred, suffix) {
      for (const name of [preferred, withSuffix(preferred, suffix)]) {
        if (!byId.has(name)) {
          byId.set(name, undefined);
          return name;
        }
      }
      return undefined;
    },
  };
}

/** The account's manual snapshots the observation saw in `region` (the source region or a copy region). */
export function snapshotsIn(obs: SourceObservation, region: string): readonly SnapshotInfo[] {
  if (region === obs.region) return obs.snapshots;
  return obs.regionSnapshots?.[region] ?? obs.destinationSnapshots;
}

/** The destinations copies and shares go to: none while ShareSnapshots is FALSE. */
export function activeDestinations(config: BackupPolicy): readonly DestinationTarget[] {
  return config.ShareSnapshots ? destinationsOf(config) : [];
}

/**
 * Where a destination stands with one backup:
 * - `done`: it has its copy (available, and shared with its account when it has one) or its share;
 * - `pending`: its copy exists and is not available yet, or is not yet shared;
 * - `missing`: nothing made for it yet.
 */
export interface Delivery {
  readonly state: 'done' | 'pending' | 'missing';
  /** Hold code when not done: `kept-copy-missing`, `kept-copy-pending` or `kept-share-pending`. */
  readonly code: string;
  /** Why not done, after `kept <id>: ` (the text of the hold). */
  readonly detail: string;
}

/** A destination that has what it needs of a backup. */
const DONE: Delivery = { state: 'done', code: '', detail: '' };

export interface FanOut {
  readonly targets: readonly DestinationTarget[];
  /** Other regions copies go to, each once. */
  readonly copyRegions: readonly string[];
  /** Accounts shared with in place (Source.Region). */
  readonly inPlaceAccounts: readonly string[];
  /** Accounts the copies in `region` are shared with. */
  accountsIn(region: string): readonly string[];
  /** The key of the copies in `region`, and the parameter that names it (for messages). */
  keyIn(region: string): { readonly key: string | undefined; readonly parameter: string };
  /** The tool's DR copies in `region` (built on first use). */
  copiesIn(region: string): CopyIndex;
  /** Re-encrypted `-shared` copies in the source region (built on first use). */
  readonly shareCopies: CopyIndex;
  /** Where `target` stands with the tool backup `backup`. */
  delivery(backup: SnapshotInfo, target: DestinationTarget): Delivery;
  /** The newest available snapshot of `clusterId` that `target` received (indexed once per target). */
  newestDelivered(target: DestinationTarget, clusterId: string): SnapshotInfo | undefined;
}

export function fanOut(obs: SourceObservation, config: BackupPolicy): FanOut {
  const targets = activeDestinations(config);
  const copyTargets = targets.filter((t) => t.kind !== 'share');
  const copyRegions = [...new Set(copyTargets.map((t) => t.region))];
  const inPlaceAccounts = targets.flatMap((t) => (t.kind === 'share' && t.account ? [t.account] : []));
  const copies = new Map<string, CopyIndex>();
  let shareCopies: CopyIndex | undefined;
  const delivered = new Map<string, Map<string, SnapshotInfo>>();
  const self: FanOut = {
    targets,
    copyRegions,
    inPlaceAccounts,
    accountsIn: (region) =>
      copyTargets.flatMap((t) => (t.region === region && t.account !== undefined ? [t.account] : [])),
    keyIn(region) {
      const first = copyTargets.find((t) => t.region === region && t.kmsKeyId !== undefined);
      const parameter =
        config.Destinations === undefined
          ? 'KmsKeyDestination'
          : `Destinations[${config.Destinations.findIndex((d) => d.Region === region && (first === undefined || d.KmsKeyDestination !== undefined))}].KmsKeyDestination`;
      return { key: first?.kmsKeyId, parameter };
    },
    copiesIn(region) {
      let index = copies.get(region);
      if (index === undefined) {
        index = indexCopies(snapshotsIn(obs, region), (s) => s.id, isCopiedByTool);
        copies.set(region, index);
      }
      return index;
    },
    get shareCopies() {
      shareCopies ??= indexCopies(obs.snapshots, (s) => shareCopyName(s.id), isShareCopy);
      return shareCopies;
    },
    delivery(backup, target) {
      const account = target.account;
      if (target.kind === 'share') {
        if (account === undefined) return DONE;
        const shareCopy = self.shareCopies.of(backup);
        if (shareCopy === undefined) {
          return isSharedWith(backup, account)
            ? DONE
            : {
                state: 'missing',
                code: 'kept-share-pending',
                detail: `marked shareAndCopy=YES and not yet shared with ${account}`,
              };
        }
        return isAvailable(shareCopy) && isSharedWith(shareCopy, account)
          ? DONE
          : {
              state: 'pending',
              code: 'kept-share-pending',
              detail: `its re-encrypted copy ${shareCopy.id} is not yet shared with ${account}`,
            };
      }
      const copy = self.copiesIn(target.region).of(backup);
      if (copy === undefined) {
        return {
          state: 'missing',
          code: 'kept-copy-missing',
          detail: `marked shareAndCopy=YES and its DR copy in ${target.region} is not made yet`,
        };
      }
      if (!isAvailable(copy)) {
        return {
          state: 'pending',
          code: 'kept-copy-pending',
          detail: `its DR copy in ${target.region} is ${copy.status}`,
        };
      }
      if (account !== undefined && !isSharedWith(copy, account)) {
        return {
          state: 'pending',
          code: 'kept-share-pending',
          detail: `its DR copy is not yet shared with ${account}`,
        };
      }
      return DONE;
    },
    newestDelivered(target, clusterId) {
      let index = delivered.get(target.id);
      // Stryker disable next-line ConditionalExpression: equivalent, `true` rebuilds the cache on every call (the same answer); `false` leaves it undefined, which does not compile
      if (index === undefined) {
        index = new Map();
        for (const snapshot of deliveredTo(obs, target)) {
          if (timeOf(snapshot) === undefined) continue;
          const clusterOf = sourceClusterOf(snapshot);
          const best = index.get(clusterOf);
          if (best === undefined || newestOf([best, snapshot]) === snapshot) index.set(clusterOf, snapshot);
        }
        delivered.set(target.id, index);
      }
      return index.get(clusterId);
    },
  };
  return self;
}

/** A destination's state for one cluster, as status, the metrics and the report show it. */
export interface DestinationProgress {
  readonly target: DestinationTarget;
  /** Its newest available copy (or share) of the cluster's data: the destination's recovery point. */
  readonly newest: SnapshotInfo | undefined;
  /** The oldest backup of the cluster the destination should have and has not received. */
  readonly oldestMissing: SnapshotInfo | undefined;
  /** Hours the oldest missing backup has waited (0 with none). */
  readonly lagHours: number;
  /** Lagging more than MaxWaitMinutes. */
  readonly lagging: boolean;
}

/**
 * Every destination's progress for the backups of one cluster (`backups`: the tool's backups of the
 * cluster in the source region). A backup older than RetentionDays that is not marked for copying is
 * not expected anywhere (it is deleted rather than copied).
 */
export function destinationProgress(
  obs: SourceObservation,
  config: BackupPolicy,
  fan: FanOut,
  clusterId: string,
  backups: readonly SnapshotInfo[],
): DestinationProgress[] {
  const expected = backups.filter(
    (b) =>
      isAvailable(b) &&
      (isMarkedForCopy(b) || (ageMs(b, obs.now) ?? 0) <= hoursToMs(config.RetentionDays * 24)),
  );
  return fan.targets.map((target) => {
    const newest = fan.newestDelivered(target, clusterId);
    const missing = expected.filter(
      (b) => fan.delivery(b, target).state !== 'done' && !isOlderThanDelivered(b, newest),
    );
    const oldestMissing = missing.reduce<SnapshotInfo | undefined>(
      (oldest, b) =>
        oldest === undefined || (ageMs(b, obs.now) ?? 0) > (ageMs(oldest, obs.now) ?? 0) ? b : oldest,
      undefined,
    );
    const lagHours =
      oldestMissing === undefined ? 0 : Math.max(0, (ageMs(oldestMissing, obs.now) ?? 0) / 3_600_000);
    return {
      target,
      newest,
      oldestMissing,
      lagHours,
      lagging: lagHours * 60 > config.MaxWaitMinutes,
    };
  });
}

/** A backup older than what the destination already has does not hold it back (e.g. taken before it was added). */
function isOlderThanDelivered(backup: SnapshotInfo, newest: SnapshotInfo | undefined): boolean {
  if (newest === undefined) return false;
  // A side with no known point in time is never older: undated backups still count, an undated copy is no mark.
  return (timeOf(backup) ?? Number.POSITIVE_INFINITY) < (timeOf(newest) ?? Number.NEGATIVE_INFINITY);
}

/** The available snapshots `target` has received: its copies, or what was shared with it. */
function deliveredTo(obs: SourceObservation, target: DestinationTarget): SnapshotInfo[] {
  const account = target.account;
  if (target.kind === 'share') {
    return obs.snapshots.filter(
      (s) =>
        isManual(s) &&
        isAvailable(s) &&
        (isToolBackup(s) || isShareCopy(s)) &&
        account !== undefined &&
        isSharedWith(s, account),
    );
  }
  return snapshotsIn(obs, target.region).filter(
    (s) =>
      isManual(s) &&
      isAvailable(s) &&
      isCopiedByTool(s) &&
      (s.tags[TAG.SourceRegion] ?? obs.region) === obs.region &&
      (account === undefined || isSharedWith(s, account)),
  );
}

/**
 * The destinations an action works for: a share names its account and region; a DR copy serves every
 * destination in its region; a re-encryption in the source region serves the shares in place.
 */
export function destinationsOfAction(action: Action, targets: readonly DestinationTarget[]): string[] {
  switch (action.kind) {
    case 'share':
      return action.destinations !== undefined
        ? [...action.destinations]
        : [destinationId(action.region, action.accountId)];
    case 'copy':
      return action.destinations !== undefined
        ? [...action.destinations]
        : targets
            .filter((t) =>
              action.purpose === 'share'
                ? t.kind === 'share'
                : t.kind !== 'share' && t.region === action.targetRegion,
            )
            .map((t) => t.id);
    default:
      return [];
  }
}
