// Several destinations (Source.Destinations) against moto: two destination regions and a share with another account over simulated days, a destination whose key is wrong, the copy limit per region, and the copy-then-share flow in one execution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import {
  ALL_DESTINATION_PHASES,
  ALL_SOURCE_PHASES,
  runDestinationPass,
  runSourcePass,
  sourceStoresWith,
} from '../../src/core/plan/pass.js';
import { SOURCE_STATES as S } from '../../src/state-machines/source.js';
import { ManualClock } from '../support/manual-clock.js';
import { executeSource } from './support/executions.js';
import { DAY, pointInTime, type Rig, type Summary, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const W2 = 'us-west-2';
const EU = 'eu-west-1';
const OTHER = '222233334444';
const START = Date.parse('2026-09-01T01:00:00Z');

function source(extra: Record<string, unknown>): SourceConfig {
  return parseConfig({
    Source: {
      Region: SRC,
      ClusterNamePattern: '^orders',
      BackupInterval: 24,
      BackupSchedule: '0 1 * * ? *',
      RetentionDays: 1,
      ShareSnapshots: 'TRUE',
      ...extra,
    },
  }).Source as SourceConfig;
}

const destination = (region: string, days: number): DestinationConfig =>
  parseConfig({
    Destination: { Region: region, SnapshotPattern: '^orders', SourceRegion: SRC, RetentionDays: days },
  }).Destination as DestinationConfig;

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ seed: 15 });
});

afterAll(async () => {
  await rig?.stop();
});

const copiesIn = async (region: string): Promise<Summary[]> =>
  (await summaries(rig.estate, region)).filter((s) => s.tags[TAG.CopiedBy] === TOOL_TAG_VALUE);
const backupsIn = async (): Promise<Summary[]> =>
  (await summaries(rig.estate, SRC)).filter((s) => s.tags[TAG.Purpose] === 'backup');
const sharedWithOther = async (region: string): Promise<string[]> =>
  (await rig.estate.as(OTHER).snapshots(region, 'shared'))
    .map((s) => (s.DBClusterSnapshotArn ?? '').replace(/^.*:cluster-snapshot:/, ''))
    .sort();

