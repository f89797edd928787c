/**
 * One cluster (or ClusterNamePattern) on the source side: its state machine over the shared functions,
 * started on `cron(BackupSchedule)` with its configuration as input, its alarm and topic. It adds no
 * permission to the shared roles: they already use any of the account's keys through RDS and start the
 * tool's state machines by name prefix.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { type LogLevel, type SourceConfig, SourceSchema } from '../config/schema.js';
import { destinationsOf } from '../core/copies/destinations.js';
import { ConfigError } from '../core/model/errors.js';
import { type DefinitionOptions, sourceStateMachineDefinition } from '../state-machines/index.js';
import { ClusterJob, type ClusterJobOptions, objectiveText } from './cluster-job.js';
import { SourceRoles, type ToolRoles } from './roles.js';
import { type AcceptedProps, refuseUnknownProps, validateBlock } from './validate.js';

/** The source functions a cluster's state machine invokes (SourceFunctions has them). */
export interface SourceClusterFunctions {
  readonly take: IFunction;
  readonly check: IFunction;
  readonly share: IFunction;
  readonly deleteOld: IFunction;
}

/** One destination of a cluster's snapshots (an item of Destinations). */
export interface SourceDestinationProps {
  /** Region of the copies; the stack's region with `account` is a share in place (Region). */
  readonly region: string;
  /**
   * Account the snapshots (in the stack's region) or the copies (in `region`) are shared with (Account).
   * @default none: a copy in this account
   */
  readonly account?: string;
  /**
   * Key of `region` for the copies of encrypted snapshots (KmsKeyDestination).
   * @default none
   */
  readonly kmsKeyDestination?: string;
}

/**
 * The source configuration of one cluster: the seed's parameters, in camelCase, validated with the CLI's
 * schema (a bad value throws ConfigError naming the prop).
 */
export interface SourceClusterSettings {
  /** Regular expression searched in cluster identifiers (the seed's ClusterNamePattern), or `ALL_CLUSTERS`. */
  readonly clusterNamePattern: string;
  /**
   * Hours between snapshots: one is taken only when the latest is older (BackupInterval).
   * @default 24
   */
  readonly backupInterval?: number;
  /**
   * When the job runs: EventBridge cron, 6 fields, in scheduleTimezone, without `cron(...)` (BackupSchedule).
   * @default '0 1 * * ? *'
   */
  readonly backupSchedule?: string;
  /**
   * IANA time zone of backupSchedule and of retention's days, weeks, months and years (ScheduleTimezone).
   * @default 'UTC'
   */
  readonly scheduleTimezone?: string;
  /**
   * Clusters whose identifier this regular expression matches are never selected (ExcludeClusterPattern).
   * @default none
   */
  readonly excludeClusterPattern?: string;
  /**
   * Tags a cluster must all carry to be selected, `*` for any value (ClusterTags); AND with clusterNamePattern.
   * @default none
   */
  readonly clusterTags?: Record<string, string>;
  /**
   * Days a snapshot is kept (RetentionDays).
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
   * Whether the tool's snapshots older than retentionDays are deleted (DeleteOldSnapshots).
   * @default true
   */
  readonly deleteOldSnapshots?: boolean;
  /**
   * Whether snapshots are copied to destinationRegion and shared with destinationAccount (ShareSnapshots).
   * @default false
   */
  readonly shareSnapshots?: boolean;
  /**
   * Region of the disaster-recovery copies (DestinationRegion).
   * @default none (required when shareSnapshots is true, unless destinationAccount is set)
   */
  readonly destinationRegion?: string;
  /**
   * Account the snapshots are shared with (DestinationAccount).
   * @default none
   */
  readonly destinationAccount?: string;
  /**
   * Up to 5 destinations, each a region, an account or both (Destinations): the list form of
   * destinationRegion, destinationAccount and kmsKeyDestination, which it replaces (not both).
   * @default none
   */
  readonly destinations?: readonly SourceDestinationProps[];
  /**
   * Hours after which a snapshot a destination still has not received is no longer kept for it
   * (ReleaseStuckDestinationsAfterHours).
   * @default off: a snapshot is kept until every destination has it
   */
  readonly releaseStuckDestinationsAfterHours?: number;
  /**
   * Customer managed key of this region used to re-encrypt aws/rds-key snapshots before sharing (KmsKeySource).
   * @default none
   */
  readonly kmsKeySource?: string;
  /**
   * Key of destinationRegion for encrypted copies (KmsKeyDestination).
   * @default none
   */
  readonly kmsKeyDestination?: string;
  /**
   * Log level of the functions for this cluster's runs (LogLevel).
   * @default 'ERROR'
   */
  readonly logLevel?: LogLevel;
  /**
   * Extra tags on every snapshot the tool takes (Tags).
   * @default none
   */
  readonly tags?: Record<string, string>;
  /**
   * At most this many snapshots deleted per run (MaxDeletesPerPass).
   * @default 20
   */
  readonly maxDeletesPerPass?: number;
  /**
   * Minutes a snapshot or copy may stay in progress before the run fails naming it (MaxWaitMinutes).
   * @default 720
   */
  readonly maxWaitMinutes?: number;
  /**
   * Hours the recovery point may age before the stack's alarm fires (RecoveryPointObjectiveHours); not
   * below the backup interval.
   * @default backupInterval x 2
   */
  readonly recoveryPointObjectiveHours?: number;
}

