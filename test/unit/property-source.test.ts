// Property-based tests of the source planner over random estates and configs (fast-check, fixed seeds).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config/schema.js';
import type { SnapshotInfo } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import {
  ALL_SOURCE_PHASES,
  planSource,
  runSourcePass,
  type SourceObservation,
} from '../../src/core/plan/pass.js';
import type { Action, Plan } from '../../src/core/plan/plan.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryEstate } from '../support/memory-store.js';
import {
  DST,
  MANAGED_SRC,
  NOW,
  OTHER,
  type SourceEstate,
  SRC,
  sourceConfigArb,
  sourceEstateArb,
  sourceObservationOf,
  unfilteredObservationOf,
} from '../support/random-estate.js';

const RUNS = { numRuns: 300 };
const DAY_MS = 86_400_000;

// The oracle reads tags directly rather than through the core's helpers, so a bug there shows here.
const clusterOf = (s: SnapshotInfo) => s.tags[TAG.SourceCluster] ?? s.clusterId;
const timeOf = (s: SnapshotInfo) => {
  const tagged = Date.parse(s.tags[TAG.PointInTime] ?? '');
  return Number.isNaN(tagged) ? s.createTime?.getTime() : tagged;
};
const matcher = (config: SourceConfig) => (id: string) =>
  config.ClusterNamePattern === 'ALL_CLUSTERS' || new RegExp(config.ClusterNamePattern).test(id);
const isOurs = (s: SnapshotInfo) => s.tags[TAG.CreatedBy] === TOOL_TAG_VALUE;
const purposeOf = (s: SnapshotInfo) => (s.tags[TAG.Purpose] === 'share' ? 'share' : 'backup');
const drRegion = (c: SourceConfig) =>
  c.ShareSnapshots && c.DestinationRegion !== undefined && c.DestinationRegion !== c.Region
    ? c.DestinationRegion
    : undefined;
const shareAccount = (c: SourceConfig) => (c.ShareSnapshots ? c.DestinationAccount : undefined);
const sharedWith = (s: SnapshotInfo, account: string) =>
  (s.tags[TAG.SharedWith] ?? '').split(' ').includes(account);

