/**
 * RecordRestoreDrill: after a successful drill, tags each restored snapshot SnapshotTool:RestoreVerified
 * (the time) and SnapshotTool:RestoreMinutes; after a failed one, records nothing on the snapshots. Both
 * publish RestoreDrillSucceeded (1 or 0) and, on success, RestoreMinutes.
 */
import type { Context } from 'aws-lambda';
import { recordDrill } from '../core/drill/drill-engine.js';
import { drillMetrics, drillStoresFor, parseDrillEvent, requireDrill } from './drill-runtime.js';
import { publishMetrics } from './metrics.js';
import { invoke } from './runtime.js';

export interface RecordResult {
  readonly succeeded: boolean;
  /** Snapshots tagged as verified. */
  readonly verified: string[];
}

export async function handler(event: unknown, context?: Context): Promise<RecordResult> {
  return invoke('RecordRestoreDrill', event, context, async (run) => {
    const drill = requireDrill(run.config, 'RecordRestoreDrill');
    const { drill: started, check, failure } = parseDrillEvent(event);
    const succeeded = failure === undefined && check !== undefined && started !== undefined;
    if (succeeded) {
      await recordDrill(drillStoresFor(run, drill.Region).snapshots, started, check, run.clock);
      run.logger.info('restore drill succeeded', {
        snapshotIds: started.targets.map((t) => t.snapshotId),
        minutes: check.minutes,
      });
    } else {
      run.logger.error('restore drill failed', { error: failure?.Error, cause: failure?.Cause });
    }
    publishMetrics(drillMetrics(drill, started, succeeded ? check?.minutes : undefined));
    return { succeeded, verified: succeeded ? started.targets.map((t) => t.snapshotId) : [] };
  });
}
