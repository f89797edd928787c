/**
 * The parsed configuration mapped into the core's own policy types (src/core/policy/backup-policy.ts), one
 * function per block. The core reads only these, so a change to the YAML shape stops here.
 */
import type {
  BackupPolicy,
  CopyTarget,
  DestinationPolicy,
  Policies,
  RetentionRules,
} from '../core/policy/backup-policy.js';
import type { Config, DestinationConfig, SourceConfig } from './schema.js';

/** Every field of T written out, so a field added to a core type cannot be left unmapped. */
type Every<T> = { readonly [K in keyof Required<T>]: T[K] };

function retentionRulesOf(block: SourceConfig | DestinationConfig): Every<RetentionRules> {
  return {
    RetentionDays: block.RetentionDays,
    DeleteOldSnapshots: block.DeleteOldSnapshots,
    KeepLast: block.KeepLast,
    KeepDaily: block.KeepDaily,
    KeepWeekly: block.KeepWeekly,
    KeepMonthly: block.KeepMonthly,
    KeepYearly: block.KeepYearly,
    MaxDeletesPerPass: block.MaxDeletesPerPass,
    ScheduleTimezone: block.ScheduleTimezone,
  };
}

function copyTargetOf(item: NonNullable<SourceConfig['Destinations']>[number]): Every<CopyTarget> {
  return { Region: item.Region, Account: item.Account, KmsKeyDestination: item.KmsKeyDestination };
}

/** The Source block as the core's backup policy. */
export function backupPolicyOf(source: SourceConfig): BackupPolicy {
  const policy: Every<BackupPolicy> = {
    ...retentionRulesOf(source),
    Region: source.Region,
    ClusterNamePattern: source.ClusterNamePattern,
    ExcludeClusterPattern: source.ExcludeClusterPattern,
    ClusterTags: source.ClusterTags,
    BackupInterval: source.BackupInterval,
    BackupSchedule: source.BackupSchedule,
    ShareSnapshots: source.ShareSnapshots,
    Destinations: source.Destinations?.map(copyTargetOf),
    DestinationRegion: source.DestinationRegion,
    DestinationAccount: source.DestinationAccount,
    KmsKeyDestination: source.KmsKeyDestination,
    KmsKeySource: source.KmsKeySource,
    ReleaseStuckDestinationsAfterHours: source.ReleaseStuckDestinationsAfterHours,
    MaxWaitMinutes: source.MaxWaitMinutes,
    Tags: source.Tags,
  };
  return policy;
}

/** The Destination block as the core's destination policy. */
export function destinationPolicyOf(destination: DestinationConfig): DestinationPolicy {
  const policy: Every<DestinationPolicy> = {
    ...retentionRulesOf(destination),
    Region: destination.Region,
    SnapshotPattern: destination.SnapshotPattern,
    KmsKeyDestination: destination.KmsKeyDestination,
    SourceRegion: destination.SourceRegion,
    SourceAccount: destination.SourceAccount,
    SourceOrganizationId: destination.SourceOrganizationId,
  };
  return policy;
}

/** The whole configuration as the core's policies (the RestoreDrill block maps in src/core/drill's own settings). */
export function policiesOf(config: Config): Policies {
  return {
    Source: config.Source === undefined ? undefined : backupPolicyOf(config.Source),
    Destination: config.Destination === undefined ? undefined : destinationPolicyOf(config.Destination),
  };
}
