// CheckSnapshotStatus: available, not ready (a polling check) or in progress with when to look again (a sparse check), timed out with the name, failed or vanished.
import { describe, expect, it } from 'vitest';
import { isToolError, type ToolError } from '../../../src/core/model/errors.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import type { SnapshotStore } from '../../../src/core/model/ports.js';
import { checkSnapshots } from '../../../src/core/plan/check-snapshots.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryEstate } from '../../support/memory-store.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';

function setup() {
  const clock = new ManualClock('2025-03-01T00:00:00Z');
  const estate = new MemoryEstate({ clock });
  const storeFor = (region: string) => estate.store(region);
  return { clock, estate, storeFor, started: clock.now() };
}

async function outcome(promise: Promise<unknown>): Promise<ToolError> {
  try {
    await promise;
  } catch (error) {
    return error as ToolError;
  }
  throw new Error('expected a failure');
}

describe('checkSnapshots', () => {
  it('is available when every snapshot and copy is, looked up by ARN across regions', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    const a = estate.putSnapshot({ region: SRC, id: 'a' });
    const b = estate.putSnapshot({ region: DST, id: 'b' });

    // Act
    const result = await checkSnapshots(
      storeFor,
      [
        { region: SRC, id: 'a' },
        { region: DST, id: 'b', arn: b.arn },
      ],
      clock,
      started,
      60,
    );

    // Assess
    expect(result).toEqual({
      state: 'available',
      snapshots: [
        { ref: { region: SRC, id: a.id }, status: 'available' },
        { ref: { region: DST, id: 'b', arn: b.arn }, status: 'available' },
      ],
    });
  });

  it('is available for an empty list', async () => {
    // Prepare
    const { clock, storeFor, started } = setup();

    // Act
    const result = await checkSnapshots(storeFor, [], clock, started, 60);

    // Assess
    expect(result.state).toBe('available');
  });

  it('throws SnapshotNotReady naming what is in progress, until the bound', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'a' });
    estate.putSnapshot({ region: DST, id: 'b', status: 'copying' });
    clock.advance({ minutes: 60 });

    // Act
    const error = await outcome(
      checkSnapshots(
        storeFor,
        [
          { region: SRC, id: 'a' },
          { region: DST, id: 'b' },
        ],
        clock,
        started,
        60,
      ),
    );

    // Assess
    expect(isToolError(error, 'SnapshotNotReady')).toBe(true);
    expect(error.message).toContain('b (us-west-2: copying)');
    expect(error.message).not.toContain('a (');
  });

  it('throws SnapshotTimedOut naming the snapshot once past MaxWaitMinutes', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'stuck', status: 'creating' });
    clock.advance({ minutes: 61 });

    // Act
    const error = await outcome(checkSnapshots(storeFor, [{ region: SRC, id: 'stuck' }], clock, started, 60));

    // Assess
    expect(isToolError(error, 'SnapshotTimedOut')).toBe(true);
    expect(error.message).toContain('stuck');
    expect(error.details.snapshots).toEqual([{ ref: { region: SRC, id: 'stuck' }, status: 'creating' }]);
  });

  it('past MaxWaitMinutes, leaves what makes progress to the next runs and fails only on what made none', async () => {
    // Prepare: RDS's view of two snapshots started by the run 61 minutes ago.
    const clock = new ManualClock('2025-03-01T01:01:00Z');
    const started = new Date('2025-03-01T00:00:00Z');
    const snapshot = (id: string, percentProgress: number, status = 'creating'): SnapshotInfo => ({
      id,
      arn: `arn:aws:rds:${DST}:123456789012:cluster-snapshot:${id}`,
      clusterId: 'orders',
      region: DST,
      accountId: '123456789012',
      type: 'manual',
      status,
      createTime: started,
      encrypted: true,
      kmsKeyId: undefined,
      percentProgress,
      tags: {},
    });
    const rds =
      (progress: Record<string, number>, status = 'creating') =>
      (_region: string) =>
        ({
          getSnapshot: async (id: string) => snapshot(id, progress[id] ?? 0, status),
        }) as unknown as SnapshotStore;
    const refs = [
      { region: DST, id: 'big' },
      { region: DST, id: 'small' },
    ];

    // Act
    const slow = await checkSnapshots(rds({ big: 12, small: 80 }), refs, clock, started, 60);
    const stalled = await outcome(checkSnapshots(rds({ big: 12, small: 0 }), refs, clock, started, 60));
    const early = await outcome(checkSnapshots(rds({ big: 0, small: 0 }), refs, clock, started, 120));

    // Assess
    expect(slow.state).toBe('pending');
    expect(slow.snapshots.map((s) => s.percentProgress)).toEqual([12, 80]);
    expect(isToolError(stalled, 'SnapshotTimedOut')).toBe(true);
    expect(stalled.message).toContain('no progress');
    expect(stalled.message).toContain('small (us-west-2: creating)');
    expect(stalled.message).not.toContain('big');
    expect(isToolError(early, 'SnapshotNotReady')).toBe(true);
  });

  it('past MaxWaitMinutes, leaves a copy that has not started (copying at 0%, queued behind others) to the next runs', async () => {
    // Prepare: RDS's view of two copies the run started 61 minutes ago, one under way, one still queued.
    const clock = new ManualClock('2025-03-01T01:01:00Z');
    const started = new Date('2025-03-01T00:00:00Z');
    const progress: Record<string, number> = { queued: 0, 'under-way': 30 };
    const rds = (_region: string) =>
      ({
        getSnapshot: async (id: string): Promise<SnapshotInfo> => ({
          id,
          arn: `arn:aws:rds:${DST}:123456789012:cluster-snapshot:${id}`,
          clusterId: 'orders',
          region: DST,
          accountId: '123456789012',
          type: 'manual',
          status: 'copying',
          createTime: started,
          encrypted: true,
          kmsKeyId: undefined,
          percentProgress: progress[id] ?? 0,
          tags: {},
        }),
      }) as unknown as SnapshotStore;
    const refs = [
      { region: DST, id: 'queued' },
      { region: DST, id: 'under-way' },
    ];

    // Act
    const result = await checkSnapshots(rds, refs, clock, started, 60);

    // Assess
    expect(result.state).toBe('pending');
    expect(result.snapshots).toEqual([
      { ref: refs[0], status: 'copying', percentProgress: 0 },
      { ref: refs[1], status: 'copying', percentProgress: 30 },
    ]);
  });

  it('reports the progress of what is still in progress only, not the 100% RDS gives an available snapshot', async () => {
    // Prepare: RDS's view 61 minutes after the run started a snapshot (done) and a copy (40%).
    const clock = new ManualClock('2025-03-01T01:01:00Z');
    const started = new Date('2025-03-01T00:00:00Z');
    const seen = (id: string, status: string, percentProgress: number) =>
      ({ id, region: DST, status, percentProgress, tags: {} }) as unknown as SnapshotInfo;
    const rds = (_region: string) =>
      ({
        getSnapshot: async (id: string) =>
          id === 'done' ? seen(id, 'available', 100) : seen(id, 'copying', 40),
      }) as unknown as SnapshotStore;

    // Act
    const result = await checkSnapshots(
      rds,
      [
        { region: DST, id: 'done' },
        { region: DST, id: 'copy' },
      ],
      clock,
      started,
      60,
    );

    // Assess
    expect(result).toEqual({
      state: 'pending',
      snapshots: [
        { ref: { region: DST, id: 'done' }, status: 'available' },
        { ref: { region: DST, id: 'copy' }, status: 'copying', percentProgress: 40 },
      ],
    });
  });

  it('gives no percentProgress field for a snapshot whose progress RDS does not report', async () => {
    // Prepare: past MaxWaitMinutes (60), a copy whose percentage RDS does not give
    const clock = new ManualClock('2025-03-01T01:01:00Z');
    const started = new Date('2025-03-01T00:00:00Z');
    const rds = (_region: string) =>
      ({
        getSnapshot: async (id: string) =>
          ({
            id,
            region: DST,
            status: 'copying',
            percentProgress: undefined,
            tags: {},
          }) as unknown as SnapshotInfo,
      }) as unknown as SnapshotStore;

    // Act
    const result = await checkSnapshots(rds, [{ region: DST, id: 'fresh' }], clock, started, 60);

    // Assess: toStrictEqual tells an absent field from one set to undefined
    expect(result).toStrictEqual({
      state: 'pending',
      snapshots: [{ ref: { region: DST, id: 'fresh' }, status: 'copying' }],
    });
  });

  it('throws SnapshotFailed for a failed or vanished snapshot, before any wait', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'bad', status: 'failed' });
    estate.putSnapshot({ region: SRC, id: 'slow', status: 'creating' });

    // Act
    const failed = await outcome(
      checkSnapshots(
        storeFor,
        [
          { region: SRC, id: 'slow' },
          { region: SRC, id: 'bad' },
        ],
        clock,
        started,
        60,
      ),
    );
    const vanished = await outcome(
      checkSnapshots(storeFor, [{ region: SRC, id: 'gone' }], clock, started, 60),
    );

    // Assess
    expect(isToolError(failed, 'SnapshotFailed')).toBe(true);
    expect(failed.message).toContain('bad');
    expect(isToolError(vanished, 'SnapshotFailed')).toBe(true);
    expect(vanished.message).toContain('gone (us-east-1: missing)');
  });
});

