import { CopySlots, copiesInFlight } from '../copies/copy-limit.js';
import { destinationId } from '../copies/destinations.js';
import type { SnapshotInfo } from '../model/model.js';
import { shareCopyName } from '../model/naming.js';
import {
  isAvailable,
  isFailedStatus,
  isMarkedForCopy,
  isSharedWith,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { TAG } from '../model/tags.js';
import type { Note } from './plan.js';
import {
  type CopyAction,
  destinationsField,
  isAwsManagedKey,
  limitNote,
  pointInTimeIso,
  type ShareAction,
  type SourceContext,
  shareAction,
  tooOld,
} from './source-context.js';

/**
 * Cross-account in the same region: share each backup with each account; one under the AWS-managed
 * aws/rds key cannot be shared, so it is first re-encrypted with KmsKeySource into `<name>-shared` and
 * that copy is shared.
 */
export function planInRegionShares(
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
