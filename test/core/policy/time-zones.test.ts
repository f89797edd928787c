// ScheduleTimezone: Scheduler's firing instants through both daylight-saving changes, and one snapshot per local day.
import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { decideDue, dueToleranceMs } from '../../../src/core/policy/due.js';
import { runsBetween, slotOf } from '../../../src/core/policy/schedule.js';
import { isTimeZone, localDay, localIsoWeek, localMonth, wallClock } from '../../../src/core/policy/zone.js';
import { backup } from '../../support/snapshot-builder.js';

const YEAR_START = new Date('2026-01-01T00:00:00Z');
const YEAR_END = new Date('2027-01-01T00:00:00Z');
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney'] as const;

/** Local fields of an instant, straight from Intl (the reference does not use src/core/policy/zone.ts). */
const formats = new Map<string, Intl.DateTimeFormat>();
function fieldsOf(instant: number, zone: string): number[] {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute')];
}

/**
 * EventBridge Scheduler's firings of a daily local time, by brute force: for each local date, the first
 * quarter-hour instant whose local fields are that date and time; none on the day the change skips it.
 */
function schedulerFirings(zone: string, times: readonly [number, number][]): number[] {
  const firings: number[] = [];
  for (let day = Date.UTC(2025, 11, 31); day <= Date.UTC(2027, 0, 1); day += 86_400_000) {
    const date = new Date(day);
    for (const [hour, minute] of times) {
      const nominal = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), hour, minute);
      for (let t = nominal - 15 * 3_600_000; t <= nominal + 15 * 3_600_000; t += 15 * 60_000) {
        const [y, mo, d, h, mi] = fieldsOf(t, zone);
        if (
          y === date.getUTCFullYear() &&
          mo === date.getUTCMonth() + 1 &&
          d === date.getUTCDate() &&
          h === hour &&
          mi === minute
        ) {
          firings.push(t);
          break;
        }
      }
    }
  }
  return firings.sort((a, b) => a - b);
}

/** Runs the due decision at each firing (and a repeated delivery 20 s later), taking a snapshot when due. */
function simulate(firings: readonly number[], interval: number, zone: string): SnapshotInfo[] {
  const taken: SnapshotInfo[] = [];
  const year = firings.filter((t) => localDay(t, zone).startsWith('2026'));
  for (const firing of year) {
    for (const at of [firing, firing + 20_000]) {
      if (decideDue(taken, new Date(at), interval, zone).due) taken.push(backup('orders', new Date(at)));
    }
  }
  return taken;
}

function perLocalDay(snapshots: readonly SnapshotInfo[], zone: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of snapshots) {
    const day = localDay(Date.parse(s.tags['SnapshotTool:PointInTime'] as string), zone);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return counts;
}