describe('checkSnapshots, sparse (the state machines that wait between checks)', () => {
  it('answers in-progress with when to look again, sized from the progress of the soonest to finish', async () => {
    // Prepare: two copies started 20 minutes ago, at 40% and 10%, one already available.
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'done' });
    estate.putSnapshot({ region: DST, id: 'fast', status: 'copying', percentProgress: 40 });
    estate.putSnapshot({ region: DST, id: 'slow', status: 'copying', percentProgress: 10 });
    clock.advance({ minutes: 20 });

    // Act
    const result = await checkSnapshots(
      storeFor,
      [
        { region: SRC, id: 'done' },
        { region: DST, id: 'slow' },
        { region: DST, id: 'fast' },
      ],
      clock,
      started,
      60,
      { sparse: true },
    );

    // Assess: 40% in 1,200 s leaves 1,800 s; × 1.1 + 30.
    expect(result).toEqual({
      state: 'in-progress',
      snapshots: [
        { ref: { region: SRC, id: 'done' }, status: 'available' },
        { ref: { region: DST, id: 'slow' }, status: 'copying', percentProgress: 10 },
        { ref: { region: DST, id: 'fast' }, status: 'copying', percentProgress: 40 },
      ],
      checkAfterSeconds: 2010,
    });
  });

  it('sizes the wait of a copy with no progress yet from its AllocatedStorage', async () => {
    // Prepare: 2 TiB, just started.
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({
      region: DST,
      id: 'big',
      status: 'copying',
      percentProgress: 0,
      allocatedStorageGiB: 2048,
    });

    // Act
    const result = await checkSnapshots(storeFor, [{ region: DST, id: 'big' }], clock, started, 720, {
      sparse: true,
    });

    // Assess: two hours at 1 TiB an hour, × 1.1 + 30.
    expect(result).toMatchObject({ state: 'in-progress', checkAfterSeconds: 7950 });
  });

  it('never throws SnapshotNotReady: the same snapshot in progress is SnapshotNotReady to a polling check', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'new', status: 'creating' });
    const refs = [{ region: SRC, id: 'new' }];

    // Act
    const sparse = await checkSnapshots(storeFor, refs, clock, started, 60, { sparse: true });
    const polling = await outcome(checkSnapshots(storeFor, refs, clock, started, 60));
    const notSparse = await outcome(checkSnapshots(storeFor, refs, clock, started, 60, { sparse: false }));

    // Assess
    expect(sparse).toMatchObject({ state: 'in-progress', checkAfterSeconds: 60 });
    expect(isToolError(polling, 'SnapshotNotReady')).toBe(true);
    expect(isToolError(notSparse, 'SnapshotNotReady')).toBe(true);
  });

  it('says available, and pending past MaxWaitMinutes, with the shortest wait (which nothing reads)', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'ready' });
    estate.putSnapshot({ region: DST, id: 'queued', status: 'copying', percentProgress: 0 });
    clock.advance({ minutes: 61 });

    // Act
    const available = await checkSnapshots(storeFor, [{ region: SRC, id: 'ready' }], clock, started, 60, {
      sparse: true,
    });
    const pending = await checkSnapshots(storeFor, [{ region: DST, id: 'queued' }], clock, started, 60, {
      sparse: true,
    });
    const none = await checkSnapshots(storeFor, [], clock, started, 60, { sparse: true });

    // Assess: a polling check's answers carry no such field.
    expect(available).toEqual({
      state: 'available',
      snapshots: [{ ref: { region: SRC, id: 'ready' }, status: 'available' }],
      checkAfterSeconds: 60,
    });
    expect(pending).toMatchObject({ state: 'pending', checkAfterSeconds: 60 });
    expect(none).toEqual({ state: 'available', snapshots: [], checkAfterSeconds: 60 });
    expect(
      await checkSnapshots(storeFor, [{ region: SRC, id: 'ready' }], clock, started, 60),
    ).not.toHaveProperty('checkAfterSeconds');
  });

  it('still throws SnapshotTimedOut and SnapshotFailed, as a polling check does', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'stuck', status: 'creating' });
    estate.putSnapshot({ region: SRC, id: 'bad', status: 'failed' });
    clock.advance({ minutes: 61 });

    // Act
    const timedOut = await outcome(
      checkSnapshots(storeFor, [{ region: SRC, id: 'stuck' }], clock, started, 60, { sparse: true }),
    );
    const failed = await outcome(
      checkSnapshots(storeFor, [{ region: SRC, id: 'bad' }], clock, started, 60, { sparse: true }),
    );

    // Assess
    expect(isToolError(timedOut, 'SnapshotTimedOut')).toBe(true);
    expect(timedOut.message).toContain('stuck (us-east-1: creating)');
    expect(isToolError(failed, 'SnapshotFailed')).toBe(true);
  });
});
