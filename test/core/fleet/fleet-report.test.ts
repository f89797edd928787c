// The fleet report: protected clusters of every member account and region with their newest backup,
// recovery points at each destination and in the vault, last drill and problems; the Aurora clusters no
// policy covers; the places that could not be read.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { backupPolicyOf } from '../../../src/config/to-core.js';
import {
  type FleetInput,
  type FleetPolicy,
  fleetReport,
  memberRegions,
  type RegionRead,
  regionObservation,
} from '../../../src/core/fleet/index.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { TAG } from '../../../src/core/model/tags.js';
import { backup, cluster, drCopy, hoursAfter } from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T00:00:00.000Z');
const MEMBER = '111111111111';
const OTHER = '222222222222';
const VAULT = '999999999999';

function fleetPolicy(extra: Record<string, unknown> = {}, fleet: Partial<FleetPolicy> = {}): FleetPolicy {
  const source = parseConfig({
    Source: {
      Region: 'us-east-1',
      ClusterNamePattern: 'ALL_CLUSTERS',
      ClusterTags: { backup: 'daily' },
      BackupInterval: 24,
      ShareSnapshots: true,
      Destinations: [{ Region: 'us-west-2' }, { Region: 'us-east-1', Account: VAULT }],
      ...extra,
    },
  }).Source as SourceConfig;
  return {
    policy: backupPolicyOf(source),
    regions: ['us-east-1'],
    vaultAccount: VAULT,
    objectiveHours: 48,
    ...fleet,
  };
}

const tagged = (id: string, account = MEMBER, region = 'us-east-1') =>
  cluster(id, {
    arn: `arn:aws:rds:${region}:${account}:cluster:${id}`,
    tags: { backup: 'daily' },
  });

/** A backup of `account`'s cluster, shared with the vault, and its DR copy in us-west-2. */
function backedUp(
  clusterId: string,
  hoursAgo: number,
  account = MEMBER,
): { own: SnapshotInfo; copy: SnapshotInfo } {
  const own = backup(clusterId, hoursAfter(NOW, -hoursAgo), {
    accountId: account,
    tags: { [TAG.SourceAccount]: account, [TAG.SharedWith]: VAULT },
  });
  return { own, copy: drCopy(own, 'us-west-2', { accountId: account }) };
}

/** The vault's copy of a member's shared backup, tagged as the destination planner tags it. */
function vaultCopy(of: SnapshotInfo, account = MEMBER): SnapshotInfo {
  return drCopy(of, 'us-east-1', {
    accountId: VAULT,
    tags: { [TAG.SourceAccount]: account, [TAG.Purpose]: 'dr-copy' },
  });
}

function read(accountId: string, region: string, fields: Partial<RegionRead> = {}): RegionRead {
  return { accountId, region, clusters: [], snapshots: [], ...fields };
}

function input(fields: Partial<FleetInput>): FleetInput {
  return {
    now: NOW,
    fleet: fleetPolicy(),
    accounts: [{ id: MEMBER, name: 'payments' }],
    reads: [],
    vaultReads: [],
    unread: [],
    ...fields,
  };
}

