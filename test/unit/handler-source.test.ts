// The source functions over the in-memory estate and a manual clock: take, check, share, delete.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ToolError } from '../../src/core/model/errors.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { handler as check } from '../../src/handlers/check-snapshot-status.js';
import { handler as deleteOld } from '../../src/handlers/delete-old-snapshots.js';
import { ALLOW_EVENT_CLOCK_ENV, setClock, setStoreFactory } from '../../src/handlers/runtime.js';
import { handler as share } from '../../src/handlers/share-snapshots.js';
import { handler as take } from '../../src/handlers/take-snapshots.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryEstate, type PutSnapshotInput } from '../support/memory-store.js';
import { rejection } from '../support/rejection.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const START = '2025-03-01T01:00:00.000Z';

let clock: ManualClock;
let estate: MemoryEstate;
let output: CapturedOutput;

function sourceEvent(extra: Record<string, unknown> = {}, event: Record<string, unknown> = {}) {
  return {
    config: { Source: { Region: SRC, ClusterNamePattern: '^prod', LogLevel: 'INFO', ...extra } },
    ...event,
  };
}

const SHARING = { ShareSnapshots: 'TRUE', DestinationRegion: DST };

/** What a test may set of a backup besides its id and time (tags are added to the take's). */
type BackupFields = Partial<
  Pick<PutSnapshotInput, 'region' | 'tags' | 'encrypted' | 'kmsKeyId' | 'allocatedStorageGiB'>
>;

function toolSnapshot(id: string, at: string, { region = SRC, tags, ...fields }: BackupFields = {}) {
  return estate.putSnapshot({
    region,
    id,
    clusterId: 'prod-db',
    status: 'available',
    createTime: new Date(at),
    ...fields,
    tags: {
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
      [TAG.PointInTime]: at,
      [TAG.SourceCluster]: 'prod-db',
      [TAG.SourceRegion]: SRC,
      [TAG.Purpose]: 'backup',
      ...tags,
    },
  });
}

beforeEach(() => {
  clock = new ManualClock(START);
  estate = new MemoryEstate({ clock });
  estate.addCluster({ region: SRC, id: 'prod-db' });
  estate.addCluster({ region: SRC, id: 'staging-db' });
  setClock(clock);
  setStoreFactory((region) => estate.store(region));
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  setClock(undefined);
  setStoreFactory(undefined);
});

