/**
 * The restoring role: what a person or a pipeline needs to run `aurora-snapshot-tool restore` in one recovery
 * region of one account, and nothing more. It reads the region (snapshots, clusters, instances, subnet and
 * parameter groups, engine versions), restores a cluster and creates its instances only when the request
 * marks them as a restore (`SnapshotTool:SourceSnapshot`), uses the region's keys only through RDS, and
 * may delete, share or modify nothing: a restore on disaster day must not be able to make the loss worse.
 */
import { Aws, type CfnCondition, Duration, Fn } from 'aws-cdk-lib';
import {
  type CfnRole,
  Effect,
  type IPrincipal,
  PolicyDocument,
  PolicyStatement,
  PrincipalWithConditions,
  Role,
} from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TAG } from '../core/model/tags.js';
import { RDS_SERVICE_LINKED_ROLE_ARN, regionRdsArn } from './drill-policies.js';
import { acknowledge } from './nag.js';
import { grantsOnlyForRdsResources } from './policies.js';

/**
 * The reads of a restore: what `restore` (and `restore --dry-run`) list before anything is created, the
 * recovery region's security groups (EC2) among them.
 */
export const RESTORE_READ_ACTIONS = [
  'rds:DescribeDBClusterSnapshots',
  'rds:DescribeDBClusters',
  'rds:DescribeDBInstances',
  'rds:DescribeDBSubnetGroups',
  'rds:DescribeDBClusterParameterGroups',
  'rds:DescribeDBParameterGroups',
  'rds:DescribeDBEngineVersions',
  'ec2:DescribeSecurityGroups',
] as const;

/**
 * Every create of the restore carries `SnapshotTool:SourceSnapshot` (src/core/restore/restore-plan.ts): the
 * role creates and tags only what is marked as a restore of a copy.
 */
const MARKED_AS_A_RESTORE = { Null: { [`aws:RequestTag/${TAG.SourceSnapshot}`]: 'false' } } as const;

/** Seconds a session of the role may last: a restore of a large cluster waits for hours. */
export const RESTORE_SESSION_SECONDS = 12 * 3600;

/** The stack's region only: the listings are `*`, so the region is a condition (aws:RequestedRegion). */
function inTheRegion() {
  return { StringEquals: { 'aws:RequestedRegion': Aws.REGION } };
}

/**
 * The role's statements, in the stack's account and region. RDS authorizes the restore on the new
 * cluster, the snapshot, the subnet group and the cluster parameter and option groups, and the instance on
 * itself, its cluster, the subnet group and its parameter and option groups (Service Authorization
 * Reference): any name in the region, since the restore maps the source's groups to whatever the region has.
 */
