// Each AWS fault the adapter can meet becomes the typed error with a stable name, an actionable message, the cause and the context.
import {
  DescribeKeyCommand,
  DisabledException,
  KMSServiceException,
  NotFoundException,
} from '@aws-sdk/client-kms';
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DBClusterSnapshotNotFoundFault,
  DeleteDBClusterSnapshotCommand,
  DescribeAccountAttributesCommand,
  InvalidDBClusterSnapshotStateFault,
  KMSKeyNotAccessibleFault,
  ModifyDBClusterSnapshotAttributeCommand,
  RDSServiceException,
  SharedSnapshotQuotaExceededFault,
  SnapshotQuotaExceededFault,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  awsErrorCode,
  createSnapshotStore,
  isSnapshotQuotaError,
  type RdsSnapshotStore,
  translateAwsError,
} from '../../src/aws/index.js';
import { ToolError, type ToolErrorName } from '../../src/core/model/errors.js';
import { rejection } from '../support/rejection.js';

const REGION = 'eu-west-1';
const meta = (httpStatusCode: number, attempts = 1) => ({ httpStatusCode, attempts, requestId: 'r-1' });

function newStore(): RdsSnapshotStore {
  return createSnapshotStore({
    region: REGION,
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
  });
}

const copyInput = {
  sourceArn: 'arn:aws:rds:eu-central-1:123456789012:cluster-snapshot:prod-db-1',
  sourceRegion: 'eu-central-1',
  targetId: 'prod-db-1',
  kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k1',
  tags: {},
};

