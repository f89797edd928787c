/**
 * The types the planners, the status report and the engine share: what an observation saw, the phases, the
 * status report and the check result. They live here, not in the engine that calls the planners, so the
 * callees never import their caller.
 */
import type { ClusterInfo, SnapshotInfo, SnapshotRef } from '../model/model.js';
import type { SnapshotStore } from '../model/ports.js';
import type { KeptSnapshot } from './plan.js';

export type SourcePhase = 'take' | 'share' | 'delete';
export type DestinationPhase = 'copy' | 'delete';

/** What one observation of the source side saw. */
export interface SourceObservation {
  readonly now: Date;
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly ClusterInfo[];
  /** The account's manual snapshots in the source region. */
  readonly snapshots: readonly SnapshotInfo[];
  /**
   * The account's manual snapshots in the destination region (empty when there is none); with several
   * destination regions, those of the first (each region's are in `regionSnapshots`).
   */
  readonly destinationSnapshots: readonly SnapshotInfo[];
  /**
   * The account's manual snapshots in each region copies go to (Source.Destinations); absent with one
   * destination region, whose snapshots are `destinationSnapshots`.
   */
  readonly regionSnapshots?: Readonly<Record<string, readonly SnapshotInfo[]>> | undefined;
  readonly manualSnapshotQuota: number;
  /** Key ids (as the snapshots name them) that are the AWS-managed aws/rds key. */
  readonly awsManagedKeys: readonly string[];
}

export interface DestinationObservation {
  readonly now: Date;
  readonly accountId: string;
  readonly region: string;
  /** The account's own manual snapshots in this region. */
  readonly snapshots: readonly SnapshotInfo[];
  /** Snapshots other accounts shared with this one (empty unless the copy phase runs). */
  readonly shared: readonly SnapshotInfo[];
  readonly manualSnapshotQuota: number;
}

export interface SnapshotAge {
  readonly id: string;
  readonly region: string;
  readonly status: string;
  /** ISO-8601 point in time of the data. */
  readonly pointInTime: string;
  /** Hours since the point in time; 0 for a snapshot in the future. */
  readonly ageHours: number;
  /** Set when the point in time is later than the report's time: by how many hours. */
  readonly inFutureHours?: number;
}

/** One destination of one cluster: its newest copy (or share) and how far behind it is. */
export interface DestinationStatus {
  /** `<region>` or `<account>@<region>` (see destinationsOf). */
  readonly id: string;
  readonly kind: 'copy' | 'share' | 'copy-share';
  readonly region: string;
  readonly account?: string | undefined;
  /** Its newest available copy, or the newest snapshot shared with its account: its recovery point. */
  readonly latestCopy: SnapshotAge | undefined;
  /** The oldest backup it should have and has not received yet (its copy or share missing or under way). */
  readonly oldestMissing?: SnapshotAge | undefined;
  /** Hours that backup has waited (0 when nothing is missing). */
  readonly lagHours: number;
  /** Behind by more than MaxWaitMinutes: reported by status, a metric and the report. */
  readonly lagging: boolean;
}

export interface ClusterStatus {
  readonly clusterId: string;
  readonly region: string;
  readonly latestSnapshot: SnapshotAge | undefined;
  /** The latest copy in the destination region: its age is the recovery point. */
  readonly latestCopy: SnapshotAge | undefined;
  /**
   * What a restore would start from: the latest available copy when the snapshots are copied to another
   * region, else the latest available backup. Its age is RecoveryPointAgeHours.
   */
  readonly recoveryPoint: SnapshotAge | undefined;
  readonly snapshotCount: number;
  readonly copyCount: number;
  /** Every destination (Source.Destinations, or the one-item form), in the configured order. */
  readonly destinations?: readonly DestinationStatus[] | undefined;
  /** The snapshots retention keeps in this region, why, and until when (when the delete phase was planned). */
  readonly kept?: readonly KeptSnapshot[] | undefined;
  /** The restore time its last successful restore drill measured (the RTO beside the recovery point). */
  readonly restoreTime?: RestoreTime | undefined;
}

/** The minutes the last successful restore drill of a cluster took until its cluster and instance were available. */
export interface RestoreTime {
  readonly minutes: number;
  /** ISO time of the drill. */
  readonly drilledAt: string;
  /** The snapshot it restored, and where. */
  readonly snapshotId: string;
  readonly region: string;
}

export interface StatusReport {
  readonly at: string;
  readonly region: string;
  readonly destinationRegion: string | undefined;
  /** The ids of the destinations copies and shares go to (empty while ShareSnapshots is FALSE). */
  readonly destinations?: readonly string[] | undefined;
  readonly clusters: readonly ClusterStatus[];
  readonly manualSnapshotCount: number;
  readonly manualSnapshotQuota: number;
}

/** Result of CheckSnapshotStatus over the snapshots and copies a run started. */
export interface CheckResult {
  /**
   * `pending`: past MaxWaitMinutes but still making progress, left to the next runs. `in-progress`: not yet,
   * look again after `checkAfterSeconds` (a sparse check only; a polling check throws SnapshotNotReady).
   */
  readonly state: 'available' | 'in-progress' | 'pending' | 'failed';
  readonly snapshots: readonly {
    readonly ref: SnapshotRef;
    readonly status: string;
    /** RDS's PercentProgress of one still in progress. */
    readonly percentProgress?: number;
  }[];
  /** A sparse check's answer: whole seconds to wait before the next check (progress-estimate.ts). */
  readonly checkAfterSeconds?: number;
}

export type StoreForRegion = (region: string) => SnapshotStore;
