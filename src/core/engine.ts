/**
 * The engine: one pass observes the regions, plans (pure), then acts. Running a pass twice, or
 * after a crash at any point, converges to the same state with no duplicates.
 */
import type { DestinationConfig, SourceConfig } from '../config/schema.js';
import type { ClusterInfo, SnapshotInfo, SnapshotRef } from './model.js';
import type { ActionResult, Plan } from './plan.js';
import type { Clock, EngineLogger, SnapshotStore } from './ports.js';

export type SourcePhase = 'take' | 'share' | 'delete';
export type DestinationPhase = 'copy' | 'delete';

export interface SourceStores {
  /** The source region (clusters and their snapshots). */
  readonly source: SnapshotStore;
  /** The destination region of the same account, when DestinationRegion differs from the source region. */
  readonly destination?: SnapshotStore | undefined;
}

/** What one observation of the source side saw. */
export interface SourceObservation {
  readonly now: Date;
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly ClusterInfo[];
  /** The account's manual snapshots in the source region. */
  readonly snapshots: readonly SnapshotInfo[];
  /** The account's manual snapshots in the destination region (empty when there is none). */
  readonly destinationSnapshots: readonly SnapshotInfo[];
  readonly manualSnapshotQuota: number;
  /** Key ids (as the snapshots name them) that are the AWS-managed aws/rds key. */
  readonly awsManagedKeys: readonly string[];
}

export interface DestinationObservation {
  readonly now: Date;
  readonly accountId: string;
  readonly region: string;
  /** The account's own manual snapshots in this region. */
  readonly snapshots: readonly SnapshotInfo[];
  /** Snapshots other accounts shared with this one (empty unless the copy phase runs). */
  readonly shared: readonly SnapshotInfo[];
  readonly manualSnapshotQuota: number;
}

export interface SnapshotAge {
  readonly id: string;
  readonly region: string;
  readonly status: string;
  /** ISO-8601 point in time of the data. */
  readonly pointInTime: string;
  readonly ageHours: number;
}

export interface ClusterStatus {
  readonly clusterId: string;
  readonly region: string;
  readonly latestSnapshot: SnapshotAge | undefined;
  /** The latest copy in the destination region: its age is the recovery point. */
  readonly latestCopy: SnapshotAge | undefined;
  readonly snapshotCount: number;
  readonly copyCount: number;
}

export interface StatusReport {
  readonly at: string;
  readonly region: string;
  readonly destinationRegion: string | undefined;
  readonly clusters: readonly ClusterStatus[];
  readonly manualSnapshotCount: number;
  readonly manualSnapshotQuota: number;
}

export interface PassOptions {
  readonly dryRun?: boolean | undefined;
  readonly logger?: EngineLogger | undefined;
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
}

/** Result of CheckSnapshotStatus over the snapshots and copies a run started. */
export interface CheckResult {
  readonly state: 'available' | 'pending' | 'failed';
  readonly snapshots: readonly { readonly ref: SnapshotRef; readonly status: string }[];
}

export type StoreForRegion = (region: string) => SnapshotStore;

export async function observeSource(
  _stores: SourceStores,
  _config: SourceConfig,
  _clock: Clock,
  _phases?: readonly SourcePhase[],
): Promise<SourceObservation> {
  throw new Error('engine: observeSource is being written');
}

export function planSource(
  _obs: SourceObservation,
  _config: SourceConfig,
  _phases: readonly SourcePhase[],
): Plan {
  throw new Error('engine: planSource is being written');
}

export async function runSourcePass(
  _stores: SourceStores,
  _config: SourceConfig,
  _clock: Clock,
  _phases: readonly SourcePhase[],
  _options?: PassOptions,
): Promise<SourcePassReport> {
  throw new Error('engine: runSourcePass is being written');
}

export async function observeDestination(
  _store: SnapshotStore,
  _config: DestinationConfig,
  _clock: Clock,
  _phases?: readonly DestinationPhase[],
): Promise<DestinationObservation> {
  throw new Error('engine: observeDestination is being written');
}

export function planDestination(
  _obs: DestinationObservation,
  _config: DestinationConfig,
  _phases: readonly DestinationPhase[],
): Plan {
  throw new Error('engine: planDestination is being written');
}

export async function runDestinationPass(
  _store: SnapshotStore,
  _config: DestinationConfig,
  _clock: Clock,
  _phases: readonly DestinationPhase[],
  _options?: PassOptions,
): Promise<DestinationPassReport> {
  throw new Error('engine: runDestinationPass is being written');
}

export async function applyPlan(
  _plan: Plan,
  _storeFor: StoreForRegion,
  _logger?: EngineLogger,
): Promise<ActionResult[]> {
  throw new Error('engine: applyPlan is being written');
}

export function statusReport(_obs: SourceObservation, _config: SourceConfig): StatusReport {
  throw new Error('engine: statusReport is being written');
}

/**
 * CheckSnapshotStatus: `available` when every ref is available; throws SnapshotNotReady while any is
 * in progress (the state machine retries on it), SnapshotTimedOut (naming the snapshot) once
 * `startedAt` is more than `maxWaitMinutes` ago, SnapshotFailed when one failed or vanished.
 */
export async function checkSnapshots(
  _storeFor: StoreForRegion,
  _refs: readonly SnapshotRef[],
  _clock: Clock,
  _startedAt: Date,
  _maxWaitMinutes: number,
): Promise<CheckResult> {
  throw new Error('engine: checkSnapshots is being written');
}
