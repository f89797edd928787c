// EventBridge cron: validation with the reason, and the run times the simulations step through.
import { describe, expect, it } from 'vitest';
import { checkEventBridgeCron, nextRun, runsBetween } from '../../../src/core/policy/schedule.js';

describe('checkEventBridgeCron', () => {
  it.each([
    '0 1 * * ? *',
    '0 0,8,16 * * ? *',
    '0/15 * ? * MON-FRI *',
    '0 12 L * ? *',
    '0 12 15W * ? *',
    '0 12 ? * 6#3 *',
    '0 12 ? JAN-MAR 2L 2030',
    '30 2 1 1,6 ? 2025-2199',
  ])('accepts %s', (expression) => {
    // Act / Assess
    expect(checkEventBridgeCron(expression)).toEqual({ ok: true });
  });

  it.each([
    ['0 1 * * *', 'needs 6 fields'],
    ['60 1 * * ? *', 'minutes'],
    ['0 24 * * ? *', 'hours'],
    ['0 1 * * * *', 'exactly one of day-of-month and day-of-week'],
    ['0 1 ? * ? *', 'exactly one of day-of-month and day-of-week'],
    ['0/0 1 * * ? *', 'step "0"'],
    ['0 1 * FOO ? *', 'month'],
    ['0 1 * * ? 1969', 'year'],
    ['0 1-2-3 * * ? *', 'hours'],
    ['0 1 31 2 ? *', 'never runs'],
    ['0 1 * * ? 2020', 'never runs'],
    ['0 1/2/3 * * ? *', '"1/2/3"'],
    ['0 , * * ? *', 'in hours'],
  ])('rejects %s with a reason naming the problem', (expression, reason) => {
    // Act
    const check = checkEventBridgeCron(expression);

    // Assess
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason.toLowerCase()).toContain(reason.toLowerCase());
  });
});

describe('runsBetween and nextRun', () => {
  it('lists the runs strictly after the start and up to the end, in UTC', () => {
    // Act
    const runs = runsBetween(
      '0 0,8,16 * * ? *',
      new Date('2025-03-01T00:00:00Z'),
      new Date('2025-03-02T00:00:00Z'),
    );

    // Assess
    expect(runs.map((r) => r.toISOString())).toEqual([
      '2025-03-01T08:00:00.000Z',
      '2025-03-01T16:00:00.000Z',
      '2025-03-02T00:00:00.000Z',
    ]);
  });

  it('stops at the limit and when the schedule ends', () => {
    // Act
    const limited = runsBetween(
      'cron(0 * * * ? *)',
      new Date('2025-03-01T00:00:00Z'),
      new Date('2025-04-01T00:00:00Z'),
      5,
    );
    const ended = runsBetween(
      '0 0 1 1 ? 2025',
      new Date('2025-06-01T00:00:00Z'),
      new Date('2030-01-01T00:00:00Z'),
    );

    // Assess
    expect(limited).toHaveLength(5);
    expect(ended).toEqual([]);
  });

  it('gives the next run, or none once the schedule has ended', () => {
    // Act / Assess
    expect(nextRun('0 1 * * ? *', new Date('2025-03-01T01:00:00Z'))?.toISOString()).toBe(
      '2025-03-02T01:00:00.000Z',
    );
    expect(nextRun('0 0 1 1 ? 2025', new Date('2025-06-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('runsBetween across a change of the clocks', () => {
  it('runs an hourly schedule once in the hour Paris repeats on 25 October 2026, at the first 02:30, when the window ends in the second 02:xx', () => {
    // Prepare: Paris goes from 03:00 CEST back to 02:00 CET at 01:00Z; 23:00Z is 01:00 CEST, 01:10Z is 02:10 CET.
    // EventBridge Scheduler runs a repeated local time once, at its first occurrence (02:30 CEST = 00:30Z).
    const from = new Date('2026-10-24T23:00:00Z');
    const until = new Date('2026-10-25T01:10:00Z');

    // Act
    const runs = runsBetween('cron(30 * * * ? *)', from, until, 100, 'Europe/Paris');

    // Assess
    expect(runs.map((r) => r.toISOString())).toEqual([
      '2026-10-24T23:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
    ]);
  });

  it('runs every 10 minutes through the first pass of the hour Paris repeats, and not in its second, up to a window end at 02:10 CET', () => {
    // Prepare: 00:00Z-01:00Z is 02:00-03:00 CEST, 01:00Z-02:00Z is 02:00-03:00 CET again.
    const from = new Date('2026-10-25T00:00:00Z');
    const until = new Date('2026-10-25T01:10:00Z');

    // Act
    const runs = runsBetween('cron(0/10 * * * ? *)', from, until, 100, 'Europe/Paris');

    // Assess: 02:50 CEST ran before 01:10Z though its local time is after 02:10 CET
    expect(runs.map((r) => r.toISOString().slice(11, 16))).toEqual([
      '00:10',
      '00:20',
      '00:30',
      '00:40',
      '00:50',
    ]);
  });

  it('skips the local hour Paris leaves out on 29 March 2026 and runs on at 03:00 CEST', () => {
    // Prepare: at 01:00Z Paris goes from 02:00 CET to 03:00 CEST; 02:30 does not exist that day
    const from = new Date('2026-03-29T00:00:00Z');
    const until = new Date('2026-03-29T02:00:00Z');

    // Act
    const runs = runsBetween('cron(0/30 * * * ? *)', from, until, 100, 'Europe/Paris');

    // Assess
    expect(runs.map((r) => r.toISOString().slice(11, 16))).toEqual(['00:30', '01:00', '01:30', '02:00']);
  });
});

describe('runsBetween from inside a repeated hour', () => {
  it('starts after a window start in the second 02:xx of Paris on 25 October 2026 without the first pass, which ran before it', () => {
    // Prepare: 01:40Z is 02:40 CET, in the second pass; 02:50 ran once already, at 00:50Z (02:50 CEST)
    const from = new Date('2026-10-25T01:40:00Z');
    const until = new Date('2026-10-25T02:40:00Z');

    // Act
    const runs = runsBetween('cron(0/10 * * * ? *)', from, until, 100, 'Europe/Paris');

    // Assess
    expect(runs.map((r) => r.toISOString().slice(11, 16))).toEqual([
      '02:00',
      '02:10',
      '02:20',
      '02:30',
      '02:40',
    ]);
  });
});

describe('nextRun in UTC', () => {
  it('finds a run years away, as the schedule of a single date far ahead has', () => {
    // Act
    const run = nextRun('cron(0 12 1 1 ? 2045)', new Date('2026-06-01T00:00:00Z'));

    // Assess
    expect(run?.toISOString()).toBe('2045-01-01T12:00:00.000Z');
  });
});
