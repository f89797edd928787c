// moto's CloudFormation for a test file of the templates: the worker's moto server, a CloudFormation client, and a
// code bucket holding a stand-in for each function's bundle, where the lambdas templates read them (CodeBucket).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { type BucketLocationConstraint, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { publishBundles } from '../../../src/aws/publish.js';
import { ALL_FUNCTIONS } from '../../../src/handlers/names.js';
import { type MotoServer, startMoto } from '../../support/moto.js';
import { ready } from '../../support/moto-fixture.js';

/** What an SDK client of the file needs to talk to moto. */
export interface MotoClientConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: MotoServer['credentials'];
}

export interface MotoCloudFormation {
  readonly moto: MotoServer;
  /** The region, moto's endpoint and credentials, for the file's other clients. */
  readonly config: MotoClientConfig;
  /** CloudFormation in the region. */
  readonly cfn: CloudFormationClient;
  /** Directory of the stand-in bundles, `<FunctionName>.zip` each. */
  readonly bundles: string;
  /** Creates a code bucket in a region and publishes the bundles to it (at the root). */
  codeBucket(bucket: string, region: string): Promise<void>;
  /** The stack once moto's CloudFormation no longer reports it in progress. */
  settled(stackName: string, client?: CloudFormationClient): Promise<Stack | undefined>;
}

export interface MotoCloudFormationOptions {
  readonly region: string;
  /** The code bucket, created in the region before the file's tests. */
  readonly bucket: string;
  /** Publish the bundles to the bucket before the file's tests (false: a test does). @default true */
  readonly publish?: boolean;
}

/** Registers the file's hooks (call it at the top of the file or of a describe); the fields are set once `beforeAll` ran. */
export function useMotoCloudFormation(options: MotoCloudFormationOptions): MotoCloudFormation {
  let moto: MotoServer | undefined;
  let cfn: CloudFormationClient | undefined;
  let bundles: string | undefined;
  const configIn = (region: string): MotoClientConfig => {
    const server = ready(moto, 'moto');
    return { region, endpoint: server.endpoint, credentials: server.credentials };
  };

  const createBucket = async (bucket: string, region: string) => {
    const s3 = new S3Client({ ...configIn(region), forcePathStyle: true });
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
        }),
      );
    } finally {
      s3.destroy();
    }
  };
  const publish = (bucket: string, region: string) =>
    publishBundles({
      bucket,
      region,
      dir: ready(bundles, 'the bundles'),
      endpoint: ready(moto, 'moto').endpoint,
    });

  beforeAll(async () => {
    moto = await startMoto();
    cfn = new CloudFormationClient(configIn(options.region));
    await createBucket(options.bucket, options.region);
    bundles = mkdtempSync(join(tmpdir(), 'bundles-'));
    // Stand-ins for the zips `npm run package` builds: moto stores the code, it does not run it.
    for (const name of ALL_FUNCTIONS) writeFileSync(join(bundles, `${name}.zip`), `bundle of ${name}`);
    if (options.publish ?? true) await publish(options.bucket, options.region);
  });

  afterAll(async () => {
    cfn?.destroy();
    await moto?.stop();
  });

  return {
    get moto() {
      return ready(moto, 'moto');
    },
    get config() {
      return configIn(options.region);
    },
    get cfn() {
      return ready(cfn, 'the CloudFormation client');
    },
    get bundles() {
      return ready(bundles, 'the bundles');
    },
    async codeBucket(bucket, region) {
      await createBucket(bucket, region);
      await publish(bucket, region);
    },
    async settled(stackName, client = ready(cfn, 'the CloudFormation client')) {
      // moto creates synchronously; the loop only guards against an in-progress answer.
      for (let poll = 0; poll < 50; poll++) {
        const stack = (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
        if (!stack?.StackStatus?.endsWith('_IN_PROGRESS')) return stack;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${stackName} did not settle`);
    },
  };
}
