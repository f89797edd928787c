/**
 * Reading an organization for `status --organization`: the accounts under the organizational units
 * (Organizations, paginated, child units included), and in each account and region the clusters and the
 * tool's snapshots, through the status reader role the account's stack creates (STS AssumeRole), with the
 * RDS adapter. Accounts are read in parallel; within one account a bounded number of RDS requests at once.
 */
import {
  OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { type RegionRead, STATUS_READER_ROLE, type UnreadPlace } from '../core/fleet/index.js';
import { isToolError, ToolError, type ToolErrorName } from '../core/model/errors.js';
import type { SnapshotStore } from '../core/model/ports.js';
import { clientConfig } from './clients.js';
import { awsErrorCode, translateAwsError } from './errors.js';
import { createSnapshotStore, type SnapshotStoreOptions } from './store-factory.js';

export { STATUS_READER_ROLE };

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

/** The two Organizations listings the fleet reads, page by page, in the SDK's response shapes. */
export interface OrganizationsApi {
  accountPages(parentId: string): AsyncIterable<{ readonly Accounts?: OrganizationAccount[] | undefined }>;
  unitPages(
    parentId: string,
  ): AsyncIterable<{ readonly OrganizationalUnits?: { Id?: string | undefined }[] | undefined }>;
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
    for await (const page of api.accountPages(parent)) {
      for (const account of page.Accounts ?? []) {
        if (account.Id === undefined || (account.Status ?? 'ACTIVE') !== 'ACTIVE') continue;
        if (!accounts.has(account.Id)) {
          accounts.set(account.Id, { id: account.Id, ...(account.Name ? { name: account.Name } : {}) });
        }
      }
    }
    for await (const page of api.unitPages(parent)) {
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
  /** Accounts read at once, the vault among them (1: one account after another). @default ACCOUNTS_IN_PARALLEL */
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
  // The vault takes the first slot: its listing holds every member's copies, one page after another (RDS
  // pages by marker), so it is the longest read; queued behind the members it would end the run last.
  const vaultRead =
    vault === undefined
      ? Promise.resolve({ reads: [], unread: [] })
      : accountSlot(() =>
          // The vault's clusters are not the fleet's: only its copies are read.
          readAccount(vault, input.vaultRegions ?? input.regions, input.assume, rdsRequests, false),
        );
  const [members, vaultResult] = await Promise.all([
    Promise.all(
      input.accounts.map((a) =>
        accountSlot(() => readAccount(a.id, input.regions, input.assume, rdsRequests, true)),
      ),
    ),
    vaultRead,
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

/**
 * The two Organizations calls over the SDK's client (with this process's credentials and the tool's retry
 * strategy); an error becomes a typed error saying what to do.
 */
export function organizationsApi(options: FleetClientOptions): OrganizationsApi {
  const { common, strategy } = clientConfig({ ...options, region: ORGANIZATIONS_REGION });
  const client = new OrganizationsClient({ ...common, ...strategy() });
  /** The SDK's paginator, a failed page an error saying what to do. */
  async function* pages<T>(operation: string, paginator: AsyncIterable<T>): AsyncGenerator<T> {
    try {
      yield* paginator;
    } catch (error) {
      throw organizationsError(error as Error, operation);
    }
  }
  return {
    accountPages: (ParentId) =>
      pages('ListAccountsForParent', paginateListAccountsForParent({ client }, { ParentId })),
    unitPages: (ParentId) =>
      pages(
        'ListOrganizationalUnitsForParent',
        paginateListOrganizationalUnitsForParent({ client }, { ParentId }),
      ),
  };
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
