// The retention policy: each keep rule alone, their composition with the newest and the holds, and why each snapshot is kept.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { planSource } from '../../../src/core/plan/source-planner.js';
import { decideRetention, type KeepPolicy, keepRules } from '../../../src/core/policy/retention.js';
import {
  type Dated,
  keepLast,
  keepPeriods,
  keepWithinDays,
  periodKey,
  periodOf,
  periodStartAfter,
} from '../../../src/core/policy/retention-rules.js';
import { backup, cluster, sourceObservation } from '../../support/snapshot-builder.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const at = (iso: string) => Date.parse(iso);
const dated = (...isos: string[]): Dated[] =>
  isos.map((iso) => ({ snapshot: backup('orders', iso), time: at(iso) })).sort((a, b) => b.time - a.time);
const ids = (kept: Map<SnapshotInfo, unknown>) => [...kept.keys()].map((s) => s.id).sort();

describe('keep rules', () => {
  it('keepWithinDays keeps up to exactly RetentionDays old, and says until when', () => {
    // Prepare
    const group = dated('2026-11-23T12:00:00Z', '2026-11-23T11:59:59Z', '2026-11-30T00:00:00Z');
    // Act
    const kept = keepWithinDays(7)(group, NOW.getTime());
    // Assess
    expect(ids(kept)).toEqual(['orders-2026-11-23-12-00', 'orders-2026-11-30-00-00']);
    expect(kept.get((group[1] as Dated).snapshot)).toEqual({
      rule: 'within',
      reason: 'within RetentionDays (7)',
      expiresAt: at('2026-11-30T12:00:00Z'),
    });
  });

  it('keepLast keeps the N newest, numbered, with no date to expire', () => {
    // Prepare
    const group = dated('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z');
    // Act
    const kept = keepLast(2)(group, NOW.getTime());
    // Assess
    expect([...kept.values()]).toEqual([
      { rule: 'last', reason: 'last 2 (1 of 2)' },
      { rule: 'last', reason: 'last 2 (2 of 2)' },
    ]);
    expect(ids(kept)).toEqual(['orders-2026-11-02-00-00', 'orders-2026-11-03-00-00']);
  });

  it('keepPeriods keeps the newest of each of the N most recent periods that have one, skipping empty ones', () => {
    // Prepare: nothing in October; two in November, two in September, one in August
    const group = dated(
      '2026-11-29T10:00:00Z',
      '2026-11-03T10:00:00Z',
      '2026-09-30T10:00:00Z',
      '2026-09-01T10:00:00Z',
      '2026-08-15T10:00:00Z',
    );
    // Act
    const kept = keepPeriods('monthly', 2, 'UTC')(group, NOW.getTime());
    // Assess
    expect([...kept.values()].map((k) => k.reason)).toEqual(['monthly 2026-11', 'monthly 2026-09']);
    expect(ids(kept)).toEqual(['orders-2026-09-30-10-00', 'orders-2026-11-29-10-00']);
  });

  it('counts days in ScheduleTimezone: 23:30 UTC is the next day in Berlin and the same day in New York', () => {
    // Prepare
    const group = dated('2026-11-29T23:30:00Z', '2026-11-29T20:00:00Z');
    // Act
    const berlin = keepPeriods('daily', 5, 'Europe/Berlin')(group, NOW.getTime());
    const newYork = keepPeriods('daily', 5, 'America/New_York')(group, NOW.getTime());
    // Assess
    expect([...berlin.values()].map((k) => k.reason)).toEqual(['daily 2026-11-30', 'daily 2026-11-29']);
    expect([...newYork.values()].map((k) => k.reason)).toEqual(['daily 2026-11-29']);
  });

  it('periodStartAfter gives the local start of the period N periods later, across a daylight-saving change', () => {
    // Act / Assess
    expect(
      new Date(periodStartAfter('daily', at('2026-03-28T12:00:00Z'), 1, 'Europe/Berlin')).toISOString(),
    ).toBe('2026-03-28T23:00:00.000Z');
    expect(
      new Date(periodStartAfter('daily', at('2026-03-28T12:00:00Z'), 2, 'Europe/Berlin')).toISOString(),
    ).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(periodStartAfter('weekly', at('2026-11-29T12:00:00Z'), 1, 'UTC')).toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
    expect(new Date(periodStartAfter('weekly', at('2026-11-29T12:00:00Z'), 3, 'UTC')).toISOString()).toBe(
      '2026-12-14T00:00:00.000Z',
    );
    expect(new Date(periodStartAfter('monthly', at('2026-11-29T12:00:00Z'), 3, 'UTC')).toISOString()).toBe(
      '2027-02-01T00:00:00.000Z',
    );
    expect(new Date(periodStartAfter('yearly', at('2026-11-29T12:00:00Z'), 2, 'UTC')).toISOString()).toBe(
      '2028-01-01T00:00:00.000Z',
    );
    expect(periodOf('weekly', at('2026-11-29T12:00:00Z'), 'UTC')).toBe('2026-W48');
    expect(periodOf('yearly', at('2026-11-29T12:00:00Z'), 'UTC')).toBe('2026');
  });

  it('periodKey differs between two times exactly when their period labels do, in any zone, over forty years', () => {
    // Prepare: a time every 5 days and 7 hours from 2000 to 2040, in a zone east and a zone west of UTC
    const times: number[] = [];
    for (
      let t = at('2000-01-01T00:00:00Z');
      t < at('2040-01-01T00:00:00Z');
      t += 5 * 86_400_000 + 7 * 3_600_000
    )
      times.push(t);
    for (const zone of ['Asia/Tokyo', 'America/New_York']) {
      for (const period of ['daily', 'weekly', 'monthly', 'yearly'] as const) {
        const keys = times.map((t) => periodKey(period, t, zone));
        const labels = times.map((t) => periodOf(period, t, zone));
        // Act / Assess: same label <=> same key, for every pair
        const byKey = new Map<number, string>();
        const byLabel = new Map<string, number>();
        keys.forEach((key, i) => {
          const label = labels[i] as string;
          expect(byKey.get(key) ?? label, `${zone} ${period} ${label}`).toBe(label);
          expect(byLabel.get(label) ?? key, `${zone} ${period} ${label}`).toBe(key);
          byKey.set(key, label);
          byLabel.set(label, key);
        });
      }
    }
  });

  it('composes RetentionDays always and each other rule only when its count is above 0', () => {
    // Act / Assess
    expect(keepRules(7)).toHaveLength(1);
    expect(
      keepRules(7, { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 0 }),
    ).toHaveLength(1);
    expect(
      keepRules(7, { keepLast: 1, keepDaily: 1, keepWeekly: 1, keepMonthly: 1, keepYearly: 1 }),
    ).toHaveLength(6);
  });
});

