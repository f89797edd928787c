/**
 * CheckRestoreDrill: whether the drill's clusters and instances are available. While one is coming it
 * throws RestoreNotReady (the state machine polls again); RestoreFailed or RestoreTimedOut (past
 * MaxRestoreMinutes) name the snapshot.
 */
import type { Context } from 'aws-lambda';
import { checkDrill, type DrillCheck } from '../core/drill/drill-engine.js';
import { ConfigError } from '../core/model/errors.js';
import { drillStoresFor, parseDrillEvent, requireDrill } from './drill-runtime.js';
import { invoke } from './runtime.js';

export async function handler(event: unknown, context?: Context): Promise<DrillCheck> {
  return invoke('CheckRestoreDrill', event, context, async (run) => {
    const drill = requireDrill(run.config, 'CheckRestoreDrill');
    const { drill: started } = parseDrillEvent(event);
    if (started === undefined) {
      throw new ConfigError([
        {
          parameter: 'event.drill',
          value: undefined,
          message: 'is required: the run StartRestoreDrill returned',
        },
      ]);
    }
    run.logger.appendKeys({ snapshotIds: started.targets.map((t) => t.snapshotId) });
    return checkDrill(drillStoresFor(run, drill.Region).restore, started, drill, run.clock);
  });
}
