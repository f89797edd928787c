/**
 * Backups stuck in creation (pure): the tool's snapshots of the job's clusters still `creating` with no
 * progress at all more than MaxWaitMinutes after they were taken. No run waits for a new snapshot any more
 * (its creation event, or the next run, starts its copy), so a later pass finds them and fails, naming them,
 * once its own work is done: while one is in progress no new backup of its cluster is due, and the alarm on
 * failed executions is what tells the operator.
 */

import { ToolError } from '../model/errors.js';
import type { SnapshotInfo } from '../model/model.js';
import { isManual, isToolBackup, sourceClusterOf } from '../model/snapshot-kind.js';
import type { BackupPolicy } from '../policy/backup-policy.js';
import { ageMs } from '../policy/point-in-time.js';
import { rulesOf, sourceScope } from '../policy/selection.js';
import type { SourceObservation } from './observation.js';

/** The job's backups still `creating` at 0% (or with no progress reported) after MaxWaitMinutes. */
export function stuckBackups(obs: SourceObservation, config: BackupPolicy): SnapshotInfo[] {
  const owns = sourceScope(obs.clusters, rulesOf(config)).owns;
  const limitMs = config.MaxWaitMinutes * 60_000;
  return obs.snapshots.filter(
    (s) =>
      isManual(s) &&
      isToolBackup(s) &&
      owns(sourceClusterOf(s)) &&
      s.status === 'creating' &&
      (s.percentProgress ?? 0) === 0 &&
      (ageMs(s, obs.now) ?? 0) > limitMs,
  );
}

/** SnapshotTimedOut naming every stuck backup, with the minutes each has waited; undefined when none is. */
export function stuckBackupsError(obs: SourceObservation, config: BackupPolicy): ToolError | undefined {
  const stuck = stuckBackups(obs, config);
  if (stuck.length === 0) return undefined;
  const named = stuck
    .map((s) => `${s.id} (${s.region}: creating, ${Math.round((ageMs(s, obs.now) ?? 0) / 60_000)} minutes)`)
    .join(', ');
  return new ToolError(
    'SnapshotTimedOut',
    `no progress after MaxWaitMinutes (${config.MaxWaitMinutes}): ${named}; no new backup of its cluster is taken while it is in progress`,
    { details: { snapshots: stuck.map((s) => ({ id: s.id, region: s.region, status: s.status })) } },
  );
}
