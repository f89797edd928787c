// The organization demo's checks: each passes on a protected organization and fails, naming what is wrong, when
// one thing is missing or touched.
import { describe, expect, it } from 'vitest';
import {
  type ClusterPlace,
  executionsCheck,
  type OrganizationCheckInput,
  organizationChecks,
  stacksCheck,
  statusNamesUntaggedCheck,
  statusShowsProtectedCheck,
  taggedProtectedCheck,
  untaggedUntouchedCheck,
} from '../../src/demo/organization-checks.js';

const A = '111111111111';
const B = '222222222222';
const REGIONS = ['us-east-1', 'eu-west-1'];
const place = (accountId: string, region: string, clusterId: string): ClusterPlace => ({
  accountId,
  region,
  clusterId,
});
const tagged = [A, B].flatMap((account) => REGIONS.map((region) => place(account, region, `db-${account}`)));
const untagged = [A, B].flatMap((account) =>
  REGIONS.map((region) => place(account, region, `scratch-${account}`)),
);

/** An organization where everything went right. */
function protectedOrganization(): OrganizationCheckInput {
  return {
    expectedStacks: [A, B].flatMap((accountId) => REGIONS.map((region) => ({ accountId, region }))),
    stacks: [A, B].flatMap((accountId) =>
      REGIONS.map((region) => ({ accountId, region, status: 'CURRENT', ok: true })),
    ),
    tagged,
    untagged,
    memberSnapshots: tagged.map((t) => ({
      ...t,
      id: `${t.clusterId}-2026-12-08-01-00`,
      byTool: true,
      status: 'available',
    })),
    vaultCopies: tagged.map((t) => ({
      id: `${t.clusterId}-2026-12-08-01-00`,
      region: t.region,
      sourceAccount: t.accountId,
      sourceCluster: t.clusterId,
    })),
    executions: { total: 10, failed: [] },
    fleet: {
      protectedClusters: tagged.map((t) => ({ ...t, inVault: true, problems: [] })),
      unprotected: untagged,
      unread: [],
    },
  };
}

