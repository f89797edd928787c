/**
 * The IAM statements of the tool's roles, written once for the CDK constructs and the CloudFormation
 * templates: RDS actions scoped to the account's cluster and cluster-snapshot ARNs, deletion and sharing
 * only of snapshots that carry the tool's tag, KMS only on named keys.
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { TAG, TOOL_TAG_VALUE } from '../core/tags.js';

/** `arn:<partition>:rds:*:<account>:<type>:*`: any region, because copies are made in another region. */
export function accountRdsArn(
  type: 'cluster' | 'cluster-snapshot',
  account: string = Aws.ACCOUNT_ID,
): string {
  return `arn:${Aws.PARTITION}:rds:*:${account}:${type}:*`;
}

export const LIST_ACTIONS = [
  'rds:DescribeDBClusters',
  'rds:DescribeDBClusterSnapshots',
  'rds:DescribeAccountAttributes',
] as const;

/** Listing calls: RDS accepts no resource narrower than `*` for them. */
export function listStatement(): PolicyStatement {
  return new PolicyStatement({
    sid: 'ListClustersAndSnapshots',
    actions: [...LIST_ACTIONS],
    resources: ['*'],
  });
}

function taggedBy(key: string): Record<string, unknown> {
  return { StringEquals: { [`aws:ResourceTag/${key}`]: TOOL_TAG_VALUE } };
}

/** The source functions' RDS permissions (take, copy to DestinationRegion, share, delete the tool's own). */
export function sourceRdsStatements(): PolicyStatement[] {
  const clusters = accountRdsArn('cluster');
  const snapshots = accountRdsArn('cluster-snapshot');
  return [
    listStatement(),
    new PolicyStatement({
      sid: 'TakeSnapshotsOfTheAccountsClusters',
      actions: ['rds:CreateDBClusterSnapshot'],
      resources: [clusters, snapshots],
    }),
    new PolicyStatement({
      // Tags are given in the create and copy calls (atomic), which RDS authorizes as AddTagsToResource;
      // the tool also records a completed share as a tag.
      sid: 'TagSnapshots',
      actions: ['rds:AddTagsToResource'],
      resources: [snapshots],
    }),
    new PolicyStatement({
      sid: 'CopySnapshotsWithinTheAccount',
      actions: ['rds:CopyDBClusterSnapshot'],
      resources: [snapshots],
    }),
    new PolicyStatement({
      sid: 'ShareSnapshotsTheToolTook',
      actions: ['rds:ModifyDBClusterSnapshotAttribute'],
      resources: [snapshots],
      conditions: taggedBy(TAG.CreatedBy),
    }),
    new PolicyStatement({
      // A disaster-recovery copy for another account is shared from DestinationRegion; it carries CopiedBy.
      sid: 'ShareCopiesTheToolMade',
      actions: ['rds:ModifyDBClusterSnapshotAttribute'],
      resources: [snapshots],
      conditions: taggedBy(TAG.CopiedBy),
    }),
    new PolicyStatement({
      sid: 'DeleteOnlySnapshotsTheToolTook',
      actions: ['rds:DeleteDBClusterSnapshot'],
      resources: [snapshots],
      conditions: taggedBy(TAG.CreatedBy),
    }),
    describeAccountKeysStatement(),
  ];
}

/** The destination functions' RDS permissions (copy into this account, delete the tool's own copies). */
export function destinationRdsStatements(): PolicyStatement[] {
  const snapshots = accountRdsArn('cluster-snapshot');
  return [
    listStatement(),
    new PolicyStatement({ sid: 'TagCopies', actions: ['rds:AddTagsToResource'], resources: [snapshots] }),
    new PolicyStatement({
      sid: 'CopyIntoTheAccount',
      actions: ['rds:CopyDBClusterSnapshot'],
      resources: [snapshots],
    }),
    new PolicyStatement({
      sid: 'DeleteOnlyCopiesTheToolMade',
      actions: ['rds:DeleteDBClusterSnapshot'],
      resources: [snapshots],
      conditions: taggedBy(TAG.CopiedBy),
    }),
  ];
}

/**
 * kms:DescribeKey (metadata only, no use of the key) on the account's keys: a snapshot under the
 * AWS-managed aws/rds key cannot be shared, and only DescribeKey tells which key a snapshot's key id is.
 */
export function describeAccountKeysStatement(): PolicyStatement {
  return new PolicyStatement({
    sid: 'TellAwsManagedKeysApart',
    actions: ['kms:DescribeKey'],
    resources: [`arn:${Aws.PARTITION}:kms:*:${Aws.ACCOUNT_ID}:key/*`],
  });
}

/** What RDS needs from the caller to copy or re-encrypt a snapshot with a key. */
export const KMS_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/** How a key is named in IAM: its ARN, or its alias (matched with kms:ResourceAliases). */
export type KeyReference = { readonly arn: string } | { readonly alias: string; readonly region: string };

/**
 * KMS use limited to the named keys: RDS uses them on the caller's behalf (kms:ViaService) and makes
 * grants for itself only (kms:GrantIsForAWSResource).
 */
export function kmsUseStatements(sid: string, keys: readonly KeyReference[]): PolicyStatement[] {
  const arns = keys.flatMap((k) => ('arn' in k ? [k.arn] : []));
  const aliases = keys.flatMap((k) => ('alias' in k ? [k] : []));
  const statements: PolicyStatement[] = [];
  if (arns.length > 0) {
    statements.push(...useAndGrant(sid, arns, {}));
  }
  for (const [index, alias] of aliases.entries()) {
    statements.push(
      ...useAndGrant(
        `${sid}Alias${index}`,
        [`arn:${Aws.PARTITION}:kms:${alias.region}:${Aws.ACCOUNT_ID}:key/*`],
        {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias.alias },
        },
      ),
    );
  }
  return statements;
}

function useAndGrant(sid: string, resources: string[], extra: Record<string, unknown>): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: `${sid}Describe`,
      actions: ['kms:DescribeKey'],
      resources,
      conditions: extra,
    }),
    new PolicyStatement({
      sid: `${sid}Use`,
      actions: [...KMS_USE_ACTIONS],
      resources,
      conditions: { ...extra, StringLike: { 'kms:ViaService': 'rds.*.amazonaws.com' } },
    }),
    new PolicyStatement({
      sid: `${sid}Grant`,
      actions: ['kms:CreateGrant'],
      resources,
      conditions: { ...extra, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}

/** Writing the functions' logs to their own log groups only. */
export function functionLogsStatement(functionNames: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: functionNames.map(
      (name) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/lambda/${name}:*`,
    ),
  });
}

/** The state machines invoke only the tool's functions (by name, so the roles exist before the functions). */
export function invokeFunctionsStatement(functionNames: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    sid: 'InvokeTheToolsFunctions',
    actions: ['lambda:InvokeFunction'],
    resources: functionNames.map(
      (name) => `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${name}`,
    ),
  });
}

/** Execution logs and traces of the state machines: these APIs take no resource narrower than `*`. */
export function stateMachineDeliveryStatements(): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'DeliverExecutionLogs',
      actions: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ],
      resources: ['*'],
    }),
    new PolicyStatement({
      sid: 'SendTraces',
      actions: [
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
      ],
      resources: ['*'],
    }),
  ];
}
