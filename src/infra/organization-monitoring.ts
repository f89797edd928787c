/**
 * The organization-wide alarm (docs/organization.md): in a monitoring account, a CloudWatch cross-account
 * observability sink that admits the accounts of the organization, and one alarm over the recovery point the
 * tool's functions publish in every linked account and region's stack (a Metrics Insights query grouped by
 * account and stack, so each stack is its own contributor and the notification names it), with its encrypted
 * topic. Member stacks link to the sink with MonitoringLink (metrics only).
 */
import {
  Aws,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  Fn,
  type IStackSynthesizer,
  LegacyStackSynthesizer,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnLink, CfnSink } from 'aws-cdk-lib/aws-oam';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS_SERVICE, RECOVERY_POINT_ALARM } from '../core/policy/recovery-point.js';
import { encryptedAlarmTopic } from './alarm-topic.js';

/** The telemetry a member shares with the monitoring account: metrics only (the alarm needs nothing else). */
export const LINKED_RESOURCE_TYPES = ['AWS::CloudWatch::Metric'] as const;

/**
 * The Metrics Insights query of the alarm: the newest recovery point's age each stack of the tool published, per
 * account and stack. It names the metric and the exact dimension set the functions print as EMF (`service`, which
 * Powertools always adds, and `Stack`).
 */
export function recoveryPointQuery(): string {
  const { namespace, ageMetric, stackDimension } = RECOVERY_POINT_ALARM;
  return (
    `SELECT MAX(${ageMetric}) FROM SCHEMA("${namespace}", service, ${stackDimension}) ` +
    `WHERE service = '${METRICS_SERVICE}' GROUP BY AWS.AccountId, ${stackDimension}`
  );
}

export interface OrganizationMonitoringProps {
  /** The organization whose accounts may link to the sink (`o-...`, a CloudFormation token is accepted). */
  readonly organizationId: string;
  /**
   * Hours past which a stack's recovery point sets the alarm off: the organization's RecoveryPointObjectiveHours
   * (one policy for every member). A number, or a CloudFormation token.
   * @default 48
   */
  readonly recoveryPointObjectiveHours?: number | string;
}

export class OrganizationMonitoring extends Construct {
  readonly sink: CfnSink;
  readonly alarm: CfnAlarm;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: OrganizationMonitoringProps) {
    super(scope, id);
    this.sink = new CfnSink(this, 'Sink', {
      name: 'aurora-snapshot-tool',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountsOfTheOrganizationLinkMetrics',
            Effect: 'Allow',
            Principal: '*',
            Action: ['oam:CreateLink', 'oam:UpdateLink'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
              'ForAllValues:StringEquals': { 'oam:ResourceTypes': [...LINKED_RESOURCE_TYPES] },
            },
          },
        ],
      },
    });
    this.topic = alarmTopic(this);
    const objective = props.recoveryPointObjectiveHours ?? 48;
    this.alarm = new CfnAlarm(this, 'RecoveryPointAlarm', {
      alarmDescription:
        "Aurora snapshot tool: a stack of an account of the organization has a recovery point older than the organization's objective (RecoveryPointObjectiveHours); the contributor names the account and stack.",
      metrics: [
        {
          id: 'age',
          expression: recoveryPointQuery(),
          period: 3600,
          returnData: true,
        },
      ],
      // A token (a template parameter) goes in as the property itself, below: CfnAlarm types it as a number.
      ...(typeof objective === 'number' ? { threshold: objective } : {}),
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // A stack publishes when its job runs (once a backup interval on the source side): the hours between are
      // missing data, not a breach; each member's own recovery-point alarm fires when its runs stop.
      treatMissingData: 'notBreaching',
      alarmActions: [this.topic.topicArn],
      okActions: [this.topic.topicArn],
    });
    if (typeof objective !== 'number') this.alarm.addPropertyOverride('Threshold', objective);
  }
}

