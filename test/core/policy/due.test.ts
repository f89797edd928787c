// The due decision: interval, tolerance, in-progress and failed snapshots, snapshots of the original tool.
import { describe, expect, it } from 'vitest';
import { DUE_TOLERANCE_MAX_MS, decideDue, dueToleranceMs } from '../../../src/core/policy/due.js';
import { backup, hoursAfter, snapshot } from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T16:00:05.000Z');

describe('dueToleranceMs', () => {
  it('is 10% of the interval, capped at 30 minutes', () => {
    // Act / Assess
    expect(dueToleranceMs(1)).toBe(6 * 60_000);
    expect(dueToleranceMs(4)).toBe(24 * 60_000);
    expect(dueToleranceMs(5)).toBe(DUE_TOLERANCE_MAX_MS);
    expect(dueToleranceMs(24)).toBe(DUE_TOLERANCE_MAX_MS);
  });
});

describe('decideDue', () => {
  it('is due when the tool never took a snapshot of the cluster', () => {
    // Act
    const decision = decideDue([], NOW, 24);

    // Assess
    expect(decision).toEqual({ due: true, code: 'first', reason: 'no snapshot taken by the tool yet' });
  });

  it('is due when the latest backup is older than the interval', () => {
    // Prepare
    const latest = backup('prod', hoursAfter(NOW, -25));

    // Act
    const decision = decideDue([backup('prod', hoursAfter(NOW, -49)), latest], NOW, 24);

    // Assess
    expect(decision).toMatchObject({ due: true, code: 'due', latest });
    expect(decision.reason).toContain(latest.id);
  });

  it('is not due when the latest backup is younger than the interval less the tolerance', () => {
    // Prepare
    const latest = backup('prod', hoursAfter(NOW, -23));

    // Act
    const decision = decideDue([backup('prod', hoursAfter(NOW, -47)), latest], NOW, 24);

    // Assess
    expect(decision).toMatchObject({ due: false, code: 'not-due', latest });
    expect(decision.ageMs).toBe(23 * 3_600_000);
  });

  it('does not skip a slot of a schedule every 8 hours when the previous pass ran late', () => {
    // Prepare: the 08:00 pass took its snapshot 3 minutes late; this is the 16:00 pass, 5 s late
    const latest = backup('prod', new Date('2025-03-01T08:03:00.000Z'));

    // Act
    const decision = decideDue([latest], NOW, 8);

    // Assess
    expect(decision.due).toBe(true);
  });

  it('is due exactly at the interval less the tolerance, and not a millisecond before', () => {
    // Prepare
    const threshold = 24 * 3_600_000 - 30 * 60_000;
    const atThreshold = backup('prod', new Date(NOW.getTime() - threshold));
    const justBefore = backup('prod', new Date(NOW.getTime() - threshold + 1));

    // Act / Assess
    expect(decideDue([atThreshold], NOW, 24).due).toBe(true);
    expect(decideDue([justBefore], NOW, 24).due).toBe(false);
  });

  it('is not due while a snapshot is in progress, however old the latest available one is', () => {
    // Prepare
    const creating = backup('prod', hoursAfter(NOW, -30), { status: 'creating' });

    // Act
    const decision = decideDue([backup('prod', hoursAfter(NOW, -100)), creating], NOW, 24);

    // Assess
    expect(decision).toEqual({
      due: false,
      code: 'in-progress',
      reason: `snapshot ${creating.id} is still creating`,
      latest: creating,
    });
  });

  it('ignores failed snapshots, so a failure is retried at the next pass', () => {
    // Prepare
    const failed = backup('prod', hoursAfter(NOW, -1), { status: 'failed' });

    // Act
    const decision = decideDue([backup('prod', hoursAfter(NOW, -30)), failed], NOW, 24);

    // Assess
    expect(decision.due).toBe(true);
  });

  it('takes the age of an original-tool snapshot from its create time, not its name', () => {
    // Prepare: the name claims a recent time; the data is 30 hours old
    const original = snapshot('prod-2025-03-01-15-00', {
      clusterId: 'prod',
      createTime: hoursAfter(NOW, -30),
      tags: { CreatedBy: 'Snapshot Tool for Aurora' },
    });

    // Act
    const decision = decideDue([original], NOW, 24);

    // Assess
    expect(decision).toMatchObject({ due: true, code: 'due' });
  });

  it('treats a backup with no known time as absent', () => {
    // Prepare
    const timeless = snapshot('prod-x', { clusterId: 'prod', createTime: undefined });

    // Act
    const decision = decideDue([timeless], NOW, 24);

    // Assess
    expect(decision.code).toBe('first');
  });

  it('is not due for a backup whose point in time lies in the future (clock skew)', () => {
    // Act
    const decision = decideDue([backup('prod', hoursAfter(NOW, 2))], NOW, 24);

    // Assess
    expect(decision.due).toBe(false);
  });

  // Mutation gap 1: newestOf's comparison could be replaced by `true` (the last listed wins) because every
  // test above lists the newest backup last. Here the newest comes first and the pass must not be due.
  it('decides from the newest backup whatever the listing order (newest listed first is not due)', () => {
    // Prepare
    const newest = backup('prod', hoursAfter(NOW, -2));
    const older = [backup('prod', hoursAfter(NOW, -50)), backup('prod', hoursAfter(NOW, -26))];

    // Act
    const newestFirst = decideDue([newest, ...older], NOW, 24);
    const newestMiddle = decideDue([older[0]!, newest, older[1]!], NOW, 24);

    // Assess
    expect(newestFirst).toMatchObject({ due: false, code: 'not-due', latest: newest });
    expect(newestMiddle).toMatchObject({ due: false, code: 'not-due', latest: newest });
  });

  it('names a latest backup from the future, and treats one of age 0 as merely young', () => {
    // Prepare
    const ahead = backup('prod', hoursAfter(NOW, 2));
    const justNow = backup('prod', NOW);

    // Act
    const future = decideDue([ahead], NOW, 24);
    const zero = decideDue([justNow], NOW, 24);

    // Assess
    expect(future).toEqual({
      due: false,
      code: 'not-due',
      reason: `latest snapshot ${ahead.id} has a point in time in the future (2h after now, from a simulated run or a clock ahead): not due`,
      latest: ahead,
      ageMs: -2 * 3_600_000,
    });
    expect(zero.reason).toBe(`latest snapshot ${justNow.id} is 0h old, younger than BackupInterval 24h`);
  });
});
