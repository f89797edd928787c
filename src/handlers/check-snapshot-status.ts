/**
 * CheckSnapshotStatus: whether the snapshots and copies a run started are available. While any is in
 * progress it answers `in-progress` with `checkAfterSeconds` (the event says `sparse`: the state machine
 * waits that long, then checks again), or, for an execution of a polling definition still running during an
 * upgrade (no `sparse`), throws SnapshotNotReady (retried every poll). Once MaxWaitMinutes have passed since
 * `startedAt` it returns `pending` (left to the next runs) for what makes progress and for copies not started
 * yet, and throws SnapshotTimedOut for a snapshot still being created at 0%; SnapshotFailed when one failed
 * or vanished.
 */
import type { Context } from 'aws-lambda';
import { DEFAULTS } from '../config/schema.js';
import { MIN_CHECK_AFTER_SECONDS } from '../core/copies/progress-estimate.js';
import { type CheckResult, checkSnapshots } from '../core/plan/pass.js';
import { invoke } from './runtime.js';

export type { CheckResult };

export async function handler(event: unknown, context?: Context): Promise<CheckResult> {
  return invoke('CheckSnapshotStatus', event, context, async (run) => {
    if (run.refs.length === 0) {
      return run.sparse
        ? { state: 'available', snapshots: [], checkAfterSeconds: MIN_CHECK_AFTER_SECONDS }
        : { state: 'available', snapshots: [] };
    }
    const maxWaitMinutes = run.config.Source?.MaxWaitMinutes ?? run.config.Destination?.MaxWaitMinutes;
    const startedAt = run.startedAt ?? run.clock.now();
    run.logger.appendKeys({ snapshotIds: run.refs.map((ref) => ref.id) });
    const result = await checkSnapshots(
      run.storeFor,
      run.refs,
      run.clock,
      startedAt,
      maxWaitMinutes ?? DEFAULTS.MaxWaitMinutes,
      { sparse: run.sparse },
    );
    for (const snapshot of result.snapshots) {
      run.logger.info(`snapshot ${snapshot.status}`, {
        snapshotId: snapshot.ref.id,
        region: snapshot.ref.region,
        status: snapshot.status,
      });
    }
    if (result.checkAfterSeconds !== undefined && result.state === 'in-progress') {
      run.logger.info('checking again later', { checkAfterSeconds: result.checkAfterSeconds });
    }
    return result;
  });
}
