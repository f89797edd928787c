// The answers the planner and the status report read from the fan-out, each pinned directly: the targets a
// configuration lists (exact fields, the key shared by a region), where a destination stands with a backup,
// its newest delivered snapshot, what it still lacks and for how long, and which destinations an action serves.
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../../src/config/schema.js';
import { type DestinationTarget, destinationsOf } from '../../../src/core/copies/destinations.js';
import {
  destinationProgress,
  destinationsOfAction,
  fanOut,
  snapshotsIn,
} from '../../../src/core/copies/fan-out.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import type { Action } from '../../../src/core/plan/plan.js';
import {
  EU,
  KEY_EU,
  KEY_SRC,
  KEY_W2,
  NOW,
  OTHER,
  SRC,
  sourceConfig,
  THIRD,
  W2,
} from '../../support/destinations-fixture.js';
import { backup, drCopy, hoursAfter, snapshot, sourceObservation } from '../../support/snapshot-builder.js';

const source = (fields: Record<string, unknown>) =>
  sourceConfig({ ShareSnapshots: true, RetentionDays: 1, ...fields });

const ago = (hours: number) => hoursAfter(NOW, -hours);
const sharedWith = (s: SnapshotInfo, ...accounts: string[]): SnapshotInfo => ({
  ...s,
  tags: { ...s.tags, [TAG.SharedWith]: accounts.join(' ') },
});
/** Another snapshot of the same data under another name. */
const renamed = (s: SnapshotInfo, id: string): SnapshotInfo => ({ ...s, id, arn: s.arn.replace(s.id, id) });
const withStatus = (s: SnapshotInfo, status: string): SnapshotInfo => ({ ...s, status });
/** The re-encrypted `-shared` copy of `of` in the source region, as the planner makes it. */
const shareCopy = (of: SnapshotInfo, fields: Partial<SnapshotInfo> = {}): SnapshotInfo => ({
  ...backup(of.clusterId, of.createTime ?? NOW),
  id: `${of.id}-shared`,
  ...fields,
  tags: { ...of.tags, [TAG.Purpose]: 'share', [TAG.SourceSnapshot]: of.arn },
});

function targetOf(config: SourceConfig, id: string): DestinationTarget {
  const found = destinationsOf(config).find((t) => t.id === id);
  if (found === undefined) throw new Error(`no destination ${id}`);
  return found;
}

describe('destinationsOf: the exact targets of a configuration', () => {
  it('gives an account only to targets with one, and a key only to copies that name one', () => {
    const config = source({
      Destinations: [
        { Region: W2 },
        { Region: EU, Account: OTHER, KmsKeyDestination: KEY_EU },
        { Region: SRC, Account: OTHER, KmsKeyDestination: KEY_SRC },
      ],
    });

    // A share in place makes no copy, so the key written beside it is not a copy's key.
    expect(destinationsOf(config)).toStrictEqual([
      { id: W2, kind: 'copy', region: W2, parameter: 'Source.Destinations[0]' },
      {
        id: `${OTHER}@${EU}`,
        kind: 'copy-share',
        region: EU,
        account: OTHER,
        kmsKeyId: KEY_EU,
        parameter: 'Source.Destinations[1]',
      },
      {
        id: `${OTHER}@${SRC}`,
        kind: 'share',
        region: SRC,
        account: OTHER,
        parameter: 'Source.Destinations[2]',
      },
    ]);
  });

  it.each([
    [
      'the key first',
      [
        { Region: W2, KmsKeyDestination: KEY_W2 },
        { Region: W2, Account: OTHER },
      ],
    ],
    [
      'the key second',
      [
        { Region: W2, Account: OTHER },
        { Region: W2, KmsKeyDestination: KEY_W2 },
      ],
    ],
  ])(
    'gives every destination of a region the one key written there (%s): they share one copy',
    (_, items) => {
      expect(destinationsOf(source({ Destinations: items })).map((t) => [t.id, t.kmsKeyId])).toStrictEqual(
        items.map((item) => [item.Account ? `${OTHER}@${W2}` : W2, KEY_W2]),
      );
    },
  );

  it('names the one-item parameter the destination comes from', () => {
    expect(destinationsOf(source({ DestinationAccount: OTHER }))).toStrictEqual([
      {
        id: `${OTHER}@${SRC}`,
        kind: 'share',
        region: SRC,
        account: OTHER,
        parameter: 'Source.DestinationAccount',
      },
    ]);
    expect(destinationsOf(source({ DestinationRegion: W2, KmsKeyDestination: KEY_W2 }))).toStrictEqual([
      { id: W2, kind: 'copy', region: W2, kmsKeyId: KEY_W2, parameter: 'Source.DestinationRegion' },
    ]);
  });
});

