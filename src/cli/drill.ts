/**
 * `aurora-snapshot-tool drill`: one restore drill from the command line, with the same steps as the
 * RestoreDrill state machine (start, poll, record, delete), or `--cleanup` to delete what earlier drills
 * left. Only clusters and instances tagged SnapshotTool:Purpose=restore-drill are ever deleted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfigFile } from '../config/load.js';
import type { RestoreDrillConfig } from '../config/schema.js';
import {
  type CleanupResult,
  checkDrill,
  cleanupDrills,
  type DrillCheck,
  type DrillRun,
  type DrillStores,
  recordDrill,
  startDrill,
} from '../core/drill/drill-engine.js';
import { isToolError, ToolError } from '../core/model/errors.js';
import { systemClock } from '../core/model/ports.js';
import type { CommandContext } from './io.js';
import { restoreStoreFor, storesFor } from './stores.js';

/** Seconds between two status polls of a drill (a restore takes minutes); the environment may shorten it. */
export const DRILL_POLL_SECONDS_ENV = 'AURORA_SNAPSHOT_TOOL_DRILL_POLL_SECONDS';

function pollMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env[DRILL_POLL_SECONDS_ENV] ?? 30);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 30_000;
}

/** Deletes drill resources until none remains (or `limitMs` passes), polling between passes. */
async function cleanupUntilDone(
  stores: DrillStores,
  keep: ReadonlySet<string>,
  wait: number,
  limitMs: number,
): Promise<CleanupResult> {
  const deadline = Date.now() + limitMs;
  const deleted: CleanupResult['deleted'][number][] = [];
  for (;;) {
    const pass = await cleanupDrills(stores.restore, { keep });
    deleted.push(...pass.deleted);
    if (pass.remaining === 0 || Date.now() > deadline) return { deleted, remaining: pass.remaining };
    await sleep(wait);
  }
}

export async function drillCommand(
  options: Record<string, unknown>,
  { io, env }: CommandContext,
): Promise<number> {
  const config = await loadConfigFile(String(options.config));
  const drill = config.RestoreDrill as RestoreDrillConfig | undefined;
  if (!drill) {
    io.error('drill needs a RestoreDrill block in the configuration (SnapshotPattern at least)');
    return 2;
  }
  const stores: DrillStores = {
    snapshots: storesFor(drill.Region, env),
    restore: restoreStoreFor(drill.Region, env),
  };
  const wait = pollMs(env);
  const limitMs = drill.MaxRestoreMinutes * 60_000;

  if (options.cleanup) {
    const result = await cleanupUntilDone(stores, new Set(), wait, limitMs);
    for (const d of result.deleted) io.info(`deleted drill ${d.kind} ${d.id} in ${drill.Region}`);
    if (result.deleted.length === 0) io.info(`no drill cluster or instance to delete in ${drill.Region}`);
    if (result.remaining > 0) io.info(`${result.remaining} still being deleted`);
    io.result({ region: drill.Region, deleted: result.deleted, remaining: result.remaining });
    return 0;
  }

  const snapshotId = typeof options.snapshot === 'string' ? options.snapshot : undefined;
  let run: DrillRun | undefined;
  let check: DrillCheck | undefined;
  let failure: ToolError | undefined;
  try {
    run = await startDrill(stores, drill, systemClock, { snapshotId });
    for (const t of run.targets) {
      io.info(
        `restoring ${t.snapshotId} (cluster ${t.clusterId}) into ${t.drillClusterId} in ${drill.Region} with a ${t.instanceClass ?? drill.InstanceClass} instance`,
      );
      if (t.instanceClassNote !== undefined) io.info(`  ${t.instanceClassNote}`);
    }
    for (;;) {
      try {
        check = await checkDrill(stores.restore, run, drill, systemClock);
        break;
      } catch (error) {
        if (!isToolError(error, 'RestoreNotReady')) throw error;
        await sleep(wait);
      }
    }
    await recordDrill(stores.snapshots, run, check, systemClock);
  } catch (error) {
    failure = isToolError(error) ? error : new ToolError('RestoreFailed', String(error));
  }

  const keep = new Set(options.keep && !failure ? (run?.targets ?? []).map((t) => t.drillClusterId) : []);
  const cleanup = await cleanupUntilDone(stores, keep, wait, limitMs);
  const drills = (run?.targets ?? []).map((t, index) => ({
    clusterId: t.clusterId,
    snapshotId: t.snapshotId,
    drillClusterId: t.drillClusterId,
    drillInstanceId: t.drillInstanceId,
    instanceClass: t.instanceClass,
    ...(t.instanceClassNote !== undefined ? { instanceClassNote: t.instanceClassNote } : {}),
    minutes: check?.minutes[index],
    kept: keep.has(t.drillClusterId),
  }));
  for (const d of drills) {
    if (d.minutes !== undefined)
      io.info(`restored ${d.snapshotId} in ${d.minutes} minutes: tagged SnapshotTool:RestoreVerified`);
    if (d.kept) {
      io.info(
        `kept ${d.drillClusterId} for inspection; delete it with: aurora-snapshot-tool drill --config ${String(options.config)} --cleanup`,
      );
      io.info(
        `  (or: aws rds delete-db-instance --region ${drill.Region} --db-instance-identifier ${d.drillInstanceId} && aws rds delete-db-cluster --region ${drill.Region} --db-cluster-identifier ${d.drillClusterId} --skip-final-snapshot)`,
      );
    }
  }
  for (const d of cleanup.deleted) io.info(`deleted drill ${d.kind} ${d.id}`);
  if (failure) io.error(`error: ${failure.name}: ${failure.message}`);
  io.result({
    succeeded: failure === undefined,
    region: drill.Region,
    startedAt: run?.startedAt,
    drills,
    deleted: cleanup.deleted,
    remaining: cleanup.remaining,
    ...(failure ? { error: { name: failure.name, message: failure.message } } : {}),
  });
  return failure ? 1 : 0;
}
