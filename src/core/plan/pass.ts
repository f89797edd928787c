/**
 * One pass of a job: observe the regions, plan (pure), then act. Running a pass twice, or after a crash at
 * any point, converges to the same state with no duplicates.
 */

import { activeDestinations } from '../copies/fan-out.js';
import type { SnapshotInfo } from '../model/model.js';
import {
  type Clock,
  type EngineLogger,
  type ShapeCarrier,
  type SnapshotStore,
  silentLogger,
} from '../model/ports.js';
import { isToolBackup } from '../model/snapshot-kind.js';
import type { BackupPolicy, DestinationPolicy } from '../policy/backup-policy.js';
import { rulesOf, sourceScope } from '../policy/selection.js';
import { applyPlan } from './apply-plan.js';
import { planDestination } from './destination-planner.js';
import { separateRefusedImports } from './destination-refusals.js';
import {
  importsToShape,
  recordCarriedShapes,
  type ShapeObjectRead,
  shapeObjectOf,
} from './destination-shape.js';
import type {
  DestinationObservation,
  DestinationPhase,
  SourceObservation,
  SourcePhase,
  StatusReport,
} from './observation.js';
import {
  findAwsManagedKeys,
  observeDestination,
  observeSource,
  type SourceStores,
  singleStoreFor,
  sourceStoreFor,
} from './observe.js';
import type { ActionResult, Note, Plan } from './plan.js';
import { planSource } from './source-planner.js';
import { clustersToShape, type InstancesRead, recordShapes } from './source-shape.js';
import { statusReport } from './status.js';

export { applyPlan } from './apply-plan.js';
export { checkSnapshots } from './check-snapshots.js';
export { planDestination } from './destination-planner.js';
export type {
  CheckResult,
  ClusterStatus,
  DestinationObservation,
  DestinationPhase,
  SnapshotAge,
  SourceObservation,
  SourcePhase,
  StatusReport,
  StoreForRegion,
} from './observation.js';
export {
  ALL_DESTINATION_PHASES,
  ALL_SOURCE_PHASES,
  drRegionOf,
  observeDestination,
  observeSource,
  ownAccountIssue,
  type SourceStores,
  singleStoreFor,
  sourceStoreFor,
  sourceStoresWith,
} from './observe.js';
export { planSource } from './source-planner.js';
export { statusReport } from './status.js';

export interface PassOptions {
  readonly dryRun?: boolean | undefined;
  readonly logger?: EngineLogger | undefined;
  /**
   * The shapes of snapshots shared with another account: the source pass delivers them, the destination
   * pass collects them for its imports (shape-carrier.ts). Without it, neither happens.
   */
  readonly shapeCarrier?: ShapeCarrier | undefined;
}

export interface PassReport {
  readonly plan: Plan;
  /** Empty on a dry run. */
  readonly results: readonly ActionResult[];
  readonly failed: readonly ActionResult[];
}

export interface SourcePassReport extends PassReport {
  readonly observation: SourceObservation;
  readonly status: StatusReport;
}

export interface DestinationPassReport extends PassReport {
  readonly observation: DestinationObservation;
  /**
   * The imports AWS refused in a vault of an organization (SourceOrganizationId): snapshots owned outside it.
   * They are not in `results` nor `failed`; the plan's notes name each (code copy-refused).
   */
  readonly refused: readonly ActionResult[];
}

/**
 * Rounds of copying a pass of an organization's vault makes when AWS refuses imports: each refused snapshot is
 * left out of the next round, so snapshots shared from outside the organization cannot hold the copy slots
 * (five in flight) against the organization's own. Each round lists the region once more (two RDS requests);
 * four rounds give sixteen refusals a pass before the rest waits for the next pass.
 */
export const MAX_IMPORT_ROUNDS = 4;

function logNotes(notes: readonly Note[], logger: EngineLogger): void {
  for (const note of notes) {
    const fields = { code: note.code, clusterId: note.clusterId, snapshotId: note.snapshotId };
    if (note.level === 'warn') logger.warn(note.message, fields);
    else logger.info(note.message, fields);
  }
}