describe('fanOut: listings, keys and names', () => {
  it("reads the source region's own listing for the source region, and each copy region's for that region", () => {
    const own = backup('prod', ago(1));
    const inW2 = drCopy(own, W2);
    const inEu = drCopy(own, EU);
    const one = sourceObservation({ now: NOW, snapshots: [own], destinationSnapshots: [inW2] });
    const several = sourceObservation({
      now: NOW,
      snapshots: [own],
      destinationSnapshots: [inW2],
      regionSnapshots: { [W2]: [inW2], [EU]: [inEu] },
    });

    expect(snapshotsIn(one, SRC)).toStrictEqual([own]);
    expect(snapshotsIn(one, W2)).toStrictEqual([inW2]);
    expect(snapshotsIn(several, SRC)).toStrictEqual([own]);
    expect(snapshotsIn(several, EU)).toStrictEqual([inEu]);
  });

  it('names the item whose key a region uses, or the first item of a region without one', () => {
    const config = source({
      Destinations: [
        { Region: W2, Account: OTHER },
        { Region: W2, KmsKeyDestination: KEY_W2 },
        { Region: EU, Account: OTHER },
        { Region: EU, Account: THIRD },
      ],
    });
    const fan = fanOut(sourceObservation({ now: NOW }), config);

    expect(fan.keyIn(W2)).toStrictEqual({ key: KEY_W2, parameter: 'Destinations[1].KmsKeyDestination' });
    expect(fan.keyIn(EU)).toStrictEqual({ key: undefined, parameter: 'Destinations[2].KmsKeyDestination' });
    expect(
      fanOut(sourceObservation({ now: NOW }), source({ DestinationRegion: W2 })).keyIn(W2),
    ).toStrictEqual({
      key: undefined,
      parameter: 'KmsKeyDestination',
    });
  });

  it('reserves a name in a region once for the whole plan, whichever caller asks for the region', () => {
    const fan = fanOut(sourceObservation({ now: NOW }), source({ DestinationRegion: W2 }));

    expect(fan.copiesIn(W2).reserve('prod-2025-03-01-00-00', '-a')).toBe('prod-2025-03-01-00-00');
    expect(fan.copiesIn(W2).reserve('prod-2025-03-01-00-00', '-a')).toBe('prod-2025-03-01-00-00-a');
    expect(fan.copiesIn(W2).reserve('prod-2025-03-01-00-00', '-a')).toBeUndefined();
  });
});

