// The destination planner: importing shared snapshots and retention over the tool's copies of one source.
import { describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig } from '../../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { planDestination } from '../../../src/core/plan/destination-planner.js';
import type { DestinationPhase } from '../../../src/core/plan/pass.js';
import type { Action, Plan } from '../../../src/core/plan/plan.js';
import { backup, destinationObservation, hoursAfter, snapshot } from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T00:00:00.000Z');
const DST = 'us-west-2';
const SOURCE_ACCOUNT = '222222222222';
const OTHER_ACCOUNT = '333333333333';
const KEY = 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222';
const daysAgo = (days: number) => hoursAfter(NOW, -24 * days);

function config(extra: Record<string, unknown> = {}): DestinationConfig {
  return parseConfig({ Destination: { Region: DST, SnapshotPattern: 'prod', RetentionDays: 14, ...extra } })
    .Destination as DestinationConfig;
}

function plan(
  extra: Record<string, unknown>,
  obs: Parameters<typeof destinationObservation>[0],
  phases: DestinationPhase[] = ['copy', 'delete'],
): Plan {
  return planDestination(destinationObservation({ now: NOW, ...obs }), config(extra), phases);
}

function only<K extends Action['kind']>(p: Plan, kind: K): Extract<Action, { kind: K }>[] {
  return p.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

/** A snapshot shared by `account` as this account sees it: id is the ARN, type shared, no tags. */
function shared(clusterId: string, at: Date, fields: Parameters<typeof snapshot>[1] = {}) {
  const original = backup(clusterId, at, { region: DST, accountId: fields.accountId ?? SOURCE_ACCOUNT });
  return { ...original, id: original.arn, type: 'shared', tags: {}, ...fields };
}

/** A copy of `source` tagged by the tool, as this account holds it. */
function copyOf(
  source: { arn: string },
  clusterId: string,
  at: Date,
  tags: Record<string, string> = {},
  status = 'available',
) {
  return snapshot(`${clusterId}-${at.toISOString().slice(0, 13)}`, {
    clusterId,
    region: DST,
    status,
    pointInTime: at,
    tags: {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceSnapshot]: source.arn,
      [TAG.SourceCluster]: clusterId,
      [TAG.SourceRegion]: 'us-east-1',
      [TAG.SourceAccount]: SOURCE_ACCOUNT,
      ...tags,
    },
  });
}

