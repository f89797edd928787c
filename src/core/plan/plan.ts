/** A plan is data: the actions a pass would take, each with the reason, and the notes on what it skipped. */
import type { Tags } from '../model/model.js';

export type Action =
  | {
      readonly kind: 'take';
      readonly region: string;
      readonly clusterId: string;
      readonly snapshotId: string;
      readonly tags: Tags;
      readonly reason: string;
    }
  | {
      readonly kind: 'copy';
      /** `dr-copy`: to the destination region; `share`: re-encrypt in the source region with KmsKeySource; `import`: a shared snapshot into this account. */
      readonly purpose: 'dr-copy' | 'share' | 'import';
      readonly sourceArn: string;
      readonly sourceRegion: string;
      readonly targetRegion: string;
      readonly targetId: string;
      readonly kmsKeyId: string | undefined;
      readonly clusterId: string;
      readonly tags: Tags;
      readonly reason: string;
      /** The destinations it works for (ids, see destinationsOf), set when the job has several. */
      readonly destinations?: readonly string[] | undefined;
    }
  | {
      readonly kind: 'share';
      readonly region: string;
      readonly snapshotId: string;
      readonly snapshotArn: string;
      readonly accountId: string;
      readonly clusterId: string;
      readonly reason: string;
      /** The destination it works for (its id, see destinationsOf), set when the job has several. */
      readonly destinations?: readonly string[] | undefined;
      /** Other accounts its SharedWith tag already names (kept in the tag beside accountId). */
      readonly alreadySharedWith?: readonly string[] | undefined;
      /**
       * The shape tags the snapshot records, delivered to the account once shared (it cannot read the
       * snapshot's tags: see shape-carrier.ts); absent when it records none.
       */
      readonly shapeTags?: Tags | undefined;
    }
  | {
      readonly kind: 'delete';
      readonly region: string;
      readonly snapshotId: string;
      readonly clusterId: string;
      readonly reason: string;
    };

export type ActionKind = Action['kind'];

export interface Note {
  readonly level: 'info' | 'warn';
  /** Stable code, e.g. `not-due`, `copy-limit`, `quota-near`, `kept-newest`, `delete-limit`. */
  readonly code: string;
  readonly message: string;
  readonly clusterId?: string | undefined;
  readonly snapshotId?: string | undefined;
  /** The ids of the destinations it concerns (see destinationsOf), when it concerns some. */
  readonly destinations?: readonly string[] | undefined;
}

/** A snapshot retention considered and keeps: why, and when the current policy lets it go. */
export interface KeptSnapshot {
  readonly region: string;
  readonly clusterId: string;
  readonly snapshotId: string;
  /** `newest`, `within RetentionDays (7)`, `daily 2026-11-30`, `monthly 2026-11`, a hold's message... */
  readonly reasons: readonly string[];
  /**
   * ISO-8601 time until which the policy keeps it at least, if the schedule goes on; absent while it is kept
   * as the newest, by a hold, or by KeepLast alone (those end with events, not dates).
   */
  readonly expiresAt?: string | undefined;
}

export interface Plan {
  readonly actions: readonly Action[];
  readonly notes: readonly Note[];
  /** Every snapshot retention considered and keeps (present when the delete phase ran and may delete). */
  readonly kept?: readonly KeptSnapshot[] | undefined;
}

export interface ActionResult {
  readonly action: Action;
  readonly ok: boolean;
  /** What went wrong beside a done action (a shape not delivered with a share): warnings, never failures. */
  readonly notes?: readonly Note[] | undefined;
  /** Error name (ToolErrorName) when it failed. */
  readonly error?: string | undefined;
  readonly message?: string | undefined;
}
