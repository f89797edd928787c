/** TakeSnapshotsAurora: takes a snapshot of each cluster matching ClusterNamePattern whose latest snapshot is older than BackupInterval. */

import type { Context } from 'aws-lambda';
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
    const report = await runSourcePass(stores, backupPolicyOf(source), run.clock, PHASES, {
      logger: run.engineLogger,
    });
    logSummary(run.logger, report);
    publishMetrics(sourcePassMetrics(report, PHASES, source, run.stack));
    throwIfFailed(report.results);
    return { ...startedResult(report.results, report.observation.now), taken: idsOf(report.results, 'take') };
  });
}
