/**
 * The restore drill's steps over the ports, shared by the Lambda handlers (one step per invocation, the
 * state machine polling between them) and the CLI: start (clean up leftovers, restore, add the instance),
 * check, record, clean up. Each step converges: what an earlier, interrupted step already did is success.
 */
import { isToolError, ToolError } from './errors.js';
import type { Clock, EngineLogger, RestoreStore, SnapshotStore } from './ports.js';
import { silentLogger } from './ports.js';
import {
  chooseDrillTargets,
  type DrillDeletion,
  type DrillSettings,
  type DrillTarget,
  drillProgress,
  drillTags,
  isDrillResource,
  planCleanup,
  verifiedTags,
} from './restore-drill.js';

/** Everything a drill's restore needs besides the snapshot. */
export interface DrillRestoreSettings extends DrillSettings {
  readonly DBSubnetGroupName?: string | undefined;
  readonly VpcSecurityGroupIds?: readonly string[] | undefined;
  readonly InstanceClass: string;
}

export interface DrillStores {
  readonly snapshots: SnapshotStore;
  readonly restore: RestoreStore;
}

/** What a started drill hands to the next steps (the state machine carries it as `$.drill`). */
export interface DrillRun {
  /** ISO time the restores were started: MaxRestoreMinutes counts from it. */
  readonly startedAt: string;
  readonly targets: readonly DrillTarget[];
}

export interface DrillCheck {
  readonly state: 'available';
  /** Minutes each restore took, in the order of the run's targets. */
  readonly minutes: readonly number[];
}

export interface CleanupResult {
  readonly deleted: readonly DrillDeletion[];
  /** Drill-tagged clusters and instances still present (being deleted). */
  readonly remaining: number;
}

/** Deletes what the plan says, converging: already gone is done, a cluster still emptying waits. */
async function performDeletions(
  restore: RestoreStore,
  deletions: readonly DrillDeletion[],
  logger: EngineLogger,
): Promise<DrillDeletion[]> {
  const done: DrillDeletion[] = [];
  for (const deletion of deletions) {
    try {
      if (deletion.kind === 'instance') await restore.deleteInstance(deletion.id);
      else await restore.deleteCluster(deletion.id);
      logger.info(`drill ${deletion.kind} deleted`, {
        region: restore.region,
        [`${deletion.kind}Id`]: deletion.id,
      });
      done.push(deletion);
    } catch (error) {
      if (isToolError(error, 'ResourceNotFound')) continue;
      if (isToolError(error, 'ResourceBusy')) {
        logger.info(`drill ${deletion.kind} not deletable yet`, { region: restore.region, id: deletion.id });
        continue;
      }
      throw error;
    }
  }
  return done;
}

/** Deletes every drill-tagged cluster and instance (but those of `keep`), and counts what remains. */
export async function cleanupDrills(
  restore: RestoreStore,
  options: { readonly keep?: ReadonlySet<string>; readonly logger?: EngineLogger } = {},
): Promise<CleanupResult> {
  const logger = options.logger ?? silentLogger;
  const plan = planCleanup(await restore.listDrillResources(), options.keep);
  const deleted = await performDeletions(restore, plan.deletions, logger);
  if (deleted.length === 0) return { deleted, remaining: plan.remaining };
  const after = planCleanup(await restore.listDrillResources(), options.keep);
  return { deleted, remaining: after.remaining };
}

/**
 * Starts a drill: deletes the leftovers of earlier drills, picks the snapshots, restores each into its
 * drill cluster and adds the instance. Fails with RestoreFailed when there is nothing to restore.
 */
