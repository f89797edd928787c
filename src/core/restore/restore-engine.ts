/**
 * Carries out a restore plan over the RecoveryStore: sends its requests in order (what an interrupted
 * earlier run created counts as done), then waits for the cluster and each instance, reporting each change
 * of state, and reads the endpoints. The waiting between polls is injected, so tests run at once.
 */
import { RESTORE_FAILED_STATES } from '../drill/drill-progress.js';
import { isToolError, ToolError } from '../model/errors.js';
import type { Clock } from '../model/ports.js';
import type { RecoveryStore, RestoredEndpoints } from './recovery-port.js';
import type { RestorePlan } from './restore-plan.js';
import type { RestoreRequest } from './restore-requests.js';

export interface RestoreProgress {
  readonly kind: 'cluster' | 'instance';
  readonly id: string;
  /** `creating`, `available`...; `missing` while RDS does not list it yet. */
  readonly status: string;
  /** Whole minutes since the restore started. */
  readonly minutes: number;
}

export interface RestoreOutcome {
  readonly clusterId: string;
  readonly instanceIds: readonly string[];
  readonly endpoints: RestoredEndpoints;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly minutes: number;
}

export interface CarryOutOptions {
  readonly clock: Clock;
  /** Waits between two polls (a restore takes minutes). */
  readonly wait: () => Promise<void>;
  readonly onProgress?: ((progress: RestoreProgress) => void) | undefined;
}

function minutesBetween(from: Date, to: Date): number {
  return Math.max(0, Math.ceil((to.getTime() - from.getTime()) / 60_000));
}

function idOf(request: RestoreRequest): string {
  return request.action === 'CreateDBInstance'
    ? request.input.DBInstanceIdentifier
    : request.input.DBClusterIdentifier;
}

async function send(
  store: Pick<RecoveryStore, 'restoreCluster' | 'createInstance'>,
  request: RestoreRequest,
  plan: RestorePlan,
): Promise<void> {
  try {
    if (request.action === 'RestoreDBClusterFromSnapshot') await store.restoreCluster(request.input);
    else await store.createInstance(request.input);
  } catch (error) {
    if (isToolError(error, 'ResourceAlreadyExists')) return;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ToolError(
      'RestoreFailed',
      `${request.action} of ${idOf(request)} (restore of ${plan.snapshotId} in ${plan.region}) failed: ${reason}`,
      { cause: error, details: { region: plan.region, snapshotId: plan.snapshotId, id: idOf(request) } },
    );
  }
}

/**
 * Sends the plan's requests in order, but for what an interrupted earlier run already created; a create
 * RDS answers "already exists" counts as done. The restore command and the restore drill both send through it.
 */
export async function sendRestoreRequests(
  store: Pick<RecoveryStore, 'restoreCluster' | 'createInstance'>,
  plan: RestorePlan,
): Promise<void> {
  for (const request of plan.requests) {
    if (!plan.existing.includes(idOf(request))) await send(store, request, plan);
  }
}

/** Restores, waits until the cluster and every instance are available, and returns the endpoints. */
export async function carryOutRestore(
  store: RecoveryStore,
  plan: RestorePlan,
  options: CarryOutOptions,
): Promise<RestoreOutcome> {
  const startedAt = options.clock.now();
  await sendRestoreRequests(store, plan);
  const instanceIds = plan.requests.filter((r) => r.action === 'CreateDBInstance').map(idOf);
  const failed = (kind: string, id: string, status: string) =>
    new ToolError(
      'RestoreFailed',
      `${kind} ${id} (restored from ${plan.snapshotId} in ${plan.region}) is ${status}: it will not become available`,
      { details: { region: plan.region, snapshotId: plan.snapshotId, id, status } },
    );
  const last = new Map<string, string>();
  const report = (kind: RestoreProgress['kind'], id: string, status: string) => {
    const before = last.get(id);
    // Gone after it was seen: deleted meanwhile (RDS may list a new resource a moment late, never unlist it).
    if (status === 'missing' && before !== undefined && before !== 'missing')
      throw failed(kind, id, 'deleted');
    if (before === status) return;
    last.set(id, status);
    options.onProgress?.({ kind, id, status, minutes: minutesBetween(startedAt, options.clock.now()) });
  };
  for (;;) {
    const cluster = await store.clusterState(plan.clusterId);
    const clusterStatus = cluster.status ?? 'missing';
    report('cluster', plan.clusterId, clusterStatus);
    if (RESTORE_FAILED_STATES.has(clusterStatus)) throw failed('cluster', plan.clusterId, clusterStatus);
    let ready = clusterStatus === 'available';
    for (const id of instanceIds) {
      const status = (await store.instanceState(id)).status ?? 'missing';
      report('instance', id, status);
      if (RESTORE_FAILED_STATES.has(status)) throw failed('instance', id, status);
      ready &&= status === 'available';
    }
    if (ready) {
      const finishedAt = options.clock.now();
      return {
        clusterId: plan.clusterId,
        instanceIds,
        endpoints: cluster.endpoints,
        startedAt,
        finishedAt,
        minutes: minutesBetween(startedAt, finishedAt),
      };
    }
    await options.wait();
  }
}
