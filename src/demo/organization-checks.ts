/**
 * What the organization demo verifies at the end, each a pure check over what it read back from the emulator
 * (every member's snapshots, the vault's copies, the stacks) and over what `status --organization` reported: a
 * failed check names what went wrong, and the demo exits non-zero.
 */
import type { ReportCheck } from '../report/model.js';

/** A cluster of a member account in one region. */
export interface ClusterPlace {
  readonly accountId: string;
  readonly region: string;
  readonly clusterId: string;
}

/** A manual snapshot found in a member account (whoever made it). */
export interface MemberSnapshot extends ClusterPlace {
  readonly id: string;
  /** Tagged as the tool's backup (`CreatedBy`). */
  readonly byTool: boolean;
  readonly status: string;
}

/** A copy the vault keeps, with the cluster and account its source came from (the copy's own tags). */
export interface VaultCopy {
  readonly id: string;
  readonly region: string;
  readonly sourceAccount: string;
  readonly sourceCluster: string;
}

/** The account stack of a member in one region, and how it came (org deploy, or an automatic deployment). */
export interface MemberStack {
  readonly accountId: string;
  readonly region: string;
  readonly status: string;
  readonly ok: boolean;
}

/** What `status --organization` said, reduced to what the checks compare. */
export interface FleetView {
  readonly protectedClusters: readonly (ClusterPlace & {
    readonly inVault: boolean;
    readonly problems: readonly string[];
  })[];
  readonly unprotected: readonly ClusterPlace[];
  /** Places it could not read, said as `<account> <region>: <reason>`. */
  readonly unread: readonly string[];
}

export interface OrganizationCheckInput {
  /** Every member account and region that should have the account stack. */
  readonly expectedStacks: readonly { readonly accountId: string; readonly region: string }[];
  readonly stacks: readonly MemberStack[];
  readonly tagged: readonly ClusterPlace[];
  readonly untagged: readonly ClusterPlace[];
  readonly memberSnapshots: readonly MemberSnapshot[];
  readonly vaultCopies: readonly VaultCopy[];
  readonly executions: { readonly total: number; readonly failed: readonly string[] };
  readonly fleet: FleetView;
}

const placeKey = (p: { readonly accountId: string; readonly region: string; readonly clusterId?: string }) =>
  p.clusterId === undefined ? `${p.accountId} ${p.region}` : `${p.clusterId}@${p.accountId} ${p.region}`;