describe('two destination regions and a share with another account, over simulated days', () => {
  it('copies every slot to every destination, applies each region’s retention, and holds the source until all copies exist', async () => {
    // Prepare: copies into eu-west-1 stay in progress for the first three days
    await rig.reset();
    await rig.estate.createCluster(SRC, 'orders');
    rig.gate.hold(EU, /^orders-/, 'copying');
    const config = source({
      Destinations: [{ Region: W2 }, { Region: EU, Account: OTHER }, { Region: SRC, Account: OTHER }],
    });
    const clock = new ManualClock(new Date(START));
    const stores = sourceStoresWith(config, (r) => rig.storeFor(r));
    const days = 7;
    const heldBackups: number[] = [];

    // Act: a daily run (with the state machine's second share round) and each region's destination job
    for (let day = 0; day < days; day++) {
      clock.set(new Date(START + day * DAY));
      if (day === 3) rig.gate.release(EU);
      const run = await runSourcePass(stores, config, clock, ALL_SOURCE_PHASES);
      const second = await runSourcePass(stores, config, clock, ['share', 'delete']);
      expect([...run.failed, ...second.failed]).toEqual([]);
      for (const [region, keep] of [
        [W2, 2],
        [EU, 4],
      ] as const) {
        const report = await runDestinationPass(
          rig.storeFor(region),
          destination(region, keep),
          clock,
          ALL_DESTINATION_PHASES,
        );
        expect(report.failed).toEqual([]);
      }
      heldBackups.push((await backupsIn()).length);
    }

    // Assess: while eu-west-1's copies were in progress, no backup was deleted (RetentionDays 1 would have
    // kept 2): the source held them; once they arrived, the source went back to its own retention.
    expect(heldBackups.slice(0, 3)).toEqual([1, 2, 3]);
    expect(heldBackups.at(-1)).toBe(2);
    const end = START + (days - 1) * DAY;
    const slots = Array.from({ length: days }, (_, d) => START + d * DAY);
    // Each region keeps exactly its own RetentionDays of the daily slots, each copied once.
    expect((await copiesIn(W2)).map(pointInTime)).toEqual(slots.filter((t) => end - t <= 2 * DAY));
    expect((await copiesIn(EU)).map(pointInTime)).toEqual(slots.filter((t) => end - t <= 4 * DAY));
    const copyRequests = rig.proxy.requests().filter((r) => r.action === 'CopyDBClusterSnapshot');
    expect(copyRequests.filter((r) => r.region === W2)).toHaveLength(days);
    expect(copyRequests.filter((r) => r.region === EU)).toHaveLength(days);
    // The other account sees every eu-west-1 copy kept, and the source's backups shared in place.
    expect(await sharedWithOther(EU)).toEqual((await copiesIn(EU)).map((c) => c.id));
    expect(await sharedWithOther(SRC)).toEqual((await backupsIn()).map((b) => b.id));
    for (const copy of await copiesIn(EU)) expect(copy.tags[TAG.SharedWith]).toBe(OTHER);
  });

  it('a destination whose key is wrong fails without stopping the others, and the execution names it', async () => {
    // Prepare: an encrypted cluster; eu-west-1's key does not exist
    await rig.reset();
    const key = await rig.estate.createKey(SRC);
    const goodKey = await rig.estate.createKey(W2);
    await rig.estate.createCluster(SRC, 'orders', { kmsKeyId: key.arn });
    const missingKey = `arn:aws:kms:${EU}:123456789012:key/00000000-0000-4000-8000-000000000000`;
    const clock = new ManualClock(new Date(START));
    const input = {
      Source: {
        Region: SRC,
        ClusterNamePattern: '^orders',
        ShareSnapshots: 'TRUE',
        Destinations: [
          { Region: EU, KmsKeyDestination: missingKey },
          { Region: W2, KmsKeyDestination: goodKey.arn },
          { Region: SRC, Account: OTHER },
        ],
      },
    };

    // Act
    const outcome = await executeSource(rig, input, clock);

    // Assess: the copy to us-west-2 and the share in place were made; eu-west-1 is named in the failure
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('KmsKeyNotAccessible');
    expect(outcome.cause).toContain(`destination ${EU} failed (the other destinations went on)`);
    expect((await copiesIn(W2)).map((c) => c.tags[TAG.SourceCluster])).toEqual(['orders']);
    expect(await copiesIn(EU)).toEqual([]);
    expect(await sharedWithOther(SRC)).toEqual((await backupsIn()).map((b) => b.id));
    const failed = outcome.emf
      .filter((l) => 'DestinationFailedActions' in l)
      .map((l) => [l.Destination, l.DestinationFailedActions]);
    expect(failed).toEqual(
      expect.arrayContaining([
        [EU, 1],
        [W2, 0],
        [`${OTHER}@${SRC}`, 0],
      ]),
    );
  });

  it('a destination that keeps failing still lets retention run; with ReleaseStuckDestinationsAfterHours its snapshots go', async () => {
    // Prepare: eu-west-1's key does not exist, every day for four days
    await rig.reset();
    const key = await rig.estate.createKey(SRC);
    const goodKey = await rig.estate.createKey(W2);
    await rig.estate.createCluster(SRC, 'orders', { kmsKeyId: key.arn });
    const missingKey = `arn:aws:kms:${EU}:123456789012:key/00000000-0000-4000-8000-000000000000`;
    const inputWith = (extra: Record<string, unknown>) => ({
      Source: {
        Region: SRC,
        ClusterNamePattern: '^orders',
        BackupInterval: 24,
        RetentionDays: 1,
        ShareSnapshots: 'TRUE',
        Destinations: [
          { Region: EU, KmsKeyDestination: missingKey },
          { Region: W2, KmsKeyDestination: goodKey.arn },
        ],
        ...extra,
      },
    });
    const days = async (input: unknown) => {
      const clock = new ManualClock(new Date(START));
      const outcomes = [];
      for (let day = 0; day < 4; day++) {
        outcomes.push(await executeSource(rig, input, clock));
        clock.advance({ hours: 24 });
      }
      return outcomes;
    };

    // Act: without the release setting, then (a fresh estate) with it
    const held = await days(inputWith({}));
    const heldBackups = (await backupsIn()).length;
    await rig.reset();
    await rig.estate.createCluster(SRC, 'orders', { kmsKeyId: (await rig.estate.createKey(SRC)).arn });
    const released = await days(
      inputWith({
        ReleaseStuckDestinationsAfterHours: 36,
        Destinations: [
          { Region: EU, KmsKeyDestination: missingKey },
          { Region: W2, KmsKeyDestination: (await rig.estate.createKey(W2)).arn },
        ],
      }),
    );

    // Assess: every run fails naming eu-west-1, after retention ran
    for (const outcome of [...held, ...released]) {
      expect(outcome.status).toBe('FAILED');
      expect(outcome.cause).toContain(`destination ${EU} failed`);
      expect(outcome.path()).toContain(S.freeQuota);
    }
    // Held: every backup stays, since eu-west-1 has none of them
    expect(heldBackups).toBe(4);
    // Released: the backups older than the release (and RetentionDays) are deleted; the newest ones stay
    expect((await backupsIn()).length).toBeLessThan(4);
    expect((await backupsIn()).length).toBeGreaterThanOrEqual(1);
  });

  it('starts at most 5 copies in flight per region, in each of two regions, the rest by later passes', async () => {
    // Prepare: 7 clusters, copies held in progress in both regions
    await rig.reset();
    const clusters = Array.from({ length: 7 }, (_, i) => `orders-${i + 1}`);
    for (const id of clusters) await rig.estate.createCluster(SRC, id);
    rig.gate.holdCopies(true);
    const config = source({ Destinations: [{ Region: W2 }, { Region: EU }] });
    const clock = new ManualClock(new Date(START));
    const stores = sourceStoresWith(config, (r) => rig.storeFor(r));
    const started = (report: Awaited<ReturnType<typeof runSourcePass>>, region: string) =>
      report.results.filter((r) => r.ok && r.action.kind === 'copy' && r.action.targetRegion === region)
        .length;

    // Act
    const first = await runSourcePass(stores, config, clock, ALL_SOURCE_PHASES);
    clock.advance({ minutes: 10 });
    const full = await runSourcePass(stores, config, clock, ['share']);
    rig.gate.release(W2, 2);
    clock.advance({ minutes: 10 });
    const afterW2 = await runSourcePass(stores, config, clock, ['share']);
    rig.gate.release(EU);
    clock.advance({ minutes: 10 });
    const afterEu = await runSourcePass(stores, config, clock, ['share']);

    // Assess
    expect([started(first, W2), started(first, EU)]).toEqual([5, 5]);
    expect(first.plan.notes.filter((n) => n.code === 'copy-limit').map((n) => n.destinations)).toEqual([
      [W2],
      [EU],
    ]);
    expect([started(full, W2), started(full, EU)]).toEqual([0, 0]);
    expect([started(afterW2, W2), started(afterW2, EU)]).toEqual([2, 0]);
    expect([started(afterEu, W2), started(afterEu, EU)]).toEqual([0, 2]);
    expect(rig.gate.peakCopying(W2)).toBe(5);
    expect(rig.gate.peakCopying(EU)).toBe(5);
    expect(rig.gate.refusedCopies()).toBe(0);
    for (const report of [first, full, afterW2, afterEu]) expect(report.failed).toEqual([]);
    rig.gate.releaseAll();
    for (const region of [W2, EU]) expect((await copiesIn(region)).length).toBe(7);
  });
});

