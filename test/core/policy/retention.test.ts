// Retention: what may be deleted, and every way one might try to make it delete the wrong snapshot.
import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { isToolBackup } from '../../../src/core/model/snapshot-kind.js';
import {
  DELETE_DISABLED_NOTE,
  decideRetention,
  type RetentionInput,
} from '../../../src/core/policy/retention.js';
import { backup, hoursAfter } from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T00:00:00.000Z');
const daysAgo = (days: number) => hoursAfter(NOW, -24 * days);

function retention(snapshots: SnapshotInfo[], extra: Partial<RetentionInput> = {}) {
  return decideRetention({
    now: NOW,
    retentionDays: 7,
    maxDeletes: 20,
    snapshots,
    owned: isToolBackup,
    groupOf: (s) => s.clusterId,
    ...extra,
  });
}

const ids = (decision: ReturnType<typeof retention>) => decision.deletes.map((d) => d.snapshot.id);

describe('decideRetention', () => {
  it('deletes owned snapshots older than RetentionDays, oldest first, with the age in the reason', () => {
    // Prepare
    const old1 = backup('prod', daysAgo(10));
    const old2 = backup('prod', daysAgo(9));
    const young = backup('prod', daysAgo(6));
    const newest = backup('prod', daysAgo(1));

    // Act
    const decision = retention([young, old2, newest, old1]);

    // Assess
    expect(ids(decision)).toEqual([old1.id, old2.id]);
    expect(decision.deletes[0]?.reason).toContain('10 days old');
    expect(decision.deletes[0]?.ageDays).toBe(10);
  });

  it('keeps a snapshot exactly RetentionDays old', () => {
    // Act
    const decision = retention([backup('prod', daysAgo(7)), backup('prod', daysAgo(1))]);

    // Assess
    expect(decision.deletes).toEqual([]);
  });

  it('never deletes the newest available snapshot of a cluster, however old', () => {
    // Prepare: taking stopped 30 days ago
    const newest = backup('prod', daysAgo(30));
    const older = backup('prod', daysAgo(31));

    // Act
    const decision = retention([older, newest]);

    // Assess
    expect(ids(decision)).toEqual([older.id]);
    expect(decision.notes.find((n) => n.code === 'kept-newest')?.snapshotId).toBe(newest.id);
  });

  it('keeps the newest available when a newer one is still in progress or failed', () => {
    // Prepare
    const available = backup('prod', daysAgo(20));
    const creating = backup('prod', daysAgo(0), { status: 'creating' });
    const failed = backup('prod', daysAgo(19), { status: 'failed' });

    // Act
    const decision = retention([available, creating, failed]);

    // Assess
    expect(decision.deletes).toEqual([]);
  });

  it('keeps the newest of each cluster separately', () => {
    // Prepare
    const a = backup('a', daysAgo(20));
    const b = backup('b', daysAgo(20));

    // Act
    const decision = retention([a, b, backup('a', daysAgo(21))]);

    // Assess
    expect(ids(decision)).toEqual([backup('a', daysAgo(21)).id]);
  });

  it('does not delete snapshots without the role tag', () => {
    // Prepare
    const untagged = backup('prod', daysAgo(20), { tags: { CreatedBy: 'a person' } });

    // Act
    const decision = retention([untagged, backup('prod', daysAgo(1))]);

    // Assess
    expect(decision.deletes).toEqual([]);
  });

  it('does not delete automated, shared or other non-manual snapshots even when the role test says yes', () => {
    // Prepare
    const automated = backup('prod', daysAgo(20), { type: 'automated' });
    const shared = backup('prod', daysAgo(21), { type: 'shared' });
    const awsBackup = backup('prod', daysAgo(22), { type: 'awsbackup' });

    // Act
    const decision = retention([automated, shared, awsBackup, backup('prod', daysAgo(1))], {
      owned: () => true,
    });

    // Assess
    expect(decision.deletes).toEqual([]);
  });

  it('does not delete snapshots that are not available', () => {
    // Prepare
    const states = ['creating', 'copying', 'failed', 'deleting'].map((status, i) =>
      backup('prod', daysAgo(20 + i), { status }),
    );

    // Act
    const decision = retention([...states, backup('prod', daysAgo(1))]);

    // Assess
    expect(decision.deletes).toEqual([]);
  });

  it('does not delete a snapshot with no known point in time', () => {
    // Prepare
    const timeless = { ...backup('prod', daysAgo(20)), tags: {}, createTime: undefined };

    // Act
    const decision = retention([timeless, backup('prod', daysAgo(1))], { owned: () => true });

    // Assess
    expect(decision.deletes).toEqual([]);
  });

  it('keeps a held snapshot and says why', () => {
    // Prepare
    const held = backup('prod', daysAgo(20));

    // Act
    const decision = retention([held, backup('prod', daysAgo(1))], {
      hold: (s) => (s.id === held.id ? { code: 'kept-copy-pending', message: 'copy pending' } : undefined),
    });

    // Assess
    expect(decision.deletes).toEqual([]);
    expect(decision.notes).toContainEqual(
      expect.objectContaining({ code: 'kept-copy-pending', snapshotId: held.id }),
    );
  });

  it('deletes at most maxDeletes per pass, the oldest, and notes how many wait', () => {
    // Prepare
    const old = Array.from({ length: 5 }, (_, i) => backup('prod', daysAgo(30 + i)));

    // Act
    const decision = retention([...old, backup('prod', daysAgo(1))], { maxDeletes: 2 });

    // Assess
    expect(ids(decision)).toEqual([old[4]?.id, old[3]?.id]);
    expect(decision.notes.find((n) => n.code === 'delete-limit')?.message).toContain('3 more');
  });

  it('orders snapshots of the same age by id, so a capped pass is deterministic', () => {
    // Prepare
    const x = { ...backup('x', daysAgo(20)) };
    const y = { ...backup('y', daysAgo(20)) };

    // Act
    const decision = retention([y, x, backup('x', daysAgo(1)), backup('y', daysAgo(1))], { maxDeletes: 1 });

    // Assess
    expect(ids(decision)).toEqual([x.id]);
  });

  // Mutation gap 3: without the `time === undefined` guard, a snapshot with no known time listed first became
  // its group's "newest", so the real newest (however old) could be deleted.
  it('never lets a snapshot with no known time stand in for the newest: the old dated newest is kept', () => {
    // Prepare: taking stopped 30 days ago; an undated snapshot of the same cluster is listed first
    const timeless = { ...backup('prod', daysAgo(40)), id: 'prod-undated', tags: {}, createTime: undefined };
    const newest = backup('prod', daysAgo(30));
    const older = backup('prod', daysAgo(31));

    // Act
    const decision = retention([timeless, newest, older], { owned: () => true });
    const reversed = retention([older, newest, timeless], { owned: () => true });

    // Assess
    for (const d of [decision, reversed]) {
      expect(ids(d)).toEqual([older.id]);
      expect(d.notes).toContainEqual(expect.objectContaining({ code: 'kept-newest', snapshotId: newest.id }));
    }
  });

  // Mutation gap 4 (same age): the tie-break of expired snapshots of one age passed with its comparison
  // reversed because the test gave one input order only. Both orders must delete the smaller id first.
  it('deletes the smaller id first among expired snapshots of the same age, in either listing order', () => {
    // Prepare
    const x = backup('x', daysAgo(20));
    const y = backup('y', daysAgo(20));
    const keep = [backup('x', daysAgo(1)), backup('y', daysAgo(1))];

    // Act
    const xFirst = retention([x, y, ...keep], { maxDeletes: 1 });
    const yFirst = retention([y, x, ...keep], { maxDeletes: 1 });
    const both = retention([y, x, ...keep], { maxDeletes: 2 });

    // Assess
    expect(ids(xFirst)).toEqual([x.id]);
    expect(ids(yFirst)).toEqual([x.id]);
    expect(ids(both)).toEqual([x.id, y.id]);
  });

  // Mutation gap 4 (same time for the newest): of two snapshots of one group with the newest time, the smaller
  // id is the one kept, whichever is listed first; the other is deleted.
  it('keeps the smaller id when two snapshots share the newest time, in either listing order', () => {
    // Prepare: two expired snapshots of one cluster at the same point in time, under different names
    const a = { ...backup('prod', daysAgo(20)), id: 'prod-a' };
    const b = { ...backup('prod', daysAgo(20)), id: 'prod-b' };

    // Act
    const aFirst = retention([a, b]);
    const bFirst = retention([b, a]);

    // Assess
    for (const d of [aFirst, bFirst]) {
      expect(ids(d)).toEqual([b.id]);
      expect(d.notes).toContainEqual(expect.objectContaining({ code: 'kept-newest', snapshotId: a.id }));
    }
  });

  it('says what it kept and left, each note with its level and code', () => {
    // Prepare
    const newest = backup('prod', daysAgo(30));
    const held = backup('prod', daysAgo(31));
    const expired = [backup('prod', daysAgo(32)), backup('prod', daysAgo(33))];

    // Act
    const decision = retention([newest, held, ...expired], {
      maxDeletes: 1,
      hold: (s) => (s.id === held.id ? { code: 'kept-copy-pending', message: 'copy pending' } : undefined),
    });

    // Assess
    expect(ids(decision)).toEqual([expired[1]!.id]);
    expect(decision.deletes[0]?.reason).toBe('33 days old, older than RetentionDays (7)');
    expect(decision.notes).toEqual([
      {
        level: 'info',
        code: 'kept-newest',
        message: `kept ${newest.id}: older than RetentionDays (7) but the newest available snapshot of its cluster`,
        clusterId: 'prod',
        snapshotId: newest.id,
      },
      {
        level: 'info',
        code: 'kept-copy-pending',
        message: 'copy pending',
        clusterId: 'prod',
        snapshotId: held.id,
      },
      {
        level: 'warn',
        code: 'delete-limit',
        message: '1 more expired snapshot(s) left for later passes (MaxDeletesPerPass 1)',
      },
    ]);
  });

  it('has one note for a pass with DeleteOldSnapshots FALSE', () => {
    // Act / Assess
    expect(DELETE_DISABLED_NOTE).toEqual({
      level: 'info',
      code: 'delete-disabled',
      message: 'DeleteOldSnapshots is FALSE: nothing deleted',
    });
  });
});