describe('zones', () => {
  it('accepts IANA names and refuses offsets, abbreviations of no zone and made-up names', () => {
    // Act / Assess
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) {
      expect(isTimeZone(zone), zone).toBe(true);
    }
    for (const zone of ['', '+01:00', 'Europe/Atlantis', 'Mars/Olympus', 'UTC; rm', 'europe berlin']) {
      expect(isTimeZone(zone), zone).toBe(false);
    }
  });

  it('refuses an offset on every Node, though Node 22 takes one as a zone and Node 20 does not', () => {
    // Act / Assess: EventBridge Scheduler takes IANA names; `+01:00`, `+0100`, `+01` are offsets
    for (const zone of ['+01:00', '+0100', '+01', '-05:00', '+14:00', '-00:00']) {
      expect(isTimeZone(zone), zone).toBe(false);
    }
  });

  it('gives the local day, ISO week and month of an instant, across the year boundary', () => {
    // Prepare: 2026-12-31 23:30 UTC is already 2027-01-01 in Berlin; 2027-01-01 is in ISO week 2026-W53
    const instant = Date.parse('2026-12-31T23:30:00Z');
    // Act / Assess
    expect(localDay(instant, 'Europe/Berlin')).toBe('2027-01-01');
    expect(localDay(instant, 'America/New_York')).toBe('2026-12-31');
    expect(localMonth(instant, 'Europe/Berlin')).toBe('2027-01');
    expect(localIsoWeek(instant, 'Europe/Berlin')).toBe('2026-W53');
    expect(localIsoWeek(Date.parse('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-W01');
    expect(localIsoWeek(Date.parse('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
  });

  it('shows 24 wall-clock hours across each change where 23 and 25 elapse', () => {
    // Prepare: Berlin's 2026 changes are on 29 March and 25 October
    const beforeSpring = Date.parse('2026-03-28T02:30:00Z'); // 03:30 CET
    const afterSpring = Date.parse('2026-03-29T01:30:00Z'); // 03:30 CEST
    const beforeFall = Date.parse('2026-10-24T01:30:00Z'); // 03:30 CEST
    const afterFall = Date.parse('2026-10-25T02:30:00Z'); // 03:30 CET
    // Act / Assess
    expect((afterSpring - beforeSpring) / 3_600_000).toBe(23);
    expect(
      (wallClock(afterSpring, 'Europe/Berlin') - wallClock(beforeSpring, 'Europe/Berlin')) / 3_600_000,
    ).toBe(24);
    expect((afterFall - beforeFall) / 3_600_000).toBe(25);
    expect((wallClock(afterFall, 'Europe/Berlin') - wallClock(beforeFall, 'Europe/Berlin')) / 3_600_000).toBe(
      24,
    );
  });
});

describe.each(ZONES)('EventBridge Scheduler in %s through a year', (zone) => {
  const schedules: [string, [number, number][]][] = [
    ['30 2 * * ? *', [[2, 30]]],
    ['30 1 * * ? *', [[1, 30]]],
    [
      '0 1,13 * * ? *',
      [
        [1, 0],
        [13, 0],
      ],
    ],
  ];

  it.each(schedules)(
    'fires %s at the reference instants: a skipped time never, a repeated one once',
    (cron, times) => {
      // Act
      const runs = runsBetween(cron, YEAR_START, YEAR_END, 100_000, zone).map((d) => d.getTime());
      // Assess
      expect(runs).toEqual(
        schedulerFirings(zone, times).filter((t) => t > YEAR_START.getTime() && t <= YEAR_END.getTime()),
      );
    },
  );

  it('takes exactly one snapshot per local day with BackupInterval 24, also on both change days', () => {
    // Prepare
    const firings = schedulerFirings(zone, [[1, 30]]);
    // Act
    const counts = perLocalDay(simulate(firings, 24, zone), zone);
    const hourBased = perLocalDay(simulate(firings, 24, 'UTC'), zone);
    // Assess
    expect(counts.size).toBe(365);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The elapsed-hours check alone skips the day after the spring change (23 h < 23.5 h).
    expect(hourBased.size).toBe(364);
  });

  it('takes exactly two snapshots per local day with BackupInterval 12 at 01:00 and 13:00', () => {
    // Prepare
    const firings = schedulerFirings(zone, [
      [1, 0],
      [13, 0],
    ]);
    // Act
    const counts = perLocalDay(simulate(firings, 12, zone), zone);
    // Assess
    expect(counts.size).toBe(365);
    expect([...counts.entries()].filter(([, n]) => n !== 2)).toEqual([]);
  });

  it('takes one snapshot on every day a 02:30 schedule fires, and none is due twice on the repeated hour', () => {
    // Prepare: 02:30 does not exist on the spring-forward day here (Scheduler skips it) except in New York
    const firings = schedulerFirings(zone, [[2, 30]]);
    // Act
    const counts = perLocalDay(simulate(firings, 24, zone), zone);
    // Assess
    const firingDays = new Set(firings.map((t) => localDay(t, zone)).filter((d) => d.startsWith('2026')));
    expect(counts.size).toBe(firingDays.size);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Every zone here moves its clocks at 02:00 in spring: that day has no 02:30, so no run.
    expect(firingDays.size).toBe(364);
  });

  it('names a repeated delivery and a manual run a few seconds either side of the firing after the same slot', () => {
    // Prepare
    const [firing] = runsBetween('0 1,13 * * ? *', new Date('2026-03-28T00:00:00Z'), YEAR_END, 1, zone);
    const at = (firing as Date).getTime();
    // Act
    const slots = [at - 5_000, at, at + 20_000, at + 61_000].map((t) =>
      slotOf('0 1,13 * * ? *', new Date(t), dueToleranceMs(12), zone)?.toISOString(),
    );
    const away = slotOf('0 1,13 * * ? *', new Date(at + 3 * 3_600_000), dueToleranceMs(12), zone);
    // Assess
    expect(new Set(slots)).toEqual(new Set([(firing as Date).toISOString()]));
    expect(away).toBeUndefined();
  });
});

describe('the due decision for points in time at or after now, in any zone', () => {
  it.each(['UTC', 'Europe/Berlin'])(
    'in %s: a backup 2 h in the future is not due and says so; one at now is 0 h old',
    (zone) => {
      // Prepare
      const now = new Date('2026-06-01T12:00:00Z');
      const future = backup('orders', new Date('2026-06-01T14:00:00Z'));
      const current = backup('orders', now);
      // Act
      const ahead = decideDue([future], now, 24, zone);
      const atNow = decideDue([current], now, 24, zone);
      // Assess
      expect(ahead).toMatchObject({ due: false, code: 'not-due', ageMs: -7_200_000 });
      expect(ahead.reason).toBe(
        `latest snapshot ${future.id} has a point in time in the future (2h after now, from a simulated run or a clock ahead): not due`,
      );
      expect(atNow).toMatchObject({ due: false, code: 'not-due', ageMs: 0 });
      expect(atNow.reason).toContain('is 0h old, younger than BackupInterval 24h');
    },
  );
});