describe('TakeSnapshotsAurora', () => {
  it('takes a snapshot of each matching cluster and returns what to check', async () => {
    // Act
    const result = await take(sourceEvent());

    // Assess
    expect(result).toEqual({
      started: true,
      refs: [{ region: SRC, id: 'prod-db-2025-03-01-01-00' }],
      startedAt: START,
      taken: ['prod-db-2025-03-01-01-00'],
    });
    expect(estate.snapshots({ region: SRC }).map((s) => s.id)).toEqual(['prod-db-2025-03-01-01-00']);
  });

  it("logs the pass's size (clusters, snapshots) and the memory it took, to size the functions", async () => {
    // Prepare
    toolSnapshot('prod-db-2025-02-28-01-00', '2025-02-28T01:00:00.000Z');
    toolSnapshot('prod-db-2025-02-27-01-00', '2025-02-27T01:00:00.000Z');

    // Act
    await take(sourceEvent());

    // Assess
    const summary = output.logs().find((line) => line.message === 'pass finished');
    expect(summary).toMatchObject({
      passSize: { clusters: 2, snapshots: 2, destinationSnapshots: 0, shared: 0 },
      memoryMB: { rss: expect.any(Number), heapUsed: expect.any(Number) },
    });
  });

  it('takes nothing on a second run in the same period', async () => {
    // Prepare
    await take(sourceEvent());
    estate.settle();
    clock.advance({ hours: 2 });

    // Act
    const result = await take(sourceEvent());

    // Assess
    expect(result).toMatchObject({ started: false, refs: [], taken: [] });
    expect(estate.snapshots({ region: SRC })).toHaveLength(1);
  });

  it('uses the time the event names instead of the clock, where the environment allows it', async () => {
    // Prepare
    vi.stubEnv(ALLOW_EVENT_CLOCK_ENV, 'true');

    // Act
    const result = await take(sourceEvent({}, { now: '2025-06-30T23:59:00Z' }));
    vi.unstubAllEnvs();

    // Assess
    expect(result.taken).toEqual(['prod-db-2025-06-30-23-59']);
    expect(result.startedAt).toBe('2025-06-30T23:59:00.000Z');
  });

  it('publishes SnapshotsTaken and the manual snapshot count as EMF in the AuroraSnapshotTool namespace', async () => {
    // Act
    await take(sourceEvent());

    // Assess
    expect(output.metric('SnapshotsTaken', { ClusterId: 'prod-db' })).toEqual([1]);
    expect(output.metric('ManualSnapshotCount', { Region: SRC })).toEqual([0]);
    const namespaces = output.emf().flatMap((doc) => doc._aws.CloudWatchMetrics.map((m) => m.Namespace));
    expect(new Set(namespaces)).toEqual(new Set(['AuroraSnapshotTool']));
  });

  it('logs JSON lines with the cluster and snapshot ids at the configured level', async () => {
    // Act
    await take(sourceEvent());

    // Assess
    const taken = output.logs().find((line) => line.snapshotId === 'prod-db-2025-03-01-01-00');
    expect(taken).toMatchObject({ level: 'INFO', clusterId: 'prod-db', function: 'TakeSnapshotsAurora' });
  });

  it('logs nothing below ERROR when LogLevel is ERROR', async () => {
    // Act
    await take(sourceEvent({ LogLevel: 'ERROR' }));

    // Assess
    expect(output.logs()).toEqual([]);
  });

  it('fails with ConfigError naming the bad parameter, before any AWS call', async () => {
    // Act
    const error = await rejection(take(sourceEvent({ BackupInterval: 'often' })));

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe('ConfigError');
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual(['Source.BackupInterval']);
    expect(estate.log).toEqual([]);
  });

  it('fails with ConfigError naming Source when given a destination configuration', async () => {
    // Act
    const error = await rejection(
      take({ config: { Destination: { Region: DST, SnapshotPattern: 'prod' } } }),
    );

    // Assess
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual(['Source']);
  });

  it('fails with ConfigError naming event.config when the event has none', async () => {
    // Act
    const error = await rejection(take({ Source: { Region: SRC, ClusterNamePattern: 'prod' } }));

    // Assess
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual(['event.config']);
  });

  it('throws the failed action typed error, naming the cluster and snapshot', async () => {
    // Prepare
    estate.setQuota(SRC, 0);

    // Act
    const error = await rejection(take(sourceEvent()));

    // Assess
    expect(error).toBeInstanceOf(ToolError);
    expect(error.name).toBe('SnapshotQuotaExceeded');
    expect(error.message).toContain('prod-db');
    expect(error.message).toContain('prod-db-2025-03-01-01-00');
    expect(
      output
        .logs()
        .filter((line) => line.level === 'ERROR')
        .map((line) => line.errorName),
    ).toContain('SnapshotQuotaExceeded');
  });
});

