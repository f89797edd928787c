// How readFleet schedules its reads, which moto cannot show (it answers at once, so nothing is ever in flight
// together): the accounts read at once, the vault's place in the queue, and the RDS requests in flight in one
// account. The readers are in memory behind the reader port; each request is answered on a later turn of the
// event loop, so every request the reader has started by then is in flight together.
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  ACCOUNTS_IN_PARALLEL,
  accountsUnder,
  organizationsApi,
  type RegionReader,
  readFleet,
} from '../../src/aws/fleet-reader.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'];
const VAULT = '999999999999';
const later = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The readers of an organization, recording the order accounts are first assumed and what is in flight. */
function recordingOrganization() {
  const firstAssumed: string[] = [];
  const inFlight = new Map<string, number>();
  let maxAccounts = 0;
  let maxRequestsInOneAccount = 0;
  const request = async <T>(account: string, answer: T): Promise<T> => {
    inFlight.set(account, (inFlight.get(account) ?? 0) + 1);
    maxRequestsInOneAccount = Math.max(maxRequestsInOneAccount, inFlight.get(account) ?? 0);
    maxAccounts = Math.max(maxAccounts, [...inFlight.values()].filter((n) => n > 0).length);
    await later();
    await later();
    inFlight.set(account, (inFlight.get(account) ?? 1) - 1);
    return answer;
  };
  const assume = async (account: string): Promise<RegionReader> => {
    if (!firstAssumed.includes(account)) firstAssumed.push(account);
    return {
      listClusters: () => request(account, []),
      listSnapshots: () => request(account, []),
    };
  };
  return {
    assume,
    firstAssumed,
    get maxAccounts() {
      return maxAccounts;
    },
    get maxRequestsInOneAccount() {
      return maxRequestsInOneAccount;
    },
  };
}

const accountsOf = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(100_000_000_000 + i) }));

describe('readFleet scheduling', () => {
  it('reads one account after another with accountsInParallel 1, the vault first', async () => {
    // Prepare
    const org = recordingOrganization();
    const accounts = accountsOf(3);

    // Act
    const result = await readFleet({
      accounts,
      regions: REGIONS,
      vaultAccount: VAULT,
      assume: org.assume,
      accountsInParallel: 1,
    });

    // Assess
    expect(org.maxAccounts).toBe(1);
    expect(org.firstAssumed).toEqual([VAULT, ...accounts.map((a) => a.id)]);
    expect(result.reads).toHaveLength(accounts.length * REGIONS.length);
    expect(result.vaultReads).toHaveLength(REGIONS.length);
  });

  it('reads as many accounts at once as ACCOUNTS_IN_PARALLEL when not told otherwise, the vault first', async () => {
    // Prepare
    const org = recordingOrganization();
    const accounts = accountsOf(ACCOUNTS_IN_PARALLEL + 4);

    // Act
    const result = await readFleet({ accounts, regions: REGIONS, vaultAccount: VAULT, assume: org.assume });

    // Assess
    expect(org.maxAccounts).toBe(ACCOUNTS_IN_PARALLEL);
    expect(org.firstAssumed[0]).toBe(VAULT);
    expect(result.reads).toHaveLength(accounts.length * REGIONS.length);
    expect(result.unread).toEqual([]);
  });

  it('keeps the RDS requests in flight in one account, all its regions together, within rdsRequestsPerAccount', async () => {
    // Prepare: three regions, two listings each: six requests an account could send at once
    const org = recordingOrganization();

    // Act
    await readFleet({
      accounts: accountsOf(2),
      regions: REGIONS,
      assume: org.assume,
      rdsRequestsPerAccount: 2,
    });

    // Assess
    expect(org.maxRequestsInOneAccount).toBe(2);
    expect(org.maxAccounts).toBe(2);
  });
});

describe('organizationsApi, the Organizations adapter', () => {
  const organizations = mockClient(OrganizationsClient);
  afterEach(() => organizations.reset());
  afterAll(() => organizations.restore());

  it('follows NextToken through every page of accounts and of units (the SDK paginators), child units included', async () => {
    // Prepare: a root whose accounts come in two pages, and one child unit with one account
    organizations
      .on(ListAccountsForParentCommand, { ParentId: 'r-ab12' })
      .resolvesOnce({ Accounts: [{ Id: '111111111111', Status: 'ACTIVE' }], NextToken: 'page-2' })
      .resolvesOnce({ Accounts: [{ Id: '222222222222', Status: 'SUSPENDED' }, { Id: '333333333333' }] });
    organizations
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-11111111' })
      .resolves({ Accounts: [{ Id: '444444444444', Status: 'ACTIVE' }] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'r-ab12' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-11111111' }] });
    organizations.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-11111111' }).resolves({});

    // Act
    const found = await accountsUnder(organizationsApi({ maxAttempts: 1 }), ['r-ab12']);

    // Assess
    expect(found.map((a) => a.id)).toEqual(['111111111111', '333333333333', '444444444444']);
    // Two pages of the root (the second found only through its NextToken) and one of the unit.
    expect(organizations.commandCalls(ListAccountsForParentCommand)).toHaveLength(3);
  });

  it('makes a refusal in an account that runs no organization an AccessDenied saying where to run the command', async () => {
    // Prepare
    organizations.on(ListAccountsForParentCommand).rejects(
      Object.assign(new Error('Your account is not a member of an organization.'), {
        name: 'AWSOrganizationsNotInUseException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const refused = await accountsUnder(organizationsApi({ maxAttempts: 1 }), ['r-ab12']).catch((e) => e);

    // Assess
    expect(refused).toMatchObject({ name: 'AccessDenied' });
    expect((refused as Error).message).toContain(
      'organizations:ListAccountsForParent was refused (AWSOrganizationsNotInUseException',
    );
    expect((refused as Error).message).toContain('management account or of a delegated administrator');
  });
});
