// Executions an RDS event starts (the rule's "manual cluster snapshot created", RDS-EVENT-0075) beside the scheduled ones: the event only shares, one copy per snapshot whoever arrives first or together, and a duplicate, late, early or foreign event changes nothing.
// The emulator sends no RDS events: each test builds the execution input the rule's input transformer would (the
// configuration block and its Trigger) and starts the execution itself. The snapshot gate keeps the new backup
// `creating` (moto makes it available at once) and the copies `copying`, as RDS does for a while.
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeFactoryFromEnv } from '../../src/aws/store-factory.js';
import { snapshotName } from '../../src/core/model/naming.js';
import { SOURCE_STATES as S } from '../../src/state-machines/source.js';
import {
  failRequest,
  forward,
  identify,
  listenOnLoopback,
  readBody,
  send,
  stopServer,
} from '../support/http-forward.js';
import { ManualClock } from '../support/manual-clock.js';
import { executeSource, executeSources, type SourceOutcome } from './support/executions.js';
import { type Rig, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const ACCOUNT = '123456789012';
/** The slot's firing: the scheduled execution that takes the backup. */
const FIRING = new Date('2026-04-01T01:00:00Z');
/** The backup became available 20 minutes later: its RDS event, and any other execution, come after. */
const AVAILABLE = new Date(FIRING.getTime() + 20 * 60_000);
const BACKUP = snapshotName('orders', FIRING);
const BACKUP_ARN = `arn:aws:rds:${SRC}:${ACCOUNT}:cluster-snapshot:${BACKUP}`;
const MINUTE = 60_000;

/** Requests that change something in RDS. */
const MUTATIONS = new Set([
  'CreateDBClusterSnapshot',
  'CopyDBClusterSnapshot',
  'DeleteDBClusterSnapshot',
  'ModifyDBClusterSnapshotAttribute',
  'AddTagsToResource',
  'RemoveTagsFromResource',
]);

/** The job's configuration block, as the schedule sends it. */
const BLOCK = {
  Source: {
    Region: SRC,
    ClusterNamePattern: '^orders$',
    BackupSchedule: '0 1 * * ? *',
    BackupInterval: '24',
    RetentionDays: '7',
    DeleteOldSnapshots: 'TRUE',
    ShareSnapshots: 'TRUE',
    DestinationRegion: DST,
  },
};

/**
 * The execution input the EventBridge rule's input transformer makes of an RDS event: the same block, and the
 * Trigger from the event's id, detail.EventID, detail.SourceArn and time (the contract of the rule; its own
 * event helper is not used here, the input is written out).
 */
function eventInput(snapshotArn: string, at: Date, eventId = 'c8b2a4a5-4d5e-4b8e-9d0e-0a1f2b3c4d5e') {
  return {
    ...BLOCK,
    Trigger: {
      Kind: 'RdsEvent',
      EventId: eventId,
      RdsEventId: 'RDS-EVENT-0075',
      SnapshotArn: snapshotArn,
      Time: at.toISOString(),
    },
  };
}

/**
 * A proxy in front of the rig that holds the first CopyDBClusterSnapshot until a second one arrives (or
 * `maxWaitMs` passed), so two executions that both decided to copy send their copies together; and records
 * what RDS answered each copy (200, or the error's status).
 */
async function startCopyBarrier(target: string, maxWaitMs = 15_000) {
  const upstream = new URL(target);
  let held: (() => void) | undefined;
  const answers: { target: string; status: number }[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const call = identify(req, body);
      if (call.action === 'CopyDBClusterSnapshot') {
        if (held) {
          held();
          held = undefined;
        } else {
          await new Promise<void>((release) => {
            held = release;
            setTimeout(release, maxWaitMs);
          });
        }
        const answer = await forward(upstream, req, body);
        answers.push({
          target: call.form.get('TargetDBClusterSnapshotIdentifier') ?? '',
          status: answer.status,
        });
        send(res, answer);
        return;
      }
      send(res, await forward(upstream, req, body));
    })().catch((error: unknown) => failRequest(res, 'copy barrier', error));
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    /** RDS's answer to each copy, in the order the answers came back. */
    answers: () => [...answers],
    stop: () => stopServer(server),
  };
}

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ seed: 26 });
});

afterAll(async () => {
  await rig?.stop();
});

/** The requests that changed something, as `<region>:<action>`, since the rig's counts were last reset. */
function mutations(): string[] {
  return rig.proxy
    .requests()
    .filter((r) => MUTATIONS.has(r.action))
    .map((r) => `${r.region}:${r.action}`);
}

function copyRequests(): number {
  return rig.proxy.requests().filter((r) => r.action === 'CopyDBClusterSnapshot').length;
}

