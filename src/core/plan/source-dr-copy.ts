import { CopySlots, copiesInFlight } from '../copies/copy-limit.js';
import { destinationId } from '../copies/destinations.js';
import { snapshotsIn } from '../copies/fan-out.js';
import type { SnapshotInfo, Tags } from '../model/model.js';
import { withSuffix } from '../model/naming.js';
import {
  isAvailable,
  isFailedStatus,
  isMarkedForCopy,
  isSharedWith,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { TAG, TOOL_TAG_VALUE } from '../model/tags.js';
import type { Note } from './plan.js';
import {
  type CopyAction,
  destinationsField,
  idsIn,
  isAwsManagedKey,
  limitNote,
  pointInTimeIso,
  type ShareAction,
  type SourceContext,
  shareAction,
  tooOld,
} from './source-context.js';

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

/** DR copies to one destination region, then (cross-account) shares of the copies that arrived there. */
export function planDrCopies(
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
