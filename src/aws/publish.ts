/**
 * `aurora-snapshot-tool publish`: uploads the function bundles (`dist/lambda/<FunctionName>.zip`) to the
 * CodeBucket the lambdas templates read them from, at `<prefix><FunctionName>.zip`; with several regions, to
 * one bucket per region (a name with `{region}`), optionally readable by a whole organization.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadBucketCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ConfigError, ToolError } from '../core/model/errors.js';
import { ALL_FUNCTIONS } from '../handlers/names.js';
import { silenceNodeVersionWarning } from './clients.js';

export interface PublishOptions {
  /** The CodeBucket: an S3 bucket in the region of the functions (Lambda reads code only from there). */
  readonly bucket: string;
  /** Region of the bucket and of the functions. */
  readonly region: string;
  /** Directory of the bundles (`npm run package` writes dist/lambda). */
  readonly dir: string;
  /** Key prefix (the templates' CodePrefix); a slash is added when missing. @default none */
  readonly prefix?: string;
  /** Endpoint of an emulator (moto); path-style addressing is used with it. */
  readonly endpoint?: string;
}

/** The placeholder of a code bucket's name that stands for the region of the stack (or of the upload). */
export const CODE_BUCKET_REGION_PLACEHOLDER = '{region}';

/** The code bucket of `region`: the pattern with `{region}` replaced (a name without it is the name). */
export function codeBucketIn(pattern: string, region: string): string {
  return pattern.replaceAll(CODE_BUCKET_REGION_PLACEHOLDER, region);
}

/** The statement id of the organization's read access in a code bucket's policy. */
export const ORGANIZATION_READ_SID = 'OrganizationReadsBundles';

/**
 * The bucket policy that lets every principal of the organization read the bundles (and nobody else gets
 * anything from it): Lambda reads a function's code with the credentials of the one who deploys it, which a
 * StackSet does in each member account.
 */
export function organizationReadPolicy(bucket: string, prefix: string, organizationId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: ORGANIZATION_READ_SID,
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      },
    ],
  });
}

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

export interface PublishedBundle {
  readonly key: string;
  readonly bytes: number;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;

/** `releases/0.1.0` -> `releases/0.1.0/`; empty stays empty. Same rule as the templates' CodePrefix. */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!trimmed.split('/').every((segment) => PREFIX_SEGMENT.test(segment))) {
    throw new ConfigError([
      {
        parameter: '--prefix',
        value: prefix,
        message: "must be key segments of letters, digits and !_.*'()- separated by slashes",
      },
    ]);
  }
  return `${trimmed}/`;
}

async function readBundles(dir: string): Promise<{ name: string; body: Buffer }[]> {
  const bundles: { name: string; body: Buffer }[] = [];
  const missing: string[] = [];
  for (const name of ALL_FUNCTIONS) {
    try {
      bundles.push({ name, body: await readFile(join(dir, `${name}.zip`)) });
    } catch {
      missing.push(`${name}.zip`);
    }
  }
  if (missing.length > 0) {
    throw new ConfigError([
      {
        parameter: '--dir',
        value: dir,
        message:
          `lacks ${missing.join(', ')}: give --dir the directory of the function bundles (the published ` +
          'package ships them and uses them by default; in a checkout, `npm run package` builds them)',
      },
    ]);
  }
  return bundles;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** The bucket must exist, be reachable, and be in `region` (Lambda refuses code from another region). */
async function checkBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  let bucketRegion: string | undefined;
  try {
    bucketRegion = (await s3.send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) {
      throw new ConfigError([
        { parameter: '--bucket', value: bucket, message: `does not exist (region ${region})` },
      ]);
    }
    if (status === 403) {
      throw new ToolError(
        'AccessDenied',
        `access to bucket ${bucket} is denied: the caller needs s3:ListBucket and s3:PutObject on it`,
        {
          cause: error,
        },
      );
    }
    if (status === 301) {
      throw new ConfigError([
        { parameter: '--region', value: region, message: `is not the region of bucket ${bucket}` },
      ]);
    }
    throw new ToolError(
      'AwsRequestError',
      `bucket ${bucket} could not be checked: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (bucketRegion && bucketRegion !== region) {
    throw new ConfigError([
      {
        parameter: '--region',
        value: region,
        message: `must be the region of bucket ${bucket} (${bucketRegion}): Lambda reads code only from its own region`,
      },
    ]);
  }
}

/** Uploads every function bundle; returns the keys written, in the functions' order. */
export async function publishBundles(options: PublishOptions): Promise<PublishedBundle[]> {
  if (!BUCKET_NAME.test(options.bucket)) {
    throw new ConfigError([
      {
        parameter: '--bucket',
        value: options.bucket,
        message: 'must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens',
      },
    ]);
  }
  const prefix = normalizePrefix(options.prefix);
  const bundles = await readBundles(options.dir);
  silenceNodeVersionWarning();
  const s3 = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
  try {
    await checkBucket(s3, options.bucket, options.region);
    const published: PublishedBundle[] = [];
    for (const bundle of bundles) {
      const key = `${prefix}${bundle.name}.zip`;
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: key,
            Body: bundle.body,
            ContentType: 'application/zip',
          }),
        );
      } catch (error) {
        throw new ToolError(
          statusOf(error) === 403 ? 'AccessDenied' : 'AwsRequestError',
          `uploading s3://${options.bucket}/${key} failed: ${(error as Error).message}`,
          { cause: error, details: { bucket: options.bucket, key } },
        );
      }
      published.push({ key, bytes: bundle.body.length });
    }
    return published;
  } finally {
    s3.destroy();
  }
}

