/**
 * CleanupRestoreDrill: deletes every drill-tagged instance, then every drill-tagged cluster whose
 * instances are gone (no final snapshot), and says how many remain; the state machine calls it again
 * until none does. Clusters and instances without the tag are never deleted (IAM refuses it too).
 */
import type { Context } from 'aws-lambda';
import { type CleanupResult, cleanupDrills } from '../core/drill/drill-engine.js';
import { drillStoresFor, requireDrill } from './drill-runtime.js';
import { invoke } from './runtime.js';

export async function handler(event: unknown, context?: Context): Promise<CleanupResult> {
  return invoke('CleanupRestoreDrill', event, context, async (run) => {
    const drill = requireDrill(run.config, 'CleanupRestoreDrill');
    return cleanupDrills(drillStoresFor(run, drill.Region).restore, { logger: run.engineLogger });
  });
}
