/**
 * Source.Destinations: the list form of DestinationRegion / DestinationAccount / KmsKeyDestination, its
 * item schema, and the rules each item follows (those of the one-item form, each error naming
 * `Source.Destinations[i].Field`).
 */
import * as z from 'zod';
import { destinationId } from '../core/copies/destinations.js';
import { crossRegionCopyBarrier } from '../core/copies/regions.js';
import { accountId, kmsKeyRegion, otherPartition, ownKmsKey, refuse, region } from './rules.js';

/** At most this many items in Source.Destinations (AWS Backup's copy actions per rule, RDS's copy limit). */
export const MAX_DESTINATIONS = 5;

/** One item of Source.Destinations: where copies go (Region) and/or who they are shared with (Account). */
export const DestinationItemSchema = z.strictObject({
  /** Region of the copies; Source.Region itself with an Account is a share in place. */
  // Stryker disable next-line StringLiteral: equivalent, zod metadata (.describe) that nothing in the tool reads
  Region: region.describe('Region of the copies; Source.Region itself with an Account is a share in place'),
  /** Account the snapshots (in Source.Region) or the copies (in another Region) are shared with. */
  Account: accountId.optional().describe(
    // Stryker disable next-line StringLiteral: equivalent, zod metadata (.describe) that nothing in the tool reads
    'Account the snapshots or their copies in Region are shared with (12 digits, quoted)',
  ),
  /** Key in Region for the copies made there (required when the snapshots are encrypted). */
  KmsKeyDestination: ownKmsKey.optional().describe(
    // Stryker disable next-line StringLiteral: equivalent, zod metadata (.describe) that nothing in the tool reads
    'KMS key in Region for the copies made there (its ARN, or alias/<name>: that alias in the account and Region); required for encrypted snapshots',
  ),
});

export const destinations = z
  .array(DestinationItemSchema)
  .min(1, { message: `must list 1 to ${MAX_DESTINATIONS} destinations` })
  .max(MAX_DESTINATIONS, { message: `must list 1 to ${MAX_DESTINATIONS} destinations` });

/** The one-item form's parameters, which Destinations replaces. */
const ONE_ITEM_FORM = ['DestinationRegion', 'DestinationAccount', 'KmsKeyDestination'] as const;

/** What the item rules read of the source block. */
type SourceOfDestinations = { readonly Region: string } & {
  readonly [K in (typeof ONE_ITEM_FORM)[number]]?: string | undefined;
};

/** The rules of the one-item form, per item of Destinations, each error naming `Source.Destinations[i].Field`. */
export function checkDestinations(
  source: SourceOfDestinations,
  items: readonly z.output<typeof DestinationItemSchema>[],
  ctx: z.RefinementCtx,
): void {
  for (const name of ONE_ITEM_FORM) {
    if (source[name] !== undefined) {
      refuse(
        ctx,
        `cannot be used together with Source.${name}: write every destination in Destinations (Region, Account, KmsKeyDestination), or use the one-destination form alone`,
        ['Source', 'Destinations'],
      );
    }
  }
  const seen = new Map<string, number>();
  const keyOfRegion = new Map<string, { index: number; key: string | undefined }>();
  items.forEach((item, i) => {
    const at = (field: string): PropertyKey[] => ['Source', 'Destinations', i, field];
    const id = destinationId(item.Region, item.Account);
    const first = seen.get(id);
    if (first !== undefined) {
      refuse(
        ctx,
        `repeats Source.Destinations[${first}] (Region ${item.Region}${item.Account ? `, Account ${item.Account}` : ''}): each destination must differ in Region or Account`,
        ['Source', 'Destinations', i],
      );
    } else {
      seen.set(id, i);
    }
    const partition = otherPartition('Source.Region', source.Region, item.Region);
    if (partition) {
      refuse(ctx, partition, at('Region'));
    } else {
      const barrier = crossRegionCopyBarrier(source.Region, item.Region);
      if (barrier) {
        refuse(
          ctx,
          `must be Source.Region (${source.Region}): ${barrier}; share in place instead (Region ${source.Region} with an Account)`,
          at('Region'),
        );
      }
    }
    if (item.Region === source.Region && !item.Account) {
      refuse(
        ctx,
        `must differ from Source.Region (${source.Region}) unless Account is set (a share in place)`,
        at('Region'),
      );
    }
    if (item.KmsKeyDestination) {
      const keyRegion = kmsKeyRegion(item.KmsKeyDestination);
      if (keyRegion && keyRegion !== item.Region) {
        refuse(ctx, `must be a key in Source.Destinations[${i}].Region (${item.Region}), not ${keyRegion}`, [
          ...at('KmsKeyDestination'),
        ]);
      }
      // Destinations in one region share one copy of each snapshot: one key for all of them.
      const other = keyOfRegion.get(item.Region);
      if (other?.key !== undefined && other.key !== item.KmsKeyDestination) {
        refuse(
          ctx,
          `differs from Source.Destinations[${other.index}].KmsKeyDestination (${other.key}): the destinations in ${item.Region} share one copy of each snapshot, made with one key`,
          at('KmsKeyDestination'),
        );
      }
      if (other?.key === undefined) keyOfRegion.set(item.Region, { index: i, key: item.KmsKeyDestination });
    }
  });
}
