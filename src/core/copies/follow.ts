/**
 * Which copies a share pass started must be acted on once they are available, and when to look at them
 * first (pure): the source state machine waits for these, and only these, before its second share round. RDS
 * sends no event when a cluster snapshot copy finishes, so nothing else would start that work before the
 * next scheduled run.
 */
import type { SnapshotInfo, SnapshotRef } from '../model/model.js';
import type { Action } from '../plan/plan.js';
import type { DestinationTarget } from './destinations.js';
import { checkAfterSeconds } from './progress-estimate.js';

type CopyAction = Extract<Action, { kind: 'copy' }>;

/**
 * A copy to follow: a re-encryption made to be shared (`share`: the aws/rds key cannot be shared), or a DR
 * copy into a region where a destination account is to receive it (a `copy-share` destination). A DR copy
 * for this account alone is done once started; an import is the destination side's.
 */
export function mustFollow(action: CopyAction, targets: readonly DestinationTarget[]): boolean {
  if (action.purpose === 'share') return true;
  if (action.purpose !== 'dr-copy') return false;
  return targets.some((target) => target.kind === 'copy-share' && target.region === action.targetRegion);
}

export interface FollowUp {
  /** True when some copy must be acted on once available. */
  readonly follow: boolean;
  /** Those copies, for CheckSnapshotStatus. */
  readonly followRefs: SnapshotRef[];
  /** Whole seconds before their first check (before any copy's when none is to be followed). */
  readonly checkAfterSeconds: number;
}

/**
 * The follow-up of the copies among the actions that succeeded. Just started, they show no progress: their
 * first check is sized from their sources' AllocatedStorage (`sources`: the snapshots the pass observed).
 */
export function followUp(
  results: readonly { readonly action: Action; readonly ok: boolean }[],
  sources: readonly SnapshotInfo[],
  targets: readonly DestinationTarget[],
): FollowUp {
  const copies = startedCopies(results);
  const followed = copies.filter((copy) => mustFollow(copy, targets));
  return {
    follow: followed.length > 0,
    followRefs: followed.map((copy) => ({ region: copy.targetRegion, id: copy.targetId })),
    checkAfterSeconds: firstCheckAfterSeconds(followed.length > 0 ? followed : copies, sources),
  };
}

/** The copy actions that succeeded. */
export function startedCopies(
  results: readonly { readonly action: Action; readonly ok: boolean }[],
): CopyAction[] {
  return results.flatMap(({ action, ok }) => (ok && action.kind === 'copy' ? [action] : []));
}

/**
 * Whole seconds before the first check of copies just started: no progress yet, so their sources'
 * AllocatedStorage (`sources` holds them, by ARN) sizes the wait.
 */
export function firstCheckAfterSeconds(
  copies: readonly CopyAction[],
  sources: readonly SnapshotInfo[],
): number {
  const sizeOf = new Map(sources.map((source) => [source.arn, source.allocatedStorageGiB]));
  return checkAfterSeconds(
    copies.map((copy) => ({ percentProgress: 0, allocatedStorageGiB: sizeOf.get(copy.sourceArn) })),
    0,
  );
}
