// The source state machine executed for real (aws-local-stepfunctions) with each task calling the real handler against moto: the scheduled execution, the one an RDS event starts, the sparse checks of copies to share, and an execution of the polling definition in flight during an upgrade.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CHECK_AFTER_SECONDS, MIN_CHECK_AFTER_SECONDS } from '../../src/core/copies/progress-estimate.js';
import { shareCopyName } from '../../src/core/model/naming.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { handler as check } from '../../src/handlers/check-snapshot-status.js';
import { setClock } from '../../src/handlers/runtime.js';
import { handler as take } from '../../src/handlers/take-snapshots.js';
import type { StateMachineDefinition } from '../../src/state-machines/asl.js';
import { SOURCE_STATES, sourceStateMachineDefinition } from '../../src/state-machines/source.js';
import { recordedCalls, startRecording } from '../support/api-recorder.js';
import { restoreEnvironment } from '../support/environment.js';
import { createEstate, type Estate } from '../support/estate.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { ManualClock } from '../support/manual-clock.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { execute, type LambdaHandler, sourceFunctions } from './execute.js';
import { type CapturedOutput, captureStdout } from './harness.js';
import { describeRecordedCallsAllowed } from './recorded-calls-iam.js';
import { type StatusProxy, startStatusProxy } from './status-proxy.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '222233334444';
const { arns: FNS, handlers: FUNCTIONS } = sourceFunctions(SRC, ACCOUNT);
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

/**
 * The execution input an RDS event produces: the configuration block and the reserved Trigger, as the rule's
 * input transformer builds it (the EventBridge rule's own helper is not used here: the input is written out).
 */
function eventInput(snapshotArn: string, extra: Record<string, unknown> = {}) {
  return {
    ...input(extra),
    Trigger: {
      Kind: 'RdsEvent',
      EventId: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      RdsEventId: 'RDS-EVENT-0075',
      SnapshotArn: snapshotArn,
      Time: new Date().toISOString(),
    },
  };
}

/** A backup of `clusterId` as the take makes it (its tags), `daysAgo` days old. */
function backupTags(clusterId: string, daysAgo: number): Record<string, string> {
  return {
    [TAG.CreatedBy]: TOOL_TAG_VALUE,
    [TAG.PointInTime]: new Date(Date.now() - daysAgo * 24 * 3_600_000).toISOString(),
    [TAG.SourceCluster]: clusterId,
    [TAG.SourceRegion]: SRC,
    [TAG.SourceAccount]: ACCOUNT,
    [TAG.Purpose]: 'backup',
  };
}

