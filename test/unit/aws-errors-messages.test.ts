// The whole message of each typed error (what the user reads), the subject it names, and the edges of reading an AWS error.
import { SnapshotQuotaExceededFault } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { awsErrorCode, isSnapshotQuotaError, isTransient, translateAwsError } from '../../src/aws/index.js';

const REGION = 'eu-west-1';

/** An SDK-shaped error with a wire code and a message. */
const coded = (code: string, message = `AWS said ${code}`, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name: code, ...extra });

describe('the concurrent-copies limit, in the words RDS may use', () => {
  it.each([
    'Cannot copy more than 5 snapshots across regions',
    'Too many snapshot copies in progress',
    'Too many snapshot copies are in progress',
    'Too many concurrent copies into this region',
    'Too many concurrent snapshot copies into this region',
  ])('reads "%s" from a copy as the copy limit, not the quota', (message) => {
    // Prepare
    const fault = new SnapshotQuotaExceededFault({ message, $metadata: {} });

    // Act
    const error = translateAwsError(fault, { operation: 'CopyDBClusterSnapshot', region: REGION });

    // Assess
    expect(error.name).toBe('CopyLimitReached');
    expect(isSnapshotQuotaError(fault, 'CopyDBClusterSnapshot')).toBe(false);
  });

  it('says which snapshot waits, and why, in its whole message', () => {
    // Act
    const error = translateAwsError(
      new SnapshotQuotaExceededFault({
        message: 'Cannot copy more than 5 snapshots across regions',
        $metadata: {},
      }),
      { operation: 'CopyDBClusterSnapshot', region: REGION, snapshotId: 'prod-db-1' },
    );

    // Assess
    expect(error.message).toBe(
      `too many cluster snapshot copies are in progress into ${REGION} (RDS allows 5 at a time): ` +
        'snapshot prod-db-1 waits for a later pass, when a running copy has finished',
    );
  });
});

describe('the manual snapshot quota', () => {
  it('names no number when the quota is not known', () => {
    // Act
    const error = translateAwsError(
      new SnapshotQuotaExceededFault({
        message: 'Cannot create more than 100 manual snapshots',
        $metadata: {},
      }),
      { operation: 'CreateDBClusterSnapshot', region: REGION },
    );

    // Assess
    expect([error.name, error.message]).toEqual([
      'SnapshotQuotaExceeded',
      `the region's manual cluster snapshot quota is reached in ${REGION}: delete old snapshots or request a ` +
        'quota increase (Service Quotas, "Manual DB cluster snapshots")',
    ]);
  });

  it('is only the SnapshotQuotaExceeded code, whatever the operation', () => {
    // Act / Assess
    expect(isSnapshotQuotaError(coded('Throttling'), 'CreateDBClusterSnapshot')).toBe(false);
    expect(isSnapshotQuotaError(coded('SharedSnapshotQuotaExceeded'))).toBe(false);
    expect(isSnapshotQuotaError(coded('SnapshotQuotaExceeded', 'too many'))).toBe(true);
  });
});

describe('the subject an error names: the snapshot, else the cluster, else the key, else the operation', () => {
  const other = coded('InvalidParameterCombination', 'bad combination');

  it.each([
    [{ snapshotId: 's-1', clusterId: 'prod-db', kmsKeyId: 'k1' }, 'snapshot s-1'],
    [{ clusterId: 'prod-db', kmsKeyId: 'k1' }, 'cluster prod-db'],
    [{ kmsKeyId: 'k1' }, 'KMS key k1'],
    [{}, 'ModifyDBClusterSnapshotAttribute'],
  ])('with %j names %s', (given, subject) => {
    // Act
    const error = translateAwsError(other, {
      operation: 'ModifyDBClusterSnapshotAttribute',
      region: REGION,
      ...given,
    });

    // Assess
    expect(error.message).toBe(
      `ModifyDBClusterSnapshotAttribute failed in ${REGION} for ${subject}: InvalidParameterCombination: bad combination`,
    );
  });
});

