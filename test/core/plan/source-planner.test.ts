// The source planner: takes, DR copies, shares (with re-encryption of aws/rds-key snapshots) and retention.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import type { SourcePhase } from '../../../src/core/plan/pass.js';
import type { Action, Plan } from '../../../src/core/plan/plan.js';
import { planSource } from '../../../src/core/plan/source-planner.js';
import { takeTags } from '../../../src/core/plan/source-take.js';
import {
  ACCOUNT,
  backup,
  cluster,
  drCopy,
  hoursAfter,
  snapshot,
  sourceObservation,
} from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T00:00:00.000Z');
const SRC = 'us-east-1';
const DST = 'us-west-2';
const OTHER = '222222222222';
const CMK_DST = 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222';
const CMK_SRC = 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111';
const AWS_RDS_KEY = 'arn:aws:kms:us-east-1:111111111111:key/99999999-9999-9999-9999-999999999999';
const daysAgo = (days: number) => hoursAfter(NOW, -24 * days);

function config(extra: Record<string, unknown> = {}): SourceConfig {
  return parseConfig({ Source: { Region: SRC, ClusterNamePattern: 'prod', ...extra } })
    .Source as SourceConfig;
}

const DR = { ShareSnapshots: true, DestinationRegion: DST, KmsKeyDestination: CMK_DST };

function plan(
  extra: Record<string, unknown>,
  obs: Parameters<typeof sourceObservation>[0],
  phases: SourcePhase[] = ['take', 'share', 'delete'],
): Plan {
  return planSource(sourceObservation({ now: NOW, ...obs }), config(extra), phases);
}

function kinds(p: Plan): string[] {
  return p.actions.map((a) => a.kind);
}

function codes(p: Plan): string[] {
  return p.notes.map((n) => n.code);
}

