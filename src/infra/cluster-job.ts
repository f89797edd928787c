/**
 * What every cluster's job has, source or destination: the state machine (from the runtime's definition
 * builder), its execution log, the EventBridge Scheduler schedule (in ScheduleTimezone) that starts it with
 * the configuration block as input through a role of its own that may start only this state machine, and
 * the alarm on failed or timed-out executions that notifies an encrypted SNS topic. A source job also has
 * the rule that starts it when one of its snapshots is created (snapshot-events.ts).
 */
import { createHash } from 'node:crypto';
import { Aws, Duration, Fn, Lazy, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import {
  DefinitionBody,
  StateMachine,
  StateMachineType,
  LogLevel as StatesLogLevel,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { recoveryPointObjectiveHours } from '../config/schema.js';
import {
  METRICS_SERVICE,
  publishedDimensions,
  RECOVERY_POINT_ALARM,
  recoveryPointDimensions,
  type StackSide,
} from '../core/policy/recovery-point.js';
import { innerOf } from '../core/policy/schedule.js';
import type { StateMachineDefinition } from '../state-machines/index.js';
import { encryptedAlarmTopic } from './alarm-topic.js';
import { acknowledge } from './nag.js';
import { type Side, STATE_MACHINE_PREFIX } from './policies.js';
import { SnapshotEventRule } from './snapshot-events.js';
import { startOnlyThisStateMachineRole } from './start-role.js';

/** Options every cluster construct shares. */
export interface ClusterJobOptions {
  /**
   * Topic the alarm on failed and timed-out executions notifies.
   * @default a new topic encrypted with a new customer managed KMS key (CloudWatch cannot publish to a
   * topic under the AWS-managed aws/sns key)
   */
  readonly alarmTopic?: ITopic;
  /**
   * How long the state machine's execution logs are kept.
   * @default one year
   */
  readonly logRetention?: RetentionDays;
}

export interface ClusterJobProps extends ClusterJobOptions {
  readonly definition: StateMachineDefinition;
  /** Which side's name prefix the state machine takes (the shared events role may start only those). */
  readonly side: Side;
  /** Role of the state machine (used as is: the shared role already allows what it needs). */
  readonly stateMachineRole: IRole;
  /** EventBridge cron expression, 6 fields, without `cron(...)`. */
  readonly schedule: string;
  /** IANA time zone of the schedule (ScheduleTimezone). */
  readonly timeZone: string;
  /** The execution input: a JSON text (the configuration block), which may contain tokens. */
  readonly input: string;
  /** Says which cluster or pattern this job is for, in descriptions. */
  readonly description: string;
  /**
   * The recovery-point alarm: the side, and the pattern its description names (the metric is keyed by metricsStack).
   * @default no recovery-point alarm (the restore drill's job)
   */
  readonly recoveryPoint?: RecoveryPointAlarmProps;
  /**
   * The execution input for the RDS events that start the job at once (a source job's snapshots created): the
   * configuration block with `Trigger` (snapshot-events.ts), a JSON text that may contain tokens.
   * @default no rule: only the schedule starts the job
   */
  readonly snapshotEventInput?: string;
}

export interface RecoveryPointAlarmProps {
  readonly side: StackSide;
  /** The stack's ClusterNamePattern or SnapshotPattern (a parameter reference in the templates). */
  readonly pattern: string;
  /** The objective as the description states it (a number of hours, or how it is derived). */
  readonly objective: string;
}

/**
 * The `Stack` dimension of a job's points (ClusterJob.metricsStack): the stack's name, unique in its account
 * and region; followed by the job's path when the stack holds several jobs with a recovery-point alarm (a CDK
 * app may), so that each alarm still watches only its own job's runs.
 */
function metricsStackOf(job: Construct): string {
  const stack = Stack.of(job);
  return Lazy.string({
    produce: () => {
      const alarmed = stack.node
        .findAll()
        .filter((c) => c instanceof ClusterJob && c.recoveryPointAlarm !== undefined);
      if (alarmed.length <= 1) return Aws.STACK_NAME;
      return `${Aws.STACK_NAME}/${job.node.path.slice(stack.node.path.length + 1)}`;
    },
  });
}

/**
 * The definition with `stack` added to the payload of every Lambda task, so the functions key the metrics
 * the stack's alarms watch by it. In the definition rather than the execution input: a run started by hand
 * with any input still feeds its stack's alarm, and functions of an earlier version ignore the field.
 */
export function withStackInPayloads<T>(definition: T, stack: string): T {
  const map = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(map);
    if (!value || typeof value !== 'object') return value;
    const node = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
    const parameters = node.Parameters as Record<string, unknown> | undefined;
    const payload = parameters?.Payload;
    if (node.Type !== 'Task' || !payload || typeof payload !== 'object' || Array.isArray(payload))
      return node;
    return { ...node, Parameters: { ...parameters, Payload: { ...payload, stack } } };
  };
  return map(definition) as T;
}

/** The objective as an alarm description states it, from the props (numbers, or tokens of an app). */
export function objectiveText(
  objective: number | undefined,
  backupInterval: number | undefined,
  schedule: { readonly BackupSchedule?: string; readonly ScheduleTimezone?: string } = {},
): string {
  if (objective !== undefined) return Token.isUnresolved(objective) ? 'as configured' : `${objective} hours`;
  if (backupInterval !== undefined && !Token.isUnresolved(backupInterval)) {
    const hours = recoveryPointObjectiveHours({ BackupInterval: backupInterval, ...schedule });
    return `${hours} hours, ${hours > backupInterval * 2 ? 'BackupInterval + the longest wait between runs' : '2 x BackupInterval'}`;
  }
  return 'BackupInterval x 2 unless set';
}

/**
 * The alarm on a stack's recovery point, from the one definition the functions publish with: the age
 * (Maximum over a day) is shown when it exceeds the objective the run reported, else 0; no data at all
 * (no run for a day, or a cluster with no recovery point) is breaching; two such days running alarm.
 */
export function recoveryPointAlarm(
  scope: Construct,
  id: string,
  props: RecoveryPointAlarmProps & { readonly stack: string },
): Alarm {
  const def = RECOVERY_POINT_ALARM;
  // Exactly the set CloudWatch receives from the functions, `service` included: any other set is another metric.
  const dimensionsMap = publishedDimensions(recoveryPointDimensions(props.side, props.pattern, props.stack));
  const period = Duration.seconds(def.periodSeconds);
  const metric = (metricName: string) =>
    new Metric({ namespace: def.namespace, metricName, dimensionsMap, statistic: def.statistic, period });
  return new Alarm(scope, id, {
    alarmDescription:
      `Aurora snapshot tool: the recovery point of the clusters matching ${def.dimension[props.side]} ${props.pattern} ` +
      `in ${Aws.REGION} has been older than RecoveryPointObjectiveHours (${props.objective}), or unreported, ` +
      `two days running. The reason shows its age in hours (${def.ageMetric}: service=${METRICS_SERVICE}, ` +
      `${def.stackDimension}=${props.stack}; per ClusterId too).` +
      (props.side === 'source'
        ? ` With several destinations, the oldest over all (${SOURCE_DESTINATION_METRICS.age} per ClusterId, ${SOURCE_DESTINATION_METRICS.dimension}).`
        : ''),
    metric: new MathExpression({
      expression: def.expression,
      usingMetrics: { age: metric(def.ageMetric), objective: metric(def.objectiveMetric) },
      period,
      label: `${def.ageMetric} above ${def.objectiveMetric}`,
    }),
    threshold: def.threshold,
    comparisonOperator: def.comparisonOperator as ComparisonOperator,
    evaluationPeriods: def.evaluationPeriods,
    datapointsToAlarm: def.datapointsToAlarm,
    treatMissingData: def.treatMissingData as TreatMissingData,
  });
}

/**
 * The definition with its service-integration ARNs (`arn:aws:states:::lambda:invoke`) in the stack's
 * partition, so the same template works in the China and GovCloud regions.
 */
export function inPartition<T>(definition: T): T {
  const map = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.replace(/^arn:aws:states:::/, `arn:${Aws.PARTITION}:states:::`);
    if (Array.isArray(value)) return value.map(map);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
    }
    return value;
  };
  return map(definition) as T;
}

