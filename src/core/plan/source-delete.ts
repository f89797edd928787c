import type { SnapshotInfo } from '../model/model.js';
import {
  isMarkedForCopy,
  isShareCopy,
  isSharedWith,
  isToolBackup,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { ageMs, hoursToMs } from '../policy/point-in-time.js';
import {
  DELETE_DISABLED_NOTE,
  decideRetention,
  type Hold,
  keepPolicyOf,
  keptSnapshots,
} from '../policy/retention.js';
import type { KeptSnapshot, Note } from './plan.js';
import type { DeleteAction, SourceContext } from './source-context.js';

/**
 * Why an expired source snapshot must wait: a destination has not received it yet (its copy or share is
 * under way, or not made while it is marked shareAndCopy=YES). A destination that has lacked it for more
 * than ReleaseStuckDestinationsAfterHours no longer holds it (a `hold-released` note says so).
 */
function sourceHold(ctx: SourceContext, snapshot: SnapshotInfo, notes: Note[]): Hold | undefined {
  const { fan } = ctx;
  if (isShareCopy(snapshot)) {
    const account = fan.inPlaceAccounts.find((a) => !isSharedWith(snapshot, a));
    return account === undefined
      ? undefined
      : { code: 'kept-share-pending', message: `kept ${snapshot.id}: not yet shared with ${account}` };
  }
  const parts: { code: string; detail: string; id: string }[] = [];
  for (const target of fan.targets) {
    const delivery = fan.delivery(snapshot, target);
    if (delivery.state === 'done') continue;
    if (delivery.state === 'missing' && !isMarkedForCopy(snapshot)) continue;
    if (released(ctx, snapshot, target.id, notes)) continue;
    parts.push({ code: delivery.code, detail: delivery.detail, id: target.id });
  }
  const [first] = parts;
  if (first === undefined) return undefined;
  if (fan.targets.length === 1) return { code: first.code, message: `kept ${snapshot.id}: ${first.detail}` };
  return {
    code: first.code,
    message: `kept ${snapshot.id}: ${parts.map((p) => `${p.detail} (destination ${p.id})`).join('; ')}`,
  };
}

/** ReleaseStuckDestinationsAfterHours has passed for `snapshot` at destination `id`: a note, and no hold. */
function released(ctx: SourceContext, snapshot: SnapshotInfo, id: string, notes: Note[]): boolean {
  const hours = ctx.config.ReleaseStuckDestinationsAfterHours;
  if (hours === undefined) return false;
  // Retention asks for holds only of snapshots with a known point in time; an undated one would never be released.
  const age = ageMs(snapshot, ctx.obs.now) ?? 0;
  if (age <= hoursToMs(hours)) return false;
  notes.push({
    level: 'warn',
    code: 'hold-released',
    message: `${snapshot.id} is no longer kept for destination ${id}: it has not received it in ${Math.floor(age / hoursToMs(1))} hours (ReleaseStuckDestinationsAfterHours ${hours})`,
    clusterId: sourceClusterOf(snapshot),
    snapshotId: snapshot.id,
    destinations: [id],
  });
  return true;
}

/** The expired snapshots to delete, and those kept with the rule or the hold that keeps them. */
export function planDeletes(ctx: SourceContext): {
  readonly deletes: readonly DeleteAction[];
  readonly notes: readonly Note[];
  readonly kept: readonly KeptSnapshot[];
} {
  const notes: Note[] = [];
  const kept: KeptSnapshot[] = [];
  const { obs, config } = ctx;
  if (!config.DeleteOldSnapshots) {
    notes.push(DELETE_DISABLED_NOTE);
    return { deletes: [], notes, kept };
  }
  const released: Note[] = [];
  const decision = decideRetention({
    now: obs.now,
    retentionDays: config.RetentionDays,
    maxDeletes: config.MaxDeletesPerPass,
    snapshots: obs.snapshots,
    // Both roles require CreatedBy: the tool's backups and its re-encrypted share copies.
    owned: (s) => (isToolBackup(s) || isShareCopy(s)) && ctx.matches(sourceClusterOf(s)),
    // The newest backup and the newest share copy of a cluster are each kept.
    groupOf: (s) => `${sourceClusterOf(s)}\u0000${isShareCopy(s)}`,
    hold: (s) => sourceHold(ctx, s, released),
    policy: keepPolicyOf(config),
  });
  // One push per item: spreading a list of hundreds of thousands overflows the call stack.
  for (const note of decision.notes) notes.push(note);
  for (const note of released) notes.push(note);
  for (const k of keptSnapshots(decision, obs.region, sourceClusterOf)) kept.push(k);
  const deletes: DeleteAction[] = decision.deletes.map(({ snapshot, reason }) => ({
    kind: 'delete',
    region: obs.region,
    snapshotId: snapshot.id,
    clusterId: sourceClusterOf(snapshot),
    reason:
      isToolBackup(snapshot) && missingCopyRegions(ctx, snapshot).length > 0
        ? `${reason}; it has no DR copy${ctx.fan.copyRegions.length > 1 ? ` in ${missingCopyRegions(ctx, snapshot).join(', ')}` : ''} (it was older than RetentionDays before one could be made)`
        : reason,
  }));
  return { deletes, notes, kept };
}

/** The copy regions that have no copy of `snapshot`. */
function missingCopyRegions(ctx: SourceContext, snapshot: SnapshotInfo): string[] {
  return ctx.fan.copyRegions.filter((region) => ctx.fan.copiesIn(region).of(snapshot) === undefined);
}