/** At most `n` items named, then how many more. */
function listed(items: readonly string[], n = 4): string {
  return items.length <= n
    ? items.join(', ')
    : `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}

export function stacksCheck(input: OrganizationCheckInput): ReportCheck {
  const name = 'an account stack in every member and region';
  const ok = new Set(input.stacks.filter((s) => s.ok).map(placeKey));
  const missing = input.expectedStacks.map(placeKey).filter((key) => !ok.has(key));
  const bad = input.stacks.filter((s) => !s.ok).map((s) => `${placeKey(s)} ${s.status}`);
  if (missing.length === 0)
    return { name, ok: true, detail: `${input.expectedStacks.length} stacks (accounts × regions)` };
  return {
    name,
    ok: false,
    detail: `missing or not deployed: ${listed(missing)}${bad.length > 0 ? ` (${listed(bad)})` : ''}`,
  };
}

export function executionsCheck(input: OrganizationCheckInput): ReportCheck {
  const name = 'every execution succeeded';
  const { total, failed } = input.executions;
  if (total === 0) return { name, ok: false, detail: 'no execution ran' };
  if (failed.length === 0) return { name, ok: true, detail: `${total} executions` };
  return { name, ok: false, detail: `${failed.length} of ${total} FAILED: ${listed(failed, 2)}` };
}

export function taggedProtectedCheck(input: OrganizationCheckInput): ReportCheck {
  const name = 'every tagged cluster has a backup and a vault copy';
  if (input.tagged.length === 0) return { name, ok: false, detail: 'no tagged cluster to protect' };
  const backedUp = new Set(
    input.memberSnapshots.filter((s) => s.byTool && s.status === 'available').map(placeKey),
  );
  const inVault = new Set(
    input.vaultCopies.map((c) =>
      placeKey({ accountId: c.sourceAccount, region: c.region, clusterId: c.sourceCluster }),
    ),
  );
  const noBackup = input.tagged.map(placeKey).filter((key) => !backedUp.has(key));
  const noCopy = input.tagged.map(placeKey).filter((key) => !inVault.has(key));
  if (noBackup.length === 0 && noCopy.length === 0) {
    const accounts = new Set(input.tagged.map((t) => t.accountId)).size;
    const backups = input.memberSnapshots.filter((s) => s.byTool).length;
    return {
      name,
      ok: true,
      detail: `${input.tagged.length} clusters in ${accounts} accounts: ${backups} backups kept, ${input.vaultCopies.length} copies in the vault`,
    };
  }
  const problems = [
    ...(noBackup.length > 0 ? [`no backup: ${listed(noBackup)}`] : []),
    ...(noCopy.length > 0 ? [`not in the vault: ${listed(noCopy)}`] : []),
  ];
  return { name, ok: false, detail: problems.join('; ') };
}

export function untaggedUntouchedCheck(input: OrganizationCheckInput): ReportCheck {
  const name = 'no untagged cluster touched';
  const untagged = new Set(input.untagged.map(placeKey));
  const snapshots = input.memberSnapshots.filter((s) => untagged.has(placeKey(s))).map((s) => s.id);
  const copies = input.vaultCopies
    .filter((c) =>
      untagged.has(placeKey({ accountId: c.sourceAccount, region: c.region, clusterId: c.sourceCluster })),
    )
    .map((c) => `${c.id} in the vault`);
  const touched = [...snapshots, ...copies];
  if (touched.length === 0)
    return {
      name,
      ok: true,
      detail: `${input.untagged.length} clusters: no snapshot of them, no copy in the vault`,
    };
  return { name, ok: false, detail: `snapshots of untagged clusters: ${listed(touched)}` };
}

export function statusNamesUntaggedCheck(input: OrganizationCheckInput): ReportCheck {
  const name = 'status --organization names every untagged cluster';
  const named = new Set(input.fleet.unprotected.map(placeKey));
  const expected = new Set(input.untagged.map(placeKey));
  const missing = [...expected].filter((key) => !named.has(key));
  const extra = [...named].filter((key) => !expected.has(key));
  if (missing.length === 0 && extra.length === 0 && expected.size > 0)
    return { name, ok: true, detail: `${expected.size} named as covered by no policy` };
  const problems = [
    ...(expected.size === 0 ? ['no untagged cluster to name'] : []),
    ...(missing.length > 0 ? [`not named: ${listed(missing)}`] : []),
    ...(extra.length > 0 ? [`named but tagged: ${listed(extra)}`] : []),
    ...(input.fleet.unread.length > 0 ? [`not read: ${listed(input.fleet.unread, 2)}`] : []),
  ];
  return { name, ok: false, detail: problems.join('; ') };
}

export function statusShowsProtectedCheck(input: OrganizationCheckInput): ReportCheck {
  const name = 'status --organization shows every tagged cluster in the vault';
  const shown = new Map(input.fleet.protectedClusters.map((c) => [placeKey(c), c]));
  const missing = input.tagged.map(placeKey).filter((key) => !shown.has(key));
  const notInVault = input.fleet.protectedClusters.filter((c) => !c.inVault).map(placeKey);
  const failing = input.fleet.protectedClusters
    .filter((c) => c.problems.length > 0)
    .map((c) => `${placeKey(c)}: ${c.problems.join(', ')}`);
  if (missing.length === 0 && notInVault.length === 0 && failing.length === 0 && input.tagged.length > 0)
    return { name, ok: true, detail: `${input.tagged.length} protected, none failing` };
  const problems = [
    ...(input.tagged.length === 0 ? ['no tagged cluster to show'] : []),
    ...(missing.length > 0 ? [`not shown: ${listed(missing)}`] : []),
    ...(notInVault.length > 0 ? [`no vault copy: ${listed(notInVault)}`] : []),
    ...(failing.length > 0 ? [`failing: ${listed(failing, 2)}`] : []),
    ...(input.fleet.unread.length > 0 ? [`not read: ${listed(input.fleet.unread, 2)}`] : []),
  ];
  return { name, ok: false, detail: problems.join('; ') };
}

/** Every check, in the order the demo prints them. */
export function organizationChecks(input: OrganizationCheckInput): ReportCheck[] {
  return [
    stacksCheck(input),
    executionsCheck(input),
    taggedProtectedCheck(input),
    untaggedUntouchedCheck(input),
    statusNamesUntaggedCheck(input),
    statusShowsProtectedCheck(input),
  ];
}
