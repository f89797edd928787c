// The destination state machine executed locally with the real handlers: retention over moto, the cross-account copy over the in-memory estate, and an execution of the polling definition in flight during an upgrade.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { handler as check } from '../../src/handlers/check-snapshot-status.js';
import { handler as copyShared } from '../../src/handlers/copy-snapshots-dest.js';
import { handler as deleteOldDest } from '../../src/handlers/delete-old-snapshots-dest.js';
import { setClock, setStoreFactory } from '../../src/handlers/runtime.js';
import type { StateMachineDefinition } from '../../src/state-machines/asl.js';
import {
  DESTINATION_STATES,
  destinationStateMachineDefinition,
} from '../../src/state-machines/destination.js';
import { startRecording } from '../support/api-recorder.js';
import { createEstate, type Estate } from '../support/estate.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryEstate } from '../support/memory-store.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { execute, type LambdaHandler } from './execute.js';
import { type CapturedOutput, captureStdout } from './harness.js';
import { describeRecordedCallsAllowed } from './recorded-calls-iam.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const SOURCE_ACCOUNT = '111111111111';
const DEST_ACCOUNT = '222222222222';
/** moto's default account: the functions of the tests on moto act in it. */
const MOTO_ACCOUNT = '123456789012';
const functionArns = (account: string) => {
  const arn = (name: string) => `arn:aws:lambda:${DST}:${account}:function:${name}`;
  return {
    copy: arn('CopySnapshotsDestAurora'),
    check: arn('CheckSnapshotStatus'),
    deleteOld: arn('DeleteOldSnapshotsDestAurora'),
  };
};
const FNS = functionArns(DEST_ACCOUNT);
const D = DESTINATION_STATES;
const DAY_MS = 24 * 3_600_000;

let output: CapturedOutput;

function input(extra: Record<string, unknown> = {}) {
  return {
    Destination: {
      Region: DST,
      SnapshotPattern: '^orders',
      RetentionDays: '7',
      SourceRegion: SRC,
      LogLevel: 'INFO',
      ...extra,
    },
  };
}

beforeEach(() => {
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  setClock(undefined);
  setStoreFactory(undefined);
});

describe('destination state machine, same account, on moto', () => {
  const MOTO_FNS = functionArns(MOTO_ACCOUNT);
  let moto: MotoServer;
  let estate: Estate;
  const functions: Record<string, LambdaHandler> = {
    [MOTO_FNS.copy]: copyShared,
    [MOTO_FNS.deleteOld]: deleteOldDest,
  };

  function drCopyTags(cluster: string, region: string, at: Date): Record<string, string> {
    return {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.PointInTime]: at.toISOString(),
      [TAG.SourceCluster]: cluster,
      [TAG.SourceRegion]: region,
      [TAG.SourceAccount]: estate.accountId,
      [TAG.Purpose]: 'dr-copy',
    };
  }

  beforeAll(async () => {
    moto = await startMoto();
    startRecording(() => moto.endpoint);
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  beforeEach(async () => {
    await moto.reset();
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    estate = createEstate({ endpoint: moto.endpoint });
    // Copies in the destination region (moto records the copies' cluster as a cluster of that region).
    await estate.createCluster(DST, 'orders-db');
    await estate.createCluster(DST, 'billing-db');
    const now = Date.now();
    const copy = (id: string, cluster: string, daysAgo: number, region = SRC) =>
      estate.createSnapshot(DST, {
        clusterId: cluster,
        snapshotId: id,
        tags: drCopyTags(cluster, region, new Date(now - daysAgo * DAY_MS)),
      });
    await copy('orders-db-old', 'orders-db', 10);
    await copy('orders-db-new', 'orders-db', 0);
    await copy('billing-db-old', 'billing-db', 10);
    await copy('orders-db-from-elsewhere', 'orders-db', 10, 'eu-west-1');
    await estate.createSnapshot(DST, { clusterId: 'orders-db', snapshotId: 'orders-db-by-hand' });
  });

  it('skips the copy without a SourceAccount and deletes only expired copies it manages', async () => {
    // Act
    const outcome = await execute(destinationStateMachineDefinition(MOTO_FNS), input(), functions);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.path()).toEqual([D.crossAccount, D.deleteOld]);
    expect(outcome.output).toMatchObject({ deleteOld: { deleted: 1 } });
    expect((await estate.snapshotIds(DST)).sort()).toEqual([
      'billing-db-old',
      'orders-db-by-hand',
      'orders-db-from-elsewhere',
      'orders-db-new',
    ]);
  });

  it('deletes nothing when DeleteOldSnapshots is FALSE', async () => {
    // Act
    const outcome = await execute(
      destinationStateMachineDefinition(MOTO_FNS),
      input({ DeleteOldSnapshots: 'FALSE' }),
      functions,
    );

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.output).toMatchObject({ deleteOld: { deleted: 0 } });
    expect(await estate.snapshotIds(DST)).toHaveLength(5);
  });

  it('ends FAILED naming SnapshotPattern when a setting is bad', async () => {
    // Act
    const outcome = await execute(
      destinationStateMachineDefinition(MOTO_FNS),
      input({ RetentionDays: 'forever' }),
      functions,
    );

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('ConfigError');
    expect(outcome.cause).toContain('SnapshotPattern ^orders');
    expect(outcome.cause).toContain('Destination.RetentionDays');
    expect(await estate.snapshotIds(DST)).toHaveLength(5);
  });
});

