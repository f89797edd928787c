// The S3 shapes carrier on moto: what a put leaves, and what a read answers for an object that is not there, a
// bucket that is not there, and an object larger than a shape.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildS3Client, S3ShapeCarrier } from '../../src/aws/s3-shape-carrier.js';
import { isToolError } from '../../src/core/model/errors.js';
import {
  MAX_SHAPE_OBJECT_BYTES,
  shapeBucketName,
  shapeObjectKey,
} from '../../src/core/model/shape-carrier.js';
import { MOTO_CREDENTIALS, type MotoServer, startMoto } from '../support/moto.js';
import { rejection } from '../support/rejection.js';

const REGION = 'eu-west-1';
const PRODUCTION = '111122223333';
const VAULT = '999988887777';
const SNAPSHOT = 'prod-db-2026-03-04-05-06';
const TAGS = { 'SnapshotTool:Shape': 'v1 parts=1 check=abc', 'SnapshotTool:Shape:1': 'eyJ9' };

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
});

const options = (account: string) => ({
  endpoint: moto.endpoint,
  accountId: account,
  credentials: MOTO_CREDENTIALS,
  maxAttempts: 2,
  retryBaseDelayMs: 1,
});
const carrierAs = (account: string) =>
  new S3ShapeCarrier({ ...options(account), ownAccount: async () => account });
const s3As = (account: string) => buildS3Client({ ...options(account), region: REGION });

async function vaultBucket(): Promise<void> {
  await s3As(VAULT).send(
    new CreateBucketCommand({
      Bucket: shapeBucketName(VAULT, REGION),
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
}

describe('S3ShapeCarrier', () => {
  it('puts the shape tags where the vault reads them back, as the same text', async () => {
    // Prepare
    await vaultBucket();

    // Act
    await carrierAs(PRODUCTION).deliver({
      region: REGION,
      vaultAccount: VAULT,
      sourceAccount: PRODUCTION,
      snapshotId: SNAPSHOT,
      shapeTags: TAGS,
    });
    const read = await carrierAs(VAULT).collect({
      region: REGION,
      sourceAccount: PRODUCTION,
      snapshotId: SNAPSHOT,
    });

    // Assess
    expect(read).toBe(JSON.stringify(TAGS));
  });

  it('reads nothing, without an error, when no shape was left for the snapshot', async () => {
    // Prepare
    await vaultBucket();

    // Act
    const read = await carrierAs(VAULT).collect({
      region: REGION,
      sourceAccount: PRODUCTION,
      snapshotId: SNAPSHOT,
    });

    // Assess
    expect(read).toBeUndefined();
  });

  it('fails with a ToolError naming the call when the vault has no bucket, for a put and for a read', async () => {
    // Act
    const put = await rejection(
      carrierAs(PRODUCTION).deliver({
        region: REGION,
        vaultAccount: VAULT,
        sourceAccount: PRODUCTION,
        snapshotId: SNAPSHOT,
        shapeTags: TAGS,
      }),
    );
    const get = await rejection(
      carrierAs(VAULT).collect({ region: REGION, sourceAccount: PRODUCTION, snapshotId: SNAPSHOT }),
    );

    // Assess
    expect(isToolError(put)).toBe(true);
    expect(put.message).toContain(`PutObject failed in ${REGION} for snapshot ${SNAPSHOT}`);
    expect(put.message).toContain('NoSuchBucket');
    expect(isToolError(get)).toBe(true);
    expect(get.message).toContain('GetObject');
  });

  it('reads at most one byte more than a shape may hold', async () => {
    // Prepare
    await vaultBucket();
    await s3As(VAULT).send(
      new PutObjectCommand({
        Bucket: shapeBucketName(VAULT, REGION),
        Key: shapeObjectKey(PRODUCTION, SNAPSHOT),
        Body: 'x'.repeat(MAX_SHAPE_OBJECT_BYTES * 4),
      }),
    );

    // Act
    const read = await carrierAs(VAULT).collect({
      region: REGION,
      sourceAccount: PRODUCTION,
      snapshotId: SNAPSHOT,
    });

    // Assess
    expect(read?.length).toBe(MAX_SHAPE_OBJECT_BYTES + 1);
  });
});
