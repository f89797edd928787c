// Property-based tests of the source planner with several destinations (fast-check, fixed seeds): holds, the copy limit per region, where copies and shares go, and convergence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config/schema.js';
import type { SnapshotInfo } from '../../src/core/model/model.js';
import { TAG } from '../../src/core/model/tags.js';
import { ALL_SOURCE_PHASES, planSource, runSourcePass, sourceStoresWith } from '../../src/core/plan/pass.js';
import type { Action, Plan } from '../../src/core/plan/plan.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryEstate } from '../support/memory-store.js';
import { MANAGED_SRC, NOW, SRC } from '../support/random-estate.js';
import {
  COPY_REGIONS,
  type FanOutEstate,
  fanOutConfigArb,
  fanOutEstateArb,
  fanOutObservationOf,
  KEY,
} from '../support/random-fan-out.js';

const RUNS = { numRuns: 300 };

// The oracle reads the configuration and the tags directly, not through the core's helpers.
interface Item {
  readonly Region: string;
  readonly Account?: string | undefined;
}
const itemsOf = (c: SourceConfig): Item[] => [...(c.Destinations ?? [])];
const copyRegions = (c: SourceConfig) => [
  ...new Set(
    itemsOf(c)
      .filter((d) => d.Region !== SRC)
      .map((d) => d.Region),
  ),
];
const accountsIn = (c: SourceConfig, region: string) =>
  itemsOf(c).flatMap((d) => (d.Region === region && d.Account !== undefined ? [d.Account] : []));
const sharedWith = (s: SnapshotInfo, account: string) =>
  (s.tags[TAG.SharedWith] ?? '').split(' ').includes(account);
const copyIn = (estate: FanOutEstate, region: string, source: SnapshotInfo) =>
  estate.regionSnapshots[region]?.find((s) => s.tags[TAG.SourceSnapshot] === source.arn);

function actions<K extends Action['kind']>(plan: Plan, kind: K): Extract<Action, { kind: K }>[] {
  return plan.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

describe('source plan properties with several destinations', () => {
  it('never deletes a backup marked for copying until every destination has its copy, shared with its account', () => {
    fc.assert(
      fc.property(fanOutEstateArb, fanOutConfigArb, (estate, config) => {
        // Act
        const plan = planSource(fanOutObservationOf(estate), config, ALL_SOURCE_PHASES);

        // Assess
        for (const action of actions(plan, 'delete')) {
          const target = estate.snapshots.find((s) => s.id === action.snapshotId) as SnapshotInfo;
          if (target.tags[TAG.ShareAndCopy] !== 'YES') continue;
          for (const region of copyRegions(config)) {
            const copy = copyIn(estate, region, target);
            expect(copy?.status, `${target.id} in ${region}`).toBe('available');
            for (const account of accountsIn(config, region))
              expect(sharedWith(copy as SnapshotInfo, account)).toBe(true);
          }
          for (const account of accountsIn(config, SRC))
            expect(sharedWith(target, account), account).toBe(true);
        }
      }),
      { ...RUNS, seed: 1501 },
    );
  });

  it('never has more than 5 copies in flight in any region, each counted apart', () => {
    fc.assert(
      fc.property(fanOutEstateArb, fanOutConfigArb, (estate, config) => {
        const plan = planSource(fanOutObservationOf(estate), config, ALL_SOURCE_PHASES);
        for (const region of [SRC, ...COPY_REGIONS]) {
          const present = region === SRC ? estate.snapshots : (estate.regionSnapshots[region] ?? []);
          const inFlight = present.filter((s) => s.status === 'copying').length;
          const planned = actions(plan, 'copy').filter((c) => c.targetRegion === region).length;
          expect(planned === 0 || inFlight + planned <= 5, region).toBe(true);
        }
      }),
      { ...RUNS, seed: 1502 },
    );
  });

  it("copies only to configured regions with that region's key, and shares only with configured accounts what they lack", () => {
    fc.assert(
      fc.property(fanOutEstateArb, fanOutConfigArb, (estate, config) => {
        // Act
        const plan = planSource(fanOutObservationOf(estate), config, ALL_SOURCE_PHASES);

        // Assess
        for (const copy of actions(plan, 'copy')) {
          const source = estate.snapshots.find((s) => s.arn === copy.sourceArn) as SnapshotInfo;
          expect(source.status).toBe('available');
          if (copy.purpose === 'dr-copy') {
            expect(copyRegions(config)).toContain(copy.targetRegion);
            expect(copyIn(estate, copy.targetRegion, source)).toBeUndefined();
            expect(copy.kmsKeyId).toBe(source.encrypted ? KEY[copy.targetRegion] : undefined);
          } else {
            expect(copy.targetRegion).toBe(SRC);
            expect(source.kmsKeyId).toBe(MANAGED_SRC);
            expect(accountsIn(config, SRC).length).toBeGreaterThan(0);
          }
          // Each copy names the destinations it works for.
          expect((copy.destinations ?? []).length > 0 || itemsOf(config).length === 1).toBe(true);
        }
        const pairs = new Set<string>();
        for (const share of actions(plan, 'share')) {
          expect(accountsIn(config, share.region)).toContain(share.accountId);
          const pool = share.region === SRC ? estate.snapshots : (estate.regionSnapshots[share.region] ?? []);
          const target = pool.find((s) => s.id === share.snapshotId) as SnapshotInfo;
          expect(target.status).toBe('available');
          expect(sharedWith(target, share.accountId)).toBe(false);
          expect(target.kmsKeyId === MANAGED_SRC).toBe(false);
          const pair = `${share.region}/${share.snapshotId}/${share.accountId}`;
          expect(pairs.has(pair)).toBe(false);
          pairs.add(pair);
        }
      }),
      { ...RUNS, seed: 1503 },
    );
  });

  it('applies the first plan without failure, after which a second plan starts no copy and no share it can already make', async () => {
    await fc.assert(
      fc.asyncProperty(fanOutEstateArb, fanOutConfigArb, async (estate, config) => {
        // Prepare: copies made by the pass stay `copying`; those of the estate keep their state
        const clock = new ManualClock(NOW);
        const memory = new MemoryEstate({ clock });
        memory.addAwsManagedKey(MANAGED_SRC);
        for (const c of estate.clusters) memory.addCluster({ region: SRC, id: c.id });
        for (const s of [...estate.snapshots, ...Object.values(estate.regionSnapshots).flat()]) {
          memory.putSnapshot({
            region: s.region,
            id: s.id,
            clusterId: s.clusterId,
            status: s.status,
            createTime: s.createTime,
            encrypted: s.encrypted,
            kmsKeyId: s.kmsKeyId,
            tags: s.tags,
            sharedWith: (s.tags[TAG.SharedWith] ?? '').split(' ').filter(Boolean),
          });
        }
        const stores = sourceStoresWith(config, (region) => memory.store(region));
        const all = { ...stores, destinations: COPY_REGIONS.map((r) => memory.store(r)) };

        // Act
        const first = await runSourcePass(all, config, clock, ALL_SOURCE_PHASES);
        const second = await runSourcePass(all, config, clock, ALL_SOURCE_PHASES, { dryRun: true });

        // Assess: a copy that failed stays for the user (a note); nothing else is left to start
        expect(first.failed).toEqual([]);
        expect(second.plan.actions.filter((a) => a.kind === 'take' || a.kind === 'copy')).toEqual([]);
        expect(actions(second.plan, 'share')).toEqual([]);
      }),
      { numRuns: 120, seed: 1504 },
    );
  });
});