describe('fleetReport', () => {
  it('gives each protected cluster its newest backup, the recovery point at each destination and in the vault, and no problem when all are recent', () => {
    // Prepare
    const { own, copy } = backedUp('orders', 6);
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [own] }),
      read(MEMBER, 'us-west-2', { snapshots: [copy] }),
    ];
    // Act
    const report = fleetReport(
      input({ reads, vaultReads: [read(VAULT, 'us-east-1', { snapshots: [vaultCopy(own)] })] }),
    );
    // Assess
    const [account] = report.accounts;
    expect(account?.name).toBe('payments');
    expect(account?.regions).toEqual(['us-east-1', 'us-west-2']);
    const [orders] = account?.clusters ?? [];
    expect(orders).toMatchObject({
      accountId: MEMBER,
      region: 'us-east-1',
      clusterId: 'orders',
      latestSnapshot: { id: own.id, ageHours: 6 },
      recoveryPoint: { id: copy.id, region: 'us-west-2', ageHours: 6 },
      vault: { id: own.id, region: 'us-east-1', ageHours: 6 },
      problems: [],
    });
    expect(orders?.destinations.map((d) => [d.id, d.latestCopy?.region, d.lagging])).toEqual([
      ['us-west-2', 'us-west-2', false],
      [`${VAULT}@us-east-1`, 'us-east-1', false],
    ]);
    expect(report.totals).toMatchObject({ protectedClusters: 1, failingClusters: 0, unprotectedClusters: 0 });
  });

  it('names an untagged Aurora cluster and one with another tag value as unprotected, with the tag it lacks, and leaves other engines out', () => {
    // Prepare
    const reads = [
      read(MEMBER, 'us-east-1', {
        clusters: [
          tagged('orders'),
          cluster('scratch'),
          cluster('weekly', { tags: { backup: 'weekly' } }),
          cluster('graph', { engine: 'neptune' }),
        ],
      }),
    ];
    // Act
    const report = fleetReport(input({ reads }));
    // Assess
    expect(report.accounts[0]?.unprotected).toEqual([
      {
        accountId: MEMBER,
        region: 'us-east-1',
        clusterId: 'scratch',
        code: 'tags-mismatch',
        reason: 'cluster scratch has no tag backup (ClusterTags)',
      },
      {
        accountId: MEMBER,
        region: 'us-east-1',
        clusterId: 'weekly',
        code: 'tags-mismatch',
        reason: 'cluster weekly has tag backup="weekly", not "daily" (ClusterTags)',
      },
    ]);
    expect(report.totals.unprotectedClusters).toBe(2);
  });

  it('names a cluster the name pattern does not match, and a tagged cluster in a region where the policy does not run', () => {
    // Prepare
    const fleet = fleetPolicy({ ClusterNamePattern: '^prod-' });
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('dev-1')] }),
      read(MEMBER, 'us-west-2', { clusters: [tagged('prod-dr', MEMBER, 'us-west-2')] }),
    ];
    // Act
    const report = fleetReport(input({ fleet, reads }));
    // Assess
    expect(report.accounts[0]?.unprotected.map((u) => [u.clusterId, u.code, u.reason])).toEqual([
      ['dev-1', 'name-mismatch', 'cluster dev-1 does not match ClusterNamePattern "^prod-"'],
      [
        'prod-dr',
        'region-not-covered',
        'cluster prod-dr is in us-west-2, where the policy does not run (Organization.Regions: us-east-1)',
      ],
    ]);
    expect(report.accounts[0]?.clusters).toEqual([]);
  });

  it('names the clusters of a region where the policy does not run by name, whatever the order read', () => {
    // Prepare
    const reads = [
      read(MEMBER, 'us-west-2', {
        clusters: [tagged('zeta', MEMBER, 'us-west-2'), tagged('alpha', MEMBER, 'us-west-2')],
      }),
    ];
    // Act
    const report = fleetReport(input({ reads }));
    // Assess
    expect(report.accounts[0]?.unprotected.map((u) => u.clusterId)).toEqual(['alpha', 'zeta']);
  });

  it('says a tagged cluster with no backup is failing for that reason alone', () => {
    // Act
    const report = fleetReport(
      input({
        reads: [read(MEMBER, 'us-east-1', { clusters: [tagged('orders')] })],
        vaultReads: [read(VAULT, 'us-east-1')],
      }),
    );
    // Assess
    expect(report.accounts[0]?.clusters[0]?.problems).toEqual([
      { code: 'no-backup', message: 'no backup taken by the tool yet' },
    ]);
    expect(report.totals.failingClusters).toBe(1);
  });

  it('says why a cluster is failing: recovery point over the objective, a destination lagging, no vault copy', () => {
    // Prepare: the newest backup (2 h) is not copied yet, the last copy is 60 h old
    const old = backedUp('orders', 60);
    const fresh = backup('orders', hoursAfter(NOW, -2), { tags: { [TAG.SourceAccount]: MEMBER } });
    const fleet = fleetPolicy({ MaxWaitMinutes: 60 });
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [old.own, fresh] }),
      read(MEMBER, 'us-west-2', { snapshots: [old.copy] }),
    ];
    // Act
    const report = fleetReport(input({ fleet, reads, vaultReads: [read(VAULT, 'us-east-1')] }));
    // Assess
    const problems = report.accounts[0]?.clusters[0]?.problems ?? [];
    expect(problems.map((p) => p.code)).toEqual([
      'recovery-point-old',
      'destination-lagging',
      'destination-lagging',
      'no-vault-copy',
    ]);
    expect(problems[0]?.message).toBe(
      `recovery point ${old.copy.id} (us-west-2) is 60h old, over the objective of 48h`,
    );
    expect(problems[1]?.message).toBe(`destination us-west-2 lacks ${fresh.id} for 2h`);
    expect(problems[3]?.message).toBe(`no copy in the vault account ${VAULT}`);
  });

  it('reports a failed newest backup and an old vault copy', () => {
    // Prepare
    const old = backedUp('orders', 50);
    const failed = backup('orders', hoursAfter(NOW, -1), { status: 'failed' });
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [old.own, failed] }),
      read(MEMBER, 'us-west-2', { snapshots: [old.copy] }),
    ];
    // Act
    const report = fleetReport(
      input({ reads, vaultReads: [read(VAULT, 'us-east-1', { snapshots: [vaultCopy(old.own)] })] }),
    );
    // Assess
    const problems = report.accounts[0]?.clusters[0]?.problems ?? [];
    expect(problems.map((p) => p.code)).toEqual(['backup-failed', 'recovery-point-old', 'vault-copy-old']);
    expect(problems[0]?.message).toBe(`newest backup ${failed.id} is failed`);
    expect(problems[2]?.message).toBe(
      `newest vault copy ${old.own.id} (us-east-1) is 50h old, over the objective of 48h`,
    );
  });

  it('says a cluster whose only backup failed has nothing to restore from', () => {
    // Prepare
    const failed = backup('orders', hoursAfter(NOW, -1), { status: 'failed' });
    const reads = [read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [failed] })];
    // Act
    const report = fleetReport(input({ reads }));
    // Assess
    expect(report.accounts[0]?.clusters[0]?.problems).toEqual([
      { code: 'backup-failed', message: `newest backup ${failed.id} is failed` },
      { code: 'no-recovery-point', message: 'no available snapshot or copy to restore from' },
    ]);
  });

  it('reports no problem for a recovery point and a vault copy exactly as old as the objective', () => {
    // Prepare
    const { own, copy } = backedUp('orders', 48);
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [own] }),
      read(MEMBER, 'us-west-2', { snapshots: [copy] }),
    ];
    // Act
    const report = fleetReport(
      input({ reads, vaultReads: [read(VAULT, 'us-east-1', { snapshots: [vaultCopy(own)] })] }),
    );
    // Assess
    expect(report.accounts[0]?.clusters[0]?.problems).toEqual([]);
  });

  it('finds the copies of a cluster in each of the regions its copies go to', () => {
    // Prepare
    const fleet = fleetPolicy({
      Destinations: [{ Region: 'us-west-2' }, { Region: 'eu-west-1' }],
      MaxWaitMinutes: 60,
    });
    const { own, copy } = backedUp('orders', 6);
    const euCopy = drCopy(own, 'eu-west-1', { accountId: MEMBER });
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [own] }),
      read(MEMBER, 'us-west-2', { snapshots: [copy] }),
      read(MEMBER, 'eu-west-1', { snapshots: [euCopy] }),
    ];
    // Act
    const report = fleetReport(input({ fleet: { ...fleet, vaultAccount: undefined }, reads }));
    // Assess
    const [orders] = report.accounts[0]?.clusters ?? [];
    expect(orders?.destinations.map((d) => [d.id, d.latestCopy?.id, d.lagging])).toEqual([
      ['us-west-2', copy.id, false],
      ['eu-west-1', euCopy.id, false],
    ]);
    expect(orders?.problems).toEqual([]);
  });

  it('takes a vault copy only for its own account, region and cluster', () => {
    // Prepare: the vault holds a copy of another account's cluster of the same name
    const { own, copy } = backedUp('orders', 6);
    const theirs = backedUp('orders', 1, OTHER).own;
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [own] }),
      read(MEMBER, 'us-west-2', { snapshots: [copy] }),
    ];
    // Act
    const report = fleetReport(
      input({ reads, vaultReads: [read(VAULT, 'us-east-1', { snapshots: [vaultCopy(theirs, OTHER)] })] }),
    );
    // Assess
    expect(report.accounts[0]?.clusters[0]?.vault).toBeUndefined();
    expect(report.accounts[0]?.clusters[0]?.problems.map((p) => p.code)).toEqual(['no-vault-copy']);
  });

  it('leaves the vault out of the problems when the vault could not be read: its copies are unknown, not missing', () => {
    // Prepare
    const { own, copy } = backedUp('orders', 6);
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [own] }),
      read(MEMBER, 'us-west-2', { snapshots: [copy] }),
    ];
    const unread = [{ accountId: VAULT, code: 'AccessDenied', reason: 'role not assumable' }];
    // Act
    const report = fleetReport(input({ reads, unread }));
    // Assess
    expect(report.accounts[0]?.clusters[0]?.problems).toEqual([]);
    expect(report.vaultUnread).toEqual(unread);
  });

  it('gives the last drill recorded on the cluster snapshots, in the account or on the vault copy', () => {
    // Prepare
    const { own, copy } = backedUp('orders', 6);
    const drilled = vaultCopy(own);
    const verified = {
      ...drilled,
      tags: {
        ...drilled.tags,
        [TAG.RestoreVerified]: hoursAfter(NOW, -3).toISOString(),
        [TAG.RestoreMinutes]: '14',
      },
    };
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [own] }),
      read(MEMBER, 'us-west-2', { snapshots: [copy] }),
    ];
    // Act
    const report = fleetReport(
      input({ reads, vaultReads: [read(VAULT, 'us-east-1', { snapshots: [verified] })] }),
    );
    // Assess
    expect(report.accounts[0]?.clusters[0]?.lastDrill).toEqual({
      snapshotId: own.id,
      region: 'us-east-1',
      at: hoursAfter(NOW, -3).toISOString(),
      minutes: 14,
    });
  });

  it('takes as a vault copy only an available manual snapshot the tool copied', () => {
    // Prepare: the vault holds a copy still being made, an automated one and one the tool did not copy
    const { own, copy } = backedUp('orders', 6);
    const made = vaultCopy(own);
    const { [TAG.CopiedBy]: _copiedBy, ...notCopiedTags } = made.tags;
    const vaultSnapshots = [
      { ...made, id: 'creating', status: 'creating' },
      { ...made, id: 'automated', type: 'automated' },
      { ...made, id: 'foreign', tags: notCopiedTags },
    ];
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [own] }),
      read(MEMBER, 'us-west-2', { snapshots: [copy] }),
    ];
    // Act
    const report = fleetReport(
      input({ reads, vaultReads: [read(VAULT, 'us-east-1', { snapshots: vaultSnapshots })] }),
    );
    // Assess
    expect(report.accounts[0]?.clusters[0]?.vault).toBeUndefined();
    expect(report.accounts[0]?.clusters[0]?.problems.map((p) => p.code)).toEqual(['no-vault-copy']);
  });

  it('names a cluster in a region where the policy does not run with every region where it runs', () => {
    // Prepare
    const fleet = fleetPolicy({}, { regions: ['us-east-1', 'eu-west-1'] });
    const reads = [
      read(MEMBER, 'ap-south-1', {
        clusters: [tagged('alpha', MEMBER, 'ap-south-1'), tagged('zeta', MEMBER, 'ap-south-1')],
      }),
    ];
    // Act
    const report = fleetReport(input({ fleet, reads }));
    // Assess
    expect(report.accounts[0]?.unprotected.map((u) => [u.clusterId, u.reason])).toEqual([
      [
        'alpha',
        'cluster alpha is in ap-south-1, where the policy does not run (Organization.Regions: us-east-1, eu-west-1)',
      ],
      [
        'zeta',
        'cluster zeta is in ap-south-1, where the policy does not run (Organization.Regions: us-east-1, eu-west-1)',
      ],
    ]);
  });

  it('names the unprotected clusters of a region where the policy runs in the order of their names', () => {
    // Prepare
    const reads = [read(MEMBER, 'us-east-1', { clusters: [cluster('zeta'), cluster('alpha')] })];
    // Act
    const report = fleetReport(input({ reads }));
    // Assess
    expect(report.accounts[0]?.unprotected.map((u) => u.clusterId)).toEqual(['alpha', 'zeta']);
  });

  it('names a cluster the exclude pattern matches as excluded, with the pattern', () => {
    // Prepare
    const fleet = fleetPolicy({ ExcludeClusterPattern: '^tmp-' });
    const reads = [read(MEMBER, 'us-east-1', { clusters: [tagged('tmp-1')] })];
    // Act
    const report = fleetReport(input({ fleet, reads }));
    // Assess
    expect(report.accounts[0]?.unprotected).toEqual([
      {
        accountId: MEMBER,
        region: 'us-east-1',
        clusterId: 'tmp-1',
        code: 'excluded',
        reason: 'cluster tmp-1 matches ExcludeClusterPattern "^tmp-"',
      },
    ]);
  });

  it('quotes a tag value that reads ": left out" whole in the reason a cluster is unprotected', () => {
    // Prepare
    const reads = [
      read(MEMBER, 'us-east-1', { clusters: [cluster('odd', { tags: { backup: 'x: left out' } })] }),
    ];
    // Act
    const report = fleetReport(input({ reads }));
    // Assess
    expect(report.accounts[0]?.unprotected.map((u) => u.reason)).toEqual([
      'cluster odd has tag backup="x: left out", not "daily" (ClusterTags)',
    ]);
  });

  it('gives the regions read of an account in the order of their names', () => {
    // Prepare
    const reads = [read(MEMBER, 'us-west-2'), read(MEMBER, 'eu-west-1'), read(MEMBER, 'us-east-1')];
    // Act
    const report = fleetReport(input({ reads }));
    // Assess
    expect(report.accounts[0]?.regions).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
  });

  it('gives the vault account and, as the vault places unread, only those of the vault account', () => {
    // Prepare
    const vaultPlace = { accountId: VAULT, code: 'AccessDenied', reason: 'role not assumable' };
    const memberPlace = { accountId: OTHER, code: 'AccessDenied', reason: 'role not assumable' };
    // Act
    const report = fleetReport(input({ unread: [memberPlace, vaultPlace] }));
    // Assess
    expect(report.vaultAccount).toBe(VAULT);
    expect(report.vaultUnread).toEqual([vaultPlace]);
  });

  it('has no vault account, and no account name, where none is given', () => {
    // Act
    const report = fleetReport(
      input({ fleet: fleetPolicy({}, { vaultAccount: undefined }), accounts: [{ id: MEMBER }] }),
    );
    // Assess
    expect(Object.keys(report)).not.toContain('vaultAccount');
    expect(Object.keys(report.accounts[0] ?? {})).toEqual([
      'accountId',
      'regions',
      'clusters',
      'unprotected',
      'unread',
    ]);
  });

  it('counts as read every account none of whose places went unread', () => {
    // Prepare
    const unread = [{ accountId: OTHER, code: 'AccessDenied', reason: 'role not assumable' }];
    // Act
    const report = fleetReport(
      input({ accounts: [{ id: MEMBER }, { id: OTHER }, { id: '333333333333' }], unread }),
    );
    // Assess
    expect(report.totals).toMatchObject({ accounts: 3, accountsRead: 2, placesUnread: 1 });
  });

  it('names an account that could not be read, counts it, and still lists the accounts that were', () => {
    // Prepare
    const unread = [
      {
        accountId: OTHER,
        code: 'AccessDenied',
        reason: 'could not assume arn:aws:iam::222222222222:role/AuroraSnapshotTool-StatusReader-us-east-1',
      },
    ];
    // Act
    const report = fleetReport(
      input({
        accounts: [{ id: OTHER }, { id: MEMBER }],
        reads: [read(MEMBER, 'us-east-1', { clusters: [tagged('orders')] })],
        unread,
      }),
    );
    // Assess
    expect(report.accounts.map((a) => [a.accountId, a.unread.length, a.clusters.length])).toEqual([
      [MEMBER, 0, 1],
      [OTHER, 1, 0],
    ]);
    expect(report.accounts[1]?.unread).toEqual(unread);
    expect(report.totals).toMatchObject({ accounts: 2, accountsRead: 1, placesUnread: 1 });
  });
});

