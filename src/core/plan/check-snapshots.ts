/**
 * CheckSnapshotStatus: whether the snapshots and copies a run started are available yet. Past
 * MaxWaitMinutes, a snapshot or copy that is making progress is left to the next runs (a first full copy of
 * a large cluster across regions can take more than a day), and so is a copy that has not started (`copying`
 * at 0%, queued behind other copies): the check ends the wait with `pending`. Only a snapshot being created
 * with no progress for MaxWaitMinutes since the run started it fails (SnapshotTimedOut), as does one that
 * failed or vanished (SnapshotFailed).
 *
 * Before MaxWaitMinutes, a polling check (the state machines before sparse checks, whose executions may still
 * be running during an upgrade) throws SnapshotNotReady, which its state machine retries every poll; a sparse
 * check answers `in-progress` with the seconds to wait before the next check, sized from the progress.
 */

import { checkAfterSeconds } from '../copies/progress-estimate.js';
import { ToolError } from '../model/errors.js';
import type { SnapshotRef } from '../model/model.js';
import type { Clock, SnapshotStore } from '../model/ports.js';
import { isFailedStatus } from '../model/snapshot-kind.js';
import type { CheckResult } from './observation.js';

export interface CheckOptions {
  /** Answer `in-progress` with `checkAfterSeconds` instead of throwing SnapshotNotReady. */
  readonly sparse?: boolean | undefined;
}

export async function checkSnapshots(
  storeFor: (region: string) => SnapshotStore,
  refs: readonly SnapshotRef[],
  clock: Clock,
  startedAt: Date,
  maxWaitMinutes: number,
  options: CheckOptions = {},
): Promise<CheckResult> {
  const snapshots: { ref: SnapshotRef; status: string; percentProgress?: number }[] = [];
  const sizes: (number | undefined)[] = [];
  for (const ref of refs) {
    const snapshot = await storeFor(ref.region).getSnapshot(ref.arn ?? ref.id);
    const progress = snapshot?.percentProgress;
    snapshots.push({
      ref,
      status: snapshot?.status ?? 'missing',
      ...(progress !== undefined && snapshot?.status !== 'available' ? { percentProgress: progress } : {}),
    });
    sizes.push(snapshot?.allocatedStorageGiB);
  }
  // The minimum wait where nothing is in progress, so that a sparse answer always says when to look again.
  const sparse = options.sparse === true;
  const answer = (state: CheckResult['state'], next = checkAfterSeconds([], 0)): CheckResult =>
    sparse ? { state, snapshots, checkAfterSeconds: next } : { state, snapshots };
  const named = (list: typeof snapshots) =>
    list.map((s) => `${s.ref.id} (${s.ref.region}: ${s.status})`).join(', ');
  const failed = snapshots.filter((s) => s.status === 'missing' || isFailedStatus(s.status));
  if (failed.length > 0) {
    throw new ToolError('SnapshotFailed', `snapshot failed or vanished: ${named(failed)}`, {
      details: { snapshots: failed },
    });
  }
  const pending = snapshots.filter((s) => s.status !== 'available');
  if (pending.length === 0) return answer('available');
  const now = clock.now().getTime();
  const waitedMinutes = (now - startedAt.getTime()) / 60_000;
  if (waitedMinutes > maxWaitMinutes) {
    // The run started them: a snapshot still being created at 0% after MaxWaitMinutes has made no progress
    // at all. A copy at 0% may simply not have started: RDS runs at most 5 copies into a region at once (the
    // account's other copies included) and queues the rest, for longer than any MaxWaitMinutes. Like a
    // slow one, it is work for the next runs; the destination's recovery-point alarm watches it arrive.
    const stalled = pending.filter((s) => s.status !== 'copying' && (s.percentProgress ?? 0) === 0);
    if (stalled.length > 0) {
      throw new ToolError(
        'SnapshotTimedOut',
        `no progress after ${Math.round(waitedMinutes)} minutes (MaxWaitMinutes ${maxWaitMinutes}): ${named(stalled)}`,
        { details: { snapshots: stalled } },
      );
    }
    // Progressing: normal work for the next runs, which find it in progress and wait no more for it.
    return answer('pending');
  }
  if (sparse) {
    const inProgress = snapshots.flatMap((s, i) =>
      s.status === 'available' ? [] : [{ percentProgress: s.percentProgress, allocatedStorageGiB: sizes[i] }],
    );
    return answer('in-progress', checkAfterSeconds(inProgress, (now - startedAt.getTime()) / 1000));
  }
  throw new ToolError('SnapshotNotReady', `not yet available: ${named(pending)}`, {
    details: { snapshots: pending },
  });
}
