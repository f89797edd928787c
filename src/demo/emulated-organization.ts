/**
 * An organization in moto's Organizations (management account, organizational units, member accounts), for the
 * organization demo and the tests, spoken to in its JSON protocol directly: the tool only reads an organization
 * (status --organization) and targets its units (org deploy); building and reshaping one is the emulator's part.
 */
import { MOTO_ACCOUNT_HEADER } from '../aws/clients.js';
import { EMULATOR_DEFAULT_ACCOUNT } from './emulator.js';

const TARGET_PREFIX = 'AWSOrganizationsV20161128';

/** One Organizations call to `endpoint` as `account`; moto checks no signature, only the service it names. */
export async function organizationsCall<T>(
  endpoint: string,
  action: string,
  input: Readonly<Record<string, unknown>>,
  account: string = EMULATOR_DEFAULT_ACCOUNT,
): Promise<T> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${TARGET_PREFIX}.${action}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0',
      [MOTO_ACCOUNT_HEADER]: account,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Organizations ${action} failed (${response.status}): ${text}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

export interface EmulatedOrganization {
  readonly id: string;
  readonly management: string;
  readonly root: string;
  /** Organizational unit ids by name. */
  readonly units: Readonly<Record<string, string>>;
  /** Account ids by name. */
  readonly accounts: Readonly<Record<string, string>>;
}

export interface OrganizationSpec {
  /** Unit name -> the names of the accounts created in it. */
  readonly units: Readonly<Record<string, readonly string[]>>;
  /** Accounts left at the root (a vault account, say). */
  readonly atRoot?: readonly string[];
}

/** Creates the organization in the management account (moto's default account), its units and its accounts. */
export async function createOrganization(
  endpoint: string,
  spec: OrganizationSpec,
): Promise<EmulatedOrganization> {
  const call = <T>(action: string, input: Record<string, unknown>) =>
    organizationsCall<T>(endpoint, action, input);
  const { Organization } = await call<{ Organization: { Id: string; MasterAccountId: string } }>(
    'CreateOrganization',
    { FeatureSet: 'ALL' },
  );
  const { Roots } = await call<{ Roots: { Id: string }[] }>('ListRoots', {});
  const root = Roots[0]?.Id ?? '';
  const units: Record<string, string> = {};
  const accounts: Record<string, string> = {};
  const createAccount = async (name: string) => {
    const { CreateAccountStatus } = await call<{ CreateAccountStatus: { AccountId: string } }>(
      'CreateAccount',
      {
        AccountName: name,
        Email: `${name}@example.com`,
      },
    );
    accounts[name] = CreateAccountStatus.AccountId;
    return CreateAccountStatus.AccountId;
  };
  for (const [unit, members] of Object.entries(spec.units)) {
    const { OrganizationalUnit } = await call<{ OrganizationalUnit: { Id: string } }>(
      'CreateOrganizationalUnit',
      {
        ParentId: root,
        Name: unit,
      },
    );
    units[unit] = OrganizationalUnit.Id;
    for (const member of members) {
      const id = await createAccount(member);
      await call('MoveAccount', {
        AccountId: id,
        SourceParentId: root,
        DestinationParentId: OrganizationalUnit.Id,
      });
    }
  }
  for (const name of spec.atRoot ?? []) await createAccount(name);
  return { id: Organization.Id, management: Organization.MasterAccountId, root, units, accounts };
}

/** Creates an account and moves it into a unit: an account joining the organization later. */
export async function addAccount(
  endpoint: string,
  organization: EmulatedOrganization,
  name: string,
  unit: string,
): Promise<string> {
  const { CreateAccountStatus } = await organizationsCall<{ CreateAccountStatus: { AccountId: string } }>(
    endpoint,
    'CreateAccount',
    { AccountName: name, Email: `${name}@example.com` },
  );
  await organizationsCall(endpoint, 'MoveAccount', {
    AccountId: CreateAccountStatus.AccountId,
    SourceParentId: organization.root,
    DestinationParentId: organization.units[unit],
  });
  return CreateAccountStatus.AccountId;
}
