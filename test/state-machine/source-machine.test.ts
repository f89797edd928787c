// The source state machine executed for real (aws-local-stepfunctions) with each task calling the real handler against moto.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { handler as check } from '../../src/handlers/check-snapshot-status.js';
import { handler as deleteOld } from '../../src/handlers/delete-old-snapshots.js';
import { setClock } from '../../src/handlers/runtime.js';
import { handler as share } from '../../src/handlers/share-snapshots.js';
import { handler as take } from '../../src/handlers/take-snapshots.js';
import { SOURCE_STATES, sourceStateMachineDefinition } from '../../src/state-machines/source.js';
import { startRecording } from '../support/api-recorder.js';
import { restoreEnvironment } from '../support/environment.js';
import { createEstate, type Estate } from '../support/estate.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { ManualClock } from '../support/manual-clock.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { execute, type LambdaHandler } from './execute.js';
import { type CapturedOutput, captureStdout } from './harness.js';
import { describeRecordedCallsAllowed } from './recorded-calls-iam.js';
import { type StatusProxy, startStatusProxy } from './status-proxy.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const ACCOUNT = '123456789012';
const arn = (name: string) => `arn:aws:lambda:${SRC}:${ACCOUNT}:function:${name}`;
const FNS = {
  take: arn('TakeSnapshotsAurora'),
  check: arn('CheckSnapshotStatus'),
  share: arn('ShareSnapshotsAurora'),
  deleteOld: arn('DeleteOldSnapshotsAurora'),
};
const FUNCTIONS: Record<string, LambdaHandler> = {
  [FNS.take]: take,
  [FNS.check]: check,
  [FNS.share]: share,
  [FNS.deleteOld]: deleteOld,
};
const definition = sourceStateMachineDefinition(FNS);
const S = SOURCE_STATES;

let moto: MotoServer;
let estate: Estate;
let output: CapturedOutput;
const savedEnv = { ...process.env };

function input(extra: Record<string, unknown> = {}) {
  return {
    Source: {
      Region: SRC,
      ClusterNamePattern: '^orders',
      ShareSnapshots: 'TRUE',
      DestinationRegion: DST,
      RetentionDays: '7',
      BackupInterval: '24',
      LogLevel: 'INFO',
      ...extra,
    },
  };
}

function useEndpoint(endpoint: string): void {
  process.env.AWS_ENDPOINT_URL = endpoint;
}

beforeAll(async () => {
  moto = await startMoto();
  // The functions' AWS calls are recorded for the IAM check at the end; tags are read from moto itself.
  startRecording(() => moto.endpoint);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  useEndpoint(moto.endpoint);
  // Failures reach the state machine after one attempt, so its own retries are what is tested.
  process.env.AWS_MAX_ATTEMPTS = '1';
  estate = createEstate({ endpoint: moto.endpoint });
  await estate.createCluster(SRC, 'orders-db');
  await estate.createCluster(SRC, 'billing-db');
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  setClock(undefined);
  restoreEnvironment({ ...savedEnv, ...moto.env });
  delete process.env.AWS_MAX_ATTEMPTS;
});

