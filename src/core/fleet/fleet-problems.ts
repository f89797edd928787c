/**
 * Why a protected cluster is failing, one small rule each, from its status: no backup yet, its newest backup
 * failed, its recovery point older than the objective, a destination lagging, no copy in the vault or one too
 * old. Each problem carries a stable code and a message naming the snapshot or destination.
 */
import { isFailedStatus } from '../model/snapshot-kind.js';
import type { ClusterStatus, SnapshotAge } from '../plan/observation.js';
import { formatHours } from '../policy/point-in-time.js';

export type FleetProblemCode =
  | 'no-backup'
  | 'backup-failed'
  | 'no-recovery-point'
  | 'recovery-point-old'
  | 'destination-lagging'
  | 'no-vault-copy'
  | 'vault-copy-old';

export interface FleetProblem {
  readonly code: FleetProblemCode;
  readonly message: string;
}

/** What the rules read of one cluster. */
export interface ClusterFacts {
  readonly status: ClusterStatus;
  /** Its newest available copy in the vault; undefined when there is none (or no vault). */
  readonly vaultCopy: SnapshotAge | undefined;
  /** The vault account; undefined without a vault or when the vault could not be read (its copies unknown). */
  readonly vaultAccount: string | undefined;
  readonly objectiveHours: number;
}

type Rule = (facts: ClusterFacts) => FleetProblem[];

export function noBackup({ status }: ClusterFacts): FleetProblem[] {
  if (status.latestSnapshot !== undefined) return [];
  return [{ code: 'no-backup', message: 'no backup taken by the tool yet' }];
}

export function backupFailed({ status }: ClusterFacts): FleetProblem[] {
  const latest = status.latestSnapshot;
  if (latest === undefined || !isFailedStatus(latest.status)) return [];
  return [{ code: 'backup-failed', message: `newest backup ${latest.id} is ${latest.status}` }];
}

export function recoveryPointOld({ status, objectiveHours }: ClusterFacts): FleetProblem[] {
  const point = status.recoveryPoint;
  // With no backup at all, noBackup says it already.
  if (point === undefined) {
    return status.latestSnapshot === undefined
      ? []
      : [{ code: 'no-recovery-point', message: 'no available snapshot or copy to restore from' }];
  }
  if (point.ageHours <= objectiveHours) return [];
  return [
    {
      code: 'recovery-point-old',
      message: `recovery point ${point.id} (${point.region}) is ${formatHours(point.ageHours)} old, over the objective of ${formatHours(objectiveHours)}`,
    },
  ];
}

export function destinationLagging({ status }: ClusterFacts): FleetProblem[] {
  return (status.destinations ?? [])
    .filter((d) => d.lagging)
    .map((d) => ({
      code: 'destination-lagging' as const,
      message: `destination ${d.id} lacks ${d.oldestMissing?.id ?? 'a backup'} for ${formatHours(d.lagHours)}`,
    }));
}

export function vaultBehind({
  vaultCopy,
  vaultAccount,
  objectiveHours,
  status,
}: ClusterFacts): FleetProblem[] {
  if (vaultAccount === undefined || status.latestSnapshot === undefined) return [];
  if (vaultCopy === undefined) {
    return [{ code: 'no-vault-copy', message: `no copy in the vault account ${vaultAccount}` }];
  }
  if (vaultCopy.ageHours <= objectiveHours) return [];
  return [
    {
      code: 'vault-copy-old',
      message: `newest vault copy ${vaultCopy.id} (${vaultCopy.region}) is ${formatHours(vaultCopy.ageHours)} old, over the objective of ${formatHours(objectiveHours)}`,
    },
  ];
}

const RULES: readonly Rule[] = [noBackup, backupFailed, recoveryPointOld, destinationLagging, vaultBehind];

/** Every problem of one cluster, in the order of the rules; empty when it is healthy. */
export function problemsOf(facts: ClusterFacts): FleetProblem[] {
  return RULES.flatMap((rule) => rule(facts));
}
