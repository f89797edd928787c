// publish without a server: prefixes, and AWS refusals turned into typed errors that say what to do.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { normalizePrefix, publishBundles } from '../../src/aws/publish.js';
import { ConfigError, ToolError } from '../../src/core/model/errors.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
// The mock replaces S3Client's prototype: the next file of the worker gets it back.
afterAll(() => s3.restore());

function bundles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), name);
  return dir;
}

function awsError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

describe('normalizePrefix', () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['releases/0.1.0', 'releases/0.1.0/'],
    ['/releases/0.1.0/', 'releases/0.1.0/'],
  ])("turns %j into %j, the form of the templates' CodePrefix", (prefix, expected) => {
    // Act / Assess
    expect(normalizePrefix(prefix)).toBe(expected);
  });

  it('refuses characters S3 keys of a template parameter would not carry', () => {
    // Act / Assess
    expect(() => normalizePrefix('a b/')).toThrow(ConfigError);
  });
});

describe('publishBundles', () => {
  it('checks the bucket once, then uploads each bundle as application/zip', async () => {
    // Prepare
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
    s3.on(PutObjectCommand).resolves({});
    // Act
    const published = await publishBundles({ bucket: 'code', region: 'eu-west-1', dir: bundles() });
    // Assess
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(1);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key)).toEqual(ALL_FUNCTIONS.map((n) => `${n}.zip`));
    expect(new Set(puts.map((p) => p.ContentType))).toEqual(new Set(['application/zip']));
    expect(published.map((p) => p.bytes)).toEqual(ALL_FUNCTIONS.map((n) => n.length));
  });

  it('says AccessDenied when the caller may not reach the bucket, before uploading anything', async () => {
    // Prepare
    s3.on(HeadBucketCommand).rejects(awsError('Forbidden', 403));
    // Act
    const error = await publishBundles({ bucket: 'code', region: 'eu-west-1', dir: bundles() }).catch(
      (e) => e,
    );
    // Assess
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).name).toBe('AccessDenied');
    expect((error as ToolError).message).toMatch(/s3:PutObject/);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('names the key whose upload failed', async () => {
    // Prepare
    s3.on(HeadBucketCommand).resolves({});
    s3.on(PutObjectCommand).rejects(awsError('InternalError', 500));
    // Act
    const error = await publishBundles({
      bucket: 'code',
      region: 'eu-west-1',
      dir: bundles(),
      prefix: 'v1',
    }).catch((e) => e);
    // Assess
    expect((error as ToolError).name).toBe('AwsRequestError');
    expect((error as ToolError).message).toContain(`s3://code/v1/${ALL_FUNCTIONS[0]}.zip`);
  });

  it('makes no AWS call for a bad bucket name or missing bundles', async () => {
    // Act
    const badName = await publishBundles({ bucket: 'UPPER', region: 'eu-west-1', dir: bundles() }).catch(
      (e) => e,
    );
    const missing = await publishBundles({ bucket: 'code', region: 'eu-west-1', dir: tmpdir() }).catch(
      (e) => e,
    );
    // Assess
    expect((badName as ConfigError).issues[0]?.parameter).toBe('--bucket');
    expect((missing as ConfigError).issues[0]?.message).toMatch(/npm run package/);
    expect(s3.calls()).toHaveLength(0);
  });
});
