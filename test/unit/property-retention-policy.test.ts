// Retention with KeepLast and GFS rules against an independent reference of restic's rules, in UTC and in zones with daylight saving.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { decideRetention, type KeepPolicy } from '../../src/core/policy/retention.js';
import { snapshot } from '../support/snapshot-builder.js';

const NOW = Date.parse('2027-06-15T12:00:00Z');
const DAY = 86_400_000;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney'] as const;

// The reference reads local calendar fields straight from Intl, not from src/core/policy/zone.ts.
const formats = new Map<string, Intl.DateTimeFormat>();
function localDate(time: number, zone: string): { y: number; m: number; d: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(zone, format);
  }
  const [y, m, d] = format.format(new Date(time)).split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

/** ISO week by the textbook: the week's Thursday decides the year. */
function isoWeek({ y, m, d }: { y: number; m: number; d: number }): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = new Date(Date.UTC(date.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((date.getTime() - yearStart.getTime()) / DAY + 1) / 7);
  return `${date.getUTCFullYear()}-${week}`;
}

const BUCKETS: Record<'daily' | 'weekly' | 'monthly' | 'yearly', (t: number, zone: string) => string> = {
  daily: (t, zone) => JSON.stringify(localDate(t, zone)),
  weekly: (t, zone) => isoWeek(localDate(t, zone)),
  monthly: (t, zone) => {
    const { y, m } = localDate(t, zone);
    return `${y}-${m}`;
  },
  yearly: (t, zone) => String(localDate(t, zone).y),
};

interface Policy extends KeepPolicy {
  readonly retentionDays: number;
  readonly keepLast: number;
  readonly keepDaily: number;
  readonly keepWeekly: number;
  readonly keepMonthly: number;
  readonly keepYearly: number;
  readonly timeZone: string;
}

/** restic's rules, one group at a time, as its documentation states them. */
function referenceKept(group: readonly { id: string; time: number }[], policy: Policy): Set<string> {
  const sorted = [...group].sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1));
  const kept = new Set<string>();
  if (sorted[0]) kept.add(sorted[0].id);
  sorted.forEach((s, i) => {
    if (NOW - s.time <= policy.retentionDays * DAY) kept.add(s.id);
    if (i < policy.keepLast) kept.add(s.id);
  });
  const counts: [keyof typeof BUCKETS, number][] = [
    ['daily', policy.keepDaily],
    ['weekly', policy.keepWeekly],
    ['monthly', policy.keepMonthly],
    ['yearly', policy.keepYearly],
  ];
  for (const [kind, n] of counts) {
    const seen: string[] = [];
    for (const s of sorted) {
      const bucket = BUCKETS[kind](s.time, policy.timeZone);
      if (seen.includes(bucket)) continue;
      if (seen.length >= n) break;
      seen.push(bucket);
      kept.add(s.id);
    }
  }
  return kept;
}

const policyArb = fc.record({
  retentionDays: fc.integer({ min: 1, max: 40 }),
  keepLast: fc.integer({ min: 0, max: 6 }),
  keepDaily: fc.integer({ min: 0, max: 14 }),
  keepWeekly: fc.integer({ min: 0, max: 8 }),
  keepMonthly: fc.integer({ min: 0, max: 18 }),
  keepYearly: fc.integer({ min: 0, max: 3 }),
  timeZone: fc.constantFrom(...ZONES),
});

/** Tool backups of up to three clusters over two and a half years, with the kinds retention must never delete. */
const historyArb = fc.array(
  fc.record({
    cluster: fc.constantFrom('orders', 'billing', 'reports'),
    ageMinutes: fc.integer({ min: 0, max: 900 * 24 * 60 }),
    kind: fc.constantFrom('tool', 'tool', 'tool', 'tool', 'tool', 'untagged', 'automated', 'creating'),
  }),
  { minLength: 1, maxLength: 120 },
);