describe('a destination in another region and another account', () => {
  it('is copied in this account, then the copy is shared in its region, in one execution (copy then share)', async () => {
    // Prepare: an encrypted cluster; the copy is made with a customer managed key of eu-west-1 (shareable)
    await rig.reset();
    const key = await rig.estate.createKey(SRC);
    const euKey = await rig.estate.createKey(EU);
    await rig.estate.createCluster(SRC, 'orders', { kmsKeyId: key.arn });
    const clock = new ManualClock(new Date(START));
    const input = {
      Source: {
        Region: SRC,
        ClusterNamePattern: '^orders',
        ShareSnapshots: 'TRUE',
        Destinations: [{ Region: EU, Account: OTHER, KmsKeyDestination: euKey.arn }],
      },
    };

    // Act
    const outcome = await executeSource(rig, input, clock);

    // Assess: one execution took, copied with the region's key, and shared the copy there (second round)
    expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
    const [copy, ...more] = await rig.estate.snapshots(EU);
    expect(more).toEqual([]);
    expect(copy?.KmsKeyId).toContain(euKey.keyId);
    expect(await sharedWithOther(EU)).toEqual([copy?.DBClusterSnapshotIdentifier]);
    expect(await sharedWithOther(SRC)).toEqual([]);
    expect(outcome.path().filter((s) => s === 'ShareSnapshots')).toHaveLength(1);
    expect(outcome.path().filter((s) => s === 'ShareFollowedCopies')).toHaveLength(1);
  });
});