describe('destination state machine, cross-account, over the in-memory estate', () => {
  // moto cannot copy a snapshot shared from another account, so this path runs over the in-memory estate.
  let clock: ManualClock;
  let memory: MemoryEstate;

  beforeEach(() => {
    clock = new ManualClock('2025-03-01T01:00:00.000Z');
    memory = new MemoryEstate({ clock });
    setClock(clock);
    setStoreFactory((region) => memory.store(region, DEST_ACCOUNT));
    memory.putSnapshot({
      region: DST,
      id: 'orders-db-2025-03-01-00-00',
      clusterId: 'orders-db',
      accountId: SOURCE_ACCOUNT,
      status: 'available',
      allocatedStorageGiB: 2048,
      sharedWith: [DEST_ACCOUNT],
    });
  });

  it('leaves a copy still in progress past MaxWaitMinutes to the next run, and applies retention', async () => {
    // Prepare: each check an hour later; the copy stays at 10% (MaxWaitMinutes 120).
    const functions: Record<string, LambdaHandler> = {
      [FNS.copy]: copyShared,
      [FNS.deleteOld]: deleteOldDest,
      [FNS.check]: async (event) => {
        clock.advance({ minutes: 60 });
        memory.setProgress('orders-db-2025-03-01-00-00', 10, DST, DEST_ACCOUNT);
        return check(event);
      },
    };

    // Act
    const outcome = await execute(
      destinationStateMachineDefinition(FNS),
      input({ SourceAccount: SOURCE_ACCOUNT, MaxWaitMinutes: '120' }),
      functions,
    );

    // Assess
    expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
    expect(outcome.results(D.checkCopies).map((r) => r.state)).toEqual([
      'in-progress',
      'in-progress',
      'pending',
    ]);
    expect(outcome.path().slice(-2)).toEqual([D.copiesReady, D.deleteOld]);
    expect(memory.find('orders-db-2025-03-01-00-00', DST, DEST_ACCOUNT)?.status).toBe('copying');
  });

  it('copies the shared snapshot, checks sparsely until the copy is available, then applies retention', async () => {
    // Prepare: each check 30 minutes after the last; the copy is at 25%, then 75%, then done.
    let polls = 0;
    const functions: Record<string, LambdaHandler> = {
      [FNS.copy]: copyShared,
      [FNS.deleteOld]: deleteOldDest,
      [FNS.check]: async (event) => {
        polls += 1;
        clock.advance({ minutes: 30 });
        if (polls === 1) memory.setProgress('orders-db-2025-03-01-00-00', 25, DST, DEST_ACCOUNT);
        if (polls === 2) memory.setProgress('orders-db-2025-03-01-00-00', 75, DST, DEST_ACCOUNT);
        if (polls === 3) memory.settle();
        return check(event);
      },
    };

    // Act
    const outcome = await execute(
      destinationStateMachineDefinition(FNS),
      input({ SourceAccount: SOURCE_ACCOUNT }),
      functions,
    );

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.path()).toEqual([
      D.crossAccount,
      D.copy,
      D.copiesStarted,
      D.waitForCopies,
      D.checkCopies,
      D.copiesReady,
      D.waitAgainForCopies,
      D.checkCopies,
      D.copiesReady,
      D.waitAgainForCopies,
      D.checkCopies,
      D.copiesReady,
      D.deleteOld,
    ]);
    expect(outcome.retries(D.checkCopies)).toEqual([]);
    // The first wait from the copy's size (2 TiB: two hours), then from its pace: 25% in 30 minutes leaves
    // 5,400 s (× 1.1 + 30), 75% in an hour leaves 1,200 s.
    expect(outcome.waits()).toEqual([
      { state: D.waitForCopies, seconds: 7950 },
      { state: D.waitAgainForCopies, seconds: 5970 },
      { state: D.waitAgainForCopies, seconds: 1350 },
    ]);
    for (const invocation of outcome.invocations.filter((i) => i.state === D.checkCopies)) {
      expect(invocation.payload).toMatchObject({ sparse: true });
    }
    const copy = memory.find('orders-db-2025-03-01-00-00', DST, DEST_ACCOUNT);
    expect(copy?.status).toBe('available');
    expect(copy?.tags[TAG.CopiedBy]).toBe(TOOL_TAG_VALUE);
    expect(outcome.output).toMatchObject({
      copy: {
        started: true,
        refs: [{ region: DST, id: 'orders-db-2025-03-01-00-00' }],
        checkAfterSeconds: 7950,
      },
      copyCheck: { state: 'available' },
      deleteOld: { deleted: 0 },
    });
  });

  it('runs an execution of the polling definition (started before an upgrade) to SUCCEEDED on the new functions', async () => {
    // Prepare: the definition deployed before sparse checks, frozen as data, its ARNs mapped to the handlers
    // by function name; the copy completes on the third poll.
    const polling = JSON.parse(
      readFileSync(new URL('../../bench/baseline/polling-destination.asl.json', import.meta.url), 'utf8'),
    ) as StateMachineDefinition;
    let polls = 0;
    const byName: Record<string, LambdaHandler> = {
      CopySnapshotsDestAurora: copyShared,
      DeleteOldSnapshotsDestAurora: deleteOldDest,
      CheckSnapshotStatus: async (event) => {
        polls += 1;
        if (polls === 3) memory.settle();
        return check(event);
      },
    };
    const functions: Record<string, LambdaHandler> = {};
    for (const state of Object.values(polling.States)) {
      const arn = state.Type === 'Task' ? String(state.Parameters?.FunctionName) : '';
      const handler = byName[arn.split(':').at(-1) ?? ''];
      if (handler) functions[arn] = handler;
    }

    // Act
    const outcome = await execute(polling, input({ SourceAccount: SOURCE_ACCOUNT }), functions);

    // Assess
    expect(Object.keys(functions)).toHaveLength(3);
    expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
    expect(outcome.retries('CheckCopyStatus')).toEqual(['SnapshotNotReady', 'SnapshotNotReady']);
    expect(outcome.path()).toEqual([
      'CrossAccount',
      'CopySharedSnapshots',
      'CopiesStarted',
      'WaitForCopies',
      'CheckCopyStatus',
      'DeleteOldSnapshots',
      'Done',
    ]);
    expect(outcome.output).toMatchObject({ copyCheck: { state: 'available' }, deleteOld: { deleted: 0 } });
    expect(memory.find('orders-db-2025-03-01-00-00', DST, DEST_ACCOUNT)?.status).toBe('available');
  });

  it('goes straight from the copy to retention when the account has no check function', async () => {
    // Prepare
    const functions: Record<string, LambdaHandler> = {
      [FNS.copy]: copyShared,
      [FNS.deleteOld]: deleteOldDest,
    };

    // Act
    const outcome = await execute(
      destinationStateMachineDefinition({ ...FNS, check: undefined }),
      input({ SourceAccount: SOURCE_ACCOUNT }),
      functions,
    );

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.path()).toEqual([D.crossAccount, D.copy, D.deleteOld]);
    expect(memory.find('orders-db-2025-03-01-00-00', DST, DEST_ACCOUNT)?.status).toBe('copying');
  });
});

describeRecordedCallsAllowed(
  [
    'DeleteOldSnapshotsDestAurora DeleteDBClusterSnapshot',
    'DeleteOldSnapshotsDestAurora DescribeDBClusterSnapshots',
  ],
  [['rds:DeleteDBClusterSnapshot', 'DeleteOldSnapshotsDestAurora rds:DeleteDBClusterSnapshot']],
);
