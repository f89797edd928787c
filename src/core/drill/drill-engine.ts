/**
 * The restore drill's steps over the ports, shared by the Lambda handlers (one step per invocation, the
 * state machine polling between them) and the CLI: start (clean up leftovers, restore, add the instance),
 * check, record, clean up. Each step converges: what an earlier, interrupted step already did is success.
 */
import { ConfigError, isToolError, ToolError } from '../model/errors.js';
import type { Clock, EngineLogger, RestoreStore, SnapshotStore } from '../model/ports.js';
import { silentLogger } from '../model/ports.js';
import {
  chooseDrillTargets,
  chooseInstanceClass,
  type DrillSettings,
  SERVERLESS_CLASS,
} from './drill-choice.js';
import { type DrillDeletion, isDrillResource, planCleanup } from './drill-cleanup.js';
import { type DrillTarget, drillTags } from './drill-names.js';
import { drillProgress, verifiedTags } from './drill-progress.js';

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
  // Every class is decided before anything is restored: a refused one creates nothing.
  const targets: DrillTarget[] = [];
  for (const target of choice.targets) {
    targets.push(await withInstanceClass(stores.restore, target, settings, logger));
  }
  for (const target of targets) {
    const tags = drillTags(target);
    const instanceClass = target.instanceClass ?? settings.InstanceClass;
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
            // Serverless v2 needs the cluster's capacity range before its instance is created.
            serverless: instanceClass === SERVERLESS_CLASS,
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
            instanceClass,
            engine: target.engine,
            tags,
          }),
        );
        logger.info('drill instance created', { ...fields, drillInstanceId: target.drillInstanceId });
      }
    } catch (error) {
      throw restoreFailed(target, settings, error);
    }
  }
  return { startedAt: now.toISOString(), targets, cleaned };
}

function restoreFailed(target: DrillTarget, settings: DrillRestoreSettings, error: unknown): ToolError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ToolError(
    'RestoreFailed',
    `restore drill of snapshot ${target.snapshotId} (cluster ${target.clusterId}, ${settings.Region}) failed: ${reason}`,
    {
      cause: error,
      details: {
        clusterId: target.clusterId,
        snapshotId: target.snapshotId,
        drillClusterId: target.drillClusterId,
      },
    },
  );
}

/**
 * The target with the class its instance gets: InstanceClass when RDS offers it for the snapshot's
 * engine version, else what chooseInstanceClass decides (a fallback is logged as a warning), or a
 * ConfigError on InstanceClass that names the version and what it offers. Without an engine version
 * (RDS always gives one) nothing can be asked.
 */
async function withInstanceClass(
  restore: RestoreStore,
  target: DrillTarget,
  settings: DrillRestoreSettings,
  logger: EngineLogger,
): Promise<DrillTarget> {
  const wanted = settings.InstanceClass;
  if (target.engineVersion === undefined) return { ...target, instanceClass: wanted };
  const query = { engine: target.engine, engineVersion: target.engineVersion };
  try {
    let offered = await restore.orderableInstanceClasses({ ...query, instanceClass: wanted });
    if (!offered.includes(wanted)) offered = await restore.orderableInstanceClasses(query);
    const choice = chooseInstanceClass({ wanted, ...query, region: settings.Region, offered });
    if (!choice.ok) {
      throw new ConfigError([
        { parameter: 'RestoreDrill.InstanceClass', value: wanted, message: choice.reason },
      ]);
    }
    if (choice.note !== undefined) {
      logger.warn('drill instance class', {
        snapshotId: target.snapshotId,
        instanceClass: choice.instanceClass,
        note: choice.note,
      });
    }
    return {
      ...target,
      instanceClass: choice.instanceClass,
      ...(choice.note !== undefined ? { instanceClassNote: choice.note } : {}),
    };
  } catch (error) {
    throw restoreFailed(target, settings, error);
  }
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
