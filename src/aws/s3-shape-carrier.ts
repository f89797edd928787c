/**
 * The ShapeCarrier over S3 (src/core/model/shape-carrier.ts): the source side puts a shared snapshot's shape
 * tags in the vault's shapes bucket, the vault gets them from its own. Both calls name the account that must
 * own the bucket (ExpectedBucketOwner): S3 names are global, and a bucket of that name owned by anyone else
 * is refused by S3 before any byte is written or read.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ShapeCarrier } from '../core/model/ports.js';
import {
  MAX_SHAPE_OBJECT_BYTES,
  shapeBucketName,
  shapeObjectBody,
  shapeObjectKey,
} from '../core/model/shape-carrier.js';
import { type AwsClientOptions, actAsAccount, clientConfig } from './clients.js';
import { awsErrorCode, translateAwsError } from './errors.js';

export interface S3ShapeCarrierOptions extends Omit<AwsClientOptions, 'region'> {
  /** The account the credentials act as (STS, as the snapshot stores know it): the vault reads only its own bucket. */
  readonly ownAccount: (region: string) => Promise<string>;
}

/** The S3 client of a region: path-style addressing on an emulator (moto), virtual-hosted on AWS. */
export function buildS3Client(options: AwsClientOptions): S3Client {
  const { common, strategy } = clientConfig(options);
  return actAsAccount(
    new S3Client({
      ...common,
      ...strategy(),
      ...(options.endpoint === undefined ? {} : { forcePathStyle: true }),
    }),
    options.accountId,
  );
}

/** Codes S3 gives a key that is not there (a bucket without it, or a range past an empty object). */
const NO_OBJECT = new Set(['NoSuchKey', 'NotFound']);

export class S3ShapeCarrier implements ShapeCarrier {
  private readonly clients = new Map<string, S3Client>();

  constructor(private readonly options: S3ShapeCarrierOptions) {}

  private client(region: string): S3Client {
    let client = this.clients.get(region);
    if (!client) {
      const { ownAccount: _own, ...options } = this.options;
      client = buildS3Client({ ...options, region });
      this.clients.set(region, client);
    }
    return client;
  }

  async deliver(input: Parameters<ShapeCarrier['deliver']>[0]): Promise<void> {
    const bucket = shapeBucketName(input.vaultAccount, input.region);
    try {
      await this.client(input.region).send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: shapeObjectKey(input.sourceAccount, input.snapshotId),
          Body: shapeObjectBody(input.shapeTags),
          ContentType: 'application/json',
          ExpectedBucketOwner: input.vaultAccount,
        }),
      );
    } catch (error) {
      throw translateAwsError(error, {
        operation: 'PutObject',
        service: 's3',
        region: input.region,
        snapshotId: input.snapshotId,
        accountId: input.vaultAccount,
        endpoint: this.options.endpoint,
      });
    }
  }

  async collect(input: Parameters<ShapeCarrier['collect']>[0]): Promise<string | undefined> {
    const own = await this.options.ownAccount(input.region);
    try {
      const output = await this.client(input.region).send(
        new GetObjectCommand({
          Bucket: shapeBucketName(own, input.region),
          Key: shapeObjectKey(input.sourceAccount, input.snapshotId),
          ExpectedBucketOwner: own,
          // One byte more than a shape may hold: a larger object is refused without being read whole.
          Range: `bytes=0-${MAX_SHAPE_OBJECT_BYTES}`,
        }),
      );
      return (await output.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      const code = awsErrorCode(error);
      if (code !== undefined && NO_OBJECT.has(code)) return undefined;
      if (code === 'InvalidRange') return '';
      throw translateAwsError(error, {
        operation: 'GetObject',
        service: 's3',
        region: input.region,
        snapshotId: input.snapshotId,
        accountId: input.sourceAccount,
        endpoint: this.options.endpoint,
      });
    }
  }
}