describe('fanOut: where a destination stands with a backup', () => {
  const config = source({
    Destinations: [{ Region: W2 }, { Region: EU, Account: OTHER }, { Region: SRC, Account: OTHER }],
  });
  const done = { state: 'done', code: '', detail: '' };
  const b = backup('prod', ago(3));

  it('answers for a share in place: done once shared or once its re-encrypted copy is shared', () => {
    const inPlace = targetOf(config, `${OTHER}@${SRC}`);
    const at = (...snapshots: SnapshotInfo[]) =>
      fanOut(sourceObservation({ now: NOW, snapshots }), config).delivery(
        snapshots[0] as SnapshotInfo,
        inPlace,
      );

    expect(at(sharedWith(b, OTHER))).toStrictEqual(done);
    expect(at(sharedWith(b, THIRD))).toStrictEqual({
      state: 'missing',
      code: 'kept-share-pending',
      detail: `marked shareAndCopy=YES and not yet shared with ${OTHER}`,
    });
    expect(at(b, sharedWith(shareCopy(b), OTHER))).toStrictEqual(done);
    const creating = sharedWith(withStatus(shareCopy(b), 'creating'), OTHER);
    expect(at(b, creating)).toStrictEqual({
      state: 'pending',
      code: 'kept-share-pending',
      detail: `its re-encrypted copy ${creating.id} is not yet shared with ${OTHER}`,
    });
  });

  it('answers for copies: missing, pending while creating or unshared, done when there (and shared)', () => {
    const copyOnly = targetOf(config, W2);
    const copyShare = targetOf(config, `${OTHER}@${EU}`);
    const at = (target: DestinationTarget, ...copies: SnapshotInfo[]) =>
      fanOut(
        sourceObservation({
          now: NOW,
          snapshots: [b],
          regionSnapshots: {
            [W2]: copies.filter((c) => c.region === W2),
            [EU]: copies.filter((c) => c.region === EU),
          },
        }),
        config,
      ).delivery(b, target);

    expect(at(copyShare)).toStrictEqual({
      state: 'missing',
      code: 'kept-copy-missing',
      detail: `marked shareAndCopy=YES and its DR copy in ${EU} is not made yet`,
    });
    expect(at(copyShare, withStatus(drCopy(b, EU), 'copying'))).toStrictEqual({
      state: 'pending',
      code: 'kept-copy-pending',
      detail: `its DR copy in ${EU} is copying`,
    });
    expect(at(copyShare, drCopy(b, EU))).toStrictEqual({
      state: 'pending',
      code: 'kept-share-pending',
      detail: `its DR copy is not yet shared with ${OTHER}`,
    });
    expect(at(copyShare, sharedWith(drCopy(b, EU), OTHER))).toStrictEqual(done);
    expect(at(copyOnly, drCopy(b, W2))).toStrictEqual(done);
  });
});

describe('fanOut: the newest snapshot a destination received', () => {
  const config = source({
    Destinations: [{ Region: W2 }, { Region: EU, Account: OTHER }, { Region: SRC, Account: OTHER }],
  });
  const older = backup('prod', ago(10));
  const newer = backup('prod', ago(5));
  const newest = backup('prod', ago(1));

  it('takes the newest of its copies whatever the listing order, and nothing that is not its copy', () => {
    const legit = [drCopy(newer, W2), drCopy(older, W2)];
    // each newer than the real copies, each failing one condition
    const impostors = [
      drCopy(newest, W2, { type: 'automated' }),
      withStatus(drCopy(newest, W2), 'copying'),
      snapshot('prod-by-hand', { clusterId: 'prod', region: W2, createTime: ago(1) }),
      drCopy(newest, W2, { tags: { [TAG.SourceRegion]: 'us-east-2' } }),
    ];
    const obs = sourceObservation({
      now: NOW,
      // the source region's own backups are no copies in us-west-2
      snapshots: [newest],
      regionSnapshots: { [W2]: [...legit, ...impostors], [EU]: [] },
    });

    expect(fanOut(obs, config).newestDelivered(targetOf(config, W2), 'prod')?.id).toBe(newer.id);
  });

  it('takes for a copy shared with an account only the copies shared with it', () => {
    const obs = sourceObservation({
      now: NOW,
      regionSnapshots: {
        [W2]: [],
        [EU]: [
          sharedWith(drCopy(older, EU), OTHER),
          sharedWith(drCopy(newer, EU), THIRD),
          drCopy(newest, EU),
        ],
      },
    });

    expect(fanOut(obs, config).newestDelivered(targetOf(config, `${OTHER}@${EU}`), 'prod')?.id).toBe(
      older.id,
    );
  });

  it('knows no recovery point from a copy without a point in time', () => {
    const undated = snapshot('other-copy', {
      clusterId: 'other',
      region: W2,
      tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'other', [TAG.SourceRegion]: SRC },
    });
    const obs = sourceObservation({ now: NOW, regionSnapshots: { [W2]: [undated], [EU]: [] } });

    expect(fanOut(obs, config).newestDelivered(targetOf(config, W2), 'other')).toBeUndefined();
  });

  it('takes for a share in place the backups and re-encrypted copies shared with its account, nothing else', () => {
    const legit = [sharedWith(older, OTHER), sharedWith(shareCopy(newer), OTHER)];
    const impostors = [
      sharedWith(backup('prod', ago(1), { type: 'automated' }), OTHER),
      sharedWith(withStatus(backup('prod', ago(2)), 'creating'), OTHER),
      sharedWith(snapshot('prod-by-hand', { clusterId: 'prod', createTime: ago(1) }), OTHER),
      sharedWith(backup('prod', ago(3)), THIRD),
    ];
    const obs = sourceObservation({ now: NOW, snapshots: [...impostors, ...legit] });

    expect(fanOut(obs, config).newestDelivered(targetOf(config, `${OTHER}@${SRC}`), 'prod')?.id).toBe(
      shareCopy(newer).id,
    );
  });
});

