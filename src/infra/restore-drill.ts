/**
 * The restore drill of one region: its own roles (the functions', the state machine's, and the schedule's
 * that its job creates; never the shared roles of the cluster stacks), the four drill functions, and the RestoreDrill state
 * machine on its own schedule with its alarm and topic.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import { type IRole, PolicyDocument, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RestoreDrillSchema } from '../config/schema.js';
import { DRILL_NAME_GLOBS } from '../core/drill/index.js';
import { DRILL_FUNCTIONS } from '../handlers/names.js';
import { type DefinitionOptions, restoreDrillStateMachineDefinition } from '../state-machines/index.js';
import { ClusterJob, type ClusterJobOptions } from './cluster-job.js';
import { drillRdsStatements } from './drill-policies.js';
import { type BundleCode, DrillFunctions } from './functions.js';
import { acknowledge } from './nag.js';
import {
  functionLogsStatement,
  invokeFunctionsStatement,
  keysThroughRdsStatements,
  stateMachineDeliveryStatements,
} from './policies.js';
import type { RestoreDrillSettings } from './settings.generated.js';
import { type AcceptedProps, refuseUnknownProps, validateBlock } from './validate.js';

export type { RestoreDrillSettings } from './settings.generated.js';

export interface RestoreDrillProps extends RestoreDrillSettings, ClusterJobOptions {
  /** Where the function bundles are. */
  readonly code: BundleCode;
  /**
   * Polling of the state machine.
   * @default 60 seconds between polls
   */
  readonly definitionOptions?: DefinitionOptions;
}

export const RESTORE_DRILL_PROPS: AcceptedProps<RestoreDrillProps> = {
  snapshotPattern: true,
  schedule: true,
  scheduleTimezone: true,
  dbSubnetGroupName: true,
  vpcSecurityGroupIds: true,
  instanceClass: true,
  maxRestoreMinutes: true,
  logLevel: true,
  code: true,
  definitionOptions: true,
  alarmTopic: true,
  logRetention: true,
};

export function restoreDrillBlockFields(props: RestoreDrillSettings, region: string) {
  return [
    { parameter: 'Region', prop: 'region', value: region },
    { parameter: 'SnapshotPattern', prop: 'snapshotPattern', value: props.snapshotPattern },
    { parameter: 'Schedule', prop: 'schedule', value: props.schedule },
    { parameter: 'ScheduleTimezone', prop: 'scheduleTimezone', value: props.scheduleTimezone },
    { parameter: 'DBSubnetGroupName', prop: 'dbSubnetGroupName', value: props.dbSubnetGroupName },
    {
      parameter: 'VpcSecurityGroupIds',
      prop: 'vpcSecurityGroupIds',
      value: props.vpcSecurityGroupIds === undefined ? undefined : [...props.vpcSecurityGroupIds],
    },
    { parameter: 'InstanceClass', prop: 'instanceClass', value: props.instanceClass },
    { parameter: 'MaxRestoreMinutes', prop: 'maxRestoreMinutes', value: props.maxRestoreMinutes },
    { parameter: 'LogLevel', prop: 'logLevel', value: props.logLevel },
  ] as const;
}

/**
 * The drill's roles, owned by its stack (its job adds its own Scheduler role): nothing is added to the
 * cluster stacks' shared roles.
 */