function build(history: readonly { cluster: string; ageMinutes: number; kind: string }[]): SnapshotInfo[] {
  return history.map((h, i) => {
    const at = new Date(NOW - h.ageMinutes * 60_000);
    return snapshot(`${h.cluster}-${i}`, {
      clusterId: h.cluster,
      pointInTime: at,
      createTime: at,
      type: h.kind === 'automated' ? 'automated' : 'manual',
      status: h.kind === 'creating' ? 'creating' : 'available',
      tags: h.kind === 'untagged' ? {} : { [TAG.CreatedBy]: TOOL_TAG_VALUE },
    });
  });
}

function decide(snapshots: readonly SnapshotInfo[], policy: Policy, hold?: (s: SnapshotInfo) => boolean) {
  return decideRetention({
    now: new Date(NOW),
    retentionDays: policy.retentionDays,
    maxDeletes: 100_000,
    snapshots,
    owned: (s) => s.tags[TAG.CreatedBy] === TOOL_TAG_VALUE,
    groupOf: (s) => s.clusterId,
    hold: hold
      ? (s) => (hold(s) ? { code: 'kept-held', message: `kept ${s.id}: held` } : undefined)
      : undefined,
    policy,
  });
}

describe('retention policy', () => {
  it('keeps exactly what the reference restic rules keep, for random histories, policies and zones', () => {
    fc.assert(
      fc.property(historyArb, policyArb, (history, policy) => {
        // Prepare
        const snapshots = build(history);
        const eligible = snapshots.filter(
          (s) => s.type === 'manual' && s.status === 'available' && s.tags[TAG.CreatedBy] === TOOL_TAG_VALUE,
        );
        const expectedKept = new Set<string>();
        for (const cluster of new Set(eligible.map((s) => s.clusterId))) {
          const group = eligible
            .filter((s) => s.clusterId === cluster)
            .map((s) => ({ id: s.id, time: Date.parse(s.tags[TAG.PointInTime] as string) }));
          for (const id of referenceKept(group, policy)) expectedKept.add(id);
        }
        // Act
        const decision = decide(snapshots, policy);
        // Assess
        const deleted = new Set(decision.deletes.map((d) => d.snapshot.id));
        const expectedDeleted = eligible.filter((s) => !expectedKept.has(s.id)).map((s) => s.id);
        expect([...deleted].sort()).toEqual(expectedDeleted.sort());
        expect(decision.kept.map((k) => k.snapshot.id).sort()).toEqual([...expectedKept].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('never deletes the newest of a cluster, an untagged, automated or unfinished snapshot, or a held one', () => {
    fc.assert(
      fc.property(historyArb, policyArb, fc.integer({ min: 0, max: 5 }), (history, policy, heldEvery) => {
        // Prepare
        const snapshots = build(history);
        const held = (s: SnapshotInfo) => heldEvery > 0 && Number(s.id.split('-').at(-1)) % heldEvery === 0;
        // Act
        const decision = decide(snapshots, policy, held);
        // Assess
        for (const { snapshot: s } of decision.deletes) {
          expect(s.type).toBe('manual');
          expect(s.status).toBe('available');
          expect(s.tags[TAG.CreatedBy]).toBe(TOOL_TAG_VALUE);
          expect(held(s)).toBe(false);
          const peers = snapshots.filter(
            (o) =>
              o.clusterId === s.clusterId &&
              o.type === 'manual' &&
              o.status === 'available' &&
              o.tags[TAG.CreatedBy] === TOOL_TAG_VALUE,
          );
          const time = (o: SnapshotInfo) => Date.parse(o.tags[TAG.PointInTime] as string);
          // A newer available tool snapshot of the cluster exists (the newest is never deleted).
          expect(peers.some((o) => time(o) > time(s) || (time(o) === time(s) && o.id < s.id))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('applying a plan and planning again deletes nothing more', () => {
    fc.assert(
      fc.property(historyArb, policyArb, (history, policy) => {
        // Prepare
        const snapshots = build(history);
        const first = decide(snapshots, policy);
        const gone = new Set(first.deletes.map((d) => d.snapshot));
        // Act
        const second = decide(
          snapshots.filter((s) => !gone.has(s)),
          policy,
        );
        // Assess
        expect(second.deletes).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
