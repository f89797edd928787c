// Local time in a zone: the instant of a local wall-clock time (skipped, repeated), a fresh zone's offset on
// its change day, and the local year.
import { describe, expect, it } from 'vitest';
import { instantOfWallClock, localYear, offsetAt, UTC_ZONE } from '../../src/core/zone.js';

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

describe('localYear', () => {
  it('is the local year, which differs from UTC around New Year', () => {
    // Act / Assess
    expect(localYear(Date.UTC(2024, 11, 31, 23, 30), 'Europe/Berlin')).toBe('2025');
    expect(localYear(Date.UTC(2024, 11, 31, 23, 30), UTC_ZONE)).toBe('2024');
  });
});
