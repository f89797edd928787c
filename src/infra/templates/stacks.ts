/**
 * The CloudFormation templates, built from the same constructs as the CDK library: the seed's deployment
 * steps source-roles, source-lambdas, source-cluster (once per cluster), destination-lambdas,
 * destination-cluster (once per cluster or pattern), the restore drill and the restoring role, and `account`,
 * the source side of one account and region in a single stack (for stack sets over an organization). The
 * shared stacks export the ARNs (fixed export names); the per-cluster stacks import them, so CloudFormation
 * refuses to delete shared stacks still in use. `account` exports nothing.
 */
import {
  type App,
  Aws,
  CfnCondition,
  CfnOutput,
  type CfnParameter,
  CfnRule,
  Fn,
  type IStackSynthesizer,
  LegacyStackSynthesizer,
  Stack,
  Token,
} from 'aws-cdk-lib';
import { ArnPrincipal, type CfnPolicy, type CfnRole, type IRole, Role } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  DESTINATION_FUNCTIONS,
  type DestinationFunctionName,
  SOURCE_FUNCTIONS,
  type SourceFunctionName,
} from '../../handlers/names.js';
import {
  destinationStateMachineDefinition,
  restoreDrillStateMachineDefinition,
  sourceStateMachineDefinition,
} from '../../state-machines/index.js';
import { ClusterJob } from '../cluster-job.js';
import { BundleCode, DestinationFunctions, DrillFunctions, SourceFunctions } from '../functions.js';
import { addMonitoringLink, organizationMonitoringStack } from '../organization-monitoring.js';
import { STATE_MACHINE_PREFIX, shapesBucketPolicy, sharedKeyPolicyStatements } from '../policies.js';
import { DrillRoles } from '../restore-drill.js';
import { RestoreRole } from '../restore-role.js';
import { DestinationRoles, SourceRoles, type ToolRoles } from '../roles.js';
import { ShapesBucket } from '../shapes-bucket.js';
import { TRIGGER } from '../snapshot-events.js';
import { StatusReader } from '../status-reader.js';
import { addDestinationSlots } from './destinations.js';
import { type InputField, jsonBlockInput } from './json-input.js';
import {
  addBlockParameter,
  addBlockParameters,
  addDeploymentParameter,
  addParameterSpec,
  codeBucketIn,
  DESTINATION_ACCOUNTS_PARAMETER,
  DESTINATION_REGIONS_PARAMETER,
  isSet,
  RESTORE_ROLE_PARAMETERS,
  SOURCE_ACCOUNTS_PARAMETER,
  STATUS_ACCOUNT_PARAMETER,
} from './parameters.js';