describe('errors that carry no AWS code', () => {
  it('names a thrown value without a code UnknownError, quoting it', () => {
    // Act
    const error = translateAwsError('socket closed by peer', {
      operation: 'DescribeDBClusters',
      region: REGION,
    });

    // Assess
    expect([error.name, error.message]).toEqual([
      'AwsRequestError',
      `DescribeDBClusters failed in ${REGION} for DescribeDBClusters: UnknownError: socket closed by peer`,
    ]);
    expect(error.details.awsCode).toBeUndefined();
  });

  it('reads no code from null, a string or a thrown class (a `new` forgotten), named as it may be', () => {
    // Prepare
    class ThrottlingException extends Error {}

    // Act / Assess
    expect(awsErrorCode(null)).toBeUndefined();
    expect(awsErrorCode('Throttling')).toBeUndefined();
    expect(awsErrorCode(ThrottlingException)).toBeUndefined();
    expect(translateAwsError(null, { operation: 'DescribeDBClusters', region: REGION }).message).toBe(
      `DescribeDBClusters failed in ${REGION} for DescribeDBClusters: UnknownError: null`,
    );
  });
});

describe('transient faults', () => {
  it.each(['ECONNRESET', 'ETIMEDOUT', 'RequestTimeout'])(
    'counts a %s without any HTTP answer as transient',
    (code) => {
      // Act / Assess
      expect(isTransient(Object.assign(new Error('no answer'), { code }))).toBe(true);
    },
  );

  it('does not count a 4xx answer or an unknown code as transient, and counts a 5xx one', () => {
    // Act / Assess
    expect(
      isTransient(coded('InvalidParameterCombination', 'x', { $metadata: { httpStatusCode: 400 } })),
    ).toBe(false);
    expect(isTransient(coded('InternalFailure', 'x', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
  });
});

describe('whole messages of the errors that tell the user what to do', () => {
  it('names the missing service-linked role only from InvalidParameterValue, with the command that creates it', () => {
    // Prepare
    const wording = 'You do not have permission to create service linked role AWSServiceRoleForRDS';

    // Act
    const role = translateAwsError(coded('InvalidParameterValue', wording), {
      operation: 'CreateDBCluster',
      region: REGION,
    });
    const denied = translateAwsError(coded('AccessDenied', wording), {
      operation: 'CreateDBCluster',
      region: REGION,
    });

    // Assess
    expect([role.name, role.message]).toEqual([
      'ServiceLinkedRoleMissing',
      `CreateDBCluster in ${REGION}: RDS could not create its service-linked role AWSServiceRoleForRDS, which ` +
        'the first RDS resource of an account needs: create it once with `aws iam create-service-linked-role ' +
        '--aws-service-name rds.amazonaws.com`, or allow the caller iam:CreateServiceLinkedRole with the condition ' +
        `iam:AWSServiceName = rds.amazonaws.com (${wording})`,
    ]);
    expect(denied.name).toBe('AccessDenied');
  });

  it('lists where the credential chain looks when it finds no credentials, and quotes the SDK', () => {
    // Act
    const error = translateAwsError(
      coded('CredentialsProviderError', 'Could not load credentials from any providers'),
      { operation: 'DescribeDBClusters', region: REGION },
    );

    // Assess
    expect(error.message).toBe(
      `no AWS credentials to call rds:DescribeDBClusters in ${REGION}: the SDK's credential chain found none ` +
        '(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE with ~/.aws/credentials or ~/.aws/config, ' +
        'an SSO session (aws sso login), a container or instance role); check with `aws sts get-caller-identity` ' +
        '(Could not load credentials from any providers)',
    );
  });

  it('names "the KMS key" when the key refused is not known', () => {
    // Act
    const error = translateAwsError(coded('AccessDeniedException', 'not allowed'), {
      operation: 'DescribeKey',
      service: 'kms',
      region: REGION,
    });

    // Assess
    expect([error.name, error.message]).toEqual([
      'KmsKeyNotAccessible',
      `the KMS key cannot be used in ${REGION}: check that it exists, is enabled, is in ${REGION}, and that its ` +
        'key policy allows this role (and, for shared snapshots, the other account) (not allowed)',
    ]);
  });

  it('says that throttling is shared by the region and that the next pass resumes', () => {
    // Act
    const error = translateAwsError(coded('Throttling', 'Rate exceeded', { $metadata: { attempts: 8 } }), {
      operation: 'DescribeDBClusterSnapshots',
      region: REGION,
    });

    // Assess
    expect([error.name, error.message]).toEqual([
      'ThrottlingError',
      `AWS throttled DescribeDBClusterSnapshots in ${REGION} after 8 attempts: the account's API rate is shared ` +
        'by everything in the region; the next pass resumes where this one stopped',
    ]);
  });
});
