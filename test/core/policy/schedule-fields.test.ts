// EventBridge cron expressions field by field: what each field accepts, the exact reason a refusal gives
// (it is shown to the user naming BackupSchedule or Schedule), and run times computed in UTC.
import { describe, expect, it } from 'vitest';
import {
  checkEventBridgeCron,
  innerOf,
  longestRunGap,
  nextRun,
  runsBetween,
} from '../../../src/core/policy/schedule.js';

const MONTHS = 'JAN,FEB,MAR,APR,MAY,JUN,JUL,AUG,SEP,OCT,NOV,DEC';
const DAYS = 'SUN,MON,TUE,WED,THU,FRI,SAT';

describe('checkEventBridgeCron: accepted', () => {
  it.each([
    ['bare', '0 1 * * ? *'],
    ['with spaces around', '  0 1 * * ? *  '],
    ['with several spaces between fields', '0  1\t* * ? *'],
    ['a step over every minute', '*/15 * * * ? *'],
    ['a step from a start', '0/15 * * * ? *'],
    ['a list', '0 0,8,16 * * ? *'],
    ['ranges of hours and day names', '0 8-17 ? * MON-FRI *'],
    ['day names in lowercase', '0 0 ? * mon-fri *'],
    ['month names in lowercase', '0 0 1 jan ? *'],
    ['the last day of the month', '0 0 L * ? *'],
    ['the last weekday of the month', '0 0 LW * ? *'],
    ['the weekday nearest the 15th', '0 0 15W * ? *'],
    ['the last Friday', '0 0 ? * 6L *'],
    ['the last day of the week (Saturday)', '0 0 ? * L *'],
    ['a range that wraps past midnight', '0 22-2 * * ? *'],
    ['a range of minutes that wraps past the hour', '50-10 * * * ? *'],
    ['a range of days that wraps past the month’s end', '0 0 28-3 * ? *'],
    ['the weekday nearest the 1st', '0 0 1W * ? *'],
    ['the weekday nearest the 31st', '0 0 31W * ? *'],
    ['the first Monday by number', '0 0 ? * 2#1 *'],
    ['the first Monday by name', '0 0 ? * MON#1 *'],
    ['a month step and a year range', '0 0 1 1-12/2 ? 2030-2199'],
    ['the bounds of every field', '59 23 31 12 ? 2199'],
    ['the lower bounds', '0 0 1 1 ? 2030'],
    ['every day of the week by number', '0 0 ? * 1-7 *'],
  ])('%s: %s', (_label, expression) => {
    // Act / Assess
    expect(checkEventBridgeCron(expression)).toEqual({ ok: true });
  });
});

