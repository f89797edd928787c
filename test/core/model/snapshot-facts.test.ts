// Point in time, roles and patterns: the small facts every planning decision is built on.
import { describe, expect, it } from 'vitest';
import { ALL_CLUSTERS } from '../../../src/config/schema.js';
import { ALL_CLUSTERS_PATTERN, compilePattern } from '../../../src/core/model/pattern.js';
import {
  isCopiedByTool,
  isFailedStatus,
  isInProgressStatus,
  isShareCopy,
  isSharedWith,
  isToolBackup,
  sourceClusterOf,
} from '../../../src/core/model/snapshot-kind.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import {
  ageHours,
  ageMs,
  daysToMs,
  formatHours,
  newestFirst,
  newestOf,
  pointInTimeOf,
  sortNewestFirst,
} from '../../../src/core/policy/point-in-time.js';
import { snapshot } from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T00:00:00.000Z');

describe('pointInTimeOf and ages', () => {
  it('prefers the PointInTime tag over the create time (a copy keeps its data time)', () => {
    // Prepare
    const copy = snapshot('c', {
      pointInTime: '2025-02-27T00:00:00Z',
      createTime: new Date('2025-02-28T00:00:00Z'),
    });

    // Act / Assess
    expect(pointInTimeOf(copy)?.toISOString()).toBe('2025-02-27T00:00:00.000Z');
    expect(ageHours(copy, NOW)).toBe(48);
  });

  it('falls back to the create time when the tag is absent or not a date', () => {
    // Prepare
    const created = new Date('2025-02-28T12:00:00Z');
    const untagged = snapshot('a', { createTime: created });
    const garbled = snapshot('b', { createTime: created, tags: { [TAG.PointInTime]: 'yesterday' } });

    // Act / Assess
    expect(ageHours(untagged, NOW)).toBe(12);
    expect(ageHours(garbled, NOW)).toBe(12);
  });

  it('has no age when neither is known', () => {
    // Act / Assess
    expect(ageMs(snapshot('a'), NOW)).toBeUndefined();
    expect(ageHours(snapshot('a'), NOW)).toBeUndefined();
  });

  it('orders newest first, unknown times last, ties by id', () => {
    // Prepare
    const list = [
      snapshot('z-unknown'),
      snapshot('b-old', { pointInTime: '2025-01-01T00:00:00Z' }),
      snapshot('a-unknown'),
      snapshot('d-new', { pointInTime: '2025-02-01T00:00:00Z' }),
      snapshot('c-new', { pointInTime: '2025-02-01T00:00:00Z' }),
    ];

    // Act
    const ids = [...list].sort(newestFirst).map((s) => s.id);

    // Assess
    expect(ids).toEqual(['c-new', 'd-new', 'b-old', 'a-unknown', 'z-unknown']);
  });

  it('compares two snapshots of the same time by id, both ways', () => {
    // Prepare
    const a = snapshot('a', { pointInTime: '2025-02-01T00:00:00Z' });
    const b = snapshot('b', { pointInTime: '2025-02-01T00:00:00Z' });

    // Act / Assess
    expect(newestFirst(a, b)).toBeLessThan(0);
    expect(newestFirst(b, a)).toBeGreaterThan(0);
    expect(newestFirst(a, a)).toBe(0);
  });

  it('sorts a list newest first in one pass over the times, in the same order as the comparator', () => {
    // Prepare
    const list = [
      snapshot('z-unknown'),
      snapshot('b-old', { pointInTime: '2025-01-01T00:00:00Z' }),
      snapshot('d-new', { pointInTime: '2025-02-01T00:00:00Z' }),
      snapshot('d-new', { region: 'us-west-2', pointInTime: '2025-02-01T00:00:00Z' }),
      snapshot('a-unknown'),
      snapshot('c-new', { pointInTime: '2025-02-01T00:00:00Z' }),
    ];

    // Act
    const sorted = sortNewestFirst(list);

    // Assess
    expect(sorted.map((s) => s.id)).toEqual([...list].sort(newestFirst).map((s) => s.id));
    expect(sorted.map((s) => s.id)).toEqual(['c-new', 'd-new', 'd-new', 'b-old', 'a-unknown', 'z-unknown']);
  });

  it('compares a dated snapshot before an undated one, whichever is first', () => {
    // Prepare
    const dated = snapshot('z', { pointInTime: '2025-01-01T00:00:00Z' });
    const undated = snapshot('a');

    // Act / Assess
    expect(newestFirst(undated, dated)).toBeGreaterThan(0);
    expect(newestFirst(dated, undated)).toBeLessThan(0);
    expect(newestFirst(undated, snapshot('b'))).toBeLessThan(0);
    const newer = snapshot('y', { pointInTime: '2025-01-02T00:00:00Z' });
    expect(newestFirst(dated, newer)).toBeGreaterThan(0);
    expect(newestFirst(newer, dated)).toBeLessThan(0);
  });

  it('sorts snapshots of one time by id whatever the listing order', () => {
    // Prepare
    const at = '2025-02-01T00:00:00Z';
    const [a, b, c] = ['a', 'b', 'c'].map((id) => snapshot(id, { pointInTime: at }));

    // Act / Assess
    expect(sortNewestFirst([c!, b!, a!]).map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(sortNewestFirst([a!, c!, b!]).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('finds the newest with a known time, ties to the smaller id', () => {
    // Prepare
    const a = snapshot('a', { pointInTime: '2025-02-01T00:00:00Z' });
    const b = snapshot('b', { pointInTime: '2025-02-01T00:00:00Z' });

    // Act / Assess
    expect(newestOf([b, snapshot('x'), a])).toBe(a);
    expect(newestOf([snapshot('x')])).toBeUndefined();
  });

  // Mutation gap 1: newestOf must compare times, not keep the last listed (or the first) snapshot.
  it('finds the newest wherever it is listed: first, middle or last, and after an undated snapshot', () => {
    // Prepare
    const newest = snapshot('m', { pointInTime: '2025-02-03T00:00:00Z' });
    const middle = snapshot('a', { pointInTime: '2025-02-02T00:00:00Z' });
    const oldest = snapshot('b', { pointInTime: '2025-02-01T00:00:00Z' });
    const undated = snapshot('0-undated');

    // Act / Assess
    expect(newestOf([newest, middle, oldest])).toBe(newest);
    expect(newestOf([oldest, newest, middle])).toBe(newest);
    expect(newestOf([middle, oldest, newest])).toBe(newest);
    expect(newestOf([undated, oldest, undated])).toBe(oldest);
    expect(newestOf([newest, middle, undated])).toBe(newest);
  });

  // Mutation gap 1: of two snapshots with the same time, the smaller id wins in either listing order.
  it('breaks a tie of the newest time to the smaller id in both listing orders', () => {
    // Prepare
    const a = snapshot('a', { pointInTime: '2025-02-01T00:00:00Z' });
    const b = snapshot('b', { pointInTime: '2025-02-01T00:00:00Z' });
    const older = snapshot('0', { pointInTime: '2025-01-01T00:00:00Z' });

    // Act / Assess
    expect(newestOf([a, b])).toBe(a);
    expect(newestOf([b, a])).toBe(a);
    expect(newestOf([b, older])).toBe(b);
    expect(newestOf([older, b])).toBe(b);
  });

  it('converts days and formats hours', () => {
    // Act / Assess
    expect(daysToMs(2)).toBe(172_800_000);
    expect(formatHours(1.26)).toBe('1.3h');
  });
});

describe('roles', () => {
  const created = { [TAG.CreatedBy]: TOOL_TAG_VALUE };

  it('counts CreatedBy snapshots with Purpose backup or none as backups, not share copies', () => {
    // Act / Assess
    expect(isToolBackup(snapshot('a', { tags: created }))).toBe(true);
    expect(isToolBackup(snapshot('a', { tags: { ...created, [TAG.Purpose]: 'backup' } }))).toBe(true);
    expect(isToolBackup(snapshot('a', { tags: { ...created, [TAG.Purpose]: 'share' } }))).toBe(false);
    expect(isShareCopy(snapshot('a', { tags: { ...created, [TAG.Purpose]: 'share' } }))).toBe(true);
    expect(isToolBackup(snapshot('a', { tags: { [TAG.CreatedBy]: 'someone else' } }))).toBe(false);
    expect(isToolBackup(snapshot('a'))).toBe(false);
  });

  it('recognizes copies by CopiedBy only', () => {
    // Act / Assess
    expect(isCopiedByTool(snapshot('a', { tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE } }))).toBe(true);
    expect(isCopiedByTool(snapshot('a', { tags: created }))).toBe(false);
  });

  it('takes the source cluster from the tag, else the cluster identifier', () => {
    // Act / Assess
    expect(sourceClusterOf(snapshot('a', { clusterId: 'x', tags: { [TAG.SourceCluster]: 'y' } }))).toBe('y');
    expect(sourceClusterOf(snapshot('a', { clusterId: 'x' }))).toBe('x');
  });

  it('reads SharedWith as a space-separated list of accounts', () => {
    // Prepare
    const shared = snapshot('a', { tags: { [TAG.SharedWith]: '222222222222 333333333333' } });

    // Act / Assess
    expect(isSharedWith(shared, '333333333333')).toBe(true);
    expect(isSharedWith(shared, '444444444444')).toBe(false);
    expect(isSharedWith(shared, '222222222222')).toBe(true);
    expect(isSharedWith(snapshot('a', { tags: { [TAG.SharedWith]: '333333333333' } }), '333333333333')).toBe(
      true,
    );
    expect(isSharedWith(snapshot('a'), '222222222222')).toBe(false);
  });

  it('classifies states as in progress or failed', () => {
    // Act / Assess
    for (const status of ['creating', 'copying', 'pending', 'backing-up', 'modifying']) {
      expect([status, isInProgressStatus(status), isFailedStatus(status)]).toEqual([status, true, false]);
    }
    for (const status of [
      'failed',
      'deleting',
      'deleted',
      'error',
      'incompatible-restore',
      'incompatible-x',
    ]) {
      expect([status, isFailedStatus(status), isInProgressStatus(status)]).toEqual([status, true, false]);
    }
    for (const status of ['available', '']) {
      expect([isInProgressStatus(status), isFailedStatus(status)]).toEqual([false, false]);
    }
  });
});

describe('compilePattern', () => {
  it('matches every cluster with ALL_CLUSTERS, the same value as the schema', () => {
    // Act
    const matches = compilePattern(ALL_CLUSTERS_PATTERN);

    // Assess
    expect(ALL_CLUSTERS_PATTERN).toBe(ALL_CLUSTERS);
    expect(matches('anything')).toBe(true);
  });

  it('searches the regex in the identifier, as the original tool did', () => {
    // Act
    const matches = compilePattern('prod');
    const anchored = compilePattern('^prod$');

    // Assess
    expect(matches('my-prod-db')).toBe(true);
    expect(matches('staging')).toBe(false);
    expect(anchored('my-prod-db')).toBe(false);
    expect(anchored('prod')).toBe(true);
  });
});
