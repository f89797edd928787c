/**
 * CheckSnapshotStatus: whether the snapshots and copies a run started are available yet. The state
 * machine retries on SnapshotNotReady and fails, naming the snapshot, on SnapshotFailed or SnapshotTimedOut.
 */

import { ToolError } from './errors.js';
import type { SnapshotRef } from './model.js';
import type { CheckResult } from './observation.js';
import type { Clock, SnapshotStore } from './ports.js';
import { isFailedStatus } from './roles.js';

export async function checkSnapshots(
  storeFor: (region: string) => SnapshotStore,
  refs: readonly SnapshotRef[],
  clock: Clock,
  startedAt: Date,
  maxWaitMinutes: number,
): Promise<CheckResult> {
  const snapshots: { ref: SnapshotRef; status: string }[] = [];
  for (const ref of refs) {
    const snapshot = await storeFor(ref.region).getSnapshot(ref.arn ?? ref.id);
    snapshots.push({ ref, status: snapshot?.status ?? 'missing' });
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
  const waitedMinutes = (clock.now().getTime() - startedAt.getTime()) / 60_000;
  if (waitedMinutes > maxWaitMinutes) {
    throw new ToolError(
      'SnapshotTimedOut',
      `still in progress after ${Math.round(waitedMinutes)} minutes (MaxWaitMinutes ${maxWaitMinutes}): ${named(pending)}`,
      { details: { snapshots: pending } },
    );
  }
  throw new ToolError('SnapshotNotReady', `not yet available: ${named(pending)}`, {
    details: { snapshots: pending },
  });
}
