/**
 * One SnapshotPattern on the destination side: its state machine over the shared destination functions,
 * started on its Schedule with its configuration as input, its alarm and topic. It adds no permission to
 * the shared roles: they already copy what another account shares, use keys through RDS and start the
 * tool's state machines by name prefix.
 */
import { Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DestinationSchema } from '../config/schema.js';
import { type DefinitionOptions, destinationStateMachineDefinition } from '../state-machines/index.js';
import { ClusterJob, type ClusterJobOptions, objectiveText } from './cluster-job.js';
import type { ToolRoles } from './roles.js';
import type { DestinationClusterSettings } from './settings.generated.js';
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

export type { DestinationClusterSettings } from './settings.generated.js';

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
    {
      parameter: 'SourceOrganizationId',
      prop: 'sourceOrganizationId',
      value: props.sourceOrganizationId,
    },
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
  sourceOrganizationId: true,
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
