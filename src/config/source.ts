/**
 * The Source block: its schema (from the parameter table) and the rules between its own parameters.
 */
import * as z from 'zod';
import { crossRegionCopyBarrier } from '../core/copies/regions.js';
import { checkDestinations } from './destinations.js';
import { shapeOf } from './fields.js';
import { recoveryPointObjectiveHours } from './objective.js';
import { kmsKeyRegion, otherPartition, refuse } from './rules.js';

export const SourceSchema = z.strictObject(shapeOf('source'));

export type SourceConfig = z.output<typeof SourceSchema>;

export function checkSource(source: SourceConfig, ctx: z.RefinementCtx): void {
  // The objective in effect (its own, else twice the interval) is never below the interval.
  if (recoveryPointObjectiveHours(source) < source.BackupInterval) {
    refuse(
      ctx,
      `must not be below BackupInterval (${source.BackupInterval} hours): a snapshot is taken at best once per interval`,
      ['Source', 'RecoveryPointObjectiveHours'],
    );
  }
  if (source.KmsKeySource) {
    const keyRegion = kmsKeyRegion(source.KmsKeySource);
    if (keyRegion && keyRegion !== source.Region) {
      refuse(ctx, `must be a key in Source.Region (${source.Region}), not ${keyRegion}`, [
        'Source',
        'KmsKeySource',
      ]);
    }
  }
  if (source.Destinations) {
    checkDestinations(source, source.Destinations, ctx);
    return;
  }
  if (source.ShareSnapshots && !source.DestinationRegion && !source.DestinationAccount) {
    refuse(ctx, 'is required when ShareSnapshots is TRUE (or set DestinationAccount)', [
      'Source',
      'DestinationRegion',
    ]);
  }
  const partition =
    source.DestinationRegion && otherPartition('Source.Region', source.Region, source.DestinationRegion);
  if (partition) {
    refuse(ctx, partition, ['Source', 'DestinationRegion']);
  } else if (source.DestinationRegion) {
    const barrier = crossRegionCopyBarrier(source.Region, source.DestinationRegion);
    if (barrier) {
      refuse(
        ctx,
        `must be Source.Region (${source.Region}) or left out: ${barrier}; share in place instead (DestinationAccount without DestinationRegion)`,
        ['Source', 'DestinationRegion'],
      );
    }
  }
  if (source.DestinationRegion === source.Region && !source.DestinationAccount) {
    refuse(ctx, `must differ from Source.Region (${source.Region}) unless DestinationAccount is set`, [
      'Source',
      'DestinationRegion',
    ]);
  }
  if (source.KmsKeyDestination) {
    // The copies are made in DestinationRegion or, when only DestinationAccount is set, in Region itself.
    // Without either, the missing DestinationRegion is the one problem to report.
    const keyRegion = kmsKeyRegion(source.KmsKeyDestination);
    const expected = source.DestinationRegion ?? (source.DestinationAccount ? source.Region : undefined);
    if (keyRegion && expected && keyRegion !== expected) {
      refuse(
        ctx,
        source.DestinationRegion
          ? `must be a key in DestinationRegion (${expected}), not ${keyRegion}`
          : `must be a key in Source.Region (${expected}), where the copies shared with DestinationAccount are made without a DestinationRegion, not ${keyRegion}`,
        ['Source', 'KmsKeyDestination'],
      );
    }
  }
}