export function restoreRoleStatements(): PolicyStatement[] {
  const keys = `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`;
  const throughRds = {
    StringEquals: {
      'kms:ViaService': `rds.${Aws.REGION}.${Aws.URL_SUFFIX}`,
      'kms:CallerAccount': Aws.ACCOUNT_ID,
    },
  };
  const createActions = ['rds:RestoreDBClusterFromSnapshot', 'rds:CreateDBInstance', 'rds:AddTagsToResource'];
  return [
    new PolicyStatement({
      sid: 'ReadTheRecoveryRegion',
      actions: [...RESTORE_READ_ACTIONS],
      resources: ['*'],
      conditions: inTheRegion(),
    }),
    new PolicyStatement({
      sid: 'RestoreClustersMarkedAsRestores',
      actions: ['rds:RestoreDBClusterFromSnapshot'],
      resources: [
        regionRdsArn('cluster'),
        regionRdsArn('cluster-snapshot'),
        regionRdsArn('subgrp'),
        regionRdsArn('cluster-pg'),
        regionRdsArn('og'),
      ],
      conditions: MARKED_AS_A_RESTORE,
    }),
    new PolicyStatement({
      sid: 'CreateInstancesMarkedAsRestores',
      actions: ['rds:CreateDBInstance'],
      resources: [
        regionRdsArn('db'),
        regionRdsArn('cluster'),
        regionRdsArn('subgrp'),
        regionRdsArn('pg'),
        regionRdsArn('og'),
      ],
      conditions: MARKED_AS_A_RESTORE,
    }),
    new PolicyStatement({
      // The Tags of the restore and of each instance are authorized as AddTagsToResource on the new
      // resource. Clusters and instances only: a tag on a snapshot (CreatedBy, CopiedBy) would hand it to
      // the tool's retention, which deletes.
      sid: 'TagWhatTheRestoreCreates',
      actions: ['rds:AddTagsToResource'],
      resources: [regionRdsArn('cluster'), regionRdsArn('db')],
      conditions: MARKED_AS_A_RESTORE,
    }),
    new PolicyStatement({
      // A restored cluster tagged SnapshotTool:Purpose could be taken for a drill's and cleaned up.
      sid: 'NeverMarkForTheDrillCleanUp',
      effect: Effect.DENY,
      actions: createActions,
      resources: ['*'],
      conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [TAG.Purpose] } },
    }),
    new PolicyStatement({
      // The restore checks the key before anything is created (DescribeKey, called directly).
      sid: 'DescribeTheRegionsKeys',
      actions: ['kms:DescribeKey'],
      resources: [keys],
    }),
    new PolicyStatement({
      // RDS decrypts the copy and encrypts the restored cluster for the caller.
      sid: 'UseTheRegionsKeysOnlyThroughRds',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [keys],
      conditions: throughRds,
    }),
    grantsOnlyForRdsResources(keys, throughRds),
    new PolicyStatement({
      // The first restore in an account (a vault that never had a cluster) makes RDS create its
      // service-linked role with the caller's permissions: this one role, no other.
      sid: 'LetRdsCreateItsServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [RDS_SERVICE_LINKED_ROLE_ARN],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'rds.amazonaws.com' } },
    }),
  ];
}

export interface RestoreRoleProps {
  /**
   * Who may assume the role: an account (`new AccountPrincipal('123456789012')`, whose IAM then decides who),
   * a role or a user (`new ArnPrincipal(...)`).
   */
  readonly assumedBy: IPrincipal;
  /**
   * Assuming the role needs a session signed in with MFA (`aws:MultiFactorAuthPresent`). A CfnCondition
   * decides it at deployment (the template's RequireMfa parameter). Leave it off for a pipeline's role.
   * @default true
   */
  readonly requireMfa?: boolean | CfnCondition;
}

/** The restoring role of one recovery region and account. */
export class RestoreRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: RestoreRoleProps) {
    super(scope, id);
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    const requireMfa = props.requireMfa ?? true;
    this.role = new Role(this, 'Role', {
      description:
        'Aurora snapshot tool, restore: restores clusters and creates instances marked as restores in this region; deletes, shares and modifies nothing.',
      assumedBy: requireMfa === true ? new PrincipalWithConditions(props.assumedBy, mfa) : props.assumedBy,
      maxSessionDuration: Duration.seconds(RESTORE_SESSION_SECONDS),
      inlinePolicies: { Restore: new PolicyDocument({ statements: restoreRoleStatements() }) },
    });
    if (typeof requireMfa === 'object') {
      (this.role.node.defaultChild as CfnRole).addPropertyOverride(
        'AssumeRolePolicyDocument.Statement.0.Condition',
        Fn.conditionIf(requireMfa.logicalId, mfa, Aws.NO_VALUE),
      );
    }
    const iam5 = 'AwsSolutions-IAM5';
    acknowledge(
      this.role,
      iam5,
      ['Resource::*'],
      'RDS Describe calls list the region and accept no resource narrower than * (aws:RequestedRegion keeps them to this region); the Deny of SnapshotTool:Purpose tags names every resource on purpose.',
    );
    acknowledge(
      this.role,
      iam5,
      ['cluster', 'cluster-snapshot', 'subgrp', 'cluster-pg', 'og', 'db', 'pg'].map(
        (type) => `Resource::arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:${type}:*`,
      ),
      "A restore creates a cluster and instances under names chosen on the day (--name), from any copy of the region, into the region's subnet and parameter groups the Recovery block maps: creates only when the request tags them SnapshotTool:SourceSnapshot, and no delete.",
    );
    acknowledge(
      this.role,
      iam5,
      ['Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*'],
      "The copy's key, or Recovery.KmsKeyId, is any key of the region: used only through RDS (kms:ViaService, kms:CallerAccount), grants only for AWS resources, DescribeKey reads metadata only.",
    );
  }
}
