/**
 * The restore drill's steps over the ports, shared by the Lambda handlers (one step per invocation, the
 * state machine polling between them) and the CLI: start (clean up leftovers, restore, add the instance),
 * check, record, clean up. Each step converges: what an earlier, interrupted step already did is success.
 * The restore itself is the restore command's: its plan (planRestore, with the drill's overrides) sent
 * through its port, so every drill proves the requests the command would make on disaster day.
 */

import { ConfigError, type ConfigIssue, isToolError, ToolError } from '../model/errors.js';
import type { SnapshotInfo } from '../model/model.js';
import type { Clock, EngineLogger, RestoreStore, SnapshotStore } from '../model/ports.js';
import { silentLogger } from '../model/ports.js';
import { readCopyShape } from '../restore/copy-shape.js';
import type { RecoveryRegionFacts, RestoreSender } from '../restore/recovery-port.js';
import { sendRestoreRequests } from '../restore/restore-engine.js';
import { type DrillOverrides, planRestore, type RestorePlan, restoreKeyOf } from '../restore/restore-plan.js';
import { chooseDrillTargets, chooseInstanceClass, type DrillSettings } from './drill-choice.js';
import { type DrillDeletion, planCleanup } from './drill-cleanup.js';
import { type DrillTarget, drillTags } from './drill-names.js';
import { drillProgress, verifiedTags } from './drill-progress.js';

/** Everything a drill's restore needs besides the snapshot. */
export interface DrillRestoreSettings extends DrillSettings {
  readonly DBSubnetGroupName?: string | undefined;
  readonly VpcSecurityGroupIds?: readonly string[] | undefined;
  readonly InstanceClass: string;
}

/** The drill's own port (listing, orderable classes, status, deletes) and the restore command's (facts, creates). */
export type DrillRestoreStore = RestoreStore & RestoreSender;

export interface DrillStores {
  readonly snapshots: SnapshotStore;
  readonly restore: DrillRestoreStore;
}

/** Serverless v2 at its smallest: a drill proves the restore, not the performance. */
export const DRILL_SERVERLESS_CAPACITY = { MinCapacity: 0.5, MaxCapacity: 1 } as const;

/** The drill's settings a restore refusal names, by the restore command's name for them. */
const DRILL_PARAMETERS: Readonly<Record<string, string>> = {
  'Recovery.DBSubnetGroupName': 'RestoreDrill.DBSubnetGroupName',
  'Recovery.VpcSecurityGroupIds': 'RestoreDrill.VpcSecurityGroupIds',
  '--instance-class': 'RestoreDrill.InstanceClass',
};

/** The restore a drill makes of `snapshot` into its target: the restore command's plan with the drill's overrides. */
export function planDrillRestore(input: {
  readonly snapshot: SnapshotInfo;
  readonly target: DrillTarget;
  readonly settings: DrillRestoreSettings;
  readonly facts: RecoveryRegionFacts;
}):
  | { readonly ok: true; readonly plan: RestorePlan }
  | { readonly ok: false; readonly refusals: ConfigIssue[] } {
  const { snapshot, target, settings } = input;
  // The restore command's reader: the drill restores the shape the command would.
  const decoded = readCopyShape(snapshot.tags);
  const drill: DrillOverrides = {
    instanceId: target.drillInstanceId,
    tags: drillTags(target),
    serverlessV2: DRILL_SERVERLESS_CAPACITY,
  };
  const planned = planRestore({
    snapshot,
    shape: decoded.shape,
    shapeReason: decoded.reason,
    facts: input.facts,
    recovery: drillRecovery(settings),
    name: target.drillClusterId,
    instanceClass: target.instanceClass ?? settings.InstanceClass,
    drill,
  });
  if (planned.ok) return planned;
  return {
    ok: false,
    refusals: planned.refusals.map((r) => ({
      ...r,
      parameter: DRILL_PARAMETERS[r.parameter] ?? r.parameter,
    })),
  };
}

