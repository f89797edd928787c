/**
 * `aurora-snapshot-tool publish`: uploads the function bundles (`dist/lambda/<FunctionName>.zip`) to the
 * CodeBucket the lambdas templates read them from, at `<prefix><FunctionName>.zip`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
