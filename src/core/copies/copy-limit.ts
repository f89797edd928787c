/**
 * The RDS limit of 5 cluster snapshot copies in flight per destination region and account: the
 * planner starts no more than the free slots and leaves the rest for a later pass.
 */
import type { SnapshotInfo } from '../model/model.js';

export const MAX_COPIES_IN_FLIGHT = 5;

/** Copies already running in a region (every `copying` snapshot of the account counts, ours or not). */
export function copiesInFlight(snapshots: readonly SnapshotInfo[]): number {
  let count = 0;
  for (const snapshot of snapshots) if (snapshot.status === 'copying') count++;
  return count;
}

/** Hands out copy slots for one region during planning. */
export class CopySlots {
  private used: number;
  private waiting = 0;

  constructor(
    inFlight: number,
    private readonly limit = MAX_COPIES_IN_FLIGHT,
  ) {
    this.used = inFlight;
  }

  /** Takes a slot when one is free; otherwise counts the copy as waiting. */
  take(): boolean {
    if (this.used >= this.limit) {
      this.waiting++;
      return false;
    }
    this.used++;
    return true;
  }

  /** Gives back a slot taken for a copy that will not start after all. */
  release(): void {
    this.used--;
  }

  get waitingCount(): number {
    return this.waiting;
  }
}

/** Share of the manual snapshot quota at which the plan warns (`quota-near`). */
export const QUOTA_WARNING_FRACTION = 0.9;