/**
 * `<side prefix><stack id>-<hash of the construct path>`: the documented prefix the shared events role
 * may start, the stack's id so two stacks of one template differ, the path so two jobs of one stack differ.
 * At most 31 + 36 + 9 = 76 characters (Step Functions allows 80).
 */
export function stateMachineName(scope: Construct, side: Side): string {
  return `${STATE_MACHINE_PREFIX[side]}${jobSuffix(scope)}`;
}

/** `<stack id>-<hash of the construct path>`: unique to one job of one stack, 45 characters. */
function jobSuffix(scope: Construct): string {
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  const pathHash = createHash('sha256').update(scope.node.path).digest('hex').slice(0, 8);
  return `${stackUuid}-${pathHash}`;
}

/**
 * The name of a job's snapshot-event rule: `AuroraSnapshotTool-` and its state machine's suffix, 19 + 45 = 64
 * characters (EventBridge allows 64).
 */
export function snapshotEventRuleName(scope: Construct): string {
  return `AuroraSnapshotTool-${jobSuffix(scope)}`;
}

/**
 * The per-destination metrics of the source functions (src/handlers/metrics.ts) the alarm descriptions
 * point to: test/infra/recovery-point-alarm.test.ts checks they are the ones published.
 */
export const SOURCE_DESTINATION_METRICS = {
  dimension: 'Destination',
  age: 'DestinationRecoveryPointAgeHours',
  failed: 'DestinationFailedActions',
} as const;

