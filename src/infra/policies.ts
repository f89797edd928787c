/**
 * The IAM statements of the tool's roles, written once for the CDK constructs and the CloudFormation
 * templates: RDS actions scoped to the account's cluster and cluster-snapshot ARNs, deletion and sharing
 * only of snapshots that carry the tool's tag, KMS keys only through RDS, state machines only by the
 * tool's name prefix. They are the shared roles' whole permissions: no cluster stack adds to them.
 */
import { Aws, Fn, Token } from 'aws-cdk-lib';
import { ArnPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SHAPE_BUCKET_PREFIX, SHAPE_KEY_PREFIX, shapeBucketName } from '../core/model/shape-carrier.js';
import { TAG, TOOL_TAG_VALUE } from '../core/model/tags.js';

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

/**
 * The identifiers the tool gives the snapshots it takes and copies (src/core/model/naming.ts), as IAM resource
 * patterns (`?` is one character): `<cluster>-YYYY-MM-DD-HH-MM` (also the original tool's), the same with a
 * suffix (`-<region>`, `-shared`, `-shared-2`), and the shortened forms (a hash, then `-shared` or
 * `-<region>`) of identifiers that would pass 63 characters.
 */
export const TOOL_SNAPSHOT_NAME_PATTERNS = [
  '*-????-??-??-??-??',
  '*-????-??-??-??-??-*',
  '*-shared',
  '*-??-*-?',
] as const;

/**
 * IAM cannot tell tagging a snapshot being created (RDS authorizes the Tags of CreateDBClusterSnapshot and
 * CopyDBClusterSnapshot as rds:AddTagsToResource on the new ARN) from tagging one that exists. So the marks
 * deletion and sharing depend on (CreatedBy, CopiedBy) may be set only on snapshots named as the tool names
 * them, and never over another owner's mark: a holder of the role cannot mark a manual snapshot to delete or
 * share it.
 */
export function toolMarksStatements(): PolicyStatement[] {
  const marks = [TAG.CreatedBy, TAG.CopiedBy];
  return [
    new PolicyStatement({
      sid: 'ToolMarksOnlyOnSnapshotsNamedByTheTool',
      effect: Effect.DENY,
      actions: ['rds:AddTagsToResource'],
      notResources: TOOL_SNAPSHOT_NAME_PATTERNS.map(
        (pattern) => `arn:${Aws.PARTITION}:rds:*:${Aws.ACCOUNT_ID}:cluster-snapshot:${pattern}`,
      ),
      conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': marks } },
    }),
    ...marks.map(
      (mark) =>
        new PolicyStatement({
          sid: `NoToolMarkOverAnother${mark}`,
          effect: Effect.DENY,
          actions: ['rds:AddTagsToResource'],
          resources: [accountRdsArn('cluster-snapshot')],
          conditions: {
            Null: { [`aws:ResourceTag/${mark}`]: 'false' },
            StringNotEquals: { [`aws:ResourceTag/${mark}`]: TOOL_TAG_VALUE },
            'ForAnyValue:StringEquals': { 'aws:TagKeys': [mark] },
          },
        }),
    ),
  ];
}

function taggedBy(key: string): Record<string, unknown> {
  return { StringEquals: { [`aws:ResourceTag/${key}`]: TOOL_TAG_VALUE } };
}

/**
 * The source functions' RDS permissions (read the clusters' shape, take, copy to DestinationRegion, share,
 * delete the tool's own).
 */
