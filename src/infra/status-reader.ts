/**
 * The status reader: a read-only role that the status account (the one that runs
 * `aurora-snapshot-tool status --organization`) assumes in a member or vault account to read what `status`
 * reads there: the clusters, the tool's snapshots and copies, the account's snapshot quota, the runs of the
 * tool's state machines and its alarms. It may create, change, share, tag or delete nothing.
 */
import { Aws, type CfnElement, Stack } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STATUS_READER_ROLE } from '../core/fleet/index.js';
import { acknowledge } from './nag.js';

export { STATUS_READER_ROLE };

/**
 * What `status` reads through the adapters (src/aws/rds-snapshot-store.ts): clusters and their instances,
 * snapshots with their tags and sharing attributes, the snapshot quota (DescribeAccountAttributes), whether
 * a key is the AWS-managed aws/rds key (kms:DescribeKey), and the alarms of the jobs. Each is a Read or
 * List action in AWS's service authorization data (test/infra/status-reader.test.ts checks it).
 */
export const STATUS_READ_ACTIONS = [
  'rds:DescribeDBClusters',
  'rds:DescribeDBInstances',
  'rds:DescribeDBClusterSnapshots',
  'rds:DescribeDBClusterSnapshotAttributes',
  'rds:ListTagsForResource',
  'rds:DescribeAccountAttributes',
  'cloudwatch:DescribeAlarms',
] as const;

/** The runs of a job: its executions and how each ended. */
export const STATUS_EXECUTION_ACTIONS = ['states:ListExecutions', 'states:DescribeExecution'] as const;

export interface StatusReaderProps {
  /** The account that runs `status --organization`: its principals, as its own IAM policies allow, assume the role. */
  readonly statusAccount: string;
  /**
   * The state machines whose runs the role reads, in this account and region: a stack's own, or a name
   * prefix ending with `*` (the tool's machines of one side).
   */
  readonly stateMachines: readonly (StateMachine | string)[];
}

/** The name in ARNs, and as cdk-nag writes it in a finding (`<LogicalId.Name>` for a machine of the stack). */
function nameOf(machine: StateMachine | string): { name: string; finding: string } {
  if (typeof machine === 'string') return { name: machine, finding: machine };
  const logicalId = Stack.of(machine).getLogicalId(machine.node.defaultChild as CfnElement);
  return { name: machine.stateMachineName, finding: `<${logicalId}.Name>` };
}

/** The read-only role of one account and region for the status account. */
export class StatusReader extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: StatusReaderProps) {
    super(scope, id);
    const machines = props.stateMachines.map(nameOf);
    const states = (kind: 'stateMachine' | 'execution', name: string) =>
      `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:${kind}:${name}${kind === 'execution' ? ':*' : ''}`;
    const keys = `arn:${Aws.PARTITION}:kms:*:${Aws.ACCOUNT_ID}:key/*`;
    this.role = new Role(this, 'Role', {
      roleName: STATUS_READER_ROLE(Aws.REGION),
      description:
        'Aurora snapshot tool, status --organization: reads clusters, snapshots, runs and alarms; changes nothing.',
      assumedBy: new AccountPrincipal(props.statusAccount),
      inlinePolicies: {
        ReadStatus: new PolicyDocument({
          statements: [
            new PolicyStatement({
              // Listings accept no resource narrower than *; every region, as status reads the copies
              // in the destination regions of each source region.
              sid: 'ReadClustersSnapshotsAndAlarms',
              actions: [...STATUS_READ_ACTIONS],
              resources: ['*'],
            }),
            new PolicyStatement({
              sid: 'ReadTheJobsRuns',
              actions: ['states:ListExecutions'],
              resources: machines.map(({ name }) => states('stateMachine', name)),
            }),
            new PolicyStatement({
              sid: 'ReadEachRun',
              actions: ['states:DescribeExecution'],
              resources: machines.map(({ name }) => states('execution', name)),
            }),
            new PolicyStatement({
              // Whether a snapshot's key is the AWS-managed aws/rds key: metadata only.
              sid: 'DescribeTheAccountsKeys',
              actions: ['kms:DescribeKey'],
              resources: [keys],
            }),
          ],
        }),
      },
    });
    const iam5 = 'AwsSolutions-IAM5';
    acknowledge(
      this.role,
      iam5,
      ['Resource::*'],
      'RDS Describe calls and CloudWatch DescribeAlarms list the account and accept no resource narrower than *; every action of the statement is a Read or List action.',
    );
    acknowledge(
      this.role,
      iam5,
      ['Resource::arn:<AWS::Partition>:kms:*:<AWS::AccountId>:key/*'],
      'Which key encrypts a snapshot is known only when it is listed, in any region copies go to: DescribeKey reads metadata only, and no other KMS action is allowed.',
    );
    acknowledge(
      this.role,
      iam5,
      machines.flatMap(({ finding }) => [
        ...(finding.endsWith('*')
          ? [`Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${finding}`]
          : []),
        `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${finding}:*`,
      ]),
      "The executions of the tool's state machines are named per run; ListExecutions and DescribeExecution only read them.",
    );
  }
}