describe('decideRetention with a policy', () => {
  const history = [
    backup('orders', '2026-11-30T01:00:00Z'),
    backup('orders', '2026-11-29T01:00:00Z'),
    backup('orders', '2026-11-01T01:00:00Z'),
    backup('orders', '2026-10-31T01:00:00Z'),
    backup('orders', '2026-10-15T01:00:00Z'),
    backup('orders', '2025-12-31T01:00:00Z'),
  ];
  const decide = (policy: KeepPolicy, retentionDays = 1, snapshots = history) =>
    decideRetention({
      now: NOW,
      retentionDays,
      maxDeletes: 100,
      snapshots,
      owned: () => true,
      groupOf: (s) => s.clusterId,
      policy,
    });

  it('without Keep rules decides exactly as RetentionDays alone', () => {
    // Act
    const withZeros = decide({ keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 0 });
    const without = decide({});
    // Assess
    expect(withZeros.deletes.map((d) => d.snapshot.id)).toEqual(without.deletes.map((d) => d.snapshot.id));
    expect(without.deletes.map((d) => d.reason)[0]).toMatch(/older than RetentionDays \(1\)$/);
  });

  it('keeps what any rule keeps, with every reason and the latest date a rule can tell', () => {
    // Act
    const decision = decide({ keepMonthly: 2, keepYearly: 2, timeZone: 'UTC' });
    // Assess
    expect(decision.deletes.map((d) => d.snapshot.id).sort()).toEqual([
      'orders-2026-10-15-01-00',
      'orders-2026-11-01-01-00',
      'orders-2026-11-29-01-00',
    ]);
    expect(decision.deletes[0]?.reason).toContain(
      'kept by no KeepLast/KeepDaily/KeepWeekly/KeepMonthly/KeepYearly rule',
    );
    const why = Object.fromEntries(decision.kept.map((k) => [k.snapshot.id, k]));
    expect(why['orders-2026-11-30-01-00']).toEqual({
      snapshot: history[0],
      reasons: ['newest', 'within RetentionDays (1)', 'monthly 2026-11', 'yearly 2026'],
      expiresAt: undefined,
    });
    expect(why['orders-2026-10-31-01-00']?.reasons).toEqual(['monthly 2026-10']);
    expect(why['orders-2026-10-31-01-00']?.expiresAt).toBe('2026-12-01T00:00:00.000Z');
    expect(why['orders-2025-12-31-01-00']).toMatchObject({
      reasons: ['yearly 2025'],
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('keeps a KeepLast snapshot with no date, and the newest with none', () => {
    // Act
    const decision = decide({ keepLast: 3 });
    // Assess
    const why = Object.fromEntries(decision.kept.map((k) => [k.snapshot.id, k]));
    expect(why['orders-2026-11-01-01-00']).toMatchObject({
      reasons: ['last 3 (3 of 3)'],
      expiresAt: undefined,
    });
    expect(decision.deletes).toHaveLength(3);
  });

  it('still keeps the newest, held and undated snapshots no rule keeps, and reports the ones left by MaxDeletesPerPass', () => {
    // Prepare
    const old = [backup('orders', '2020-01-01T00:00:00Z'), backup('orders', '2019-01-01T00:00:00Z')];
    const undated = {
      ...backup('orders', '2018-01-01T00:00:00Z'),
      tags: {},
      createTime: undefined,
      id: 'undated',
    };
    // Act
    const decision = decideRetention({
      now: NOW,
      retentionDays: 1,
      maxDeletes: 0,
      snapshots: [...old, undated, backup('orders', '2017-01-01T00:00:00Z')],
      owned: () => true,
      groupOf: (s) => s.clusterId,
      hold: (s) => (s.id.includes('2019') ? { code: 'kept-held', message: 'held' } : undefined),
      policy: { keepDaily: 0 },
    });
    // Assess
    expect(decision.deletes).toEqual([]);
    expect(Object.fromEntries(decision.kept.map((k) => [k.snapshot.id, k.reasons]))).toEqual({
      'orders-2020-01-01-00-00': ['newest'],
      'orders-2019-01-01-00-00': ['held'],
      undated: ['no known point in time'],
      'orders-2017-01-01-00-00': ['expired, left for a later pass (MaxDeletesPerPass 0)'],
    });
  });
});

describe('the source plan explains what it keeps', () => {
  it('lists each kept snapshot of the pass with its reasons and when it expires', () => {
    // Prepare
    const config = parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: 'orders', RetentionDays: 3, KeepMonthly: 2 },
    }).Source as SourceConfig;
    const snapshots = [backup('orders', '2026-11-30T01:00:00Z'), backup('orders', '2026-10-31T01:00:00Z')];
    // Act
    const plan = planSource(
      sourceObservation({ now: NOW, clusters: [cluster('orders')], snapshots }),
      config,
      ['delete'],
    );
    const off = planSource(
      sourceObservation({ now: NOW, clusters: [cluster('orders')], snapshots }),
      { ...config, DeleteOldSnapshots: false },
      ['delete'],
    );
    // Assess
    expect(plan.kept).toEqual([
      {
        region: 'us-east-1',
        clusterId: 'orders',
        snapshotId: 'orders-2026-11-30-01-00',
        reasons: ['newest', 'within RetentionDays (3)', 'monthly 2026-11'],
      },
      {
        region: 'us-east-1',
        clusterId: 'orders',
        snapshotId: 'orders-2026-10-31-01-00',
        reasons: ['monthly 2026-10'],
        expiresAt: '2026-12-01T00:00:00.000Z',
      },
    ]);
    expect(off.kept).toBeUndefined();
  });
});

describe('decideRetention edge cases the mutation run found unpinned', () => {
  const decide = (snapshots: SnapshotInfo[], maxDeletes: number, policy: KeepPolicy = {}) =>
    decideRetention({
      now: NOW,
      retentionDays: 1,
      maxDeletes,
      snapshots,
      owned: () => true,
      groupOf: (s) => s.clusterId,
      policy,
    });

  it('breaks a tie of points in time by identifier whatever the listing order: the smaller id is the newest', () => {
    // Prepare: same time, larger identifier listed first
    const b = { ...backup('orders', '2026-01-01T00:00:00Z'), id: 'orders-b' };
    const a = { ...backup('orders', '2026-01-01T00:00:00Z'), id: 'orders-a' };
    // Act
    const decision = decide([b, a], 10);
    // Assess
    expect(decision.deletes.map((d) => d.snapshot.id)).toEqual(['orders-b']);
  });

  it('an undated snapshot listed first never becomes the newest of its group', () => {
    // Prepare
    const undated = {
      ...backup('orders', '2026-01-02T00:00:00Z'),
      tags: {},
      createTime: undefined,
      id: 'undated',
    };
    const dated = backup('orders', '2026-01-01T00:00:00Z');
    // Act
    const decision = decide([undated, dated], 10);
    // Assess
    expect(decision.deletes).toEqual([]);
    expect(decision.kept.find((k) => k.snapshot === dated)?.reasons).toEqual(['newest']);
  });

  it('reports as left for later only the expired snapshots beyond MaxDeletesPerPass', () => {
    // Prepare
    const snapshots = [
      backup('orders', '2026-11-01T00:00:00Z'),
      backup('orders', '2026-10-01T00:00:00Z'),
      backup('orders', '2026-09-01T00:00:00Z'),
    ];
    // Act
    const decision = decide(snapshots, 1);
    // Assess
    expect(decision.deletes.map((d) => d.snapshot.id)).toEqual(['orders-2026-09-01-00-00']);
    expect(decision.kept.map((k) => k.snapshot.id).sort()).toEqual([
      'orders-2026-10-01-00-00',
      'orders-2026-11-01-00-00',
    ]);
  });

  it('gives the latest date of the dated rules that keep a snapshot, ignoring KeepLast, and none for KeepLast alone', () => {
    // Prepare: kept within RetentionDays 30 (until 2026-12-28) and monthly 2 (until 2027-01-01), and last 2
    const snapshots = [backup('orders', '2026-11-29T00:00:00Z'), backup('orders', '2026-11-28T00:00:00Z')];
    // Act
    const decision = decideRetention({
      now: NOW,
      retentionDays: 30,
      maxDeletes: 10,
      snapshots,
      owned: () => true,
      groupOf: (s) => s.clusterId,
      policy: { keepLast: 2, keepDaily: 1, timeZone: 'UTC' },
    });
    const onlyLast = decide(
      [backup('orders', '2026-11-29T00:00:00Z'), backup('orders', '2020-01-01T00:00:00Z')],
      10,
      {
        keepLast: 2,
      },
    );
    // Assess
    const older = decision.kept.find((k) => k.snapshot.id === 'orders-2026-11-28-00-00');
    expect(older?.reasons).toEqual(['within RetentionDays (30)', 'last 2 (2 of 2)']);
    expect(older?.expiresAt).toBe('2026-12-28T00:00:00.000Z');
    const plain = onlyLast.kept.find((k) => k.snapshot.id === 'orders-2020-01-01-00-00');
    expect(plain?.reasons).toEqual(['last 2 (2 of 2)']);
    expect(plain).toHaveProperty('expiresAt', undefined);
  });

  it('takes the later date whichever rule gives it: RetentionDays before the daily rule', () => {
    // Prepare: a snapshot 2 days old kept within RetentionDays 30 (until 2026-12-28T12) and daily 5 (until 2026-12-03)
    const snapshots = [backup('orders', '2026-11-30T11:00:00Z'), backup('orders', '2026-11-28T12:00:00Z')];
    // Act
    const decision = decideRetention({
      now: NOW,
      retentionDays: 30,
      maxDeletes: 10,
      snapshots,
      owned: () => true,
      groupOf: (s) => s.clusterId,
      policy: { keepDaily: 5 },
    });
    // Assess
    expect(decision.kept.find((k) => k.snapshot.id === 'orders-2026-11-28-12-00')).toMatchObject({
      reasons: ['within RetentionDays (30)', 'daily 2026-11-28'],
      expiresAt: '2026-12-28T12:00:00.000Z',
    });
  });

  it('counts KeepDaily days in ScheduleTimezone: two snapshots of one UTC day are two Berlin days, both kept', () => {
    // Prepare: 20:00 and 23:30 UTC on 20 November are 21:00 on the 20th and 00:30 on the 21st in Berlin
    const snapshots = [
      backup('orders', '2026-11-30T01:00:00Z'),
      backup('orders', '2026-11-20T23:30:00Z'),
      backup('orders', '2026-11-20T20:00:00Z'),
    ];
    const decide = (timeZone: string | undefined) =>
      decideRetention({
        now: NOW,
        retentionDays: 1,
        maxDeletes: 10,
        snapshots,
        owned: () => true,
        groupOf: (s) => s.clusterId,
        policy: { keepDaily: 5, timeZone },
      });
    // Act / Assess
    expect(decide('Europe/Berlin').deletes).toEqual([]);
    expect(decide(undefined).deletes.map((d) => d.snapshot.id)).toEqual(['orders-2026-11-20-20-00']);
  });

  it('an undated snapshot whose id sorts first never becomes the newest either: the old dated newest is kept', () => {
    // Prepare
    const undated = {
      ...backup('orders', '2026-01-02T00:00:00Z'),
      tags: {},
      createTime: undefined,
      id: 'a-undated',
    };
    const dated = backup('orders', '2026-01-01T00:00:00Z');
    // Act
    const decision = decide([dated, undated], 10);
    // Assess
    expect(decision.deletes).toEqual([]);
    expect(decision.kept.find((k) => k.snapshot === dated)?.reasons).toEqual(['newest']);
  });

  it('takes the later of two rule dates', () => {
    // Prepare: a snapshot 2 days old kept within RetentionDays 3 (until 2026-12-01T12) and daily 5 (until 2026-12-03)
    const snapshots = [backup('orders', '2026-11-30T11:00:00Z'), backup('orders', '2026-11-28T12:00:00Z')];
    // Act
    const decision = decideRetention({
      now: NOW,
      retentionDays: 3,
      maxDeletes: 10,
      snapshots,
      owned: () => true,
      groupOf: (s) => s.clusterId,
      policy: { keepDaily: 5 },
    });
    // Assess
    expect(decision.kept.find((k) => k.snapshot.id === 'orders-2026-11-28-12-00')?.expiresAt).toBe(
      '2026-12-03T00:00:00.000Z',
    );
  });
});