describe('CheckSnapshotStatus', () => {
  it('reports available without a call when nothing was started', async () => {
    // Act
    const result = await check(sourceEvent({}, { refs: [], startedAt: START }));

    // Assess
    expect(result).toEqual({ state: 'available', snapshots: [] });
    expect(estate.log).toEqual([]);
  });

  it('throws SnapshotNotReady while the snapshot is creating, then reports it available', async () => {
    // Prepare
    const taken = await take(sourceEvent());
    const event = sourceEvent({}, { refs: taken.refs, startedAt: taken.startedAt });
    clock.advance({ minutes: 5 });

    // Act
    const pending = await rejection(check(event));
    estate.settle();
    const done = await check(event);

    // Assess
    expect(pending.name).toBe('SnapshotNotReady');
    expect(pending.message).toContain('prod-db-2025-03-01-01-00');
    // A poll that finds the snapshot still creating is routine, not an error in the log.
    expect(
      output.logs().filter((line) => line.function === 'CheckSnapshotStatus' && line.level === 'ERROR'),
    ).toEqual([]);
    expect(done).toEqual({ state: 'available', snapshots: [{ ref: taken.refs[0], status: 'available' }] });
  });

  it('throws SnapshotTimedOut once MaxWaitMinutes have passed since startedAt', async () => {
    // Prepare
    const taken = await take(sourceEvent({ MaxWaitMinutes: 30 }));
    clock.advance({ minutes: 31 });

    // Act
    const error = await rejection(
      check(sourceEvent({ MaxWaitMinutes: 30 }, { refs: taken.refs, startedAt: taken.startedAt })),
    );

    // Assess
    expect(error.name).toBe('SnapshotTimedOut');
  });

  it('throws SnapshotFailed when the snapshot failed', async () => {
    // Prepare
    const taken = await take(sourceEvent());
    estate.fail('prod-db-2025-03-01-01-00', SRC);

    // Act
    const error = await rejection(check(sourceEvent({}, { refs: taken.refs, startedAt: taken.startedAt })));

    // Assess
    expect(error.name).toBe('SnapshotFailed');
  });

  it('answers in-progress with when to look again, never SnapshotNotReady, when the state machine checks sparsely', async () => {
    // Prepare: a copy of 2 TiB at 25% ten minutes after it started.
    estate.putSnapshot({
      region: DST,
      id: 'prod-db-copy',
      status: 'copying',
      percentProgress: 25,
      allocatedStorageGiB: 2048,
    });
    const event = sourceEvent(
      {},
      { refs: [{ region: DST, id: 'prod-db-copy' }], startedAt: START, sparse: true },
    );
    clock.advance({ minutes: 10 });

    // Act
    const result = await check(event);

    // Assess: 600 s for 25% leaves 1,800 s; × 1.1 + 30.
    expect(result).toEqual({
      state: 'in-progress',
      snapshots: [{ ref: { region: DST, id: 'prod-db-copy' }, status: 'copying', percentProgress: 25 }],
      checkAfterSeconds: 2010,
    });
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'checking again later', checkAfterSeconds: 2010 }),
    );
    expect(output.logs().filter((line) => line.level === 'ERROR')).toEqual([]);
  });

  it('reports available without a call when nothing was started, with the shortest wait when sparse', async () => {
    // Act
    const result = await check(sourceEvent({}, { refs: [], startedAt: START, sparse: true }));

    // Assess
    expect(result).toEqual({ state: 'available', snapshots: [], checkAfterSeconds: 60 });
    expect(estate.log).toEqual([]);
  });

  it('rejects refs without a region as a ConfigError naming them', async () => {
    // Act
    const error = await rejection(check(sourceEvent({}, { refs: [{ id: 'x' }] })));

    // Assess
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual(['event.refs[0].region']);
  });
});

