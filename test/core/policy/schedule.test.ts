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
