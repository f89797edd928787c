/**
 * What a snapshot another account shared says of its origin without its tags: AWS returns tags only to
 * the owning account, so the destination reads the point in time from the name the tool gave it
 * (`<cluster>-YYYY-MM-DD-HH-MM`), the source cluster from DBClusterIdentifier (a copy keeps it), the
 * source region from the snapshot it was copied from (SourceDBClusterSnapshotArn), and the account from
 * its ARN. A tag, when the owner's tags are visible (same account), still wins.
 */
import type { SnapshotInfo } from '../model/model.js';
import { timeFromName } from '../model/naming.js';
import { compareIds } from '../model/order.js';
import { sourceClusterOf } from '../model/snapshot-kind.js';
import { TAG } from '../model/tags.js';

/**
 * The point in time of a shared snapshot's data: its PointInTime tag, else the time in its name (a
 * cross-region copy's create time is the time of the copy, later by the copy's lag), else its create time.
 * A name time later than the create time is not the tool's stamp and is ignored.
 */
export function sharedPointInTime(shared: SnapshotInfo): Date | undefined {
  const tagged = shared.tags[TAG.PointInTime];
  if (tagged !== undefined && !Number.isNaN(Date.parse(tagged))) return new Date(tagged);
  const named = timeFromName(shared.id);
  if (named === undefined) return shared.createTime;
  if (shared.createTime === undefined) return named;
  // The name time, unless it is later than the create time: the earlier of the two.
  return new Date(Math.min(named.getTime(), shared.createTime.getTime()));
}

/**
 * The region the shared snapshot's data comes from, when known: its tag, else the region of the snapshot
 * it was copied from. Undefined for one that names neither (the source shared it where it was taken,
 * or the attribute is missing): the configuration's SourceRegion is then taken on trust.
 */
export function sharedSourceRegion(shared: SnapshotInfo): string | undefined {
  const tagged = shared.tags[TAG.SourceRegion];
  if (tagged !== undefined) return tagged;
  return shared.sourceArn?.split(':')[3] || undefined;
}

/** The account the shared snapshot's data comes from. */
export function sharedSourceAccount(shared: SnapshotInfo): string {
  return shared.tags[TAG.SourceAccount] ?? shared.accountId;
}

/** True when a shared snapshot comes from the configured SourceRegion and SourceAccount and matches the pattern. */
export function isSharedFromSource(
  config: { readonly SourceRegion?: string | undefined; readonly SourceAccount?: string | undefined },
  matches: (clusterId: string) => boolean,
  shared: SnapshotInfo,
): boolean {
  const region = sharedSourceRegion(shared);
  if (config.SourceRegion !== undefined && region !== undefined && region !== config.SourceRegion)
    return false;
  if (config.SourceAccount !== undefined && sharedSourceAccount(shared) !== config.SourceAccount)
    return false;
  return matches(sourceClusterOf(shared));
}

interface Timed<T> {
  readonly snapshot: T;
  readonly time: number;
}

/** Newest first; the same point in time falls back to the identifier, so every pass orders alike. */
function newestFirst<T extends SnapshotInfo>(a: Timed<T>, b: Timed<T>): number {
  return b.time - a.time || compareIds(a.snapshot.id, b.snapshot.id);
}

/** Newest point in time first; those without one last, ties by id. */
export function sortSharedNewestFirst<T extends SnapshotInfo>(shared: readonly T[]): T[] {
  return shared
    .map((snapshot) => ({
      snapshot,
      time: sharedPointInTime(snapshot)?.getTime() ?? Number.NEGATIVE_INFINITY,
    }))
    .sort(newestFirst)
    .map((entry) => entry.snapshot);
}
