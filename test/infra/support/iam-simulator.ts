// IAM decisions from a maintained simulator (@cloud-copilot/iam-simulate, offline, with AWS's action and condition-key data): identity policies of a role, and the key policy of a KMS key, as AWS evaluates them.
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
  readonly Sid?: string;
}

export interface Request {
  readonly action: string;
  /** The resource's ARN; its account is the resource's owner (a key of another account: cross-account). */
  readonly resource: string;
  /** Condition keys of the request, e.g. `aws:ResourceTag/CreatedBy` or `kms:ViaService`. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * The caller, for KMS requests (a key of another account: its key policy must allow the caller's
   * account). @default a role of the account of the resource (or 123456789012). Other requests are
   * decided by the identity policies alone, as from the resource's account: RDS snapshots and Step
   * Functions have no resource policies, and a snapshot reaches another account by sharing.
   */
  readonly principal?: string;
}

export interface KeyPolicyOption {
  /**
   * The KMS key policy (a KMS key always has one). @default the key policy AWS gives a key created
   * without one: the key's account may use it through IAM policies.
   */
  readonly keyPolicy?: readonly Statement[];
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

const DEFAULT_ACCOUNT = '123456789012';

function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** The key policy AWS sets when none is given: the account (root) may use the key, IAM policies decide. */
export function defaultKeyPolicy(account: string): Statement[] {
  return [
    {
      Sid: 'EnableIAMUserPermissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
}

/**
 * What AWS decides for `request` made by a principal whose identity policies are `statements`. KMS
 * requests are also checked against the key's policy, and carry kms:CallerAccount as AWS sets it.
 */
export async function decide(
  statements: readonly Statement[],
  request: Request,
  options: KeyPolicyOption = {},
): Promise<Decision> {
  const resourceAccount = accountOf(request.resource) ?? DEFAULT_ACCOUNT;
  const isKms = request.action.toLowerCase().startsWith('kms:');
  const sameAccount = `arn:aws:iam::${resourceAccount}:role/tool-role`;
  const principal = isKms ? (request.principal ?? sameAccount) : sameAccount;
  const callerAccount = accountOf(principal) ?? DEFAULT_ACCOUNT;
  const context: Record<string, string | string[]> = {};
  if (isKms) context['kms:CallerAccount'] = callerAccount;
  for (const [key, value] of Object.entries(request.context ?? {})) {
    context[key] = typeof value === 'string' ? value : [...value];
  }
  const simulation: Simulation = {
    identityPolicies: [
      { name: 'role', policy: { Version: '2012-10-17', Statement: statements as unknown[] } },
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(isKms
      ? {
          resourcePolicy: {
            Version: '2012-10-17',
            Statement: (options.keyPolicy ?? defaultKeyPolicy(resourceAccount)) as unknown[],
          },
        }
      : {}),
    request: {
      action: request.action,
      principal,
      resource: { accountId: resourceAccount, resource: request.resource },
      contextVariables: context,
    },
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

/** True when AWS would allow the request. */
export async function allows(
  statements: readonly Statement[],
  request: Request,
  options: KeyPolicyOption = {},
): Promise<boolean> {
  return (await decide(statements, request, options)) === 'Allowed';
}

/**
 * What AWS decides when `principal` (a service such as `states.amazonaws.com`, or an IAM ARN) asks to
 * assume the role `roleArn`, whose trust policy is `trust`; `context` carries e.g. `aws:SourceAccount`.
 * `identity`: the caller's own identity policies (a trust policy that names an account leaves the
 * decision to them).
 */
export async function decideAssumeRole(
  trust: readonly Statement[],
  principal: string,
  roleArn: string,
  context: Readonly<Record<string, string>> = {},
  identity: readonly Statement[] = [],
): Promise<Decision> {
  const simulation = {
    identityPolicies:
      identity.length === 0
        ? []
        : [{ name: 'caller', policy: { Version: '2012-10-17', Statement: identity as unknown[] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: { Version: '2012-10-17', Statement: trust as unknown[] },
    request: {
      action: 'sts:AssumeRole',
      principal,
      resource: { accountId: accountOf(roleArn) ?? DEFAULT_ACCOUNT, resource: roleArn },
      contextVariables: { ...context },
    },
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

/**
 * What AWS decides when a service (`events.amazonaws.com`) asks for `action` on a resource of this account
 * whose own policy is `policy` (an SQS queue's), with no identity policy of its own: the resource policy alone.
 */
export async function decideServiceOnResource(
  policy: readonly Statement[],
  service: string,
  action: string,
  resourceArn: string,
  context: Readonly<Record<string, string>> = {},
): Promise<Decision> {
  const simulation = {
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: { Version: '2012-10-17', Statement: policy as unknown[] },
    request: {
      action,
      principal: service,
      resource: { accountId: accountOf(resourceArn) ?? DEFAULT_ACCOUNT, resource: resourceArn },
      contextVariables: { 'aws:SecureTransport': 'true', ...context },
    },
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

export interface S3Request {
  readonly action: string;
  /** The bucket's or object's ARN (`arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key`). */
  readonly resource: string;
  /** The account that owns the bucket (S3 ARNs do not say). */
  readonly bucketOwner: string;
  /** The caller, an IAM ARN. */
  readonly principal: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * What AWS decides for an S3 request by `principal`, whose identity policies are `statements`, on a bucket of
 * `bucketOwner` whose bucket policy is `bucketPolicy`: from another account, both must allow; from the owner's,
 * either. The request carries the keys AWS sets on every S3 request: s3:ResourceAccount, aws:PrincipalAccount
 * and aws:SecureTransport (true).
 */
export async function decideS3(
  statements: readonly Statement[],
  request: S3Request,
  bucketPolicy: readonly Statement[],
): Promise<Decision> {
  const callerAccount = accountOf(request.principal) ?? DEFAULT_ACCOUNT;
  const context: Record<string, string | string[]> = {
    's3:ResourceAccount': request.bucketOwner,
    'aws:PrincipalAccount': callerAccount,
    'aws:SecureTransport': 'true',
  };
  for (const [key, value] of Object.entries(request.context ?? {})) {
    context[key] = typeof value === 'string' ? value : [...value];
  }
  const simulation = {
    identityPolicies: [
      { name: 'role', policy: { Version: '2012-10-17', Statement: statements as unknown[] } },
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: { Version: '2012-10-17', Statement: bucketPolicy as unknown[] },
    request: {
      action: request.action,
      principal: request.principal,
      resource: { accountId: request.bucketOwner, resource: request.resource },
      contextVariables: context,
    },
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}
