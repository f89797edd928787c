/**
 * DeleteOldSnapshotsAurora: when DeleteOldSnapshots is TRUE, deletes the tool's source snapshots
 * (and DR copies) older than RetentionDays that the engine's retention rules allow. Every scheduled run ends
 * here: once its work is done it fails with SnapshotTimedOut naming any backup of the job still `creating` at
 * 0% more than MaxWaitMinutes after it was taken (no run waits for a new snapshot; stuck-snapshots.ts).
 */

import type { Context } from 'aws-lambda';
import { backupPolicyOf } from '../config/to-core.js';
import { runSourcePass, type SourcePhase } from '../core/plan/pass.js';
import { stuckBackupsError } from '../core/plan/stuck-snapshots.js';
import { publishMetrics, sourcePassMetrics } from './metrics.js';
import { idsOf, invoke, logSummary, requireSource, sourceStoresFor, throwIfFailed } from './runtime.js';

export interface DeleteResult {
  readonly deleted: number;
  /** Identifiers of the snapshots deleted. */
  readonly snapshots: string[];
}

export async function handler(event: unknown, context?: Context): Promise<DeleteResult> {
  return invoke('DeleteOldSnapshotsAurora', event, context, async (run) => {
    const source = requireSource(run.config, 'DeleteOldSnapshotsAurora');
    run.logger.appendKeys({ clusterPattern: source.ClusterNamePattern });
    // With deletion off the pass still observes, so the ages and counts are published at the end of every run.
    const phases: readonly SourcePhase[] = source.DeleteOldSnapshots ? ['delete'] : [];
    if (!source.DeleteOldSnapshots) run.logger.info('DeleteOldSnapshots is FALSE: nothing deleted');
    const stores = sourceStoresFor(run.storeFor, source);
    const policy = backupPolicyOf(source);
    const report = await runSourcePass(stores, policy, run.clock, phases, {
      logger: run.engineLogger,
    });
    logSummary(run.logger, report);
    publishMetrics(sourcePassMetrics(report, phases, source, run.stack));
    throwIfFailed(report.results);
    const stuck = stuckBackupsError(report.observation, policy);
    if (stuck) throw stuck;
    const snapshots = idsOf(report.results, 'delete');
    return { deleted: snapshots.length, snapshots };
  });
}
