/**
 * The restore drill's IAM statements: restore, tag, create and delete clusters and instances only under
 * the drill's own names (`<cluster>-snapshot-tool-drill-<stamp>`, its instance `…-1`), creating them only
 * tagged SnapshotTool:Purpose=restore-drill (aws:RequestTag) and deleting them only with that tag
 * (aws:ResourceTag); record the result only on snapshots the tool made. The drill restores through the
 * restore command's plan, so it reads the region's facts as the command does (subnet and parameter groups,
 * engine versions, the key's metadata).
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { DRILL_NAME_GLOBS } from '../core/drill/index.js';
import { RESTORE_DRILL_PURPOSE, TAG, TOOL_TAG_VALUE } from '../core/model/tags.js';
import { LIST_ACTIONS } from './policies.js';

/** `arn:<partition>:rds:<region>:<account>:<type>:<name>` in the drill's own region (any name by default). */
export function regionRdsArn(
  type: 'cluster' | 'cluster-snapshot' | 'db' | 'subgrp' | 'cluster-pg' | 'pg' | 'og',
  name = '*',
): string {
  return `arn:${Aws.PARTITION}:rds:${Aws.REGION}:${Aws.ACCOUNT_ID}:${type}:${name}`;
}

/**
 * The engine's default parameter and option groups (`default.aurora-postgresql16`, `default:aurora-mysql-8-0`),
 * which a drill's instance gets (it names no DB parameter group: the source's is sized for the source's
 * classes) and its cluster gets for the option group; RDS authorizes the restore and the create on the groups
 * used.
 */
const DEFAULT_GROUP = 'default*';

/** The region-fact reads of the restore command's plan, which the drill builds its restore with. */
export const DRILL_FACT_ACTIONS = [
  'rds:DescribeDBSubnetGroups',
  'rds:DescribeDBClusterParameterGroups',
  'rds:DescribeDBParameterGroups',
  'rds:DescribeDBEngineVersions',
] as const;

/** AWSServiceRoleForRDS, the role RDS uses in every account (`rds.amazonaws.com` in every partition). */
export const RDS_SERVICE_LINKED_ROLE_ARN = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`;

/**
 * The drill's own clusters and instances, by name. The tag alone is not enough: the role tags what it
 * creates, and RDS authorizes that tagging as AddTagsToResource, which IAM cannot tell from tagging an
 * existing cluster; the name keeps every production cluster out of reach of the tag and the delete.
 */
const DRILL_CLUSTER = regionRdsArn('cluster', DRILL_NAME_GLOBS.cluster);
const DRILL_INSTANCE = regionRdsArn('db', DRILL_NAME_GLOBS.instance);

/** The condition every delete of a cluster or an instance carries. */
export const DRILL_RESOURCE_CONDITION = {
  StringEquals: { [`aws:ResourceTag/${TAG.Purpose}`]: RESTORE_DRILL_PURPOSE },
} as const;

/** The condition every create (restore, instance, their tags) carries: the request tags it for the drill. */
export const DRILL_REQUEST_CONDITION = {
  StringEquals: { [`aws:RequestTag/${TAG.Purpose}`]: RESTORE_DRILL_PURPOSE },
} as const;

export function drillRdsStatements(): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ListClustersInstancesAndSnapshots',
      actions: [
        ...LIST_ACTIONS,
        'rds:DescribeDBInstances',
        'rds:DescribeOrderableDBInstanceOptions',
        ...DRILL_FACT_ACTIONS,
      ],
      resources: ['*'],
    }),
    new PolicyStatement({
      // The restore plan checks that the copy's key can be used before it restores: metadata only, the key
      // itself is used only through RDS (keysThroughRdsStatements).
      sid: 'CheckTheCopysKey',
      actions: ['kms:DescribeKey'],
      resources: [`arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`],
    }),
    new PolicyStatement({
      // The restore is authorized on the new cluster, the snapshot, the subnet group and the cluster
      // parameter and option groups (Service Authorization Reference); VPC security groups are no RDS
      // resource. The condition makes every restored cluster a drill's, the only kind the deletes allow.
      // Any cluster parameter group: the restore plan gives the drill's cluster the source's (mapped into
      // the region) as the restore command would; naming a group on a new cluster does not change the group.
      sid: 'RestoreOnlyDrillTaggedClusters',
      actions: ['rds:RestoreDBClusterFromSnapshot'],
      resources: [
        DRILL_CLUSTER,
        regionRdsArn('cluster-snapshot'),
        regionRdsArn('subgrp'),
        regionRdsArn('cluster-pg'),
        regionRdsArn('og', DEFAULT_GROUP),
      ],
      conditions: DRILL_REQUEST_CONDITION,
    }),
    new PolicyStatement({
      // On the new instance, its cluster (and that cluster's subnet group), its parameter and option groups:
      // an instance only in a drill's cluster.
      sid: 'CreateOnlyDrillTaggedInstances',
      actions: ['rds:CreateDBInstance'],
      resources: [
        DRILL_INSTANCE,
        DRILL_CLUSTER,
        regionRdsArn('subgrp'),
        regionRdsArn('pg', DEFAULT_GROUP),
        regionRdsArn('og', DEFAULT_GROUP),
      ],
      conditions: DRILL_REQUEST_CONDITION,
    }),
    new PolicyStatement({
      // Tags given in the restore and create calls are authorized as AddTagsToResource.
      sid: 'TagDrillClustersAndInstancesAtCreation',
      actions: ['rds:AddTagsToResource'],
      resources: [DRILL_CLUSTER, DRILL_INSTANCE],
      conditions: DRILL_REQUEST_CONDITION,
    }),
    new PolicyStatement({
      sid: 'DeleteOnlyDrillTaggedInstances',
      actions: ['rds:DeleteDBInstance'],
      resources: [DRILL_INSTANCE],
      conditions: DRILL_RESOURCE_CONDITION,
    }),
    new PolicyStatement({
      // SkipFinalSnapshot: no final snapshot is created, so there is no cluster-snapshot to authorize on.
      sid: 'DeleteOnlyDrillTaggedClusters',
      actions: ['rds:DeleteDBCluster'],
      resources: [DRILL_CLUSTER],
      conditions: DRILL_RESOURCE_CONDITION,
    }),
    new PolicyStatement({
      sid: 'RecordDrillsOnCopiesTheToolMade',
      actions: ['rds:AddTagsToResource'],
      resources: [regionRdsArn('cluster-snapshot')],
      conditions: { StringEquals: { [`aws:ResourceTag/${TAG.CopiedBy}`]: TOOL_TAG_VALUE } },
    }),
    new PolicyStatement({
      sid: 'RecordDrillsOnBackupsTheToolTook',
      actions: ['rds:AddTagsToResource'],
      resources: [regionRdsArn('cluster-snapshot')],
      conditions: { StringEquals: { [`aws:ResourceTag/${TAG.CreatedBy}`]: TOOL_TAG_VALUE } },
    }),
    new PolicyStatement({
      // The first restore in an account makes RDS create its service-linked role with the caller's
      // permissions; this role may create that one role and no other.
      sid: 'LetRdsCreateItsServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [RDS_SERVICE_LINKED_ROLE_ARN],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'rds.amazonaws.com' } },
    }),
  ];
}