describe('memberRegions', () => {
  it('reads the regions where the policy runs, then each other region its copies go to, once', () => {
    // Act
    const regions = memberRegions(fleetPolicy({}, { regions: ['us-east-1', 'eu-west-1'] }));
    // Assess
    expect(regions).toEqual(['us-east-1', 'eu-west-1', 'us-west-2']);
  });
});

describe('regionObservation', () => {
  it('observes a region with its one copy region from the reads of its own account alone, with no quota and no keys', () => {
    // Prepare
    const { own, copy } = backedUp('orders', 6);
    const theirs = backedUp('orders', 6, OTHER).copy;
    const source = read(MEMBER, 'us-east-1', { clusters: [tagged('orders')], snapshots: [own] });
    const reads = [
      read(OTHER, 'us-west-2', { snapshots: [theirs] }),
      source,
      read(MEMBER, 'us-west-2', { snapshots: [copy] }),
    ];
    // Act
    const observation = regionObservation(fleetPolicy(), source, reads, NOW);
    // Assess
    expect(observation).toStrictEqual({
      now: NOW,
      accountId: MEMBER,
      region: 'us-east-1',
      clusters: source.clusters,
      snapshots: [own],
      destinationSnapshots: [copy],
      manualSnapshotQuota: 0,
      awsManagedKeys: [],
    });
  });
});