/** The whole state the executions could change: every snapshot of both regions, with status and tags. */
async function everything() {
  return { source: await summaries(rig.estate, SRC), destination: await summaries(rig.estate, DST) };
}

function expectEventPath(outcome: SourceOutcome): void {
  expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
  expect(outcome.path()).toEqual([S.trigger, S.share, S.copiesToFollow, S.done]);
}

beforeEach(async () => {
  // The slot's scheduled execution takes the backup, which is still being created: nothing to copy yet.
  await rig.reset();
  rig.gate.holdCopies(true);
  await rig.estate.createCluster(SRC, 'orders');
  await rig.estate.createCluster(SRC, 'billing');
  rig.gate.hold(SRC, new RegExp(`^${BACKUP}$`), 'creating');
  const taking = await executeSource(rig, BLOCK, new ManualClock(FIRING));
  expect(taking.status, taking.cause).toBe('SUCCEEDED');
  expect(taking.output).toMatchObject({ take: { started: true }, share: { started: false } });
  expect(taking.path()).toEqual([S.trigger, S.take, S.share, S.copiesToFollow, S.deleteOld]);
  expect(copyRequests()).toBe(0);
  rig.proxy.reset();
});

describe('the execution an RDS event starts', () => {
  it('runs only the share: no take, no retention, and starts the copy of the snapshot that became available', async () => {
    // Prepare
    rig.gate.release(SRC);

    // Act
    const outcome = await executeSource(rig, eventInput(BACKUP_ARN, AVAILABLE), new ManualClock(AVAILABLE));

    // Assess
    expectEventPath(outcome);
    expect(mutations()).toEqual([`${DST}:CopyDBClusterSnapshot`]);
    expect(rig.gate.copying(DST)).toEqual([BACKUP]);
    expect(outcome.results(S.share)).toMatchObject([{ copied: [BACKUP], follow: false }]);
  });
});

describe('exactly once: an event and a scheduled execution', () => {
  it('at the same instant, both deciding to copy: RDS accepts one copy, both executions succeed', async () => {
    // Prepare: the copies of both executions are sent together, so each decided before the other copied.
    rig.gate.release(SRC);
    const barrier = await startCopyBarrier(rig.proxy.endpoint);
    const storeFor = storeFactoryFromEnv({ ...rig.env, AWS_ENDPOINT_URL: barrier.endpoint });

    // Act
    let outcomes: SourceOutcome[];
    try {
      outcomes = await executeSources(
        rig,
        [eventInput(BACKUP_ARN, AVAILABLE), BLOCK],
        new ManualClock(AVAILABLE),
        {
          storeFor,
        },
      );
    } finally {
      await barrier.stop();
    }
    const [event, scheduled] = outcomes;

    // Assess: two requests, one copy started (the second refused as existing, which counts as done).
    expect(event && expectEventPath(event)).toBeUndefined();
    expect(scheduled?.status, scheduled?.cause).toBe('SUCCEEDED');
    expect(scheduled?.path()).toEqual([S.trigger, S.take, S.share, S.copiesToFollow, S.deleteOld]);
    // moto answers the two at once: the refusal may come back first
    expect(
      barrier
        .answers()
        .map((a) => [a.target, a.status])
        .sort(([, a], [, b]) => Number(a) - Number(b)),
    ).toEqual([
      [BACKUP, 200],
      [BACKUP, 400],
    ]);
    expect(rig.gate.copying(DST)).toEqual([BACKUP]);
    expect((await summaries(rig.estate, DST)).map((s) => s.id)).toEqual([BACKUP]);
  });

  it.each([
    ['the event first, the scheduled execution a minute later', ['event', 'scheduled']],
    ['the scheduled execution first, the event a minute later', ['scheduled', 'event']],
  ] as const)('%s: one copy request', async (_label, order) => {
    // Prepare
    rig.gate.release(SRC);
    const inputs = { event: eventInput(BACKUP_ARN, AVAILABLE), scheduled: BLOCK };

    // Act
    const first = await executeSource(rig, inputs[order[0]], new ManualClock(AVAILABLE));
    const second = await executeSource(
      rig,
      inputs[order[1]],
      new ManualClock(new Date(AVAILABLE.getTime() + MINUTE)),
    );

    // Assess: the second finds the copy under way and starts nothing.
    expect(first.status, first.cause).toBe('SUCCEEDED');
    expect(second.status, second.cause).toBe('SUCCEEDED');
    expect(copyRequests()).toBe(1);
    expect(rig.gate.copying(DST)).toEqual([BACKUP]);
    expect(second.results(S.share)).toMatchObject([{ started: false, copied: [] }]);
  });
});