/** Period of the alarm: short enough to page within minutes of a failed run. */
const ALARM_PERIOD = Duration.minutes(5);

export class ClusterJob extends Construct {
  readonly stateMachine: StateMachine;
  readonly schedule: CfnSchedule;
  /** The role EventBridge Scheduler assumes: it may start this state machine and nothing else. */
  readonly schedulerRole: Role;
  readonly alarm: Alarm;
  /** Where the schedule's target (and the snapshot-event rule's) puts an execution it could not start. */
  readonly deadLetterQueue: Queue;
  /** The alarm on a schedule that could not start its state machine (failed invocations, dead letters). */
  readonly scheduleAlarm: Alarm;
  /** The rule that starts the job when one of its snapshots is created (source jobs with snapshotEventInput). */
  readonly snapshotEvents: SnapshotEventRule | undefined;
  /** The alarm on the age of the recovery point of the job's clusters (cluster jobs only). */
  readonly recoveryPointAlarm: Alarm | undefined;
  readonly alarmTopic: ITopic;
  readonly logGroup: LogGroup;
  /** The value of the `Stack` dimension the functions publish this job's recovery-point points under. */
  readonly metricsStack: string;

  constructor(scope: Construct, id: string, props: ClusterJobProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.metricsStack = metricsStackOf(this);

    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      // The vendedlogs prefix keeps CloudWatch Logs' resource policy small when many state machines log.
      // The stack name keeps two stacks of one template apart; the path, two jobs of one stack.
      logGroupName: `/aws/vendedlogs/states/aurora-snapshot-tool/${Aws.STACK_NAME}-${Names.uniqueResourceName(this, { maxLength: 120 })}`,
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: props.description,
      definitionBody: DefinitionBody.fromString(
        stack.toJsonString(withStackInPayloads(inPartition(props.definition), this.metricsStack)),
      ),
      stateMachineName: stateMachineName(this, props.side),
      stateMachineType: StateMachineType.STANDARD,
      // The shared role already allows invoking the tool's functions and delivering logs and traces.
      role: Role.fromRoleArn(this, 'StateMachineRoleRef', props.stateMachineRole.roleArn, { mutable: false }),
      logs: { destination: this.logGroup, level: StatesLogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    // A start that fails (a role that may not start the machine, a deleted machine) produces no execution,
    // so no failed-execution alarm: after its retries the schedule (or the snapshot-event rule) puts the
    // event in this queue, with the error in its attributes, and the schedule alarm below fires.
    this.deadLetterQueue = new Queue(this, 'ScheduleDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      [],
      "This queue is the dead-letter queue of the schedule's target (and the snapshot-event rule's): it has none of its own.",
    );
    // A role of this stack, not a policy on a shared role: deleting one cluster's stack cannot take away
    // another's permission, and the role can start only this state machine.
    this.schedulerRole = startOnlyThisStateMachineRole(this, 'SchedulerRole', {
      service: 'scheduler.amazonaws.com',
      description: `Aurora snapshot tool: EventBridge Scheduler starts the state machine of ${props.description}`,
      stateMachineArn: this.stateMachine.stateMachineArn,
      alsoAllow: [
        // Scheduler writes a failed start to the dead-letter queue as the schedule's role.
        new PolicyStatement({
          sid: 'SendFailedStartsToOwnDeadLetterQueue',
          actions: ['sqs:SendMessage'],
          resources: [this.deadLetterQueue.queueArn],
        }),
      ],
    });

    // EventBridge Scheduler rather than a rule: it takes a time zone (ScheduleExpressionTimezone), skips a
    // local time the spring-forward change removes and runs a repeated one once.
    this.schedule = new CfnSchedule(this, 'Scheduler', {
      description: `Aurora snapshot tool: runs ${props.description} on its schedule`,
      // The schema refuses a schedule given as `cron(...)`; a ClusterJob built without it still wraps once.
      scheduleExpression: `cron(${Token.isUnresolved(props.schedule) ? props.schedule : innerOf(props.schedule)})`,
      scheduleExpressionTimezone: props.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.stateMachine.stateMachineArn,
        roleArn: this.schedulerRole.roleArn,
        input: props.input,
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 86_400 },
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      },
    });
    // The role's policy is inline, so the schedule (which names the role) exists only once it may start.

