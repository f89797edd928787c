// The fan-out to several destinations (Source.Destinations): one copy per region, shares per account, the
// copy limit per region, holds until every destination has its copy, their release, status per destination.
import { describe, expect, it } from 'vitest';
import { shareAccountsOf } from '../../../src/core/copies/destinations.js';
import { destinationsOfAction } from '../../../src/core/copies/fan-out.js';
import { ToolError } from '../../../src/core/model/errors.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { TAG } from '../../../src/core/model/tags.js';
import { runSourcePass, type SourcePhase, statusReport } from '../../../src/core/plan/pass.js';
import type { Action, Plan } from '../../../src/core/plan/plan.js';
import { planSource } from '../../../src/core/plan/source-planner.js';
import { sourcePassMetrics } from '../../../src/handlers/metrics.js';
import { throwIfFailed } from '../../../src/handlers/runtime.js';
import {
  EU,
  KEY_EU,
  KEY_W2,
  NOW,
  OTHER,
  SRC,
  sourceConfig,
  THIRD,
  W2,
} from '../../support/destinations-fixture.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryEstate } from '../../support/memory-store.js';
import { backup, cluster, drCopy, hoursAfter, sourceObservation } from '../../support/snapshot-builder.js';

const ID_EU = `${OTHER}@${EU}`;
const ID_SRC = `${OTHER}@${SRC}`;

const THREE = [
  { Region: W2, KmsKeyDestination: KEY_W2 },
  { Region: EU, Account: OTHER, KmsKeyDestination: KEY_EU },
  { Region: SRC, Account: OTHER },
];

const config = (extra: Record<string, unknown> = {}) =>
  sourceConfig({ ShareSnapshots: true, RetentionDays: 1, Destinations: THREE, ...extra });

const daysAgo = (days: number) => hoursAfter(NOW, -24 * days);
const marked = (at: Date, fields: Parameters<typeof backup>[2] = {}) =>
  backup('prod', at, { ...fields, tags: { [TAG.ShareAndCopy]: 'YES', ...fields.tags } });
const shared = (s: SnapshotInfo, ...accounts: string[]): SnapshotInfo => ({
  ...s,
  tags: { ...s.tags, [TAG.SharedWith]: accounts.join(' ') },
});

function plan(
  snapshots: SnapshotInfo[],
  regions: Record<string, SnapshotInfo[]>,
  extra: Record<string, unknown> = {},
  phases: SourcePhase[] = ['share', 'delete'],
): Plan {
  return planSource(
    sourceObservation({
      now: NOW,
      clusters: [cluster('prod')],
      snapshots,
      destinationSnapshots: regions[W2] ?? [],
      regionSnapshots: regions,
    }),
    config(extra),
    phases,
  );
}

