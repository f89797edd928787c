/**
 * One cluster (or ClusterNamePattern) on the source side: its state machine over the shared functions,
 * started on `cron(BackupSchedule)` with its configuration as input, and as soon as one of its snapshots is
 * created (the snapshot-event rule, unless snapshotEvents is false), its alarm and topic. It adds no
 * permission to the shared roles: they already use any of the account's keys through RDS and start the
 * tool's state machines by name prefix.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { type SourceConfig, SourceSchema } from '../config/schema.js';
import { destinationsOf } from '../core/copies/destinations.js';
import { ConfigError } from '../core/model/errors.js';
import { type DefinitionOptions, sourceStateMachineDefinition } from '../state-machines/index.js';
import { ClusterJob, type ClusterJobOptions, objectiveText } from './cluster-job.js';
import { SourceRoles, type ToolRoles } from './roles.js';
import type { SourceClusterSettings } from './settings.generated.js';
import { MAX_INPUT_TEMPLATE_LENGTH, TRIGGER } from './snapshot-events.js';
import { type AcceptedProps, refuseUnknownProps, validateBlock } from './validate.js';

/** The source functions a cluster's state machine invokes (SourceFunctions has them). */
export interface SourceClusterFunctions {
  readonly take: IFunction;
  readonly check: IFunction;
  readonly share: IFunction;
  readonly deleteOld: IFunction;
}

export type { SourceDestinationProps } from './destination-props.js';
export type { SourceClusterSettings } from './settings.generated.js';

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
    { parameter: 'SnapshotEvents', prop: 'snapshotEvents', value: props.snapshotEvents },
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
  snapshotEvents: true,
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

/**
 * The execution input for a snapshot event, refused at synthesis when EventBridge would refuse it: a rule's
 * input template holds at most 8,192 characters (a text with values known only at deployment is not checked).
 */
function inputTemplateWithin(stack: Stack, template: string): string {
  const text: unknown = stack.resolve(template);
  if (typeof text !== 'string' || text.length <= MAX_INPUT_TEMPLATE_LENGTH) return template;
  throw new ConfigError([
    {
      parameter: 'snapshotEvents',
      value: true,
      message: `needs the configuration block with its Trigger in an EventBridge input template, at most ${MAX_INPUT_TEMPLATE_LENGTH} characters, and it is ${text.length}: shorten the longest values (clusterTags, tags, the patterns) or set snapshotEvents to false`,
    },
  ]);
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

    const snapshotEventInput =
      (block.SnapshotEvents ?? props.snapshotEvents) === false
        ? undefined
        : inputTemplateWithin(stack, stack.toJsonString({ ...this.config, Trigger: TRIGGER }));

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
      ...(snapshotEventInput === undefined ? {} : { snapshotEventInput }),
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
