/**
 * The role an AWS service assumes to start one job's state machine: a role of the job's stack, not a policy on
 * a shared role, trusted from this account only (and, when the service names the resource it acts for, for that
 * resource only), that may start this state machine and nothing else.
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface StartOnlyThisStateMachineRoleProps {
  /** The service that assumes the role, e.g. `scheduler.amazonaws.com`. */
  readonly service: string;
  readonly description: string;
  readonly stateMachineArn: string;
  /** The only resource the service may assume the role for (`aws:SourceArn`). @default any of the account's */
  readonly sourceArn?: string;
  /** What the role may do besides, after the start (e.g. write a failed start to a dead-letter queue). @default none */
  readonly alsoAllow?: readonly PolicyStatement[];
}

export function startOnlyThisStateMachineRole(
  scope: Construct,
  id: string,
  props: StartOnlyThisStateMachineRoleProps,
): Role {
  return new Role(scope, id, {
    description: props.description,
    assumedBy: new ServicePrincipal(props.service, {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ...(props.sourceArn === undefined ? {} : { ArnEquals: { 'aws:SourceArn': props.sourceArn } }),
      },
    }),
    inlinePolicies: {
      StartOnlyThisStateMachine: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'StartOnlyThisStateMachine',
            actions: ['states:StartExecution'],
            resources: [props.stateMachineArn],
          }),
          ...(props.alsoAllow ?? []),
        ],
      }),
    },
  });
}
