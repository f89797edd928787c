/**
 * Reading an organization for `status --organization`: the accounts under the organizational units
 * (Organizations, paginated, child units included), and in each account and region the clusters and the
 * tool's snapshots, through the status reader role the account's stack creates (STS AssumeRole), with the
 * RDS adapter. Accounts are read in parallel; within one account a bounded number of RDS requests at once.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HttpRequest, SourceData } from '@smithy/types';
import type { RegionRead, UnreadPlace } from '../core/fleet/index.js';
import { isToolError, ToolError, type ToolErrorName } from '../core/model/errors.js';
import type { SnapshotStore } from '../core/model/ports.js';
import { clientConfig } from './clients.js';
import { awsErrorCode, translateAwsError } from './errors.js';
import { createSnapshotStore, type SnapshotStoreOptions } from './store-factory.js';

/** The read-only role the account stack creates in each member account, one per region (IAM is global). */
export const STATUS_READER_ROLE = (region: string): string => `AuroraSnapshotTool-StatusReader-${region}`;

/** The ARN of the status reader role of `account` in `region`. */
export function statusReaderRoleArn(account: string, region: string): string {
  return `arn:aws:iam::${account}:role/${STATUS_READER_ROLE(region)}`;
}

/**
 * RDS requests in flight at once in one account (all its regions together). Each account's RDS API is a token
 * bucket of about 300 requests of burst and 12 a second sustained per region, shared with the console, the
 * account's own snapshot jobs and its deployments: a status run of a whole organization must not be the
 * reason one of them is throttled. Four at once, at the 100 to 400 ms a Describe call takes, stays under
 * 12 a second in any region even if every request went to one, and leaves the burst to the account's owners.
 */
export const RDS_REQUESTS_PER_ACCOUNT = 4;

/**
 * Accounts read at once. Each account's RDS budget is its own, so more accounts in parallel cost none of it;
 * the bound is this process's (sockets, memory for the listings) and the management account's STS rate.
 */
export const ACCOUNTS_IN_PARALLEL = 16;

