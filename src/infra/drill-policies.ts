/**
 * The restore drill's IAM statements: restore clusters and create instances only tagged
 * SnapshotTool:Purpose=restore-drill (aws:RequestTag), delete clusters and instances only with that tag
 * (aws:ResourceTag), record the result only on snapshots the tool made.
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RESTORE_DRILL_PURPOSE, TAG, TOOL_TAG_VALUE } from '../core/tags.js';
import { LIST_ACTIONS } from './policies.js';

/** `arn:<partition>:rds:<region>:<account>:<type>:*` in the drill's own region. */
export function regionRdsArn(type: 'cluster' | 'cluster-snapshot' | 'db' | 'subgrp'): string {
  return `arn:${Aws.PARTITION}:rds:${Aws.REGION}:${Aws.ACCOUNT_ID}:${type}:*`;
}

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
      actions: [...LIST_ACTIONS, 'rds:DescribeDBInstances'],
      resources: ['*'],
    }),
    new PolicyStatement({
      // The restore is authorized on the new cluster, the snapshot and the subnet group; the condition
      // makes every restored cluster a drill's, the only kind the delete statements allow.
      sid: 'RestoreOnlyDrillTaggedClusters',
      actions: ['rds:RestoreDBClusterFromSnapshot'],
      resources: [regionRdsArn('cluster'), regionRdsArn('cluster-snapshot'), regionRdsArn('subgrp')],
      conditions: DRILL_REQUEST_CONDITION,
    }),
    new PolicyStatement({
      sid: 'CreateOnlyDrillTaggedInstances',
      actions: ['rds:CreateDBInstance'],
      resources: [regionRdsArn('db'), regionRdsArn('cluster')],
      conditions: DRILL_REQUEST_CONDITION,
    }),
    new PolicyStatement({
      // Tags given in the restore and create calls are authorized as AddTagsToResource.
      sid: 'TagDrillClustersAndInstancesAtCreation',
      actions: ['rds:AddTagsToResource'],
      resources: [regionRdsArn('cluster'), regionRdsArn('db')],
      conditions: DRILL_REQUEST_CONDITION,
    }),
    new PolicyStatement({
      sid: 'DeleteOnlyDrillTaggedInstances',
      actions: ['rds:DeleteDBInstance'],
      resources: [regionRdsArn('db')],
      conditions: DRILL_RESOURCE_CONDITION,
    }),
    new PolicyStatement({
      // SkipFinalSnapshot: no snapshot is created, so no cluster-snapshot resource is needed.
      sid: 'DeleteOnlyDrillTaggedClusters',
      actions: ['rds:DeleteDBCluster'],
      resources: [regionRdsArn('cluster')],
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
  ];
}
