// Property-based tests of the destination planner over random copies, offers and configs (fixed seeds).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DestinationConfig } from '../../src/config/schema.js';
import type { SnapshotInfo } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { ALL_DESTINATION_PHASES, planDestination, runDestinationPass } from '../../src/core/plan/pass.js';
import type { Action, Plan } from '../../src/core/plan/plan.js';
import { ManualClock } from '../support/manual-clock.js';
import { DEFAULT_ACCOUNT, MemoryEstate } from '../support/memory-store.js';
import {
  DST,
  destinationConfigArb,
  destinationEstateArb,
  destinationObservationOf,
  NOW,
  type OwnedCopyEstate,
} from '../support/random-estate.js';

const DAY_MS = 86_400_000;
const clusterOf = (s: SnapshotInfo) => s.tags[TAG.SourceCluster] ?? s.clusterId;
const timeOf = (s: SnapshotInfo) =>
  Date.parse(s.tags[TAG.PointInTime] ?? '') || (s.createTime?.getTime() ?? 0);
const matcher = (config: DestinationConfig) => (id: string) =>
  config.SnapshotPattern === 'ALL_CLUSTERS' || new RegExp(config.SnapshotPattern).test(id);

function actions<K extends Action['kind']>(plan: Plan, kind: K): Extract<Action, { kind: K }>[] {
  return plan.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

describe('destination plan properties', () => {
  it("deletes only this source's expired tool copies, never the newest, at most MaxDeletesPerPass", () => {
    fc.assert(
      fc.property(destinationEstateArb, destinationConfigArb, (estate, config) => {
        // Prepare: automated snapshots left in the observation on purpose
        const obs = { ...destinationObservationOf(estate), snapshots: estate.snapshots };
        const matches = matcher(config);

        // Act
        const plan = planDestination(obs, config, ALL_DESTINATION_PHASES);

        // Assess
        const deletes = actions(plan, 'delete');
        if (!config.DeleteOldSnapshots) expect(deletes).toEqual([]);
        expect(deletes.length).toBeLessThanOrEqual(config.MaxDeletesPerPass);
        const deleted = new Set(deletes.map((d) => d.snapshotId));
        for (const action of deletes) {
          const target = obs.snapshots.find((s) => s.id === action.snapshotId) as SnapshotInfo;
          expect(target.type).toBe('manual');
          expect(target.status).toBe('available');
          expect(target.tags[TAG.CopiedBy]).toBe(TOOL_TAG_VALUE);
          expect(matches(clusterOf(target))).toBe(true);
          const region = target.tags[TAG.SourceRegion];
          const account = target.tags[TAG.SourceAccount];
          if (config.SourceRegion !== undefined && region !== undefined)
            expect(region).toBe(config.SourceRegion);
          if (config.SourceAccount !== undefined && account !== undefined)
            expect(account).toBe(config.SourceAccount);
          expect(NOW.getTime() - timeOf(target)).toBeGreaterThan(config.RetentionDays * DAY_MS);
          // Some available copy of the same source and cluster that is at least as new survives.
          // A copy without origin tags (the original tool's) is of the source the configuration names.
          const origin = (s: SnapshotInfo) =>
            `${s.tags[TAG.SourceAccount] ?? config.SourceAccount ?? obs.accountId}/${s.tags[TAG.SourceRegion] ?? config.SourceRegion ?? ''}`;
          const peers = obs.snapshots.filter(
            (s) =>
              s.type === 'manual' &&
              s.status === 'available' &&
              s.tags[TAG.CopiedBy] === TOOL_TAG_VALUE &&
              clusterOf(s) === clusterOf(target) &&
              origin(s) === origin(target),
          );
          expect(peers.some((s) => !deleted.has(s.id) && timeOf(s) >= timeOf(target))).toBe(true);
        }
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('imports only available offers of the configured source, within the copy limit, with a key when encrypted', () => {
    fc.assert(
      fc.property(destinationEstateArb, destinationConfigArb, (estate, config) => {
        // Prepare
        const obs = destinationObservationOf(estate);
        const matches = matcher(config);

        // Act
        const plan = planDestination(obs, config, ALL_DESTINATION_PHASES);

        // Assess
        const copies = actions(plan, 'copy');
        const inFlight = obs.snapshots.filter((s) => s.status === 'copying').length;
        expect(copies.length === 0 || inFlight + copies.length <= 5).toBe(true);
        expect(new Set(copies.map((c) => c.targetId)).size).toBe(copies.length);
        for (const copy of copies) {
          const offer = obs.shared.find((s) => s.arn === copy.sourceArn) as SnapshotInfo;
          expect(offer.status).toBe('available');
          expect(matches(clusterOf(offer))).toBe(true);
          if (config.SourceAccount !== undefined) expect(offer.accountId).toBe(config.SourceAccount);
          if (offer.encrypted) expect(copy.kmsKeyId).toBe(config.KmsKeyDestination);
          expect(copy.tags[TAG.CopiedBy]).toBe(TOOL_TAG_VALUE);
          expect(obs.snapshots.some((s) => s.id === copy.targetId)).toBe(false);
        }
      }),
      { numRuns: 300, seed: 2 },
    );
  });
});

function seed(memory: MemoryEstate, estate: OwnedCopyEstate): void {
  for (const s of estate.snapshots) {
    memory.putSnapshot({
      region: DST,
      id: s.id,
      clusterId: s.clusterId,
      type: s.type,
      status: s.status,
      createTime: s.createTime,
      tags: s.tags,
    });
  }
  for (const s of estate.shared) {
    memory.putSnapshot({
      region: DST,
      id: s.arn.split(':').pop() as string,
      clusterId: s.clusterId,
      accountId: s.accountId,
      status: s.status,
      createTime: s.createTime,
      encrypted: s.encrypted,
      kmsKeyId: s.kmsKeyId,
      sharedWith: [DEFAULT_ACCOUNT],
    });
  }
}

describe('destination pass convergence', () => {
  it('applies the first plan without failure, after which a second plan has no actions', async () => {
    await fc.assert(
      fc.asyncProperty(destinationEstateArb, destinationConfigArb, async (estate, config) => {
        // Prepare: imports stay `copying`
        const clock = new ManualClock(NOW);
        const memory = new MemoryEstate({ clock });
        seed(memory, estate);
        const store = memory.store(DST);

        // Act
        const first = await runDestinationPass(store, config, clock, ALL_DESTINATION_PHASES);
        const second = await runDestinationPass(store, config, clock, ALL_DESTINATION_PHASES, {
          dryRun: true,
        });

        // Assess
        expect(first.failed).toEqual([]);
        const limited = first.plan.notes.some((n) => n.code === 'delete-limit');
        expect(second.plan.actions.filter((a) => !(limited && a.kind === 'delete'))).toEqual([]);
      }),
      { numRuns: 150, seed: 3 },
    );
  });
});