/** An account as Organizations lists it (only what the fleet reads). */
export interface OrganizationAccount {
  readonly Id?: string | undefined;
  readonly Name?: string | undefined;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`. */
  readonly Status?: string | undefined;
}

/** The two Organizations calls the fleet makes, in the SDK's request and response shapes. */
export interface OrganizationsApi {
  listAccountsForParent(input: {
    readonly ParentId: string;
    readonly NextToken?: string | undefined;
  }): Promise<{ Accounts?: OrganizationAccount[] | undefined; NextToken?: string | undefined }>;
  listOrganizationalUnitsForParent(input: {
    readonly ParentId: string;
    readonly NextToken?: string | undefined;
  }): Promise<{
    OrganizationalUnits?: { Id?: string | undefined }[] | undefined;
    NextToken?: string | undefined;
  }>;
}

/** Every page of a NextToken-paginated call, one after another. */
export async function* paginate<T extends { NextToken?: string | null | undefined }>(
  call: (token: string | undefined) => Promise<T>,
): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await call(token);
    yield page;
    // Organizations answers `"NextToken": null` on the last page.
    token = page.NextToken ?? undefined;
  } while (token !== undefined && token !== '');
}

/**
 * The active accounts under the organizational units (or the root), child units included (a StackSet
 * targeting a unit deploys to the accounts of its children too); each once, in the order found.
 */
export async function accountsUnder(
  api: OrganizationsApi,
  parents: readonly string[],
): Promise<{ id: string; name?: string | undefined }[]> {
  const accounts = new Map<string, { id: string; name?: string | undefined }>();
  const queue = [...parents];
  const seen = new Set<string>();
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    if (seen.has(parent)) continue;
    seen.add(parent);
    const ParentId = parent;
    for await (const page of paginate((NextToken) => api.listAccountsForParent({ ParentId, NextToken }))) {
      for (const account of page.Accounts ?? []) {
        if (account.Id === undefined || (account.Status ?? 'ACTIVE') !== 'ACTIVE') continue;
        if (!accounts.has(account.Id)) {
          accounts.set(account.Id, { id: account.Id, ...(account.Name ? { name: account.Name } : {}) });
        }
      }
    }
    for await (const page of paginate((NextToken) =>
      api.listOrganizationalUnitsForParent({ ParentId, NextToken }),
    )) {
      for (const unit of page.OrganizationalUnits ?? []) if (unit.Id !== undefined) queue.push(unit.Id);
    }
  }
  return [...accounts.values()];
}

/** What the fleet reads in one account and region: the calls of the status reader role. */
export type RegionReader = Pick<SnapshotStore, 'listClusters' | 'listSnapshots'>;

/** The reader of one account and region (assuming its role); rejects when it cannot be had. */
export type AssumeReader = (accountId: string, region: string) => Promise<RegionReader>;

/** At most `n` of the functions given run at once; the others wait their turn in order. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export interface ReadFleetInput {
  readonly accounts: readonly { readonly id: string }[];
  /** The regions to read in each member account. */
  readonly regions: readonly string[];
  readonly vaultAccount?: string | undefined;
  readonly vaultRegions?: readonly string[] | undefined;
  readonly assume: AssumeReader;
  /** @default RDS_REQUESTS_PER_ACCOUNT */
  readonly rdsRequestsPerAccount?: number | undefined;
  /** @default ACCOUNTS_IN_PARALLEL */
  readonly accountsInParallel?: number | undefined;
}

export interface FleetReads {
  readonly reads: RegionRead[];
  readonly vaultReads: RegionRead[];
  readonly unread: UnreadPlace[];
}

function unreadOf(accountId: string, region: string | undefined, error: unknown): UnreadPlace {
  const code = isToolError(error) ? error.name : (awsErrorCode(error) ?? 'Error');
  const reason = error instanceof Error ? error.message : String(error);
  return { accountId, ...(region === undefined ? {} : { region }), code, reason };
}

/**
 * One account's regions, each assumed and read; a region whose role cannot be assumed or whose listing
 * fails is unread, not fatal. Every region failing alike (the same error name) is one unread account.
 */
async function readAccount(
  accountId: string,
  regions: readonly string[],
  assume: AssumeReader,
  rdsRequests: number,
  listClusters: boolean,
): Promise<{ reads: RegionRead[]; unread: UnreadPlace[] }> {
  // Each store call pages one request after another, so bounding the calls bounds the requests.
  const rds = limiter(rdsRequests);
  const results = await Promise.all(
    regions.map(async (region) => {
      try {
        const reader = await assume(accountId, region);
        const [clusters, snapshots] = await Promise.all([
          listClusters ? rds(() => reader.listClusters({ allEngines: true })) : Promise.resolve([]),
          rds(() => reader.listSnapshots('manual')),
        ]);
        return { read: { accountId, region, clusters, snapshots } };
      } catch (error) {
        return { unread: unreadOf(accountId, region, error) };
      }
    }),
  );
  const reads = results.flatMap((r) => (r.read === undefined ? [] : [r.read]));
  const unread = results.flatMap((r) => (r.unread === undefined ? [] : [r.unread]));
  const [first] = unread;
  if (reads.length === 0 && first !== undefined && unread.every((u) => u.code === first.code)) {
    return { reads, unread: [{ accountId, code: first.code, reason: first.reason }] };
  }
  return { reads, unread };
}

/** Every member account's regions, and the vault's, read with the bounds above. */
export async function readFleet(input: ReadFleetInput): Promise<FleetReads> {
  const rdsRequests = input.rdsRequestsPerAccount ?? RDS_REQUESTS_PER_ACCOUNT;
  const accountSlot = limiter(input.accountsInParallel ?? ACCOUNTS_IN_PARALLEL);
  const vault = input.vaultAccount;
  const [members, vaultResult] = await Promise.all([
    Promise.all(
      input.accounts.map((a) =>
        accountSlot(() => readAccount(a.id, input.regions, input.assume, rdsRequests, true)),
      ),
    ),
    vault === undefined
      ? Promise.resolve({ reads: [], unread: [] })
      : accountSlot(() =>
          // The vault's clusters are not the fleet's: only its copies are read.
          readAccount(vault, input.vaultRegions ?? input.regions, input.assume, rdsRequests, false),
        ),
  ]);
  return {
    reads: members.flatMap((m) => m.reads),
    vaultReads: vaultResult.reads,
    unread: [...members.flatMap((m) => m.unread), ...vaultResult.unread],
  };
}

/** What the STS and RDS clients of the fleet are built with (the CLI's environment: endpoint, retries). */
export type FleetClientOptions = Omit<SnapshotStoreOptions, 'region' | 'credentials' | 'accountId'>;

/** The session name the reader roles see in CloudTrail. */
export const STATUS_SESSION_NAME = 'aurora-snapshot-tool-status';

/**
 * The reader of an account and region over AWS: STS AssumeRole of the account's status reader role for
 * that region (with this process's credentials), then the RDS adapter with the role's credentials.
 */
export function stsAssumeReader(options: FleetClientOptions): AssumeReader {
  const sts = new Map<string, STSClient>();
  const stsIn = (region: string): STSClient => {
    let client = sts.get(region);
    if (!client) {
      const { common, strategy } = clientConfig({ ...options, region });
      client = new STSClient({ ...common, ...strategy() });
      sts.set(region, client);
    }
    return client;
  };
  return async (accountId, region) => {
    const roleArn = statusReaderRoleArn(accountId, region);
    let credentials: AwsCredentialIdentity;
    try {
      const answer = await stsIn(region).send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: STATUS_SESSION_NAME }),
      );
      const c = answer.Credentials;
      if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
        throw new ToolError('CredentialsError', `AssumeRole of ${roleArn} returned no credentials`);
      }
      credentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
        ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
      };
    } catch (error) {
      const typed = translateAwsError(error, { operation: 'AssumeRole', service: 'sts', region, accountId });
      throw new ToolError(
        typed.name as ToolErrorName,
        `could not assume ${roleArn} (${awsErrorCode(error) ?? typed.name}): the account's stack creates ` +
          'this role when its StatusAccount names the account running status; check the stack instance of ' +
          'this account and region',
        { cause: error, details: typed.details },
      );
    }
    return createSnapshotStore({ ...options, region, credentials });
  };
}

