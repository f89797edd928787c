// The days a zone changes its offset, read first thing in a fresh process: the cache of days must never file
// a change day under one offset, nor lose the second of a change or the millisecond of an instant. Zones used
// nowhere else in the unit tests, so no other test has read (and cached) these days before, and zones whose
// 1970 offset equals one side of each change.
import { describe, expect, it } from 'vitest';
import { nextRun } from '../../../src/core/policy/schedule.js';
import { instantOfWallClock, wallClock } from '../../../src/core/policy/zone.js';

const HOUR = 3_600_000;
const offsetHours = (iso: string, zone: string) =>
  (wallClock(Date.parse(iso), zone) - Date.parse(iso)) / HOUR;
/** The local wall clock of an instant, written as an ISO time without zone. */
const local = (iso: string, zone: string) =>
  new Date(wallClock(Date.parse(iso), zone)).toISOString().slice(0, 23);

describe('offsets on the days a zone changes', () => {
  it('reads the summer offset before the fall-back change and the winter one after it (Vienna, 2025-10-26)', () => {
    expect(offsetHours('2025-10-26T00:30:00Z', 'Europe/Vienna')).toBe(2);
    expect(offsetHours('2025-10-26T01:30:00Z', 'Europe/Vienna')).toBe(1);
  });

  it('reads the winter offset before the spring-forward change and the summer one after it (Chicago, 2025-03-09)', () => {
    expect(offsetHours('2025-03-09T07:30:00Z', 'America/Chicago')).toBe(-6);
    expect(offsetHours('2025-03-09T20:00:00Z', 'America/Chicago')).toBe(-5);
  });

  it("shows Paris's fall-back hour twice, 02:07 first in summer time (Paris, 2026-10-25)", () => {
    // Act / Assess: clocks went from 03:00 CEST back to 02:00 CET at 01:00 UTC
    expect(local('2026-10-25T00:07:00Z', 'Europe/Paris')).toBe('2026-10-25T02:07:00.000');
    expect(local('2026-10-25T00:59:59.999Z', 'Europe/Paris')).toBe('2026-10-25T02:59:59.999');
    expect(local('2026-10-25T01:00:00Z', 'Europe/Paris')).toBe('2026-10-25T02:00:00.000');
    expect(local('2026-10-25T01:07:00Z', 'Europe/Paris')).toBe('2026-10-25T02:07:00.000');
    expect(instantOfWallClock(Date.UTC(2026, 9, 25, 2, 7), 'Europe/Paris')).toBe(
      Date.parse('2026-10-25T00:07:00Z'),
    );
  });

  it('moves Los Angeles from 01:59:59 to 03:00 and has no 02:30 (Los Angeles, 2028-03-12)', () => {
    // Act / Assess: clocks went from 02:00 PST forward to 03:00 PDT at 10:00 UTC
    expect(local('2028-03-12T09:59:59.999Z', 'America/Los_Angeles')).toBe('2028-03-12T01:59:59.999');
    expect(local('2028-03-12T10:00:00Z', 'America/Los_Angeles')).toBe('2028-03-12T03:00:00.000');
    expect(instantOfWallClock(Date.UTC(2028, 2, 12, 2, 30), 'America/Los_Angeles')).toBeUndefined();
    expect(instantOfWallClock(Date.UTC(2028, 2, 12, 3, 30), 'America/Los_Angeles')).toBe(
      Date.parse('2028-03-12T10:30:00Z'),
    );
    expect(instantOfWallClock(Date.UTC(2028, 2, 12, 1, 30), 'America/Los_Angeles')).toBe(
      Date.parse('2028-03-12T09:30:00Z'),
    );
  });

  it("keeps an instant's milliseconds in its wall clock, on a change day and off it (Vienna, 2025-10-26)", () => {
    expect(local('2025-10-26T00:59:59.999Z', 'Europe/Vienna')).toBe('2025-10-26T02:59:59.999');
    expect(local('2025-10-26T01:00:00.001Z', 'Europe/Vienna')).toBe('2025-10-26T02:00:00.001');
    expect(local('2025-11-03T12:34:56.789Z', 'Europe/Vienna')).toBe('2025-11-03T13:34:56.789');
  });

  it("reads Monrovia's offset of -0:44:30 to the second, and its change to GMT at 00:44:30 UTC (Monrovia, 1972-01-07)", () => {
    // Act / Assess: Liberia's clocks showed 1972-01-06 23:59:59, then 1972-01-07 00:44:30
    expect(local('1971-06-01T00:00:00Z', 'Africa/Monrovia')).toBe('1971-05-31T23:15:30.000');
    expect(local('1972-01-07T00:44:29.500Z', 'Africa/Monrovia')).toBe('1972-01-06T23:59:59.500');
    expect(local('1972-01-07T00:44:30Z', 'Africa/Monrovia')).toBe('1972-01-07T00:44:30.000');
    expect(local('1972-01-07T00:44:45Z', 'Africa/Monrovia')).toBe('1972-01-07T00:44:45.000');
  });
});

describe("nextRun whatever the machine's time zone", () => {
  it('reads a UTC schedule in UTC on a machine set to another zone (the CLI on a laptop in Tokyo)', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      expect(nextRun('cron(0 1 * * ? *)', new Date('2026-12-02T00:00:00Z'))).toEqual(
        new Date('2026-12-02T01:00:00Z'),
      );
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('nextRun far ahead', () => {
  it('finds a run more than 2,048 days ahead in a zone (a schedule with a year)', () => {
    expect(nextRun('cron(0 0 1 1 ? 2033)', new Date('2026-12-02T00:00:00Z'), 'Europe/Vienna')).toEqual(
      new Date('2032-12-31T23:00:00Z'),
    );
  });
});
