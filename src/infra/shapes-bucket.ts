/**
 * A vault account's shapes bucket in its region (docs/vault-account.md): where the source accounts leave the
 * shape of each snapshot they share with it, since the vault cannot read a shared snapshot's tags. Named
 * after the account and region, so the source side finds it without a parameter; one per account and region,
 * beside the destination functions. Encrypted, private, versioned, owned objects, TLS only; the source
 * accounts may only put objects under their own prefix; the destination functions may only read them.
 */
import { Aws, CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, Policy } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  CfnBucketPolicy,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';
import { collectShapesStatements, shapesBucketName, shapesBucketPolicy } from './policies.js';

export interface ShapesBucketProps {
  /**
   * Accounts whose source functions share snapshots with this account (a CloudFormation list token is accepted).
   * @default none: give `organizationId`
   */
  readonly sourceAccounts?: readonly string[];
  /**
   * A vault for a whole organization: every account of it may put (`aws:PrincipalOrgID`), instead of a list.
   * @default none: `sourceAccounts` only
   */
  readonly organizationId?: string;
  /** The destination functions' role, which reads the shapes. */
  readonly reader: IRole;
}

export class ShapesBucket extends Construct {
  readonly bucket: Bucket;
  readonly bucketPolicy: CfnBucketPolicy;
  /** The reader's permission, a policy of its own so it can be left out with the bucket. */
  readonly readPolicy: Policy;

  constructor(scope: Construct, id: string, props: ShapesBucketProps) {
    super(scope, id);
    if (props.organizationId === undefined && props.sourceAccounts === undefined) {
      throw new Error(
        'ShapesBucket needs sourceAccounts or organizationId: the accounts that put shapes into it',
      );
    }
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: shapesBucketName(),
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      // The objects the source accounts put belong to this account: no ACL gives a writer a hold on them.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The vault keeps what it was given, even when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucketPolicy = new CfnBucketPolicy(this, 'Policy', {
      bucket: this.bucket.bucketName,
      policyDocument: shapesBucketPolicy(
        this.bucket.bucketArn,
        props.organizationId === undefined
          ? { accounts: props.sourceAccounts ?? [] }
          : { organizationId: props.organizationId, vaultAccount: Aws.ACCOUNT_ID },
      ),
    });
    this.readPolicy = new Policy(this, 'ReadShapes', {
      policyName: 'ReadTheShapesLeftForThisAccount',
      roles: [props.reader],
      statements: collectShapesStatements(),
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      [],
      'The bucket holds small copies of tags, written by the source accounts the policy names and read by the destination functions; CloudTrail records those calls. A server access log bucket would be one more bucket to protect.',
    );
    acknowledge(
      this.readPolicy,
      'AwsSolutions-IAM5',
      [
        'Resource::arn:<AWS::Partition>:s3:::aurora-snapshot-tool-shapes-<AWS::AccountId>-<AWS::Region>/shapes/*',
      ],
      "One object per shared snapshot, named after it: the functions read any shape left in this account's own bucket (s3:ResourceAccount), nothing else.",
    );
  }

  /** Its CloudFormation resources, for a template that makes them all conditional. */
  cfnResources(): CfnResource[] {
    return this.node.findAll().filter((c): c is CfnResource => c instanceof CfnResource);
  }
}