describe('RDS faults through the store', () => {
  const cases: readonly [string, Error, ToolErrorName, RegExp][] = [
    [
      'manual snapshot quota',
      new SnapshotQuotaExceededFault({
        message: 'Cannot create more than 100 manual snapshots',
        $metadata: meta(400),
      }),
      'SnapshotQuotaExceeded',
      /quota \(120\) is reached in eu-west-1: delete old snapshots or request a quota increase/,
    ],
    [
      'concurrent copy limit',
      new SnapshotQuotaExceededFault({
        message: 'Cannot copy more than 5 snapshots across regions',
        $metadata: meta(400),
      }),
      'CopyLimitReached',
      /too many cluster snapshot copies are in progress into eu-west-1 \(RDS allows 5 at a time\)/,
    ],
    [
      'existing snapshot',
      new DBClusterSnapshotAlreadyExistsFault({ message: 'exists', $metadata: meta(400) }),
      'SnapshotAlreadyExists',
      /snapshot prod-db-1 already exists in eu-west-1/,
    ],
    [
      'missing source snapshot',
      new DBClusterSnapshotNotFoundFault({ message: 'not found', $metadata: meta(404) }),
      'SnapshotNotFound',
      /snapshot prod-db-1 does not exist in eu-west-1/,
    ],
    [
      'source not available',
      new InvalidDBClusterSnapshotStateFault({ message: 'is not available', $metadata: meta(400) }),
      'SnapshotNotReady',
      /not in the available state in eu-west-1: retry when it is/,
    ],
    [
      'KMS key not accessible',
      new KMSKeyNotAccessibleFault({ message: 'key disabled', $metadata: meta(400) }),
      'KmsKeyNotAccessible',
      /KMS key arn:aws:kms:eu-west-1:123456789012:key\/k1 cannot be used in eu-west-1: check that it exists, is enabled/,
    ],
    [
      'throttling after retries',
      new RDSServiceException({
        name: 'Throttling',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: meta(400, 8),
      }),
      'ThrottlingError',
      /AWS throttled CopyDBClusterSnapshot in eu-west-1 after 8 attempts/,
    ],
    [
      'server fault after retries',
      new RDSServiceException({ name: 'InternalFailure', $fault: 'server', $metadata: meta(500, 8) }),
      'TransientAwsError',
      /CopyDBClusterSnapshot failed in eu-west-1 after 8 attempts with a transient AWS fault \(InternalFailure\)/,
    ],
    [
      'access denied',
      new RDSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'not authorized to perform rds:CopyDBClusterSnapshot',
        $metadata: meta(403),
      }),
      'AccessDenied',
      /credentials are valid but their role or user lacks rds:CopyDBClusterSnapshot; grant it/,
    ],
    [
      'anything else',
      new SharedSnapshotQuotaExceededFault({
        message: 'shared with too many accounts',
        $metadata: meta(400),
      }),
      'AwsRequestError',
      /CopyDBClusterSnapshot failed in eu-west-1 for snapshot prod-db-1: SharedSnapshotQuotaExceeded: shared with too many/,
    ],
  ];

  it.each(cases)('%s', async (_label, fault, name, message) => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rds).on(CopyDBClusterSnapshotCommand).rejects(fault);
    mockClient(store.clients.rdsProbe)
      .on(DescribeAccountAttributesCommand)
      .resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 120, Max: 120 }] });

    // Act
    const error = await rejection(store.copySnapshot(copyInput), ToolError);

    // Assess
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
    expect(error.cause).toBe(fault);
    expect(error.details).toMatchObject({
      operation: 'CopyDBClusterSnapshot',
      region: REGION,
      snapshotId: 'prod-db-1',
      sourceArn: copyInput.sourceArn,
      kmsKeyId: copyInput.kmsKeyId,
      requestId: 'r-1',
    });
  });

  describe("the 5-concurrent-copies limit, which RDS reports with the quota's code", () => {
    it('is recognised only from CopyDBClusterSnapshot: the same code and wording from a take is the quota', async () => {
      // Prepare
      const store = newStore();
      const fault = new SnapshotQuotaExceededFault({
        message: 'Cannot copy more than 5 snapshots across regions',
        $metadata: meta(400),
      });
      mockClient(store.clients.rds).on(CreateDBClusterSnapshotCommand).rejects(fault);
      mockClient(store.clients.rdsProbe)
        .on(DescribeAccountAttributesCommand)
        .resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 120, Max: 120 }] });

      // Act
      const error = await rejection(
        store.createSnapshot({ clusterId: 'prod-db', snapshotId: 'prod-db-1', tags: {} }),
        ToolError,
      );

      // Assess
      expect(error.name).toBe('SnapshotQuotaExceeded');
      expect(error.message).toContain('quota (120) is reached');
    });

    it('is never another code worded like it (a share quota naming copies)', () => {
      // Act
      const error = translateAwsError(
        new SharedSnapshotQuotaExceededFault({
          message: 'Cannot copy more than 5 snapshots across regions',
          $metadata: meta(400),
        }),
        { operation: 'CopyDBClusterSnapshot', region: REGION },
      );

      // Assess
      expect(error.name).toBe('AwsRequestError');
    });

    it("falls back on the quota for a copy refused with the code in other words (moto's, or a changed text)", () => {
      // Act
      const error = translateAwsError(
        new SnapshotQuotaExceededFault({
          message: 'The request cannot be processed because it would exceed the maximum number of snapshots.',
          $metadata: meta(400),
        }),
        { operation: 'CopyDBClusterSnapshot', region: REGION, quota: 100 },
      );

      // Assess
      expect(error.name).toBe('SnapshotQuotaExceeded');
      expect(error.message).toContain('quota (100) is reached');
    });
  });

  it('names the cluster when a snapshot of a missing cluster is asked for', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rds)
      .on(CreateDBClusterSnapshotCommand)
      .rejects(new DBClusterNotFoundFault({ message: 'DBCluster gone not found', $metadata: meta(404) }));

    // Act
    const error = await rejection(
      store.createSnapshot({ clusterId: 'gone', snapshotId: 'gone-1', tags: {} }),
      ToolError,
    );

    // Assess
    expect(error.name).toBe('AwsRequestError');
    expect(error.message).toContain('DBClusterNotFound');
    expect(error.details).toMatchObject({ clusterId: 'gone', snapshotId: 'gone-1' });
  });

  it('names a share refused for lack of permission AccessDenied with the IAM action to grant', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rds)
      .on(ModifyDBClusterSnapshotAttributeCommand)
      .rejects(new RDSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: meta(403) }));

    // Act
    const error = await rejection(
      store.shareSnapshot({ snapshotId: 's-1', accountId: '222222222222' }),
      ToolError,
    );

    // Assess
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain('rds:ModifyDBClusterSnapshotAttribute');
    expect(error.details).toMatchObject({ accountId: '222222222222', snapshotId: 's-1' });
  });

  it('names a delete of a snapshot still copying SnapshotNotReady', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rds)
      .on(DeleteDBClusterSnapshotCommand)
      .rejects(new InvalidDBClusterSnapshotStateFault({ message: 'copying', $metadata: meta(400) }));

    // Act
    const error = await rejection(store.deleteSnapshot('s-1'), ToolError);

    // Assess
    expect(error.name).toBe('SnapshotNotReady');
    expect(error.details.snapshotId).toBe('s-1');
  });
});