/** Organizations is a global service, answered in us-east-1 (aws partition). */
const ORGANIZATIONS_REGION = 'us-east-1';
const ORGANIZATIONS_TARGET = 'AWSOrganizationsV20161128';

/** Node's SHA-256 (and its HMAC) as the signer's checksum. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array));
  }
  update(data: SourceData): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

/**
 * The two Organizations calls over HTTPS (AWS JSON 1.1, Signature V4), with this process's credentials (the
 * SDK's default chain, through the STS client). The project's dependencies have no Organizations client:
 * this is a stand-in of two calls until @aws-sdk/client-organizations is one.
 */
export function organizationsApi(options: FleetClientOptions): OrganizationsApi {
  const call = organizationsCaller(options);
  return {
    listAccountsForParent: (input) => call('ListAccountsForParent', input),
    listOrganizationalUnitsForParent: (input) => call('ListOrganizationalUnitsForParent', input),
  };
}

/** One Organizations operation by name, its JSON request and answer (signed with this process's credentials). */
export function organizationsCaller(
  options: FleetClientOptions,
): <T>(operation: string, body: object) => Promise<T> {
  const { common } = clientConfig({ ...options, region: ORGANIZATIONS_REGION });
  const credentialsClient = new STSClient(common);
  const endpoint = new URL(options.endpoint ?? `https://organizations.${ORGANIZATIONS_REGION}.amazonaws.com`);
  const signer = new SignatureV4({
    service: 'organizations',
    region: ORGANIZATIONS_REGION,
    sha256: Sha256,
    credentials: () => credentialsClient.config.credentials(),
  });
  const call = async <T>(operation: string, body: object): Promise<T> => {
    const payload = JSON.stringify(body);
    const request: HttpRequest = {
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port === '' ? {} : { port: Number(endpoint.port) }),
      path: endpoint.pathname,
      query: {},
      headers: {
        host: endpoint.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${ORGANIZATIONS_TARGET}.${operation}`,
      },
      body: payload,
    };
    let response: Response;
    try {
      const signed = await signer.sign(request);
      response = await fetch(endpoint, { method: 'POST', headers: signed.headers, body: payload });
    } catch (error) {
      throw translateAwsError(error, { operation, region: ORGANIZATIONS_REGION });
    }
    const text = await response.text();
    if (!response.ok) {
      const fault = safeJson(text) as { __type?: string; message?: string; Message?: string };
      const code = (fault.__type ?? `HTTP${response.status}`).replace(/^.*#/, '');
      const error = Object.assign(new Error(fault.message ?? fault.Message ?? text), {
        name: code,
        $metadata: { httpStatusCode: response.status },
      });
      throw organizationsError(error, operation);
    }
    return safeJson(text) as T;
  };
  return call;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** An Organizations error with what to do: most mean the command runs in the wrong account. */
function organizationsError(error: Error, operation: string): ToolError {
  const code = error.name;
  if (/AWSOrganizationsNotInUse|AccessDenied/.test(code)) {
    return new ToolError(
      'AccessDenied',
      `organizations:${operation} was refused (${code}: ${error.message}): run status --organization with ` +
        'credentials of the management account or of a delegated administrator of the organization',
      { cause: error, details: { operation, awsCode: code } },
    );
  }
  if (/ParentNotFound|InvalidInput/.test(code)) {
    return new ToolError(
      'ResourceNotFound',
      `organizations:${operation}: ${code}: ${error.message} (check Organization.OrganizationalUnits)`,
      { cause: error, details: { operation, awsCode: code } },
    );
  }
  return translateAwsError(error, { operation, region: ORGANIZATIONS_REGION });
}