export interface SourceClusterProps extends SourceClusterSettings, ClusterJobOptions {
  /** The shared source roles (SourceRoles). */
  readonly roles: ToolRoles;
  /** The shared source functions (SourceFunctions). */
  readonly functions: SourceClusterFunctions;
  /**
   * Polling of the state machine (seconds between status checks, bound on polls).
   * @default 60 seconds, 12 hours' worth of polls
   */
  readonly definitionOptions?: DefinitionOptions;
}

/** Maps the construct props to the seed's parameter names. */
export function sourceBlockFields(props: SourceClusterSettings, region: string) {
  return [
    { parameter: 'Region', prop: 'region', value: region },
    { parameter: 'ClusterNamePattern', prop: 'clusterNamePattern', value: props.clusterNamePattern },
    { parameter: 'BackupInterval', prop: 'backupInterval', value: props.backupInterval },
    { parameter: 'BackupSchedule', prop: 'backupSchedule', value: props.backupSchedule },
    { parameter: 'ScheduleTimezone', prop: 'scheduleTimezone', value: props.scheduleTimezone },
    {
      parameter: 'ExcludeClusterPattern',
      prop: 'excludeClusterPattern',
      value: props.excludeClusterPattern,
    },
    { parameter: 'ClusterTags', prop: 'clusterTags', value: props.clusterTags },
    { parameter: 'RetentionDays', prop: 'retentionDays', value: props.retentionDays },
    { parameter: 'KeepLast', prop: 'keepLast', value: props.keepLast },
    { parameter: 'KeepDaily', prop: 'keepDaily', value: props.keepDaily },
    { parameter: 'KeepWeekly', prop: 'keepWeekly', value: props.keepWeekly },
    { parameter: 'KeepMonthly', prop: 'keepMonthly', value: props.keepMonthly },
    { parameter: 'KeepYearly', prop: 'keepYearly', value: props.keepYearly },
    { parameter: 'DeleteOldSnapshots', prop: 'deleteOldSnapshots', value: props.deleteOldSnapshots },
    { parameter: 'ShareSnapshots', prop: 'shareSnapshots', value: props.shareSnapshots },
    { parameter: 'DestinationRegion', prop: 'destinationRegion', value: props.destinationRegion },
    { parameter: 'DestinationAccount', prop: 'destinationAccount', value: props.destinationAccount },
    { parameter: 'KmsKeySource', prop: 'kmsKeySource', value: props.kmsKeySource },
    { parameter: 'KmsKeyDestination', prop: 'kmsKeyDestination', value: props.kmsKeyDestination },
    {
      parameter: 'Destinations',
      prop: 'destinations',
      value: props.destinations?.map((d) => ({
        Region: d.region,
        ...(d.account !== undefined ? { Account: d.account } : {}),
        ...(d.kmsKeyDestination !== undefined ? { KmsKeyDestination: d.kmsKeyDestination } : {}),
      })),
    },
    {
      parameter: 'ReleaseStuckDestinationsAfterHours',
      prop: 'releaseStuckDestinationsAfterHours',
      value: props.releaseStuckDestinationsAfterHours,
    },
    { parameter: 'LogLevel', prop: 'logLevel', value: props.logLevel },
    { parameter: 'Tags', prop: 'tags', value: props.tags },
    { parameter: 'MaxDeletesPerPass', prop: 'maxDeletesPerPass', value: props.maxDeletesPerPass },
    { parameter: 'MaxWaitMinutes', prop: 'maxWaitMinutes', value: props.maxWaitMinutes },
    {
      parameter: 'RecoveryPointObjectiveHours',
      prop: 'recoveryPointObjectiveHours',
      value: props.recoveryPointObjectiveHours,
    },
  ] as const;
}