describe('KMS faults through the store', () => {
  const cases: readonly [string, Error][] = [
    ['missing key', new NotFoundException({ message: 'Key does not exist', $metadata: meta(400) })],
    ['disabled key', new DisabledException({ message: 'Key is disabled', $metadata: meta(400) })],
    [
      'key policy refuses',
      new KMSServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: meta(400) }),
    ],
  ];

  it.each(cases)('%s is KmsKeyNotAccessible', async (_label, fault) => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.kms).on(DescribeKeyCommand).rejects(fault);
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/k9';

    // Act
    const error = await rejection(store.isAwsManagedKey(key), ToolError);

    // Assess
    expect(error.name).toBe('KmsKeyNotAccessible');
    expect(error.message).toContain(key);
    expect(error.details).toMatchObject({ kmsKeyId: key, operation: 'DescribeKey' });
  });
});

describe('KMS faults when looking a key up by its alias', () => {
  it('answers no key when KMS finds no such alias, and names any other refusal KmsKeyNotAccessible', async () => {
    // Prepare
    const missing = newStore();
    mockClient(missing.clients.kms)
      .on(DescribeKeyCommand)
      .rejects(new NotFoundException({ message: 'Alias alias/x is not found.', $metadata: meta(400) }));
    const refused = newStore();
    mockClient(refused.clients.kms)
      .on(DescribeKeyCommand)
      .rejects(
        new KMSServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: meta(400) }),
      );

    // Act
    const none = await missing.keyArnOf('alias/x');
    const error = await rejection(refused.keyArnOf('alias/aurora-snapshot-tool'), ToolError);

    // Assess
    expect(none).toBeUndefined();
    expect(error.name).toBe('KmsKeyNotAccessible');
    expect(error.message).toContain('KMS key alias/aurora-snapshot-tool cannot be used in eu-west-1');
    expect(error.details).toMatchObject({ kmsKeyId: 'alias/aurora-snapshot-tool', operation: 'DescribeKey' });
  });
});

describe('translateAwsError', () => {
  it('names a connection that kept failing TransientAwsError', () => {
    // Prepare
    const reset = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
      $metadata: { attempts: 8 },
    });

    // Act
    const error = translateAwsError(reset, { operation: 'DescribeDBClusterSnapshots', region: REGION });

    // Assess
    expect(error.name).toBe('TransientAwsError');
    expect(error.message).toContain('after 8 attempts');
  });

  it('tells missing credentials apart from a refused permission, naming the credential chain first', () => {
    // Prepare
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });

    // Act
    const error = translateAwsError(missing, {
      operation: 'GetCallerIdentity',
      service: 'sts',
      region: REGION,
    });

    // Assess
    expect(error.name).toBe('CredentialsError');
    expect(error.message).toMatch(
      /^no AWS credentials to call sts:GetCallerIdentity in eu-west-1: the SDK's credential chain found none/,
    );
    expect(error.message).toContain('AWS_PROFILE');
    expect(error.message).not.toMatch(/grant|denied/);
  });

  it.each(['ExpiredToken', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException'])(
    'reports %s as credentials AWS refused, not as a missing permission',
    (code) => {
      // Prepare
      const refused = Object.assign(new Error('The security token included in the request is invalid'), {
        name: code,
        $metadata: { httpStatusCode: 403 },
      });

      // Act
      const error = translateAwsError(refused, { operation: 'DescribeDBClusters', region: REGION });

      // Assess
      expect(error.name).toBe('CredentialsError');
      expect(error.message).toContain(
        `AWS refused the credentials for rds:DescribeDBClusters in eu-west-1 (${code})`,
      );
    },
  );

  it('names the endpoint a user set when nothing listens there, and what to check', () => {
    // Prepare
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

    // Act
    const error = translateAwsError(refused, {
      operation: 'DescribeDBClusters',
      region: REGION,
      endpoint: 'http://127.0.0.1:9',
    });

    // Assess
    expect(error.name).toBe('EndpointUnreachable');
    expect(error.message).toContain('cannot reach the endpoint http://127.0.0.1:9');
    expect(error.message).toContain('connection refused');
    expect(error.message).toContain('AWS_ENDPOINT_URL');
    expect(error.details.endpoint).toBe('http://127.0.0.1:9');
  });

  it("names AWS's regional endpoint when the network fails without a user-set endpoint, and stays retryable", () => {
    // Prepare
    const unknownHost = Object.assign(new Error('getaddrinfo ENOTFOUND rds.eu-west-1.amazonaws.com'), {
      code: 'ENOTFOUND',
      $metadata: { attempts: 8 },
    });

    // Act
    const error = translateAwsError(unknownHost, { operation: 'DescribeDBClusters', region: REGION });

    // Assess
    expect(error.name).toBe('TransientAwsError');
    expect(error.message).toContain('could not reach https://rds.eu-west-1.amazonaws.com');
    expect(error.message).toContain('check the network connection');
  });

  it('passes a ToolError through unchanged', () => {
    // Prepare
    const original = new ToolError('SnapshotTimedOut', 'still creating');

    // Act
    const error = translateAwsError(original, { operation: 'X', region: REGION });

    // Assess
    expect(error).toBe(original);
  });

  it('reads the code from the wire name, the SDK class name or a Node error code', () => {
    // Act
    const codes = [
      awsErrorCode({ Code: 'SnapshotQuotaExceeded', name: 'SnapshotQuotaExceededFault' }),
      awsErrorCode(new DBClusterSnapshotNotFoundFault({ message: 'x', $metadata: {} })),
      awsErrorCode({ code: 'ETIMEDOUT', name: 'Error' }),
      awsErrorCode('not an error'),
    ];

    // Assess
    expect(codes).toEqual(['SnapshotQuotaExceeded', 'DBClusterSnapshotNotFound', 'ETIMEDOUT', undefined]);
  });
});

