/**
 * The policy the core works to, in its own types: what to back up and when, where the copies go, and how long
 * each side keeps its snapshots. Only the fields the core reads; src/config/to-core.ts maps the parsed
 * configuration into them, so a change to the YAML shape stops at that mapping.
 */
import type { Tags } from '../model/model.js';

/** How long one side keeps the snapshots the tool made (RetentionDays, and the keep-last and calendar rules). */
export interface RetentionRules {
  /** Days a snapshot is kept. */
  readonly RetentionDays: number;
  /** False: nothing is deleted (retention only reports). */
  readonly DeleteOldSnapshots: boolean;
  readonly KeepLast: number;
  readonly KeepDaily: number;
  readonly KeepWeekly: number;
  readonly KeepMonthly: number;
  readonly KeepYearly: number;
  /** At most this many deletions in one pass. */
  readonly MaxDeletesPerPass: number;
  /** IANA zone of the days, weeks, months and years of retention (and of the schedule). */
  readonly ScheduleTimezone: string;
}

/** One destination of a source job: a region copies go to, an account they are shared with, or both. */
export interface CopyTarget {
  readonly Region: string;
  readonly Account?: string | undefined;
  /** The key in Region of the copies made there. */
  readonly KmsKeyDestination?: string | undefined;
}

/**
 * Where a source job's copies go, in either form: the list `Destinations`, or the one-item form
 * (DestinationRegion / DestinationAccount / KmsKeyDestination). copies/destinations.ts reads both.
 */
export interface CopyTargets {
  /** The source region. */
  readonly Region: string;
  readonly Destinations?: readonly CopyTarget[] | undefined;
  readonly DestinationRegion?: string | undefined;
  readonly DestinationAccount?: string | undefined;
  readonly KmsKeyDestination?: string | undefined;
}

/** Which clusters a source job backs up (see policy/selection.ts). */
export interface ClusterSelection {
  readonly ClusterNamePattern: string;
  readonly ExcludeClusterPattern?: string | undefined;
  readonly ClusterTags?: Tags | undefined;
}

/** The source side: which clusters, how often, where the copies go, and how long the backups are kept. */
export interface BackupPolicy extends RetentionRules, CopyTargets, ClusterSelection {
  /** Hours between snapshots of a cluster. */
  readonly BackupInterval: number;
  /** EventBridge cron (in ScheduleTimezone) of the runs: a snapshot is named after its slot. */
  readonly BackupSchedule: string;
  /** False: nothing is copied or shared. */
  readonly ShareSnapshots: boolean;
  /** The key in the source region that re-encrypts an aws/rds-key snapshot before it is shared. */
  readonly KmsKeySource?: string | undefined;
  /** Hours after which a destination that has not received a snapshot no longer keeps it at the source. */
  readonly ReleaseStuckDestinationsAfterHours?: number | undefined;
  /** Minutes a snapshot or copy may stay in progress. */
  readonly MaxWaitMinutes: number;
  /** Tags added to every snapshot the tool takes. */
  readonly Tags?: Tags | undefined;
}

/** The destination side: which shared snapshots it copies into its region, and how long it keeps the copies. */
export interface DestinationPolicy extends RetentionRules {
  readonly Region: string;
  /** Regex searched in the source cluster of each copy. */
  readonly SnapshotPattern: string;
  /** The key in Region of the copies of snapshots shared from another account. */
  readonly KmsKeyDestination?: string | undefined;
  readonly SourceRegion?: string | undefined;
  readonly SourceAccount?: string | undefined;
  /**
   * A vault for a whole organization: snapshots shared by any account are copied in (IAM refuses those owned
   * outside the organization), and the copies of every source account are managed.
   */
  readonly SourceOrganizationId?: string | undefined;
}

/** Both sides of one deployment, either of which may be absent. */
export interface Policies {
  readonly Source?: BackupPolicy | undefined;
  readonly Destination?: DestinationPolicy | undefined;
}