describe('planDestination: copy', () => {
  it('imports an available shared snapshot of a matching cluster, tagged as a copy of it', () => {
    // Prepare
    const offer = shared('prod', hoursAfter(NOW, -2), { createTime: hoursAfter(NOW, -2) });

    // Act
    const p = plan({ SourceRegion: 'us-east-1' }, { shared: [offer] }, ['copy']);

    // Assess
    const [copy] = only(p, 'copy');
    expect(copy).toMatchObject({
      purpose: 'import',
      sourceArn: offer.arn,
      sourceRegion: DST,
      targetRegion: DST,
      targetId: offer.arn.split(':').pop(),
      kmsKeyId: undefined,
      clusterId: 'prod',
    });
    expect(copy?.tags).toMatchObject({
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceSnapshot]: offer.arn,
      [TAG.SourceAccount]: SOURCE_ACCOUNT,
      [TAG.SourceRegion]: 'us-east-1',
      [TAG.SourceCluster]: 'prod',
      [TAG.PointInTime]: hoursAfter(NOW, -2).toISOString(),
      [TAG.Purpose]: 'dr-copy',
    });
    expect(copy?.tags[TAG.CreatedBy]).toBeUndefined();
    expect(copy?.reason).toBe(`shared by ${SOURCE_ACCOUNT} and not yet copied into 111111111111`);
  });

  it("without the owner's tags, dates a shared DR copy by the time in its name, not by when it was copied", () => {
    // Prepare: taken 20 hours ago, its cross-region copy finished (created) 6 hours later.
    const taken = hoursAfter(NOW, -20);
    const offer = shared('prod', taken, { createTime: hoursAfter(taken, 6) });

    // Act
    const p = plan({}, { shared: [offer] }, ['copy']);

    // Assess
    expect(offer.tags).toEqual({});
    const [copy] = only(p, 'copy');
    expect(copy?.tags[TAG.PointInTime]).toBe(taken.toISOString());
  });

  it("without the owner's tags, does not import a shared copy whose name says it is older than RetentionDays", () => {
    // Prepare: taken 15 days ago (RetentionDays 14), copied 2 days later.
    const taken = daysAgo(15);
    const offer = shared('prod', taken, { createTime: hoursAfter(taken, 48) });

    // Act
    const p = plan({}, { shared: [offer] }, ['copy']);

    // Assess
    expect(only(p, 'copy')).toEqual([]);
    expect(p.notes.map((n) => n.code)).toContain('too-old-to-copy');
  });

  it("without the owner's tags, takes the source region from the snapshot it was copied from", () => {
    // Prepare: a DR copy made from eu-west-1.
    const offer = shared('prod', hoursAfter(NOW, -3), {
      sourceArn: `arn:aws:rds:eu-west-1:${SOURCE_ACCOUNT}:cluster-snapshot:prod-2025-02-28-21-00`,
    });

    // Act
    const other = plan({ SourceRegion: 'us-east-1' }, { shared: [offer] }, ['copy']);
    const mine = plan({ SourceRegion: 'eu-west-1' }, { shared: [offer] }, ['copy']);

    // Assess
    expect(only(other, 'copy')).toEqual([]);
    expect(only(mine, 'copy')[0]?.tags[TAG.SourceRegion]).toBe('eu-west-1');
  });

  it('keeps the visible tags of a shared snapshot and uses its own point in time and origin', () => {
    // Prepare
    const offer = {
      ...shared('prod', hoursAfter(NOW, -2)),
      tags: { [TAG.PointInTime]: '2025-02-28T01:00:00.000Z', [TAG.SourceRegion]: 'eu-west-1', team: 'a' },
    };

    // Act
    const p = plan({}, { shared: [offer] }, ['copy']);

    // Assess
    expect(only(p, 'copy')[0]?.tags).toMatchObject({
      team: 'a',
      [TAG.PointInTime]: '2025-02-28T01:00:00.000Z',
      [TAG.SourceRegion]: 'eu-west-1',
    });
  });

  it('dates the import of a shared snapshot with no known time from now', () => {
    // Prepare
    const timeless = { ...shared('prod', NOW), createTime: undefined };

    // Act
    const p = plan({}, { shared: [timeless] }, ['copy']);

    // Assess
    expect(only(p, 'copy')[0]?.tags[TAG.PointInTime]).toBe(NOW.toISOString());
  });

  it('imports only from SourceAccount when set, and only matching clusters', () => {
    // Act
    const p = plan(
      { SourceAccount: SOURCE_ACCOUNT },
      {
        shared: [
          shared('prod', hoursAfter(NOW, -1)),
          shared('prod', hoursAfter(NOW, -2), { accountId: OTHER_ACCOUNT }),
          shared('staging', hoursAfter(NOW, -3)),
        ],
      },
    );

    // Assess
    expect(only(p, 'copy').map((c) => c.sourceArn)).toEqual([shared('prod', hoursAfter(NOW, -1)).arn]);
  });

  it('does not import twice: by SourceSnapshot tag or by the same identifier', () => {
    // Prepare
    const byTag = shared('prod', hoursAfter(NOW, -1));
    const byName = shared('prod', hoursAfter(NOW, -2));
    const sameName = snapshot(byName.arn.split(':').pop() as string, { region: DST });

    // Act
    const p = plan(
      {},
      { shared: [byTag, byName], snapshots: [copyOf(byTag, 'prod', hoursAfter(NOW, -1)), sameName] },
      ['copy'],
    );

    // Assess
    expect(p.actions).toEqual([]);
  });

  it('copies both of two shared snapshots of the same name from two accounts, the second named after its owner', () => {
    // Prepare: a vault serving two source accounts (one stack each), whose clusters share a name and a schedule
    const first = shared('prod', hoursAfter(NOW, -1));
    const twin = shared('prod', hoursAfter(NOW, -1), { accountId: OTHER_ACCOUNT });
    const twinArn = twin.arn.replace(SOURCE_ACCOUNT, OTHER_ACCOUNT);
    const name = first.arn.slice(first.arn.lastIndexOf(':') + 1);

    // Act
    const p = plan({}, { shared: [first, { ...twin, arn: twinArn, id: twinArn }] }, ['copy']);

    // Assess
    expect(only(p, 'copy').map((c) => [c.sourceArn, c.targetId])).toEqual([
      [first.arn, name],
      [twinArn, `${name}-${OTHER_ACCOUNT}`],
    ]);
    expect(p.notes).toEqual([]);
  });

  it('names every copy after its owner in a vault for an organization, and keeps one owner-named copy per source', () => {
    // Prepare: two members with clusters of the same name, one of them already copied
    const first = shared('prod', hoursAfter(NOW, -1));
    const twin = shared('prod', hoursAfter(NOW, -1), { accountId: OTHER_ACCOUNT });
    const twinArn = twin.arn.replace(SOURCE_ACCOUNT, OTHER_ACCOUNT);
    const name = first.arn.slice(first.arn.lastIndexOf(':') + 1);
    const copied = { ...copyOf(first, 'prod', hoursAfter(NOW, -1)), id: `${name}-${SOURCE_ACCOUNT}` };

    // Act
    const fresh = plan(
      { SourceOrganizationId: 'o-a1b2c3d4e5' },
      { shared: [first, { ...twin, arn: twinArn, id: twinArn }] },
      ['copy'],
    );
    const again = plan(
      { SourceOrganizationId: 'o-a1b2c3d4e5' },
      { shared: [first, { ...twin, arn: twinArn, id: twinArn }], snapshots: [copied] },
      ['copy'],
    );

    // Assess
    expect(only(fresh, 'copy').map((c) => c.targetId)).toEqual([
      `${name}-${SOURCE_ACCOUNT}`,
      `${name}-${OTHER_ACCOUNT}`,
    ]);
    expect(only(again, 'copy').map((c) => c.sourceArn)).toEqual([twinArn]);
    expect(fresh.notes).toEqual([]);
  });

  it('leaves a shared snapshot uncopied, saying why, when both its name and its owner-named one are taken', () => {
    // Prepare: copies of other snapshots hold both names
    const wanted = shared('prod', hoursAfter(NOW, -1), { accountId: OTHER_ACCOUNT });
    const arn = wanted.arn.replace(SOURCE_ACCOUNT, OTHER_ACCOUNT);
    const name = arn.slice(arn.lastIndexOf(':') + 1);
    const holders = [name, `${name}-${OTHER_ACCOUNT}`].map((id, i) => ({
      ...copyOf({ arn: `arn:aws:rds:${DST}:444444444444:cluster-snapshot:other-${i}` }, 'prod', daysAgo(1)),
      id,
    }));

    // Act
    const p = plan({}, { shared: [{ ...wanted, arn, id: arn }], snapshots: holders }, ['copy']);

    // Assess
    expect(only(p, 'copy')).toEqual([]);
    expect(p.notes.map((n) => n.code)).toEqual(['name-taken']);
  });

  it('leaves a shared snapshot uncopied in a vault for an organization, saying why, when a copy of another snapshot holds its owner-named name', () => {
    // Prepare
    const wanted = shared('prod', hoursAfter(NOW, -1));
    const name = wanted.arn.slice(wanted.arn.lastIndexOf(':') + 1);
    const holder = {
      ...copyOf({ arn: `arn:aws:rds:${DST}:444444444444:cluster-snapshot:other` }, 'prod', daysAgo(1)),
      id: `${name}-${SOURCE_ACCOUNT}`,
    };

    // Act
    const p = plan({ SourceOrganizationId: 'o-a1b2c3d4e5' }, { shared: [wanted], snapshots: [holder] }, [
      'copy',
    ]);

    // Assess
    expect(only(p, 'copy')).toEqual([]);
    expect(p.notes.map((n) => [n.code, n.message])).toEqual([
      [
        'name-taken',
        `${wanted.arn} cannot be copied: this account already has ${name}-${SOURCE_ACCOUNT}, a copy of arn:aws:rds:${DST}:444444444444:cluster-snapshot:other`,
      ],
    ]);
  });

  it('waits for a shared snapshot that is not available, skips one older than RetentionDays', () => {
    // Act
    const p = plan(
      {},
      {
        shared: [shared('prod', hoursAfter(NOW, -1), { status: 'copying' }), shared('prod', daysAgo(15))],
      },
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes.map((n) => n.code)).toEqual(['shared-not-available', 'too-old-to-copy']);
  });

  it('needs Destination.KmsKeyDestination for an encrypted shared snapshot', () => {
    // Prepare
    const offer = shared('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: 'k' });

    // Act
    const without = plan({}, { shared: [offer] }, ['copy']);
    const withKey = plan({ KmsKeyDestination: KEY }, { shared: [offer] }, ['copy']);

    // Assess
    expect(without.actions).toEqual([]);
    expect(without.notes[0]?.message).toContain('EncryptionKeyRequired');
    expect(without.notes[0]?.message).toContain('KmsKeyDestination');
    expect(only(withKey, 'copy')[0]?.kmsKeyId).toBe(KEY);
  });

  // Mutation gap 5 (original tool's copy): a copy with no SourceSnapshot tag holding the target name is the
  // import made before the tag existed: no copy and no `name-taken` note, or the note would repeat every pass.
  it('treats an untagged copy under the target name as already imported, with no name-taken note', () => {
    // Prepare
    const offer = shared('prod', hoursAfter(NOW, -3));
    const legacyCopy = snapshot(offer.arn.split(':').pop() as string, {
      clusterId: 'prod',
      region: DST,
      createTime: hoursAfter(NOW, -2),
      tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE },
    });

    // Act
    const p = plan({}, { shared: [offer], snapshots: [legacyCopy] }, ['copy']);

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes).toEqual([]);
  });

  // Mutation gap 5 (name-taken note): a target name holding a copy of other data is a warning naming both.
  it("copies under its owner's name when the target name holds a copy of other data, and warns name-taken, naming the offer and the holder, when that name is taken too", () => {
    // Prepare
    const offer = shared('prod', hoursAfter(NOW, -3));
    const other = { arn: 'arn:aws:rds:us-east-1:222222222222:cluster-snapshot:something-else' };
    const holder = {
      ...copyOf(other, 'prod', hoursAfter(NOW, -2)),
      id: offer.arn.split(':').pop() as string,
    };
    const ownerNamed = {
      ...copyOf({ arn: `${other.arn}-2` }, 'prod', hoursAfter(NOW, -2)),
      id: `${holder.id}-${SOURCE_ACCOUNT}`,
    };

    // Act
    const renamed = plan({}, { shared: [offer], snapshots: [holder] }, ['copy']);
    const p = plan({}, { shared: [offer], snapshots: [holder, ownerNamed] }, ['copy']);

    // Assess
    expect(only(renamed, 'copy').map((c) => c.targetId)).toEqual([`${holder.id}-${SOURCE_ACCOUNT}`]);
    expect(renamed.notes).toEqual([]);
    expect(p.actions).toEqual([]);
    expect(p.notes).toEqual([
      {
        level: 'warn',
        code: 'name-taken',
        message: `${offer.arn} cannot be copied: this account already has ${holder.id}, a copy of ${other.arn}`,
        clusterId: 'prod',
        snapshotId: offer.arn,
      },
    ]);
  });

  // Mutation gap 5 (too-old boundary): a shared snapshot exactly RetentionDays old is still copied (retention
  // keeps it too); one a millisecond older is not, with an info note.
  it('copies a shared snapshot exactly RetentionDays old, and not one a millisecond older', () => {
    // Prepare: RetentionDays is 14
    const exactly = shared('prod', daysAgo(14));
    const older = shared('prod', new Date(daysAgo(14).getTime() - 1), {
      id: 'arn:aws:rds:us-west-2:222222222222:cluster-snapshot:prod-older',
      arn: 'arn:aws:rds:us-west-2:222222222222:cluster-snapshot:prod-older',
    });

    // Act
    const p = plan({}, { shared: [exactly, older] }, ['copy']);

    // Assess
    expect(only(p, 'copy').map((c) => c.sourceArn)).toEqual([exactly.arn]);
    expect(p.notes).toEqual([
      {
        level: 'info',
        code: 'too-old-to-copy',
        message: `shared snapshot ${older.arn} is older than RetentionDays (14): not copied, it would be deleted at once`,
        clusterId: 'prod',
        snapshotId: older.arn,
      },
    ]);
  });

  // Mutation gap 5 (note level and code): the EncryptionKeyRequired note must keep its level and code, which
  // blockingError reads to fail the run; the test above read only the message text.
  it('notes an encrypted offer without a key as a warning with code encryption-key-required', () => {
    // Prepare
    const offer = shared('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: 'k' });

    // Act
    const p = plan({}, { shared: [offer] }, ['copy']);

    // Assess
    expect(p.notes).toEqual([
      {
        level: 'warn',
        code: 'encryption-key-required',
        message: `EncryptionKeyRequired: shared snapshot ${offer.arn} is encrypted; set Destination.KmsKeyDestination to a key in ${DST} to copy it`,
        clusterId: 'prod',
        snapshotId: offer.arn,
      },
    ]);
  });

  it('notes an offer that is not available yet as info, with its state', () => {
    // Prepare
    const offer = shared('prod', hoursAfter(NOW, -1), { status: 'copying' });

    // Act
    const p = plan({}, { shared: [offer] }, ['copy']);

    // Assess
    expect(p.notes).toEqual([
      {
        level: 'info',
        code: 'shared-not-available',
        message: `shared snapshot ${offer.arn} is copying: copied once available`,
        clusterId: 'prod',
        snapshotId: offer.arn,
      },
    ]);
  });

  it('notes the offers that wait for a copy slot as info', () => {
    // Prepare
    const offers = Array.from({ length: 7 }, (_, i) => shared('prod', hoursAfter(NOW, -1 - i)));

    // Act
    const p = plan({}, { shared: offers }, ['copy']);

    // Assess
    expect(only(p, 'copy')).toHaveLength(5);
    expect(p.notes).toEqual([
      {
        level: 'info',
        code: 'copy-limit',
        message: `2 copy(ies) wait for a later pass: at most 5 copies in flight in ${DST}`,
      },
    ]);
  });

  it('starts at most 5 copies, counting copies already in flight', () => {
    // Prepare
    const offers = Array.from({ length: 5 }, (_, i) => shared('prod', hoursAfter(NOW, -1 - i)));

    // Act
    const p = plan(
      {},
      { shared: offers, snapshots: [snapshot('busy', { region: DST, status: 'copying' })] },
      ['copy'],
    );

    // Assess
    expect(only(p, 'copy')).toHaveLength(4);
    expect(p.notes.map((n) => n.code)).toContain('copy-limit');
  });
});

