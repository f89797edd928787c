/**
 * DeleteOldSnapshotsDestAurora: when DeleteOldSnapshots is TRUE, deletes the tool's copies (tag
 * CopiedBy) of clusters matching SnapshotPattern that are older than RetentionDays and retention allows.
 */

import type { Context } from 'aws-lambda';
import { destinationPolicyOf } from '../config/to-core.js';
import { type DestinationPhase, runDestinationPass } from '../core/plan/pass.js';
import type { DeleteResult } from './delete-old-snapshots.js';
import { destinationPassMetrics, publishMetrics } from './metrics.js';
import { idsOf, invoke, logSummary, requireDestination, throwIfFailed } from './runtime.js';

export type { DeleteResult };

export async function handler(event: unknown, context?: Context): Promise<DeleteResult> {
  return invoke('DeleteOldSnapshotsDestAurora', event, context, async (run) => {
    const destination = requireDestination(run.config, 'DeleteOldSnapshotsDestAurora');
    run.logger.appendKeys({ snapshotPattern: destination.SnapshotPattern });
    // With deletion off the pass still observes, so the recovery point is published at the end of every run.
    const phases: readonly DestinationPhase[] = destination.DeleteOldSnapshots ? ['delete'] : [];
    if (!destination.DeleteOldSnapshots) run.logger.info('DeleteOldSnapshots is FALSE: nothing deleted');
    const store = run.storeFor(destination.Region);
    const report = await runDestinationPass(store, destinationPolicyOf(destination), run.clock, phases, {
      logger: run.engineLogger,
    });
    logSummary(run.logger, report);
    publishMetrics(destinationPassMetrics(report, phases, destination, run.stack));
    throwIfFailed(report.results);
    const snapshots = idsOf(report.results, 'delete');
    return { deleted: snapshots.length, snapshots };
  });
}
