/**
 * ShareSnapshotsAurora: when ShareSnapshots is TRUE, copies available snapshots to every destination
 * region with its KmsKeyDestination (at most 5 copies in flight per region) and shares them (or their
 * copies) with each destination account. Every destination's actions run; when some failed, the error
 * names the destinations that failed (their ids, see destinationsOf) once the others are done. It says which
 * copies it started must be acted on once available (`follow`, `followRefs`) and when to look at them first
 * (`checkAfterSeconds`): the state machine waits for those only, then shares them in a second round.
 */

import type { Context } from 'aws-lambda';
import { backupPolicyWithKeyArns } from '../aws/configured-keys.js';
import { backupPolicyOf } from '../config/to-core.js';
import { activeDestinations } from '../core/copies/fan-out.js';
import { type FollowUp, followUp } from '../core/copies/follow.js';
import { MIN_CHECK_AFTER_SECONDS } from '../core/copies/progress-estimate.js';
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

/**
 * `follow`: a copy it started must be acted on once available (a re-encryption to share, a DR copy to share
 * with a destination account; RDS sends no event for a copy), `followRefs` those copies, and
 * `checkAfterSeconds` when to look at them first (60 to 14,400).
 */
export interface ShareResult extends StartedResult, FollowUp {
  /** Identifiers of the copies started (in DestinationRegion, or re-encrypted for sharing). */
  readonly copied: string[];
  /** Identifiers of the snapshots shared with DestinationAccount. */
  readonly shared: string[];
}

const NOTHING_TO_FOLLOW: FollowUp = {
  follow: false,
  followRefs: [],
  checkAfterSeconds: MIN_CHECK_AFTER_SECONDS,
};

const PHASES: readonly SourcePhase[] = ['share'];

export async function handler(event: unknown, context?: Context): Promise<ShareResult> {
  return invoke('ShareSnapshotsAurora', event, context, async (run) => {
    const source = requireSource(run.config, 'ShareSnapshotsAurora');
    run.logger.appendKeys({ clusterPattern: source.ClusterNamePattern });
    if (!source.ShareSnapshots) {
      run.logger.info('ShareSnapshots is FALSE: nothing copied or shared');
      return { ...startedResult([], run.clock.now()), copied: [], shared: [], ...NOTHING_TO_FOLLOW };
    }
    const stores = sourceStoresFor(run.storeFor, source);
    const policy = await backupPolicyWithKeyArns(backupPolicyOf(source), run.storeFor);
    const report = await runSourcePass(stores, policy, run.clock, PHASES, {
      logger: run.engineLogger,
      shapeCarrier: shapeCarrierFor(run.storeFor),
    });
    logSummary(run.logger, report);
    publishMetrics(sourcePassMetrics(report, PHASES, source, run.stack));
    const targets = activeDestinations(policy);
    throwIfFailed(report.results, targets);
    const blocked = blockingError(report.plan.notes);
    if (blocked) throw blocked;
    const follow = followUp(report.results, report.observation.snapshots, targets);
    if (follow.follow) {
      run.logger.info('copies to share once available', {
        snapshotIds: follow.followRefs.map((ref) => ref.id),
        checkAfterSeconds: follow.checkAfterSeconds,
      });
    }
    return {
      ...startedResult(report.results, report.observation.now),
      copied: idsOf(report.results, 'copy'),
      shared: idsOf(report.results, 'share'),
      ...follow,
    };
  });
}
