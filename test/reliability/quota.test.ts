// The manual snapshot quota reached: the run fails naming SnapshotQuotaExceeded, deletes only what retention allows, and the state machine takes the alarm path.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { SOURCE_STATES } from '../../src/state-machines/source.js';
import { runCli } from '../support/cli.js';
import { ManualClock } from '../support/manual-clock.js';
import { executeSource } from './support/executions.js';
import { DAY, type Rig, startRig } from './support/rig.js';

const SRC = 'us-east-1';
const NOW = new Date('2026-06-10T01:00:00Z');
/** moto counts every cluster snapshot of the region toward its limit, automated ones included. */
const LIMIT = 8;
const S = SOURCE_STATES;

const dir = mkdtempSync(join(tmpdir(), 'ast-quota-'));
const CONFIG = join(dir, 'tool.yaml');
const SOURCE_BLOCK = {
  Region: SRC,
  ClusterNamePattern: '^orders-db$',
  BackupInterval: '24',
  RetentionDays: '7',
  DeleteOldSnapshots: 'TRUE',
  ShareSnapshots: 'FALSE',
};
writeFileSync(CONFIG, JSON.stringify({ Source: SOURCE_BLOCK }));

let rig: Rig;

const backup = (cluster: string, daysAgo: number) => {
  const at = new Date(NOW.getTime() - daysAgo * DAY);
  return {
    clusterId: cluster,
    snapshotId: `${cluster}-${at.toISOString().slice(0, 10)}-01-00`,
    tags: {
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
      [TAG.PointInTime]: at.toISOString(),
      [TAG.SourceCluster]: cluster,
      [TAG.Purpose]: 'backup',
    },
  };
};

/** What retention may delete here: the tool's expired backups of orders-db that are not its newest. */
const EXPIRED = [10, 9, 8].map((d) => backup('orders-db', d).snapshotId);
/** What it must keep: an untagged manual snapshot, the newest backup, another cluster's backup. */
const KEPT = [
  'orders-before-upgrade',
  backup('orders-db', 2).snapshotId,
  backup('billing-db', 30).snapshotId,
];

beforeAll(async () => {
  rig = await startRig({ seed: 6, motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: String(LIMIT) } });
});

afterAll(async () => {
  await rig?.stop();
});

beforeEach(async () => {
  // Prepare: two automated and six manual snapshots fill the region's quota of eight.
  await rig.reset();
  await rig.estate.createCluster(SRC, 'orders-db');
  await rig.estate.createCluster(SRC, 'billing-db');
  await rig.estate.createSnapshot(SRC, { clusterId: 'orders-db', snapshotId: 'orders-before-upgrade' });
  for (const days of [10, 9, 8, 2]) await rig.estate.createSnapshot(SRC, backup('orders-db', days));
  await rig.estate.createSnapshot(SRC, backup('billing-db', 30));
  expect((await rig.estate.snapshots(SRC, 'manual')).length + 2).toBe(LIMIT);
});

describe('the manual snapshot quota reached', () => {
  it('a run exits 1 naming SnapshotQuotaExceeded, deletes only what retention allows, and the next run takes', async () => {
    // Act
    const full = await runCli(['run', '--config', CONFIG, '--now', NOW.toISOString()], rig.env);
    const afterFull = await rig.estate.snapshotIds(SRC);
    const next = await runCli(
      ['run', '--config', CONFIG, '--now', new Date(NOW.getTime() + 3_600_000).toISOString()],
      rig.env,
    );

    // Assess
    expect(full.code).toBe(1);
    expect(full.stderr).toContain('SnapshotQuotaExceeded');
    expect(full.stderr).toMatch(/quota .*is reached in us-east-1/);
    expect(full.stderr).not.toMatch(/\n\s+at /);
    expect(rig.proxy.total('CreateDBClusterSnapshot')).toBeGreaterThanOrEqual(1);
    // Only the expired backups retention allows are gone; everything it protects is there.
    expect(afterFull.sort()).toEqual([...KEPT].sort());
    for (const id of EXPIRED) expect(afterFull).not.toContain(id);
    expect(await rig.estate.snapshotIds(SRC, 'automated')).toHaveLength(2);
    // The room retention made lets the next run take its snapshot.
    expect(next.code, next.stderr).toBe(0);
    expect(await rig.estate.snapshotIds(SRC)).toContain('orders-db-2026-06-10-02-00');
  });

  it('the state machine execution ends FAILED with SnapshotQuotaExceeded and the cluster, after deleting only what retention allows', async () => {
    // Act
    const outcome = await executeSource(rig, { Source: SOURCE_BLOCK }, new ManualClock(NOW));
    const remaining = await rig.estate.snapshotIds(SRC);
    const next = await executeSource(
      rig,
      { Source: SOURCE_BLOCK },
      new ManualClock(new Date(NOW.getTime() + 3_600_000)),
    );

    // Assess: the alarm path, with the quota error and the cluster named.
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('SnapshotQuotaExceeded');
    expect(outcome.cause).toContain('ClusterNamePattern ^orders-db$');
    expect(outcome.cause).toContain('orders-db-2026-06-10-01-00');
    expect(outcome.path()).toEqual([
      S.trigger,
      S.take,
      S.freeQuota,
      S.describeFailure,
      S.failureWithCluster,
      S.failed,
    ]);
    // Retention ran before the failure: the expired backups it allows are gone, the rest is there.
    expect(remaining.sort()).toEqual([...KEPT].sort());
    expect(await rig.estate.snapshotIds(SRC, 'automated')).toHaveLength(2);
    // So the next execution has room and takes its snapshot instead of failing again.
    expect(next.status, next.cause).toBe('SUCCEEDED');
    expect(await rig.estate.snapshotIds(SRC)).toContain('orders-db-2026-06-10-02-00');
  });

  it('keeps the quota error as the execution failure when retention fails too', async () => {
    // Prepare: deletion is refused as well.
    rig.proxy.setPlan([{ fault: 'error500', actions: ['DeleteDBClusterSnapshot'] }]);

    // Act
    const outcome = await executeSource(rig, { Source: SOURCE_BLOCK }, new ManualClock(NOW));

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('SnapshotQuotaExceeded');
    expect(outcome.path()).toContain(S.freeQuota);
    expect((await rig.estate.snapshotIds(SRC)).sort()).toEqual([...KEPT, ...EXPIRED].sort());
  });
});
