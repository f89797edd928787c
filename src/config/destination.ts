/**
 * The Destination block: its schema (from the parameter table) and the rules between its own parameters.
 */
import * as z from 'zod';
import { crossRegionCopyBarrier } from '../core/copies/regions.js';
import { shapeOf } from './fields.js';
import { KMS_KEY_ARN, kmsKeyRegion, otherPartition, refuse } from './rules.js';

export const DestinationSchema = z.strictObject(shapeOf('destination'));

export type DestinationConfig = z.output<typeof DestinationSchema>;

/** The rules within a Destination block: its source region, the shared key, its own key. */
export function checkDestination(destination: DestinationConfig, ctx: z.RefinementCtx): void {
  const partition =
    destination.SourceRegion &&
    otherPartition('Destination.Region', destination.Region, destination.SourceRegion);
  if (partition) {
    refuse(ctx, partition, ['Destination', 'SourceRegion']);
  } else if (destination.SourceRegion) {
    const barrier = crossRegionCopyBarrier(destination.SourceRegion, destination.Region);
    if (barrier) {
      refuse(
        ctx,
        `must be Destination.Region (${destination.Region}): ${barrier}, so no copy there comes from another region`,
        ['Destination', 'SourceRegion'],
      );
    }
  }
  if (destination.SharedSnapshotsKmsKey) {
    checkSharedKey(destination, destination.SharedSnapshotsKmsKey, ctx);
  }
  if (destination.KmsKeyDestination) {
    const keyRegion = kmsKeyRegion(destination.KmsKeyDestination);
    if (keyRegion && keyRegion !== destination.Region) {
      refuse(ctx, `must be a key in Destination.Region (${destination.Region}), not ${keyRegion}`, [
        'Destination',
        'KmsKeyDestination',
      ]);
    }
  }
}

function checkSharedKey(destination: DestinationConfig, key: string, ctx: z.RefinementCtx): void {
  // Stryker disable next-line ArrayDeclaration: equivalent, the pattern skips item 0, so any fallback array gives undefined region and account
  const [, keyRegion, keyAccount] = KMS_KEY_ARN.exec(key) ?? [];
  const path = ['Destination', 'SharedSnapshotsKmsKey'];
  if (!destination.SourceAccount) {
    refuse(
      ctx,
      'is used only with SourceAccount (the account that shares snapshots encrypted with it): set SourceAccount',
      path,
    );
  } else if (keyAccount && keyAccount !== destination.SourceAccount) {
    refuse(ctx, `must be a key of SourceAccount (${destination.SourceAccount}), not of ${keyAccount}`, path);
  }
  if (keyRegion && keyRegion !== destination.Region) {
    refuse(
      ctx,
      `must be a key in Destination.Region (${destination.Region}), where the shared snapshots are, not ${keyRegion}`,
      path,
    );
  }
}