/** Every prop of SourceCluster (a plain-JavaScript app may pass others: they are refused). */
export const SOURCE_CLUSTER_PROPS: AcceptedProps<SourceClusterProps> = {
  clusterNamePattern: true,
  backupInterval: true,
  backupSchedule: true,
  scheduleTimezone: true,
  excludeClusterPattern: true,
  clusterTags: true,
  retentionDays: true,
  keepLast: true,
  keepDaily: true,
  keepWeekly: true,
  keepMonthly: true,
  keepYearly: true,
  deleteOldSnapshots: true,
  shareSnapshots: true,
  destinationRegion: true,
  destinationAccount: true,
  kmsKeySource: true,
  kmsKeyDestination: true,
  destinations: true,
  releaseStuckDestinationsAfterHours: true,
  logLevel: true,
  tags: true,
  maxDeletesPerPass: true,
  maxWaitMinutes: true,
  recoveryPointObjectiveHours: true,
  roles: true,
  functions: true,
  definitionOptions: true,
  alarmTopic: true,
  logRetention: true,
};

/**
 * Roles confined to some regions (SourceRoles' destinationRegions) would refuse this cluster's copies to any
 * other: said at synthesis, naming the destination, rather than as AccessDenied at the first copy.
 */
function refuseRegionsTheRolesCannotWriteIn(roles: ToolRoles, block: Record<string, unknown>): void {
  if (!(roles instanceof SourceRoles) || roles.regions === undefined || Token.isUnresolved(roles.regions))
    return;
  if (Object.values(block).some((value) => JSON.stringify(value ?? null).includes('${Token['))) return;
  const allowed = roles.regions.filter((region) => !Token.isUnresolved(region));
  const issues = destinationsOf(block as unknown as SourceConfig)
    .filter((d) => d.kind !== 'share' && !allowed.includes(d.region))
    .map((d) => ({
      parameter: d.parameter.startsWith('Source.Destinations[')
        ? `${d.parameter.replace('Source.Destinations', 'destinations')}.region`
        : 'destinationRegion',
      value: d.region,
      message: `is not a region the given roles may copy to: add it to the destinationRegions of their SourceRoles (${allowed.join(', ') || 'none'})`,
    }));
  if (issues.length > 0) throw new ConfigError(issues);
}

export class SourceCluster extends Construct {
  /** The configuration block the state machine is started with (`{ Source: ... }`). */
  readonly config: { readonly Source: Readonly<Record<string, unknown>> };
  readonly job: ClusterJob;

  constructor(scope: Construct, id: string, props: SourceClusterProps) {
    // Before super: a refused construct leaves nothing in the tree.
    refuseUnknownProps('SourceCluster', props, SOURCE_CLUSTER_PROPS);
    super(scope, id);
    const stack = Stack.of(this);
    const block = validateBlock('Source', SourceSchema, sourceBlockFields(props, stack.region));
    refuseRegionsTheRolesCannotWriteIn(props.roles, block);
    this.config = { Source: block };
    const schedule = String(block.BackupSchedule ?? props.backupSchedule ?? '0 1 * * ? *');
    const fns = props.functions;

    this.job = new ClusterJob(this, 'Job', {
      ...props,
      definition: sourceStateMachineDefinition(
        {
          take: fns.take.functionArn,
          check: fns.check.functionArn,
          share: fns.share.functionArn,
          deleteOld: fns.deleteOld.functionArn,
        },
        props.definitionOptions,
      ),
      side: 'source',
      stateMachineRole: props.roles.stateMachineRole,
      schedule,
      timeZone: String(block.ScheduleTimezone ?? props.scheduleTimezone ?? 'UTC'),
      input: stack.toJsonString(this.config),
      description: `source cluster pattern ${props.clusterNamePattern}`,
      recoveryPoint: {
        side: 'source',
        pattern: props.clusterNamePattern,
        objective: objectiveText(props.recoveryPointObjectiveHours, props.backupInterval, {
          BackupSchedule: schedule,
          ScheduleTimezone: String(block.ScheduleTimezone ?? props.scheduleTimezone ?? 'UTC'),
        }),
      },
    });
  }
}
