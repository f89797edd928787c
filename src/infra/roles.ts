/**
 * The shared IAM roles of one side (source or destination) in one region: the functions' execution role,
 * the state machines' role and EventBridge's role. They hold, once, what every cluster needs (keys only
 * through RDS, starting only the tool's state machines by name prefix): the cluster stacks import them and
 * never write to them, since IAM keeps one inline policy per name per role and caps their total size.
 */
import { Aws, Fn, Token } from 'aws-cdk-lib';
import { type IRole, Policy, PolicyDocument, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../handlers/names.js';
import { acknowledge } from './nag.js';
import {
  deliverShapesStatement,
  destinationKeysArn,
  destinationRdsStatements,
  functionLogsStatement,
  invokeFunctionsStatement,
  keysThroughRdsStatements,
  onlyInRegionsStatement,
  onlyTheOrganizationStatements,
  type Side,
  STATE_MACHINE_PREFIX,
  sourceKeysArn,
  sourceRdsStatements,
  startToolStateMachinesStatement,
  stateMachineDeliveryStatements,
} from './policies.js';

/** The three roles a side's functions, state machines and schedules run as. */
export interface ToolRoles {
  /** Execution role of the functions. */
  readonly lambdaRole: IRole;
  /** Role of the state machines: invokes the functions, delivers logs and traces. */
  readonly stateMachineRole: IRole;
  /**
   * Role EventBridge rules assume to start a state machine: only the tool's, by name prefix. Cluster stacks of
   * this version start theirs with EventBridge Scheduler through a role of their own; this one serves cluster
   * stacks of earlier versions (which import it) until they are updated.
   */
  readonly eventsRole: IRole;
}

abstract class SideRoles extends Construct implements ToolRoles {
  readonly lambdaRole: Role;
  readonly stateMachineRole: Role;
  readonly eventsRole: Role;

  protected constructor(scope: Construct, id: string, side: Side) {
    super(scope, id);
    const functionNames: readonly string[] = side === 'source' ? SOURCE_FUNCTIONS : DESTINATION_FUNCTIONS;
    const sameAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    const label = side === 'source' ? 'source' : 'destination';

    this.lambdaRole = new Role(this, 'LambdaRole', {
      description: `Aurora snapshot tool, ${label} functions: RDS snapshots of this account, the tool's tags only for delete.`,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Snapshots: new PolicyDocument({
          statements: [
            ...(side === 'source' ? sourceRdsStatements() : destinationRdsStatements()),
            functionLogsStatement(functionNames),
          ],
        }),
        KeysThroughRds: new PolicyDocument({
          statements: keysThroughRdsStatements(side === 'source' ? sourceKeysArn() : destinationKeysArn()),
        }),
      },
    });
    this.stateMachineRole = new Role(this, 'StateMachineRole', {
      description: `Aurora snapshot tool, ${label} state machines: invoke the tool's functions.`,
      assumedBy: new ServicePrincipal('states.amazonaws.com', { conditions: sameAccount }),
      inlinePolicies: {
        Run: new PolicyDocument({
          statements: [invokeFunctionsStatement(functionNames), ...stateMachineDeliveryStatements()],
        }),
      },
    });
    this.eventsRole = new Role(this, 'EventsRole', {
      description: `Aurora snapshot tool, ${label} schedules of earlier cluster stacks: start the tool's ${label} state machines only.`,
      assumedBy: new ServicePrincipal('events.amazonaws.com', { conditions: sameAccount }),
      inlinePolicies: {
        StartStateMachines: new PolicyDocument({ statements: [startToolStateMachinesStatement(side)] }),
      },
    });

    acknowledgeRoleFindings(this, side, functionNames);
  }
}

export interface SourceRolesProps {
  /**
   * The regions the functions copy snapshots to: every destination region of every SourceCluster these
   * roles serve (a CloudFormation list token is accepted). When given, the functions may write snapshots
   * and use keys only in the stack's region and these (a Deny on the rest, policy `OnlyInTheConfiguredRegions`).
   * @default any region
   */
  readonly destinationRegions?: readonly string[];
  /**
   * The accounts the functions share snapshots with (a CloudFormation list token is accepted). When given,
   * the functions may leave the shape of each snapshot they share in those accounts' shapes buckets (policy
   * `LeaveShapesInTheVaults`: s3:PutObject under this account's prefix, in buckets those accounts own).
   * @default none: a vault's copies record no shape
   */
  readonly destinationAccounts?: readonly string[];
}

/** The source side's roles: take, copy, share and delete the tool's snapshots. */
export class SourceRoles extends SideRoles {
  /** The regions the functions may write snapshots and use keys in; undefined for any region. */
  readonly regions: readonly string[] | undefined;
  /** The policy that confines the functions to `regions` (when destinationRegions is given). */
  readonly regionsPolicy: Policy | undefined;
  /** The policy that lets the functions leave shapes in the vaults' buckets (when destinationAccounts is given). */
  readonly shapesPolicy: Policy | undefined;

