// The source planner's decisions that name destinations and accounts: which destinations an action or a
// note names, the accounts a share keeps in SharedWith, holds released at exactly the configured age, and
// the regions a deleted backup never reached.
import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { TAG } from '../../../src/core/model/tags.js';
import type { SourcePhase } from '../../../src/core/plan/pass.js';
import type { Action, Plan } from '../../../src/core/plan/plan.js';
import { planSource } from '../../../src/core/plan/source-planner.js';
import { EU, KEY_W2, NOW, OTHER, SRC, sourceConfig, THIRD, W2 } from '../../support/destinations-fixture.js';
import { backup, cluster, drCopy, hoursAfter, sourceObservation } from '../../support/snapshot-builder.js';

const AWS_RDS_SRC = 'arn:aws:kms:us-east-1:111111111111:key/99999999-9999-9999-9999-999999999999';
const AWS_RDS_EU = 'arn:aws:kms:eu-west-1:111111111111:key/88888888-8888-8888-8888-888888888888';

const config = (extra: Record<string, unknown>) => sourceConfig({ ShareSnapshots: true, ...extra });

function plan(
  extra: Record<string, unknown>,
  obs: Parameters<typeof sourceObservation>[0],
  phases: SourcePhase[] = ['share'],
): Plan {
  return planSource(
    sourceObservation({ now: NOW, clusters: [cluster('prod')], ...obs }),
    config(extra),
    phases,
  );
}

