// Property-based simulation of days of scheduled passes over the in-memory estate (fast-check, fixed seed):
// no duplicate snapshot, none missed, no backup deleted before its DR copy arrived, the newest always kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import type { SnapshotInfo } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { ALL_SOURCE_PHASES, runSourcePass } from '../../src/core/plan/pass.js';
import { dueToleranceMs } from '../../src/core/policy/due.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryEstate } from '../support/memory-store.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const OTHER = '222222222222';
const KEY = 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222';
const HOUR = 3_600_000;

const scenarioArb = fc
  .record({
    interval: fc.constantFrom(1, 4, 8, 24),
    passEvery: fc.constantFrom(1, 2, 4),
    retentionDays: fc.integer({ min: 1, max: 3 }),
    mode: fc.constantFrom('none', 'dr', 'dr-account'),
    clusters: fc.integer({ min: 1, max: 3 }),
    encrypted: fc.boolean(),
    copyHours: fc.integer({ min: 0, max: 6 }),
    /** Hours a snapshot stays `creating`. */
    takeHours: fc.constantFrom(0, 0, 1, 3),
    /** Hours the first DR copy stays `copying` (a stuck copy, past RetentionDays when long). */
    stuckHours: fc.constantFrom(0, 30, 80),
    lateSeconds: fc.integer({ min: 0, max: 300 }),
  })
  .filter((s) => s.passEvery <= s.interval)
  // Within RDS's capacity of 5 copies in flight: backups are produced no faster than they can be copied.
  // Beyond it a backlog grows, and backups that pass RetentionDays uncopied are expired as configured.
  // One slot is left for the stuck copy.
  .filter((s) => s.clusters * (s.copyHours + 2 * s.passEvery) < 4 * s.interval);

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function configOf(s: Scenario): SourceConfig {
  const source: Record<string, unknown> = {
    Region: SRC,
    ClusterNamePattern: 'ALL_CLUSTERS',
    BackupInterval: s.interval,
    RetentionDays: s.retentionDays,
    ShareSnapshots: s.mode !== 'none',
    MaxDeletesPerPass: 5,
  };
  if (s.mode !== 'none') Object.assign(source, { DestinationRegion: DST, KmsKeyDestination: KEY });
  if (s.mode === 'dr-account') source.DestinationAccount = OTHER;
  return parseConfig({ Source: source }).Source as SourceConfig;
}

/** The copy made first in the run, which the scenario may keep stuck in `copying`. */
let stuck: string | undefined;
function firstCopy(copies: readonly SnapshotInfo[]): SnapshotInfo | undefined {
  stuck ??= copies[0]?.id;
  return copies.find((c) => c.id === stuck);
}

const isBackup = (s: SnapshotInfo) =>
  s.tags[TAG.CreatedBy] === TOOL_TAG_VALUE && s.tags[TAG.Purpose] === 'backup';
const timeOf = (s: SnapshotInfo) => Date.parse(s.tags[TAG.PointInTime] ?? '');