describe('translateAwsError: every code it knows, by the decision it leads to', () => {
  /** An SDK-shaped error with a wire code and nothing else. */
  const coded = (code: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`AWS said ${code}`), { name: code, ...extra });
  const context = { operation: 'CreateDBClusterSnapshot', region: REGION, snapshotId: 'prod-db-1' };

  it.each([
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
  ])('names %s ThrottlingError (the next pass resumes)', (code) => {
    // Act
    const error = translateAwsError(coded(code), context);
    // Assess
    expect(error.name).toBe('ThrottlingError');
  });

  it('names any answer with HTTP 429 ThrottlingError, whatever its code', () => {
    // Act
    const error = translateAwsError(coded('Whatever', { $metadata: { httpStatusCode: 429 } }), context);
    // Assess
    expect(error.name).toBe('ThrottlingError');
  });

  it.each([
    'AccessDenied',
    'AccessDeniedException',
    'AuthorizationError',
    'UnauthorizedOperation',
    'NotAuthorized',
  ])('names %s AccessDenied, and KmsKeyNotAccessible from DescribeKey', (code) => {
    // Act
    const denied = translateAwsError(coded(code), context);
    const key = translateAwsError(coded(code), { operation: 'DescribeKey', service: 'kms', region: REGION });
    // Assess
    expect(denied.name).toBe('AccessDenied');
    expect(key.name).toBe('KmsKeyNotAccessible');
  });

  it.each([
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'ExpiredToken',
    'ExpiredTokenException',
    'RequestExpired',
    'SignatureDoesNotMatch',
    'InvalidSignatureException',
    'IncompleteSignature',
    'MissingAuthenticationToken',
  ])('names %s CredentialsError, credentials AWS refused', (code) => {
    // Act
    const error = translateAwsError(coded(code), context);
    // Assess
    expect([error.name, error.message]).toEqual([
      'CredentialsError',
      `AWS refused the credentials for rds:CreateDBClusterSnapshot in ${REGION} (${code}): they are unknown, expired or wrongly signed; refresh them (a new session token, aws sso login), check the clock and the profile, and \`aws sts get-caller-identity\` (AWS said ${code})`,
    ]);
  });

  it.each([
    'KMSKeyNotAccessible',
    'NotFoundException',
    'DisabledException',
    'KMSInvalidStateException',
    'KeyUnavailableException',
    'InvalidKeyUsageException',
  ])('names %s KmsKeyNotAccessible', (code) => {
    // Act
    const error = translateAwsError(coded(code), { ...context, kmsKeyId: 'k1' });
    // Assess
    expect([error.name, error.message]).toEqual([
      'KmsKeyNotAccessible',
      `KMS key k1 cannot be used in ${REGION}: check that it exists, is enabled, is in ${REGION}, and that its key policy allows this role (and, for shared snapshots, the other account) (AWS said ${code})`,
    ]);
  });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
  ])('names %s on the AWS endpoint TransientAwsError (retried)', (code) => {
    // Act
    const error = translateAwsError(coded(code), context);
    // Assess
    expect([error.name, error.message]).toEqual([
      'TransientAwsError',
      `could not reach https://rds.${REGION}.amazonaws.com for CreateDBClusterSnapshot in ${REGION} (${code}: AWS said ${code}): check the network connection, a proxy (HTTPS_PROXY) and the region name; retry later`,
    ]);
  });

  it.each([
    ['ECONNREFUSED', 'connection refused: nothing listens there', 'EndpointUnreachable'],
    ['ENOTFOUND', 'its host name does not resolve', 'EndpointUnreachable'],
  ])('names %s on a user-set endpoint EndpointUnreachable (not retried)', (code, why, name) => {
    // Act
    const error = translateAwsError(coded(code), { ...context, endpoint: 'http://localhost:4566' });
    // Assess
    expect([error.name, error.message]).toEqual([
      name,
      `cannot reach the endpoint http://localhost:4566 for CreateDBClusterSnapshot in ${REGION} (${why}): check AWS_ENDPOINT_URL and that the emulator or proxy it names is running`,
    ]);
  });

  it('keeps a reset connection to a user-set endpoint retryable, naming AWS_ENDPOINT_URL to check', () => {
    // Act
    const error = translateAwsError(coded('ECONNRESET', { $metadata: { attempts: 3 } }), {
      ...context,
      endpoint: 'http://localhost:4566',
    });
    // Assess
    expect([error.name, error.message]).toEqual([
      'TransientAwsError',
      `could not reach http://localhost:4566 for CreateDBClusterSnapshot in ${REGION} after 3 attempts (ECONNRESET: AWS said ECONNRESET): check the network connection, a proxy (HTTPS_PROXY) and AWS_ENDPOINT_URL; retry later`,
    ]);
  });

  it('names a 5xx answer TransientAwsError and a 4xx one with an unknown code AwsRequestError, each with its message', () => {
    // Act
    const fault = translateAwsError(
      coded('InternalFailure', { $metadata: { httpStatusCode: 500, attempts: 1 } }),
      context,
    );
    const other = translateAwsError(
      coded('InvalidParameterCombination', { $metadata: { httpStatusCode: 400 } }),
      context,
    );
    // Assess
    expect([fault.name, fault.message]).toEqual([
      'TransientAwsError',
      `CreateDBClusterSnapshot failed in ${REGION} with a transient AWS fault (InternalFailure): retry later`,
    ]);
    expect([other.name, other.message]).toEqual([
      'AwsRequestError',
      `CreateDBClusterSnapshot failed in ${REGION} for snapshot prod-db-1: InvalidParameterCombination: AWS said InvalidParameterCombination`,
    ]);
  });
});