function only<K extends Action['kind']>(p: Plan, kind: K): Extract<Action, { kind: K }>[] {
  return p.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

const marked = (at: Date, fields: Parameters<typeof backup>[2] = {}) =>
  backup('prod', at, { ...fields, tags: { [TAG.ShareAndCopy]: 'YES', ...fields.tags } });
const sharedWith = (s: SnapshotInfo, tag: string): SnapshotInfo => ({
  ...s,
  tags: { ...s.tags, [TAG.SharedWith]: tag },
});

describe('planSource: the destinations an action names', () => {
  it('names no destinations on the copy and the share of a job with one destination, and names them with two', () => {
    // Prepare
    const fresh = backup('prod', hoursAfter(NOW, -1));

    // Act
    const copyOnly = plan({ DestinationRegion: W2 }, { snapshots: [fresh] });
    const shareOnly = plan({ DestinationAccount: OTHER }, { snapshots: [fresh] });
    const both = plan(
      { Destinations: [{ Region: W2 }, { Region: SRC, Account: OTHER }] },
      { snapshots: [fresh] },
    );

    // Assess
    expect(only(copyOnly, 'copy')).toHaveLength(1);
    expect(only(copyOnly, 'copy')[0]).not.toHaveProperty('destinations');
    expect(only(shareOnly, 'share')).toHaveLength(1);
    expect(only(shareOnly, 'share')[0]).not.toHaveProperty('destinations');
    expect(both.actions.map((a) => [a.kind, 'destinations' in a ? a.destinations : undefined])).toEqual([
      ['copy', [W2]],
      ['share', [`${OTHER}@${SRC}`]],
    ]);
  });

  it("names the copy's own destination on a note that its aws/rds key cannot be shared", () => {
    // Prepare: the eu-west-1 copy arrived under that region's aws/rds key
    const old = marked(hoursAfter(NOW, -5));
    const euCopy = drCopy(old, EU, { encrypted: true, kmsKeyId: AWS_RDS_EU });

    // Act
    const p = plan(
      { Destinations: [{ Region: W2 }, { Region: EU, Account: OTHER }] },
      {
        snapshots: [old],
        regionSnapshots: { [W2]: [drCopy(old, W2)], [EU]: [euCopy] },
        awsManagedKeys: [AWS_RDS_EU],
      },
    );

    // Assess
    expect(only(p, 'share')).toEqual([]);
    expect(p.notes.filter((n) => n.code === 'share-impossible')).toEqual([
      expect.objectContaining({ level: 'warn', snapshotId: euCopy.id, destinations: [`${OTHER}@${EU}`] }),
    ]);
  });

  it('names the in-place share destination on a note that KmsKeySource is needed', () => {
    // Prepare
    const encrypted = backup('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: AWS_RDS_SRC });

    // Act
    const p = plan(
      {
        Destinations: [
          { Region: W2, KmsKeyDestination: KEY_W2 },
          { Region: SRC, Account: OTHER },
        ],
      },
      { snapshots: [encrypted], awsManagedKeys: [AWS_RDS_SRC] },
    );

    // Assess
    expect(p.notes.filter((n) => n.code === 'kms-key-source-required')).toEqual([
      expect.objectContaining({ level: 'warn', snapshotId: encrypted.id, destinations: [`${OTHER}@${SRC}`] }),
    ]);
  });
  it('names both accounts of an in-place share, joined by "and", in the note that KmsKeySource is needed', () => {
    // Prepare
    const encrypted = backup('prod', hoursAfter(NOW, -1), { encrypted: true, kmsKeyId: AWS_RDS_SRC });

    // Act
    const p = plan(
      {
        Destinations: [
          { Region: SRC, Account: OTHER },
          { Region: SRC, Account: THIRD },
        ],
      },
      { snapshots: [encrypted], awsManagedKeys: [AWS_RDS_SRC] },
    );

    // Assess
    expect(p.notes.filter((n) => n.code === 'kms-key-source-required').map((n) => n.message)).toEqual([
      `${encrypted.id} is encrypted with the AWS-managed aws/rds key, which cannot be shared: set KmsKeySource to a customer managed key in ${SRC} whose policy allows account ${OTHER} and ${THIRD}`,
    ]);
  });
});

describe('planSource: the accounts a share keeps in SharedWith', () => {
  it('lists the accounts a snapshot is already shared with, and none for a snapshot never shared', () => {
    // Prepare
    const sharedBefore = sharedWith(backup('prod', hoursAfter(NOW, -2)), THIRD);
    const never = backup('prod', hoursAfter(NOW, -1));

    // Act
    const shares = only(plan({ DestinationAccount: OTHER }, { snapshots: [sharedBefore, never] }), 'share');

    // Assess
    expect(shares.map((s) => [s.snapshotId, s.accountId, s.alreadySharedWith])).toEqual([
      [never.id, OTHER, undefined],
      [sharedBefore.id, OTHER, [THIRD]],
    ]);
    expect(shares[0]).not.toHaveProperty('alreadySharedWith');
  });
});

describe('planSource: old backups and the in-place share', () => {
  it('notes nothing for a backup older than RetentionDays that every account already has', () => {
    // Prepare: 3 days old with RetentionDays 1
    const old = backup('prod', hoursAfter(NOW, -72));

    // Act
    const done = plan(
      { DestinationAccount: OTHER, RetentionDays: 1 },
      { snapshots: [sharedWith(old, OTHER)] },
    );
    const notShared = plan({ DestinationAccount: OTHER, RetentionDays: 1 }, { snapshots: [old] });

    // Assess
    expect(done.actions).toEqual([]);
    expect(done.notes.map((n) => n.code)).toEqual([]);
    expect(notShared.actions).toEqual([]);
    expect(notShared.notes.map((n) => [n.level, n.code])).toEqual([['info', 'too-old-to-share']]);
  });
});

describe('planSource: the notes on clusters left out', () => {
  it('notes a cluster the pattern names but that is not Aurora PostgreSQL at level info', () => {
    // Act
    const p = planSource(
      sourceObservation({
        now: NOW,
        clusters: [cluster('prod'), cluster('prod-graph', { engine: 'neptune' })],
      }),
      config({ ShareSnapshots: false }),
      ['take'],
    );

    // Assess
    expect(p.notes.filter((n) => n.clusterId === 'prod-graph')).toEqual([
      { level: 'info', code: 'not-aurora', message: expect.any(String), clusterId: 'prod-graph' },
    ]);
  });
});

describe('planSource: ReleaseStuckDestinationsAfterHours at its boundary', () => {
  const DESTINATIONS = [{ Region: W2 }, { Region: EU }];

  it('keeps a backup exactly ReleaseStuckDestinationsAfterHours old for the destination that lacks it, and releases it an hour later', () => {
    // Prepare: 48 hours old; us-west-2 has it, eu-west-1 does not
    const stuck = marked(hoursAfter(NOW, -48));
    const obs = {
      snapshots: [stuck, marked(hoursAfter(NOW, -1))],
      regionSnapshots: { [W2]: [drCopy(stuck, W2)], [EU]: [] },
    };
    const extra = { Destinations: DESTINATIONS, RetentionDays: 1 };

    // Act
    const atBoundary = plan({ ...extra, ReleaseStuckDestinationsAfterHours: 48 }, obs, ['delete']);
    const past = plan({ ...extra, ReleaseStuckDestinationsAfterHours: 47 }, obs, ['delete']);

    // Assess
    expect(only(atBoundary, 'delete')).toEqual([]);
    expect(atBoundary.notes.map((n) => n.code)).not.toContain('hold-released');
    expect(atBoundary.kept?.find((k) => k.snapshotId === stuck.id)?.reasons).toEqual([
      expect.stringContaining(EU),
    ]);
    expect(only(past, 'delete').map((d) => d.snapshotId)).toEqual([stuck.id]);
    expect(past.notes.filter((n) => n.code === 'hold-released').map((n) => n.destinations)).toEqual([[EU]]);
  });
});

describe('planSource: the reason of a deleted backup that has no DR copy', () => {
  it('names, with several copy regions, each region that never received the backup', () => {
    // Prepare: RetentionDays 7; neither backup is marked for copy (taken before sharing was on)
    const nowhere = backup('prod', hoursAfter(NOW, -24 * 10));
    const onlyWest = backup('prod', hoursAfter(NOW, -24 * 9));

    // Act
    const p = plan(
      { Destinations: [{ Region: W2 }, { Region: EU }], RetentionDays: 7 },
      {
        snapshots: [backup('prod', hoursAfter(NOW, -24)), nowhere, onlyWest],
        regionSnapshots: { [W2]: [drCopy(onlyWest, W2)], [EU]: [] },
      },
      ['delete'],
    );

    // Assess
    expect(only(p, 'delete').map((d) => [d.snapshotId, d.reason])).toEqual([
      [
        nowhere.id,
        `10 days old, older than RetentionDays (7); it has no DR copy in ${W2}, ${EU} (it was older than RetentionDays before one could be made)`,
      ],
      [
        onlyWest.id,
        `9 days old, older than RetentionDays (7); it has no DR copy in ${EU} (it was older than RetentionDays before one could be made)`,
      ],
    ]);
  });
});
