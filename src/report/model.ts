/**
 * What the HTML report shows, as plain data: every snapshot's life, the recovery point over time,
 * the per-cluster table, and (for the demo) the API calls and the checks. The demo and the live
 * `status --html` both build this; `renderReport` only draws it.
 */

import type { DrillStatusReport } from '../core/drill/index.js';
import type { RestoreTime, SnapshotAge } from '../core/plan/observation.js';

/** Why a snapshot exists, from the tool's `SnapshotTool:Purpose` tag; `unmanaged` has no tool tag. */
export type SnapshotRole = 'backup' | 'dr-copy' | 'share' | 'import' | 'unmanaged';

export interface ReportSnapshot {
  readonly id: string;
  readonly region: string;
  readonly accountId: string;
  /** Cluster the data comes from (the `SnapshotTool:SourceCluster` tag, else the snapshot's own cluster). */
  readonly clusterId: string;
  readonly role: SnapshotRole;
  /** ISO-8601 point in time of the data. */
  readonly pointInTime: string;
  /** ISO-8601 time the snapshot (or copy) appeared. */
  readonly createdAt: string;
  /** ISO-8601 time it was deleted; absent while it exists. */
  readonly deletedAt?: string | undefined;
  /** ISO-8601 time it was first seen shared with another account. */
  readonly sharedAt?: string | undefined;
  /** Account ids it is shared with (space-separated, as the tag holds them). */
  readonly sharedWith?: string | undefined;
  readonly status: string;
  /** Why retention keeps it (`within RetentionDays (7)`, `monthly 2026-11`, `newest`...). */
  readonly keptBecause?: string | undefined;
  /** ISO-8601 time until which the current policy keeps it at least. */
  readonly expiresAt?: string | undefined;
}

export interface RecoveryPointSample {
  readonly at: string;
  /** Age in hours of the newest available copy's data at `at`. */
  readonly ageHours: number;
}

/** The recovery point of one cluster in one region (the destination region for DR copies). */
export interface RecoveryPointSeries {
  readonly clusterId: string;
  readonly region: string;
  readonly samples: readonly RecoveryPointSample[];
}

export interface ClusterRow {
  readonly region: string;
  readonly accountId: string;
  readonly clusterId: string;
  readonly taken: number;
  readonly copied: number;
  readonly shared: number;
  /** Undefined where it cannot be known (a live account shows what exists, not what was deleted). */
  readonly deleted: number | undefined;
  readonly kept: number;
  /** Worst recovery point seen, in hours (destination rows). */
  readonly worstRecoveryPointHours?: number | undefined;
}

export interface ReportCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ApiCallCount {
  /** `service:Operation`, e.g. `rds:DescribeDBClusterSnapshots`. */
  readonly kind: string;
  readonly count: number;
}

/** A destination of the source job (Source.Destinations or the one-item form), drawn as one timeline row per cluster. */
export interface ReportDestination {
  /** `<region>` or `<account>@<region>` (see destinationsOf). */
  readonly id: string;
  readonly kind: 'copy' | 'share' | 'copy-share';
  readonly region: string;
  readonly account?: string | undefined;
}

/** One destination of one cluster at the report's time: its newest copy (or share) and its lag. */
export interface DestinationStateRow {
  readonly clusterId: string;
  readonly id: string;
  readonly latestCopyId?: string | undefined;
  /** Age of the newest copy's data (hours): the destination's recovery point. */
  readonly recoveryPointHours?: number | undefined;
  /** Hours the oldest backup it still lacks has waited. */
  readonly lagHours: number;
  readonly lagging: boolean;
}

export interface ReportData {
  readonly title: string;
  readonly subtitle?: string | undefined;
  readonly generatedAt: string;
  /** The period the timeline covers (ISO-8601). */
  readonly from: string;
  readonly to: string;
  readonly sourceRegion: string;
  readonly destinationRegion?: string | undefined;
  /** The interval the recovery point should stay under, drawn as a guide line (hours). */
  readonly targetRecoveryPointHours?: number | undefined;
  readonly snapshots: readonly ReportSnapshot[];
  readonly recoveryPoints: readonly RecoveryPointSeries[];
  readonly rows: readonly ClusterRow[];
  readonly apiCalls?: readonly ApiCallCount[] | undefined;
  readonly checks?: readonly ReportCheck[] | undefined;
  /** Warnings about the data shown (snapshots in the future...), above the timeline. */
  readonly notes?: readonly string[] | undefined;
  /** The last successful restore drill per cluster, when a RestoreDrill block is configured. */
  readonly restoreDrills?: DrillStatusReport | undefined;
  /** Per cluster, the recovery point beside the restore time its last drill measured. */
  readonly objectives?: readonly RecoveryObjectiveRow[] | undefined;
  /** The destinations: each gets one timeline row per cluster, with what it received. */
  readonly destinations?: readonly ReportDestination[] | undefined;
  /** Per cluster and destination, the newest copy and the lag (the live report; the demo's too). */
  readonly destinationStates?: readonly DestinationStateRow[] | undefined;
  /** Settings shown under the title (parameter name to value). */
  readonly settings?: Readonly<Record<string, string>> | undefined;
}

/** A cluster's recovery point (RPO: the data a restore now would lose) beside its measured restore time (RTO). */
export interface RecoveryObjectiveRow {
  readonly clusterId: string;
  readonly recoveryPoint: SnapshotAge | undefined;
  readonly restoreTime: RestoreTime | undefined;
}
