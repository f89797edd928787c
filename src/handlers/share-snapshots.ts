/**
 * ShareSnapshotsAurora: when ShareSnapshots is TRUE, copies available snapshots to every destination
 * region with its KmsKeyDestination (at most 5 copies in flight per region) and shares them (or their
 * copies) with each destination account. Every destination's actions run; when some failed, the error
 * names the destinations that failed (their ids, see destinationsOf) once the others are done.
 */

import type { Context } from 'aws-lambda';
import { backupPolicyOf } from '../config/to-core.js';
import { activeDestinations } from '../core/copies/fan-out.js';
import { blockingError } from '../core/model/blocking.js';
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
import { shapeCarrierFor } from './shape-carrier.js';

export interface ShareResult extends StartedResult {
  /** Identifiers of the copies started (in DestinationRegion, or re-encrypted for sharing). */
  readonly copied: string[];
  /** Identifiers of the snapshots shared with DestinationAccount. */
  readonly shared: string[];
}

const PHASES: readonly SourcePhase[] = ['share'];

export async function handler(event: unknown, context?: Context): Promise<ShareResult> {
  return invoke('ShareSnapshotsAurora', event, context, async (run) => {
    const source = requireSource(run.config, 'ShareSnapshotsAurora');
    run.logger.appendKeys({ clusterPattern: source.ClusterNamePattern });
    if (!source.ShareSnapshots) {
      run.logger.info('ShareSnapshots is FALSE: nothing copied or shared');
      return { ...startedResult([], run.clock.now()), copied: [], shared: [] };
    }
    const stores = sourceStoresFor(run.storeFor, source);
    const report = await runSourcePass(stores, backupPolicyOf(source), run.clock, PHASES, {
      logger: run.engineLogger,
      shapeCarrier: shapeCarrierFor(run.storeFor),
    });
    logSummary(run.logger, report);
    publishMetrics(sourcePassMetrics(report, PHASES, source, run.stack));
    throwIfFailed(report.results, activeDestinations(backupPolicyOf(source)));
    const blocked = blockingError(report.plan.notes);
    if (blocked) throw blocked;
    return {
      ...startedResult(report.results, report.observation.now),
      copied: idsOf(report.results, 'copy'),
      shared: idsOf(report.results, 'share'),
    };
  });
}