function only<K extends Action['kind']>(p: Plan, kind: K): Extract<Action, { kind: K }>[] {
  return p.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

describe('planSource: take', () => {
  it('takes a snapshot of each matching available cluster that is due, named and tagged', () => {
    // Prepare: the schema refuses the tool's own tag keys in Tags; the planner still lets its own win.
    const spoofing = { ...config(), Tags: { team: 'data', [TAG.CreatedBy]: 'spoof' } };

    // Act
    const p = planSource(
      sourceObservation({ now: NOW, clusters: [cluster('prod-a'), cluster('prod-b'), cluster('dev')] }),
      spoofing,
      ['take', 'share', 'delete'],
    );

    // Assess
    const takes = only(p, 'take');
    expect(takes.map((t) => t.snapshotId)).toEqual(['prod-a-2025-03-01-00-00', 'prod-b-2025-03-01-00-00']);
    expect(takes[0]?.tags).toMatchObject({ team: 'data', [TAG.CreatedBy]: TOOL_TAG_VALUE });
    expect(takes[0]?.tags[TAG.ShareAndCopy]).toBeUndefined();
    expect(takes[0]?.region).toBe(SRC);
  });

  it('adds shareAndCopy=YES when ShareSnapshots is set', () => {
    // Act
    const tags = takeTags(config(DR), 'prod', ACCOUNT, NOW);

    // Assess
    expect(tags[TAG.ShareAndCopy]).toBe('YES');
  });

  it('notes when the pattern matches no cluster', () => {
    // Act
    const p = plan({}, { clusters: [cluster('dev')] });

    // Assess
    expect(p.actions).toEqual([]);
    expect(codes(p)).toContain('no-cluster');
  });

  it('skips a cluster that is not available, with a note', () => {
    // Act
    const p = plan({}, { clusters: [cluster('prod', { status: 'stopped' })] });

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes[0]).toMatchObject({ code: 'cluster-not-available', clusterId: 'prod' });
  });

  it('notes not-due with the age, and in-progress', () => {
    // Act
    const p = plan(
      {},
      {
        clusters: [cluster('prod-a'), cluster('prod-b')],
        snapshots: [
          backup('prod-a', hoursAfter(NOW, -3)),
          backup('prod-b', hoursAfter(NOW, -30), { status: 'creating' }),
        ],
      },
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes.find((n) => n.clusterId === 'prod-a')).toMatchObject({ code: 'not-due' });
    expect(p.notes.find((n) => n.clusterId === 'prod-a')?.message).toContain('3h old');
    expect(p.notes.find((n) => n.clusterId === 'prod-b')?.code).toBe('in-progress');
  });

  it('decides on the backups of the cluster only: another cluster or an untagged snapshot does not count', () => {
    // Act
    const p = plan(
      {},
      {
        clusters: [cluster('prod')],
        snapshots: [
          backup('prod-other', hoursAfter(NOW, -1)),
          snapshot('prod-manual', { clusterId: 'prod', pointInTime: hoursAfter(NOW, -1) }),
        ],
      },
    );

    // Assess
    expect(kinds(p)).toEqual(['take']);
  });

  it('does not take under a name that already exists', () => {
    // Act
    const p = plan(
      {},
      {
        clusters: [cluster('prod')],
        snapshots: [snapshot('prod-2025-03-01-00-00', { clusterId: 'prod', status: 'failed' })],
      },
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(codes(p)).toContain('name-taken');
  });

  it('takes in cluster order and decides on the latest of several backups', () => {
    // Act
    const p = plan(
      {},
      {
        clusters: [cluster('prod-b'), cluster('prod-a')],
        snapshots: [backup('prod-a', hoursAfter(NOW, -50)), backup('prod-a', hoursAfter(NOW, -2))],
      },
    );

    // Assess
    expect(only(p, 'take').map((t) => t.clusterId)).toEqual(['prod-b']);
    expect(p.notes.find((n) => n.clusterId === 'prod-a')?.message).toContain('2h old');
  });

  it('plans only the phases asked for', () => {
    // Act
    const p = plan({}, { clusters: [cluster('prod')] }, ['delete']);

    // Assess
    expect(p.actions).toEqual([]);
  });

  it('warns at 90% of the manual snapshot quota, counting the snapshots it takes', () => {
    // Prepare
    const others = Array.from({ length: 8 }, (_, i) => snapshot(`other-${i}`));

    // Act
    const near = plan({}, { clusters: [cluster('prod')], snapshots: others, manualSnapshotQuota: 10 });
    const far = plan(
      {},
      { clusters: [cluster('prod')], snapshots: others.slice(1), manualSnapshotQuota: 10 },
    );

    // Assess
    expect(codes(near)).toContain('quota-near');
    expect(codes(far)).not.toContain('quota-near');
  });
});

describe('planSource: DR copies', () => {
  it('copies an available backup to DestinationRegion with the copy tags and the destination key', () => {
    // Prepare
    const source = backup('prod', hoursAfter(NOW, -2), { encrypted: true, kmsKeyId: CMK_SRC });

    // Act
    const p = plan(DR, { snapshots: [source] }, ['share']);

    // Assess
    const [copy] = only(p, 'copy');
    expect(copy).toMatchObject({
      purpose: 'dr-copy',
      sourceArn: source.arn,
      sourceRegion: SRC,
      targetRegion: DST,
      targetId: source.id,
      kmsKeyId: CMK_DST,
      clusterId: 'prod',
    });
    expect(copy?.tags[TAG.CreatedBy]).toBeUndefined();
    expect(copy?.tags).toMatchObject({
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceSnapshot]: source.arn,
      [TAG.Purpose]: 'dr-copy',
      [TAG.PointInTime]: source.tags[TAG.PointInTime],
    });
  });

  it('copies an unencrypted backup without a key', () => {
    // Act
    const p = plan(DR, { snapshots: [backup('prod', hoursAfter(NOW, -2))] }, ['share']);

    // Assess
    expect(only(p, 'copy')[0]?.kmsKeyId).toBeUndefined();
  });

  it('carries the create time of an original-tool snapshot as the copy point in time', () => {
    // Prepare
    const original = snapshot('prod-2025-02-28-00-00', {
      clusterId: 'prod',
      createTime: daysAgo(1),
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, CreatedOn: '2025-02-28-00-00' },
    });

    // Act
    const p = plan(DR, { snapshots: [original] }, ['share']);

    // Assess
    expect(only(p, 'copy')[0]?.tags).toMatchObject({
      [TAG.PointInTime]: daysAgo(1).toISOString(),
      [TAG.SourceCluster]: 'prod',
      [TAG.SourceRegion]: SRC,
      [TAG.SourceAccount]: ACCOUNT,
      CreatedOn: '2025-02-28-00-00',
    });
  });

  it('dates the copy of a backup with no known time from now, so it is kept rather than expired', () => {
    // Prepare
    const timeless = snapshot('prod-x', { clusterId: 'prod', tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE } });

    // Act
    const p = plan(DR, { snapshots: [timeless] }, ['share']);

    // Assess
    expect(only(p, 'copy')[0]?.tags[TAG.PointInTime]).toBe(NOW.toISOString());
  });

  it('does not copy what is in progress, untagged, of another cluster, or already copied', () => {
    // Prepare
    const copied = backup('prod', hoursAfter(NOW, -5));
    const copiedByName = backup('prod', hoursAfter(NOW, -6));
    const nameOnly = { ...drCopy(copiedByName, DST), tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE } };

    // Act
    const p = plan(
      DR,
      {
        snapshots: [
          backup('prod', hoursAfter(NOW, -1), { status: 'creating' }),
          snapshot('prod-by-hand', { clusterId: 'prod', pointInTime: hoursAfter(NOW, -2) }),
          backup('staging', hoursAfter(NOW, -3)),
          copied,
          copiedByName,
        ],
        destinationSnapshots: [drCopy(copied, DST, { status: 'copying' }), nameOnly],
      },
      ['share'],
    );

    // Assess
    expect(p.actions).toEqual([]);
  });

  it('copies under <name>-<region> when a copy of another region holds the name, and finds it after', () => {
    // Prepare: eu-west-1 has a cluster of the same name, copied to the same region at the same minute
    const source = backup('prod', hoursAfter(NOW, -1));
    const foreign = drCopy(backup('prod', hoursAfter(NOW, -1), { region: 'eu-west-1' }), DST);

    // Act
    const first = plan(DR, { snapshots: [source], destinationSnapshots: [foreign] }, ['share']);
    const [copy] = only(first, 'copy');
    const made = snapshot(copy?.targetId ?? '', { region: DST, tags: copy?.tags ?? {}, status: 'copying' });
    const second = plan(DR, { snapshots: [source], destinationSnapshots: [foreign, made] }, ['share']);

    // Assess
    expect(foreign.id).toBe(source.id);
    expect(copy?.targetId).toBe(`${source.id}-${SRC}`);
    expect(second.actions).toEqual([]);
  });

  it('does not take a same-named snapshot of other data for the copy, and says so when no name is free', () => {
    // Prepare
    const source = backup('prod', hoursAfter(NOW, -1));
    const byHand = snapshot(source.id, { region: DST });
    const byHand2 = snapshot(`${source.id}-${SRC}`, { region: DST });

    // Act
    const p = plan(DR, { snapshots: [source], destinationSnapshots: [byHand, byHand2] }, ['share']);
    const deletion = plan(
      DR,
      {
        snapshots: [
          backup('prod', daysAgo(1)),
          { ...source, tags: { ...source.tags, [TAG.PointInTime]: daysAgo(9).toISOString() } },
        ],
        destinationSnapshots: [byHand],
      },
      ['delete'],
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes.map((n) => n.code)).toEqual(['name-taken']);
    expect(only(deletion, 'delete')[0]?.reason).toContain('no DR copy');
  });

  it('does not copy a backup already older than RetentionDays, and says so', () => {
    // Act
    const p = plan(DR, { snapshots: [backup('prod', daysAgo(8))] }, ['share']);

    // Assess
    expect(p.actions).toEqual([]);
    expect(codes(p)).toEqual(['too-old-to-copy']);
  });

  it('copies, and never deletes, an old backup marked shareAndCopy=YES whose DR copy is missing', () => {
    // Prepare: taken while ShareSnapshots was on (the mark), expired, with no copy yet; a newer one exists.
    const marked = backup('prod', daysAgo(9), { tags: { [TAG.ShareAndCopy]: 'YES' } });
    const newest = backup('prod', daysAgo(1), { tags: { [TAG.ShareAndCopy]: 'YES' } });
    const estate = { snapshots: [marked, newest], destinationSnapshots: [drCopy(newest, DST)] };

    // Act
    const share = plan(DR, estate, ['share']);
    const deletion = plan(DR, estate, ['delete']);

    // Assess
    expect(only(share, 'copy').map((c) => c.targetId)).toEqual([marked.id]);
    expect(only(deletion, 'delete')).toEqual([]);
    expect(codes(deletion)).toContain('kept-copy-missing');
  });

  it('lets the marked backup go once its DR copy is available', () => {
    // Prepare
    const marked = backup('prod', daysAgo(9), { tags: { [TAG.ShareAndCopy]: 'YES' } });
    const newest = backup('prod', daysAgo(1), { tags: { [TAG.ShareAndCopy]: 'YES' } });

    // Act
    const deletion = plan(
      DR,
      { snapshots: [marked, newest], destinationSnapshots: [drCopy(marked, DST), drCopy(newest, DST)] },
      ['delete'],
    );

    // Assess
    expect(only(deletion, 'delete').map((d) => d.snapshotId)).toEqual([marked.id]);
  });

  it('cross-account in one region: keeps a marked backup until it is shared', () => {
    // Prepare
    const marked = backup('prod', daysAgo(9), { tags: { [TAG.ShareAndCopy]: 'YES' } });
    const newest = backup('prod', daysAgo(1), { tags: { [TAG.ShareAndCopy]: 'YES' } });
    const shared = { ...marked, tags: { ...marked.tags, [TAG.SharedWith]: OTHER } };
    const settings = { ShareSnapshots: true, DestinationAccount: OTHER };

    // Act
    const before = plan(settings, { snapshots: [marked, newest] }, ['share', 'delete']);
    const after = plan(settings, { snapshots: [shared, newest] }, ['delete']);

    // Assess
    expect(only(before, 'share').map((s) => s.snapshotId)).toContain(marked.id);
    expect(only(before, 'delete')).toEqual([]);
    expect(only(after, 'delete').map((d) => d.snapshotId)).toEqual([marked.id]);
  });

  it('names EncryptionKeyRequired when an encrypted backup has no KmsKeyDestination', () => {
    // Act
    const p = plan(
      { ShareSnapshots: true, DestinationRegion: DST },
      { snapshots: [backup('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: CMK_SRC })] },
      ['share'],
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes[0]?.code).toBe('encryption-key-required');
    expect(p.notes[0]?.message).toContain('EncryptionKeyRequired');
    expect(p.notes[0]?.message).toContain('KmsKeyDestination');
  });

  it('starts at most 5 copies, counting every copy in flight in the destination, newest first', () => {
    // Prepare
    const backups = Array.from({ length: 6 }, (_, i) => backup('prod', hoursAfter(NOW, -1 - i)));
    const foreignCopying = snapshot('someone-elses-copy', { region: DST, status: 'copying' });

    // Act
    const p = plan(DR, { snapshots: backups, destinationSnapshots: [foreignCopying] }, ['share']);

    // Assess
    expect(only(p, 'copy').map((c) => c.targetId)).toEqual(backups.slice(0, 4).map((b) => b.id));
    expect(p.notes.find((n) => n.code === 'copy-limit')?.message).toContain('2 copy');
  });

  // Mutation gap 2: a DR copy whose name is taken gives its slot back, so the other backups still fill all 5.
  it('gives the slot of a copy whose name is taken to the next backup: five others are still copied', () => {
    // Prepare: the newest backup's name and its <name>-<region> fallback hold other data in the destination
    const backups = Array.from({ length: 6 }, (_, i) => backup('prod', hoursAfter(NOW, -1 - i)));
    const blocked = backups[0]!;
    const byHand = [snapshot(blocked.id, { region: DST }), snapshot(`${blocked.id}-${SRC}`, { region: DST })];

    // Act
    const p = plan(DR, { snapshots: backups, destinationSnapshots: byHand }, ['share']);

    // Assess
    expect(only(p, 'copy').map((c) => c.targetId)).toEqual(backups.slice(1).map((b) => b.id));
    expect(codes(p)).toEqual(['name-taken']);
  });

  it('does nothing when ShareSnapshots is FALSE, and says so', () => {
    // Act
    const p = plan({ DestinationRegion: DST }, { snapshots: [backup('prod', hoursAfter(NOW, -1))] }, [
      'share',
    ]);

    // Assess
    expect(p.actions).toEqual([]);
    expect(codes(p)).toEqual(['share-disabled']);
  });

  it('does nothing with ShareSnapshots but neither another region nor an account (a config the schema rejects)', () => {
    // Prepare
    const odd = { ...config(), ShareSnapshots: true };

    // Act
    const p = planSource(
      sourceObservation({ now: NOW, snapshots: [backup('prod', hoursAfter(NOW, -1))] }),
      odd,
      ['share'],
    );

    // Assess
    expect(p.actions).toEqual([]);
  });

  it('notes a failed DR copy instead of copying again under the same name', () => {
    // Prepare
    const source = backup('prod', hoursAfter(NOW, -1));

    // Act
    const p = plan(
      DR,
      { snapshots: [source], destinationSnapshots: [drCopy(source, DST, { status: 'failed' })] },
      ['share'],
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(codes(p)).toEqual(['copy-failed']);
  });
});

describe('planSource: sharing with another account', () => {
  const CROSS = { ...DR, DestinationAccount: OTHER };

  it('shares an available DR copy once, in the destination region', () => {
    // Prepare
    const source = backup('prod', hoursAfter(NOW, -1));
    const copy = drCopy(source, DST);
    const sharedCopy = drCopy(backup('prod', hoursAfter(NOW, -2)), DST, {
      tags: { [TAG.SharedWith]: OTHER },
    });

    // Act
    const p = plan(
      CROSS,
      { snapshots: [source, backup('prod', hoursAfter(NOW, -2))], destinationSnapshots: [copy, sharedCopy] },
      ['share'],
    );

    // Assess
    expect(only(p, 'share')).toEqual([
      expect.objectContaining({ region: DST, snapshotId: copy.id, snapshotArn: copy.arn, accountId: OTHER }),
    ]);
  });

  it('waits for a DR copy still copying before sharing it', () => {
    // Prepare
    const source = backup('prod', hoursAfter(NOW, -1));

    // Act
    const p = plan(
      CROSS,
      { snapshots: [source], destinationSnapshots: [drCopy(source, DST, { status: 'copying' })] },
      ['share'],
    );

    // Assess
    expect(p.actions).toEqual([]);
  });

  it('cannot share a DR copy under the aws/rds key, and says which setting to change', () => {
    // Prepare
    const source = backup('prod', hoursAfter(NOW, -1));
    const copy = drCopy(source, DST, { encrypted: true, kmsKeyId: AWS_RDS_KEY });

    // Act
    const p = plan(
      CROSS,
      { snapshots: [source], destinationSnapshots: [copy], awsManagedKeys: [AWS_RDS_KEY] },
      ['share'],
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes[0]).toMatchObject({ code: 'share-impossible' });
    expect(p.notes[0]?.message).toContain('KmsKeyDestination');
  });

  describe('in the same region', () => {
    const SAME = { ShareSnapshots: true, DestinationAccount: OTHER, KmsKeySource: CMK_SRC };

    it('shares the backup itself when its key allows, and only once', () => {
      // Prepare
      const fresh = backup('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: CMK_SRC });
      const done = backup('prod', hoursAfter(NOW, -2), { tags: { [TAG.SharedWith]: OTHER } });

      // Act
      const p = plan(SAME, { snapshots: [fresh, done] }, ['share']);

      // Assess
      expect(only(p, 'share')).toEqual([expect.objectContaining({ region: SRC, snapshotId: fresh.id })]);
    });

    it('also shares in the region when DestinationRegion equals Region', () => {
      // Act
      const p = plan(
        { ...SAME, DestinationRegion: SRC },
        { snapshots: [backup('prod', hoursAfter(NOW, -1))] },
        ['share'],
      );

      // Assess
      expect(kinds(p)).toEqual(['share']);
    });

    it('re-encrypts an aws/rds-key backup with KmsKeySource into <name>-shared, then shares that copy', () => {
      // Prepare
      const source = backup('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: AWS_RDS_KEY });

      // Act
      const first = plan(SAME, { snapshots: [source], awsManagedKeys: [AWS_RDS_KEY] }, ['share']);
      const [copy] = only(first, 'copy');
      const shareCopy = snapshot(`${source.id}-shared`, {
        clusterId: 'prod',
        encrypted: true,
        kmsKeyId: CMK_SRC,
        tags: copy?.tags ?? {},
      });
      const second = plan(SAME, { snapshots: [source, shareCopy], awsManagedKeys: [AWS_RDS_KEY] }, ['share']);

      // Assess
      expect(copy).toMatchObject({
        purpose: 'share',
        targetRegion: SRC,
        targetId: `${source.id}-shared`,
        kmsKeyId: CMK_SRC,
      });
      expect(copy?.tags).toMatchObject({ [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.Purpose]: 'share' });
      expect(copy?.reason).toContain('aws/rds');
      expect(only(second, 'share')).toEqual([expect.objectContaining({ snapshotId: shareCopy.id })]);
    });

    it('gives the re-encrypted copy of an original-tool snapshot its origin tags', () => {
      // Prepare
      const original = snapshot('prod-2025-02-28-00-00', {
        clusterId: 'prod',
        createTime: daysAgo(1),
        encrypted: true,
        kmsKeyId: AWS_RDS_KEY,
        tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE },
      });

      // Act
      const p = plan(SAME, { snapshots: [original], awsManagedKeys: [AWS_RDS_KEY] }, ['share']);

      // Assess
      expect(only(p, 'copy')[0]?.tags).toMatchObject({
        [TAG.PointInTime]: daysAgo(1).toISOString(),
        [TAG.SourceRegion]: SRC,
        [TAG.SourceAccount]: ACCOUNT,
        [TAG.SourceCluster]: 'prod',
      });
    });

    it('re-encrypts under another name when <name>-shared holds other data', () => {
      // Prepare
      const source = backup('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: AWS_RDS_KEY });
      const squatter = snapshot(`${source.id}-shared`, { clusterId: 'prod' });
      const squatter2 = snapshot(`${source.id}-shared-2`, { clusterId: 'prod' });

      // Act
      const renamed = plan(SAME, { snapshots: [source, squatter], awsManagedKeys: [AWS_RDS_KEY] }, ['share']);
      const blocked = plan(
        SAME,
        { snapshots: [source, squatter, squatter2], awsManagedKeys: [AWS_RDS_KEY] },
        ['share'],
      );

      // Assess
      expect(only(renamed, 'copy')[0]?.targetId).toBe(`${source.id}-shared-2`);
      expect(blocked.actions).toEqual([]);
      expect(blocked.notes.map((n) => n.code)).toEqual(['name-taken']);
    });

    // Mutation gap 2: a re-encryption whose names are taken gives its copy slot back to the next backup.
    it('gives the slot of a re-encryption whose name is taken to the next backup: five others still start', () => {
      // Prepare: the newest backup's <name>-shared and <name>-shared-2 hold other data
      const sources = Array.from({ length: 6 }, (_, i) =>
        backup('prod', hoursAfter(NOW, -1 - i), { encrypted: true, kmsKeyId: AWS_RDS_KEY }),
      );
      const blocked = sources[0]!;
      const squatters = [
        snapshot(`${blocked.id}-shared`, { clusterId: 'prod' }),
        snapshot(`${blocked.id}-shared-2`, { clusterId: 'prod' }),
      ];

      // Act
      const p = plan(SAME, { snapshots: [...sources, ...squatters], awsManagedKeys: [AWS_RDS_KEY] }, [
        'share',
      ]);

      // Assess
      expect(only(p, 'copy').map((c) => c.sourceArn)).toEqual(sources.slice(1).map((s) => s.arn));
      expect(codes(p)).toEqual(['name-taken']);
    });

    it('names KmsKeySource when an aws/rds-key backup cannot be re-encrypted', () => {
      // Act
      const p = plan(
        { ShareSnapshots: true, DestinationAccount: OTHER },
        {
          snapshots: [backup('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: AWS_RDS_KEY })],
          awsManagedKeys: [AWS_RDS_KEY],
        },
        ['share'],
      );

      // Assess
      expect(p.actions).toEqual([]);
      expect(p.notes[0]?.code).toBe('kms-key-source-required');
      expect(p.notes[0]?.message).toContain('KmsKeySource');
    });

    it('waits for a re-encrypted copy in progress, notes a failed one, skips a shared one', () => {
      // Prepare
      const make = (hours: number, status: string, tags: Record<string, string> = {}) => {
        const source = backup('prod', hoursAfter(NOW, -hours), { encrypted: true, kmsKeyId: AWS_RDS_KEY });
        const copy = snapshot(`${source.id}-shared`, {
          clusterId: 'prod',
          status,
          tags: {
            [TAG.CreatedBy]: TOOL_TAG_VALUE,
            [TAG.Purpose]: 'share',
            [TAG.SourceSnapshot]: source.arn,
            ...tags,
          },
        });
        return [source, copy];
      };

      // Act
      const p = plan(
        SAME,
        {
          snapshots: [
            ...make(1, 'copying'),
            ...make(2, 'failed'),
            ...make(3, 'available', { [TAG.SharedWith]: OTHER }),
          ],
          awsManagedKeys: [AWS_RDS_KEY],
        },
        ['share'],
      );

      // Assess
      expect(p.actions).toEqual([]);
      expect(codes(p)).toEqual(['copy-failed']);
    });

    it('does not share or re-encrypt backups older than RetentionDays', () => {
      // Act
      const p = plan(
        SAME,
        {
          snapshots: [
            backup('prod', daysAgo(8)),
            backup('prod', daysAgo(9), { encrypted: true, kmsKeyId: AWS_RDS_KEY }),
          ],
          awsManagedKeys: [AWS_RDS_KEY],
        },
        ['share'],
      );

      // Assess
      expect(p.actions).toEqual([]);
      expect(codes(p)).toEqual(['too-old-to-share', 'too-old-to-share']);
    });

    it('starts at most 5 re-encryptions, counting copies in flight in the region', () => {
      // Prepare
      const sources = Array.from({ length: 5 }, (_, i) =>
        backup('prod', hoursAfter(NOW, -1 - i), { encrypted: true, kmsKeyId: AWS_RDS_KEY }),
      );

      // Act
      const p = plan(
        SAME,
        { snapshots: [...sources, snapshot('busy', { status: 'copying' })], awsManagedKeys: [AWS_RDS_KEY] },
        ['share'],
      );

      // Assess
      expect(only(p, 'copy')).toHaveLength(4);
      expect(codes(p)).toContain('copy-limit');
    });
  });
});

describe('planSource: retention at the source', () => {
  const source = (days: number, fields = {}) => backup('prod', daysAgo(days), fields);

  it('deletes expired backups of matching clusters in the source region only, oldest first', () => {
    // Prepare
    const newest = source(1);
    const expired = [source(9), source(10)];

    // Act
    const p = plan({}, { snapshots: [newest, ...expired] }, ['delete']);

    // Assess
    expect(only(p, 'delete')).toEqual([
      expect.objectContaining({ region: SRC, snapshotId: expired[1]?.id, clusterId: 'prod' }),
      expect.objectContaining({ region: SRC, snapshotId: expired[0]?.id }),
    ]);
  });

  it('does nothing when DeleteOldSnapshots is FALSE', () => {
    // Act
    const p = plan({ DeleteOldSnapshots: false }, { snapshots: [source(1), source(30)] }, ['delete']);

    // Assess
    expect(p.actions).toEqual([]);
    expect(codes(p)).toEqual(['delete-disabled']);
  });

  it('never deletes untagged, automated, other clusters, copies or snapshots in progress', () => {
    // Prepare
    const candidates: SnapshotInfo[] = [
      snapshot('prod-by-hand', { clusterId: 'prod', createTime: daysAgo(30) }),
      source(30, { type: 'automated' }),
      backup('staging', daysAgo(30)),
      backup('staging', daysAgo(1)),
      source(31, { status: 'creating' }),
      source(32, { tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.CreatedBy]: 'x' } }),
    ];

    // Act
    const p = plan({}, { snapshots: [source(1), ...candidates] }, ['delete']);

    // Assess
    expect(p.actions).toEqual([]);
  });

  it('holds an expired backup whose DR copy is still copying, or not yet shared cross-account', () => {
    // Prepare
    const copying = source(9);
    const unshared = source(10);

    // Act
    const p = plan(
      { ...DR, DestinationAccount: OTHER },
      {
        snapshots: [source(1), copying, unshared],
        destinationSnapshots: [drCopy(copying, DST, { status: 'copying' }), drCopy(unshared, DST)],
      },
      ['delete'],
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(codes(p).sort()).toEqual(['kept-copy-pending', 'kept-share-pending']);
  });

  it('deletes an expired backup once its DR copy is available (and shared when cross-account)', () => {
    // Prepare
    const done = source(9);

    // Act
    const same = plan(DR, { snapshots: [source(1), done], destinationSnapshots: [drCopy(done, DST)] }, [
      'delete',
    ]);
    const cross = plan(
      { ...DR, DestinationAccount: OTHER },
      {
        snapshots: [source(1), done],
        destinationSnapshots: [drCopy(done, DST, { tags: { [TAG.SharedWith]: OTHER } })],
      },
      ['delete'],
    );

    // Assess
    expect(only(same, 'delete').map((d) => d.snapshotId)).toEqual([done.id]);
    expect(only(cross, 'delete').map((d) => d.snapshotId)).toEqual([done.id]);
  });

  it('deletes an expired backup that was never copied (it was past RetentionDays first) and says so', () => {
    // Prepare
    const uncopied = source(9);

    // Act
    const p = plan(DR, { snapshots: [source(1), uncopied] }, ['delete']);

    // Assess
    expect(only(p, 'delete')[0]?.reason).toContain('no DR copy');
  });

  it('never deletes DR copies in the destination region', () => {
    // Prepare
    const old = source(9);

    // Act
    const p = plan(
      DR,
      { snapshots: [source(1), old], destinationSnapshots: [drCopy(old, DST), drCopy(source(20), DST)] },
      ['delete'],
    );

    // Assess
    expect(only(p, 'delete').every((d) => d.region === SRC)).toBe(true);
  });

  describe('with re-encrypted share copies in the region', () => {
    const SAME = { ShareSnapshots: true, DestinationAccount: OTHER, KmsKeySource: CMK_SRC };
    const shareCopy = (of: SnapshotInfo, fields: { status?: string; shared?: boolean } = {}) =>
      snapshot(`${of.id}-shared`, {
        clusterId: 'prod',
        status: fields.status ?? 'available',
        pointInTime: of.tags[TAG.PointInTime] as string,
        tags: {
          [TAG.CreatedBy]: TOOL_TAG_VALUE,
          [TAG.Purpose]: 'share',
          [TAG.SourceSnapshot]: of.arn,
          ...(fields.shared ? { [TAG.SharedWith]: OTHER } : {}),
        },
      });

    it('holds a backup whose share copy is not yet shared, and the unshared share copy itself', () => {
      // Prepare
      const old = source(9);
      const copy = shareCopy(old);
      const newestCopy = shareCopy(source(1), { shared: true });

      // Act
      const p = plan(SAME, { snapshots: [source(1), old, copy, newestCopy] }, ['delete']);

      // Assess
      expect(p.actions).toEqual([]);
      expect(codes(p).filter((c) => c === 'kept-share-pending')).toHaveLength(2);
    });

    it('deletes an expired share copy once shared, but keeps the newest share copy of the cluster', () => {
      // Prepare
      const old = source(9);
      const oldCopy = shareCopy(old, { shared: true });
      const newestCopy = shareCopy(source(8), { shared: true });

      // Act
      const p = plan(SAME, { snapshots: [source(1), old, oldCopy, newestCopy] }, ['delete']);

      // Assess
      expect(
        only(p, 'delete')
          .map((d) => d.snapshotId)
          .sort(),
      ).toEqual([old.id, oldCopy.id].sort());
    });
  });
});

describe('planSource: each note with its level, code and message', () => {
  it('warns when the pattern matches no cluster, naming the pattern and the region', () => {
    // Act
    const p = plan({}, { clusters: [cluster('dev')] }, ['take']);

    // Assess
    expect(p.notes).toEqual([
      {
        level: 'warn',
        code: 'no-cluster',
        message: `ClusterNamePattern "prod" matches no cluster in ${SRC}`,
      },
    ]);
  });

  it('warns for a cluster that is not available, and for a name already taken', () => {
    // Act
    const stopped = plan({}, { clusters: [cluster('prod', { status: 'stopped' })] }, ['take']);
    const taken = plan(
      {},
      {
        clusters: [cluster('prod')],
        snapshots: [snapshot('prod-2025-03-01-00-00', { clusterId: 'prod', status: 'failed' })],
      },
      ['take'],
    );

    // Assess
    expect(stopped.notes).toEqual([
      {
        level: 'warn',
        code: 'cluster-not-available',
        message: 'cluster prod is stopped: no snapshot taken this pass',
        clusterId: 'prod',
      },
    ]);
    expect(taken.notes).toEqual([
      {
        level: 'warn',
        code: 'name-taken',
        message:
          'a snapshot named prod-2025-03-01-00-00 already exists and is not a usable backup of prod; the next pass retries under a new name',
        clusterId: 'prod',
        snapshotId: 'prod-2025-03-01-00-00',
      },
    ]);
  });

  it('notes a cluster that is not due as info, naming its latest backup', () => {
    // Prepare
    const latest = backup('prod', hoursAfter(NOW, -3));

    // Act
    const p = plan({}, { clusters: [cluster('prod')], snapshots: [latest] }, ['take']);

    // Assess
    expect(p.notes).toEqual([
      {
        level: 'info',
        code: 'not-due',
        message: `latest snapshot ${latest.id} is 3h old, younger than BackupInterval 24h`,
        clusterId: 'prod',
        snapshotId: latest.id,
      },
    ]);
  });

  it('warns near the quota with the count, the region and the quota', () => {
    // Prepare
    const others = Array.from({ length: 8 }, (_, i) => snapshot(`other-${i}`));

    // Act
    const p = plan({}, { clusters: [cluster('prod')], snapshots: others, manualSnapshotQuota: 10 }, ['take']);

    // Assess
    expect(p.notes).toEqual([
      {
        level: 'warn',
        code: 'quota-near',
        message: `9 manual cluster snapshots in ${SRC} (quota 10): lower RetentionDays or ask AWS for a higher quota`,
      },
    ]);
  });

  it('says when sharing is off', () => {
    // Act
    const p = plan({}, { snapshots: [backup('prod', hoursAfter(NOW, -1))] }, ['share']);

    // Assess
    expect(p.notes).toEqual([
      { level: 'info', code: 'share-disabled', message: 'ShareSnapshots is FALSE: nothing copied or shared' },
    ]);
  });

  it('notes the copies that wait for the limit, a failed DR copy, one too old, and a name taken', () => {
    // Prepare
    const backups = Array.from({ length: 7 }, (_, i) => backup('prod', hoursAfter(NOW, -1 - i)));
    const failed = backup('prod', hoursAfter(NOW, -20));
    const old = backup('prod', daysAgo(8));
    const blocked = backup('prod', hoursAfter(NOW, -30));

    // Act
    const p = plan(
      DR,
      {
        snapshots: [...backups, failed, old, blocked],
        destinationSnapshots: [
          drCopy(failed, DST, { status: 'failed' }),
          snapshot(blocked.id, { region: DST }),
          snapshot(`${blocked.id}-${SRC}`, { region: DST }),
        ],
      },
      ['share'],
    );

    // Assess: five copies start, the sixth and seventh wait, the blocked one waits too (no slot left)
    expect(only(p, 'copy')).toHaveLength(5);
    expect(p.notes).toEqual([
      {
        level: 'warn',
        code: 'copy-failed',
        message: `the DR copy ${failed.id} in ${DST} is failed: delete it so the next pass copies ${failed.id} again`,
        clusterId: 'prod',
        snapshotId: failed.id,
      },
      {
        level: 'info',
        code: 'too-old-to-copy',
        message: `${old.id} is older than RetentionDays (7): not copied, it would be deleted at once`,
        clusterId: 'prod',
        snapshotId: old.id,
      },
      {
        level: 'info',
        code: 'copy-limit',
        message: `3 copy(ies) wait for a later pass: at most 5 copies in flight in ${DST}`,
      },
    ]);
  });

  it('warns name-taken for a DR copy with both names held, naming both', () => {
    // Prepare
    const blocked = backup('prod', hoursAfter(NOW, -1));

    // Act
    const p = plan(
      DR,
      {
        snapshots: [blocked],
        destinationSnapshots: [
          snapshot(blocked.id, { region: DST }),
          snapshot(`${blocked.id}-${SRC}`, { region: DST }),
        ],
      },
      ['share'],
    );

    // Assess
    expect(p.notes).toEqual([
      {
        level: 'warn',
        code: 'name-taken',
        message: `${blocked.id} cannot be copied: ${DST} already has snapshots named ${blocked.id} and ${blocked.id}-${SRC} holding other data`,
        clusterId: 'prod',
        snapshotId: blocked.id,
      },
    ]);
  });

  it('warns encryption-key-required and share-impossible with their codes, and names the copy reasons', () => {
    // Prepare
    const encrypted = backup('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: CMK_SRC });
    const source = backup('prod', hoursAfter(NOW, -2));
    const awsKeyCopy = drCopy(source, DST, { encrypted: true, kmsKeyId: AWS_RDS_KEY });
    const fresh = backup('prod', hoursAfter(NOW, -3));

    // Act
    const noKey = plan({ ShareSnapshots: true, DestinationRegion: DST }, { snapshots: [encrypted] }, [
      'share',
    ]);
    const cross = plan(
      { ...DR, DestinationAccount: OTHER },
      { snapshots: [source, fresh], destinationSnapshots: [awsKeyCopy], awsManagedKeys: [AWS_RDS_KEY] },
      ['share'],
    );

    // Assess
    expect(noKey.notes).toEqual([
      {
        level: 'warn',
        code: 'encryption-key-required',
        message: `EncryptionKeyRequired: ${encrypted.id} is encrypted; set KmsKeyDestination to a key in ${DST} to copy it there`,
        clusterId: 'prod',
        snapshotId: encrypted.id,
      },
    ]);
    expect(cross.notes).toEqual([
      {
        level: 'warn',
        code: 'share-impossible',
        message: `the DR copy ${awsKeyCopy.id} is encrypted with the AWS-managed aws/rds key, which cannot be shared: set KmsKeyDestination to a customer managed key`,
        clusterId: 'prod',
        snapshotId: awsKeyCopy.id,
      },
    ]);
    expect(only(cross, 'copy')[0]?.reason).toBe(`${fresh.id} has no DR copy in ${DST}`);
  });

  it('names the reason of a share of a DR copy and of a backup shared in its region', () => {
    // Prepare
    const source = backup('prod', hoursAfter(NOW, -1));

    // Act
    const cross = plan(
      { ...DR, DestinationAccount: OTHER },
      { snapshots: [source], destinationSnapshots: [drCopy(source, DST)] },
      ['share'],
    );
    const same = plan({ ShareSnapshots: true, DestinationAccount: OTHER }, { snapshots: [source] }, [
      'share',
    ]);

    // Assess
    expect(only(cross, 'share')[0]?.reason).toBe(`DR copy of ${source.id} not yet shared with ${OTHER}`);
    expect(only(same, 'share')[0]?.reason).toBe(`${source.id} not yet shared with ${OTHER}`);
  });

  describe('in the same region', () => {
    const SAME = { ShareSnapshots: true, DestinationAccount: OTHER, KmsKeySource: CMK_SRC };
    const awsKeyBackup = (hours: number) =>
      backup('prod', hoursAfter(NOW, -hours), { encrypted: true, kmsKeyId: AWS_RDS_KEY });

    it('notes a backup too old to share, a failed re-encryption, a missing KmsKeySource and a name taken', () => {
      // Prepare
      const old = backup('prod', daysAgo(8));
      const failedSource = awsKeyBackup(2);
      const failedCopy = snapshot(`${failedSource.id}-shared`, {
        clusterId: 'prod',
        status: 'failed',
        tags: {
          [TAG.CreatedBy]: TOOL_TAG_VALUE,
          [TAG.Purpose]: 'share',
          [TAG.SourceSnapshot]: failedSource.arn,
        },
      });
      const blocked = awsKeyBackup(3);
      const squatters = [snapshot(`${blocked.id}-shared`), snapshot(`${blocked.id}-shared-2`)];
      const needsKey = awsKeyBackup(1);

      // Act
      const p = plan(
        SAME,
        { snapshots: [old, failedSource, failedCopy, blocked, ...squatters], awsManagedKeys: [AWS_RDS_KEY] },
        ['share'],
      );
      const noKey = plan(
        { ShareSnapshots: true, DestinationAccount: OTHER },
        { snapshots: [needsKey], awsManagedKeys: [AWS_RDS_KEY] },
        ['share'],
      );

      // Assess
      expect(p.notes).toEqual([
        {
          level: 'warn',
          code: 'copy-failed',
          message: `the re-encrypted copy ${failedCopy.id} is failed: delete it so the next pass makes it again`,
          clusterId: 'prod',
          snapshotId: failedCopy.id,
        },
        {
          level: 'warn',
          code: 'name-taken',
          message: `${blocked.id} cannot be re-encrypted: ${blocked.id}-shared already exists and holds other data`,
          clusterId: 'prod',
          snapshotId: blocked.id,
        },
        {
          level: 'info',
          code: 'too-old-to-share',
          message: `${old.id} is older than RetentionDays (7): not shared, it would be deleted at once`,
          clusterId: 'prod',
          snapshotId: old.id,
        },
      ]);
      expect(noKey.notes).toEqual([
        {
          level: 'warn',
          code: 'kms-key-source-required',
          message: `${needsKey.id} is encrypted with the AWS-managed aws/rds key, which cannot be shared: set KmsKeySource to a customer managed key in ${SRC} whose policy allows account ${OTHER}`,
          clusterId: 'prod',
          snapshotId: needsKey.id,
        },
      ]);
    });

    it('names the reasons of a re-encryption and of the share of its copy', () => {
      // Prepare
      const source = awsKeyBackup(1);
      const copy = snapshot(`${source.id}-shared`, {
        clusterId: 'prod',
        tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.Purpose]: 'share', [TAG.SourceSnapshot]: source.arn },
      });

      // Act
      const first = plan(SAME, { snapshots: [source], awsManagedKeys: [AWS_RDS_KEY] }, ['share']);
      const second = plan(SAME, { snapshots: [source, copy], awsManagedKeys: [AWS_RDS_KEY] }, ['share']);

      // Assess
      expect(only(first, 'copy')[0]?.reason).toBe(
        `${source.id} is encrypted with the AWS-managed aws/rds key, which cannot be shared: re-encrypting it with KmsKeySource to share the copy`,
      );
      expect(only(second, 'share')[0]?.reason).toBe(
        `re-encrypted copy of ${source.id} not yet shared with ${OTHER}`,
      );
    });

    it('finds a share copy made before the SourceSnapshot tag by its <name>-shared, and does not re-encrypt again', () => {
      // Prepare
      const source = awsKeyBackup(1);
      const legacy = snapshot(`${source.id}-shared`, {
        clusterId: 'prod',
        status: 'copying',
        tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.Purpose]: 'share' },
      });

      // Act
      const p = plan(SAME, { snapshots: [source, legacy], awsManagedKeys: [AWS_RDS_KEY] }, ['share']);

      // Assess
      expect(p.actions).toEqual([]);
      expect(p.notes).toEqual([]);
    });

    it('shares an unencrypted backup directly even when its listing names the aws/rds key id', () => {
      // Prepare: moto and old listings can name a key on an unencrypted snapshot
      const plain = backup('prod', hoursAfter(NOW, -1), { encrypted: false, kmsKeyId: AWS_RDS_KEY });

      // Act
      const p = plan(SAME, { snapshots: [plain], awsManagedKeys: [AWS_RDS_KEY] }, ['share']);

      // Assess
      expect(kinds(p)).toEqual(['share']);
    });
  });
});

describe('planSource: what is counted, ordered and copied at the boundaries', () => {
  it('decides on the newest backup of a cluster wherever it is listed', () => {
    // Act: the newest first, an older one last
    const p = plan(
      {},
      {
        clusters: [cluster('prod')],
        snapshots: [backup('prod', hoursAfter(NOW, -2)), backup('prod', hoursAfter(NOW, -50))],
      },
      ['take'],
    );

    // Assess
    expect(p.actions).toEqual([]);
    expect(codes(p)).toEqual(['not-due']);
  });

  it('takes in cluster id order whatever the listing order', () => {
    // Act
    const p = plan({}, { clusters: [cluster('prod-c'), cluster('prod-a'), cluster('prod-b')] }, ['take']);

    // Assess
    expect(only(p, 'take').map((t) => t.clusterId)).toEqual(['prod-a', 'prod-b', 'prod-c']);
  });

  it('does not count automated snapshots as backups or against the manual quota', () => {
    // Prepare: an automated snapshot that carries the tool's tags (tags copied from the cluster)
    const automated = backup('prod', hoursAfter(NOW, -1), { type: 'automated' });
    const manual = Array.from({ length: 8 }, (_, i) => snapshot(`other-${i}`));

    // Act
    const p = plan(
      {},
      { clusters: [cluster('prod')], snapshots: [automated, ...manual], manualSnapshotQuota: 10 },
      ['take'],
    );
    const full = plan(
      {},
      { clusters: [cluster('dev')], snapshots: [automated, ...manual], manualSnapshotQuota: 8 },
      ['take'],
    );

    // Assess: 8 manual + 1 take reaches 90% of 10; the automated one is neither a backup nor counted
    expect(kinds(p)).toEqual(['take']);
    expect(codes(p)).toEqual(['quota-near']);
    expect(full.notes.find((n) => n.code === 'quota-near')?.message).toMatch(/^8 manual/);
  });

  it('copies a backup exactly RetentionDays old, and not one a millisecond older', () => {
    // Prepare
    const exactly = backup('prod', daysAgo(7));
    const older = backup('prod', new Date(daysAgo(7).getTime() - 1));

    // Act
    const p = plan(DR, { snapshots: [exactly, older] }, ['share']);

    // Assess
    expect(only(p, 'copy').map((c) => c.targetId)).toEqual([exactly.id]);
    expect(codes(p)).toEqual(['too-old-to-copy']);
  });
});

describe('planSource: holds and deletions when sharing changed', () => {
  const SAME = { ShareSnapshots: true, DestinationAccount: OTHER, KmsKeySource: CMK_SRC };
  const marked = { [TAG.ShareAndCopy]: 'YES' };
  const shareCopyOf = (of: SnapshotInfo, tags: Record<string, string> = {}) =>
    snapshot(`${of.id}-shared`, {
      clusterId: 'prod',
      pointInTime: of.tags[TAG.PointInTime] as string,
      tags: {
        [TAG.CreatedBy]: TOOL_TAG_VALUE,
        [TAG.Purpose]: 'share',
        [TAG.SourceSnapshot]: of.arn,
        ...tags,
      },
    });

  it('with ShareSnapshots FALSE, deletes expired marked backups and leftover share copies (nothing will share them)', () => {
    // Prepare
    const old = backup('prod', daysAgo(9), { tags: marked });
    const oldCopy = shareCopyOf(old);
    const newest = backup('prod', daysAgo(1));
    const newestCopy = shareCopyOf(backup('prod', daysAgo(2)));

    // Act
    const p = plan(
      { DestinationRegion: DST },
      { snapshots: [newest, old, oldCopy, newestCopy], destinationSnapshots: [] },
      ['delete'],
    );

    // Assess
    expect(only(p, 'delete')).toEqual([
      {
        kind: 'delete',
        region: SRC,
        snapshotId: old.id,
        clusterId: 'prod',
        reason: '9 days old, older than RetentionDays (7)',
      },
      {
        kind: 'delete',
        region: SRC,
        snapshotId: oldCopy.id,
        clusterId: 'prod',
        reason: '9 days old, older than RetentionDays (7)',
      },
    ]);
  });

  it('keeps the newest backup and the newest share copy of a cluster apart', () => {
    // Prepare: the backup is older than a share copy of a later backup, both expired
    const lastBackup = backup('prod', daysAgo(20));
    const laterCopy = shareCopyOf(backup('prod', daysAgo(10)), { [TAG.SharedWith]: OTHER });

    // Act
    const p = plan(SAME, { snapshots: [lastBackup, laterCopy] }, ['delete']);

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.notes.map((n) => [n.code, n.snapshotId])).toEqual([
      ['kept-newest', lastBackup.id],
      ['kept-newest', laterCopy.id],
    ]);
  });

  it('never deletes a CreatedBy snapshot whose purpose it does not know', () => {
    // Prepare
    const unknown = backup('prod', daysAgo(30), { tags: { [TAG.Purpose]: 'restore-test' } });

    // Act
    const p = plan({}, { snapshots: [backup('prod', daysAgo(1)), unknown] }, ['delete']);

    // Assess
    expect(p.actions).toEqual([]);
  });

  it('in one region, holds a marked backup until shared, naming why, and lets it go through its shared copy', () => {
    // Prepare
    const newest = backup('prod', daysAgo(1));
    const waiting = backup('prod', daysAgo(9), { tags: marked });
    const viaCopy = backup('prod', daysAgo(10), {
      encrypted: true,
      kmsKeyId: AWS_RDS_KEY,
      tags: marked,
    });
    const unmarked = backup('prod', daysAgo(11));

    // Act
    const p = plan(
      SAME,
      { snapshots: [newest, waiting, viaCopy, shareCopyOf(viaCopy, { [TAG.SharedWith]: OTHER }), unmarked] },
      ['delete'],
    );

    // Assess
    expect(only(p, 'delete').map((d) => d.snapshotId)).toEqual([unmarked.id, viaCopy.id]);
    expect(p.notes).toContainEqual({
      level: 'info',
      code: 'kept-share-pending',
      message: `kept ${waiting.id}: marked shareAndCopy=YES and not yet shared with ${OTHER}`,
      clusterId: 'prod',
      snapshotId: waiting.id,
    });
  });

  it('names each hold exactly: DR copy missing, copying, not shared; share copy not shared', () => {
    // Prepare
    const missing = backup('prod', daysAgo(9), { tags: marked });
    const copying = backup('prod', daysAgo(10));
    const unshared = backup('prod', daysAgo(11));
    const inRegion = backup('prod', daysAgo(12));
    const inRegionCopy = shareCopyOf(inRegion);

    // Act
    const dr = plan(
      { ...DR, DestinationAccount: OTHER },
      {
        snapshots: [backup('prod', daysAgo(1)), missing, copying, unshared],
        destinationSnapshots: [drCopy(copying, DST, { status: 'copying' }), drCopy(unshared, DST)],
      },
      ['delete'],
    );
    const newest = backup('prod', daysAgo(1));
    const same = plan(
      SAME,
      { snapshots: [newest, inRegion, inRegionCopy, shareCopyOf(newest, { [TAG.SharedWith]: OTHER })] },
      ['delete'],
    );

    // Assess
    const held = (id: string, message: string, code: string) => ({
      level: 'info',
      code,
      message,
      clusterId: 'prod',
      snapshotId: id,
    });
    expect(dr.notes).toEqual([
      held(
        missing.id,
        `kept ${missing.id}: marked shareAndCopy=YES and its DR copy in ${DST} is not made yet`,
        'kept-copy-missing',
      ),
      held(copying.id, `kept ${copying.id}: its DR copy in ${DST} is copying`, 'kept-copy-pending'),
      held(
        unshared.id,
        `kept ${unshared.id}: its DR copy is not yet shared with ${OTHER}`,
        'kept-share-pending',
      ),
    ]);
    expect(same.notes).toEqual([
      held(
        inRegion.id,
        `kept ${inRegion.id}: its re-encrypted copy ${inRegionCopy.id} is not yet shared with ${OTHER}`,
        'kept-share-pending',
      ),
      held(inRegionCopy.id, `kept ${inRegionCopy.id}: not yet shared with ${OTHER}`, 'kept-share-pending'),
    ]);
  });

  it('says "no DR copy" only for a deleted backup that has none', () => {
    // Prepare
    const copied = backup('prod', daysAgo(9));
    const uncopied = backup('prod', daysAgo(10));

    // Act
    const p = plan(
      DR,
      {
        snapshots: [backup('prod', daysAgo(1)), copied, uncopied],
        destinationSnapshots: [drCopy(copied, DST)],
      },
      ['delete'],
    );
    const inRegion = plan(SAME, { snapshots: [backup('prod', daysAgo(1)), uncopied] }, ['delete']);

    // Assess
    expect(only(p, 'delete').map((d) => d.reason)).toEqual([
      '10 days old, older than RetentionDays (7); it has no DR copy (it was older than RetentionDays before one could be made)',
      '9 days old, older than RetentionDays (7)',
    ]);
    expect(only(inRegion, 'delete').map((d) => d.reason)).toEqual([
      '10 days old, older than RetentionDays (7)',
    ]);
  });
});

describe('planSource: the kept list', () => {
  it('gives the expiry of a backup RetentionDays keeps, and no expiresAt field for the newest, which never expires', () => {
    // Prepare
    const newest = backup('prod', hoursAfter(NOW, -1));
    const older = backup('prod', hoursAfter(NOW, -30));

    // Act
    const p = plan({ RetentionDays: 7 }, { clusters: [cluster('prod')], snapshots: [newest, older] }, [
      'delete',
    ]);

    // Assess: toStrictEqual tells an absent field from one set to undefined
    expect(p.kept).toStrictEqual([
      {
        region: SRC,
        clusterId: 'prod',
        snapshotId: newest.id,
        reasons: ['newest', 'within RetentionDays (7)'],
      },
      {
        region: SRC,
        clusterId: 'prod',
        snapshotId: older.id,
        reasons: ['within RetentionDays (7)'],
        expiresAt: hoursAfter(NOW, -30 + 7 * 24).toISOString(),
      },
    ]);
  });
});
