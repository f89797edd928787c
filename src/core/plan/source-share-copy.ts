import { isAvailable } from '../model/snapshot-kind.js';
import { sortNewestFirst } from '../policy/point-in-time.js';
import type { Note } from './plan.js';
import type { CopyAction, ShareAction, SourceContext } from './source-context.js';
import { planDrCopies } from './source-dr-copy.js';
import { planInRegionShares } from './source-share-in-place.js';

/** The DR copies and the shares to make: to each copy region, then in place with the accounts of the source region. */
export function planShares(ctx: SourceContext): {
  readonly copies: readonly CopyAction[];
  readonly shares: readonly ShareAction[];
  readonly notes: readonly Note[];
} {
  const notes: Note[] = [];
  const copies: CopyAction[] = [];
  const shares: ShareAction[] = [];
  if (!ctx.config.ShareSnapshots) {
    notes.push({
      level: 'info',
      code: 'share-disabled',
      message: 'ShareSnapshots is FALSE: nothing copied or shared',
    });
    return { copies, shares, notes };
  }
  const available = sortNewestFirst(ctx.backups.filter(isAvailable));
  for (const region of ctx.fan.copyRegions) planDrCopies(ctx, region, available, copies, shares, notes);
  if (ctx.fan.inPlaceAccounts.length > 0) {
    planInRegionShares(ctx, ctx.fan.inPlaceAccounts, available, copies, shares, notes);
  }
  return { copies, shares, notes };
}
