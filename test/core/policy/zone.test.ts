// Local time in a zone: the instant of a local wall-clock time (skipped, repeated), a fresh zone's offset on
// its change day, the local year, and a zone 14 hours ahead of UTC (Samoa).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runsBetween } from '../../../src/core/policy/schedule.js';
import {
  instantOfWallClock,
  localDay,
  localYear,
  offsetAt,
  UTC_ZONE,
} from '../../../src/core/policy/zone.js';

const H = 3_600_000;

describe('instantOfWallClock', () => {
  it('has no instant for a local time the spring-forward change skips', () => {
    // Act / Assess: Berlin went from 02:00 to 03:00 on 2025-03-30
    expect(instantOfWallClock(Date.UTC(2025, 2, 30, 2, 30), 'Europe/Berlin')).toBeUndefined();
  });

  it('takes the first occurrence of a local time the fall-back change repeats', () => {
    // Act / Assess: Berlin showed 02:30 twice on 2025-10-26, first at 00:30 UTC
    expect(instantOfWallClock(Date.UTC(2025, 9, 26, 2, 30), 'Europe/Berlin')).toBe(
      Date.UTC(2025, 9, 26, 0, 30),
    );
  });

  it('is the wall clock itself in UTC, and the offset away elsewhere', () => {
    // Act / Assess
    expect(instantOfWallClock(Date.UTC(2025, 0, 1, 12), UTC_ZONE)).toBe(Date.UTC(2025, 0, 1, 12));
    expect(instantOfWallClock(Date.UTC(2025, 0, 1, 12), 'Asia/Kolkata')).toBe(Date.UTC(2025, 0, 1, 6, 30));
  });
});

describe('offsetAt', () => {
  it('reads a half-hour zone right after its change, on the first lookup of that day', () => {
    // Act: St. John's (-3:30) moved to -2:30 at 05:30 UTC on 2025-03-09; nothing of that day was read before
    const after = offsetAt(Date.UTC(2025, 2, 9, 12), 'America/St_Johns');
    const before = offsetAt(Date.UTC(2025, 2, 9, 3), 'America/St_Johns');

    // Assess
    expect(after).toBe(-2.5 * H);
    expect(before).toBe(-3.5 * H);
  });
});

describe('the cost of reading a zone: Intl is asked once for each end of a day, and again only across a change', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads a day without a change with two lookups and a day with one by bisection to the second, each once', () => {
    // Prepare: Lord Howe (+10:30 / +11) is read by no other test; it went back half an hour at 15:00 UTC on 2025-04-05
    const reads = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const zone = 'Australia/Lord_Howe';
    // Act
    const plain = offsetAt(Date.UTC(2025, 0, 10, 12), zone);
    const plainReads = reads.mock.calls.length;
    const change = [
      offsetAt(Date.UTC(2025, 3, 5, 14, 59, 59), zone),
      offsetAt(Date.UTC(2025, 3, 5, 15), zone),
    ];
    const changeReads = reads.mock.calls.length - plainReads;
    offsetAt(Date.UTC(2025, 0, 10, 1), zone);
    offsetAt(Date.UTC(2025, 3, 5, 20), zone);
    // Assess: both ends of the plain day; both ends and 17 halvings of 86,400 seconds on the change day; no more
    expect(plain).toBe(11 * H);
    expect(change).toEqual([11 * H, 10.5 * H]);
    expect(plainReads).toBe(2);
    expect(changeReads).toBe(2 + 17);
    expect(reads).toHaveBeenCalledTimes(2 + 2 + 17);
  });
});

describe('localYear', () => {
  it('is the local year, which differs from UTC around New Year', () => {
    // Act / Assess
    expect(localYear(Date.UTC(2024, 11, 31, 23, 30), 'Europe/Berlin')).toBe('2025');
    expect(localYear(Date.UTC(2024, 11, 31, 23, 30), UTC_ZONE)).toBe('2024');
  });
});

describe('a zone 14 hours ahead of UTC (Samoa, Pacific/Apia)', () => {
  it('takes the first of the two 03:30 when clocks went back from UTC+14 to UTC+13 on 2012-04-01', () => {
    // Act / Assess: 04:00 became 03:00 at 14:00 UTC on 2012-03-31; 03:30 was first at 13:30 UTC
    expect(instantOfWallClock(Date.UTC(2012, 3, 1, 3, 30), 'Pacific/Apia')).toBe(
      Date.UTC(2012, 2, 31, 13, 30),
    );
  });

  it('fires a daily 03:30 schedule once on 2012-04-01, at the first 03:30', () => {
    // Act
    const runs = runsBetween(
      'cron(30 3 * * ? *)',
      new Date('2012-03-30T00:00:00Z'),
      new Date('2012-04-02T00:00:00Z'),
      10,
      'Pacific/Apia',
    );

    // Assess: 03:30 of 31 March and of 1 April at UTC+14, of 2 April at UTC+13; the second 03:30 of 1 April
    // (14:30 UTC) is not a run
    expect(runs.map((r) => r.toISOString())).toEqual([
      '2012-03-30T13:30:00.000Z',
      '2012-03-31T13:30:00.000Z',
      '2012-04-01T14:30:00.000Z',
    ]);
  });

  it('has no 30 December 2011: the day Samoa moved from UTC-10 to UTC+14', () => {
    // Act / Assess: 2011-12-29 24:00 (UTC-10) became 2011-12-31 00:00 (UTC+14) at 10:00 UTC on 2011-12-30
    for (const hour of [0, 9, 12, 23]) {
      expect(
        instantOfWallClock(Date.UTC(2011, 11, 30, hour, 30), 'Pacific/Apia'),
        `${hour}:30`,
      ).toBeUndefined();
    }
    expect(instantOfWallClock(Date.UTC(2011, 11, 29, 23, 59), 'Pacific/Apia')).toBe(
      Date.UTC(2011, 11, 30, 9, 59),
    );
    expect(instantOfWallClock(Date.UTC(2011, 11, 31, 0, 0), 'Pacific/Apia')).toBe(
      Date.UTC(2011, 11, 30, 10, 0),
    );
    expect(localDay(Date.UTC(2011, 11, 30, 9, 59, 59, 999), 'Pacific/Apia')).toBe('2011-12-29');
    expect(localDay(Date.UTC(2011, 11, 30, 10), 'Pacific/Apia')).toBe('2011-12-31');
  });
});
