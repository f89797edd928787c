// BackupSchedule against the cron syntax AWS documents for EventBridge Scheduler, both ways: every documented
// form is accepted by the configuration and its runs computed as Scheduler fires them; everything else is
// refused naming the parameter and the value, in the parameter's terms (never the calendar library's).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { runsBetween } from '../../src/core/policy/schedule.js';

const FROM = new Date('2025-03-01T00:00:00.000Z'); // a Saturday
const UNTIL = new Date('2040-01-01T00:00:00.000Z');

function firstRuns(expression: string, zone = 'UTC'): string[] {
  return runsBetween(expression, FROM, UNTIL, 3, zone).map((d) => d.toISOString().slice(0, 16));
}

function scheduleIssues(expression: string): { parameter: string; value?: unknown; message: string }[] {
  try {
    parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: 'orders', BackupSchedule: expression },
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  return [];
}

describe('BackupSchedule: the expressions AWS documents are accepted and run when Scheduler runs them', () => {
  it.each([
    // The examples of AWS's cron expressions reference.
    ['10:00 every day', '0 10 * * ? *', ['2025-03-01T10:00', '2025-03-02T10:00', '2025-03-03T10:00']],
    ['12:15 every day', '15 12 * * ? *', ['2025-03-01T12:15', '2025-03-02T12:15', '2025-03-03T12:15']],
    [
      '18:00 Monday to Friday',
      '0 18 ? * MON-FRI *',
      ['2025-03-03T18:00', '2025-03-04T18:00', '2025-03-05T18:00'],
    ],
    ['08:00 on the 1st', '0 8 1 * ? *', ['2025-03-01T08:00', '2025-04-01T08:00', '2025-05-01T08:00']],
    ['every 15 minutes', '0/15 * * * ? *', ['2025-03-01T00:15', '2025-03-01T00:30', '2025-03-01T00:45']],
    [
      'every 10 minutes on weekdays',
      '0/10 * ? * MON-FRI *',
      ['2025-03-03T00:00', '2025-03-03T00:10', '2025-03-03T00:20'],
    ],
    [
      'every 5 minutes 08:00-17:55 on weekdays',
      '0/5 8-17 ? * MON-FRI *',
      ['2025-03-03T08:00', '2025-03-03T08:05', '2025-03-03T08:10'],
    ],
    [
      'every 30 minutes 20:00 to 02:30, weekdays (a range past midnight)',
      '0/30 20-2 ? * MON-FRI *',
      ['2025-03-03T00:00', '2025-03-03T00:30', '2025-03-03T01:00'],
    ],
    // Each wildcard as the reference describes it.
    [
      ', in month (JAN,FEB,MAR)',
      '0 0 1 JAN,FEB,MAR ? *',
      ['2026-01-01T00:00', '2026-02-01T00:00', '2026-03-01T00:00'],
    ],
    [
      '- in day-of-month (1-15)',
      '0 0 1-15 * ? *',
      ['2025-03-02T00:00', '2025-03-03T00:00', '2025-03-04T00:00'],
    ],
    ['/ in minutes (1/10)', '1/10 * * * ? *', ['2025-03-01T00:01', '2025-03-01T00:11', '2025-03-01T00:21']],
    [
      '* and ? (day 7, any day of the week)',
      '0 0 7 * ? *',
      ['2025-03-07T00:00', '2025-04-07T00:00', '2025-05-07T00:00'],
    ],
    [
      'L in day-of-month (the last day)',
      '0 0 L * ? *',
      ['2025-03-31T00:00', '2025-04-30T00:00', '2025-05-31T00:00'],
    ],
    [
      'L in day-of-week (the last day of the week, Saturday)',
      '0 1 ? * L *',
      ['2025-03-01T01:00', '2025-03-08T01:00', '2025-03-15T01:00'],
    ],
    [
      'W (the weekday nearest the 3rd; 3 May 2025 is a Saturday)',
      '0 0 3W * ? *',
      ['2025-03-03T00:00', '2025-04-03T00:00', '2025-05-02T00:00'],
    ],
    [
      '# (3#2, the second Tuesday)',
      '0 0 ? * 3#2 *',
      ['2025-03-11T00:00', '2025-04-08T00:00', '2025-05-13T00:00'],
    ],
    ['# with a day name', '0 0 ? * MON#1 *', ['2025-03-03T00:00', '2025-04-07T00:00', '2025-05-05T00:00']],
    [
      'nL (6L, the last Friday)',
      '0 0 ? * 6L *',
      ['2025-03-28T00:00', '2025-04-25T00:00', '2025-05-30T00:00'],
    ],
    [
      'LW (the last weekday; 31 May 2025 is a Saturday)',
      '0 0 LW * ? *',
      ['2025-03-31T00:00', '2025-04-30T00:00', '2025-05-30T00:00'],
    ],
    ['day-of-week 1 is Sunday', '0 0 ? * 1 *', ['2025-03-02T00:00', '2025-03-09T00:00', '2025-03-16T00:00']],
    [
      'a day range past Saturday (FRI-MON)',
      '0 0 ? * FRI-MON *',
      ['2025-03-02T00:00', '2025-03-03T00:00', '2025-03-07T00:00'],
    ],
    [
      'a month range past December (NOV-FEB)',
      '0 0 1 NOV-FEB ? *',
      ['2025-11-01T00:00', '2025-12-01T00:00', '2026-01-01T00:00'],
    ],
    [
      'names in lower case',
      '0 0 ? jan-mar mon *',
      ['2025-03-03T00:00', '2025-03-10T00:00', '2025-03-17T00:00'],
    ],
    ['a range of years', '0 0 1 1 ? 2030-2199', ['2030-01-01T00:00', '2031-01-01T00:00', '2032-01-01T00:00']],
    ['/ in year', '0 0 1 1 ? 2030/3', ['2030-01-01T00:00', '2033-01-01T00:00', '2036-01-01T00:00']],
    ['the bounds of every field', '59 23 31 12 ? 2199', ['2199-12-31T23:59']],
  ])('%s: %s', (_label, expression, runs) => {
    // Act
    const issues = scheduleIssues(expression);
    const computed = runsBetween(expression, FROM, new Date('2200-01-01T00:00:00Z'), 3).map((d) =>
      d.toISOString().slice(0, 16),
    );

    // Assess
    expect(issues).toEqual([]);
    expect(computed).toEqual(runs);
  });

  it('computes L, W and # on the wall clock of ScheduleTimezone', () => {
    // Act / Assess: 01:00 in Berlin is 00:00 UTC in winter; the last Saturday of March 2025 is in summer time
    expect(firstRuns('0 1 ? * L *', 'Europe/Berlin')).toEqual([
      '2025-03-08T00:00',
      '2025-03-15T00:00',
      '2025-03-22T00:00',
    ]);
    expect(firstRuns('0 1 ? * 7L *', 'Europe/Berlin')).toEqual([
      '2025-03-29T00:00',
      '2025-04-25T23:00',
      '2025-05-30T23:00',
    ]);
    expect(firstRuns('0 1 LW * ? *', 'America/New_York')).toEqual([
      '2025-03-31T05:00',
      '2025-04-30T05:00',
      '2025-05-30T05:00',
    ]);
    expect(firstRuns('0 1 ? * 2#1 *', 'Asia/Tokyo')).toEqual([
      '2025-03-02T16:00',
      '2025-04-06T16:00',
      '2025-05-04T16:00',
    ]);
  });
});

