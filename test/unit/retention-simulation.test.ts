// Two years of daily and 8-hourly schedules on the source planner alone: exact counts kept per tier at chosen dates.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import type { SnapshotInfo } from '../../src/core/model/model.js';
import { planSource } from '../../src/core/plan/source-planner.js';
import { takeTags } from '../../src/core/plan/source-take.js';
import { runsBetween } from '../../src/core/policy/schedule.js';
import { cluster, snapshot, sourceObservation } from '../support/snapshot-builder.js';

const POLICY = {
  RetentionDays: 7,
  KeepDaily: 14,
  KeepWeekly: 8,
  KeepMonthly: 12,
  KeepYearly: 3,
};

interface Tiers {
  within: number;
  daily: number;
  weekly: number;
  monthly: number;
  yearly: number;
  total: number;
}

/** Runs the planner at every firing from 2026-01-01 to `until`, applying its takes and deletes. */
function simulate(schedule: string, interval: number, checkpoints: readonly string[]): Map<string, Tiers> {
  const config = parseConfig({
    Source: {
      Region: 'us-east-1',
      ClusterNamePattern: 'orders',
      BackupSchedule: schedule,
      BackupInterval: interval,
      ...POLICY,
    },
  }).Source as SourceConfig;
  const clusters = [cluster('orders')];
  let snapshots: SnapshotInfo[] = [];
  const seen = new Map<string, Tiers>();
  const last = checkpoints.at(-1) as string;
  const runs = runsBetween(schedule, new Date('2025-12-31T23:59:00Z'), new Date(last));
  for (const now of runs) {
    // As a pass runs: take first, then retention over what is there now.
    const take = planSource(sourceObservation({ now, clusters, snapshots }), config, ['take']);
    for (const action of take.actions) {
      if (action.kind === 'take') {
        snapshots.push(
          snapshot(action.snapshotId, {
            clusterId: 'orders',
            tags: takeTags(config, 'orders', '111111111111', now),
          }),
        );
      }
    }
    const plan = planSource(sourceObservation({ now, clusters, snapshots }), config, ['delete']);
    const deleted = new Set(plan.actions.flatMap((a) => (a.kind === 'delete' ? [a.snapshotId] : [])));
    snapshots = snapshots.filter((s) => !deleted.has(s.id));
    if (checkpoints.includes(now.toISOString())) {
      // The state after this pass's deletes, as the next pass's plan explains it.
      const after = planSource(sourceObservation({ now, clusters, snapshots }), config, ['delete']);
      const count = (prefix: string) =>
        (after.kept ?? []).filter((k) => k.reasons.some((r) => r.startsWith(prefix))).length;
      seen.set(now.toISOString(), {
        within: count('within RetentionDays'),
        daily: count('daily '),
        weekly: count('weekly '),
        monthly: count('monthly '),
        yearly: count('yearly '),
        total: snapshots.length,
      });
      expect(after.actions).toEqual([]);
    }
  }
  return seen;
}

describe('two years of a GFS policy (RetentionDays 7, KeepDaily 14, KeepWeekly 8, KeepMonthly 12, KeepYearly 3)', () => {
  it('daily at 01:00 UTC: the counts per tier on 2027-03-01 and 2027-12-31', () => {
    // Act
    const seen = simulate('0 1 * * ? *', 24, ['2027-03-01T01:00:00.000Z', '2027-12-31T01:00:00.000Z']);
    // Assess: worked out by hand from the calendar (2027-03-01 is a Monday, 2027-12-31 a Friday)
    expect(seen.get('2027-03-01T01:00:00.000Z')).toEqual({
      within: 8,
      daily: 14,
      weekly: 8,
      monthly: 12,
      yearly: 2,
      total: 28,
    });
    expect(seen.get('2027-12-31T01:00:00.000Z')).toEqual({
      within: 8,
      daily: 14,
      weekly: 8,
      monthly: 12,
      yearly: 2,
      total: 31,
    });
  });

  it('every 8 hours: the counts per tier on 2027-12-31 at 16:00', () => {
    // Act
    const seen = simulate('0 0,8,16 * * ? *', 8, ['2027-12-31T16:00:00.000Z']);
    // Assess: 22 within 7 days (21 intervals and both ends), then one a day, week, month and year
    expect(seen.get('2027-12-31T16:00:00.000Z')).toEqual({
      within: 22,
      daily: 14,
      weekly: 8,
      monthly: 12,
      yearly: 2,
      total: 45,
    });
  });
});
