/**
 * Turns SDK errors into the tool's typed errors: a stable name to branch on, a message that says what
 * to do next, the AWS error kept as `cause`, and the snapshot, cluster and region in `details`.
 */
import { isToolError, ToolError, type ToolErrorName } from '../core/model/errors.js';

/** What the failed call was about; everything here ends up in the error's details. */
export interface AwsErrorContext {
  /** SDK command name without `Command`, e.g. `CopyDBClusterSnapshot`. */
  readonly operation: string;
  /** Service prefix for IAM actions named in messages. @default 'rds' */
  readonly service?: 'rds' | 'kms' | 'sts' | 'ec2' | 's3' | undefined;
  readonly region: string;
  readonly snapshotId?: string | undefined;
  readonly clusterId?: string | undefined;
  readonly sourceArn?: string | undefined;
  readonly kmsKeyId?: string | undefined;
  readonly accountId?: string | undefined;
  /** The region's manual cluster snapshot quota, to name it when it is reached. */
  readonly quota?: number | undefined;
  /** The endpoint the user set (AWS_ENDPOINT_URL, an emulator or a proxy); the AWS endpoint otherwise. */
  readonly endpoint?: string | undefined;
}

interface SdkErrorShape {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number; requestId?: string };
}

const isThrottlingCode = (code: string): boolean =>
  [
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
  ].includes(code);

/** The credentials are valid and the caller is not allowed: a permission is missing. */
const isAccessDeniedCode = (code: string): boolean =>
  [
    'AccessDenied',
    'AccessDeniedException',
    'AuthorizationError',
    'UnauthorizedOperation',
    'NotAuthorized',
  ].includes(code);

/** No credentials were found, or AWS did not accept them (unknown key, expired token, bad signature). */
const isCredentialCode = (code: string): boolean =>
  [
    'CredentialsProviderError',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'ExpiredToken',
    'ExpiredTokenException',
    'RequestExpired',
    'SignatureDoesNotMatch',
    'InvalidSignatureException',
    'IncompleteSignature',
    'MissingAuthenticationToken',
  ].includes(code);

/** KMS faults that mean the key cannot be used (DescribeKey, or RDS reporting it). */
const isKmsKeyCode = (code: string): boolean =>
  [
    'KMSKeyNotAccessible',
    'NotFoundException',
    'DisabledException',
    'KMSInvalidStateException',
    'KeyUnavailableException',
    'InvalidKeyUsageException',
  ].includes(code);

const isNetworkCode = (code: string): boolean =>
  [
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
  ].includes(code);

/**
 * RDS has no error code of its own for the 5-concurrent-copies limit: CopyDBClusterSnapshot documents
 * `SnapshotQuotaExceededFault` only, and answers both limits with the code `SnapshotQuotaExceeded`
 * ("Cannot copy more than 5 snapshots across regions", "Cannot create more than 100 manual snapshots").
 * So the code and the operation decide first: only that code, from the only operation the copy limit
 * applies to, can be the copy limit; the message then tells the two limits apart, and anything not worded
 * as the copy limit is the quota (whose message names the quota and what to do).
 */
function isCopyLimit(error: unknown, operation: string | undefined): boolean {
  if (awsErrorCode(error) !== 'SnapshotQuotaExceeded') return false;
  if (operation !== undefined && operation !== 'CopyDBClusterSnapshot') return false;
  return /cannot copy more than|copies (are )?in progress|concurrent (snapshot )?cop/i.test(
    rawMessage(error),
  );
}

/**
 * RDS creates its service-linked role AWSServiceRoleForRDS with the caller's permissions on the first
 * cluster, instance or subnet group of an account; when it cannot, it answers InvalidParameterValue with one
 * of these texts (no code of its own).
 */
const isServiceLinkedRoleMessage = (message: string): boolean =>
  /permission to create service linked role|Missing necessary credentials|ServiceLinkedRoles/i.test(message);

/** The AWS error code with RDS's `Fault` suffix removed (the SDK names classes `...Fault`). */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as SdkErrorShape;
  const raw = [shape.Code, shape.code, shape.name].find((value) => typeof value === 'string' && value !== '');
  if (typeof raw !== 'string') return undefined;
  return raw.endsWith('Fault') ? raw.slice(0, -'Fault'.length) : raw;
}

