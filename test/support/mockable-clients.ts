/**
 * Every SDK client class the product depends on, by package and export name. aws-sdk-client-mock's
 * `mockClient(RDSClient)` replaces the class's `send` for every instance: a file that does not `.restore()` it
 * answers every later file of its worker with nothing (vitest.config.ts: isolate false). test/support/setup.ts
 * puts each back after every file and fails the file that left one; test/unit/test-environment.test.ts keeps
 * this list equal to package.json's.
 */
import { hasLoadedPackage } from './loaded-modules.js';

/** Package name -> the name of its client class. */
export const MOCKABLE_CLIENTS = {
  '@aws-sdk/client-cloudformation': 'CloudFormationClient',
  '@aws-sdk/client-ec2': 'EC2Client',
  '@aws-sdk/client-eventbridge': 'EventBridgeClient',
  '@aws-sdk/client-iam': 'IAMClient',
  '@aws-sdk/client-kms': 'KMSClient',
  '@aws-sdk/client-organizations': 'OrganizationsClient',
  '@aws-sdk/client-rds': 'RDSClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-sts': 'STSClient',
} as const;

type Send = { restore?: () => void };

/**
 * Puts back every class-wide mock left in place; returns the names of the classes that had one. Only the
 * packages the worker loaded are looked at: a class no module imported cannot have been mocked.
 */
export async function restoreClassMocks(): Promise<string[]> {
  const left: string[] = [];
  for (const [name, className] of Object.entries(MOCKABLE_CLIENTS)) {
    if (!hasLoadedPackage(name)) {
      continue;
    }
    const client = ((await import(name)) as Record<string, { prototype: { send: Send } }>)[className];
    const send = client?.prototype.send;
    if (typeof send?.restore === 'function') {
      send.restore();
      left.push(className);
    }
  }
  return left;
}
