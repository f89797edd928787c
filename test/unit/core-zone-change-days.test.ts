// The days a zone changes its offset, read first thing in a fresh process: the cache of steady days must
// never file a change day under one offset. Zones used nowhere else in the unit tests, so no other test
// has read (and cached) these days before, and zones whose 1970 offset equals one side of each change.
import { describe, expect, it } from 'vitest';
import { nextRun } from '../../src/core/schedule.js';
import { wallClock } from '../../src/core/zone.js';

const HOUR = 3_600_000;
const offsetHours = (iso: string, zone: string) =>
  (wallClock(Date.parse(iso), zone) - Date.parse(iso)) / HOUR;

describe('offsets on the days a zone changes', () => {
  it('reads the summer offset before the fall-back change and the winter one after it (Vienna, 2025-10-26)', () => {
    expect(offsetHours('2025-10-26T00:30:00Z', 'Europe/Vienna')).toBe(2);
    expect(offsetHours('2025-10-26T01:30:00Z', 'Europe/Vienna')).toBe(1);
  });

  it('reads the winter offset before the spring-forward change and the summer one after it (Chicago, 2025-03-09)', () => {
    expect(offsetHours('2025-03-09T07:30:00Z', 'America/Chicago')).toBe(-6);
    expect(offsetHours('2025-03-09T20:00:00Z', 'America/Chicago')).toBe(-5);
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
