/**
 * The source side's planner (pure): from one observation, the snapshots to take (source-take.ts), the DR
 * copies and shares to make (source-share-copy.ts), and the expired snapshots to delete (source-delete.ts),
 * each with its reason, plus notes on what it left.
 */

import { QUOTA_WARNING_FRACTION } from '../copies/copy-limit.js';
import { destinationsOfAction } from '../copies/fan-out.js';
import { isManual } from '../model/snapshot-kind.js';
import type { BackupPolicy } from '../policy/backup-policy.js';
import type { SourceObservation, SourcePhase } from './observation.js';
import type { Note, Plan } from './plan.js';
import { type CopyAction, type ShareAction, sourceContext } from './source-context.js';
import { planDeletes } from './source-delete.js';
import { planShares } from './source-share-copy.js';
import { planTakes } from './source-take.js';

export function planSource(
  obs: SourceObservation,
  config: BackupPolicy,
  phases: readonly SourcePhase[],
): Plan {
  const ctx = sourceContext(obs, config);
  const notes: Note[] = [];
  // Each decision in turn (the share decision reserves copy names the delete decision then reads).
  const takes = phases.includes('take') ? adding(notes, planTakes(ctx)).takes : [];
  const { copies, shares } = phases.includes('share')
    ? adding(notes, planShares(ctx))
    : { copies: [], shares: [] };
  const deleting = phases.includes('delete') ? adding(notes, planDeletes(ctx)) : undefined;
  const deletes = deleting?.deletes ?? [];
  const count = obs.snapshots.filter(isManual).length + takes.length;
  if (count >= obs.manualSnapshotQuota * QUOTA_WARNING_FRACTION) {
    notes.push({
      level: 'warn',
      code: 'quota-near',
      message: `${count} manual cluster snapshots in ${obs.region} (quota ${obs.manualSnapshotQuota}): lower RetentionDays or ask AWS for a higher quota`,
    });
  }
  const targets = ctx.fan.targets;
  // With several destinations each copy and share names the destinations it works for.
  const named = <A extends CopyAction | ShareAction>(action: A): A =>
    targets.length > 1 ? { ...action, destinations: destinationsOfAction(action, targets) } : action;
  const actions = [...takes, ...copies.map(named), ...shares.map(named), ...deletes];
  return deleting !== undefined && config.DeleteOldSnapshots
    ? { actions, notes, kept: deleting.kept }
    : { actions, notes };
}

/** The notes of one decision, appended one push per item (spreading hundreds of thousands overflows the call stack). */
function adding<T extends { readonly notes: readonly Note[] }>(notes: Note[], decision: T): T {
  for (const note of decision.notes) notes.push(note);
  return decision;
}