export async function startDrill(
  stores: DrillStores,
  settings: DrillRestoreSettings,
  clock: Clock,
  options: { readonly snapshotId?: string | undefined; readonly logger?: EngineLogger } = {},
): Promise<DrillRun & { readonly cleaned: readonly DrillDeletion[] }> {
  const logger = options.logger ?? silentLogger;
  const now = clock.now();
  const resources = await stores.restore.listDrillResources();
  const cleaned = await performDeletions(stores.restore, planCleanup(resources).deletions, logger);
  const choice = chooseDrillTargets({
    snapshots: await stores.snapshots.listSnapshots('manual'),
    settings,
    now,
    snapshotId: options.snapshotId,
  });
  if (!choice.ok)
    throw new ToolError('RestoreFailed', `restore drill: ${choice.reason}`, {
      details: { region: settings.Region },
    });
  const exists = (kind: 'cluster' | 'instance', id: string) =>
    resources.some((r) => r.kind === kind && r.id === id && isDrillResource(r) && r.status !== 'deleting');
  for (const target of choice.targets) {
    const tags = drillTags(target);
    const fields = {
      clusterId: target.clusterId,
      snapshotId: target.snapshotId,
      drillClusterId: target.drillClusterId,
    };
    try {
      if (!exists('cluster', target.drillClusterId)) {
        await converge(() =>
          stores.restore.restoreCluster({
            clusterId: target.drillClusterId,
            snapshotId: target.snapshotId,
            engine: target.engine,
            engineVersion: target.engineVersion,
            kmsKeyId: target.kmsKeyId,
            dbSubnetGroupName: settings.DBSubnetGroupName,
            vpcSecurityGroupIds: settings.VpcSecurityGroupIds,
            serverless: settings.InstanceClass === 'db.serverless',
            tags,
          }),
        );
        logger.info('drill restore started', fields);
      }
      if (!exists('instance', target.drillInstanceId)) {
        await converge(() =>
          stores.restore.createInstance({
            instanceId: target.drillInstanceId,
            clusterId: target.drillClusterId,
            instanceClass: settings.InstanceClass,
            engine: target.engine,
            tags,
          }),
        );
        logger.info('drill instance created', { ...fields, drillInstanceId: target.drillInstanceId });
      }
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ToolError(
        'RestoreFailed',
        `restore drill of snapshot ${target.snapshotId} (cluster ${target.clusterId}, ${settings.Region}) failed: ${reason}`,
        { cause: error, details: fields },
      );
    }
  }
  return { startedAt: now.toISOString(), targets: choice.targets, cleaned };
}

async function converge(act: () => Promise<void>): Promise<void> {
  try {
    await act();
  } catch (error) {
    if (isToolError(error, 'ResourceAlreadyExists')) return;
    throw error;
  }
}

/**
 * Where the drill's restores stand: all available (with the minutes each took), or a typed error:
 * RestoreNotReady while one is coming (the state machine polls again), RestoreFailed or RestoreTimedOut
 * naming the snapshot.
 */
export async function checkDrill(
  restore: RestoreStore,
  run: DrillRun,
  settings: DrillSettings,
  clock: Clock,
): Promise<DrillCheck> {
  const now = clock.now();
  const minutes: number[] = [];
  let waiting: string | undefined;
  for (const target of run.targets) {
    const status = await restore.describeDrill(target.drillClusterId, target.drillInstanceId);
    const progress = drillProgress({
      target,
      clusterStatus: status.clusterStatus,
      instanceStatus: status.instanceStatus,
      startedAt: new Date(run.startedAt),
      now,
      maxRestoreMinutes: settings.MaxRestoreMinutes,
    });
    const details = { snapshotId: target.snapshotId, clusterId: target.clusterId, region: target.region };
    if (progress.state === 'failed') throw new ToolError('RestoreFailed', progress.reason, { details });
    if (progress.state === 'timed-out') throw new ToolError('RestoreTimedOut', progress.reason, { details });
    if (progress.state === 'pending')
      waiting ??= `${progress.waitingFor} (snapshot ${target.snapshotId}, ${progress.minutes} minutes)`;
    minutes.push(progress.minutes);
  }
  if (waiting !== undefined) throw new ToolError('RestoreNotReady', `restore drill not ready: ${waiting}`);
  return { state: 'available', minutes };
}

/** Records a successful drill on each restored snapshot: when, and the minutes it took. */
export async function recordDrill(
  snapshots: SnapshotStore,
  run: DrillRun,
  check: DrillCheck,
  clock: Clock,
): Promise<void> {
  const now = clock.now();
  for (const [index, target] of run.targets.entries()) {
    await snapshots.addTags(target.snapshotArn, verifiedTags(now, check.minutes[index] ?? 0));
  }
}