export const TEMPLATE_NAMES = [
  'source-roles',
  'source-lambdas',
  'source-cluster',
  'destination-lambdas',
  'destination-cluster',
  'restore-drill',
  'restore-role',
  'account',
  'status-reader',
  'organization-monitoring',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Export names of the shared stacks (one set of functions per account and region, as the names are fixed). */
export const EXPORTS = {
  role: (side: 'Source' | 'Destination', role: 'LambdaRole' | 'StateMachineRole' | 'EventsRole') =>
    `AuroraSnapshotTool-${side}${role}Arn`,
  function: (name: SourceFunctionName | DestinationFunctionName) => `AuroraSnapshotTool-${name}Arn`,
} as const;

const ROLE_KEYS = [
  ['LambdaRole', 'lambdaRole'],
  ['StateMachineRole', 'stateMachineRole'],
  ['EventsRole', 'eventsRole'],
] as const;

/** Templates for `aws cloudformation deploy`: no CDK bootstrap, no assets, no CDK metadata. */
function templateStack(app: App, name: TemplateName, description: string): Stack {
  return new Stack(app, name, {
    stackName: name,
    description: `Aurora snapshot tool: ${description}`,
    // No bootstrap version parameter, no asset parameters: plain templates.
    synthesizer: new LegacyStackSynthesizer() as unknown as IStackSynthesizer,
    analyticsReporting: false,
  });
}

function exportRoles(stack: Stack, side: 'Source' | 'Destination', roles: ToolRoles): void {
  for (const [exportKey, property] of ROLE_KEYS) {
    new CfnOutput(stack, `${exportKey}Arn`, {
      description: `ARN of the ${side.toLowerCase()} ${exportKey}`,
      value: roles[property].roleArn,
      exportName: EXPORTS.role(side, exportKey),
    });
  }
}

function importRoles(scope: Construct, side: 'Source' | 'Destination'): ToolRoles {
  const imported = (key: 'LambdaRole' | 'StateMachineRole' | 'EventsRole'): IRole =>
    // Immutable: a cluster stack never writes to the shared roles (IAM keeps one inline policy per name
    // per role, so the next cluster stack would replace it, and deleting one stack would remove it for all).
    Role.fromRoleArn(scope, `Imported${key}`, Fn.importValue(EXPORTS.role(side, key)), { mutable: false });
  return {
    lambdaRole: imported('LambdaRole'),
    stateMachineRole: imported('StateMachineRole'),
    eventsRole: imported('EventsRole'),
  };
}

function functionsStack(app: App, side: 'Source' | 'Destination'): Stack {
  const name: TemplateName = side === 'Source' ? 'source-lambdas' : 'destination-lambdas';
  const names = side === 'Source' ? SOURCE_FUNCTIONS : DESTINATION_FUNCTIONS;
  const stack = templateStack(
    app,
    name,
    side === 'Source'
      ? `the source functions ${names.join(', ')} (once per account and region), code from CodeBucket.`
      : `the destination roles and functions ${names.join(', ')} (once per account and region), code from CodeBucket.`,
  );
  const code = addCodeParameters(stack).code;
  const logLevel = addBlockParameter(stack, side === 'Source' ? 'source' : 'destination', 'LogLevel');
  let role: IRole;
  if (side === 'Source') {
    role = Role.fromRoleArn(stack, 'LambdaRole', Fn.importValue(EXPORTS.role('Source', 'LambdaRole')), {
      mutable: false,
    });
  } else {
    // One bucket per account and region, as its name: here, not in the cluster stacks (one per pattern).
    const sourceAccounts = addParameterSpec(stack, 'SourceAccounts', SOURCE_ACCOUNTS_PARAMETER);
    const organization = addBlockParameter(stack, 'destination', 'SourceOrganizationId');
    const hasOrganization = isSet(stack, 'HasSourceOrganizationId', organization);
    // The seed's destination has no roles step: its roles live with its functions.
    const roles = new DestinationRoles(stack, 'Roles', { sourceOrganizationId: organization.valueAsString });
    const organizationPolicy = roles.organizationPolicy?.node.defaultChild as CfnPolicy | undefined;
    if (!organizationPolicy) throw new Error('DestinationRoles made no policy for SourceOrganizationId');
    // Empty SourceOrganizationId: no policy, the roles exactly as before the parameter.
    organizationPolicy.cfnOptions.condition = hasOrganization;
    exportRoles(stack, 'Destination', roles);
    role = roles.lambdaRole;
    const shapes = new ShapesBucket(stack, 'Shapes', {
      sourceAccounts: Token.asList(Fn.split(',', sourceAccounts.valueAsString)),
      reader: roles.lambdaRole,
    });
    // An organization's vault admits its accounts by aws:PrincipalOrgID instead of the list: statement by
    // statement, so the document keeps its TLS statement where readers of the template look for it.
    const byList = shapes.bucketPolicy.policyDocument as { Statement: unknown[] };
    const byOrganization = shapesBucketPolicy(shapes.bucket.bucketArn, {
      organizationId: organization.valueAsString,
      vaultAccount: Aws.ACCOUNT_ID,
    }) as { Statement: unknown[] };
    shapes.bucketPolicy.policyDocument = {
      ...byList,
      Statement: byList.Statement.map((statement, i) =>
        JSON.stringify(statement) === JSON.stringify(byOrganization.Statement[i])
          ? statement
          : Fn.conditionIf(hasOrganization.logicalId, byOrganization.Statement[i], statement),
      ),
    };
    // Neither SourceAccounts nor SourceOrganizationId: no bucket and no permission, the stack as before them.
    const hasSources = new CfnCondition(stack, 'HasShapeWriters', {
      expression: Fn.conditionOr(isSet(stack, 'HasSourceAccounts', sourceAccounts), hasOrganization),
    });
    for (const resource of shapes.cfnResources()) resource.cfnOptions.condition = hasSources;
  }
  const props = { role, code, logLevel: logLevel.valueAsString };
  const functions =
    side === 'Source'
      ? new SourceFunctions(stack, 'Functions', props).byName
      : new DestinationFunctions(stack, 'Functions', props).byName;
  for (const [fnName, fn] of Object.entries(functions)) {
    new CfnOutput(stack, `${fnName}Arn`, {
      description: `ARN of ${fnName}`,
      value: fn.functionArn,
      exportName: EXPORTS.function(fnName as SourceFunctionName),
    });
  }
  return stack;
}

/** The objective in the alarm's description: the parameter when set, else how the default is derived. */
function objectiveOf(has: CfnCondition, parameter: CfnParameter, otherwise: string[]): string {
  return Token.asString(
    Fn.conditionIf(has.logicalId, Fn.join('', [parameter.valueAsString, ' hours']), Fn.join('', otherwise)),
  );
}

function clusterOutputs(stack: Stack, job: ClusterJob): void {
  new CfnOutput(stack, 'StateMachineArn', {
    description: 'The state machine of this cluster',
    value: job.stateMachine.stateMachineArn,
  });
  new CfnOutput(stack, 'AlarmTopicArn', {
    description: 'Subscribe to this topic to be told of failed or timed-out runs',
    value: job.alarmTopic.topicArn,
  });
  new CfnOutput(stack, 'AlarmName', { description: 'The alarm on failed runs', value: job.alarm.alarmName });
  if (job.recoveryPointAlarm) {
    new CfnOutput(stack, 'RecoveryPointAlarmName', {
      description: 'The alarm on the age of the recovery point (RecoveryPointObjectiveHours)',
      value: job.recoveryPointAlarm.alarmName,
    });
  }
}

function sourceClusterStack(app: App): Stack {
  const stack = templateStack(
    app,
    'source-cluster',
    'one cluster (or ClusterNamePattern) on the source side: state machine, schedule, snapshot-event rule, alarm and topic. Deploy once per cluster; needs source-roles and source-lambdas.',
  );
  const p = addBlockParameters(stack, 'source');
  addSourceJob(stack, p, importRoles(stack, 'Source'), (name) => Fn.importValue(EXPORTS.function(name)));
  return stack;
}

type SourceParameters = ReturnType<typeof addBlockParameters<'source'>>;

/**
 * One source job on the source block's parameters `p`: its destinations, the schema's cross-parameter rule,
 * the state machine over the functions `fnArn` names, run by `roles`, its schedule, snapshot-event rule,
 * alarms and outputs.
 */
function addSourceJob(
  stack: Stack,
  p: SourceParameters,
  roles: ToolRoles,
  fnArn: (name: SourceFunctionName) => string,
): ClusterJob {
  const has = {
    RecoveryPointObjectiveHours: isSet(
      stack,
      'HasRecoveryPointObjectiveHours',
      p.RecoveryPointObjectiveHours,
    ),
    DestinationRegion: isSet(stack, 'HasDestinationRegion', p.DestinationRegion),
    DestinationAccount: isSet(stack, 'HasDestinationAccount', p.DestinationAccount),
    KmsKeySource: isSet(stack, 'HasKmsKeySource', p.KmsKeySource),
    KmsKeyDestination: isSet(stack, 'HasKmsKeyDestination', p.KmsKeyDestination),
    ExcludeClusterPattern: isSet(stack, 'HasExcludeClusterPattern', p.ExcludeClusterPattern),
    ClusterTags: isSet(stack, 'HasClusterTags', p.ClusterTags),
    ReleaseStuckDestinationsAfterHours: isSet(
      stack,
      'HasReleaseStuckDestinationsAfterHours',
      p.ReleaseStuckDestinationsAfterHours,
    ),
  };
  const destinations = addDestinationSlots(stack, {
    region: p.DestinationRegion,
    account: p.DestinationAccount,
    key: p.KmsKeyDestination,
    hasRegion: has.DestinationRegion,
    hasAccount: has.DestinationAccount,
    hasKey: has.KmsKeyDestination,
  });
  // The schema's cross-parameter rules, checked by CloudFormation before anything is created.
  new CfnRule(stack, 'ShareNeedsADestination', {
    assertions: [
      {
        assert: Fn.conditionOr(
          Fn.conditionEquals(p.ShareSnapshots.valueAsString, 'FALSE'),
          Fn.conditionNot(Fn.conditionEquals(p.DestinationRegion.valueAsString, '')),
          Fn.conditionNot(Fn.conditionEquals(p.DestinationAccount.valueAsString, '')),
        ),
        assertDescription:
          'DestinationRegion (or DestinationAccount) is required when ShareSnapshots is TRUE',
      },
    ],
  });

  const text = (key: keyof typeof p): InputField => ({ key, value: p[key].valueAsString });
  const fields: InputField[] = [
    { key: 'Region', value: Aws.REGION },
    { ...text('ClusterNamePattern'), regex: true },
    text('BackupInterval'),
    text('BackupSchedule'),
    text('ScheduleTimezone'),
    text('RetentionDays'),
    text('KeepLast'),
    text('KeepDaily'),
    text('KeepWeekly'),
    text('KeepMonthly'),
    text('KeepYearly'),
    text('DeleteOldSnapshots'),
    text('ShareSnapshots'),
    text('LogLevel'),
    text('MaxWaitMinutes'),
    { ...text('ExcludeClusterPattern'), regex: true, condition: has.ExcludeClusterPattern },
    { ...text('ClusterTags'), condition: has.ClusterTags },
    { ...text('KmsKeySource'), condition: has.KmsKeySource },
    destinations,
    { ...text('RecoveryPointObjectiveHours'), condition: has.RecoveryPointObjectiveHours },
    {
      ...text('ReleaseStuckDestinationsAfterHours'),
      condition: has.ReleaseStuckDestinationsAfterHours,
    },
  ];
  const job = new ClusterJob(stack, 'Job', {
    recoveryPoint: {
      side: 'source',
      pattern: p.ClusterNamePattern.valueAsString,
      objective: objectiveOf(has.RecoveryPointObjectiveHours, p.RecoveryPointObjectiveHours, [
        'BackupInterval (',
        p.BackupInterval.valueAsString,
        ' hours) + itself or the longest wait between runs',
      ]),
    },
    definition: sourceStateMachineDefinition({
      take: fnArn('TakeSnapshotsAurora'),
      check: fnArn('CheckSnapshotStatus'),
      share: fnArn('ShareSnapshotsAurora'),
      deleteOld: fnArn('DeleteOldSnapshotsAurora'),
    }),
    side: 'source',
    stateMachineRole: roles.stateMachineRole,
    schedule: p.BackupSchedule.valueAsString,
    timeZone: p.ScheduleTimezone.valueAsString,
    input: jsonBlockInput('Source', fields),
    // The same block, with the Trigger of the event: CloudFormation cannot state a value once for two
    // resources, so the block's expression is written twice (from the same fields).
    snapshotEventInput: jsonBlockInput('Source', fields, { Trigger: TRIGGER }),
    description: 'the clusters matching ClusterNamePattern',
  });
  // SnapshotEvents=FALSE: no rule and no role (the queue's policy still names the rule, which then never exists).
  const events = new CfnCondition(stack, 'SnapshotEventsOn', {
    expression: Fn.conditionEquals(p.SnapshotEvents.valueAsString, 'TRUE'),
  });
  const rule = job.snapshotEvents;
  if (!rule) throw new Error('the source job made no snapshot-event rule');
  rule.rule.cfnOptions.condition = events;
  (rule.role.node.defaultChild as CfnRole).cfnOptions.condition = events;
  clusterOutputs(stack, job);
  return job;
}

function destinationClusterStack(app: App): Stack {
  const stack = templateStack(
    app,
    'destination-cluster',
    'one SnapshotPattern on the destination side: state machine, schedule, alarm and topic. Deploy once per cluster or pattern; needs destination-lambdas.',
  );
  const p = addBlockParameters(stack, 'destination');
  const has = {
    RecoveryPointObjectiveHours: isSet(
      stack,
      'HasRecoveryPointObjectiveHours',
      p.RecoveryPointObjectiveHours,
    ),
    KmsKeyDestination: isSet(stack, 'HasKmsKeyDestination', p.KmsKeyDestination),
    SourceRegion: isSet(stack, 'HasSourceRegion', p.SourceRegion),
    SourceAccount: isSet(stack, 'HasSourceAccount', p.SourceAccount),
    SourceOrganizationId: isSet(stack, 'HasSourceOrganizationId', p.SourceOrganizationId),
    SharedSnapshotsKmsKey: isSet(stack, 'HasSharedSnapshotsKmsKey', p.SharedSnapshotsKmsKey),
  };
  // No rule asks for KmsKeyDestination or SharedSnapshotsKmsKey with SourceAccount: an unencrypted cluster's
  // snapshots are shared and copied without a key, and only a shared snapshot says whether it is encrypted.
  // The copy job stops with EncryptionKeyRequired, naming KmsKeyDestination, at the first encrypted one.
  const roles = importRoles(stack, 'Destination');
  const text = (key: keyof typeof p): InputField => ({ key, value: p[key].valueAsString });
  const input = jsonBlockInput('Destination', [
    { key: 'Region', value: Aws.REGION },
    { ...text('SnapshotPattern'), regex: true },
    text('RetentionDays'),
    text('KeepLast'),
    text('KeepDaily'),
    text('KeepWeekly'),
    text('KeepMonthly'),
    text('KeepYearly'),
    text('DeleteOldSnapshots'),
    text('Schedule'),
    text('ScheduleTimezone'),
    text('LogLevel'),
    { ...text('KmsKeyDestination'), condition: has.KmsKeyDestination },
    { ...text('SourceRegion'), condition: has.SourceRegion },
    { ...text('SourceAccount'), condition: has.SourceAccount },
    { ...text('SourceOrganizationId'), condition: has.SourceOrganizationId },
    { ...text('RecoveryPointObjectiveHours'), condition: has.RecoveryPointObjectiveHours },
  ]);
  const job = new ClusterJob(stack, 'Job', {
    recoveryPoint: {
      side: 'destination',
      pattern: p.SnapshotPattern.valueAsString,
      objective: objectiveOf(has.RecoveryPointObjectiveHours, p.RecoveryPointObjectiveHours, ['48 hours']),
    },
    definition: destinationStateMachineDefinition({
      copy: Fn.importValue(EXPORTS.function('CopySnapshotsDestAurora')),
      check: undefined,
      deleteOld: Fn.importValue(EXPORTS.function('DeleteOldSnapshotsDestAurora')),
    }),
    side: 'destination',
    stateMachineRole: roles.stateMachineRole,
    schedule: p.Schedule.valueAsString,
    timeZone: p.ScheduleTimezone.valueAsString,
    input,
    description: 'the copies matching SnapshotPattern',
  });
  clusterOutputs(stack, job);
  new CfnOutput(stack, 'SharedKeyPolicyStatements', {
    description:
      'Add these statements to the key policy of SharedSnapshotsKmsKey, in SourceAccount: they let this account use it through RDS to copy what SourceAccount shares',
    value: stack.toJsonString(sharedKeyPolicyStatements(Aws.ACCOUNT_ID).map((s) => s.toStatementJson())),
    condition: has.SharedSnapshotsKmsKey,
  });
  return stack;
}

/**
 * The three source roles on their parameters, DestinationRegions and DestinationAccounts: they serve every
 * source job of the account and region, so their destination regions and accounts are parameters of their own.
 */
function addSourceRoles(stack: Stack): SourceRoles {
  const destinationRegions = addParameterSpec(stack, 'DestinationRegions', DESTINATION_REGIONS_PARAMETER);
  const destinationAccounts = addParameterSpec(stack, 'DestinationAccounts', DESTINATION_ACCOUNTS_PARAMETER);
  const roles = new SourceRoles(stack, 'Roles', {
    destinationRegions: Token.asList(Fn.split(',', destinationRegions.valueAsString)),
    destinationAccounts: Token.asList(Fn.split(',', destinationAccounts.valueAsString)),
  });
  const shapesPolicy = roles.shapesPolicy?.node.defaultChild as CfnPolicy | undefined;
  if (!shapesPolicy) throw new Error('SourceRoles made no shapes policy for DestinationAccounts');
  // Empty DestinationAccounts: no policy, the roles exactly as before the parameter.
  shapesPolicy.cfnOptions.condition = isSet(stack, 'HasDestinationAccounts', destinationAccounts);
  const regionsPolicy = roles.regionsPolicy?.node.defaultChild as CfnPolicy | undefined;
  if (!regionsPolicy) throw new Error('SourceRoles made no regions policy for DestinationRegions');
  // Empty DestinationRegions: no policy at all, the roles exactly as before the parameter.
  regionsPolicy.cfnOptions.condition = isSet(stack, 'HasDestinationRegions', destinationRegions);
  return roles;
}

/** CodeBucket and CodePrefix, and the bundles they name in the stack's region (`{region}` in CodeBucket). */
function addCodeParameters(stack: Stack) {
  const parameters = {
    CodeBucket: addDeploymentParameter(stack, 'CodeBucket'),
    CodePrefix: addDeploymentParameter(stack, 'CodePrefix'),
  };
  const bucket = Bucket.fromBucketName(stack, 'CodeBucketRef', codeBucketIn(stack, parameters.CodeBucket));
  return { parameters, code: BundleCode.fromBucket(bucket, parameters.CodePrefix.valueAsString) };
}

/**
 * The status reader role on the StatusAccount parameter, reading the runs of `stateMachines`; with
 * StatusAccount empty, no role and no output: the stack as before the parameter.
 */
function addStatusReader(stack: Stack, stateMachines: readonly (StateMachine | string)[]): void {
  const statusAccount = addParameterSpec(stack, 'StatusAccount', STATUS_ACCOUNT_PARAMETER);
  const hasStatusAccount = isSet(stack, 'HasStatusAccount', statusAccount);
  const { role } = new StatusReader(stack, 'StatusReader', {
    statusAccount: statusAccount.valueAsString,
    stateMachines,
  });
  (role.node.defaultChild as CfnRole).cfnOptions.condition = hasStatusAccount;
  new CfnOutput(stack, 'StatusReaderRoleArn', {
    description: 'The role StatusAccount assumes for aurora-snapshot-tool status --organization',
    value: role.roleArn,
    condition: hasStatusAccount,
  });
}

/**
 * One stack per member account and region: the source roles, the source functions and one source job
 * (normally tag-selected, ClusterTags), with the parameters of source-roles, source-lambdas and
 * source-cluster, and the status reader. No exports: several stacks of it (stack sets) never collide on
 * an export name. Deployed from S3 (TemplateURL): it is larger than an inline template may be.
 */
function accountStack(app: App): Stack {
  const stack = templateStack(
    app,
    'account',
    'one account and region on the source side in a single stack: the source roles, the functions (code from CodeBucket, {region} for the region), one job over ClusterNamePattern and ClusterTags with its state machine, schedule, snapshot-event rule, alarms and topic, and the status reader role (StatusAccount). For a stack set over an organization; no exports.',
  );
  const { code } = addCodeParameters(stack);
  const p = addBlockParameters(stack, 'source');
  const roles = addSourceRoles(stack);
  const functions = new SourceFunctions(stack, 'Functions', {
    role: roles.lambdaRole,
    code,
    logLevel: p.LogLevel.valueAsString,
  }).byName;
  // The job sees the roles as a cluster stack sees the shared ones: complete, never written to.
  const immutable = (key: 'lambdaRole' | 'stateMachineRole' | 'eventsRole', id: string): IRole =>
    Role.fromRoleArn(stack, id, roles[key].roleArn, { mutable: false });
  const job = addSourceJob(
    stack,
    p,
    {
      lambdaRole: immutable('lambdaRole', 'JobLambdaRole'),
      stateMachineRole: immutable('stateMachineRole', 'JobStateMachineRole'),
      eventsRole: immutable('eventsRole', 'JobEventsRole'),
    },
    (name) => functions[name].functionArn,
  );
  addStatusReader(stack, [job.stateMachine]);
  addMonitoringLink(stack);
  return stack;
}

/**
 * The status reader alone, for an account that holds copies but no account stack (a vault account): a stack
 * of its own, so that no existing stack gains a named role (and CAPABILITY_NAMED_IAM) when it is added.
 */
function statusReaderStack(app: App): Stack {
  const stack = templateStack(
    app,
    'status-reader',
    "the read-only role StatusAccount assumes for aurora-snapshot-tool status --organization, in an account without an account stack (a vault account): reads the clusters, the snapshots and copies, and the runs of the tool's destination state machines. Deploy once per region.",
  );
  addStatusReader(stack, [`${STATE_MACHINE_PREFIX.destination}*`]);
  return stack;
}

/** Adds the template stacks to `app`. */
export function addTemplateStacks(app: App): Record<TemplateName, Stack> {
  const sourceRoles = templateStack(
    app,
    'source-roles',
    'the three source IAM roles (functions, state machines, schedules). Deploy once per account and region, first.',
  );
  exportRoles(sourceRoles, 'Source', addSourceRoles(sourceRoles));
  return {
    'source-roles': sourceRoles,
    'source-lambdas': functionsStack(app, 'Source'),
    'source-cluster': sourceClusterStack(app),
    'destination-lambdas': functionsStack(app, 'Destination'),
    'destination-cluster': destinationClusterStack(app),
    'restore-drill': restoreDrillStack(app),
    'restore-role': restoreRoleStack(app),
    account: accountStack(app),
    'status-reader': statusReaderStack(app),
    'organization-monitoring': organizationMonitoringStack(app),
  };
}

/**
 * The optional restoring role of one recovery region and account: a stack of its own, so that no existing
 * stack changes when it is added, and none has it unless asked.
 */
function restoreRoleStack(app: App): Stack {
  const stack = templateStack(
    app,
    'restore-role',
    'the role a person or pipeline assumes to run aurora-snapshot-tool restore in this region (optional; deletes, shares and modifies nothing). Deploy in the recovery region of the account that holds the copies.',
  );
  const trusted = addParameterSpec(stack, 'TrustedPrincipal', RESTORE_ROLE_PARAMETERS.TrustedPrincipal);
  const requireMfa = addParameterSpec(stack, 'RequireMfa', RESTORE_ROLE_PARAMETERS.RequireMfa);
  const mfa = new CfnCondition(stack, 'MfaRequired', {
    expression: Fn.conditionEquals(requireMfa.valueAsString, 'TRUE'),
  });
  const { role } = new RestoreRole(stack, 'Restore', {
    assumedBy: new ArnPrincipal(trusted.valueAsString),
    requireMfa: mfa,
  });
  new CfnOutput(stack, 'RestoreRoleArn', {
    description: 'The role to assume for aurora-snapshot-tool restore (role_arn of an AWS CLI profile)',
    value: role.roleArn,
  });
  return stack;
}

/** The restore drill of one region: its own roles, its four functions (code from CodeBucket), its job. */
function restoreDrillStack(app: App): Stack {
  const stack = templateStack(
    app,
    'restore-drill',
    'the restore drill of one region: its own roles, its functions StartRestoreDrill, CheckRestoreDrill, RecordRestoreDrill and CleanupRestoreDrill (code from CodeBucket), its state machine on its schedule, alarm and topic. Deploy in the region of the copies.',
  );
  const { code, parameters } = addCodeParameters(stack);
  const p = { ...parameters, ...addBlockParameters(stack, 'drill') };
  const has = {
    DBSubnetGroupName: isSet(stack, 'HasDBSubnetGroupName', p.DBSubnetGroupName),
    VpcSecurityGroupIds: isSet(stack, 'HasVpcSecurityGroupIds', p.VpcSecurityGroupIds),
  };
  const roles = new DrillRoles(stack, 'Roles');
  const functions = new DrillFunctions(stack, 'Functions', {
    role: roles.lambdaRole,
    code,
    logLevel: p.LogLevel.valueAsString,
  }).byName;
  const text = (key: keyof typeof p): InputField => ({ key, value: p[key].valueAsString });
  const input = jsonBlockInput('RestoreDrill', [
    { key: 'Region', value: Aws.REGION },
    { ...text('SnapshotPattern'), regex: true },
    text('Schedule'),
    text('ScheduleTimezone'),
    text('InstanceClass'),
    text('MaxRestoreMinutes'),
    text('LogLevel'),
    { ...text('DBSubnetGroupName'), condition: has.DBSubnetGroupName },
    { ...text('VpcSecurityGroupIds'), condition: has.VpcSecurityGroupIds },
  ]);
  const job = new ClusterJob(stack, 'Job', {
    side: 'drill',
    definition: restoreDrillStateMachineDefinition({
      start: functions.StartRestoreDrill.functionArn,
      check: functions.CheckRestoreDrill.functionArn,
      record: functions.RecordRestoreDrill.functionArn,
      cleanup: functions.CleanupRestoreDrill.functionArn,
    }),
    stateMachineRole: roles.stateMachineRole,
    schedule: p.Schedule.valueAsString,
    timeZone: p.ScheduleTimezone.valueAsString,
    input,
    description: 'the restore drill of the copies matching SnapshotPattern',
  });
  clusterOutputs(stack, job);
  return stack;
}
