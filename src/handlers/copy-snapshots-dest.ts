/**
 * CopySnapshotsDestAurora: in the destination account, copies the snapshots SourceAccount (or, in a vault of
 * an organization, any account of SourceOrganizationId) shared with it into this account and region (with
 * KmsKeyDestination), tagged CopiedBy. Cross-account only. It says when to look at the copies it started
 * first (`checkAfterSeconds`, sized from their sizes). A copy AWS refuses in an organization's vault (a
 * snapshot owned outside it) is returned in `refused`, named with the reason; the others are copied.
 */

import type { Context } from 'aws-lambda';
import { destinationPolicyWithKeyArn } from '../aws/configured-keys.js';
import { destinationPolicyOf } from '../config/to-core.js';
import { firstCheckAfterSeconds, startedCopies } from '../core/copies/follow.js';
import { MIN_CHECK_AFTER_SECONDS } from '../core/copies/progress-estimate.js';
import { type DestinationPhase, runDestinationPass } from '../core/plan/pass.js';
import { destinationPassMetrics, publishMetrics } from './metrics.js';
import {
  idsOf,
  invoke,
  logSummary,
  requireDestination,
  type StartedResult,
  startedResult,
  throwIfFailed,
} from './runtime.js';
import { shapeCarrierFor } from './shape-carrier.js';

export interface CopyResult extends StartedResult {
  /** Identifiers of the copies started. */
  readonly copied: string[];
  /** Whole seconds before the first check of the copies it started (60 to 14,400; 60 when none). */
  readonly checkAfterSeconds: number;
  /** Shared snapshots AWS refused to copy (outside SourceOrganizationId), each with AWS's reason; absent when none. */
  readonly refused?: { readonly snapshotArn: string; readonly reason: string }[];
}

const PHASES: readonly DestinationPhase[] = ['copy'];

export async function handler(event: unknown, context?: Context): Promise<CopyResult> {
  return invoke('CopySnapshotsDestAurora', event, context, async (run) => {
    const destination = requireDestination(run.config, 'CopySnapshotsDestAurora');
    run.logger.appendKeys({ snapshotPattern: destination.SnapshotPattern });
    if (destination.SourceAccount === undefined && destination.SourceOrganizationId === undefined) {
      run.logger.info(
        'No SourceAccount nor SourceOrganizationId: the source side makes the copies, nothing to copy here',
      );
      return {
        ...startedResult([], run.clock.now()),
        copied: [],
        checkAfterSeconds: MIN_CHECK_AFTER_SECONDS,
      };
    }
    const store = run.storeFor(destination.Region);
    const policy = await destinationPolicyWithKeyArn(destinationPolicyOf(destination), store);
    const report = await runDestinationPass(store, policy, run.clock, PHASES, {
      logger: run.engineLogger,
      shapeCarrier: shapeCarrierFor(run.storeFor),
    });
    logSummary(run.logger, report);
    publishMetrics(destinationPassMetrics(report, PHASES, destination, run.stack));
    throwIfFailed(report.results);
    const refused = report.refused.flatMap((r) =>
      r.action.kind === 'copy'
        ? [{ snapshotArn: r.action.sourceArn, reason: `${r.error}: ${r.message}` }]
        : [],
    );
    return {
      ...startedResult(report.results, report.observation.now),
      copied: idsOf(report.results, 'copy'),
      checkAfterSeconds: firstCheckAfterSeconds(startedCopies(report.results), report.observation.shared),
      ...(refused.length > 0 ? { refused } : {}),
    };
  });
}