export interface RegionsPublishOptions extends Omit<PublishOptions, 'region' | 'bucket'> {
  /** The bucket name, with `{region}` for each region's bucket (required with more than one region). */
  readonly bucket: string;
  readonly regions: readonly string[];
  /** The organization (`o-...`) whose principals may read the bundles (a bucket policy); none: unchanged. */
  readonly organizationId?: string;
}

export interface RegionPublished {
  readonly region: string;
  readonly bucket: string;
  readonly uploaded: readonly PublishedBundle[];
  /** Whether the bucket's policy was set to the organization's read access. */
  readonly organizationPolicy: boolean;
}

/** Checks `--regions`, `--bucket` and `--organization-id` together, before anything is uploaded. */
function checkRegionsOptions(options: RegionsPublishOptions): void {
  const issues = [];
  if (options.regions.length === 0) {
    issues.push({ parameter: '--regions', value: '', message: 'must name at least one region' });
  }
  const repeated = options.regions.filter((r, i) => options.regions.indexOf(r) !== i);
  if (repeated.length > 0) {
    issues.push({
      parameter: '--regions',
      value: options.regions.join(','),
      message: `names ${[...new Set(repeated)].join(', ')} more than once`,
    });
  }
  if (options.regions.length > 1 && !options.bucket.includes(CODE_BUCKET_REGION_PLACEHOLDER)) {
    issues.push({
      parameter: '--bucket',
      value: options.bucket,
      message: `must contain ${CODE_BUCKET_REGION_PLACEHOLDER} with more than one region (such as 'acme-tool-${CODE_BUCKET_REGION_PLACEHOLDER}'): Lambda reads code only from a bucket of its own region`,
    });
  }
  if (options.bucket.split(CODE_BUCKET_REGION_PLACEHOLDER).length > 2) {
    issues.push({
      parameter: '--bucket',
      value: options.bucket,
      message: `must contain ${CODE_BUCKET_REGION_PLACEHOLDER} at most once, as the templates' CodeBucket does`,
    });
  }
  for (const region of options.regions) {
    const bucket = codeBucketIn(options.bucket, region);
    if (!BUCKET_NAME.test(bucket)) {
      issues.push({
        parameter: '--bucket',
        value: options.bucket,
        message: `must name an S3 bucket in each region (3-63 lowercase letters, digits, dots and hyphens); in ${region} it is ${bucket}`,
      });
      break;
    }
  }
  if (options.organizationId !== undefined && !ORGANIZATION_ID.test(options.organizationId)) {
    issues.push({
      parameter: '--organization-id',
      value: options.organizationId,
      message: 'must be an organization id such as o-abcd123456 (aws organizations describe-organization)',
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * Publishes the bundles to the bucket of each region, in turn; with `organizationId`, sets each bucket's
 * policy so that the organization may read them. Every option is checked before the first upload.
 */
export async function publishToRegions(options: RegionsPublishOptions): Promise<RegionPublished[]> {
  checkRegionsOptions(options);
  const prefix = normalizePrefix(options.prefix);
  await readBundles(options.dir);
  silenceNodeVersionWarning();
  for (const region of options.regions) {
    const s3 = new S3Client({
      region,
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    });
    try {
      await checkBucket(s3, codeBucketIn(options.bucket, region), region);
    } finally {
      s3.destroy();
    }
  }
  const published: RegionPublished[] = [];
  for (const region of options.regions) {
    const bucket = codeBucketIn(options.bucket, region);
    const uploaded = await publishBundles({ ...options, bucket, region });
    if (options.organizationId !== undefined) {
      await putOrganizationPolicy(bucket, region, prefix, options.organizationId, options.endpoint);
    }
    published.push({ region, bucket, uploaded, organizationPolicy: options.organizationId !== undefined });
  }
  return published;
}

async function putOrganizationPolicy(
  bucket: string,
  region: string,
  prefix: string,
  organizationId: string,
  endpoint: string | undefined,
): Promise<void> {
  const s3 = new S3Client({ region, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
  try {
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: organizationReadPolicy(bucket, prefix, organizationId),
      }),
    );
  } catch (error) {
    throw new ToolError(
      statusOf(error) === 403 ? 'AccessDenied' : 'AwsRequestError',
      `setting the policy of bucket ${bucket} (${region}) failed: ${(error as Error).message}${statusOf(error) === 403 ? ': the caller needs s3:PutBucketPolicy on it, and the account must allow bucket policies (S3 Block Public Access does not block a policy limited by aws:PrincipalOrgID)' : ''}`,
      { cause: error, details: { bucket, region } },
    );
  } finally {
    s3.destroy();
  }
}
