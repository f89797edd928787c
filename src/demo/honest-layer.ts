/**
 * A loopback layer in front of moto that answers as AWS does where moto is lenient or silent: another account's
 * snapshot tags hidden, and the organizational unit of each stack instance of a service-managed StackSet named.
 * The organization demo and every test speak to moto through it.
 */
import { MOTO_ACCOUNT_HEADER } from '../aws/clients.js';
import { organizationsCall } from './emulated-organization.js';
import { EMULATOR_DEFAULT_ACCOUNT } from './emulator.js';
import { type Layer, startAnswerLayer } from './http-forward.js';

const SNAPSHOT_BLOCK = /<DBClusterSnapshot>[\s\S]*?<\/DBClusterSnapshot>/g;
const SNAPSHOT_ARN = /<DBClusterSnapshotArn>arn:[^:<]+:rds:[^:<]*:(\d{12}):/;
const TAG_LIST = /<TagList>[\s\S]*?<\/TagList>|<TagList\s*\/>/;

/**
 * moto returns the tags of a snapshot another account shared; AWS returns them only to the owning
 * account. Removes the TagList of each cluster snapshot the caller does not own from a
 * DescribeDBClusterSnapshots answer.
 */
export function withoutForeignTags(xml: string, callerAccount: string): string {
  return xml.replace(SNAPSHOT_BLOCK, (block) => {
    const owner = SNAPSHOT_ARN.exec(block)?.[1];
    return owner !== undefined && owner !== callerAccount ? block.replace(TAG_LIST, '') : block;
  });
}

const INSTANCE_ACCOUNT = /<Account>(\d{12})<\/Account>/g;

/**
 * AWS's ListStackInstances names, for a service-managed StackSet, the organizational unit each instance was
 * deployed for (`OrganizationalUnitId`); moto leaves it out. Adds it to each summary: the account's parent in
 * moto's Organizations (the unit targeted, for accounts put directly in the units targeted).
 */
async function withOrganizationalUnits(xml: string, target: string, caller: string): Promise<string> {
  const parents = new Map<string, string>();
  for (const [, account] of xml.matchAll(INSTANCE_ACCOUNT)) {
    if (account === undefined || parents.has(account)) continue;
    const answer = await organizationsCall<{ Parents?: { Id?: string }[] }>(
      target,
      'ListParents',
      { ChildId: account },
      caller,
    ).catch(() => undefined);
    const parent = answer?.Parents?.[0]?.Id;
    if (parent !== undefined) parents.set(account, parent);
  }
  return xml.replace(INSTANCE_ACCOUNT, (whole, account: string) => {
    const parent = parents.get(account);
    return parent === undefined ? whole : `${whole}<OrganizationalUnitId>${parent}</OrganizationalUnitId>`;
  });
}

/** Starts the layer in front of `target` (moto) on a free loopback port. */
export function startAwsHonestLayer(target: string): Promise<Layer> {
  const base = new URL(target).origin;
  return startAnswerLayer(target, 'moto layer', async ({ action }, req, answer) => {
    if (answer.status !== 200) return undefined;
    const header = req.headers[MOTO_ACCOUNT_HEADER];
    const caller = typeof header === 'string' ? header : EMULATOR_DEFAULT_ACCOUNT;
    if (action === 'DescribeDBClusterSnapshots') {
      return { ...answer, body: Buffer.from(withoutForeignTags(answer.body.toString('utf8'), caller)) };
    }
    if (action === 'ListStackInstances') {
      const xml = await withOrganizationalUnits(answer.body.toString('utf8'), base, caller);
      return { ...answer, body: Buffer.from(xml) };
    }
    return undefined;
  });
}