export async function runSourcePass(
  stores: SourceStores,
  config: BackupPolicy,
  clock: Clock,
  phases: readonly SourcePhase[],
  options: PassOptions = {},
): Promise<SourcePassReport> {
  const logger = options.logger ?? silentLogger;
  let observation = await observeSource(stores, config, clock, phases);
  const later = phases.filter((p) => p !== 'take');
  if (options.dryRun || !phases.includes('take') || later.length === 0) {
    const planned = planSource(observation, config, phases);
    // A dry run writes nothing, so it reads no shape either: its listing is all it costs.
    const plan = options.dryRun ? planned : await withShapes(planned, observation, stores.source);
    logNotes(plan.notes, logger);
    const results = options.dryRun
      ? []
      : await applyPlan(plan, sourceStoreFor(stores), logger, options.shapeCarrier);
    return {
      observation,
      plan: withResultNotes(plan, results),
      results,
      failed: results.filter((r) => !r.ok),
      status: statusReport(observation, config, plan.kept),
    };
  }
  // Take first; then look up only the snapshots just taken (one describe each, no new listing) so one run
  // can copy a snapshot that is already available (and, on AWS, copies it on the next run otherwise).
  const takePlan = await withShapes(planSource(observation, config, ['take']), observation, stores.source);
  const takeResults = await applyPlan(takePlan, sourceStoreFor(stores), logger);
  const taken: SnapshotInfo[] = [];
  for (const result of takeResults) {
    if (result.ok && result.action.kind === 'take') {
      const snapshot = await stores.source.getSnapshot(result.action.snapshotId);
      if (snapshot) taken.push(snapshot);
    }
  }
  // Stryker disable next-line ArrowFunction: equivalent, a take is planned only under a name not listed, so nothing taken was seen
  const seen = new Set(observation.snapshots.map((s) => s.id));
  // Stryker disable next-line MethodExpression: equivalent, a take is planned only under a name not listed, so nothing taken was seen
  const fresh = taken.filter((s) => !seen.has(s.id));
  observation = {
    ...observation,
    snapshots: [...observation.snapshots, ...fresh],
    awsManagedKeys: await withKeysOfTaken(observation, stores.source, config, later, fresh),
  };
  const laterPlan = planSource(observation, config, later);
  const plan: Plan = {
    actions: [...takePlan.actions, ...laterPlan.actions],
    notes: [...takePlan.notes, ...laterPlan.notes],
  };
  logNotes(plan.notes, logger);
  const results = [
    ...takeResults,
    ...(await applyPlan(laterPlan, sourceStoreFor(stores), logger, options.shapeCarrier)),
  ];
  return {
    observation,
    plan: withResultNotes(plan, results),
    results,
    failed: results.filter((r) => !r.ok),
    status: statusReport(observation, config),
  };
}

/** The plan's notes and those its actions added as they were done (a shape not delivered with a share). */
function withResultNotes(plan: Plan, results: readonly ActionResult[]): Plan {
  const added = results.flatMap((r) => r.notes ?? []);
  return { ...plan, notes: [...plan.notes, ...added] };
}

/**
 * The plan with its takes carrying the shape of their clusters: the listing already read the clusters, one
 * DescribeDBInstances reads the instances of those to take. A failed read (a role without the permission, an
 * API that keeps throttling) leaves the takes as they are, with a note: a backup never waits for its shape.
 */
