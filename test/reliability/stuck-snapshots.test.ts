// A backup stuck in `creating` at 0%: no execution waits for it, and every run past MaxWaitMinutes fails naming it once its retention is done (never deleting it, never taking a second); a copy still `copying` at 0% (not started, queued behind others) is left to the next runs, which keep its source.
// moto makes snapshots available at once: the snapshot gate (support/snapshot-gate.ts) reports the held ones
// `creating`/`copying` in every listing and lookup, and refuses their deletion, recording any attempt.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/model/ports.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { SOURCE_STATES } from '../../src/state-machines/source.js';
import { runCli } from '../support/cli.js';
import { ManualClock } from '../support/manual-clock.js';
import { executeSource } from './support/executions.js';
import { DAY, type Rig, startRig } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const NOW = new Date('2026-07-01T01:00:00Z');
const TAKEN = 'orders-db-2026-07-01-01-00';
const OTHER_ACCOUNT = '222233334444';
const S = SOURCE_STATES;

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ seed: 8 });
});

afterAll(async () => {
  await rig?.stop();
});

/** A clock that moves 10 minutes on each time it is read: every poll of the execution is 10 minutes later. */
function pollingClock(start: Date): Clock {
  const clock = new ManualClock(start);
  return {
    now: () => {
      const at = clock.now();
      clock.advance({ minutes: 10 });
      return at;
    },
  };
}

function block(extra: Record<string, unknown> = {}) {
  return {
    Source: {
      Region: SRC,
      ClusterNamePattern: '^orders-db$',
      BackupInterval: '24',
      RetentionDays: '7',
      DeleteOldSnapshots: 'TRUE',
      MaxWaitMinutes: '30',
      ...extra,
    },
  };
}

/** Expired backups of orders-db, which retention would delete were the run to reach it. */
const EXPIRED_DAYS = [12, 11, 10];
const expiredId = (days: number) => `orders-db-expired-${days}`;

beforeEach(async () => {
  await rig.reset();
  await rig.estate.createCluster(SRC, 'orders-db');
  for (const days of EXPIRED_DAYS) {
    await rig.estate.createSnapshot(SRC, {
      clusterId: 'orders-db',
      snapshotId: expiredId(days),
      tags: {
        [TAG.CreatedBy]: TOOL_TAG_VALUE,
        [TAG.PointInTime]: new Date(NOW.getTime() - days * DAY).toISOString(),
        [TAG.SourceCluster]: 'orders-db',
        [TAG.Purpose]: 'backup',
      },
    });
  }
});

