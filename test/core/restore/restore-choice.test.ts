// Which copy a restore restores, and the reason it gives: the newest available copy of the cluster, narrowed by --snapshot or --before.
import { describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { chooseRestoreSnapshot, drilledAt, isRestoreCandidate } from '../../../src/core/restore/index.js';
import { snapshot } from '../../support/snapshot-builder.js';

const REGION = 'us-west-2';
const copy = (id: string, at: string, extra: Record<string, string> = {}, status = 'available') =>
  snapshot(id, {
    region: REGION,
    status,
    pointInTime: at,
    tags: {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceCluster]: 'prod-db',
      [TAG.Purpose]: 'dr-copy',
      ...extra,
    },
  });
const drilled = (on: string) => ({ [TAG.RestoreVerified]: on, [TAG.RestoreMinutes]: '21' });

describe('chooseRestoreSnapshot', () => {
  describe('in a vault holding copies of clusters of the same name from several accounts', () => {
    const A = '111122223333';
    const B = '444455556666';
    const snapshots = [
      copy('prod-db-2026-07-05-00-00-111122223333', '2026-07-05T00:00:00Z', { [TAG.SourceAccount]: A }),
      copy('prod-db-2026-07-06-00-00-444455556666', '2026-07-06T00:00:00Z', { [TAG.SourceAccount]: B }),
    ];

    it("refuses to choose without --source-account, naming the accounts, rather than restore another account's data", () => {
      // Act
      const choice = chooseRestoreSnapshot({ snapshots, clusterId: 'prod-db', region: REGION });
      // Assess
      expect(choice).toEqual({
        ok: false,
        parameter: '--source-account',
        reason: `copies of a cluster prod-db of 2 accounts are in ${REGION} (${A}, ${B}): name the account whose cluster to restore with --source-account`,
      });
    });

    it('names the accounts in order whatever the order the copies are listed in', () => {
      // Act
      const choice = chooseRestoreSnapshot({
        snapshots: [...snapshots].reverse(),
        clusterId: 'prod-db',
        region: REGION,
      });
      // Assess
      expect(choice.ok || choice.reason).toBe(
        `copies of a cluster prod-db of 2 accounts are in ${REGION} (${A}, ${B}): name the account whose cluster to restore with --source-account`,
      );
    });

    it('restores the --snapshot of the account --source-account names', () => {
      // Act
      const choice = chooseRestoreSnapshot({
        snapshots,
        clusterId: 'prod-db',
        region: REGION,
        sourceAccount: B,
        snapshotId: 'prod-db-2026-07-06-00-00-444455556666',
      });
      // Assess
      expect(choice).toEqual({
        ok: true,
        snapshot: snapshots[1],
        reason: 'the snapshot named by --snapshot, never drilled',
      });
    });

    it('refuses with --source-account a --snapshot copied before the SourceAccount tag, its account being unknown', () => {
      // Prepare
      const untagged = copy('prod-db-2026-07-04-00-00', '2026-07-04T00:00:00Z');
      // Act
      const choice = chooseRestoreSnapshot({
        snapshots: [untagged, ...snapshots],
        clusterId: 'prod-db',
        region: REGION,
        sourceAccount: A,
        snapshotId: untagged.id,
      });
      // Assess
      expect(choice).toEqual({
        ok: false,
        parameter: '--snapshot',
        value: untagged.id,
        reason: `snapshot prod-db-2026-07-04-00-00 holds a cluster of account unknown (no SourceAccount tag), not ${A}`,
      });
    });

    it("restores the newest copy of the named account's cluster, though another account's is newer", () => {
      // Act
      const choice = chooseRestoreSnapshot({
        snapshots,
        clusterId: 'prod-db',
        region: REGION,
        sourceAccount: A,
      });
      const none = chooseRestoreSnapshot({
        snapshots,
        clusterId: 'prod-db',
        region: REGION,
        sourceAccount: '999999999999',
      });
      // Assess
      expect(choice.ok && choice.snapshot.id).toBe('prod-db-2026-07-05-00-00-111122223333');
      expect(none).toMatchObject({ ok: false, parameter: '--cluster' });
      expect(!none.ok && none.reason).toContain('check --region and --account and --source-account');
    });

    it('counts a copy made before the SourceAccount tag as no other account: one known account restores as before', () => {
      // Prepare: a copy of the original tool's (no SourceAccount) beside a tagged newer one
      const older = copy('prod-db-2026-07-04-00-00', '2026-07-04T00:00:00Z');
      const both = [older, snapshots[0] as (typeof snapshots)[number]];
      // Act
      const choice = chooseRestoreSnapshot({ snapshots: both, clusterId: 'prod-db', region: REGION });
      const onlyOld = chooseRestoreSnapshot({ snapshots: [older], clusterId: 'prod-db', region: REGION });
      // Assess
      expect(choice.ok && choice.snapshot.id).toBe('prod-db-2026-07-05-00-00-111122223333');
      expect(onlyOld.ok && onlyOld.snapshot.id).toBe('prod-db-2026-07-04-00-00');
    });

    it("refuses a --snapshot of another account's cluster than --source-account names", () => {
      // Act
      const choice = chooseRestoreSnapshot({
        snapshots,
        clusterId: 'prod-db',
        region: REGION,
        sourceAccount: A,
        snapshotId: 'prod-db-2026-07-06-00-00-444455556666',
      });
      // Assess
      expect(choice).toMatchObject({
        ok: false,
        parameter: '--snapshot',
        reason: `snapshot prod-db-2026-07-06-00-00-444455556666 holds a cluster of account ${B}, not ${A}`,
      });
    });
  });

  it('restores the newest available copy of the cluster and says it was never drilled', () => {
    // Prepare
    const snapshots = [
      copy('prod-db-2026-07-03-00-00', '2026-07-03T00:00:00Z'),
      copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z'),
      copy('prod-db-2026-07-06-00-00', '2026-07-06T00:00:00Z', {}, 'copying'),
    ];

    // Act
    const choice = chooseRestoreSnapshot({ snapshots, clusterId: 'prod-db', region: REGION });

    // Assess
    expect(choice).toMatchObject({ ok: true, snapshot: { id: 'prod-db-2026-07-05-00-00' } });
    expect(choice.ok && choice.reason).toBe('newest available copy, never drilled');
  });

  it('keeps the newest copy over an older drilled one, and names the drilled one with the option that restores it', () => {
    // Prepare
    const snapshots = [
      copy('prod-db-2026-07-01-00-00', '2026-07-01T00:00:00Z', drilled('2026-07-02T03:20:00.000Z')),
      copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z'),
    ];

    // Act
    const choice = chooseRestoreSnapshot({ snapshots, clusterId: 'prod-db', region: REGION });

    // Assess
    expect(choice.ok && choice.snapshot.id).toBe('prod-db-2026-07-05-00-00');
    expect(choice.ok && choice.reason).toBe(
      'newest available copy, never drilled; the newest drilled copy is prod-db-2026-07-01-00-00 (point in time 2026-07-01T00:00:00.000Z), drilled successfully on 2026-07-02T03:20:00.000Z: restore it with --snapshot prod-db-2026-07-01-00-00',
    );
  });

  it('prefers the drilled copy among copies of the same point in time, and says when it was drilled', () => {
    // Prepare: the backup in the source region and a copy here hold the same data
    const snapshots = [
      copy('a-copy', '2026-07-05T00:00:00Z'),
      copy('b-copy', '2026-07-05T00:00:00Z', drilled('2026-07-05T03:00:00.000Z')),
    ];

    // Act
    const choice = chooseRestoreSnapshot({ snapshots, clusterId: 'prod-db', region: REGION });

    // Assess
    expect(choice.ok && choice.snapshot.id).toBe('b-copy');
    expect(choice.ok && choice.reason).toBe(
      'newest available copy, drilled successfully on 2026-07-05T03:00:00.000Z',
    );
  });

  it('names a drilled copy of unknown point in time as such when suggesting it', () => {
    // Prepare: a copy whose point in time neither a tag nor a create time says
    const undated = snapshot('prod-db-old', {
      region: REGION,
      tags: {
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.SourceCluster]: 'prod-db',
        ...drilled('2026-07-02T03:20:00.000Z'),
      },
    });
    const snapshots = [undated, copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z')];

    // Act
    const choice = chooseRestoreSnapshot({ snapshots, clusterId: 'prod-db', region: REGION });

    // Assess
    expect(choice.ok && choice.reason).toBe(
      'newest available copy, never drilled; the newest drilled copy is prod-db-old (point in time unknown), drilled successfully on 2026-07-02T03:20:00.000Z: restore it with --snapshot prod-db-old',
    );
  });

  it('prefers the drilled copy among copies of the same point in time whatever the listing order and their ids', () => {
    // Prepare: the drilled copy has the larger id, which alone would put it second
    const plain = copy('a-copy', '2026-07-05T00:00:00Z');
    const verified = copy('b-copy', '2026-07-05T00:00:00Z', drilled('2026-07-05T03:00:00.000Z'));
    const older = copy('c-copy', '2026-07-04T00:00:00Z', drilled('2026-07-04T03:00:00.000Z'));
    const listings = [
      [plain, verified],
      [verified, plain],
      [plain, older, verified],
      [verified, older, plain],
      [older, plain, verified],
      [older, verified, plain],
    ];

    // Act
    const chosen = listings.map((snapshots) => {
      const choice = chooseRestoreSnapshot({ snapshots, clusterId: 'prod-db', region: REGION });
      return choice.ok && choice.snapshot.id;
    });

    // Assess
    expect(chosen).toEqual(listings.map(() => 'b-copy'));
  });

  it('takes the smaller id among undrilled copies of the same point in time, whatever the listing order', () => {
    // Prepare
    const a = copy('a-copy', '2026-07-05T00:00:00Z');
    const b = copy('b-copy', '2026-07-05T00:00:00Z');
    const c = copy('c-copy', '2026-07-05T00:00:00Z');
    const listings = [
      [a, b, c],
      [a, c, b],
      [b, a, c],
      [b, c, a],
      [c, a, b],
      [c, b, a],
    ];

    // Act
    const chosen = listings.map((snapshots) => {
      const choice = chooseRestoreSnapshot({ snapshots, clusterId: 'prod-db', region: REGION });
      return choice.ok && choice.snapshot.id;
    });

    // Assess
    expect(chosen).toEqual(listings.map(() => 'a-copy'));
  });

  it('with --before, restores the newest copy at or before that time', () => {
    // Prepare
    const snapshots = [
      copy('prod-db-2026-07-03-00-00', '2026-07-03T00:00:00Z'),
      copy('prod-db-2026-07-04-00-00', '2026-07-04T00:00:00Z'),
      copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z'),
    ];

    // Act
    const choice = chooseRestoreSnapshot({
      snapshots,
      clusterId: 'prod-db',
      region: REGION,
      before: new Date('2026-07-04T00:00:00Z'),
    });

    // Assess
    expect(choice.ok && choice.snapshot.id).toBe('prod-db-2026-07-04-00-00');
    expect(choice.ok && choice.reason).toBe(
      'newest available copy at or before 2026-07-04T00:00:00.000Z, never drilled',
    );
  });

  it('refuses --before earlier than every copy, naming the option and the time', () => {
    // Act
    const choice = chooseRestoreSnapshot({
      snapshots: [copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z')],
      clusterId: 'prod-db',
      region: REGION,
      before: new Date('2026-07-01T00:00:00Z'),
    });

    // Assess
    expect(choice).toEqual({
      ok: false,
      parameter: '--before',
      value: '2026-07-01T00:00:00.000Z',
      reason:
        'no available copy of prod-db made by the tool in us-west-2 with a point in time at or before 2026-07-01T00:00:00.000Z',
    });
  });

  it('refuses a cluster with no copy here, saying which options decide where it looks', () => {
    // Act
    const choice = chooseRestoreSnapshot({
      snapshots: [copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z')],
      clusterId: 'orders',
      region: REGION,
    });

    // Assess
    expect(choice).toMatchObject({
      ok: false,
      parameter: '--cluster',
      value: 'orders',
      reason: 'no available copy of orders made by the tool in us-west-2; check --region and --account',
    });
  });

  it('counts the copies still being made when none is available', () => {
    // Act
    const choice = chooseRestoreSnapshot({
      snapshots: [copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z', {}, 'copying')],
      clusterId: 'prod-db',
      region: REGION,
    });

    // Assess
    expect(choice.ok || choice.reason).toBe(
      'no available copy of prod-db made by the tool in us-west-2 (1 not available yet)',
    );
  });

  it('restores the snapshot --snapshot names, by identifier or ARN', () => {
    // Prepare
    const older = copy(
      'prod-db-2026-07-03-00-00',
      '2026-07-03T00:00:00Z',
      drilled('2026-07-04T00:00:00.000Z'),
    );
    const snapshots = [older, copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z')];

    // Act
    const byId = chooseRestoreSnapshot({
      snapshots,
      clusterId: 'prod-db',
      region: REGION,
      snapshotId: older.id,
    });
    const byArn = chooseRestoreSnapshot({
      snapshots,
      clusterId: 'prod-db',
      region: REGION,
      snapshotId: older.arn,
    });

    // Assess
    expect(byId).toEqual({
      ok: true,
      snapshot: older,
      reason: 'the snapshot named by --snapshot, drilled successfully on 2026-07-04T00:00:00.000Z',
    });
    expect(byArn.ok && byArn.snapshot).toBe(older);
  });

  it('refuses a --snapshot that is missing, of another cluster or not available, naming it', () => {
    // Prepare
    const other = snapshot('orders-1', { region: REGION, tags: { [TAG.SourceCluster]: 'orders' } });
    const copying = copy('prod-db-2026-07-05-00-00', '2026-07-05T00:00:00Z', {}, 'copying');
    const choose = (snapshotId: string) =>
      chooseRestoreSnapshot({
        snapshots: [other, copying],
        clusterId: 'prod-db',
        region: REGION,
        snapshotId,
      });

    // Act
    const results = ['nope', 'orders-1', copying.id].map(choose);

    // Assess
    expect(results.map((r) => (r.ok ? 'ok' : `${r.parameter}=${r.value}: ${r.reason}`))).toEqual([
      '--snapshot=nope: no snapshot nope in us-west-2; leave --snapshot out to restore the newest copy of prod-db',
      '--snapshot=orders-1: snapshot orders-1 holds cluster orders, not prod-db',
      '--snapshot=prod-db-2026-07-05-00-00: snapshot prod-db-2026-07-05-00-00 is copying, not available',
    ]);
  });

  it("counts the tool's backups and copies as candidates, never a snapshot made by hand or a share copy", () => {
    // Prepare
    const backup = snapshot('prod-db-b', {
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'prod-db' },
    });
    const share = snapshot('prod-db-s', {
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'prod-db', [TAG.Purpose]: 'share' },
    });
    const byHand = snapshot('prod-db-h', { clusterId: 'prod-db' });
    const automated = copy('prod-db-a', '2026-07-05T00:00:00Z');

    // Act
    const kinds = [backup, share, byHand, { ...automated, type: 'automated' }].map((s) =>
      isRestoreCandidate(s, 'prod-db'),
    );

    // Assess
    expect(kinds).toEqual([true, false, false, false]);
  });

  it('reads no drill from an unreadable RestoreVerified tag', () => {
    // Act, Assess
    expect(drilledAt(snapshot('x', { tags: { [TAG.RestoreVerified]: 'yesterday' } }))).toBeUndefined();
  });
});
