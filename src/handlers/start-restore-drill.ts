/**
 * StartRestoreDrill: deletes what earlier drills left (only drill-tagged clusters and instances), picks
 * per matching cluster the newest available snapshot the tool made, restores it into
 * `<cluster>-snapshot-tool-drill-<YYYYMMDDHHMM>` and adds one instance. Returns the run for CheckRestoreDrill.
 */
import type { Context } from 'aws-lambda';
import { type DrillRun, startDrill } from '../core/drill/drill-engine.js';
import { drillStoresFor, parseDrillEvent, requireDrill } from './drill-runtime.js';
import { invoke } from './runtime.js';

export type StartResult = DrillRun;

export async function handler(event: unknown, context?: Context): Promise<StartResult> {
  return invoke('StartRestoreDrill', event, context, async (run) => {
    const drill = requireDrill(run.config, 'StartRestoreDrill');
    const { snapshotId } = parseDrillEvent(event);
    run.logger.appendKeys({ snapshotPattern: drill.SnapshotPattern, region: drill.Region });
    const started = await startDrill(drillStoresFor(run, drill.Region), drill, run.clock, {
      snapshotId,
      logger: run.engineLogger,
    });
    if (started.cleaned.length > 0) {
      run.logger.info('deleted the leftovers of earlier drills', { deleted: started.cleaned });
    }
    return { startedAt: started.startedAt, targets: [...started.targets] };
  });
}