describe('checkEventBridgeCron: refused, with the reason', () => {
  it.each([
    ['0 1 * * *', 'needs 6 fields (minutes hours day-of-month month day-of-week year), found 5'],
    ['0 1 * * ? * *', 'needs 6 fields (minutes hours day-of-month month day-of-week year), found 7'],
    ['xcron(0 1 * * ? *)', 'invalid "XCRON(0" in minutes (allowed 0-59)'],
    [
      'cron(0 1 * * ? *)',
      'write the 6 fields without "cron(...)": the stack writes cron(...) around them itself',
    ],
    [
      'cron(0 1 * * ? *)x',
      'write the 6 fields without "cron(...)": the stack writes cron(...) around them itself',
    ],
    ['60 1 * * ? *', 'invalid "60" in minutes (allowed 0-59)'],
    ['0 24 * * ? *', 'invalid "24" in hours (allowed 0-23)'],
    ['0 0 0 * ? *', 'invalid "0" in day-of-month (allowed 1-31)'],
    ['0 0 32 * ? *', 'invalid "32" in day-of-month (allowed 1-31)'],
    ['0 0 1 13 ? *', `invalid "13" in month (allowed 1-12 or ${MONTHS})`],
    ['0 0 1 0 ? *', `invalid "0" in month (allowed 1-12 or ${MONTHS})`],
    ['0 0 1 JANX ? *', `invalid "JANX" in month (allowed 1-12 or ${MONTHS})`],
    ['0 0 ? * 8 *', `invalid "8" in day-of-week (allowed 1-7 or ${DAYS})`],
    ['0 0 ? * 0 *', `invalid "0" in day-of-week (allowed 1-7 or ${DAYS})`],
    ['0 0 ? * 8L *', `invalid "8L" in day-of-week (allowed 1-7 or ${DAYS})`],
    ['0 0 ? * MON#6 *', `invalid "MON#6" in day-of-week (allowed 1-7 or ${DAYS})`],
    ['0 0 ? * 123#1 *', `invalid "123#1" in day-of-week (allowed 1-7 or ${DAYS})`],
    ['0 0 ? * XMON#1 *', `invalid "XMON#1" in day-of-week (allowed 1-7 or ${DAYS})`],
    ['0 0 ? * MON#1X *', `invalid "MON#1X" in day-of-week (allowed 1-7 or ${DAYS})`],
    ['0 0 1 * ? 1969', 'invalid "1969" in year (allowed 1970-2199)'],
    ['0 0 1 * ? 2200', 'invalid "2200" in year (allowed 1970-2199)'],
    ['0 0 LX * ? *', 'invalid "LX" in day-of-month (allowed 1-31)'],
    ['0 0 XLW * ? *', 'invalid "XLW" in day-of-month (allowed 1-31)'],
    ['? 0 * * ? *', 'invalid "?" in minutes (allowed 0-59)'],
    ['0 ? * * ? *', 'invalid "?" in hours (allowed 0-23)'],
    ['0 0 1 ? ? *', `invalid "?" in month (allowed 1-12 or ${MONTHS})`],
    ['0 0 1 * ? ?', 'invalid "?" in year (allowed 1970-2199)'],
    [
      '0 0 */40 * ? *',
      'this tool cannot compute its run times (its calendar library refuses it): write it with plainer values, such as a step no longer than the field',
    ],
    ['undefined 0 * * ? *', 'invalid "UNDEFINED" in minutes (allowed 0-59)'],
    ['1e1 0 * * ? *', 'invalid "1E1" in minutes (allowed 0-59)'],
    ['0x1 0 * * ? *', 'invalid "0X1" in minutes (allowed 0-59)'],
    ['0 0 1/0 * ? *', 'invalid step "0" in day-of-month'],
    ['0 0 1/x * ? *', 'invalid step "X" in day-of-month'],
    ['0 0 1/1e1 * ? *', 'invalid step "1E1" in day-of-month'],
    ['0 0 1/0x1 * ? *', 'invalid step "0X1" in day-of-month'],
    ['0 0 1/2/3 * ? *', 'invalid "1/2/3" in day-of-month'],
    ['0 0 /2 * ? *', 'invalid "/2" in day-of-month'],
    ['0 0 1-2-3 * ? *', 'invalid "1-2-3" in day-of-month (allowed 1-31)'],
    ['0 0 1-40 * ? *', 'invalid "1-40" in day-of-month (allowed 1-31)'],
    ['0 0 40-1 * ? *', 'invalid "40-1" in day-of-month (allowed 1-31)'],
    ['0 0 * * * *', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['0 0 ? * ? *', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['0 0 31 2 ? *', 'it never runs (no future time matches)'],
    ['0 0 1 1 ? 2020', 'it never runs (no future time matches)'],
  ])('%s', (expression, reason) => {
    // Act / Assess
    expect(checkEventBridgeCron(expression)).toEqual({ ok: false, reason });
  });

  it('refuses a W day no month has, in the terms of the field rather than of the calendar library', () => {
    // Act / Assess
    expect(checkEventBridgeCron('0 0 32W * ? *')).toEqual({
      ok: false,
      reason: 'invalid "32W" in day-of-month (allowed 1-31)',
    });
    expect(checkEventBridgeCron('0 0 0W * ? *')).toEqual({
      ok: false,
      reason: 'invalid "0W" in day-of-month (allowed 1-31)',
    });
  });

  it('refuses a range of years that runs backward, the one field whose ranges do not wrap', () => {
    // Act / Assess
    expect(checkEventBridgeCron('0 0 1 1 ? 2035-2030')).toEqual({
      ok: false,
      reason: 'invalid "2035-2030" in year: a range of years must run forward (such as 2030-2035)',
    });
  });

  it('names a rate(...) expression as such, whatever follows it', () => {
    // Act / Assess
    expect(checkEventBridgeCron('rate(5 minutes) cron(0 1 * * ? *)')).toEqual({
      ok: false,
      reason: 'only cron fields are taken here, not a rate(...) or at(...) expression',
    });
  });
});

describe('innerOf', () => {
  it('takes off a cron(...) around the whole expression only', () => {
    // Act / Assess
    expect(innerOf(' cron(0 1 * * ? *) ')).toBe('0 1 * * ? *');
    expect(innerOf('xcron(0 1 * * ? *)')).toBe('xcron(0 1 * * ? *)');
    expect(innerOf('cron(0 1 * * ? *)x')).toBe('cron(0 1 * * ? *)x');
  });
});

describe('longestRunGap', () => {
  it('finds the longest wait of a dense schedule at the change of the zone’s offset: an hourly run in Berlin waits two hours when 02:30 repeats', () => {
    // Prepare: more runs than are read over the whole horizon, so only the days around each change are read
    const from = new Date('2027-01-01T00:00:00Z');

    // Act
    const gap = longestRunGap('30 * * * ? *', from, 'Europe/Berlin');

    // Assess: 02:30 CEST (00:30Z) runs; 02:30 CET again an hour later does not; then 03:30 CET (02:30Z)
    expect(gap).toEqual({
      hours: 2,
      after: new Date('2027-10-31T00:30:00Z'),
      before: new Date('2027-10-31T02:30:00Z'),
    });
  });

  it('reads the day before a change too: runs every five minutes of 23:00 in Berlin wait 24 h 5 min across the fall-back night', () => {
    // Prepare: dense (12 runs a day), and the change on 2027-10-31 at 01:00 UTC lies past the first 1,500 runs
    const from = new Date('2027-01-01T00:00:00Z');

    // Act
    const gap = longestRunGap('*/5 23 * * ? *', from, 'Europe/Berlin');

    // Assess: the last run before the change is the evening before, 23:55 CEST (21:55Z); the next, 23:00 CET
    expect(gap).toEqual({
      hours: 24 + 5 / 60,
      after: new Date('2027-10-30T21:55:00Z'),
      before: new Date('2027-10-31T22:00:00Z'),
    });
  });

  it('is an hour for the same schedule in UTC, which never changes its offset', () => {
    // Act
    const gap = longestRunGap('30 * * * ? *', new Date('2027-01-01T00:00:00Z'));

    // Assess
    expect(gap?.hours).toBe(1);
  });
});

describe('run times', () => {
  const FROM = new Date('2025-03-01T00:00:00.000Z'); // a Saturday

  it('reads day-of-week as EventBridge does: 1 is Sunday', () => {
    // Act / Assess
    expect(nextRun('0 0 ? * 1 *', FROM)?.toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(nextRun('0 0 ? * 2 *', FROM)?.toISOString()).toBe('2025-03-03T00:00:00.000Z');
  });

  it('computes in UTC whatever the time zone of the process', () => {
    // Prepare
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // Act
      const next = nextRun('0 1 * * ? *', FROM);
      const runs = runsBetween('cron(0 1 * * ? *)', FROM, new Date('2025-03-02T12:00:00.000Z'));

      // Assess
      expect(next?.toISOString()).toBe('2025-03-01T01:00:00.000Z');
      expect(runs.map((d) => d.toISOString())).toEqual([
        '2025-03-01T01:00:00.000Z',
        '2025-03-02T01:00:00.000Z',
      ]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('gives the next run in a time zone, and none once the schedule has ended', () => {
    // Act / Assess: 01:00 in Berlin is 00:00 UTC in winter, 23:00 UTC the day before in summer
    expect(nextRun('0 1 * * ? *', new Date('2025-03-01T00:30:00.000Z'), 'Europe/Berlin')?.toISOString()).toBe(
      '2025-03-02T00:00:00.000Z',
    );
    expect(nextRun('0 1 * * ? *', new Date('2025-07-01T00:00:00.000Z'), 'Europe/Berlin')?.toISOString()).toBe(
      '2025-07-01T23:00:00.000Z',
    );
    expect(
      nextRun('0 1 1 1 ? 2030', new Date('2025-03-01T00:00:00.000Z'), 'Europe/Berlin')?.toISOString(),
    ).toBe('2030-01-01T00:00:00.000Z');
    expect(nextRun('0 1 1 1 ? 2026', new Date('2026-06-01T00:00:00.000Z'), 'Europe/Berlin')).toBeUndefined();
  });

  it('reads a range whose two ends are the same as that one value, not as a range that wraps', () => {
    // Act
    const runs = runsBetween('5-5 0 * * ? *', FROM, new Date('2025-03-02T00:00:00.000Z'));
    // Assess
    expect(runs).toEqual([new Date('2025-03-01T00:05:00.000Z')]);
  });

  it('reads an expression wrapped in cron(), with spaces around or between the fields', () => {
    // Act / Assess
    expect(nextRun(' cron(0 1 * * ? *) ', FROM)?.toISOString()).toBe('2025-03-01T01:00:00.000Z');
    expect(nextRun('0  2 * * ? *', FROM)?.toISOString()).toBe('2025-03-01T02:00:00.000Z');
    expect(runsBetween('  0 3 * * ? *', FROM, new Date('2025-03-01T04:00:00.000Z'))).toEqual([
      new Date('2025-03-01T03:00:00.000Z'),
    ]);
  });
});
