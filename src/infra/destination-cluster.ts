/**
 * One SnapshotPattern on the destination side: its state machine over the shared destination functions,
 * started on its Schedule with its configuration as input, its alarm and topic. It adds no permission to
 * the shared roles: they already copy what another account shares, use keys through RDS and start the
 * tool's state machines by name prefix.
 */
import { Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DestinationSchema, type LogLevel } from '../config/schema.js';
import { type DefinitionOptions, destinationStateMachineDefinition } from '../state-machines/index.js';
import { ClusterJob, type ClusterJobOptions, objectiveText } from './cluster-job.js';
import type { ToolRoles } from './roles.js';
import { type AcceptedProps, refuseUnknownProps, validateBlock } from './validate.js';

/**
 * The destination functions a state machine invokes (DestinationFunctions has them). The destination
 * machine does not wait for its copies: retention never deletes one in progress, and a CheckSnapshotStatus
 * of its own would clash by name with the source functions of a region that is both source and destination.
 */
export interface DestinationClusterFunctions {
  readonly copy: IFunction;
  readonly deleteOld: IFunction;
}

/** The destination configuration: the seed's parameters in camelCase, validated with the CLI's schema. */
export interface DestinationClusterSettings {
  /** Regular expression searched in the source cluster of each copy (SnapshotPattern), or `ALL_CLUSTERS`. */
  readonly snapshotPattern: string;
  /**
   * Days a copy is kept; not lower than the source's (RetentionDays).
   * @default 7
   */
  readonly retentionDays?: number;
  /**
   * Also keep the N newest snapshots (KeepLast).
   * @default 0 (off)
   */
  readonly keepLast?: number;
  /**
   * Also keep the newest snapshot of each of the N most recent days that have one, in scheduleTimezone (KeepDaily).
   * @default 0 (off)
   */
  readonly keepDaily?: number;
  /**
   * Also keep the newest snapshot of each of the N most recent ISO weeks that have one (KeepWeekly).
   * @default 0 (off)
   */
  readonly keepWeekly?: number;
  /**
   * Also keep the newest snapshot of each of the N most recent calendar months that have one (KeepMonthly).
   * @default 0 (off)
   */
  readonly keepMonthly?: number;
  /**
   * Also keep the newest snapshot of each of the N most recent calendar years that have one (KeepYearly).
   * @default 0 (off)
   */
  readonly keepYearly?: number;
  /**
   * Whether the tool's copies older than retentionDays are deleted (DeleteOldSnapshots).
   * @default true
   */
  readonly deleteOldSnapshots?: boolean;
  /**
   * Key of this region for copies of snapshots shared by sourceAccount (KmsKeyDestination).
   * @default none
   */
  readonly kmsKeyDestination?: string;
  /**
   * Only copies from this source region are managed (SourceRegion).
   * @default any source region
   */
  readonly sourceRegion?: string;
  /**
   * Cross-account: the account whose shared snapshots are copied in (SourceAccount).
   * @default none (same account: the source job makes the copies)
   */
  readonly sourceAccount?: string;
  /**
   * EventBridge cron of the job, 6 fields, in scheduleTimezone, without `cron(...)` (Schedule).
   * @default '0 * * * ? *' (hourly)
   */
  readonly schedule?: string;
  /**
   * IANA time zone of schedule and of retention's days, weeks, months and years (ScheduleTimezone).
   * @default 'UTC'
   */
  readonly scheduleTimezone?: string;
  /**
   * Log level of the functions for this job's runs (LogLevel).
   * @default 'ERROR'
   */
  readonly logLevel?: LogLevel;
  /**
   * At most this many copies deleted per run (MaxDeletesPerPass).
   * @default 20
   */
  readonly maxDeletesPerPass?: number;
  /**
   * Minutes a copy may stay in progress before the run fails naming it (MaxWaitMinutes).
   * @default 720
   */
  readonly maxWaitMinutes?: number;
  /**
   * Hours the recovery point may age before the stack's alarm fires (RecoveryPointObjectiveHours); not
   * below the backup interval.
   * @default twice the default BackupInterval (48); set it to twice the source's BackupInterval
   */
  readonly recoveryPointObjectiveHours?: number;
  /**
   * Cross-account: ARN of sourceAccount's KMS key that encrypts the snapshots it shares (the source's
   * KmsKeyDestination when the regions differ, else its KmsKeySource or the cluster's key), in this region
   * (SharedSnapshotsKmsKey; only with sourceAccount). Copying them
   * needs that key's policy to allow this account (docs/deployment.md, "Key policies"); the shared role
   * already uses it through RDS.
   * @default none (unencrypted or same-account snapshots)
   */
  readonly sharedSnapshotsKmsKey?: string;
}