describe('planDestination: delete', () => {
  const src = (hours: number) => backup('prod', hoursAfter(NOW, -hours));
  const copy = (days: number, tags: Record<string, string> = {}, status = 'available') =>
    copyOf(src(days * 24), 'prod', daysAgo(days), tags, status);

  it('deletes the tool copies of the configured source older than RetentionDays, keeping the newest', () => {
    // Prepare
    const expired = [copy(15), copy(20)];

    // Act
    const p = plan(
      { SourceRegion: 'us-east-1', SourceAccount: SOURCE_ACCOUNT },
      { snapshots: [copy(1), ...expired] },
      ['delete'],
    );

    // Assess
    expect(only(p, 'delete').map((d) => d.snapshotId)).toEqual([expired[1]?.id, expired[0]?.id]);
    expect(only(p, 'delete')[0]).toMatchObject({ region: DST, clusterId: 'prod' });
  });

  it("never deletes another source's copies: other region, other account, other cluster", () => {
    // Prepare
    const others = [
      copy(20, { [TAG.SourceRegion]: 'eu-west-1' }),
      copy(21, { [TAG.SourceAccount]: OTHER_ACCOUNT }),
      copyOf(src(1), 'staging', daysAgo(22)),
      copyOf(src(1), 'staging', daysAgo(1)),
    ];

    // Act
    const p = plan(
      { SourceRegion: 'us-east-1', SourceAccount: SOURCE_ACCOUNT },
      { snapshots: [copy(1), ...others] },
      ['delete'],
    );

    // Assess
    expect(p.actions).toEqual([]);
  });

  it('never deletes untagged snapshots, backups taken here, copies in progress or the newest', () => {
    // Prepare
    const keep = [
      snapshot('prod-by-hand', { clusterId: 'prod', region: DST, createTime: daysAgo(30) }),
      backup('prod', daysAgo(30), { region: DST }),
      copy(31, {}, 'copying'),
      copy(20),
    ];

    // Act
    const p = plan({}, { snapshots: keep }, ['delete']);

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes.map((n) => n.code)).toContain('kept-newest');
  });

  it('manages copies made by the original tool (CopiedBy only, ages from the create time)', () => {
    // Prepare
    const legacy = (days: number) =>
      snapshot(`prod-${days}`, {
        clusterId: 'prod',
        region: DST,
        createTime: daysAgo(days),
        tags: { CopiedBy: TOOL_TAG_VALUE },
      });

    // Act
    const p = plan(
      { SourceRegion: 'us-east-1', SourceAccount: SOURCE_ACCOUNT },
      { snapshots: [legacy(1), legacy(20)] },
      ['delete'],
    );

    // Assess
    expect(only(p, 'delete').map((d) => d.snapshotId)).toEqual(['prod-20']);
  });

  it('keeps the newest of each source apart even when region and cluster run together', () => {
    // Prepare: an original-tool copy of cluster `us-east-1prod` (no origin tags, no SourceRegion set) and a
    // tool copy of cluster `prod` from us-east-1: joined without a separator both groups would read alike
    const legacy = snapshot('us-east-1prod-1', {
      clusterId: 'us-east-1prod',
      region: DST,
      createTime: daysAgo(20),
      tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE },
    });
    const tagged = copyOf(src(30 * 24), 'prod', daysAgo(30), { [TAG.SourceAccount]: '111111111111' });

    // Act
    const p = plan({}, { snapshots: [legacy, tagged] }, ['delete']);

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes.map((n) => n.snapshotId)).toEqual([legacy.id, tagged.id]);
  });

  it('does nothing when DeleteOldSnapshots is FALSE', () => {
    // Act
    const p = plan({ DeleteOldSnapshots: false }, { snapshots: [copy(1), copy(30)] }, ['delete']);

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes.map((n) => n.code)).toEqual(['delete-disabled']);
  });

  it('caps deletions at MaxDeletesPerPass', () => {
    // Act
    const p = plan({ MaxDeletesPerPass: 1 }, { snapshots: [copy(1), copy(20), copy(21)] }, ['delete']);

    // Assess
    expect(only(p, 'delete').map((d) => d.snapshotId)).toEqual([copy(21).id]);
    expect(p.notes.map((n) => n.code)).toContain('delete-limit');
  });

  // Mutation gap 5 (quota-near count): the count is the manual snapshots plus the imports this pass plans;
  // automated snapshots do not count against the manual quota. Warns from 90% (9 of 10) on.
  it('warns near the quota counting planned imports and manual snapshots only, from 90% on', () => {
    // Prepare: 8 manual snapshots, 2 automated, quota 10
    const manual = Array.from({ length: 8 }, (_, i) => snapshot(`x-${i}`, { region: DST }));
    const automated = [0, 1].map((i) => snapshot(`rds:auto-${i}`, { region: DST, type: 'automated' }));
    const offer = shared('prod', hoursAfter(NOW, -1));
    const obs = { snapshots: [...manual, ...automated], manualSnapshotQuota: 10 };

    // Act
    const withoutImport = plan({}, obs, ['copy']);
    const withImport = plan({}, { ...obs, shared: [offer] }, ['copy']);

    // Assess
    expect(withoutImport.notes).toEqual([]);
    expect(only(withImport, 'copy')).toHaveLength(1);
    expect(withImport.notes).toEqual([
      {
        level: 'warn',
        code: 'quota-near',
        message: `9 manual cluster snapshots in ${DST} (quota 10): lower RetentionDays or ask AWS for a higher quota`,
      },
    ]);
  });

  it('warns near the quota', () => {
    // Prepare
    const many = Array.from({ length: 9 }, (_, i) => snapshot(`x-${i}`, { region: DST }));

    // Act
    const p = plan({}, { snapshots: many, manualSnapshotQuota: 10 }, ['delete']);

    // Assess
    expect(p.notes.map((n) => n.code)).toContain('quota-near');
  });
});