/** The calls of one action the functions made since `from` (an index into the recorded calls). */
function callsOf(action: string, from: number) {
  return recordedCalls()
    .slice(from)
    .filter((call) => call.action === action);
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
      share: { follow: false, followRefs: [] },
      deleteOld: { deleted: 1 },
    });
    // moto makes the snapshot available at once, so the share copies it; a copy for this account alone is
    // not waited for (on AWS the snapshot's own RDS event, or the next run, starts its copy).
    expect(outcome.results(S.share)).toMatchObject([
      { started: true, refs: [{ region: DST, id: taken[0] }], copied: [taken[0]], follow: false },
    ]);
    expect(outcome.path()).toEqual([S.trigger, S.take, S.share, S.copiesToFollow, S.deleteOld]);
    expect(outcome.output).not.toHaveProperty('copyCheck');
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
    expect(second.path()).not.toContain(S.checkCopies);
    expect(await estate.snapshotIds(SRC)).toHaveLength(1);
    expect(await estate.snapshotIds(DST)).toHaveLength(1);
  });

  describe('an execution an RDS event started (its input has a Trigger)', () => {
    it('runs only the share: no take, no retention, and starts the copy of the snapshot that became available', async () => {
      // Prepare: the scheduled run took a backup (available now) and left an expired one for retention.
      await estate.createSnapshot(SRC, {
        clusterId: 'orders-db',
        snapshotId: 'orders-db-expired',
        tags: backupTags('orders-db', 10),
      });
      const ready = await estate.createSnapshot(SRC, {
        clusterId: 'orders-db',
        snapshotId: 'orders-db-2026-12-07-03-00',
        tags: backupTags('orders-db', 0),
      });
      const from = recordedCalls().length;

      // Act
      const outcome = await execute(definition, eventInput(ready.arn), FUNCTIONS);

      // Assess
      expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
      expect(outcome.path()).toEqual([S.trigger, S.share, S.copiesToFollow, S.done]);
      expect(outcome.invocations.map((i) => i.functionArn)).toEqual([FNS.share]);
      expect(
        callsOf('CopyDBClusterSnapshot', from).map((c) => c.input.TargetDBClusterSnapshotIdentifier),
      ).toEqual(['orders-db-2026-12-07-03-00']);
      expect(callsOf('CreateDBClusterSnapshot', from)).toEqual([]);
      expect(callsOf('DeleteDBClusterSnapshot', from)).toEqual([]);
      expect((await estate.snapshotIds(SRC)).sort()).toEqual([
        'orders-db-2026-12-07-03-00',
        'orders-db-expired',
      ]);
      expect(await estate.snapshotIds(DST)).toContain('orders-db-2026-12-07-03-00');
      // The handler logs the event that started it.
      expect(output.logs()).toContainEqual(
        expect.objectContaining({
          function: 'ShareSnapshotsAurora',
          trigger: expect.objectContaining({ RdsEventId: 'RDS-EVENT-0075', SnapshotArn: ready.arn }),
        }),
      );
    });

    it('fails with ConfigError naming the Trigger field, before any AWS call, when the Trigger is malformed', async () => {
      // Prepare
      const from = recordedCalls().length;
      const malformed = eventInput('arn:aws:rds:us-east-1:123456789012:cluster-snapshot:x');
      const bad = { ...malformed, Trigger: { ...malformed.Trigger, Kind: 'Schedule' } };

      // Act
      const outcome = await execute(definition, bad, FUNCTIONS);

      // Assess
      expect(outcome.status).toBe('FAILED');
      expect(outcome.error).toBe('ConfigError');
      expect(outcome.cause).toContain('Trigger.Kind');
      expect(outcome.cause).toContain('ClusterNamePattern ^orders');
      expect(recordedCalls().slice(from)).toEqual([]);
    });
  });

  describe('a copy to share once available: an aws/rds-key backup re-encrypted for another account', () => {
    let proxy: StatusProxy;
    let kmsKeySource = '';

    /** Shared with OTHER_ACCOUNT in the source region, re-encrypted with KmsKeySource first. */
    const sharing = () => ({
      Source: {
        Region: SRC,
        ClusterNamePattern: '^orders-secure',
        ShareSnapshots: 'TRUE',
        DestinationAccount: OTHER_ACCOUNT,
        KmsKeySource: kmsKeySource,
        RetentionDays: '7',
        BackupInterval: '24',
        LogLevel: 'INFO',
      },
    });

    /**
     * The functions, with CheckSnapshotStatus on a clock set to now and moved `minutes` on before each check
     * (the waits are skipped).
     */
    function checkingEvery(minutes: number): Record<string, LambdaHandler> {
      const clock = new ManualClock(new Date());
      setClock(clock);
      const checkLater: LambdaHandler = async (event) => {
        clock.advance({ minutes });
        return check(event);
      };
      return { ...FUNCTIONS, [FNS.check]: checkLater };
    }

    /** A backup the scheduled run took, available now: what an event's execution starts from. */
    const scheduledBackup = () =>
      estate.createSnapshot(SRC, {
        clusterId: 'orders-secure-db',
        snapshotId: 'orders-secure-db-2026-12-07-03-00',
        tags: backupTags('orders-secure-db', 0),
      });

    beforeEach(async () => {
      // Encrypted with no key named: the estate uses alias/aws/rds, as AWS does.
      await estate.createCluster(SRC, 'orders-secure-db', { encrypted: true });
      kmsKeySource = (await estate.createKey(SRC, 'KmsKeySource')).arn;
      proxy = await startStatusProxy(moto.endpoint);
      useEndpoint(proxy.endpoint);
    });

    afterEach(async () => {
      await proxy.stop();
    });

    it("waits sparsely, as long as the copy's progress says, then shares the copy in the second round", async () => {
      // Prepare: the re-encrypted copy reports copying at 40% on two checks; each check is 20 minutes later.
      proxy.hold(/-shared$/, 2, 'copying', 40);
      const functions = checkingEvery(20);

      // Act
      const outcome = await execute(definition, sharing(), functions);

      // Assess
      expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
      const backup = ((outcome.results(S.take)[0]?.taken ?? []) as string[])[0] ?? '';
      const copy = shareCopyName(backup);
      expect(outcome.path()).toEqual([
        S.trigger,
        S.take,
        S.share,
        S.copiesToFollow,
        S.waitForCopies,
        S.checkCopies,
        S.copiesReady,
        S.waitAgainForCopies,
        S.checkCopies,
        S.copiesReady,
        S.waitAgainForCopies,
        S.checkCopies,
        S.copiesReady,
        S.shareFollowed,
        S.deleteOld,
      ]);
      const [first] = outcome.results(S.share);
      const [second] = outcome.results(S.shareFollowed);
      expect(first).toMatchObject({ copied: [copy], follow: true, followRefs: [{ region: SRC, id: copy }] });
      expect(second).toMatchObject({ shared: [copy], follow: false });
      // 40% after 20 minutes: 30 more, with the margin 2,010 s; 40% after 40 minutes: 3,990 s.
      expect(outcome.results(S.checkCopies).map((r) => [r.state, r.checkAfterSeconds])).toEqual([
        ['in-progress', 2010],
        ['in-progress', 3990],
        ['available', MIN_CHECK_AFTER_SECONDS],
      ]);
      expect(outcome.waits()).toEqual([
        { state: S.waitForCopies, seconds: first?.checkAfterSeconds },
        { state: S.waitAgainForCopies, seconds: 2010 },
        { state: S.waitAgainForCopies, seconds: 3990 },
      ]);
      expect(first?.checkAfterSeconds).toBeGreaterThanOrEqual(MIN_CHECK_AFTER_SECONDS);
      expect(first?.checkAfterSeconds).toBeLessThanOrEqual(MAX_CHECK_AFTER_SECONDS);
      for (const invocation of outcome.invocations.filter((i) => i.state === S.checkCopies)) {
        expect(invocation.payload).toMatchObject({ refs: [{ region: SRC, id: copy }], sparse: true });
      }
      expect(await estate.as(OTHER_ACCOUNT).snapshotIds(SRC, 'shared')).toEqual([copy]);
    });

    it("in an event's execution, the copy followed is shared once available and the execution ends there", async () => {
      // Prepare: a backup the scheduled run took, available now; its re-encryption reports 50% on one check.
      const ready = await scheduledBackup();
      proxy.hold(/-shared$/, 1, 'copying', 50);
      const functions = checkingEvery(20);

      // Act
      const outcome = await execute(
        definition,
        { ...eventInput(ready.arn), Source: sharing().Source },
        functions,
      );

      // Assess
      expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
      const copy = shareCopyName(ready.id);
      expect(outcome.path()).toEqual([
        S.trigger,
        S.share,
        S.copiesToFollow,
        S.waitForCopies,
        S.checkCopies,
        S.copiesReady,
        S.waitAgainForCopies,
        S.checkCopies,
        S.copiesReady,
        S.eventShareFollowed,
      ]);
      expect(outcome.results(S.eventShareFollowed)).toMatchObject([{ shared: [copy], follow: false }]);
      expect(outcome.invocations.map((i) => i.functionArn)).toEqual([
        FNS.share,
        FNS.check,
        FNS.check,
        FNS.share,
      ]);
      expect(await estate.as(OTHER_ACCOUNT).snapshotIds(SRC, 'shared')).toEqual([copy]);
    });

    it('past MaxWaitMinutes, a copy still in progress is left to the next run: no failure, retention runs', async () => {
      // Prepare: the copy stays at 40%; each check is 10 minutes later.
      proxy.hold(/-shared$/, 100, 'copying', 40);
      const functions = checkingEvery(10);

      // Act
      const outcome = await execute(
        definition,
        { Source: { ...sharing().Source, MaxWaitMinutes: '30' } },
        functions,
      );

      // Assess
      expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
      expect(outcome.results(S.checkCopies).map((r) => r.state)).toEqual([
        'in-progress',
        'in-progress',
        'in-progress',
        'pending',
      ]);
      expect(outcome.output).toMatchObject({
        copyCheck: { state: 'pending', snapshots: [expect.objectContaining({ percentProgress: 40 })] },
      });
      expect(outcome.path().slice(-3)).toEqual([S.copiesReady, S.afterShare, S.deleteOld]);
      expect(outcome.path()).not.toContain(S.shareFollowed);
    });

    it("in an event's execution, a copy left to the next run ends the execution without retention", async () => {
      // Prepare: a backup the scheduled run took, available now; its re-encryption stays at 40%.
      const ready = await scheduledBackup();
      proxy.hold(/-shared$/, 100, 'copying', 40);
      const functions = checkingEvery(10);

      // Act
      const outcome = await execute(
        definition,
        { ...eventInput(ready.arn), Source: { ...sharing().Source, MaxWaitMinutes: '30' } },
        functions,
      );

      // Assess
      expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
      expect(outcome.path().slice(0, 4)).toEqual([S.trigger, S.share, S.copiesToFollow, S.waitForCopies]);
      expect(outcome.path().slice(-3)).toEqual([S.copiesReady, S.afterShare, S.done]);
      expect(outcome.path()).not.toContain(S.take);
      expect(outcome.path()).not.toContain(S.deleteOld);
    });
  });

  describe('an execution of the polling definition, started before an upgrade, running on the new functions', () => {
    // The definition deployed before sparse checks, frozen as data; its function ARNs are this file's.
    const polling = JSON.parse(
      readFileSync(new URL('../../bench/baseline/polling-source.asl.json', import.meta.url), 'utf8'),
    ) as StateMachineDefinition;
    let proxy: StatusProxy;

    beforeEach(async () => {
      proxy = await startStatusProxy(moto.endpoint);
      useEndpoint(proxy.endpoint);
    });

    afterEach(async () => {
      await proxy.stop();
    });

    it('polls as it did (SnapshotNotReady retried), copies, and ends SUCCEEDED', async () => {
      // Prepare: the new snapshot stays creating for two polls.
      proxy.hold(/^orders-db-/, 2);
      const tasks = Object.values(polling.States).filter((state) => state.Type === 'Task');

      // Act
      const outcome = await execute(polling, input(), FUNCTIONS);

      // Assess
      expect(new Set(tasks.map((task) => task.Parameters?.FunctionName))).toEqual(
        new Set(Object.values(FNS)),
      );
      expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
      expect(outcome.retries('CheckSnapshotStatus')).toEqual(['SnapshotNotReady', 'SnapshotNotReady']);
      expect(outcome.path()).toEqual([
        'TakeSnapshots',
        'SnapshotsStarted',
        'WaitForSnapshots',
        'CheckSnapshotStatus',
        'ShareSnapshots',
        'CopiesStarted',
        'WaitForCopies',
        'CheckCopyStatus',
        'SecondShareRoundDone',
        'StartSecondShareRound',
        'ShareSnapshots',
        'CopiesStarted',
        'DeleteOldSnapshots',
        'Done',
      ]);
      // The checks it asks for are polling ones, answered as before.
      const checks = outcome.invocations.filter((i) => i.functionArn === FNS.check);
      for (const invocation of checks) expect(invocation.payload).not.toHaveProperty('sparse');
      expect(outcome.results('CheckSnapshotStatus')).toEqual([
        { state: 'available', snapshots: [expect.objectContaining({ status: 'available' })] },
      ]);
      const taken = (outcome.results(S.take)[0]?.taken ?? []) as string[];
      expect(await estate.snapshotIds(DST)).toEqual(taken);
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
    'ShareSnapshotsAurora ModifyDBClusterSnapshotAttribute',
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
