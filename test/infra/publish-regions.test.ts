// publish --regions on moto: the bundles in the bucket of each region, the organization's read access in each
// bucket's policy, and every option refused before anything is uploaded.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  GetBucketPolicyCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeBucketIn, ORGANIZATION_READ_SID } from '../../src/aws/publish.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { runCli } from '../support/cli.js';
import { type MotoServer, startMoto } from '../support/moto.js';

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const PATTERN = 'acme-tool-{region}';
const ORGANIZATION = 'o-abcd123456';

let moto: MotoServer;
let dir: string;

beforeAll(async () => {
  moto = await startMoto();
  dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), `bundle of ${name}`);
});
afterAll(async () => moto.stop());
beforeEach(async () => moto.reset());

function s3In(region: string): S3Client {
  return new S3Client({
    region,
    endpoint: moto.endpoint,
    credentials: moto.credentials,
    forcePathStyle: true,
  });
}

async function createBuckets(regions: readonly string[]): Promise<void> {
  for (const region of regions) {
    const s3 = s3In(region);
    await s3.send(
      new CreateBucketCommand({
        Bucket: codeBucketIn(PATTERN, region),
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
    s3.destroy();
  }
}

async function keysIn(region: string): Promise<string[]> {
  const s3 = s3In(region);
  const answer = await s3.send(new ListObjectsV2Command({ Bucket: codeBucketIn(PATTERN, region) }));
  s3.destroy();
  return (answer.Contents ?? []).map((o) => o.Key ?? '').sort();
}

const publish = (...args: string[]) =>
  runCli(['publish', '--dir', dir, '--bucket', PATTERN, ...args], { ...process.env, ...moto.env });

describe('publish --regions', () => {
  it("uploads every bundle to each region's bucket and lets the organization read them", async () => {
    // Prepare
    await createBuckets(REGIONS);
    // Act
    const run = await publish(
      '--regions',
      REGIONS.join(','),
      '--prefix',
      'v1',
      '--organization-id',
      ORGANIZATION,
      '--json',
    );
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const expected = ALL_FUNCTIONS.map((name) => `v1/${name}.zip`).sort();
    for (const region of REGIONS) expect(await keysIn(region)).toEqual(expected);
    const s3 = s3In('eu-west-1');
    const policy = JSON.parse(
      (await s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-tool-eu-west-1' }))).Policy ?? '{}',
    ) as unknown;
    s3.destroy();
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: ORGANIZATION_READ_SID,
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::acme-tool-eu-west-1/v1/*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION } },
        },
      ],
    });
    const result = JSON.parse(run.stdout) as { regions: { region: string; bucket: string }[] };
    expect(result.regions.map((r) => [r.region, r.bucket])).toEqual([
      ['us-east-1', 'acme-tool-us-east-1'],
      ['eu-west-1', 'acme-tool-eu-west-1'],
    ]);
  });

  it("leaves a bucket's policy alone without --organization-id", async () => {
    // Prepare
    await createBuckets(['eu-west-1']);
    // Act
    const run = await publish('--regions', 'eu-west-1');
    // Assess
    expect(run.code).toBe(0);
    const s3 = s3In('eu-west-1');
    const error = await s3
      .send(new GetBucketPolicyCommand({ Bucket: 'acme-tool-eu-west-1' }))
      .catch((e) => e);
    s3.destroy();
    expect((error as Error).name).toBe('NoSuchBucketPolicy');
  });

  it("names a region's missing bucket before uploading to any", async () => {
    // Prepare
    await createBuckets(['us-east-1']);
    // Act
    const run = await publish('--regions', REGIONS.join(','));
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--bucket: does not exist (region eu-west-1) (got "acme-tool-eu-west-1")');
    expect(await keysIn('us-east-1')).toEqual([]);
  });

  it.each([
    [
      ['--regions', 'us-east-1,eu-west-1', '--bucket', 'acme-tool'],
      '--bucket: must contain {region} with more than one region (such as \'acme-tool-{region}\'): Lambda reads code only from a bucket of its own region (got "acme-tool")',
    ],
    [
      ['--regions', 'us-east-1,us-east-1'],
      '--regions: names us-east-1 more than once (got "us-east-1,us-east-1")',
    ],
    [
      ['--regions', 'us-east-1', '--organization-id', 'org-1'],
      '--organization-id: must be an organization id such as o-abcd123456 (aws organizations describe-organization) (got "org-1")',
    ],
    [
      ['--organization-id', ORGANIZATION],
      '--organization-id: is taken with --regions (the buckets of each region it publishes to) (got "o-abcd123456")',
    ],
  ])('refuses %j with a message naming the option and what is accepted', async (args, message) => {
    // Act
    const run = await publish(...args);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