export function sourceRdsStatements(): PolicyStatement[] {
  const clusters = accountRdsArn('cluster');
  const snapshots = accountRdsArn('cluster-snapshot');
  return [
    listStatement(),
    new PolicyStatement({
      // Each snapshot records the shape of its cluster (instances, classes, parameter groups): one listing
      // of the instances of the clusters a pass takes. Without it the snapshots are taken without the shape.
      sid: 'ReadTheShapeOfClusters',
      actions: ['rds:DescribeDBInstances'],
      resources: ['*'],
    }),
    new PolicyStatement({
      sid: 'TakeSnapshotsOfTheAccountsClusters',
      actions: ['rds:CreateDBClusterSnapshot'],
      resources: [clusters, snapshots],
    }),
    new PolicyStatement({
      // Tags are given in the create and copy calls (atomic), which RDS authorizes as AddTagsToResource;
      // the tool also records a completed share as a tag. The tool's marks: toolMarksStatements.
      sid: 'TagSnapshots',
      actions: ['rds:AddTagsToResource'],
      resources: [snapshots],
    }),
    ...toolMarksStatements(),
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
    ...toolMarksStatements(),
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
    copySharedStatement(),
    findTheCopiesKeyStatement(),
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

/**
 * kms:DescribeKey (metadata only) on this account's keys of this region: KmsKeyDestination may name its key by
 * an alias (alias/<name>, that alias here), which the copy job looks up before it copies (the key ARN it
 * finds is what IAM authorizes, as for any request naming a key by alias).
 */
export function findTheCopiesKeyStatement(): PolicyStatement {
  return new PolicyStatement({
    sid: 'FindTheKeyOfTheCopies',
    actions: ['kms:DescribeKey'],
    resources: [`arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`],
  });
}

/**
 * What RDS does with a key on the caller's behalf when it copies, re-encrypts or shares a snapshot
 * (the caller's own calls are only DescribeKey, above); CreateGrant is separate, for AWS resources only.
 */
export const KMS_THROUGH_RDS_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
] as const;

/**
 * The source role's actions that write snapshots or use keys: what {@link onlyInRegionsStatement} confines
 * to the configured regions. Listing stays allowed anywhere (it reads, and RDS takes no narrower resource).
 */
export const REGION_SCOPED_ACTIONS = [
  'rds:CreateDBClusterSnapshot',
  'rds:CopyDBClusterSnapshot',
  'rds:AddTagsToResource',
  'rds:ModifyDBClusterSnapshotAttribute',
  'rds:DeleteDBClusterSnapshot',
  ...KMS_THROUGH_RDS_ACTIONS,
  'kms:CreateGrant',
] as const;

/**
 * Denies the source role every snapshot write and key use outside `regions` (the role's own region and
 * the destination regions), on top of its region-wildcard `Allow`s: the shared role serves every cluster
 * stack of the account and region, so its `Allow`s name no region, and this statement, when the regions
 * are known, takes the others away. NotResource patterns name the region only (any partition, any account:
 * the `Allow`s already hold the account).
 *
 * @param regions concrete region names, or a CloudFormation list (a token) of them
 */
export function onlyInRegionsStatement(regions: readonly string[]): PolicyStatement {
  const services = ['rds', 'kms'] as const;
  const notResources = Token.isUnresolved(regions as string[])
    ? Token.asList(
        Fn.split(
          ',',
          Fn.join(
            ',',
            services.map((service) =>
              Fn.join('', [
                `arn:*:${service}:`,
                Fn.join(`:*:*,arn:*:${service}:`, regions as string[]),
                ':*:*',
              ]),
            ),
          ),
        ),
      )
    : services.flatMap((service) => regions.map((region) => `arn:*:${service}:${region}:*:*`));
  return new PolicyStatement({
    sid: 'OnlyInTheConfiguredRegions',
    effect: Effect.DENY,
    actions: [...REGION_SCOPED_ACTIONS],
    notResources,
  });
}

/**
 * `rds.<region>.<URL suffix>` of any region of the stack's partition (`amazonaws.com`, or
 * `amazonaws.com.cn` in China): the kms:ViaService value of calls RDS makes for the caller.
 */
export function rdsViaService(): string {
  return `rds.*.${Aws.URL_SUFFIX}`;
}

/**
 * Keys used only through RDS, by this account's principals, with grants only for AWS resources. The
 * role is shared by every cluster of the account and region: it names no key, so a cluster under its own
 * customer managed key (named nowhere in the configuration) is copied as one under KmsKeySource, and no
 * per-cluster stack has to write to the role. The key's own policy still decides who may use it.
 *
 * @param keys the keys' ARN pattern: the account's keys (source), or this region's keys of any account
 *   (destination: a snapshot shared by SourceAccount is encrypted with that account's key, whose policy
 *   must allow this account)
 */
export function keysThroughRdsStatements(keys: string): PolicyStatement[] {
  const throughRds = {
    StringLike: { 'kms:ViaService': rdsViaService() },
    StringEquals: { 'kms:CallerAccount': Aws.ACCOUNT_ID },
  };
  return [
    new PolicyStatement({
      sid: 'UseKeysOnlyThroughRds',
      actions: [...KMS_THROUGH_RDS_ACTIONS],
      resources: [keys],
      conditions: throughRds,
    }),
    grantsOnlyForRdsResources(keys, throughRds),
  ];
}

/**
 * kms:CreateGrant on `keys` under the conditions that keep their use to RDS (`throughRds`: kms:ViaService and
 * kms:CallerAccount), and only for AWS resources: RDS creates grants to use a key for the snapshot or
 * cluster it works on.
 */
export function grantsOnlyForRdsResources(
  keys: string,
  throughRds: Readonly<Record<string, Readonly<Record<string, string>>>>,
): PolicyStatement {
  return new PolicyStatement({
    sid: 'GrantsOnlyForRdsResources',
    actions: ['kms:CreateGrant'],
    resources: [keys],
    conditions: { ...throughRds, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  });
}

/** The source's keys: this account's, in any region (copies to DestinationRegion use a key there). */
export function sourceKeysArn(): string {
  return `arn:${Aws.PARTITION}:kms:*:${Aws.ACCOUNT_ID}:key/*`;
}

/** The destination's keys: this region's keys of any account (its own, and SourceAccount's). */
export function destinationKeysArn(): string {
  return `arn:${Aws.PARTITION}:kms:${Aws.REGION}:*:key/*`;
}

/**
 * Copying a snapshot another account shared with this one: RDS authorizes the copy on the source
 * snapshot's ARN too. The sharing account decides what is shared (ModifyDBClusterSnapshotAttribute); the
 * destination job copies only SourceAccount's snapshots.
 */
export function copySharedStatement(): PolicyStatement {
  return new PolicyStatement({
    sid: 'CopySnapshotsSharedWithTheAccount',
    actions: ['rds:CopyDBClusterSnapshot'],
    resources: [`arn:${Aws.PARTITION}:rds:${Aws.REGION}:*:cluster-snapshot:*`],
  });
}

/**
 * The documented prefix of the tool's state machine names, per side: the schedules' role may start only
 * these, so no cluster stack has to write a policy to the shared role. A cluster stack names its machine
 * `<prefix><stack id>-<construct hash>` (unique per stack and per construct, at most 80 characters).
 */
export const STATE_MACHINE_PREFIX = {
  source: 'AuroraSnapshotTool-Source-',
  destination: 'AuroraSnapshotTool-Destination-',
  drill: 'AuroraSnapshotTool-RestoreDrill-',
} as const;

export type Side = keyof typeof STATE_MACHINE_PREFIX;

/** The schedules start only the tool's state machines of their side, in this account and region. */
export function startToolStateMachinesStatement(side: Side): PolicyStatement {
  return new PolicyStatement({
    sid: 'StartOnlyTheToolsStateMachines',
    actions: ['states:StartExecution'],
    resources: [
      `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${STATE_MACHINE_PREFIX[side]}*`,
    ],
  });
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

/**
 * The statements the key that encrypts the snapshots shared with `account` must have in its key policy,
 * as AWS documents for sharing encrypted snapshots: use of the key by that account, and grants only for
 * AWS resources (RDS makes its own grant when it copies). That account's IAM policies then decide which of
 * its principals may use the key (the destination role: only through RDS).
 */
export function sharedKeyPolicyStatements(account: string): PolicyStatement[] {
  const principal = new ArnPrincipal(`arn:${Aws.PARTITION}:iam::${account}:root`);
  return [
    new PolicyStatement({
      sid: 'AuroraSnapshotToolDestinationUsesTheKey',
      principals: [principal],
      actions: [...KMS_THROUGH_RDS_ACTIONS],
      resources: ['*'],
    }),
    new PolicyStatement({
      sid: 'AuroraSnapshotToolDestinationGrantsForRds',
      principals: [principal],
      actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}

/** `arn:<partition>:s3:::<bucket>`, and its objects under `key` (a pattern). */
function s3Arn(bucket: string, key?: string): string {
  return `arn:${Aws.PARTITION}:s3:::${bucket}${key === undefined ? '' : `/${key}`}`;
}

/**
 * The source functions leave the shape of what they share with a vault account in that account's shapes
 * bucket (src/core/model/shape-carrier.ts): a put only, only under their own account's prefix, and only into
 * a bucket the vault accounts own (`s3:ResourceAccount`: S3 names are global, and a bucket of that name owned
 * by anyone else is refused, as the put's ExpectedBucketOwner also asks).
 */
export function deliverShapesStatement(vaultAccounts: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    sid: 'LeaveShapesInTheVaultsBuckets',
    actions: ['s3:PutObject'],
    resources: [s3Arn(`${SHAPE_BUCKET_PREFIX}*`, `${SHAPE_KEY_PREFIX}${Aws.ACCOUNT_ID}/*`)],
    conditions: { StringEquals: { 's3:ResourceAccount': vaultAccounts } },
  });
}

/** The vault's own shapes bucket in this region (the same name the source side computes). */
export function shapesBucketName(): string {
  return shapeBucketName(Aws.ACCOUNT_ID, Aws.REGION);
}

/** The destination functions read the shapes left in their own account's bucket, nothing else of it. */
export function collectShapesStatements(): PolicyStatement[] {
  const own = { StringEquals: { 's3:ResourceAccount': Aws.ACCOUNT_ID } };
  return [
    new PolicyStatement({
      sid: 'ReadTheShapesLeftForThisAccount',
      actions: ['s3:GetObject'],
      resources: [s3Arn(shapesBucketName(), `${SHAPE_KEY_PREFIX}*`)],
      conditions: own,
    }),
    new PolicyStatement({
      // Without it S3 answers a missing shape with AccessDenied instead of NoSuchKey.
      sid: 'TellAMissingShapeFromARefusal',
      actions: ['s3:ListBucket'],
      resources: [s3Arn(shapesBucketName())],
      conditions: own,
    }),
  ];
}

/** Who may leave shapes in a vault's shapes bucket: listed accounts, or every account of an organization. */
export type ShapeWriters =
  | { readonly accounts: readonly string[] }
  | { readonly organizationId: string; readonly vaultAccount: string };

/**
 * The shapes bucket's policy: each source account may put objects under its own account's prefix, and nothing
 * else: no read, no delete, no version or policy change (a Deny, whatever the vault adds later); every request
 * over TLS. `accounts` may be a CloudFormation list token. For an organization the writers are every principal
 * whose account is in it (`aws:PrincipalOrgID`, which S3 evaluates in bucket policies for IAM principals), less
 * the vault's own account, whose principals the vault's IAM governs.
 */
export function shapesBucketPolicy(bucketArn: string, writers: ShapeWriters): Record<string, unknown> {
  const bucket = bucketArn;
  const objects = `${bucketArn}/*`;
  const who =
    'accounts' in writers
      ? { Principal: { AWS: writers.accounts } }
      : {
          Principal: { AWS: '*' },
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': writers.organizationId },
            StringNotEquals: { 'aws:PrincipalAccount': writers.vaultAccount },
          },
        };
  const label = 'accounts' in writers ? 'SourceAccounts' : 'OrganizationAccounts';
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OnlyOverTls',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [bucket, objects],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: `${label}LeaveShapesUnderTheirOwnPrefix`,
        Effect: 'Allow',
        ...who,
        Action: 's3:PutObject',
        Resource: `${bucketArn}/${SHAPE_KEY_PREFIX}\${aws:PrincipalAccount}/*`,
      },
      {
        Sid: `${label}NothingElse`,
        Effect: 'Deny',
        ...who,
        NotAction: 's3:PutObject',
        Resource: [bucket, objects],
      },
    ],
  };
}