describe('a snapshot stuck past MaxWaitMinutes', () => {
  it('the execution that takes it does not wait for it; the next run past MaxWaitMinutes fails with SnapshotTimedOut naming it, after its retention', async () => {
    // Prepare: the execution that takes it (retention deletes the expired backups but the newest available).
    rig.gate.hold(SRC, /^orders-db-2026-07-01-/, 'creating');
    const taking = await executeSource(rig, block(), new ManualClock(NOW));

    // Act: a run 31 minutes later (MaxWaitMinutes 30).
    const next = await executeSource(rig, block(), new ManualClock(new Date(NOW.getTime() + 31 * 60_000)));

    // Assess
    expect(taking.status, taking.cause).toBe('SUCCEEDED');
    expect(taking.path()).toEqual([S.trigger, S.take, S.share, S.copiesToFollow, S.deleteOld]);
    expect(taking.output).toMatchObject({ take: { started: true }, deleteOld: { deleted: 2 } });
    expect(next.status).toBe('FAILED');
    expect(next.error).toBe('SnapshotTimedOut');
    expect(next.cause).toContain(`${TAKEN} (${SRC}: creating, 31 minutes)`);
    expect(next.cause).toContain('MaxWaitMinutes (30)');
    expect(next.path().slice(-4)).toEqual([S.deleteOld, S.describeFailure, S.failureWithCluster, S.failed]);
    expect(rig.proxy.total('CreateDBClusterSnapshot')).toBe(1);
    expect(rig.gate.deletesOfHeld()).toEqual([]);
    expect((await rig.estate.snapshotIds(SRC)).sort()).toEqual([expiredId(10), TAKEN].sort());
  });

  it('while it stays creating, later runs take no second snapshot, never delete it, and each fails naming it; a run within MaxWaitMinutes does not', async () => {
    // Prepare: the first execution took it.
    rig.gate.hold(SRC, /^orders-db-2026-07-01-/, 'creating');
    await executeSource(rig, block(), new ManualClock(NOW));
    const dayLater = new Date(NOW.getTime() + DAY);

    // Act: the next day's execution, then the same with a 2-day MaxWaitMinutes.
    const next = await executeSource(rig, block(), new ManualClock(dayLater));
    const patient = await executeSource(rig, block({ MaxWaitMinutes: '2880' }), new ManualClock(dayLater));

    // Assess: not due while one is in progress; retention keeps the newest available and never the stuck one.
    expect(next.status).toBe('FAILED');
    expect(next.error).toBe('SnapshotTimedOut');
    expect(next.cause).toContain(TAKEN);
    expect(next.results(S.take)).toMatchObject([{ started: false }]);
    expect(patient.status, patient.cause).toBe('SUCCEEDED');
    expect(patient.output).toMatchObject({ take: { started: false }, deleteOld: { deleted: 0 } });
    expect(rig.proxy.total('CreateDBClusterSnapshot')).toBe(1);
    expect(rig.gate.deletesOfHeld()).toEqual([]);
    expect((await rig.estate.snapshotIds(SRC)).sort()).toEqual([expiredId(10), TAKEN].sort());
  });

  it('a copy not started (copying at 0%, queued behind others): the execution checks it sparsely, leaves it to the next run past MaxWaitMinutes and runs retention; later runs keep its source and the copy', async () => {
    // Prepare: a DR copy to share with another account, so the execution follows it.
    rig.gate.holdCopies(true);
    const sharing = { ShareSnapshots: 'TRUE', DestinationRegion: DST, DestinationAccount: OTHER_ACCOUNT };
    const dir = mkdtempSync(join(tmpdir(), 'ast-stuck-'));
    const config = join(dir, 'tool.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        ...block(sharing),
        Destination: { Region: DST, SnapshotPattern: '^orders-db$', RetentionDays: 7 },
      }),
    );

    // Act: the execution, then a run eight days later (past RetentionDays) with the copy still copying.
    const outcome = await executeSource(rig, block(sharing), pollingClock(NOW));
    const later = await runCli(
      ['run', '--config', config, '--now', new Date(NOW.getTime() + 8 * DAY).toISOString(), '--json'],
      rig.env,
    );

    // Assess: past MaxWaitMinutes the copy at 0% is pending work, not a failure; retention ran.
    expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
    expect(outcome.output).toMatchObject({
      share: { follow: true, followRefs: [{ region: DST, id: TAKEN }] },
      copyCheck: {
        state: 'pending',
        snapshots: [{ ref: { region: DST, id: TAKEN }, status: 'copying', percentProgress: 0 }],
      },
    });
    const checks = outcome.results(S.checkCopies).map((r) => r.state);
    expect(checks.at(-1)).toBe('pending');
    expect(checks.slice(0, -1).every((state) => state === 'in-progress')).toBe(true);
    expect(outcome.path().slice(-2)).toEqual([S.afterShare, S.deleteOld]);
    expect(await rig.estate.snapshotIds(SRC)).toContain(TAKEN);
    // Eight days on: the expired source is kept for its pending copy, the copy is not touched, none doubled.
    expect(later.code, later.stderr).toBe(0);
    const notes = (JSON.parse(later.stdout) as { source: { notes: { code: string; snapshotId?: string }[] } })
      .source.notes;
    expect(notes).toContainEqual(expect.objectContaining({ code: 'kept-copy-pending', snapshotId: TAKEN }));
    expect(await rig.estate.snapshotIds(SRC)).toContain(TAKEN);
    expect(await rig.estate.snapshotIds(DST)).toContain(TAKEN);
    expect(rig.gate.copying(DST)).toContain(TAKEN);
    expect(rig.gate.deletesOfHeld()).toEqual([]);
    expect(
      rig.proxy.requests().filter((r) => r.action === 'CopyDBClusterSnapshot' && r.region === DST),
    ).toHaveLength(2);
  });
});