/** The drill's network, in the restore's Recovery terms: the key is the copy's own. */
function drillRecovery(settings: DrillRestoreSettings) {
  return { dbSubnetGroupName: settings.DBSubnetGroupName, vpcSecurityGroupIds: settings.VpcSecurityGroupIds };
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
  options: {
    readonly snapshotId?: string | undefined;
    readonly logger?: EngineLogger;
  } = {},
): Promise<DrillRun & { readonly cleaned: readonly DrillDeletion[] }> {
  const logger = options.logger ?? silentLogger;
  const now = clock.now();
  const resources = await stores.restore.listDrillResources();
  const cleaned = await performDeletions(stores.restore, planCleanup(resources).deletions, logger);
  const listed = await stores.snapshots.listSnapshots('manual');
  const choice = chooseDrillTargets({
    snapshots: listed,
    settings,
    now,
    snapshotId: options.snapshotId,
  });
  if (!choice.ok)
    throw new ToolError('RestoreFailed', `restore drill: ${choice.reason}`, {
      details: { region: settings.Region },
    });
  // Every class is decided and every restore planned before anything is restored: a refusal creates nothing.
  const targets: DrillTarget[] = [];
  for (const target of choice.targets) {
    targets.push(await withInstanceClass(stores.restore, target, settings, logger));
  }
  const plans: RestorePlan[] = [];
  const facts = new Map<string, RecoveryRegionFacts>();
  for (const target of targets) {
    const snapshot = listed.find((s) => s.id === target.snapshotId) as SnapshotInfo;
    try {
      const planned = planDrillRestore({
        snapshot,
        target,
        settings,
        facts: await factsFor(stores.restore, snapshot, settings, facts),
      });
      if (!planned.ok) throw new ConfigError(planned.refusals);
      for (const note of planned.plan.notes)
        logger.info('drill restore note', { snapshotId: target.snapshotId, note });
      plans.push(planned.plan);
    } catch (error) {
      throw restoreFailed(target, settings, error);
    }
  }
  for (const [index, target] of targets.entries()) {
    const plan = plans[index] as RestorePlan;
    const fields = {
      clusterId: target.clusterId,
      snapshotId: target.snapshotId,
      drillClusterId: target.drillClusterId,
    };
    try {
      await sendRestoreRequests(stores.restore, plan);
      if (plan.existing.length > 0)
        logger.info('drill restore resumed', { ...fields, existing: plan.existing });
      logger.info('drill restore started', { ...fields, drillInstanceId: target.drillInstanceId });
    } catch (error) {
      throw restoreFailed(target, settings, error);
    }
  }
  return { startedAt: now.toISOString(), targets, cleaned };
}

/** The region's facts for a snapshot's restore, read once per engine and key in a drill. */
async function factsFor(
  restore: RestoreSender,
  snapshot: SnapshotInfo,
  settings: DrillRestoreSettings,
  known: Map<string, RecoveryRegionFacts>,
): Promise<RecoveryRegionFacts> {
  const engine = snapshot.engine ?? 'aurora-postgresql';
  const keyId = restoreKeyOf(snapshot, drillRecovery(settings));
  // Undefined (no key) stringifies apart from every key id, the empty one too.
  const key = JSON.stringify([engine, keyId]);
  const found = known.get(key);
  if (found !== undefined) return found;
  const facts = await restore.regionFacts({ engine, keyId });
  known.set(key, facts);
  return facts;
}

function restoreFailed(target: DrillTarget, settings: DrillRestoreSettings, error: unknown): ToolError {
  // The restore's own RestoreFailed names the request; its cause is what RDS said.
  const cause = isToolError(error, 'RestoreFailed') && error.cause !== undefined ? error.cause : error;
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new ToolError(
    'RestoreFailed',
    `restore drill of snapshot ${target.snapshotId} (cluster ${target.clusterId}, ${settings.Region}) failed: ${reason}`,
    {
      cause,
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