describe('an event that is not news', () => {
  it('a duplicate, delivered again after the first was handled, changes nothing', async () => {
    // Prepare: the first delivery copied the backup.
    rig.gate.release(SRC);
    const input = eventInput(BACKUP_ARN, AVAILABLE);
    await executeSource(rig, input, new ManualClock(AVAILABLE));
    const before = await everything();
    rig.proxy.reset();

    // Act
    const duplicate = await executeSource(rig, input, new ManualClock(new Date(AVAILABLE.getTime() + 5_000)));

    // Assess
    expectEventPath(duplicate);
    expect(mutations()).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it('a late one, after the scheduled runs copied the backup and the copy finished, changes nothing', async () => {
    // Prepare: the next day's scheduled execution copied it, and the copy is done.
    rig.gate.release(SRC);
    const nextDay = new Date(FIRING.getTime() + 24 * 60 * MINUTE);
    await executeSource(rig, BLOCK, new ManualClock(nextDay));
    rig.gate.release(DST);
    const before = await everything();
    rig.proxy.reset();

    // Act: the event, a day and a half late.
    const late = await executeSource(
      rig,
      eventInput(BACKUP_ARN, AVAILABLE),
      new ManualClock(new Date(nextDay.getTime() + 12 * 60 * MINUTE)),
    );

    // Assess
    expectEventPath(late);
    expect(mutations()).toEqual([]);
    expect(await everything()).toEqual(before);
    expect(before.destination.map((s) => [s.id, s.status])).toContainEqual([BACKUP, 'available']);
  });

  it('no event at all (every one lost): the next scheduled run copies the backup, takes the next one, and nothing is lost', async () => {
    // Prepare: the backup becomes available; RDS's event never arrives.
    rig.gate.release(SRC);
    const nextFiring = new Date(FIRING.getTime() + 24 * 60 * MINUTE);
    rig.gate.hold(SRC, new RegExp(`^${snapshotName('orders', nextFiring)}$`), 'creating');

    // Act: the schedule's next run, a day later.
    const next = await executeSource(rig, BLOCK, new ManualClock(nextFiring));

    // Assess: the missed copy is started, the new backup taken, nothing deleted.
    expect(next.status, next.cause).toBe('SUCCEEDED');
    expect(next.path()).toEqual([S.trigger, S.take, S.share, S.copiesToFollow, S.deleteOld]);
    expect(mutations().sort()).toEqual([`${SRC}:CreateDBClusterSnapshot`, `${DST}:CopyDBClusterSnapshot`]);
    expect(await rig.estate.snapshotIds(DST)).toEqual([BACKUP]);
  });

  it('one whose snapshot is still being created when read (out of order) starts nothing; the next reason to look copies it', async () => {
    // Prepare: the backup is still `creating` as the execution reads it.
    const before = await everything();

    // Act
    const early = await executeSource(rig, eventInput(BACKUP_ARN, AVAILABLE), new ManualClock(AVAILABLE));
    const earlyMutations = mutations();
    rig.gate.release(SRC);
    const next = await executeSource(
      rig,
      eventInput(BACKUP_ARN, AVAILABLE, 'second-delivery'),
      new ManualClock(new Date(AVAILABLE.getTime() + MINUTE)),
    );

    // Assess: the event is a reason to look, not the state.
    expectEventPath(early);
    expect(earlyMutations).toEqual([]);
    expect(before.destination).toEqual([]);
    expectEventPath(next);
    expect(mutations()).toEqual([`${DST}:CopyDBClusterSnapshot`]);
  });

  it("one for a foreign snapshot (not the tool's, of a cluster the job does not select) starts nothing", async () => {
    // Prepare: the backup is handled (copied); someone snapshots the billing cluster by hand.
    rig.gate.release(SRC);
    await executeSource(rig, eventInput(BACKUP_ARN, AVAILABLE), new ManualClock(AVAILABLE));
    const foreign = await rig.estate.createSnapshot(SRC, {
      clusterId: 'billing',
      snapshotId: 'billing-by-hand',
    });
    const before = await everything();
    rig.proxy.reset();

    // Act
    const outcome = await executeSource(
      rig,
      eventInput(foreign.arn, new Date(AVAILABLE.getTime() + MINUTE), 'foreign-event'),
      new ManualClock(new Date(AVAILABLE.getTime() + MINUTE)),
    );

    // Assess
    expectEventPath(outcome);
    expect(outcome.results(S.share)).toMatchObject([{ started: false, copied: [], shared: [] }]);
    expect(mutations()).toEqual([]);
    expect(await everything()).toEqual(before);
  });
});