function only<K extends Action['kind']>(p: Plan, kind: K): Extract<Action, { kind: K }>[] {
  return p.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

describe('planSource: fan-out to several destinations', () => {
  it('copies to each region with its key, shares in place and, once the copy is there, shares it in its region', () => {
    // Prepare: the eu-west-1 copy of the older backup has arrived, not yet shared
    const old = marked(hoursAfter(NOW, -5));
    const fresh = marked(hoursAfter(NOW, -1));
    const euCopy = drCopy(old, EU);

    // Act
    const p = plan([old, fresh], { [W2]: [drCopy(old, W2)], [EU]: [euCopy] }, {}, ['share']);

    // Assess
    expect(only(p, 'copy').map((c) => [c.targetRegion, c.targetId, c.kmsKeyId])).toEqual([
      [W2, fresh.id, undefined],
      [EU, fresh.id, undefined],
    ]);
    expect(only(p, 'share').map((s) => [s.region, s.snapshotId, s.accountId])).toEqual([
      [EU, euCopy.id, OTHER],
      [SRC, fresh.id, OTHER],
      [SRC, old.id, OTHER],
    ]);
    expect(only(p, 'share').flatMap((a) => destinationsOfAction(a, []))).toEqual([ID_EU, ID_SRC, ID_SRC]);
  });

  it("encrypts each region's copy with that region's key, and names the item whose key is missing", () => {
    // Prepare
    const encrypted = marked(hoursAfter(NOW, -1), {
      encrypted: true,
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k',
    });
    const withoutEuKey = [THREE[0], { Region: EU, Account: OTHER }, THREE[2]];

    // Act
    const both = plan([encrypted], {}, {}, ['share']);
    const oneKey = plan([encrypted], {}, { Destinations: withoutEuKey }, ['share']);

    // Assess
    expect(only(both, 'copy').map((c) => [c.targetRegion, c.kmsKeyId])).toEqual([
      [W2, KEY_W2],
      [EU, KEY_EU],
    ]);
    expect(only(oneKey, 'copy').map((c) => c.targetRegion)).toEqual([W2]);
    expect(oneKey.notes.find((n) => n.code === 'encryption-key-required')).toMatchObject({
      message: expect.stringContaining(`set Destinations[1].KmsKeyDestination to a key in ${EU}`),
      destinations: [ID_EU],
    });
  });

  it('starts at most 5 copies in flight per destination region, counting each region apart', () => {
    // Prepare: us-west-2 already has 5 copies running (not ours), eu-west-1 none; 7 backups to copy
    const backups = Array.from({ length: 7 }, (_, i) => marked(hoursAfter(NOW, -1 - i)));
    const busy = Array.from({ length: 5 }, (_, i) => ({
      ...drCopy(marked(daysAgo(30 + i)), W2),
      id: `someone-else-${i}`,
      status: 'copying',
      tags: {},
    }));

    // Act
    const p = plan(backups, { [W2]: busy, [EU]: [] }, {}, ['share']);

    // Assess
    const copies = only(p, 'copy');
    expect(copies.filter((c) => c.targetRegion === W2)).toHaveLength(0);
    expect(copies.filter((c) => c.targetRegion === EU)).toHaveLength(5);
    expect(p.notes.filter((n) => n.code === 'copy-limit').map((n) => n.message)).toEqual([
      `7 copy(ies) wait for a later pass: at most 5 copies in flight in ${W2}`,
      `2 copy(ies) wait for a later pass: at most 5 copies in flight in ${EU}`,
    ]);
  });

  it('keeps an expired backup until every destination has its copy or share, naming the ones that lack it', () => {
    // Prepare: two days old (RetentionDays 1), a newer backup exists; us-west-2 has its copy, eu-west-1's is
    // not shared yet, the share in place is done
    const taken = marked(daysAgo(2));
    const expired = shared(taken, OTHER);
    const newest = marked(hoursAfter(NOW, -1));

    // Act
    const waiting = plan([expired, newest], { [W2]: [drCopy(taken, W2)], [EU]: [drCopy(taken, EU)] }, {}, [
      'delete',
    ]);
    const done = plan(
      [expired, newest],
      { [W2]: [drCopy(taken, W2)], [EU]: [shared(drCopy(taken, EU), OTHER)] },
      {},
      ['delete'],
    );

    // Assess
    expect(only(waiting, 'delete')).toEqual([]);
    expect(waiting.notes.find((n) => n.snapshotId === expired.id)).toMatchObject({
      code: 'kept-share-pending',
      message: `kept ${expired.id}: its DR copy is not yet shared with ${OTHER} (destination ${ID_EU})`,
    });
    expect(only(done, 'delete').map((d) => d.snapshotId)).toEqual([expired.id]);
  });

  it('holds for a missing copy in one region and an unshared snapshot in place, both named', () => {
    const expired = marked(daysAgo(2));
    const p = plan([expired, marked(hoursAfter(NOW, -1))], { [W2]: [drCopy(expired, W2)], [EU]: [] }, {}, [
      'delete',
    ]);
    expect(only(p, 'delete')).toEqual([]);
    expect(p.notes.find((n) => n.snapshotId === expired.id)?.message).toBe(
      `kept ${expired.id}: marked shareAndCopy=YES and its DR copy in ${EU} is not made yet (destination ${ID_EU}); ` +
        `marked shareAndCopy=YES and not yet shared with ${OTHER} (destination ${ID_SRC})`,
    );
  });

  it('releases the hold of a stuck destination only after ReleaseStuckDestinationsAfterHours, with a note', () => {
    // Prepare: 50 hours old; every destination has it except eu-west-1
    const expired = shared(marked(hoursAfter(NOW, -50)), OTHER);
    const snapshots = [expired, marked(hoursAfter(NOW, -1))];
    const regions = { [W2]: [drCopy(expired, W2)], [EU]: [] };

    // Act
    const off = plan(snapshots, regions, {}, ['delete']);
    const notYet = plan(snapshots, regions, { ReleaseStuckDestinationsAfterHours: 72 }, ['delete']);
    const after = plan(snapshots, regions, { ReleaseStuckDestinationsAfterHours: 48 }, ['delete']);

    // Assess
    expect(only(off, 'delete')).toEqual([]);
    expect(only(notYet, 'delete')).toEqual([]);
    expect(only(after, 'delete').map((d) => d.snapshotId)).toEqual([expired.id]);
    expect(after.notes.find((n) => n.code === 'hold-released')).toMatchObject({
      level: 'warn',
      snapshotId: expired.id,
      destinations: [ID_EU],
      message: `${expired.id} is no longer kept for destination ${ID_EU}: it has not received it in 50 hours (ReleaseStuckDestinationsAfterHours 48)`,
    });
  });

  it('shares one snapshot with two accounts in place, and the tag names both after one pass', async () => {
    // Prepare
    const clock = new ManualClock(NOW.toISOString());
    const estate = new MemoryEstate({ clock, instant: true });
    estate.addCluster({ region: SRC, id: 'prod' });
    const cfg = config({
      Destinations: [
        { Region: SRC, Account: OTHER },
        { Region: SRC, Account: THIRD },
      ],
    });

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, cfg, clock, ['take', 'share']);
    const again = await runSourcePass({ source: estate.store(SRC) }, cfg, clock, ['share']);

    // Assess
    expect(report.failed).toEqual([]);
    const [taken] = estate.snapshots({ region: SRC });
    expect(taken && estate.sharedWith(taken.id, SRC)).toEqual([OTHER, THIRD]);
    expect(taken?.tags[TAG.SharedWith]).toBe(`${OTHER} ${THIRD}`);
    expect(again.plan.actions).toEqual([]);
  });
});

