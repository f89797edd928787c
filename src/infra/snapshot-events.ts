/**
 * The RDS events that start a source job's work as soon as one of its snapshots is ready, declared once: the
 * EventBridge rule's pattern (RDS-EVENT-0075 of the tool's own manual cluster snapshots), the `Trigger` its
 * target adds to the job's configuration block, and the rule with its role (SnapshotEventRule).
 */
import { Aws } from 'aws-cdk-lib';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TAG, TOOL_TAG_VALUE } from '../core/model/tags.js';
import { startOnlyThisStateMachineRole } from './start-role.js';

/** RDS-EVENT-0075, "Manual cluster snapshot created": the one event the source job acts on. */
export const SNAPSHOT_CREATED_EVENT_ID = 'RDS-EVENT-0075';

/** The detail-type RDS gives its cluster snapshot events on EventBridge (source `aws.rds`). */
export const CLUSTER_SNAPSHOT_DETAIL_TYPE = 'RDS DB Cluster Snapshot Event';

/**
 * The rule's pattern: the tool's own manual cluster snapshots becoming available, by the tag RDS puts in the
 * event (`detail.Tags`, the snapshot's tags as they are when RDS sends it; the tool tags a snapshot in the
 * create call itself). Not RDS-EVENT-0074 (creation started: nothing to copy yet), not automated snapshots
 * (RDS-EVENT-0169), not DB instance snapshots (another detail-type), not another owner's snapshots.
 */
export const SNAPSHOT_EVENT_PATTERN = {
  source: ['aws.rds'],
  'detail-type': [CLUSTER_SNAPSHOT_DETAIL_TYPE],
  detail: {
    EventID: [SNAPSHOT_CREATED_EVENT_ID],
    Tags: { [TAG.CreatedBy]: [TOOL_TAG_VALUE] },
  },
} as const;

/** The event fields `Trigger` carries: the target's InputPathsMap (placeholder name to JSON path). */
export const TRIGGER_INPUT_PATHS = {
  eventId: '$.id',
  rdsEventId: '$.detail.EventID',
  snapshotArn: '$.detail.SourceArn',
  time: '$.time',
} as const;

/**
 * `Trigger`, the reserved key of the execution input that says an RDS event started the run (the handlers
 * take it out before the configuration is parsed). Each placeholder stands inside quotes: EventBridge puts
 * the string there, escaped for JSON.
 */
export const TRIGGER = {
  Kind: 'RdsEvent',
  EventId: '<eventId>',
  RdsEventId: '<rdsEventId>',
  SnapshotArn: '<snapshotArn>',
  Time: '<time>',
} as const;

/** EventBridge: at most 8,192 characters in a target's InputTemplate. */
export const MAX_INPUT_TEMPLATE_LENGTH = 8192;

/** The target's retries: as the schedule's, then the dead-letter queue (and its alarm). */
const RETRY_POLICY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 86_400 } as const;

export interface SnapshotEventRuleProps {
  /** The rule's name: the role trusts EventBridge for this rule only, so the name is known before it exists. */
  readonly ruleName: string;
  /** The job's state machine, the rule's target. */
  readonly stateMachine: IStateMachine;
  /** The execution input for an event: the configuration block with `Trigger` (a JSON text; tokens allowed). */
  readonly inputTemplate: string;
  /** Where EventBridge puts an event whose execution it could not start (the schedule's queue). */
  readonly deadLetterQueue: IQueue;
  /** Says which cluster or pattern the job is for, in descriptions. */
  readonly description: string;
}

/**
 * The rule on the default event bus that starts the job's state machine for each of the tool's snapshots
 * that becomes available, through a role of its own that may start this state machine and nothing else.
 * AWS service events on the default bus are free; RDS delivers them on a best-effort basis, so the schedule
 * stays the safety net.
 */
export class SnapshotEventRule extends Construct {
  readonly rule: CfnRule;
  /** The role EventBridge assumes for this rule: it may start the job's state machine and nothing else. */
  readonly role: Role;
  /** The rule's ARN, known before the rule exists (the role's trust and the queue's policy name it). */
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: SnapshotEventRuleProps) {
    super(scope, id);
    this.ruleArn = `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${props.ruleName}`;
    this.role = startOnlyThisStateMachineRole(this, 'Role', {
      service: 'events.amazonaws.com',
      description: `Aurora snapshot tool: EventBridge starts the state machine of ${props.description} when a snapshot is created`,
      stateMachineArn: props.stateMachine.stateMachineArn,
      // EventBridge names the rule that assumes the role in aws:SourceArn (and its account in aws:SourceAccount).
      sourceArn: this.ruleArn,
    });
    // A rule's target writes to its dead-letter queue under the queue's policy, not the role's.
    props.deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SnapshotEventRuleSendsFailedStarts',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [props.deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.ruleArn } },
      }),
    );
    this.rule = new CfnRule(this, 'Rule', {
      name: props.ruleName,
      description: `Aurora snapshot tool: starts ${props.description} when one of its snapshots is created (RDS-EVENT-0075)`,
      eventPattern: SNAPSHOT_EVENT_PATTERN,
      state: 'ENABLED',
      targets: [
        {
          id: 'StateMachine',
          arn: props.stateMachine.stateMachineArn,
          roleArn: this.role.roleArn,
          inputTransformer: { inputPathsMap: { ...TRIGGER_INPUT_PATHS }, inputTemplate: props.inputTemplate },
          retryPolicy: RETRY_POLICY,
          deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
        },
      ],
    });
    // The role's policy is inline, so the rule (which names the role) exists only once it may start.
  }
}