describe('BackupSchedule: what EventBridge refuses is refused, in the parameter’s terms', () => {
  it.each([
    ['cron(0 1 * * ? *)', 'without "cron(...)": the stack writes cron(...) around them itself'],
    [' cron(0 1 * * ? *) ', 'without "cron(...)"'],
    ['rate(1 day)', 'not a rate(...)'],
    ['0 1 * * *', 'needs 6 fields (minutes hours day-of-month month day-of-week year), found 5'],
    ['0 1 * * ? * *', 'found 7'],
    ['60 1 * * ? *', 'invalid "60" in minutes (allowed 0-59)'],
    ['0 24 * * ? *', 'invalid "24" in hours (allowed 0-23)'],
    ['0 0 32 * ? *', 'invalid "32" in day-of-month (allowed 1-31)'],
    ['0 0 1 13 ? *', 'invalid "13" in month'],
    ['0 0 ? * 0 *', 'invalid "0" in day-of-week'],
    ['0 0 1 * ? 2200', 'invalid "2200" in year (allowed 1970-2199)'],
    ['0 0 * * * *', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['0 0 1 * MON *', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['? 0 * * ? *', 'invalid "?" in minutes'],
    ['0 L * * ? *', 'invalid "L" in hours'],
    ['0 0 1 L ? *', 'invalid "L" in month'],
    ['0 0 W * ? *', 'invalid "W" in day-of-month'],
    ['0 0 32W * ? *', 'invalid "32W" in day-of-month (allowed 1-31)'],
    ['0 0 L-2 * ? *', 'invalid "L-2" in day-of-month'],
    ['0 0 1,L * ? *', 'L must be the whole field'],
    ['0 0 15W,1 * ? *', '15W must be the whole field'],
    ['0 0 ? * 1L,7L *', '1L must be the whole field'],
    ['0 0 ? * 3#1,6#3 *', 'with # the field holds one expression only'],
    ['0 0 ? * 3#6 *', 'invalid "3#6" in day-of-week'],
    ['0 0 ? * 8L *', 'invalid "8L" in day-of-week'],
    ['0 0 ? * 6-7#L *', 'invalid "6-7#L" in day-of-week'],
    ['0 0 ? * 1/2 *', 'EventBridge takes no / step there'],
    ['0 0 ? * 1W *', 'invalid "1W" in day-of-week'],
    ['*/0 * * * ? *', 'invalid step "0" in minutes'],
    ['0 0 1 1 ? 2199-2030', 'a range of years must run forward'],
    ['0 0 31 2 ? *', 'it never runs (no future time matches)'],
    ['0 0 1 1 ? 2020', 'it never runs (no future time matches)'],
  ])('%s', (expression, reason) => {
    // Act
    const [issue, ...rest] = scheduleIssues(expression);

    // Assess
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ parameter: 'Source.BackupSchedule', value: expression });
    expect(issue?.message).toMatch(
      /^must be a 6-field EventBridge cron expression such as "0 0,8,16 \* \* \? \*": /,
    );
    expect(issue?.message).toContain(reason);
    expect(issue?.message).not.toMatch(/CronPattern|is not a number|Syntax error|illegal|NaN|undefined/);
  });
});
