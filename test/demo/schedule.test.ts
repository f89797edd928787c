// The demo's run list: both jobs' cron run times in the period, in time order.
import { describe, expect, it } from 'vitest';
import { scheduledRuns } from '../../src/demo/run.js';

describe('scheduledRuns', () => {
  it('lists every run of both schedules in [from, to), the source first when both run at once', () => {
    // Prepare
    const from = new Date('2025-01-01T00:00:00Z');
    const to = new Date('2025-01-03T00:00:00Z');
    // Act
    const runs = scheduledRuns('0 0,8,16 * * ? *', '0 0,12 * * ? *', from, to);
    // Assess
    expect(runs.filter((r) => r.job === 'source').map((r) => r.at.toISOString().slice(5, 16))).toEqual([
      '01-01T00:00',
      '01-01T08:00',
      '01-01T16:00',
      '01-02T00:00',
      '01-02T08:00',
      '01-02T16:00',
    ]);
    expect(runs.filter((r) => r.job === 'destination')).toHaveLength(4);
    expect(runs.slice(0, 2).map((r) => r.job)).toEqual(['source', 'destination']);
    const times = runs.map((r) => r.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