function actions<K extends Action['kind']>(plan: Plan, kind: K): Extract<Action, { kind: K }>[] {
  return plan.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

function drCopyOf(obs: SourceObservation, source: SnapshotInfo): SnapshotInfo | undefined {
  return (
    obs.destinationSnapshots.find((d) => d.tags[TAG.SourceSnapshot] === source.arn) ??
    obs.destinationSnapshots.find((d) => d.id === source.id)
  );
}

describe('source plan properties', () => {
  it('never deletes an untagged, automated, in-progress, unmatched, young or newest snapshot', () => {
    fc.assert(
      fc.property(sourceEstateArb, sourceConfigArb, (estate, config) => {
        // Prepare: the observation includes automated snapshots, as if the listing let them through
        const obs = unfilteredObservationOf(estate);
        const matches = matcher(config);

        // Act
        const plan = planSource(obs, config, ALL_SOURCE_PHASES);

        // Assess
        const deletes = actions(plan, 'delete');
        if (!config.DeleteOldSnapshots) expect(deletes).toEqual([]);
        expect(deletes.length).toBeLessThanOrEqual(config.MaxDeletesPerPass);
        const deleted = new Set(deletes.map((d) => d.snapshotId));
        expect(deleted.size).toBe(deletes.length);
        for (const action of deletes) {
          const target = obs.snapshots.find((s) => s.id === action.snapshotId);
          expect(action.region).toBe(SRC);
          expect(target?.type).toBe('manual');
          expect(target?.status).toBe('available');
          expect(target && isOurs(target)).toBe(true);
          expect(target && matches(clusterOf(target))).toBe(true);
          expect(NOW.getTime() - (target ? (timeOf(target) ?? NOW.getTime()) : 0)).toBeGreaterThan(
            config.RetentionDays * DAY_MS,
          );
        }
        // The newest available snapshot of every cluster (and purpose) survives.
        const groups = new Map<string, SnapshotInfo[]>();
        for (const s of obs.snapshots) {
          if (s.type !== 'manual' || s.status !== 'available' || !isOurs(s) || !matches(clusterOf(s)))
            continue;
          const key = `${clusterOf(s)}/${purposeOf(s)}`;
          groups.set(key, [...(groups.get(key) ?? []), s]);
        }
        for (const members of groups.values()) {
          const newest = Math.max(...members.map((s) => timeOf(s) ?? Number.NEGATIVE_INFINITY));
          const survivors = members.filter(
            (s) => (timeOf(s) ?? Number.NEGATIVE_INFINITY) === newest && !deleted.has(s.id),
          );
          expect(survivors.length).toBeGreaterThan(0);
        }
      }),
      { ...RUNS, seed: 20250601 },
    );
  });

  it('never deletes a backup whose DR copy is under way or not yet shared, nor one young enough to be copied', () => {
    fc.assert(
      fc.property(sourceEstateArb, sourceConfigArb, (estate, config) => {
        // Prepare
        const obs = sourceObservationOf(estate);
        const region = drRegion(config);
        const account = shareAccount(config);

        // Act
        const plan = planSource(obs, config, ALL_SOURCE_PHASES);

        // Assess
        for (const action of actions(plan, 'delete')) {
          const target = obs.snapshots.find((s) => s.id === action.snapshotId) as SnapshotInfo;
          // A backup young enough to be copied is never a deletion candidate.
          expect(NOW.getTime() - (timeOf(target) ?? 0)).toBeGreaterThan(config.RetentionDays * DAY_MS);
          if (region !== undefined && purposeOf(target) === 'backup') {
            const copy = drCopyOf(obs, target);
            // One marked for copying (shareAndCopy=YES) is never deleted while its copy is missing.
            if (target.tags[TAG.ShareAndCopy] === 'YES') expect(copy).toBeDefined();
            if (copy !== undefined) {
              expect(copy.status).toBe('available');
              if (account !== undefined) expect(sharedWith(copy, account)).toBe(true);
            }
          }
          if (region === undefined && account !== undefined) {
            const shareCopy = obs.snapshots.find((s) => s.id === `${target.id}-shared`);
            if (purposeOf(target) === 'share') expect(sharedWith(target, account)).toBe(true);
            if (shareCopy !== undefined) {
              expect(shareCopy.status).toBe('available');
              expect(sharedWith(shareCopy, account)).toBe(true);
            }
          }
        }
      }),
      { ...RUNS, seed: 7 },
    );
  });

  it('never has more than 5 copies in flight in a region, counting those already copying', () => {
    fc.assert(
      fc.property(sourceEstateArb, sourceConfigArb, (estate, config) => {
        // Prepare
        const obs = sourceObservationOf(estate);

        // Act
        const plan = planSource(obs, config, ALL_SOURCE_PHASES);

        // Assess
        const copies = actions(plan, 'copy');
        for (const [region, present] of [
          [SRC, obs.snapshots],
          [DST, obs.destinationSnapshots],
        ] as const) {
          const inFlight = present.filter((s) => s.status === 'copying').length;
          const planned = copies.filter((c) => c.targetRegion === region).length;
          expect(planned === 0 || inFlight + planned <= 5).toBe(true);
        }
      }),
      { ...RUNS, seed: 5 },
    );
  });

  it('copies and shares only available, matching, recent backups that are not yet copied or shared', () => {
    fc.assert(
      fc.property(sourceEstateArb, sourceConfigArb, (estate, config) => {
        // Prepare
        const obs = sourceObservationOf(estate);
        const matches = matcher(config);

        // Act
        const plan = planSource(obs, config, ALL_SOURCE_PHASES);

        // Assess
        for (const copy of actions(plan, 'copy')) {
          const source = obs.snapshots.find((s) => s.arn === copy.sourceArn) as SnapshotInfo;
          expect(source.status).toBe('available');
          expect(isOurs(source) && purposeOf(source) === 'backup').toBe(true);
          expect(matches(clusterOf(source))).toBe(true);
          // Old backups are copied only when marked for copying (they must reach the destination).
          if (source.tags[TAG.ShareAndCopy] !== 'YES') {
            expect(NOW.getTime() - (timeOf(source) ?? 0)).toBeLessThanOrEqual(config.RetentionDays * DAY_MS);
          }
          if (copy.purpose === 'dr-copy') {
            expect(drCopyOf(obs, source)).toBeUndefined();
            if (source.encrypted) expect(copy.kmsKeyId).toBe(config.KmsKeyDestination);
            expect(copy.tags[TAG.CreatedBy]).toBeUndefined();
          } else {
            expect(source.kmsKeyId).toBe(MANAGED_SRC);
            expect(copy.kmsKeyId).toBe(config.KmsKeySource);
          }
        }
        for (const share of actions(plan, 'share')) {
          const pool = share.region === SRC ? obs.snapshots : obs.destinationSnapshots;
          const target = pool.find((s) => s.id === share.snapshotId) as SnapshotInfo;
          expect(share.accountId).toBe(OTHER);
          expect(target.status).toBe('available');
          expect(sharedWith(target, OTHER)).toBe(false);
          expect(target.kmsKeyId === MANAGED_SRC).toBe(false);
        }
        for (const take of actions(plan, 'take')) {
          const cluster = obs.clusters.find((c) => c.id === take.clusterId);
          expect(cluster?.status).toBe('available');
          expect(matches(take.clusterId)).toBe(true);
        }
      }),
      { ...RUNS, seed: 11 },
    );
  });
});

function seed(memory: MemoryEstate, estate: SourceEstate): void {
  memory.addAwsManagedKey(MANAGED_SRC);
  for (const c of estate.clusters) memory.addCluster({ region: SRC, id: c.id, status: c.status });
  for (const s of [...estate.snapshots, ...estate.destinationSnapshots]) {
    memory.putSnapshot({
      region: s.region,
      id: s.id,
      clusterId: s.clusterId,
      type: s.type,
      status: s.status,
      createTime: s.createTime,
      encrypted: s.encrypted,
      kmsKeyId: s.kmsKeyId,
      tags: s.tags,
      sharedWith: sharedWith(s, OTHER) ? [OTHER] : [],
    });
  }
}

describe('source pass convergence', () => {
  it('applies the first plan without failure, after which a second plan has no take, copy or share', async () => {
    await fc.assert(
      fc.asyncProperty(sourceEstateArb, sourceConfigArb, async (estate, config) => {
        // Prepare: snapshots taken stay `creating` and copies `copying`
        const clock = new ManualClock(NOW);
        const memory = new MemoryEstate({ clock });
        seed(memory, estate);
        const stores = { source: memory.store(SRC), destination: memory.store(DST) };

        // Act
        const first = await runSourcePass(stores, config, clock, ALL_SOURCE_PHASES);
        const second = await runSourcePass(stores, config, clock, ALL_SOURCE_PHASES, { dryRun: true });

        // Assess
        expect(first.failed).toEqual([]);
        expect(second.plan.actions.filter((a) => a.kind !== 'delete')).toEqual([]);
        // Deletion waits until a share is seen recorded, so a backup held only for a share the first pass
        // made may go in the second; otherwise only MaxDeletesPerPass leaves deletions for later.
        if (!first.plan.notes.some((n) => n.code === 'delete-limit')) {
          const releasedByShare = new Set(
            first.plan.notes.filter((n) => n.code === 'kept-share-pending').map((n) => n.snapshotId),
          );
          for (const action of actions(second.plan, 'delete')) {
            expect(releasedByShare.has(action.snapshotId)).toBe(true);
          }
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });
});