  constructor(scope: Construct, id: string, props: SourceRolesProps = {}) {
    super(scope, id, 'source');
    const accounts = props.destinationAccounts;
    const some = accounts !== undefined && (Token.isUnresolved(accounts as string[]) || accounts.length > 0);
    this.shapesPolicy = some
      ? new Policy(this, 'LeaveShapesInTheVaults', {
          policyName: 'LeaveShapesInTheVaults',
          roles: [this.lambdaRole],
          statements: [deliverShapesStatement(accounts)],
        })
      : undefined;
    if (this.shapesPolicy) {
      acknowledge(
        this.shapesPolicy,
        'AwsSolutions-IAM5',
        ['Resource::arn:<AWS::Partition>:s3:::aurora-snapshot-tool-shapes-*/shapes/<AWS::AccountId>/*'],
        "Each vault account's bucket is named after it and its region; the put is allowed only into buckets the configured accounts own (s3:ResourceAccount), under this account's own prefix.",
      );
    }
    const destinations = props.destinationRegions;
    if (destinations === undefined) {
      this.regions = undefined;
      this.regionsPolicy = undefined;
      return;
    }
    this.regions = Token.isUnresolved(destinations as string[])
      ? Token.asList(Fn.split(',', Fn.join(',', [Aws.REGION, Fn.join(',', destinations as string[])])))
      : [Aws.REGION, ...new Set(destinations)];
    this.regionsPolicy = new Policy(this, 'OnlyInTheConfiguredRegions', {
      policyName: 'OnlyInTheConfiguredRegions',
      roles: [this.lambdaRole],
      statements: [onlyInRegionsStatement(this.regions)],
    });
  }
}

export interface DestinationRolesProps {
  /**
   * A vault for a whole organization (`o-...`, a CloudFormation token is accepted): the functions may copy
   * only snapshots, and use only keys, owned by an account of it or by this account (policy
   * `OnlyTheOrganization`: Denies on `aws:ResourceOrgID`).
   * @default none: the functions copy what any account shares (each job names its SourceAccount)
   */
  readonly sourceOrganizationId?: string;
}

/** The destination side's roles: copy shared snapshots in and delete the tool's copies. */
export class DestinationRoles extends SideRoles {
  /** The policy that confines the copies to the organization (when sourceOrganizationId is given). */
  readonly organizationPolicy: Policy | undefined;

  constructor(scope: Construct, id: string, props: DestinationRolesProps = {}) {
    super(scope, id, 'destination');
    this.organizationPolicy =
      props.sourceOrganizationId === undefined
        ? undefined
        : new Policy(this, 'OnlyTheOrganization', {
            policyName: 'OnlyTheOrganization',
            roles: [this.lambdaRole],
            statements: onlyTheOrganizationStatements(props.sourceOrganizationId),
          });
  }
}

/** The roles' `*` and ARN-pattern resources, each with the reason it cannot be narrower. */
function acknowledgeRoleFindings(roles: SideRoles, side: Side, functionNames: readonly string[]): void {
  const iam5 = 'AwsSolutions-IAM5';
  acknowledge(
    roles.lambdaRole,
    iam5,
    ['Resource::*'],
    side === 'source'
      ? 'RDS DescribeDBClusters, DescribeDBInstances (the shape of the clusters taken), DescribeDBClusterSnapshots and DescribeAccountAttributes list, and accept no resource narrower than *.'
      : 'RDS DescribeDBClusters, DescribeDBClusterSnapshots and DescribeAccountAttributes list, and accept no resource narrower than *.',
  );
  acknowledge(
    roles.lambdaRole,
    iam5,
    [
      ...(side === 'source' ? ['Resource::arn:<AWS::Partition>:rds:*:<AWS::AccountId>:cluster:*'] : []),
      'Resource::arn:<AWS::Partition>:rds:*:<AWS::AccountId>:cluster-snapshot:*',
    ],
    "Snapshot identifiers are generated per run, and copies go to another region: the resources are the account's clusters and cluster snapshots; deleting and sharing are conditioned on the tool's CreatedBy/CopiedBy tag.",
  );
  acknowledge(
    roles.lambdaRole,
    iam5,
    [
      side === 'source'
        ? 'Resource::arn:<AWS::Partition>:kms:*:<AWS::AccountId>:key/*'
        : 'Resource::arn:<AWS::Partition>:kms:<AWS::Region>:*:key/*',
    ],
    "One role serves every cluster, whose snapshots may be under any customer managed key: keys are used only through RDS (kms:ViaService), by this account (kms:CallerAccount), with grants only for AWS resources (kms:GrantIsForAWSResource), and each key's policy still decides; the source's kms:DescribeKey only reads metadata, to tell the AWS-managed aws/rds key apart.",
  );
  if (side === 'destination') {
    acknowledge(
      roles.lambdaRole,
      iam5,
      ['Resource::arn:<AWS::Partition>:rds:<AWS::Region>:*:cluster-snapshot:*'],
      'A copy of a snapshot another account shared is authorized on that snapshot too: the sharing account decides what is shared, and the job copies only its SourceAccount.',
    );
    acknowledge(
      roles.lambdaRole,
      iam5,
      ['Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*'],
      'KmsKeyDestination may name its key by an alias, which only DescribeKey turns into the key: it reads metadata only, of this account and region.',
    );
  }
  acknowledge(
    roles.eventsRole,
    iam5,
    [
      `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${STATE_MACHINE_PREFIX[side]}*`,
    ],
    "The schedules of every cluster stack share this role: it may start only the tool's state machines of its side, by their documented name prefix, so no cluster stack writes to it.",
  );
  acknowledge(
    roles.lambdaRole,
    iam5,
    functionNames.map(
      (name) =>
        `Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/${name}:*`,
    ),
    "Each invocation writes a new log stream, named by Lambda, in the function's own log group.",
  );
  acknowledge(
    roles.stateMachineRole,
    iam5,
    ['Resource::*'],
    'CloudWatch Logs log delivery and X-Ray trace APIs accept no resource narrower than * (AWS documents this for Step Functions logging and tracing).',
  );
}
