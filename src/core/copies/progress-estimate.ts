/**
 * When to look again at snapshots and copies in progress (pure): the state machines wait this long between
 * two status checks, so a copy of hours costs a handful of checks instead of one a minute. RDS sends no
 * event when a cluster snapshot copy finishes; this estimate is what stands in for one.
 */

/** The shortest wait: a check sooner than a minute finds nothing new, RDS updates progress in minutes. */
export const MIN_CHECK_AFTER_SECONDS = 60;

/** The longest wait (4 hours): the longest a finished copy may wait to be acted on (shared, copied on). */
export const MAX_CHECK_AFTER_SECONDS = 14_400;

/**
 * The copy rate assumed for a snapshot or copy that reports no progress yet: 1 TiB an hour (the rate of
 * a 2 TB cluster copied in 2 hours). AWS documents no rate, only that a cross-Region copy "can take hours
 * to complete" depending on the Regions and the amount of data (Aurora User Guide, Copying a DB cluster
 * snapshot). The figure is deliberately optimistic: a check too early costs one invocation, after which
 * PercentProgress sizes the wait; a check too late delays what follows the copy.
 */
export const ASSUMED_GIB_PER_HOUR = 1024;

/** Margin on an estimate (× 11/10): look a little after it should be done, not just before. */
const MARGIN_TENTHS = 11;
/** Seconds added to every estimate: RDS reports a copy available a little after it reaches 100%. */
const SLACK_SECONDS = 30;

/** What RDS tells of one snapshot or copy in progress. */
export interface ProgressSample {
  /** RDS's PercentProgress (0 to 100); undefined when it reports none. */
  readonly percentProgress?: number | undefined;
  /** The snapshot's AllocatedStorage in GiB; undefined when unknown. */
  readonly allocatedStorageGiB?: number | undefined;
}

/**
 * Seconds one snapshot still needs, `elapsedSeconds` after it was started. With progress p > 0 the rest of
 * the way goes at the pace so far: elapsed × (100 − p) / p. With none (p = 0: not started, or queued behind
 * other copies, where RDS shows no progress), its size at ASSUMED_GIB_PER_HOUR, and at least the time it has
 * already waited: a copy still at 0% is queued, and waiting as long again keeps its checks logarithmic.
 */
export function remainingSeconds(sample: ProgressSample, elapsedSeconds: number): number {
  const elapsed = Math.max(0, elapsedSeconds);
  const p = Math.min(100, Math.max(0, sample.percentProgress ?? 0));
  if (p > 0) return (elapsed * (100 - p)) / p;
  const sizeSeconds = ((sample.allocatedStorageGiB ?? 0) / ASSUMED_GIB_PER_HOUR) * 3600;
  return Math.max(sizeSeconds, elapsed);
}

/**
 * Whole seconds to wait before the next check of `inProgress`: the soonest of them to finish, with a margin
 * (× 1.1 + 30 s), within MIN_CHECK_AFTER_SECONDS..MAX_CHECK_AFTER_SECONDS. The soonest, because whatever
 * finishes first can be acted on (shared, copied on) while the others go on. Nothing in progress: the minimum.
 */
export function checkAfterSeconds(inProgress: readonly ProgressSample[], elapsedSeconds: number): number {
  if (inProgress.length === 0) return MIN_CHECK_AFTER_SECONDS;
  const soonest = Math.min(...inProgress.map((sample) => remainingSeconds(sample, elapsedSeconds)));
  // × 11 / 10 rather than × 1.1, which a binary float makes 1980.0000000000002 for 1800 (and 1981 once rounded up).
  const next = Math.ceil((soonest * MARGIN_TENTHS) / 10) + SLACK_SECONDS;
  return Math.min(MAX_CHECK_AFTER_SECONDS, Math.max(MIN_CHECK_AFTER_SECONDS, next));
}
