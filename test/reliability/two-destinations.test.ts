// Two destination jobs in one region for two sources in different regions (same cluster name, copies made at the same minute): neither deletes the other's copies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import {
  ALL_DESTINATION_PHASES,
  ALL_SOURCE_PHASES,
  runDestinationPass,
  runSourcePass,
} from '../../src/core/plan/pass.js';
import { ManualClock } from '../support/manual-clock.js';
import { DAY, pointInTime, type Rig, startRig, summaries } from './support/rig.js';

const A = 'us-east-1';
const B = 'eu-west-1';
const DST = 'us-west-2';
const START = Date.parse('2026-08-01T01:00:00Z');
const DAYS = 8;

const source = (region: string): SourceConfig =>
  parseConfig({
    Source: {
      Region: region,
      ClusterNamePattern: '^orders$',
      BackupInterval: 24,
      RetentionDays: 1,
      ShareSnapshots: 'TRUE',
      DestinationRegion: DST,
    },
  }).Source as SourceConfig;

const destination = (sourceRegion: string, retentionDays: number): DestinationConfig =>
  parseConfig({
    Destination: {
      Region: DST,
      SnapshotPattern: '^orders$',
      SourceRegion: sourceRegion,
      RetentionDays: retentionDays,
    },
  }).Destination as DestinationConfig;

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ seed: 9 });
});

afterAll(async () => {
  await rig?.stop();
});

describe('two destination jobs in one region', () => {
  it.each([
    [2, 5],
    [5, 2],
  ])(
    'with %i days for us-east-1 copies and %i for eu-west-1 copies, each deletes only its own source’s expired copies',
    async (daysA, daysB) => {
      // Prepare: a cluster named orders in both source regions, and an untagged manual snapshot in the destination.
      await rig.reset();
      await rig.estate.createCluster(A, 'orders');
      await rig.estate.createCluster(B, 'orders');
      await rig.estate.createCluster(DST, 'orders');
      await rig.estate.createSnapshot(DST, { clusterId: 'orders', snapshotId: 'orders-before-migration' });
      const clock = new ManualClock(new Date(START));
      const made = new Map<string, string[]>([
        [A, []],
        [B, []],
      ]);

      // Act: a daily run of both sources (same minute) and of both destination jobs.
      for (let day = 0; day < DAYS; day++) {
        clock.set(new Date(START + day * DAY));
        for (const region of [A, B]) {
          const report = await runSourcePass(
            { source: rig.storeFor(region), destination: rig.storeFor(DST) },
            source(region),
            clock,
            ALL_SOURCE_PHASES,
          );
          expect(report.failed).toEqual([]);
          for (const r of report.results)
            if (r.action.kind === 'copy') made.get(region)?.push(r.action.targetId);
        }
        for (const [region, days] of [
          [A, daysA],
          [B, daysB],
        ] as const) {
          const report = await runDestinationPass(
            rig.storeFor(DST),
            destination(region, days),
            clock,
            ALL_DESTINATION_PHASES,
          );
          expect(report.failed).toEqual([]);
        }
      }

      // Assess: each source's copies are exactly those its own job keeps (age within its RetentionDays).
      const end = START + (DAYS - 1) * DAY;
      const copies = await summaries(rig.estate, DST);
      for (const [region, days] of [
        [A, daysA],
        [B, daysB],
      ] as const) {
        const kept = copies.filter((c) => c.tags[TAG.SourceRegion] === region);
        const expected = Array.from({ length: DAYS }, (_, d) => START + d * DAY).filter(
          (t) => end - t <= days * DAY,
        );
        expect(kept.map(pointInTime).sort(), region).toEqual(expected);
        expect(
          kept.every((c) => c.tags[TAG.CopiedBy] === TOOL_TAG_VALUE),
          region,
        ).toBe(true);
        // Every copy made for this source is either kept or was older than its own job's retention.
        for (const id of made.get(region) ?? []) {
          const copy = copies.find((c) => c.id === id);
          if (copy === undefined) continue;
          expect(end - pointInTime(copy), id).toBeLessThanOrEqual(days * DAY);
        }
        expect(made.get(region)).toHaveLength(DAYS);
      }
      // The same-minute names did not collide: the second source's copies carry its region.
      expect(copies.some((c) => c.id === 'orders-2026-08-08-01-00')).toBe(true);
      expect(copies.some((c) => c.id === 'orders-2026-08-08-01-00-eu-west-1')).toBe(true);
      expect(copies.map((c) => c.id)).toContain('orders-before-migration');
      const deletes = rig.proxy
        .requests()
        .filter((r) => r.action === 'DeleteDBClusterSnapshot' && r.region === DST);
      expect(deletes).toHaveLength(DAYS - 1 - daysA + (DAYS - 1 - daysB));
    },
  );
});
