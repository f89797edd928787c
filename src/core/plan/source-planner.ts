/**
 * The source side's planner (pure): from one observation, the snapshots to take, the DR copies and
 * shares to make, and the expired snapshots to delete, each with its reason, plus notes on what it left.
 */
import type { SourceConfig } from '../../config/schema.js';
import {
  CopySlots,
  copiesInFlight,
  MAX_COPIES_IN_FLIGHT,
  QUOTA_WARNING_FRACTION,
} from '../copies/copy-limit.js';
import { destinationId } from '../copies/destinations.js';
import { destinationsOfAction, type FanOut, fanOut, snapshotsIn } from '../copies/fan-out.js';
import type { ClusterInfo, SnapshotInfo, Tags } from '../model/model.js';
import { createdOn, shareCopyName, snapshotName, withSuffix } from '../model/naming.js';
import {
  isAvailable,
  isFailedStatus,
  isManual,
  isMarkedForCopy,
  isShareCopy,
  isSharedWith,
  isToolBackup,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { TAG, TOOL_TAG_VALUE } from '../model/tags.js';
import { decideDue, dueToleranceMs } from '../policy/due.js';
import { ageMs, daysToMs, hoursToMs, pointInTimeOf, sortNewestFirst } from '../policy/point-in-time.js';
import { DELETE_DISABLED_NOTE, decideRetention, type Hold, keptSnapshots } from '../policy/retention.js';
import { slotOf } from '../policy/schedule.js';
import { rulesOf, type SourceScope, sourceScope } from '../policy/selection.js';
import type { SourceObservation, SourcePhase } from './observation.js';
import type { Action, KeptSnapshot, Note, Plan } from './plan.js';

type TakeAction = Extract<Action, { kind: 'take' }>;
type CopyAction = Extract<Action, { kind: 'copy' }>;
type ShareAction = Extract<Action, { kind: 'share' }>;
type DeleteAction = Extract<Action, { kind: 'delete' }>;

/** What the phases share: the pattern, the destinations and indexes built once per plan. */
interface SourceContext {
  readonly obs: SourceObservation;
  readonly config: SourceConfig;
  /** The clusters selected, those left out and why, and whose snapshots the job manages. */
  readonly scope: SourceScope;
  readonly matches: (clusterId: string) => boolean;
  /** The destinations (none while ShareSnapshots is FALSE) and where each snapshot stands with them. */
  readonly fan: FanOut;
  /** The tool's backups of matching clusters (manual, any state). */
  readonly backups: readonly SnapshotInfo[];
  readonly awsManaged: ReadonlySet<string>;
}

function sourceContext(obs: SourceObservation, config: SourceConfig): SourceContext {
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

export function planSource(
  obs: SourceObservation,
  config: SourceConfig,
  phases: readonly SourcePhase[],
): Plan {
  const ctx = sourceContext(obs, config);
  const notes: Note[] = [];
  const takes = phases.includes('take') ? planTakes(ctx, notes) : [];
  const { copies, shares } = phases.includes('share') ? planShares(ctx, notes) : { copies: [], shares: [] };
  const kept: KeptSnapshot[] = [];
  const deletes = phases.includes('delete') ? planDeletes(ctx, notes, kept) : [];
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
  return phases.includes('delete') && config.DeleteOldSnapshots
    ? { actions, notes, kept }
    : { actions, notes };
}

/** The tags of a snapshot the tool takes: the original's, ours, and the configured ones (ours win). */
export function takeTags(config: SourceConfig, clusterId: string, accountId: string, now: Date): Tags {
  return {
    ...config.Tags,
    [TAG.CreatedBy]: TOOL_TAG_VALUE,
    [TAG.CreatedOn]: createdOn(now),
    ...(config.ShareSnapshots ? { [TAG.ShareAndCopy]: 'YES' } : {}),
    [TAG.PointInTime]: now.toISOString(),
    [TAG.SourceCluster]: clusterId,
    [TAG.SourceRegion]: config.Region,
    [TAG.SourceAccount]: accountId,
    [TAG.Purpose]: 'backup',
  };
}

function planTakes(ctx: SourceContext, notes: Note[]): TakeAction[] {
  const { obs, config } = ctx;
  const byCluster = new Map<string, SnapshotInfo[]>();
  for (const backup of ctx.backups) {
    const clusterId = sourceClusterOf(backup);
    const list = byCluster.get(clusterId);
    if (list) list.push(backup);
    else byCluster.set(clusterId, [backup]);
  }
  const existing = new Set(obs.snapshots.map((s) => s.id));
  const clusters = [...ctx.scope.selected].sort(byId);
  for (const { cluster, code, reason } of [...ctx.scope.leftOut].sort((a, b) => byId(a.cluster, b.cluster))) {
    notes.push({ level: 'info', code, message: reason, clusterId: cluster.id });
  }
  if (clusters.length === 0) {
    notes.push({
      level: 'warn',
      code: 'no-cluster',
      message:
        ctx.scope.leftOut.length === 0
          ? `ClusterNamePattern ${JSON.stringify(config.ClusterNamePattern)} matches no cluster in ${obs.region}`
          : `ClusterNamePattern ${JSON.stringify(config.ClusterNamePattern)} matches no cluster in ${obs.region} that is selected (${ctx.scope.leftOut.length} left out, see the notes)`,
    });
  }
  const slot = slotOf(
    config.BackupSchedule,
    obs.now,
    dueToleranceMs(config.BackupInterval),
    config.ScheduleTimezone,
  );
  const takes: TakeAction[] = [];
  for (const cluster of clusters) {
    if (cluster.status !== 'available') {
      notes.push({
        level: 'warn',
        code: 'cluster-not-available',
        message: `cluster ${cluster.id} is ${cluster.status}: no snapshot taken this pass`,
        clusterId: cluster.id,
      });
      continue;
    }
    const decision = decideDue(
      byCluster.get(cluster.id) ?? [],
      obs.now,
      config.BackupInterval,
      config.ScheduleTimezone,
    );
    if (!decision.due) {
      notes.push({
        level: 'info',
        code: decision.code,
        message: decision.reason,
        clusterId: cluster.id,
        // Stryker disable next-line OptionalChaining: equivalent, a decision that is not due always names its latest backup
        snapshotId: decision.latest?.id,
      });
      continue;
    }
    // Named after the scheduled firing, not the clock's minute: two passes of one slot (a repeated
    // delivery, a manual run beside the scheduled one) choose the same name, and RDS keeps only one.
    const snapshotId = snapshotName(cluster.id, slot ?? obs.now);
    if (existing.has(snapshotId)) {
      notes.push({
        level: 'warn',
        code: 'name-taken',
        message: `a snapshot named ${snapshotId} already exists and is not a usable backup of ${cluster.id}; the next pass retries under a new name`,
        clusterId: cluster.id,
        snapshotId,
      });
      continue;
    }
    takes.push({
      kind: 'take',
      region: obs.region,
      clusterId: cluster.id,
      snapshotId,
      tags: takeTags(config, cluster.id, obs.accountId, obs.now),
      reason: decision.reason,
    });
  }
  return takes;
}

/** Cluster identifiers are unique in a region. */
function byId(a: ClusterInfo, b: ClusterInfo): number {
  // Stryker disable next-line EqualityOperator: equivalent, `<=` differs only for equal ids
  return a.id < b.id ? -1 : 1;
}

/** A copy's tags: the source's without CreatedBy (the copy was not taken), plus CopiedBy and origin. */
export function drCopyTags(
  source: SnapshotInfo,
  sourceRegion: string,
  sourceAccount: string,
  now: Date,
): Tags {
  const { [TAG.CreatedBy]: _created, [TAG.SharedWith]: _shared, ...rest } = source.tags;
  return {
    ...rest,
    [TAG.CopiedBy]: TOOL_TAG_VALUE,
    [TAG.PointInTime]: pointInTimeIso(source, now),
    [TAG.SourceCluster]: sourceClusterOf(source),
    [TAG.SourceRegion]: source.tags[TAG.SourceRegion] ?? sourceRegion,
    [TAG.SourceAccount]: source.tags[TAG.SourceAccount] ?? sourceAccount,
    [TAG.SourceSnapshot]: source.arn,
    [TAG.Purpose]: 'dr-copy',
  };
}

/**
 * The point in time to carry to a copy (the original tool's snapshots have only a create time). RDS
 * always reports a create time for an available snapshot; should it not, the copy counts from now, so
 * that it is kept rather than expired at once.
 */
function pointInTimeIso(snapshot: SnapshotInfo, now: Date): string {
  return (pointInTimeOf(snapshot) ?? now).toISOString();
}

function tooOld(ctx: SourceContext, snapshot: SnapshotInfo): boolean {
  return (ageMs(snapshot, ctx.obs.now) ?? 0) > daysToMs(ctx.config.RetentionDays);
}

function isAwsManagedKey(ctx: SourceContext, snapshot: SnapshotInfo): boolean {
  return (
    snapshot.encrypted &&
    // Stryker disable next-line ConditionalExpression: equivalent, the set holds no undefined; the test narrows the type
    snapshot.kmsKeyId !== undefined &&
    ctx.awsManaged.has(snapshot.kmsKeyId)
  );
}

function planShares(ctx: SourceContext, notes: Note[]): { copies: CopyAction[]; shares: ShareAction[] } {
  const copies: CopyAction[] = [];
  const shares: ShareAction[] = [];
  if (!ctx.config.ShareSnapshots) {
    notes.push({
      level: 'info',
      code: 'share-disabled',
      message: 'ShareSnapshots is FALSE: nothing copied or shared',
    });
    return { copies, shares };
  }
  const available = sortNewestFirst(ctx.backups.filter(isAvailable));
  for (const region of ctx.fan.copyRegions) planDrCopies(ctx, region, available, copies, shares, notes);
  if (ctx.fan.inPlaceAccounts.length > 0) {
    planInRegionShares(ctx, ctx.fan.inPlaceAccounts, available, copies, shares, notes);
  }
  return { copies, shares };
}

function shareAction(snapshot: SnapshotInfo, region: string, account: string, reason: string): ShareAction {
  // The accounts it is already shared with stay in its SharedWith tag beside the new one (never `account`
  // itself: a share is planned only for an account the tag does not name).
  // Stryker disable next-line Regex: equivalent, the empty parts a split on single spaces leaves are filtered out
  const already = (snapshot.tags[TAG.SharedWith] ?? '').split(/\s+/).filter((a) => a !== '');
  return {
    kind: 'share' as const,
    region,
    snapshotId: snapshot.id,
    snapshotArn: snapshot.arn,
    accountId: account,
    clusterId: sourceClusterOf(snapshot),
    reason,
    ...(already.length > 0 ? { alreadySharedWith: already } : {}),
  };
}

function limitNote(
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
function destinationsField(ctx: SourceContext, ids: readonly string[]): { destinations?: readonly string[] } {
  // Every caller names at least one destination (a copy region's, or an in-place account's).
  return ctx.fan.targets.length > 1 ? { destinations: ids } : {};
}

/** The ids of the destinations served by the copies in `region`. */
function idsIn(ctx: SourceContext, region: string): string[] {
  // A copy region is never the source region, where the shares in place are.
  return ctx.fan.targets.filter((t) => t.region === region).map((t) => t.id);
}

/** DR copies to one destination region, then (cross-account) shares of the copies that arrived there. */
function planDrCopies(
  ctx: SourceContext,
  drRegion: string,
  available: readonly SnapshotInfo[],
  copies: CopyAction[],
  shares: ShareAction[],
  notes: Note[],
): void {
  const { obs, config } = ctx;
  const index = ctx.fan.copiesIn(drRegion);
  const accounts = ctx.fan.accountsIn(drRegion);
  const { key, parameter } = ctx.fan.keyIn(drRegion);
  const ids = idsIn(ctx, drRegion);
  const slots = new CopySlots(copiesInFlight(snapshotsIn(obs, drRegion)));
  for (const source of available) {
    const clusterId = sourceClusterOf(source);
    const copy = index.of(source);
    if (copy !== undefined) {
      if (isFailedStatus(copy.status)) {
        notes.push({
          level: 'warn',
          code: 'copy-failed',
          message: `the DR copy ${copy.id} in ${drRegion} is ${copy.status}: delete it so the next pass copies ${source.id} again`,
          clusterId,
          snapshotId: copy.id,
          ...destinationsField(ctx, ids),
        });
        continue;
      }
      if (!isAvailable(copy)) continue;
      for (const account of accounts) {
        if (isSharedWith(copy, account)) continue;
        if (isAwsManagedKey(ctx, copy)) {
          notes.push({
            level: 'warn',
            code: 'share-impossible',
            message: `the DR copy ${copy.id} is encrypted with the AWS-managed aws/rds key, which cannot be shared: set ${parameter} to a customer managed key`,
            clusterId,
            snapshotId: copy.id,
            ...destinationsField(ctx, [destinationId(drRegion, account)]),
          });
        } else {
          shares.push(
            shareAction(copy, drRegion, account, `DR copy of ${source.id} not yet shared with ${account}`),
          );
        }
      }
      continue;
    }
    if (tooOld(ctx, source) && !isMarkedForCopy(source)) {
      notes.push({
        level: 'info',
        code: 'too-old-to-copy',
        message: `${source.id} is older than RetentionDays (${config.RetentionDays}): not copied, it would be deleted at once`,
        clusterId,
        snapshotId: source.id,
        ...destinationsField(ctx, ids),
      });
      continue;
    }
    if (source.encrypted && key === undefined) {
      notes.push({
        level: 'warn',
        code: 'encryption-key-required',
        message: `EncryptionKeyRequired: ${source.id} is encrypted; set ${parameter} to a key in ${drRegion} to copy it there`,
        clusterId,
        snapshotId: source.id,
        ...destinationsField(ctx, ids),
      });
      continue;
    }
    if (!slots.take()) continue;
    const targetId = index.reserve(source.id, `-${obs.region}`);
    if (targetId === undefined) {
      slots.release();
      notes.push({
        level: 'warn',
        code: 'name-taken',
        message: `${source.id} cannot be copied: ${drRegion} already has snapshots named ${source.id} and ${withSuffix(source.id, `-${obs.region}`)} holding other data`,
        clusterId,
        snapshotId: source.id,
        ...destinationsField(ctx, ids),
      });
      continue;
    }
    copies.push({
      kind: 'copy',
      purpose: 'dr-copy',
      sourceArn: source.arn,
      sourceRegion: obs.region,
      targetRegion: drRegion,
      targetId,
      kmsKeyId: source.encrypted ? key : undefined,
      clusterId,
      tags: drCopyTags(source, obs.region, obs.accountId, obs.now),
      reason: `${source.id} has no DR copy in ${drRegion}`,
    });
  }
  limitNote(notes, slots, drRegion, destinationsField(ctx, ids));
}

/**
 * Cross-account in the same region: share each backup with each account; one under the AWS-managed
 * aws/rds key cannot be shared, so it is first re-encrypted with KmsKeySource into `<name>-shared` and
 * that copy is shared.
 */
function planInRegionShares(
  ctx: SourceContext,
  accounts: readonly string[],
  available: readonly SnapshotInfo[],
  copies: CopyAction[],
  shares: ShareAction[],
  notes: Note[],
): void {
  const { obs, config } = ctx;
  const ids = accounts.map((account) => destinationId(obs.region, account));
  const slots = new CopySlots(copiesInFlight(obs.snapshots));
  for (const source of available) {
    const clusterId = sourceClusterOf(source);
    const old = tooOld(ctx, source) && !isMarkedForCopy(source);
    const oldNote = (): void => {
      notes.push({
        level: 'info',
        code: 'too-old-to-share',
        message: `${source.id} is older than RetentionDays (${config.RetentionDays}): not shared, it would be deleted at once`,
        clusterId,
        snapshotId: source.id,
        ...destinationsField(ctx, ids),
      });
    };
    if (!isAwsManagedKey(ctx, source)) {
      const missing = accounts.filter((account) => !isSharedWith(source, account));
      if (missing.length === 0) continue;
      if (old) oldNote();
      else
        for (const account of missing) {
          shares.push(
            shareAction(source, obs.region, account, `${source.id} not yet shared with ${account}`),
          );
        }
      continue;
    }
    const shareCopy = ctx.fan.shareCopies.of(source);
    if (shareCopy !== undefined) {
      if (isFailedStatus(shareCopy.status)) {
        notes.push({
          level: 'warn',
          code: 'copy-failed',
          message: `the re-encrypted copy ${shareCopy.id} is ${shareCopy.status}: delete it so the next pass makes it again`,
          clusterId,
          snapshotId: shareCopy.id,
          ...destinationsField(ctx, ids),
        });
      } else if (isAvailable(shareCopy)) {
        for (const account of accounts) {
          if (isSharedWith(shareCopy, account)) continue;
          shares.push(
            shareAction(
              shareCopy,
              obs.region,
              account,
              `re-encrypted copy of ${source.id} not yet shared with ${account}`,
            ),
          );
        }
      }
      continue;
    }
    if (old) {
      oldNote();
      continue;
    }
    if (config.KmsKeySource === undefined) {
      notes.push({
        level: 'warn',
        code: 'kms-key-source-required',
        // Stryker disable next-line StringLiteral: wording, the separator of the accounts in the message
        message: `${source.id} is encrypted with the AWS-managed aws/rds key, which cannot be shared: set KmsKeySource to a customer managed key in ${obs.region} whose policy allows account ${accounts.join(' and ')}`,
        clusterId,
        snapshotId: source.id,
        ...destinationsField(ctx, ids),
      });
      continue;
    }
    if (!slots.take()) continue;
    const targetId = ctx.fan.shareCopies.reserve(shareCopyName(source.id), '-2');
    if (targetId === undefined) {
      slots.release();
      notes.push({
        level: 'warn',
        code: 'name-taken',
        message: `${source.id} cannot be re-encrypted: ${shareCopyName(source.id)} already exists and holds other data`,
        clusterId,
        snapshotId: source.id,
        ...destinationsField(ctx, ids),
      });
      continue;
    }
    const { [TAG.SharedWith]: _shared, ...tags } = source.tags;
    copies.push({
      kind: 'copy',
      purpose: 'share',
      sourceArn: source.arn,
      sourceRegion: obs.region,
      targetRegion: obs.region,
      targetId,
      kmsKeyId: config.KmsKeySource,
      clusterId,
      tags: {
        ...tags,
        [TAG.PointInTime]: pointInTimeIso(source, obs.now),
        [TAG.SourceCluster]: clusterId,
        [TAG.SourceRegion]: source.tags[TAG.SourceRegion] ?? obs.region,
        [TAG.SourceAccount]: source.tags[TAG.SourceAccount] ?? obs.accountId,
        [TAG.SourceSnapshot]: source.arn,
        [TAG.Purpose]: 'share',
      },
      reason: `${source.id} is encrypted with the AWS-managed aws/rds key, which cannot be shared: re-encrypting it with KmsKeySource to share the copy`,
    });
  }
  limitNote(notes, slots, obs.region, destinationsField(ctx, ids));
}

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

function planDeletes(ctx: SourceContext, notes: Note[], kept: KeptSnapshot[]): DeleteAction[] {
  const { obs, config } = ctx;
  if (!config.DeleteOldSnapshots) {
    notes.push(DELETE_DISABLED_NOTE);
    return [];
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
    policy: {
      keepLast: config.KeepLast,
      keepDaily: config.KeepDaily,
      keepWeekly: config.KeepWeekly,
      keepMonthly: config.KeepMonthly,
      keepYearly: config.KeepYearly,
      timeZone: config.ScheduleTimezone,
    },
  });
  // One push per item: spreading a list of hundreds of thousands overflows the call stack.
  for (const note of decision.notes) notes.push(note);
  for (const note of released) notes.push(note);
  for (const k of keptSnapshots(decision, obs.region, sourceClusterOf)) kept.push(k);
  return decision.deletes.map(({ snapshot, reason }) => ({
    kind: 'delete',
    region: obs.region,
    snapshotId: snapshot.id,
    clusterId: sourceClusterOf(snapshot),
    reason:
      isToolBackup(snapshot) && missingCopyRegions(ctx, snapshot).length > 0
        ? `${reason}; it has no DR copy${ctx.fan.copyRegions.length > 1 ? ` in ${missingCopyRegions(ctx, snapshot).join(', ')}` : ''} (it was older than RetentionDays before one could be made)`
        : reason,
  }));
}

/** The copy regions that have no copy of `snapshot`. */
function missingCopyRegions(ctx: SourceContext, snapshot: SnapshotInfo): string[] {
  return ctx.fan.copyRegions.filter((region) => ctx.fan.copiesIn(region).of(snapshot) === undefined);
}