/** The encrypted topic of the alarm, as the cluster stacks make theirs, which this account's alarms may publish to. */
function alarmTopic(scope: Construct): Topic {
  const topic = encryptedAlarmTopic(scope, {
    keyDescription: 'Aurora snapshot tool: encrypts the organization-wide alarm topic',
    displayName: 'Aurora snapshot tool: organization alarm',
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccount',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  return topic;
}

export interface MonitoringLinkProps {
  /** The sink of the monitoring account (output `SinkArn` of organization-monitoring). */
  readonly monitoringSinkArn: string;
  /** Makes the link only when it holds (a template whose MonitoringSinkArn parameter is empty makes none). */
  readonly condition?: CfnCondition;
}

/** A member account's link to the monitoring account's sink: the tool's metrics only. */
export class MonitoringLink extends Construct {
  readonly link: CfnLink;

  constructor(scope: Construct, id: string, props: MonitoringLinkProps) {
    super(scope, id);
    this.link = new CfnLink(this, 'Link', {
      labelTemplate: '$AccountName',
      resourceTypes: [...LINKED_RESOURCE_TYPES],
      sinkIdentifier: props.monitoringSinkArn,
      // The tool's namespace only: the member shares nothing else of its metrics.
      linkConfiguration: {
        metricConfiguration: { filter: `Namespace IN ('${RECOVERY_POINT_ALARM.namespace}')` },
      },
    });
    if (props.condition) this.link.cfnOptions.condition = props.condition;
  }
}

/**
 * Adds the MonitoringSinkArn parameter and a link conditional on it to a member template (account.yaml): empty,
 * no link, the stack as before.
 */
export function addMonitoringLink(stack: Stack): MonitoringLink {
  const sink = new CfnParameter(stack, 'MonitoringSinkArn', {
    type: 'String',
    default: '',
    description:
      "The organization's monitoring sink (output SinkArn of the organization-monitoring stack, in this region): this account shares the tool's metrics with it, for the organization-wide recovery-point alarm. Empty: no link.",
    allowedPattern: '^(arn:aws[a-z-]*:oam:[a-z0-9-]+:[0-9]{12}:sink/[A-Za-z0-9-]+)?$',
    constraintDescription: 'must be empty or an OAM sink ARN (arn:aws:oam:<region>:<account>:sink/<id>)',
  });
  const condition = new CfnCondition(stack, 'HasMonitoringSinkArn', {
    expression: Fn.conditionNot(Fn.conditionEquals(sink.valueAsString, '')),
  });
  // The empty default never reaches SinkIdentifier: the link exists only under HasMonitoringSinkArn.
  Validations.of(stack).acknowledge({
    id: 'CloudFormation-Validate::W1030',
    reason: 'MonitoringSinkArn is empty only when the condition HasMonitoringSinkArn leaves the link out',
  });
  return new MonitoringLink(stack, 'MonitoringLink', { monitoringSinkArn: sink.valueAsString, condition });
}

/** The organization-monitoring template: deploy once per region in the monitoring account. */
export function organizationMonitoringStack(
  scope: Construct,
  id = 'organization-monitoring',
  props: StackProps = {},
) {
  const stack = new Stack(scope, id, {
    stackName: id,
    description:
      "Aurora snapshot tool: the organization-wide alarm. A CloudWatch observability sink admitting the organization's accounts and one alarm over every linked stack's recovery point. Deploy in the monitoring account, once per region.",
    synthesizer: new LegacyStackSynthesizer() as unknown as IStackSynthesizer,
    analyticsReporting: false,
    ...props,
  });
  const organizationId = new CfnParameter(stack, 'OrganizationId', {
    type: 'String',
    description: 'The AWS Organizations id (o-...) whose accounts may link their metrics to this sink.',
    allowedPattern: '^o-[a-z0-9]{10,32}$',
    constraintDescription: 'must be an AWS Organizations id: o- and 10 to 32 lowercase letters or digits',
  });
  const objective = new CfnParameter(stack, 'RecoveryPointObjectiveHours', {
    type: 'String',
    default: '48',
    description:
      "Hours past which a stack's recovery point sets the alarm off: the organization's RecoveryPointObjectiveHours.",
    allowedPattern: '^0*([1-9][0-9]{0,2}|[1-7][0-9]{3}|8[0-6][0-9]{2}|87[0-5][0-9]|8760)$',
    constraintDescription: 'must be a whole number of hours from 1 to 8760',
  });
  const monitoring = new OrganizationMonitoring(stack, 'Monitoring', {
    organizationId: organizationId.valueAsString,
    recoveryPointObjectiveHours: objective.valueAsString,
  });
  new CfnOutput(stack, 'SinkArn', {
    description: 'Give this to every member stack (MonitoringSinkArn) of this region',
    value: monitoring.sink.attrArn,
  });
  new CfnOutput(stack, 'AlarmTopicArn', {
    description: 'Subscribe to this topic to be told when any stack of the organization misses its objective',
    value: monitoring.topic.topicArn,
  });
  new CfnOutput(stack, 'AlarmName', {
    description: 'The organization-wide alarm',
    value: monitoring.alarm.ref,
  });
  return stack;
}
