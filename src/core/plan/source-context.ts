/** What the source planner's decisions share: the observation, the selected clusters, the fan-out, and small helpers. */

import { type CopySlots, MAX_COPIES_IN_FLIGHT } from '../copies/copy-limit.js';
import { type FanOut, fanOut } from '../copies/fan-out.js';
import type { SnapshotInfo } from '../model/model.js';
import { shapeTagsOf } from '../model/shape-carrier.js';
import { isManual, isToolBackup, sourceClusterOf } from '../model/snapshot-kind.js';
import { TAG } from '../model/tags.js';
import type { BackupPolicy } from '../policy/backup-policy.js';
import { ageMs, daysToMs, pointInTimeOf } from '../policy/point-in-time.js';
import { rulesOf, type SourceScope, sourceScope } from '../policy/selection.js';
import type { SourceObservation } from './observation.js';
import type { Action, Note } from './plan.js';

export type TakeAction = Extract<Action, { kind: 'take' }>;
export type CopyAction = Extract<Action, { kind: 'copy' }>;
export type ShareAction = Extract<Action, { kind: 'share' }>;
export type DeleteAction = Extract<Action, { kind: 'delete' }>;

/** What the phases share: the pattern, the destinations and indexes built once per plan. */
export interface SourceContext {
  readonly obs: SourceObservation;
  readonly config: BackupPolicy;
  /** The clusters selected, those left out and why, and whose snapshots the job manages. */
  readonly scope: SourceScope;
  readonly matches: (clusterId: string) => boolean;
  /** The destinations (none while ShareSnapshots is FALSE) and where each snapshot stands with them. */
  readonly fan: FanOut;
  /** The tool's backups of matching clusters (manual, any state). */
  readonly backups: readonly SnapshotInfo[];
  readonly awsManaged: ReadonlySet<string>;
}

export function sourceContext(obs: SourceObservation, config: BackupPolicy): SourceContext {
  const scope = sourceScope(obs.clusters, rulesOf(config));
  const matches = scope.owns;
  const own = obs.snapshots.filter(isManual);
  const backups = own.filter((s) => isToolBackup(s) && matches(sourceClusterOf(s)));
  return {
    obs,
    config,
    scope,
    matches,
    fan: fanOut(obs, config),
    backups,
    awsManaged: new Set(obs.awsManagedKeys),
  };
}

/**
 * The point in time to carry to a copy (the original tool's snapshots have only a create time). RDS
 * always reports a create time for an available snapshot; should it not, the copy counts from now, so
 * that it is kept rather than expired at once.
 */
export function pointInTimeIso(snapshot: SnapshotInfo, now: Date): string {
  return (pointInTimeOf(snapshot) ?? now).toISOString();
}

export function tooOld(ctx: SourceContext, snapshot: SnapshotInfo): boolean {
  return (ageMs(snapshot, ctx.obs.now) ?? 0) > daysToMs(ctx.config.RetentionDays);
}

export function isAwsManagedKey(ctx: SourceContext, snapshot: SnapshotInfo): boolean {
  return snapshot.encrypted && snapshot.kmsKeyId !== undefined && ctx.awsManaged.has(snapshot.kmsKeyId);
}

export function shareAction(
  snapshot: SnapshotInfo,
  region: string,
  account: string,
  reason: string,
): ShareAction {
  // The accounts it is already shared with stay in its SharedWith tag beside the new one (never `account`
  // itself: a share is planned only for an account the tag does not name).
  // Spaces separate them, the only blank an AWS tag value may hold.
  const already = (snapshot.tags[TAG.SharedWith] ?? '').split(' ').filter((a) => a !== '');
  const shapeTags = shapeTagsOf(snapshot.tags);
  return {
    kind: 'share' as const,
    region,
    snapshotId: snapshot.id,
    snapshotArn: snapshot.arn,
    accountId: account,
    clusterId: sourceClusterOf(snapshot),
    reason,
    ...(already.length > 0 ? { alreadySharedWith: already } : {}),
    ...(Object.keys(shapeTags).length > 0 ? { shapeTags } : {}),
  };
}

export function limitNote(
  notes: Note[],
  slots: CopySlots,
  region: string,
  destinations: { destinations?: readonly string[] },
): void {
  if (slots.waitingCount > 0) {
    notes.push({
      level: 'info',
      code: 'copy-limit',
      message: `${slots.waitingCount} copy(ies) wait for a later pass: at most ${MAX_COPIES_IN_FLIGHT} copies in flight in ${region}`,
      ...destinations,
    });
  }
}

/** Notes name the destinations they concern when the job has several. */
export function destinationsField(
  ctx: SourceContext,
  ids: readonly string[],
): { destinations?: readonly string[] } {
  // Every caller names at least one destination (a copy region's, or an in-place account's).
  return ctx.fan.targets.length > 1 ? { destinations: ids } : {};
}

/** The ids of the destinations served by the copies in `region`. */
export function idsIn(ctx: SourceContext, region: string): string[] {
  // A copy region is never the source region, where the shares in place are.
  return ctx.fan.targets.filter((t) => t.region === region).map((t) => t.id);
}
