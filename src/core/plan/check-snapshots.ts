/**
 * CheckSnapshotStatus: whether the snapshots and copies a run started are available yet. The state
 * machine retries on SnapshotNotReady. Past MaxWaitMinutes, a snapshot or copy that is making progress
 * is left to the next runs (a first full copy of a large cluster across regions can take more than a
 * day), and so is a copy that has not started (`copying` at 0%, queued behind other copies): the check ends
 * the wait with `pending`. Only a snapshot being created with no progress for MaxWaitMinutes since the run
 * started it fails (SnapshotTimedOut), as does one that failed or vanished (SnapshotFailed).
 */

import { ToolError } from '../model/errors.js';
import type { SnapshotRef } from '../model/model.js';
import type { Clock, SnapshotStore } from '../model/ports.js';
import { isFailedStatus } from '../model/snapshot-kind.js';
import type { CheckResult } from './observation.js';

export async function checkSnapshots(
  storeFor: (region: string) => SnapshotStore,
  refs: readonly SnapshotRef[],
  clock: Clock,
  startedAt: Date,
  maxWaitMinutes: number,
): Promise<CheckResult> {
  const snapshots: { ref: SnapshotRef; status: string; percentProgress?: number }[] = [];
  for (const ref of refs) {
    const snapshot = await storeFor(ref.region).getSnapshot(ref.arn ?? ref.id);
    const progress = snapshot?.percentProgress;
    snapshots.push({
      ref,
      status: snapshot?.status ?? 'missing',
      ...(progress !== undefined && snapshot?.status !== 'available' ? { percentProgress: progress } : {}),
    });
  }
  const named = (list: typeof snapshots) =>
    list.map((s) => `${s.ref.id} (${s.ref.region}: ${s.status})`).join(', ');
  const failed = snapshots.filter((s) => s.status === 'missing' || isFailedStatus(s.status));
  if (failed.length > 0) {
    throw new ToolError('SnapshotFailed', `snapshot failed or vanished: ${named(failed)}`, {
      details: { snapshots: failed },
    });
  }
  const pending = snapshots.filter((s) => s.status !== 'available');
  if (pending.length === 0) return { state: 'available', snapshots };
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
    return { state: 'pending', snapshots };
  }
  throw new ToolError('SnapshotNotReady', `not yet available: ${named(pending)}`, {
    details: { snapshots: pending },
  });
}