async function withShapes(plan: Plan, observation: SourceObservation, source: SnapshotStore): Promise<Plan> {
  const clusterIds = clustersToShape(plan);
  if (clusterIds.length === 0) return plan;
  let read: InstancesRead;
  try {
    read = { ok: true, instances: await source.listInstances(clusterIds) };
  } catch (error) {
    read = { ok: false, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  return recordShapes(plan, observation.clusters, read);
}

/**
 * The observation's aws/rds keys plus those of the snapshots just taken: in-region sharing would otherwise
 * share a snapshot under aws/rds directly (which AWS refuses) whenever no earlier backup had shown that key.
 */
async function withKeysOfTaken(
  observation: SourceObservation,
  source: SnapshotStore,
  config: BackupPolicy,
  phases: readonly SourcePhase[],
  taken: readonly SnapshotInfo[],
): Promise<readonly string[]> {
  // With a DR region the shared snapshots are the DR copies, which a take does not change: with no account
  // to share with in place, nothing is looked up.
  const accounts = phases.includes('share')
    ? activeDestinations(config).flatMap((d) => (d.kind === 'share' && d.account ? [d.account] : []))
    : [];
  // Keys already known are not asked again (findAwsManagedKeys skips the snapshots without a key).
  const known: ReadonlySet<string | undefined> = new Set(observation.awsManagedKeys);
  const found = await findAwsManagedKeys(
    sourceScope(observation.clusters, rulesOf(config)).owns,
    accounts,
    taken.filter((s) => !known.has(s.kmsKeyId)),
    source,
    isToolBackup,
  );
  return [...observation.awsManagedKeys, ...found].sort();
}

export async function runDestinationPass(
  store: SnapshotStore,
  config: DestinationPolicy,
  clock: Clock,
  phases: readonly DestinationPhase[],
  options: PassOptions = {},
): Promise<DestinationPassReport> {
  let report = await destinationRound(store, config, clock, phases, options, new Set());
  let refused = report.refused;
  const skipped = new Set<string>();
  skip(refused, skipped);
  // Only copies are tried again: retention ran once, on the first round's listing.
  for (let round = 1; round < MAX_IMPORT_ROUNDS && refused.length > 0 && phases.includes('copy'); round++) {
    const next = await destinationRound(store, config, clock, ['copy'], options, skipped);
    refused = next.refused;
    skip(refused, skipped);
    report = mergeRounds(report, next);
  }
  return report;
}

/** Adds the source snapshots of refused imports to `skipped`. */
function skip(refused: readonly ActionResult[], skipped: Set<string>): void {
  for (const { action } of refused) if (action.kind === 'copy') skipped.add(action.sourceArn);
}

/** Rounds as one report: the first's observation (the shared snapshots of the pass), every action and note. */
function mergeRounds(first: DestinationPassReport, later: DestinationPassReport): DestinationPassReport {
  const plan: Plan = {
    ...first.plan,
    actions: [...first.plan.actions, ...later.plan.actions],
    // A later round repeats the notes of what it saw again (the quota, the copy limit): once is enough.
    notes: [
      ...first.plan.notes,
      ...later.plan.notes.filter((n) => !first.plan.notes.some((f) => f.message === n.message)),
    ],
  };
  return {
    observation: first.observation,
    plan,
    results: [...first.results, ...later.results],
    failed: [...first.failed, ...later.failed],
    refused: [...first.refused, ...later.refused],
  };
}

async function destinationRound(
  store: SnapshotStore,
  config: DestinationPolicy,
  clock: Clock,
  phases: readonly DestinationPhase[],
  options: PassOptions,
  skipped: ReadonlySet<string>,
): Promise<DestinationPassReport> {
  const logger = options.logger ?? silentLogger;
  const observed = await observeDestination(store, config, clock, phases);
  // Snapshots AWS refused in an earlier round of this pass are not tried again in it.
  const observation = { ...observed, shared: observed.shared.filter((s) => !skipped.has(s.arn)) };
  const planned = planDestination(observation, config, phases);
  // A dry run writes nothing, so it reads no shape either.
  const plan =
    options.dryRun || options.shapeCarrier === undefined
      ? planned
      : await withCarriedShapes(planned, observation, options.shapeCarrier);
  logNotes(plan.notes, logger);
  const applied = options.dryRun ? [] : await applyPlan(plan, singleStoreFor(store), logger);
  const { results, refused, notes } = separateRefusedImports(applied, config);
  logNotes(notes, logger);
  return {
    observation: observed,
    plan: { ...plan, notes: [...plan.notes, ...notes] },
    results,
    failed: results.filter((r) => !r.ok),
    refused,
  };
}

/**
 * The plan with each import carrying the shape its source account left for it, read from this account's
 * shapes bucket (one object per import); a read that fails leaves that import without the shape, with a note.
 */
async function withCarriedShapes(
  plan: Plan,
  observation: DestinationObservation,
  carrier: ShapeCarrier,
): Promise<Plan> {
  const imports = importsToShape(plan);
  const reads = new Map<string, ShapeObjectRead>();
  for (const action of imports) {
    try {
      const body = await carrier.collect({ region: observation.region, ...shapeObjectOf(action.sourceArn) });
      reads.set(action.sourceArn, { ok: true, body });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      reads.set(action.sourceArn, { ok: false, reason });
    }
  }
  return recordCarriedShapes(plan, new Map(observation.shared.map((s) => [s.arn, s])), reads);
}