export interface DestinationClusterProps extends DestinationClusterSettings, ClusterJobOptions {
  /** The shared destination roles (DestinationRoles). */
  readonly roles: ToolRoles;
  /** The shared destination functions (DestinationFunctions). */
  readonly functions: DestinationClusterFunctions;
  /**
   * Polling of the state machine.
   * @default 60 seconds, 12 hours' worth of polls
   */
  readonly definitionOptions?: DefinitionOptions;
}

export function destinationBlockFields(props: DestinationClusterSettings, region: string) {
  return [
    { parameter: 'Region', prop: 'region', value: region },
    { parameter: 'SnapshotPattern', prop: 'snapshotPattern', value: props.snapshotPattern },
    { parameter: 'RetentionDays', prop: 'retentionDays', value: props.retentionDays },
    { parameter: 'KeepLast', prop: 'keepLast', value: props.keepLast },
    { parameter: 'KeepDaily', prop: 'keepDaily', value: props.keepDaily },
    { parameter: 'KeepWeekly', prop: 'keepWeekly', value: props.keepWeekly },
    { parameter: 'KeepMonthly', prop: 'keepMonthly', value: props.keepMonthly },
    { parameter: 'KeepYearly', prop: 'keepYearly', value: props.keepYearly },
    { parameter: 'DeleteOldSnapshots', prop: 'deleteOldSnapshots', value: props.deleteOldSnapshots },
    { parameter: 'KmsKeyDestination', prop: 'kmsKeyDestination', value: props.kmsKeyDestination },
    { parameter: 'SourceRegion', prop: 'sourceRegion', value: props.sourceRegion },
    { parameter: 'SourceAccount', prop: 'sourceAccount', value: props.sourceAccount },
    { parameter: 'Schedule', prop: 'schedule', value: props.schedule },
    { parameter: 'ScheduleTimezone', prop: 'scheduleTimezone', value: props.scheduleTimezone },
    { parameter: 'LogLevel', prop: 'logLevel', value: props.logLevel },
    { parameter: 'MaxDeletesPerPass', prop: 'maxDeletesPerPass', value: props.maxDeletesPerPass },
    { parameter: 'MaxWaitMinutes', prop: 'maxWaitMinutes', value: props.maxWaitMinutes },
    {
      parameter: 'RecoveryPointObjectiveHours',
      prop: 'recoveryPointObjectiveHours',
      value: props.recoveryPointObjectiveHours,
    },
    { parameter: 'SharedSnapshotsKmsKey', prop: 'sharedSnapshotsKmsKey', value: props.sharedSnapshotsKmsKey },
  ] as const;
}

/** Every prop of DestinationCluster (a plain-JavaScript app may pass others: they are refused). */
export const DESTINATION_CLUSTER_PROPS: AcceptedProps<DestinationClusterProps> = {
  snapshotPattern: true,
  retentionDays: true,
  keepLast: true,
  keepDaily: true,
  keepWeekly: true,
  keepMonthly: true,
  keepYearly: true,
  deleteOldSnapshots: true,
  kmsKeyDestination: true,
  sourceRegion: true,
  sourceAccount: true,
  schedule: true,
  scheduleTimezone: true,
  logLevel: true,
  maxDeletesPerPass: true,
  maxWaitMinutes: true,
  recoveryPointObjectiveHours: true,
  roles: true,
  functions: true,
  sharedSnapshotsKmsKey: true,
  definitionOptions: true,
  alarmTopic: true,
  logRetention: true,
};

export class DestinationCluster extends Construct {
  /** The configuration block the state machine is started with (`{ Destination: ... }`). */
  readonly config: { readonly Destination: Readonly<Record<string, unknown>> };
  readonly job: ClusterJob;

  constructor(scope: Construct, id: string, props: DestinationClusterProps) {
    // Before super: a refused construct leaves nothing in the tree.
    refuseUnknownProps('DestinationCluster', props, DESTINATION_CLUSTER_PROPS);
    super(scope, id);
    const stack = Stack.of(this);
    const block = validateBlock(
      'Destination',
      DestinationSchema,
      destinationBlockFields(props, stack.region),
    );
    this.config = { Destination: block };
    const fns = props.functions;

    this.job = new ClusterJob(this, 'Job', {
      ...props,
      definition: destinationStateMachineDefinition(
        { copy: fns.copy.functionArn, check: undefined, deleteOld: fns.deleteOld.functionArn },
        props.definitionOptions,
      ),
      side: 'destination',
      stateMachineRole: props.roles.stateMachineRole,
      schedule: String(block.Schedule ?? props.schedule ?? '0 * * * ? *'),
      timeZone: String(block.ScheduleTimezone ?? props.scheduleTimezone ?? 'UTC'),
      input: stack.toJsonString(this.config),
      description: `destination snapshot pattern ${props.snapshotPattern}`,
      recoveryPoint: {
        side: 'destination',
        pattern: props.snapshotPattern,
        objective: objectiveText(props.recoveryPointObjectiveHours, undefined),
      },
    });
  }
}