describe('destinationProgress: what a destination lacks, and for how long', () => {
  const config = source({ DestinationRegion: W2, MaxWaitMinutes: 120 });
  const progress = (backups: SnapshotInfo[], copies: SnapshotInfo[] = []) => {
    const obs = sourceObservation({ now: NOW, snapshots: backups, destinationSnapshots: copies });
    const [first] = destinationProgress(obs, config, fanOut(obs, config), 'prod', backups);
    if (first === undefined) throw new Error('no destination');
    return first;
  };
  const marked = (at: Date) => backup('prod', at, { tags: { [TAG.ShareAndCopy]: 'YES' } });

  it('expects each available backup within RetentionDays, up to exactly RetentionDays old, and no other', () => {
    const young = backup('prod', ago(2));
    const exactlyRetention = backup('prod', ago(24));
    const expired = backup('prod', hoursAfter(ago(24), -0.5));
    const creating = withStatus(marked(ago(48)), 'creating');

    const p = progress([young, creating, expired, exactlyRetention]);

    expect(p.oldestMissing?.id).toBe(exactlyRetention.id);
    expect(p.lagHours).toBe(24);
  });

  it('expects a backup marked for copying however old, and names the oldest missing wherever it is listed', () => {
    const p = progress([backup('prod', ago(2)), marked(ago(50)), backup('prod', ago(6))]);

    expect(p.oldestMissing?.id).toBe(backup('prod', ago(50)).id);
    expect(p.lagHours).toBe(50);
  });

  it('names the first listed of two missing backups of the same age', () => {
    const first = backup('prod', ago(3));
    const second = renamed(first, `${first.id}-b`);

    expect(progress([first, second]).oldestMissing?.id).toBe(first.id);
    expect(progress([second, first]).oldestMissing?.id).toBe(second.id);
  });

  it('lags only beyond MaxWaitMinutes, not at exactly MaxWaitMinutes', () => {
    expect(progress([backup('prod', ago(2))])).toMatchObject({ lagHours: 2, lagging: false });
    expect(progress([backup('prod', hoursAfter(ago(2), -1 / 60))]).lagging).toBe(true);
  });

  it('lacks nothing older than what it already has, but still lacks a backup of the same time or undated', () => {
    const delivered = backup('prod', ago(5));
    const before = backup('prod', ago(10));
    const sameTime = renamed(backup('prod', ago(5)), 'prod-same-time');
    const undated = snapshot('prod-undated', {
      clusterId: 'prod',
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'prod', [TAG.SourceRegion]: SRC },
    });
    const copy = drCopy(delivered, W2);

    expect(progress([before, delivered], [copy])).toMatchObject({ oldestMissing: undefined, lagHours: 0 });
    expect(progress([before, delivered, sameTime], [copy]).oldestMissing?.id).toBe('prod-same-time');
    expect(progress([before, delivered, undated], [copy]).oldestMissing?.id).toBe('prod-undated');
    // with nothing delivered, every expected backup is lacking
    expect(progress([before, delivered]).oldestMissing?.id).toBe(before.id);
  });

  it('compares points in time, not create times, with what the destination has', () => {
    // data of 10 h ago in a snapshot created 1 h ago (a late retry), and a copy of data of 5 h ago made just now
    const lateRetry = backup('prod', ago(1), { pointInTime: ago(10) });
    const delivered = backup('prod', ago(5));
    const copy = drCopy(delivered, W2, { createTime: ago(0.5) });
    const afterIt = backup('prod', ago(3));

    expect(progress([lateRetry, delivered], [copy]).oldestMissing).toBeUndefined();
    expect(progress([afterIt, delivered], [copy]).oldestMissing?.id).toBe(afterIt.id);
  });
});