describe('translateAwsError: the details of the typed error', () => {
  it('keeps every part of the context that was given, the AWS code and the request metadata, and nothing else', () => {
    // Prepare
    const fault = Object.assign(new Error('slow down'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400, attempts: 3, requestId: 'r-9' },
    });

    // Act
    const full = translateAwsError(fault, {
      operation: 'CopyDBClusterSnapshot',
      region: REGION,
      snapshotId: 's-1',
      clusterId: 'prod-db',
      sourceArn: 'arn:aws:rds:eu-central-1:123456789012:cluster-snapshot:s-1',
      kmsKeyId: 'k1',
      accountId: '222222222222',
      quota: 100,
      endpoint: 'http://localhost:4566',
    });
    const bare = translateAwsError(new Error('no code'), { operation: 'DescribeDBClusters', region: REGION });

    // Assess
    expect(full.details).toStrictEqual({
      operation: 'CopyDBClusterSnapshot',
      region: REGION,
      awsCode: 'ThrottlingException',
      snapshotId: 's-1',
      clusterId: 'prod-db',
      sourceArn: 'arn:aws:rds:eu-central-1:123456789012:cluster-snapshot:s-1',
      kmsKeyId: 'k1',
      accountId: '222222222222',
      quota: 100,
      endpoint: 'http://localhost:4566',
      httpStatus: 400,
      attempts: 3,
      requestId: 'r-9',
    });
    expect(bare.details).toStrictEqual({ operation: 'DescribeDBClusters', region: REGION, awsCode: 'Error' });
  });
});

describe('the code and the quota, read from an error alone', () => {
  it('passes over an empty Code to the code the error names otherwise', () => {
    // Act / Assess
    expect(awsErrorCode({ Code: '', name: 'ThrottlingException' })).toBe('ThrottlingException');
    expect(awsErrorCode({ Code: '', code: '', name: '' })).toBeUndefined();
  });

  it('tells the copy limit from the quota by its wording when the operation is not known, and not only from a copy', () => {
    // Prepare
    const copies = new SnapshotQuotaExceededFault({
      message: 'Cannot copy more than 5 snapshots across regions',
      $metadata: meta(400),
    });
    const quota = new SnapshotQuotaExceededFault({
      message: 'Cannot create more than 100 manual snapshots',
      $metadata: meta(400),
    });

    // Act / Assess
    expect(isSnapshotQuotaError(copies)).toBe(false);
    expect(isSnapshotQuotaError(quota)).toBe(true);
    expect(isSnapshotQuotaError(copies, 'CreateDBClusterSnapshot')).toBe(true);
  });
});
