// When to look again at copies in progress: the pace so far, or the size when there is no progress yet, with a margin, within a minute and four hours.
import { describe, expect, it } from 'vitest';
import {
  ASSUMED_GIB_PER_HOUR,
  checkAfterSeconds,
  MAX_CHECK_AFTER_SECONDS,
  MIN_CHECK_AFTER_SECONDS,
  remainingSeconds,
} from '../../../src/core/copies/progress-estimate.js';

/**
 * A copy of `sizeGiB` that progresses steadily for `durationSeconds`, checked when each answer says (RDS
 * reports whole percents): how many checks until one finds it done, and how long after it was.
 */
function checksOfSteadyCopy(durationSeconds: number, sizeGiB: number) {
  let at = 0;
  let checks = 0;
  let wait = checkAfterSeconds([{ percentProgress: 0, allocatedStorageGiB: sizeGiB }], 0);
  for (;;) {
    at += wait;
    checks += 1;
    if (at >= durationSeconds) return { checks, lateSeconds: at - durationSeconds };
    const percentProgress = Math.floor((at / durationSeconds) * 100);
    wait = checkAfterSeconds([{ percentProgress, allocatedStorageGiB: sizeGiB }], at);
  }
}

describe('remainingSeconds', () => {
  it('goes the rest of the way at the pace so far: elapsed × (100 − p) / p', () => {
    // Act / Assess
    expect(remainingSeconds({ percentProgress: 40 }, 1200)).toBe(1800);
    expect(remainingSeconds({ percentProgress: 25 }, 600)).toBe(1800);
    expect(remainingSeconds({ percentProgress: 1 }, 60)).toBe(5940);
    expect(remainingSeconds({ percentProgress: 99 }, 9900)).toBe(100);
  });

  it('is nothing left at 100%, and ignores the size once there is progress', () => {
    // Act / Assess
    expect(remainingSeconds({ percentProgress: 100, allocatedStorageGiB: 4096 }, 7200)).toBe(0);
    expect(remainingSeconds({ percentProgress: 50, allocatedStorageGiB: 4096 }, 60)).toBe(60);
  });

  it('with no progress (p = 0), sizes it from AllocatedStorage at 1 TiB an hour', () => {
    // Act / Assess
    expect(ASSUMED_GIB_PER_HOUR).toBe(1024);
    expect(remainingSeconds({ percentProgress: 0, allocatedStorageGiB: 2048 }, 0)).toBe(7200);
    expect(remainingSeconds({ percentProgress: 0, allocatedStorageGiB: 512 }, 0)).toBe(1800);
    expect(remainingSeconds({ allocatedStorageGiB: 20 }, 0)).toBeCloseTo(70.3125, 6);
  });

  it('with no progress, waits at least as long as it has already waited: a copy still at 0% is queued', () => {
    // Act / Assess
    expect(remainingSeconds({ percentProgress: 0, allocatedStorageGiB: 20 }, 3600)).toBe(3600);
    expect(remainingSeconds({ percentProgress: 0, allocatedStorageGiB: 2048 }, 3600)).toBe(7200);
    expect(remainingSeconds({ percentProgress: 0 }, 900)).toBe(900);
    expect(remainingSeconds({}, 0)).toBe(0);
  });

  it('reads a progress outside 0..100 and a negative elapsed time (clock skew) at the nearest bound', () => {
    // Act / Assess
    expect(remainingSeconds({ percentProgress: 120 }, 600)).toBe(0);
    expect(remainingSeconds({ percentProgress: -5, allocatedStorageGiB: 1024 }, 0)).toBe(3600);
    expect(remainingSeconds({ percentProgress: 40 }, -600)).toBe(0);
    expect(remainingSeconds({ percentProgress: 0 }, -600)).toBe(0);
  });
});

describe('checkAfterSeconds', () => {
  it('is the soonest to finish, × 1.1 and 30 s more, rounded up to a whole second', () => {
    // Act / Assess: 1,800 s left -> 1,980 + 30.
    expect(checkAfterSeconds([{ percentProgress: 40 }], 1200)).toBe(2010);
    // 1,000 s left -> 1,100 + 30; 1,001 s -> 1,101.1, rounded up.
    expect(checkAfterSeconds([{ percentProgress: 50 }], 1000)).toBe(1130);
    expect(checkAfterSeconds([{ percentProgress: 50 }], 1001)).toBe(1132);
    // The soonest of several, whatever their order.
    const several = [{ percentProgress: 10 }, { percentProgress: 40 }, { percentProgress: 20 }];
    expect(checkAfterSeconds(several, 1200)).toBe(2010);
    expect(checkAfterSeconds([...several].reverse(), 1200)).toBe(2010);
  });

  it('never waits less than a minute: 60 s exactly at the bound, and for anything at 100%', () => {
    // Act / Assess: 27 s left -> 29.7 -> 30 + 30 = 60; 28 s -> 31 + 30 = 61.
    expect(MIN_CHECK_AFTER_SECONDS).toBe(60);
    expect(checkAfterSeconds([{ percentProgress: 50 }], 27)).toBe(60);
    expect(checkAfterSeconds([{ percentProgress: 50 }], 28)).toBe(61);
    expect(checkAfterSeconds([{ percentProgress: 50 }], 1)).toBe(60);
    expect(checkAfterSeconds([{ percentProgress: 100 }], 7200)).toBe(60);
    expect(checkAfterSeconds([{ percentProgress: 0 }], 0)).toBe(60);
  });

  it('never waits more than 4 hours: 14,400 s exactly at the bound', () => {
    // Act / Assess: 13,063 s left -> 14,369.3 -> 14,370 + 30 = 14,400; one second more passes the bound.
    expect(MAX_CHECK_AFTER_SECONDS).toBe(14_400);
    expect(checkAfterSeconds([{ percentProgress: 50 }], 13_063)).toBe(14_400);
    expect(checkAfterSeconds([{ percentProgress: 50 }], 13_062)).toBe(14_399);
    expect(checkAfterSeconds([{ percentProgress: 50 }], 13_064)).toBe(14_400);
    expect(checkAfterSeconds([{ percentProgress: 1 }], 86_400)).toBe(14_400);
    expect(checkAfterSeconds([{ percentProgress: 0, allocatedStorageGiB: 65_536 }], 0)).toBe(14_400);
  });

  it('sizes the first check of a copy just started from its size: a 2 TiB copy after about two hours', () => {
    // Act / Assess: 7,200 s × 1.1 + 30.
    expect(checkAfterSeconds([{ percentProgress: 0, allocatedStorageGiB: 2048 }], 0)).toBe(7950);
    // 20 GiB: 70.3 s -> 77.3 -> 78 + 30.
    expect(checkAfterSeconds([{ percentProgress: 0, allocatedStorageGiB: 20 }], 0)).toBe(108);
  });

  it('checks a 2-hour copy of 2 TiB once, and a 14-hour first copy four times, not every minute', () => {
    // Act
    const twoHours = checksOfSteadyCopy(7200, 2048);
    const fourteenHours = checksOfSteadyCopy(14 * 3600, 2048);

    // Assess: each is found done within a quarter of an hour of finishing.
    expect(twoHours).toEqual({ checks: 1, lateSeconds: 750 });
    expect(fourteenHours).toEqual({ checks: 4, lateSeconds: 750 });
  });

  it('is the minimum when nothing is in progress', () => {
    // Act / Assess
    expect(checkAfterSeconds([], 5000)).toBe(60);
  });
});
