/** TakeSnapshotsAurora: takes a snapshot of each cluster matching ClusterNamePattern whose latest snapshot is older than BackupInterval. */

import type { Context } from 'aws-lambda';
import { backupPolicyWithKeyArns } from '../aws/configured-keys.js';
import { backupPolicyOf } from '../config/to-core.js';
import { runSourcePass, type SourcePhase } from '../core/plan/pass.js';
import { publishMetrics, sourcePassMetrics } from './metrics.js';
import {
  idsOf,
  invoke,
  logSummary,
  requireSource,
  type StartedResult,
  sourceStoresFor,
  startedResult,
  throwIfFailed,
} from './runtime.js';

export interface TakeResult extends StartedResult {
  /** Identifiers of the snapshots taken. */
  readonly taken: string[];
}

const PHASES: readonly SourcePhase[] = ['take'];

export async function handler(event: unknown, context?: Context): Promise<TakeResult> {
  return invoke('TakeSnapshotsAurora', event, context, async (run) => {
    const source = requireSource(run.config, 'TakeSnapshotsAurora');
    run.logger.appendKeys({ clusterPattern: source.ClusterNamePattern });
    const stores = sourceStoresFor(run.storeFor, source);
    // A key named by an alias that is missing stops the run here, before anything is taken.
    const policy = await backupPolicyWithKeyArns(backupPolicyOf(source), run.storeFor);
    const report = await runSourcePass(stores, policy, run.clock, PHASES, {
      logger: run.engineLogger,
    });
    logSummary(run.logger, report);
    publishMetrics(sourcePassMetrics(report, PHASES, source, run.stack));
    throwIfFailed(report.results);
    return { ...startedResult(report.results, report.observation.now), taken: idsOf(report.results, 'take') };
  });
}
