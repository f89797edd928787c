/**
 * Every SDK client class the product depends on. aws-sdk-client-mock's `mockClient(RDSClient)` replaces the
 * class's `send` for every instance: a file that does not `.restore()` it answers every later file of its worker
 * with nothing (vitest.config.ts: isolate false). test/support/setup.ts puts each back after every file and
 * fails the file that left one; test/unit/test-environment.test.ts keeps this list equal to package.json's.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';

/** Package name -> its client class. */
export const MOCKABLE_CLIENTS = {
  '@aws-sdk/client-cloudformation': CloudFormationClient,
  '@aws-sdk/client-ec2': EC2Client,
  '@aws-sdk/client-eventbridge': EventBridgeClient,
  '@aws-sdk/client-iam': IAMClient,
  '@aws-sdk/client-kms': KMSClient,
  '@aws-sdk/client-organizations': OrganizationsClient,
  '@aws-sdk/client-rds': RDSClient,
  '@aws-sdk/client-s3': S3Client,
  '@aws-sdk/client-sts': STSClient,
} as const;

/** Puts back every class-wide mock left in place; returns the names of the classes that had one. */
export function restoreClassMocks(): string[] {
  const left: string[] = [];
  for (const client of Object.values(MOCKABLE_CLIENTS)) {
    const send = client.prototype.send as { restore?: () => void };
    if (typeof send.restore === 'function') {
      send.restore();
      left.push(client.name);
    }
  }
  return left;
}