describe('destinationsOfAction', () => {
  const targets = destinationsOf(
    source({
      Destinations: [
        { Region: W2 },
        { Region: W2, Account: OTHER },
        { Region: EU },
        { Region: SRC, Account: OTHER },
      ],
    }),
  );
  const copy = (fields: Partial<Extract<Action, { kind: 'copy' }>>): Action => ({
    kind: 'copy',
    purpose: 'dr-copy',
    sourceArn: 'arn:aws:rds:us-east-1:111111111111:cluster-snapshot:prod-1',
    sourceRegion: SRC,
    targetRegion: W2,
    targetId: 'prod-1',
    kmsKeyId: undefined,
    clusterId: 'prod',
    tags: {},
    reason: 'test',
    ...fields,
  });
  const share = (fields: Partial<Extract<Action, { kind: 'share' }>>): Action => ({
    kind: 'share',
    region: EU,
    snapshotId: 'prod-1',
    snapshotArn: 'arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:prod-1',
    accountId: OTHER,
    clusterId: 'prod',
    reason: 'test',
    ...fields,
  });

  it('serves every copy destination of its region with a DR copy, and the shares in place with a re-encryption', () => {
    expect(destinationsOfAction(copy({}), targets)).toStrictEqual([W2, `${OTHER}@${W2}`]);
    expect(destinationsOfAction(copy({ targetRegion: EU }), targets)).toStrictEqual([EU]);
    // only the re-encryption serves the shares in place, not any copy made in their region
    expect(destinationsOfAction(copy({ targetRegion: SRC }), targets)).toStrictEqual([]);
    expect(destinationsOfAction(copy({ purpose: 'share', targetRegion: SRC }), targets)).toStrictEqual([
      `${OTHER}@${SRC}`,
    ]);
  });

  it('serves with a share its account in its region, and the destinations an action names when it names some', () => {
    expect(destinationsOfAction(share({}), targets)).toStrictEqual([`${OTHER}@${EU}`]);
    expect(destinationsOfAction(share({ destinations: ['a', 'b'] }), targets)).toStrictEqual(['a', 'b']);
    expect(destinationsOfAction(copy({ destinations: ['c'] }), targets)).toStrictEqual(['c']);
  });

  it('serves no destination with a take or a delete', () => {
    const del: Action = {
      kind: 'delete',
      region: SRC,
      snapshotId: 'prod-1',
      clusterId: 'prod',
      reason: 'test',
    };
    expect(destinationsOfAction(del, targets)).toStrictEqual([]);
  });
});