describe('ShareSnapshotsAurora', () => {
  it('copies an available snapshot to DestinationRegion and returns the copy to check', async () => {
    // Prepare
    toolSnapshot('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');

    // Act
    const result = await share(sourceEvent(SHARING));

    // Assess
    expect(result).toMatchObject({
      started: true,
      refs: [{ region: DST, id: 'prod-db-2025-03-01-00-00' }],
      copied: ['prod-db-2025-03-01-00-00'],
      shared: [],
    });
    expect(estate.find('prod-db-2025-03-01-00-00', DST)?.tags[TAG.CopiedBy]).toBe(TOOL_TAG_VALUE);
    expect(output.metric('CopiesStarted', { ClusterId: 'prod-db' })).toEqual([1]);
  });

  it('does not follow a DR copy for this account alone: the copy is done once started', async () => {
    // Prepare
    toolSnapshot('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');

    // Act
    const result = await share(sourceEvent(SHARING));

    // Assess: the first check would be at the shortest (a snapshot of unknown size).
    expect(result).toMatchObject({ follow: false, followRefs: [], checkAfterSeconds: 60 });
  });

  it('follows a re-encryption of an aws/rds-key backup to share with an account: which, and when to look first', async () => {
    // Prepare: a 2 TiB backup under aws/rds, to share in place with another account.
    toolSnapshot('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z', {
      encrypted: true,
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:alias/aws/rds',
      allocatedStorageGiB: 2048,
    });
    const sharing = {
      ShareSnapshots: 'TRUE',
      DestinationAccount: '222222222222',
      KmsKeySource: 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111',
    };

    // Act
    const result = await share(sourceEvent(sharing));

    // Assess: two hours at 1 TiB an hour, × 1.1 + 30.
    expect(result).toMatchObject({
      started: true,
      copied: ['prod-db-2025-03-01-00-00-shared'],
      shared: [],
      follow: true,
      followRefs: [{ region: SRC, id: 'prod-db-2025-03-01-00-00-shared' }],
      checkAfterSeconds: 7950,
    });
    expect(output.logs()).toContainEqual(
      expect.objectContaining({
        message: 'copies to share once available',
        snapshotIds: ['prod-db-2025-03-01-00-00-shared'],
        checkAfterSeconds: 7950,
      }),
    );
  });

  it('does nothing, not even a listing, when ShareSnapshots is FALSE', async () => {
    // Prepare
    toolSnapshot('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');

    // Act
    const result = await share(sourceEvent({ ShareSnapshots: 'FALSE', DestinationRegion: DST }));

    // Assess
    expect(result).toEqual({
      started: false,
      refs: [],
      startedAt: START,
      copied: [],
      shared: [],
      follow: false,
      followRefs: [],
      checkAfterSeconds: 60,
    });
    expect(estate.log).toEqual([]);
  });

  it('fails with EncryptionKeyRequired, after copying what it can, when an encrypted snapshot has no KmsKeyDestination', async () => {
    // Prepare: one encrypted backup (cannot go without a key), one plain backup of another cluster.
    estate.addCluster({ region: SRC, id: 'prod-plain' });
    estate.putSnapshot({
      region: SRC,
      id: 'prod-db-2025-03-01-00-00',
      clusterId: 'prod-db',
      status: 'available',
      createTime: new Date('2025-03-01T00:00:00.000Z'),
      encrypted: true,
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111',
      tags: {
        [TAG.CreatedBy]: TOOL_TAG_VALUE,
        [TAG.PointInTime]: '2025-03-01T00:00:00.000Z',
        [TAG.Purpose]: 'backup',
      },
    });
    estate.putSnapshot({
      region: SRC,
      id: 'prod-plain-2025-03-01-00-00',
      clusterId: 'prod-plain',
      status: 'available',
      createTime: new Date('2025-03-01T00:00:00.000Z'),
      tags: {
        [TAG.CreatedBy]: TOOL_TAG_VALUE,
        [TAG.PointInTime]: '2025-03-01T00:00:00.000Z',
        [TAG.Purpose]: 'backup',
      },
    });

    // Act
    const error = await rejection(share(sourceEvent(SHARING)));

    // Assess
    expect(error.name).toBe('EncryptionKeyRequired');
    expect(error.message).toContain('prod-db-2025-03-01-00-00');
    expect(error.message).toContain('KmsKeyDestination');
    expect(estate.find('prod-plain-2025-03-01-00-00', DST)).toBeDefined();
    expect(estate.find('prod-db-2025-03-01-00-00', DST)).toBeUndefined();
  });

  it('throws CopyLimitReached (which the state machine retries) when AWS refuses the copy', async () => {
    // Prepare
    toolSnapshot('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');
    estate.failNext('copySnapshot', new ToolError('CopyLimitReached', 'too many copies in flight'));

    // Act
    const error = await rejection(share(sourceEvent(SHARING)));

    // Assess
    expect(error.name).toBe('CopyLimitReached');
    expect(error.message).toContain('prod-db');
  });
});