    this.snapshotEvents =
      props.snapshotEventInput === undefined
        ? undefined
        : new SnapshotEventRule(this, 'SnapshotEvents', {
            ruleName: snapshotEventRuleName(this),
            stateMachine: this.stateMachine,
            inputTemplate: props.snapshotEventInput,
            deadLetterQueue: this.deadLetterQueue,
            description: props.description,
          });

    this.alarmTopic = props.alarmTopic ?? this.createTopic(props.description);
    const failed: Metric = this.stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' });
    const timedOut: Metric = this.stateMachine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' });
    this.alarm = new Alarm(this, 'FailedExecutions', {
      alarmDescription:
        `Aurora snapshot tool: an execution for ${props.description} failed or timed out; its output names the error and the cluster.` +
        (props.side === 'source'
          ? ` With several destinations the others go on, and the error starts with the destinations that failed (${SOURCE_DESTINATION_METRICS.failed} per ${SOURCE_DESTINATION_METRICS.dimension}).`
          : ''),
      metric: new MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
        usingMetrics: { failed, timedOut },
        period: ALARM_PERIOD,
        label: 'Failed and timed-out executions',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    // Scheduler's own metrics have only the schedule group as dimension (every schedule of the account's
    // default group): the stack's own dead-letter queue is what tells this schedule's failed starts.
    const deadLetters = this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: ALARM_PERIOD,
      statistic: 'Maximum',
    });
    this.scheduleAlarm = new Alarm(this, 'ScheduleCannotStart', {
      alarmDescription: `Aurora snapshot tool: the schedule${this.snapshotEvents ? ' or the snapshot-event rule' : ''} of ${props.description} could not start its state machine (no execution ran); the event is in the dead-letter queue ${this.deadLetterQueue.queueName}, with the error in its attributes.`,
      metric: deadLetters,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.scheduleAlarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.recoveryPointAlarm =
      props.recoveryPoint === undefined
        ? undefined
        : recoveryPointAlarm(this, 'RecoveryPointAge', { ...props.recoveryPoint, stack: this.metricsStack });
    this.recoveryPointAlarm?.addAlarmAction(new SnsAction(this.alarmTopic));
    const alarmArns = [this.alarm, this.scheduleAlarm, this.recoveryPointAlarm].flatMap((a) =>
      a ? [a.alarmArn] : [],
    );
    if (!props.alarmTopic) {
      // The topic's own policy replaces SNS's default one, so CloudWatch is let in explicitly: these alarms only.
      this.alarmTopic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'ThisAlarmPublishes',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [this.alarmTopic.topicArn],
          conditions: {
            ArnEquals: { 'aws:SourceArn': alarmArns },
            StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          },
        }),
      );
    }
  }

  private createTopic(description: string): Topic {
    return encryptedAlarmTopic(this, {
      keyDescription: `Aurora snapshot tool: encrypts the alarm topic of ${description}`,
      displayName: 'Aurora snapshot tool alarms',
    });
  }
}