describe('planDestination: whose snapshots are imported', () => {
  it('does not import a snapshot another account re-shares, even when its visible tags name the configured source account', () => {
    // Prepare: the tags are visible (an emulator returns them); the owner is not the source account
    const reShared = shared('prod', hoursAfter(NOW, -2), {
      accountId: OTHER_ACCOUNT,
      tags: { [TAG.SourceAccount]: SOURCE_ACCOUNT },
    });
    const fromSource = shared('prod', hoursAfter(NOW, -1));

    // Act
    const p = plan({ SourceAccount: SOURCE_ACCOUNT }, { shared: [reShared, fromSource] }, ['copy']);

    // Assess
    expect(reShared.arn).toContain(`:${OTHER_ACCOUNT}:`);
    expect(only(p, 'copy').map((c) => c.sourceArn)).toEqual([fromSource.arn]);
  });
});

describe('planDestination: the kept snapshots and the retention policy', () => {
  const src = (hours: number) => backup('prod', hoursAfter(NOW, -hours));
  const copy = (days: number) => copyOf(src(days * 24), 'prod', daysAgo(days));

  it('lists exactly the copies it keeps and why when it deletes, and no kept list when it does not delete', () => {
    // Prepare
    const newest = copy(20);
    const older = copy(25);
    const obs = { snapshots: [newest, older] };

    // Act
    const deleting = plan({}, obs, ['delete']);
    const copying = plan({}, obs, ['copy']);
    const deleteOff = plan({ DeleteOldSnapshots: false }, obs, ['delete']);

    // Assess
    expect(deleting.kept).toEqual([
      { region: DST, clusterId: 'prod', snapshotId: newest.id, reasons: ['newest'] },
    ]);
    expect(only(deleting, 'delete').map((d) => d.snapshotId)).toEqual([older.id]);
    expect(copying).not.toHaveProperty('kept');
    expect(deleteOff).not.toHaveProperty('kept');
    expect(deleteOff.actions).toEqual([]);
  });

  it('keeps the copies the configured KeepLast keeps beyond RetentionDays', () => {
    // Prepare: four copies older than RetentionDays (14)
    const copies = [copy(20), copy(21), copy(22), copy(23)];

    // Act
    const p = plan({ KeepLast: 3 }, { snapshots: copies }, ['delete']);

    // Assess
    expect(only(p, 'delete').map((d) => d.snapshotId)).toEqual([copies[3]?.id]);
    expect(p.kept?.map((k) => k.snapshotId)).toEqual(copies.slice(0, 3).map((c) => c.id));
  });
});