/**
 * A vault for a whole organization: its functions may copy only snapshots, and use only keys, owned by an
 * account of the organization or by the vault's own account. Denies, so no later grant widens them; IAM
 * evaluates `aws:ResourceOrgID` (the organization of the resource's owner, absent when the owner is in none)
 * on the source snapshot of CopyDBClusterSnapshot and on the KMS key RDS uses for the caller.
 */
export function onlyTheOrganizationStatements(organizationId: string): PolicyStatement[] {
  const outside = {
    StringNotEquals: { 'aws:ResourceOrgID': organizationId, 'aws:ResourceAccount': Aws.ACCOUNT_ID },
  };
  return [
    new PolicyStatement({
      sid: 'CopyOnlySnapshotsOfTheOrganization',
      effect: Effect.DENY,
      actions: ['rds:CopyDBClusterSnapshot'],
      resources: [`arn:${Aws.PARTITION}:rds:*:*:cluster-snapshot:*`],
      conditions: outside,
    }),
    new PolicyStatement({
      sid: 'UseOnlyKeysOfTheOrganization',
      effect: Effect.DENY,
      actions: [...KMS_THROUGH_RDS_ACTIONS, 'kms:CreateGrant'],
      resources: [`arn:${Aws.PARTITION}:kms:*:*:key/*`],
      conditions: outside,
    }),
  ];
}