describe('source state machine on moto', () => {
  it('takes a snapshot, copies it to the destination region and deletes the expired one, in one execution', async () => {
    // Prepare: a first execution ten days ago leaves a snapshot and its DR copy.
    const now = new Date();
    const clock = new ManualClock(new Date(now.getTime() - 10 * 24 * 3_600_000));
    setClock(clock);
    const first = await execute(definition, input(), FUNCTIONS);
    const old = first.results(S.take)[0]?.taken as string[] | undefined;
    clock.set(now);

    // Act
    const outcome = await execute(definition, input(), FUNCTIONS);

    // Assess
    expect(first.status).toBe('SUCCEEDED');
    expect(outcome.status).toBe('SUCCEEDED');
    const taken = outcome.results(S.take)[0]?.taken as string[];
    expect(old).toHaveLength(1);
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatch(/^orders-db-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/);
    expect(outcome.output).toMatchObject({
      take: { started: true, refs: [{ region: SRC, id: taken[0] }] },
      snapshotCheck: { state: 'available' },
      copyCheck: { state: 'available' },
      deleteOld: { deleted: 1 },
    });
    // The first share round copies the new snapshot; the second finds nothing more to do.
    expect(outcome.results(S.share)).toMatchObject([
      { started: true, refs: [{ region: DST, id: taken[0] }], copied: [taken[0]] },
      { started: false, refs: [] },
    ]);
    expect(outcome.path()).toEqual([
      S.take,
      S.snapshotsStarted,
      S.waitForSnapshots,
      S.checkSnapshots,
      S.share,
      S.copiesStarted,
      S.waitForCopies,
      S.checkCopies,
      S.shareRoundDone,
      S.secondShareRound,
      S.share,
      S.copiesStarted,
      S.deleteOld,
      S.done,
    ]);
    const sourceIds = await estate.snapshotIds(SRC);
    expect(sourceIds).toEqual([taken[0]]);
    expect(sourceIds).not.toContain(old?.[0]);
    const copies = await estate.snapshots(DST);
    const copy = copies.find((s) => s.DBClusterSnapshotIdentifier === taken[0]);
    expect(copy?.TagList).toContainEqual({ Key: TAG.CopiedBy, Value: TOOL_TAG_VALUE });
    expect(await estate.snapshotIds(DST)).toEqual(expect.arrayContaining([old?.[0], taken[0]]));
  });

  it("retries a task once when Lambda's own timeout ends it (Sandbox.Timedout), and fails on a second", async () => {
    // Prepare: the take's first invocation runs out of time, as Lambda reports it.
    const timedOut = () =>
      Object.assign(new Error('Task timed out after 300.00 seconds'), { name: 'Sandbox.Timedout' });
    let calls = 0;
    const once: LambdaHandler = async (event) => {
      calls += 1;
      if (calls === 1) throw timedOut();
      return take(event);
    };
    const always: LambdaHandler = async () => {
      throw timedOut();
    };

    // Act
    const retried = await execute(definition, input(), { ...FUNCTIONS, [FNS.take]: once });
    const failed = await execute(definition, input(), { ...FUNCTIONS, [FNS.take]: always });

    // Assess
    expect(retried.status, retried.cause).toBe('SUCCEEDED');
    expect(retried.retries(S.take)).toEqual(['Sandbox.Timedout']);
    expect(retried.output).toMatchObject({ take: { started: true } });
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Sandbox.Timedout');
    expect(failed.retries(S.take)).toEqual(['Sandbox.Timedout']);
  });

  it('takes nothing in a second execution within the same BackupInterval', async () => {
    // Prepare
    const clock = new ManualClock(new Date());
    setClock(clock);
    const first = await execute(definition, input(), FUNCTIONS);
    clock.advance({ hours: 1 });

    // Act
    const second = await execute(definition, input(), FUNCTIONS);

    // Assess
    expect(first.output).toMatchObject({ take: { started: true } });
    expect(second.status).toBe('SUCCEEDED');
    expect(second.output).toMatchObject({ take: { started: false, refs: [] }, share: { started: false } });
    expect(second.results(S.take)).toMatchObject([{ taken: [] }]);
    expect(second.path()).not.toContain(S.checkSnapshots);
    expect(await estate.snapshotIds(SRC)).toHaveLength(1);
    expect(await estate.snapshotIds(DST)).toHaveLength(1);
  });

  describe('with a snapshot that stays creating for a few polls', () => {
    let proxy: StatusProxy;

    beforeEach(async () => {
      proxy = await startStatusProxy(moto.endpoint);
      useEndpoint(proxy.endpoint);
    });

    afterEach(async () => {
      await proxy.stop();
    });

    it('polls CheckSnapshotStatus until it is available, then shares it', async () => {
      // Prepare
      proxy.hold(/^orders-db-/, 3);

      // Act
      const outcome = await execute(definition, input(), FUNCTIONS);

      // Assess
      expect(outcome.status).toBe('SUCCEEDED');
      expect(proxy.held()).toBe(3);
      expect(outcome.retries(S.checkSnapshots)).toEqual([
        'SnapshotNotReady',
        'SnapshotNotReady',
        'SnapshotNotReady',
      ]);
      const path = outcome.path();
      expect(path.indexOf(S.share)).toBeGreaterThan(path.indexOf(S.checkSnapshots));
      expect(outcome.output).toMatchObject({ snapshotCheck: { state: 'available' } });
      expect(outcome.results(S.share)[0]).toMatchObject({ started: true });
    });

    it('past MaxWaitMinutes, a snapshot still making progress is left to the next run: no failure, retention runs', async () => {
      // Prepare: every poll moves the clock 10 minutes on; RDS reports 40% done.
      proxy.hold(/^orders-db-/, 100, 'creating', 40);
      const clock = new ManualClock(new Date());
      setClock({
        now: () => {
          const at = clock.now();
          clock.advance({ minutes: 10 });
          return at;
        },
      });

      // Act
      const outcome = await execute(definition, input({ MaxWaitMinutes: 30 }), FUNCTIONS);

      // Assess
      expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
      expect(outcome.output).toMatchObject({
        snapshotCheck: { state: 'pending', snapshots: [expect.objectContaining({ percentProgress: 40 })] },
      });
      expect(outcome.path()).toContain(S.deleteOld);
    });

    it('when the polls run out before MaxWaitMinutes, the snapshot is left to the next run, not failed', async () => {
      // Prepare: two polls only, a day of MaxWaitMinutes.
      proxy.hold(/^orders-db-/, 100, 'creating', 0);
      const short = sourceStateMachineDefinition(FNS, { pollSeconds: 1, maxPolls: 2 });

      // Act
      const outcome = await execute(short, input({ MaxWaitMinutes: 1440 }), FUNCTIONS);

      // Assess
      expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
      expect(outcome.retries(S.checkSnapshots)).toEqual(['SnapshotNotReady', 'SnapshotNotReady']);
      expect(outcome.output).toMatchObject({ snapshotCheckLeft: { Error: 'SnapshotNotReady' } });
      expect(outcome.path()).toContain(S.deleteOld);
    });

    it('fails with SnapshotTimedOut, naming the snapshot, once MaxWaitMinutes have passed with no progress', async () => {
      // Prepare: every poll moves the clock 10 minutes on.
      proxy.hold(/^orders-db-/, 100);
      const clock = new ManualClock(new Date());
      setClock({
        now: () => {
          const at = clock.now();
          clock.advance({ minutes: 10 });
          return at;
        },
      });

      // Act
      const outcome = await execute(definition, input({ MaxWaitMinutes: 30 }), FUNCTIONS);

      // Assess
      expect(outcome.status).toBe('FAILED');
      expect(outcome.error).toBe('SnapshotTimedOut');
      expect(outcome.cause).toContain('orders-db-');
      expect(outcome.path()).not.toContain(S.share);
    });
  });

  describe('behind a proxy that throttles', () => {
    let proxy: FaultProxy;

    beforeEach(async () => {
      proxy = await startFaultProxy({
        target: moto.endpoint,
        seed: 7,
        plan: [{ fault: 'throttle', actions: ['CreateDBClusterSnapshot'], times: 2 }],
      });
      useEndpoint(proxy.endpoint);
    });

    afterEach(async () => {
      await proxy.stop();
    });

    it('retries the take on ThrottlingError and succeeds with one snapshot', async () => {
      // Act
      const outcome = await execute(definition, input(), FUNCTIONS);

      // Assess
      expect(outcome.status).toBe('SUCCEEDED');
      expect(outcome.retries(S.take)).toEqual(['ThrottlingError', 'ThrottlingError']);
      expect(proxy.total('CreateDBClusterSnapshot')).toBe(3);
      expect(await estate.snapshotIds(SRC)).toHaveLength(1);
      expect(outcome.output).toMatchObject({ take: { started: true } });
      expect(outcome.results(S.share)[0]).toMatchObject({ started: true });
    });
  });

  it('ends FAILED with KmsKeyNotAccessible, naming the cluster, when the destination key is unusable', async () => {
    // Prepare
    const key = await estate.createKey(SRC);
    await estate.createCluster(SRC, 'orders-secure-db', { kmsKeyId: key.arn });
    const missingKey = `arn:aws:kms:${DST}:${ACCOUNT}:key/00000000-0000-4000-8000-000000000000`;

    // Act
    const outcome = await execute(
      definition,
      input({ ClusterNamePattern: '^orders-secure', KmsKeyDestination: missingKey }),
      FUNCTIONS,
    );

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('KmsKeyNotAccessible');
    expect(outcome.cause).toContain('ClusterNamePattern ^orders-secure');
    expect(outcome.cause).toContain('orders-secure-db');
    expect(outcome.retries(S.share)).toEqual([]);
    expect(outcome.path()).not.toContain(S.deleteOld);
    expect(outcome.path().at(-1)).toBe(S.failed);
  });

  it('ends FAILED with ConfigError naming the parameter and the cluster, before any AWS call', async () => {
    // Act
    const outcome = await execute(definition, input({ BackupInterval: 'hourly' }), FUNCTIONS);

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('ConfigError');
    expect(outcome.cause).toContain('ClusterNamePattern ^orders');
    expect(outcome.cause).toContain('Source.BackupInterval');
    expect(outcome.retries(S.take)).toEqual([]);
    expect(await estate.snapshotIds(SRC)).toEqual([]);
  });

  it('ends FAILED with ConfigError naming Source when the input has no Source block', async () => {
    // Act
    const outcome = await execute(
      definition,
      { Destination: { Region: DST, SnapshotPattern: 'x' } },
      FUNCTIONS,
    );

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('ConfigError');
    expect(outcome.cause).toContain('Source: is required');
  });
});

describeRecordedCallsAllowed(
  [
    'TakeSnapshotsAurora CreateDBClusterSnapshot',
    'ShareSnapshotsAurora CopyDBClusterSnapshot',
    'DeleteOldSnapshotsAurora DeleteDBClusterSnapshot',
    'CheckSnapshotStatus DescribeDBClusterSnapshots',
  ],
  [
    ['rds:AddTagsToResource', 'TakeSnapshotsAurora rds:CreateDBClusterSnapshot'],
    ['rds:CopyDBClusterSnapshot', 'ShareSnapshotsAurora rds:CopyDBClusterSnapshot'],
    ['rds:DeleteDBClusterSnapshot', 'DeleteOldSnapshotsAurora rds:DeleteDBClusterSnapshot'],
    ['rds:DescribeDBClusterSnapshots', 'CheckSnapshotStatus rds:DescribeDBClusterSnapshots'],
  ],
);
