// Backups stuck in creation: the job's own backups still creating at 0% after MaxWaitMinutes, named in a SnapshotTimedOut.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { backupPolicyOf } from '../../../src/config/to-core.js';
import { isToolError } from '../../../src/core/model/errors.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { stuckBackups, stuckBackupsError } from '../../../src/core/plan/stuck-snapshots.js';
import { backup, cluster, hoursAfter, snapshot, sourceObservation } from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const minutesAgo = (minutes: number) => hoursAfter(NOW, -minutes / 60);

function policy(extra: Record<string, unknown> = {}) {
  return backupPolicyOf(
    parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: '^prod', MaxWaitMinutes: 30, ...extra },
    }).Source as SourceConfig,
  );
}

function observation(snapshots: readonly SnapshotInfo[]) {
  return sourceObservation({ now: NOW, clusters: [cluster('prod'), cluster('dev')], snapshots });
}

describe('stuckBackups', () => {
  it('finds a backup still creating at 0% more than MaxWaitMinutes after it was taken', () => {
    // Prepare
    const stuck = backup('prod', minutesAgo(31), { status: 'creating', percentProgress: 0 });
    const unreported = backup('prod', minutesAgo(45), { status: 'creating' });

    // Act
    const found = stuckBackups(observation([stuck, unreported]), policy());

    // Assess
    expect(found.map((s) => s.id)).toEqual([stuck.id, unreported.id]);
  });

  it('leaves one within MaxWaitMinutes (30 minutes exactly included), one making progress, and one available', () => {
    // Prepare
    const snapshots = [
      backup('prod', minutesAgo(30), { status: 'creating', percentProgress: 0 }),
      backup('prod', minutesAgo(120), { status: 'creating', percentProgress: 5 }),
      backup('prod', minutesAgo(240), { status: 'available', percentProgress: 0 }),
      backup('prod', minutesAgo(300), { status: 'copying', percentProgress: 0 }),
    ];

    // Act / Assess
    expect(stuckBackups(observation(snapshots), policy())).toEqual([]);
    expect(stuckBackups(observation(snapshots.slice(0, 1)), policy({ MaxWaitMinutes: 29 }))).toHaveLength(1);
  });

  it("leaves what is not the job's own backup: another cluster's, one taken by hand, a share copy, an automated one", () => {
    // Prepare
    const old = minutesAgo(600);
    const snapshots = [
      backup('dev', old, { status: 'creating' }),
      snapshot('prod-by-hand', { clusterId: 'prod', status: 'creating', createTime: old }),
      backup('prod', old, { status: 'creating', tags: { [TAG.Purpose]: 'share' } }),
      backup('prod', hoursAfter(old, 1), { status: 'creating', type: 'automated' }),
    ];

    // Act / Assess
    expect(stuckBackups(observation(snapshots), policy())).toEqual([]);
  });

  it('reads the time it was taken from its PointInTime tag, else its create time; with neither, it is not stuck', () => {
    // Prepare
    const byCreateTime = snapshot('prod-old-tool', {
      clusterId: 'prod',
      status: 'creating',
      createTime: minutesAgo(90),
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE },
    });
    const timeless = snapshot('prod-no-time', {
      clusterId: 'prod',
      status: 'creating',
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE },
    });

    // Act / Assess
    expect(stuckBackups(observation([byCreateTime, timeless]), policy()).map((s) => s.id)).toEqual([
      'prod-old-tool',
    ]);
  });
});

describe('stuckBackupsError', () => {
  it('is SnapshotTimedOut naming each stuck backup, its region and how long it has waited', () => {
    // Prepare
    const a = backup('prod', minutesAgo(31), { status: 'creating' });
    const b = backup('prod', minutesAgo(1440), { status: 'creating', percentProgress: 0 });

    // Act
    const error = stuckBackupsError(observation([a, b]), policy());

    // Assess
    expect(error && isToolError(error, 'SnapshotTimedOut')).toBe(true);
    expect(error?.message).toBe(
      `no progress after MaxWaitMinutes (30): ${a.id} (us-east-1: creating, 31 minutes), ${b.id} (us-east-1: creating, 1440 minutes); no new backup of its cluster is taken while it is in progress`,
    );
    expect(error?.details.snapshots).toEqual([
      { id: a.id, region: 'us-east-1', status: 'creating' },
      { id: b.id, region: 'us-east-1', status: 'creating' },
    ]);
  });

  it('is undefined when none is stuck', () => {
    // Act / Assess
    expect(
      stuckBackupsError(observation([backup('prod', minutesAgo(5), { status: 'creating' })]), policy()),
    ).toBe(undefined);
  });
});