describe('the organization demo checks', () => {
  it('all pass on an organization where every tagged cluster is protected and nothing else touched', () => {
    // Act
    const checks = organizationChecks(protectedOrganization());

    // Assess
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks).toHaveLength(6);
  });

  it('fails the stacks check for a member region whose stack instance did not deploy', () => {
    // Prepare
    const input = protectedOrganization();
    const stacks = input.stacks.map((s) =>
      s.accountId === B && s.region === 'eu-west-1' ? { ...s, status: 'INOPERABLE', ok: false } : s,
    );

    // Act
    const check = stacksCheck({ ...input, stacks });

    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toBe(`missing or not deployed: ${B} eu-west-1 (${B} eu-west-1 INOPERABLE)`);
  });

  it('fails the executions check with the failure, and when nothing ran', () => {
    // Prepare
    const input = protectedOrganization();

    // Act
    const failed = executionsCheck({
      ...input,
      executions: { total: 10, failed: ['vault us-east-1: SnapshotFailed: missing'] },
    });
    const none = executionsCheck({ ...input, executions: { total: 0, failed: [] } });

    // Assess
    expect(failed).toMatchObject({
      ok: false,
      detail: '1 of 10 FAILED: vault us-east-1: SnapshotFailed: missing',
    });
    expect(none).toMatchObject({ ok: false, detail: 'no execution ran' });
  });

  it('fails the protection check for a tagged cluster with no available backup, and one with no vault copy', () => {
    // Prepare
    const input = protectedOrganization();
    const memberSnapshots = input.memberSnapshots.map((s) =>
      s.accountId === A && s.region === 'us-east-1' ? { ...s, status: 'creating' } : s,
    );
    const vaultCopies = input.vaultCopies.filter((c) => !(c.sourceAccount === B && c.region === 'eu-west-1'));

    // Act
    const check = taggedProtectedCheck({ ...input, memberSnapshots, vaultCopies });

    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toBe(`no backup: db-${A}@${A} us-east-1; not in the vault: db-${B}@${B} eu-west-1`);
  });

  it('does not count a vault copy of the same cluster name from another account or region', () => {
    // Prepare
    const input = protectedOrganization();
    const vaultCopies = input.vaultCopies.map((c) =>
      c.sourceAccount === A && c.region === 'eu-west-1' ? { ...c, sourceAccount: B } : c,
    );

    // Act
    const check = taggedProtectedCheck({ ...input, vaultCopies });

    // Assess
    expect(check).toMatchObject({ ok: false, detail: `not in the vault: db-${A}@${A} eu-west-1` });
  });

  it('fails the untouched check for any snapshot of an untagged cluster, and for its copy in the vault', () => {
    // Prepare
    const input = protectedOrganization();
    const memberSnapshots = [
      ...input.memberSnapshots,
      { ...place(A, 'us-east-1', `scratch-${A}`), id: 'by-hand', byTool: false, status: 'available' },
    ];
    const vaultCopies = [
      ...input.vaultCopies,
      { id: 'scratch-copy', region: 'eu-west-1', sourceAccount: B, sourceCluster: `scratch-${B}` },
    ];

    // Act
    const check = untaggedUntouchedCheck({ ...input, memberSnapshots, vaultCopies });

    // Assess
    expect(check).toMatchObject({
      ok: false,
      detail: 'snapshots of untagged clusters: by-hand, scratch-copy in the vault',
    });
  });

  it('fails the naming check when status leaves an untagged cluster out, or names a tagged one', () => {
    // Prepare
    const input = protectedOrganization();
    const unprotected = [
      ...input.fleet.unprotected.filter((u) => !(u.accountId === B && u.region === 'us-east-1')),
      place(A, 'us-east-1', `db-${A}`),
    ];

    // Act
    const check = statusNamesUntaggedCheck({ ...input, fleet: { ...input.fleet, unprotected } });

    // Assess
    expect(check).toMatchObject({
      ok: false,
      detail: `not named: scratch-${B}@${B} us-east-1; named but tagged: db-${A}@${A} us-east-1`,
    });
  });

  it('fails the naming check when there is no untagged cluster to name, and says what status could not read', () => {
    // Prepare
    const input = protectedOrganization();

    // Act
    const check = statusNamesUntaggedCheck({
      ...input,
      untagged: [],
      fleet: { ...input.fleet, unprotected: [], unread: [`${B} eu-west-1: AccessDenied`] },
    });

    // Assess
    expect(check).toMatchObject({
      ok: false,
      detail: `no untagged cluster to name; not read: ${B} eu-west-1: AccessDenied`,
    });
  });

  it('fails the status check for a tagged cluster it does not show, one without a vault copy, and one failing', () => {
    // Prepare
    const input = protectedOrganization();
    const protectedClusters = input.fleet.protectedClusters
      .filter((c) => !(c.accountId === A && c.region === 'us-east-1'))
      .map((c) =>
        c.accountId === B && c.region === 'us-east-1'
          ? { ...c, inVault: false }
          : c.accountId === B && c.region === 'eu-west-1'
            ? { ...c, problems: ['vault-copy-old'] }
            : c,
      );

    // Act
    const check = statusShowsProtectedCheck({ ...input, fleet: { ...input.fleet, protectedClusters } });

    // Assess
    expect(check).toMatchObject({
      ok: false,
      detail: `not shown: db-${A}@${A} us-east-1; no vault copy: db-${B}@${B} us-east-1; failing: db-${B}@${B} eu-west-1: vault-copy-old`,
    });
  });

  it('names at most four places, then how many more', () => {
    // Prepare
    const input = protectedOrganization();
    const more = [...tagged, place(A, 'ap-south-1', `db-${A}`), place(B, 'ap-south-1', `db-${B}`)];

    // Act
    const check = taggedProtectedCheck({ ...input, tagged: more, vaultCopies: [] });

    // Assess
    expect(check.detail).toBe(
      `no backup: db-${A}@${A} ap-south-1, db-${B}@${B} ap-south-1; not in the vault: ${more
        .slice(0, 4)
        .map((t) => `${t.clusterId}@${t.accountId} ${t.region}`)
        .join(', ')} and 2 more`,
    );
  });
});
