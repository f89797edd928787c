// Two passes of one job that overlap (a repeated delivery, a manual run beside the scheduled one), each observing before the other acts, leave one snapshot and one copy for the slot.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnapshotStore } from '../../src/aws/index.js';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { snapshotName } from '../../src/core/model/naming.js';
import { TAG } from '../../src/core/model/tags.js';
import { runSourcePass } from '../../src/core/plan/pass.js';
import { failRequest, forward, identify, listenOnLoopback, readBody, send } from '../support/http-forward.js';
import { type Rig, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const FIRING = Date.parse('2026-04-01T01:00:00Z');

/**
 * A latency-adding proxy that makes two passes observe before either acts: it holds each source-region
 * DescribeDBClusterSnapshots until `parties` of them have arrived (or `maxWaitMs` passed), then forwards them
 * all, so every pass has listed the snapshots before any of them can create one.
 */
async function startListingBarrier(target: string, region: string, maxWaitMs = 20_000) {
  const upstream = new URL(target);
  let parties = 2;
  let waiting: (() => void)[] = [];
  let arrived = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const call = identify(req, body);
      if (call.action === 'DescribeDBClusterSnapshots' && call.region === region && arrived < parties) {
        arrived += 1;
        await new Promise<void>((release) => {
          waiting.push(release);
          if (waiting.length >= parties) {
            for (const go of waiting) go();
            waiting = [];
          } else setTimeout(release, maxWaitMs);
        });
      }
      send(res, await forward(upstream, req, body));
    })().catch((error: unknown) => failRequest(res, 'listing barrier', error));
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    /** How many listings were held together. */
    held: () => arrived,
    /** Starts over, waiting for `count` listings next. */
    reset: (count = 2) => {
      parties = count;
      arrived = 0;
      waiting = [];
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let rig: Rig;
let barrier: Awaited<ReturnType<typeof startListingBarrier>>;

beforeAll(async () => {
  rig = await startRig({ seed: 14 });
  barrier = await startListingBarrier(rig.proxy.endpoint, SRC);
});

afterAll(async () => {
  await barrier?.stop();
  await rig?.stop();
});

function config(extra: Record<string, unknown> = {}): SourceConfig {
  return parseConfig({
    Source: {
      Region: SRC,
      ClusterNamePattern: '^orders$',
      BackupSchedule: '0 1 * * ? *',
      BackupInterval: 24,
      ShareSnapshots: true,
      DestinationRegion: DST,
      ...extra,
    },
  }).Source as SourceConfig;
}

async function overlappingPasses(offsetsMs: readonly number[], source: SourceConfig) {
  barrier.reset(offsetsMs.length);
  const storeOf = (region: string) =>
    createSnapshotStore({
      region,
      endpoint: barrier.endpoint,
      credentials: rig.moto.credentials,
      retryBaseDelayMs: 2,
    });
  const stores = { source: storeOf(SRC), destination: storeOf(DST) };
  return Promise.all(
    offsetsMs.map((offset, index) =>
      // The second pass starts a moment after the first, while the first is still listing.
      new Promise((resolve) => setTimeout(resolve, index * 50)).then(() =>
        runSourcePass(stores, source, { now: () => new Date(FIRING + offset) }, ['take', 'share']),
      ),
    ),
  );
}

describe.each([
  ['a repeated delivery of the firing', [0, 20_000]],
  [
    'a manual run 2 s before the firing and the scheduled pass 3 s after, across the minute boundary',
    [-2_000, 3_000],
  ],
  ['the scheduled pass and a manual run 50 s later in the same minute', [5_000, 55_000]],
] as const)('%s', (_label, offsets) => {
  it('leaves one snapshot and one DR copy, named after the slot, and both passes succeed', async () => {
    // Prepare
    await rig.reset();
    await rig.estate.createCluster(SRC, 'orders');
    // Act
    const reports = await overlappingPasses(offsets, config());
    // Assess
    const requests = rig.proxy.requests();
    const firstCreate = requests.findIndex((r) => r.action === 'CreateDBClusterSnapshot');
    const listings = requests.filter(
      (r, i) => i < firstCreate && r.action === 'DescribeDBClusterSnapshots' && r.region === SRC,
    );
    // Both passes listed the source region before either created anything: both planned the take.
    expect(barrier.held()).toBe(2);
    expect(listings.length).toBeGreaterThanOrEqual(2);
    expect(reports.map((r) => r.plan.actions.filter((a) => a.kind === 'take').length)).toEqual([1, 1]);
    expect(reports.flatMap((r) => r.failed)).toEqual([]);
    const source = await summaries(rig.estate, SRC);
    const destination = await summaries(rig.estate, DST);
    expect(source.map((s) => s.id)).toEqual([snapshotName('orders', new Date(FIRING))]);
    expect(destination.map((s) => s.id)).toEqual([snapshotName('orders', new Date(FIRING))]);
    expect(destination[0]?.tags[TAG.SourceCluster]).toBe('orders');
  });
});

describe('the scenario can fail', () => {
  it("names by the clock's minute would differ across the minute boundary", () => {
    // Act / Assess: the identity must come from the slot, or the second scenario would leave two snapshots.
    expect(snapshotName('orders', new Date(FIRING - 2_000))).not.toBe(
      snapshotName('orders', new Date(FIRING + 3_000)),
    );
  });

  it('a manual run away from every firing keeps the name of its own minute', async () => {
    // Prepare
    await rig.reset();
    await rig.estate.createCluster(SRC, 'orders');
    // Act
    const [report] = await overlappingPasses([5 * 3_600_000 + 7 * 60_000], config());
    // Assess
    expect(report?.plan.actions.find((a) => a.kind === 'take')).toMatchObject({
      snapshotId: 'orders-2026-04-01-06-07',
    });
  });
});