describe('simulated days of passes', () => {
  it('keeps every promise of the tool across time', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        // Prepare
        const clock = new ManualClock('2025-03-01T00:00:00.000Z');
        stuck = undefined;
        const estate = new MemoryEstate({ clock });
        for (let i = 0; i < s.clusters; i++) {
          estate.addCluster({
            region: SRC,
            id: `db-${i}`,
            encrypted: s.encrypted,
            kmsKeyId: s.encrypted ? 'k' : undefined,
          });
        }
        const stores = { source: estate.store(SRC), destination: estate.store(DST) };
        const config = configOf(s);
        const everTaken = new Map<string, SnapshotInfo>();
        const passes = Math.floor((4 * 24) / s.passEvery);

        for (let pass = 0; pass < passes; pass++) {
          // Act: a pass a few seconds late, then snapshots finish and copies arrive after copyHours
          clock.set(new Date(Date.UTC(2025, 2, 1) + pass * s.passEvery * HOUR + s.lateSeconds * 1000));
          const report = await runSourcePass(stores, config, clock, ALL_SOURCE_PHASES);
          // A snapshot still being taken is never joined by a second one of the same cluster.
          const creating = estate.snapshots({ region: SRC }).filter((b) => b.status === 'creating');
          expect(new Set(creating.map((b) => b.clusterId)).size).toBe(creating.length);
          const now = clock.now().getTime();
          for (const taken of estate.snapshots({ region: SRC })) {
            if (
              taken.status === 'creating' &&
              now - (taken.createTime?.getTime() ?? 0) >= s.takeHours * HOUR
            ) {
              estate.complete(taken.arn);
            }
          }
          const copies = estate.snapshots({ region: DST }).sort((a, b) => timeOf(a) - timeOf(b));
          for (const copy of copies) {
            const hours = copy.id === firstCopy(copies)?.id ? s.stuckHours : s.copyHours;
            if (copy.status === 'copying' && now - (copy.createTime?.getTime() ?? 0) >= hours * HOUR) {
              estate.complete(copy.arn);
            }
          }

          // Assess: nothing failed; a deleted backup had its DR copy available (and shared) when deleted
          expect(report.failed).toEqual([]);
          for (const result of report.results) {
            if (result.action.kind !== 'delete') continue;
            const deleted = result.action.snapshotId;
            if (s.mode !== 'none') {
              const copy = report.observation.destinationSnapshots.find((c) => c.id === deleted);
              expect(copy?.status).toBe('available');
              if (s.mode === 'dr-account') expect(copy?.tags[TAG.SharedWith]).toBe(OTHER);
            }
          }
          for (const snapshot of estate.snapshots({ region: SRC }))
            if (isBackup(snapshot)) everTaken.set(snapshot.id, snapshot);

          // Every cluster has a backup no older than the interval plus one pass, and the newest is never gone.
          for (let i = 0; i < s.clusters; i++) {
            const backups = estate
              .snapshots({ region: SRC })
              .filter((b) => isBackup(b) && b.clusterId === `db-${i}`);
            const newest = Math.max(...backups.map(timeOf));
            expect(now - newest).toBeLessThanOrEqual((s.interval + s.passEvery + s.takeHours) * HOUR);
            const everNewest = Math.max(
              ...[...everTaken.values()].filter((b) => b.clusterId === `db-${i}`).map(timeOf),
            );
            expect(newest).toBe(everNewest);
          }
        }

        // No two backups of a cluster closer than the interval less its tolerance: no duplicates.
        for (let i = 0; i < s.clusters; i++) {
          const times = [...everTaken.values()]
            .filter((b) => b.clusterId === `db-${i}`)
            .map(timeOf)
            .sort((a, b) => a - b);
          for (let k = 1; k < times.length; k++) {
            expect((times[k] as number) - (times[k - 1] as number)).toBeGreaterThanOrEqual(
              s.interval * HOUR - dueToleranceMs(s.interval),
            );
          }
        }
        // Retention kept the source bounded: no backup much older than RetentionDays remains.
        const oldest = Math.min(...estate.snapshots({ region: SRC }).filter(isBackup).map(timeOf));
        expect(clock.now().getTime() - oldest).toBeLessThanOrEqual(
          s.retentionDays * 24 * HOUR + (s.copyHours + s.takeHours + s.interval + 2 * s.passEvery) * HOUR,
        );
        // Every backup still at the source has its DR copy, with the same point in time.
        if (s.mode !== 'none') {
          for (const backup of estate.snapshots({ region: SRC }).filter(isBackup)) {
            const copy = estate.find(backup.id, DST);
            if (copy === undefined) continue;
            expect(copy.tags[TAG.PointInTime]).toBe(backup.tags[TAG.PointInTime]);
            expect(copy.tags[TAG.CopiedBy]).toBe(TOOL_TAG_VALUE);
          }
        }
      }),
      { numRuns: 25, seed: 20250301 },
    );
  });
});