describe('DeleteOldSnapshotsAurora', () => {
  it('deletes an expired tool snapshot and reports it', async () => {
    // Prepare
    toolSnapshot('prod-db-2025-02-01-00-00', '2025-02-01T00:00:00.000Z');
    toolSnapshot('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');

    // Act
    const result = await deleteOld(sourceEvent({ RetentionDays: 7 }));

    // Assess
    expect(result).toEqual({ deleted: 1, snapshots: ['prod-db-2025-02-01-00-00'] });
    expect(estate.snapshots({ region: SRC }).map((s) => s.id)).toEqual(['prod-db-2025-03-01-00-00']);
    expect(output.metric('SnapshotsDeleted', { ClusterId: 'prod-db' })).toEqual([1]);
    expect(output.metric('LatestSnapshotAgeHours', { ClusterId: 'prod-db' })).toEqual([1]);
  });

  it('never deletes expired snapshots the tool did not take, nor the newest one, nor other clusters', async () => {
    // Prepare
    estate.putSnapshot({
      region: SRC,
      id: 'prod-db-manual-by-hand',
      clusterId: 'prod-db',
      status: 'available',
      createTime: new Date('2024-01-01T00:00:00Z'),
    });
    toolSnapshot('prod-db-2025-01-01-00-00', '2025-01-01T00:00:00.000Z');
    estate.putSnapshot({
      region: SRC,
      id: 'staging-db-2025-01-01-00-00',
      clusterId: 'staging-db',
      status: 'available',
      createTime: new Date('2025-01-01T00:00:00Z'),
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: '2025-01-01T00:00:00.000Z' },
    });

    // Act
    const result = await deleteOld(sourceEvent({ RetentionDays: 1 }));

    // Assess
    expect(result).toEqual({ deleted: 0, snapshots: [] });
    expect(estate.snapshots({ region: SRC })).toHaveLength(3);
  });

  it('deletes nothing when DeleteOldSnapshots is FALSE, yet still publishes the ages', async () => {
    // Prepare
    toolSnapshot('prod-db-2025-01-01-00-00', '2025-01-01T00:00:00.000Z');
    toolSnapshot('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');

    // Act
    const result = await deleteOld(sourceEvent({ RetentionDays: 1, DeleteOldSnapshots: 'FALSE' }));

    // Assess
    expect(result).toEqual({ deleted: 0, snapshots: [] });
    expect(estate.snapshots({ region: SRC })).toHaveLength(2);
    expect(estate.calls.deleteSnapshot).toBe(0);
    expect(output.metric('LatestSnapshotAgeHours', { ClusterId: 'prod-db' })).toEqual([1]);
  });

  it('publishes the recovery point its alarm watches on a run that copied and deleted nothing', async () => {
    // Prepare: a copy in the destination region made by an earlier run, nothing to copy or delete now
    toolSnapshot('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');
    toolSnapshot('prod-db-2025-02-28-20-00', '2025-02-28T20:00:00.000Z', {
      region: DST,
      tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE },
    });

    // Act
    const result = await deleteOld(
      sourceEvent({
        ...SHARING,
        BackupInterval: 4,
        BackupSchedule: '0 */4 * * ? *',
        DeleteOldSnapshots: 'FALSE',
      }),
    );

    // Assess: the age of the copy (5 hours), not of the newer source snapshot, against 2 x BackupInterval
    expect(result).toEqual({ deleted: 0, snapshots: [] });
    expect(output.metric('RecoveryPointAgeHours', { ClusterNamePattern: '^prod' })).toEqual([5]);
    expect(output.metric('RecoveryPointObjectiveHours', { ClusterNamePattern: '^prod' })).toEqual([8]);
  });

  it('once retention is done, fails with SnapshotTimedOut naming a backup still creating at 0% past MaxWaitMinutes', async () => {
    // Prepare: an expired backup, the newest available one, and one taken 31 minutes ago still creating.
    toolSnapshot('prod-db-2025-02-01-00-00', '2025-02-01T00:00:00.000Z');
    toolSnapshot('prod-db-2025-02-28-00-00', '2025-02-28T00:00:00.000Z');
    toolSnapshot('prod-db-2025-03-01-00-29', '2025-03-01T00:29:00.000Z');
    estate.setStatus('prod-db-2025-03-01-00-29', 'creating', SRC);
    estate.setProgress('prod-db-2025-03-01-00-29', 0, SRC);

    // Act
    const error = await rejection(deleteOld(sourceEvent({ RetentionDays: 7, MaxWaitMinutes: 30 })));
    const patient = await deleteOld(sourceEvent({ RetentionDays: 7, MaxWaitMinutes: 60 }));

    // Assess
    expect(error.name).toBe('SnapshotTimedOut');
    expect(error.message).toContain('prod-db-2025-03-01-00-29 (us-east-1: creating, 31 minutes)');
    expect(estate.find('prod-db-2025-02-01-00-00', SRC)).toBeUndefined();
    expect(estate.find('prod-db-2025-03-01-00-29', SRC)?.status).toBe('creating');
    expect(patient).toEqual({ deleted: 0, snapshots: [] });
  });
});