function httpStatus(error: unknown): number | undefined {
  return (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
}

function rawMessage(error: unknown): string {
  const message = (error as SdkErrorShape | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

export function isThrottling(error: unknown): boolean {
  const code = awsErrorCode(error);
  return (code !== undefined && isThrottlingCode(code)) || httpStatus(error) === 429;
}

/** A connection-level failure: nothing answered (refused, reset, unknown host, timeout). */
export function isNetworkError(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && isNetworkCode(code);
}

/**
 * Failures not worth a retry on an endpoint the user set (an emulator, a proxy, AWS_ENDPOINT_URL):
 * nothing listens there, or its host name does not resolve. Retrying only delays the message.
 */
export function isEndpointDown(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND';
}

export function isTransient(error: unknown): boolean {
  const status = httpStatus(error);
  const code = awsErrorCode(error);
  return (status !== undefined && status >= 500) || (code !== undefined && isNetworkCode(code));
}

/** The manual snapshot quota is full (`operation`: the call that failed, when known). */
export function isSnapshotQuotaError(error: unknown, operation?: string): boolean {
  return awsErrorCode(error) === 'SnapshotQuotaExceeded' && !isCopyLimit(error, operation);
}

function subject(context: AwsErrorContext): string {
  if (context.snapshotId !== undefined) return `snapshot ${context.snapshotId}`;
  if (context.clusterId !== undefined) return `cluster ${context.clusterId}`;
  if (context.kmsKeyId !== undefined) return `KMS key ${context.kmsKeyId}`;
  return context.operation;
}

function classify(error: unknown, context: AwsErrorContext): { name: ToolErrorName; message: string } {
  const code = awsErrorCode(error) ?? 'UnknownError';
  const aws = rawMessage(error);
  const where = `in ${context.region}`;
  const attempts = (error as SdkErrorShape | null)?.$metadata?.attempts;
  const tried = attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '';

  if (isCopyLimit(error, context.operation)) {
    return {
      name: 'CopyLimitReached',
      message:
        `too many cluster snapshot copies are in progress into ${context.region} (RDS allows 5 at a time): ` +
        `${subject(context)} waits for a later pass, when a running copy has finished`,
    };
  }
  if (code === 'SnapshotQuotaExceeded') {
    const quota = context.quota === undefined ? '' : ` (${context.quota})`;
    return {
      name: 'SnapshotQuotaExceeded',
      message:
        `the region's manual cluster snapshot quota${quota} is reached ${where}: delete old snapshots ` +
        'or request a quota increase (Service Quotas, "Manual DB cluster snapshots")',
    };
  }
  if (code === 'DBClusterSnapshotAlreadyExists') {
    return {
      name: 'SnapshotAlreadyExists',
      message: `${subject(context)} already exists ${where}: a previous pass made it; it is reused, not replaced`,
    };
  }
  if (code === 'DBClusterSnapshotNotFound') {
    return {
      name: 'SnapshotNotFound',
      message: `${subject(context)} does not exist ${where} (or is not shared with this account)`,
    };
  }
  if (code === 'InvalidDBClusterSnapshotState') {
    return {
      name: 'SnapshotNotReady',
      message: `${subject(context)} is not in the available state ${where}: retry when it is (${aws})`,
    };
  }
  if (code === 'InvalidParameterValue' && isServiceLinkedRoleMessage(aws)) {
    return {
      name: 'ServiceLinkedRoleMissing',
      message:
        `${context.operation} ${where}: RDS could not create its service-linked role AWSServiceRoleForRDS, which ` +
        'the first RDS resource of an account needs: create it once with `aws iam create-service-linked-role ' +
        '--aws-service-name rds.amazonaws.com`, or allow the caller iam:CreateServiceLinkedRole with the condition ' +
        `iam:AWSServiceName = rds.amazonaws.com (${aws})`,
    };
  }
  if (isCredentialCode(code)) {
    const service = context.service ?? 'rds';
    if (code === 'CredentialsProviderError') {
      return {
        name: 'CredentialsError',
        message:
          `no AWS credentials to call ${service}:${context.operation} ${where}: the SDK's credential chain found none ` +
          '(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE with ~/.aws/credentials or ~/.aws/config, ' +
          'an SSO session (aws sso login), a container or instance role); check with `aws sts get-caller-identity` ' +
          `(${aws})`,
      };
    }
    return {
      name: 'CredentialsError',
      message:
        `AWS refused the credentials for ${service}:${context.operation} ${where} (${code}): they are unknown, ` +
        'expired or wrongly signed; refresh them (a new session token, aws sso login), check the clock and the ' +
        `profile, and \`aws sts get-caller-identity\` (${aws})`,
    };
  }
  if (isNetworkError(error)) {
    const service = context.service ?? 'rds';
    const endpoint = context.endpoint ?? `https://${service}.${context.region}.amazonaws.com`;
    if (context.endpoint !== undefined && isEndpointDown(error)) {
      const why =
        code === 'ECONNREFUSED'
          ? 'connection refused: nothing listens there'
          : 'its host name does not resolve';
      return {
        name: 'EndpointUnreachable',
        message:
          `cannot reach the endpoint ${endpoint} for ${context.operation} ${where} (${why}): check AWS_ENDPOINT_URL ` +
          'and that the emulator or proxy it names is running',
      };
    }
    return {
      name: 'TransientAwsError',
      message:
        `could not reach ${endpoint} for ${context.operation} ${where}${tried} (${code}: ${aws}): check the network ` +
        `connection, a proxy (HTTPS_PROXY) and ${context.endpoint === undefined ? 'the region name' : 'AWS_ENDPOINT_URL'}; retry later`,
    };
  }
  if (isKmsKeyCode(code) || (isAccessDeniedCode(code) && context.operation === 'DescribeKey')) {
    const key = context.kmsKeyId === undefined ? 'the KMS key' : `KMS key ${context.kmsKeyId}`;
    return {
      name: 'KmsKeyNotAccessible',
      message:
        `${key} cannot be used ${where}: check that it exists, is enabled, is in ${context.region}, and ` +
        `that its key policy allows this role (and, for shared snapshots, the other account) (${aws})`,
    };
  }
  if (isThrottling(error)) {
    return {
      name: 'ThrottlingError',
      message:
        `AWS throttled ${context.operation} ${where}${tried}: the account's API rate is shared by everything ` +
        'in the region; the next pass resumes where this one stopped',
    };
  }
  if (isAccessDeniedCode(code)) {
    return {
      name: 'AccessDenied',
      message:
        `${context.operation} was denied ${where}: the credentials are valid but their role or user lacks ` +
        `${context.service ?? 'rds'}:${context.operation}; grant it (${aws})`,
    };
  }
  if (isTransient(error)) {
    return {
      name: 'TransientAwsError',
      message: `${context.operation} failed ${where}${tried} with a transient AWS fault (${code}): retry later`,
    };
  }
  return {
    name: 'AwsRequestError',
    message: `${context.operation} failed ${where} for ${subject(context)}: ${code}: ${aws}`,
  };
}

/** The typed error for an SDK error (a ToolError passes through unchanged). */
export function translateAwsError(error: unknown, context: AwsErrorContext): ToolError {
  if (isToolError(error)) return error;
  const { name, message } = classify(error, context);
  const metadata = (error as SdkErrorShape | null)?.$metadata;
  const details: Record<string, unknown> = {
    operation: context.operation,
    region: context.region,
    awsCode: awsErrorCode(error),
  };
  for (const key of [
    'snapshotId',
    'clusterId',
    'sourceArn',
    'kmsKeyId',
    'accountId',
    'quota',
    'endpoint',
  ] as const) {
    if (context[key] !== undefined) details[key] = context[key];
  }
  if (metadata?.httpStatusCode !== undefined) details.httpStatus = metadata.httpStatusCode;
  if (metadata?.attempts !== undefined) details.attempts = metadata.attempts;
  if (metadata?.requestId !== undefined) details.requestId = metadata.requestId;
  return new ToolError(name, message, { cause: error, details });
}