export class DrillRoles extends Construct {
  readonly lambdaRole: Role;
  readonly stateMachineRole: Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const sameAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    // The copies' keys: this region's keys of the account, used only through RDS (the restore decrypts).
    const keys = `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`;
    this.lambdaRole = new Role(this, 'LambdaRole', {
      description:
        'Aurora snapshot tool, restore drill functions: restore and delete only clusters and instances tagged SnapshotTool:Purpose=restore-drill.',
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Drill: new PolicyDocument({
          statements: [
            ...drillRdsStatements(),
            ...keysThroughRdsStatements(keys),
            functionLogsStatement(DRILL_FUNCTIONS),
          ],
        }),
      },
    });
    this.stateMachineRole = new Role(this, 'StateMachineRole', {
      description: 'Aurora snapshot tool, restore drill state machine: invokes the drill functions.',
      assumedBy: new ServicePrincipal('states.amazonaws.com', { conditions: sameAccount }),
      inlinePolicies: {
        Run: new PolicyDocument({
          statements: [invokeFunctionsStatement(DRILL_FUNCTIONS), ...stateMachineDeliveryStatements()],
        }),
      },
    });
    const iam5 = 'AwsSolutions-IAM5';
    acknowledge(
      this.lambdaRole,
      iam5,
      ['Resource::*'],
      'RDS DescribeDBClusters, DescribeDBInstances, DescribeDBClusterSnapshots, DescribeAccountAttributes, DescribeOrderableDBInstanceOptions, DescribeDBEngineVersions and the subnet and parameter group listings list, and accept no resource narrower than *.',
    );
    acknowledge(
      this.lambdaRole,
      iam5,
      [
        `cluster:${DRILL_NAME_GLOBS.cluster}`,
        `db:${DRILL_NAME_GLOBS.instance}`,
        ...['cluster-snapshot', 'subgrp', 'cluster-pg'].map((type) => `${type}:*`),
        ...['pg', 'og'].map((type) => `${type}:default*`),
      ].map((resource) => `Resource::arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:${resource}`),
      'Drill clusters and instances are named per run, always <cluster>-snapshot-tool-drill-<stamp> (instance -1): creates require the request tag SnapshotTool:Purpose=restore-drill, deletes the same resource tag, and snapshots are tagged only when the tool made them; a drill cluster gets the cluster parameter group the restore command would give it (any name), its instance and option groups are the engine defaults, named per engine version.',
    );
    acknowledge(
      this.lambdaRole,
      iam5,
      DRILL_FUNCTIONS.map(
        (name) =>
          `Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/${name}:*`,
      ),
      "Each invocation writes a new log stream, named by Lambda, in the function's own log group.",
    );
    acknowledge(
      this.lambdaRole,
      iam5,
      ['Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*'],
      "The copies' keys are used only through RDS (kms:ViaService, kms:CallerAccount) and grants only for AWS resources: the restore of an encrypted copy needs its key, which the key policy still controls; kms:DescribeKey reads a key's metadata only, so the restore is refused before anything is created when the key cannot be used.",
    );
    acknowledge(
      this.stateMachineRole,
      iam5,
      ['Resource::*'],
      'CloudWatch Logs log delivery and X-Ray trace APIs accept no resource narrower than * (AWS documents this for Step Functions logging and tracing).',
    );
  }
}

export class RestoreDrill extends Construct {
  /** The configuration block the state machine is started with (`{ RestoreDrill: ... }`). */
  readonly config: { readonly RestoreDrill: Readonly<Record<string, unknown>> };
  readonly roles: DrillRoles;
  readonly functions: Readonly<Record<(typeof DRILL_FUNCTIONS)[number], IFunction>>;
  readonly job: ClusterJob;

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    refuseUnknownProps('RestoreDrill', props, RESTORE_DRILL_PROPS);
    super(scope, id);
    const stack = Stack.of(this);
    const block = validateBlock(
      'RestoreDrill',
      RestoreDrillSchema,
      restoreDrillBlockFields(props, stack.region),
    );
    this.config = { RestoreDrill: block };
    this.roles = new DrillRoles(this, 'Roles');
    const functions = new DrillFunctions(this, 'Functions', {
      role: this.roles.lambdaRole,
      code: props.code,
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    });
    this.functions = functions.byName;
    const fns = functions.byName;
    this.job = new ClusterJob(this, 'Job', {
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      definition: restoreDrillStateMachineDefinition(
        {
          start: fns.StartRestoreDrill.functionArn,
          check: fns.CheckRestoreDrill.functionArn,
          record: fns.RecordRestoreDrill.functionArn,
          cleanup: fns.CleanupRestoreDrill.functionArn,
        },
        props.definitionOptions,
      ),
      side: 'drill',
      stateMachineRole: this.roles.stateMachineRole as IRole,
      schedule: String(block.Schedule ?? props.schedule ?? '0 3 ? * SUN *'),
      timeZone: String(block.ScheduleTimezone ?? props.scheduleTimezone ?? 'UTC'),
      input: stack.toJsonString(this.config),
      description: `the restore drill of snapshot pattern ${props.snapshotPattern}`,
    });
  }
}