describe('a failing destination', () => {
  it('does not stop the others: their copies and shares are made, and the failure names it', async () => {
    // Prepare: every copy into eu-west-1 fails (a key RDS cannot use)
    const clock = new ManualClock(NOW.toISOString());
    const estate = new MemoryEstate({ clock, instant: true });
    estate.addCluster({ region: SRC, id: 'prod' });
    estate.addFault((call) =>
      call.method === 'copySnapshot' && call.region === EU
        ? new ToolError('KmsKeyNotAccessible', 'the key is not usable')
        : undefined,
    );
    const cfg = config();
    const stores = { source: estate.store(SRC), destinations: [estate.store(W2), estate.store(EU)] };

    // Act
    const report = await runSourcePass(stores, cfg, clock, ['take', 'share']);

    // Assess: the failed copy names the destination it was for
    expect(report.failed.map((f) => [f.action.kind, destinationsOfAction(f.action, [])])).toEqual([
      ['copy', [ID_EU]],
    ]);
    expect(estate.snapshots({ region: W2 })).toHaveLength(1);
    const [taken] = estate.snapshots({ region: SRC });
    expect(taken && estate.sharedWith(taken.id, SRC)).toEqual([OTHER]);
    let thrown: unknown;
    try {
      throwIfFailed(report.results, [
        { id: W2, kind: 'copy', region: W2, parameter: '' },
        { id: ID_EU, kind: 'copy-share', region: EU, account: OTHER, parameter: '' },
        { id: ID_SRC, kind: 'share', region: SRC, account: OTHER, parameter: '' },
      ]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ToolError);
    expect((thrown as ToolError).name).toBe('KmsKeyNotAccessible');
    expect((thrown as ToolError).message).toMatch(
      new RegExp(`^destination ${ID_EU} failed \\(the other destinations went on\\): copy of prod-`),
    );
    expect((thrown as ToolError).details.destinations).toEqual([ID_EU]);
    const failedPoints = sourcePassMetrics(report, ['share'], cfg).filter(
      (p) => p.name === 'DestinationFailedActions',
    );
    expect(failedPoints.map((p) => [p.dimensions.Destination, p.value])).toEqual([
      [W2, 0],
      [ID_EU, 1],
      [ID_SRC, 0],
    ]);
  });
});

describe('statusReport: every destination of each cluster', () => {
  it("shows each destination's newest copy or share, and which one lags beyond MaxWaitMinutes", () => {
    // Prepare: 3 backups; us-west-2 has all, eu-west-1 only the oldest (shared), in place all shared
    const b = [30, 20, 2].map((h) => shared(marked(hoursAfter(NOW, -h)), OTHER));
    const obs = sourceObservation({
      now: NOW,
      clusters: [cluster('prod')],
      snapshots: b,
      destinationSnapshots: [],
      regionSnapshots: {
        [W2]: b.map((s) => drCopy(s, W2)),
        [EU]: [shared(drCopy(b[0] as SnapshotInfo, EU), OTHER)],
      },
    });

    // Act
    const status = statusReport(obs, config({ MaxWaitMinutes: 60 }));

    // Assess
    expect(status.destinations).toEqual([W2, ID_EU, ID_SRC]);
    const [prod] = status.clusters;
    expect(prod?.destinations?.map((d) => [d.id, d.latestCopy?.ageHours, d.lagHours, d.lagging])).toEqual([
      [W2, 2, 0, false],
      [ID_EU, 30, 20, true],
      [ID_SRC, 2, 0, false],
    ]);
    expect(prod?.destinations?.[1]?.oldestMissing?.id).toBe(b[1]?.id);
    // The cluster's recovery point is the oldest of each region's newest copy: eu-west-1's.
    expect(prod?.recoveryPoint?.region).toBe(EU);
    expect(prod?.recoveryPoint?.ageHours).toBe(30);
    expect(prod?.latestCopy?.ageHours).toBe(2);
  });
});

describe('shareAccountsOf', () => {
  it('names each account snapshots are shared with once, in the order written, and none without', () => {
    // Act / Assess
    expect(
      shareAccountsOf({
        Region: 'us-east-1',
        Destinations: [
          { Region: 'us-east-1', Account: '222222222222' },
          { Region: 'us-west-2' },
          { Region: 'eu-west-1', Account: '333333333333' },
          { Region: 'us-west-2', Account: '222222222222' },
        ],
      }),
    ).toEqual(['222222222222', '333333333333']);
    expect(shareAccountsOf({ Region: 'us-east-1', DestinationAccount: '222222222222' })).toEqual([
      '222222222222',
    ]);
    expect(shareAccountsOf({ Region: 'us-east-1', DestinationRegion: 'us-west-2' })).toEqual([]);
  });
});
