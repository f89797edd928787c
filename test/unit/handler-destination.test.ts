// The destination functions over the in-memory estate and a manual clock: the cross-account copy and the copies' retention.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ToolError } from '../../src/core/model/errors.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { handler as copyShared } from '../../src/handlers/copy-snapshots-dest.js';
import { handler as deleteOldDest } from '../../src/handlers/delete-old-snapshots-dest.js';
import { setClock, setStoreFactory } from '../../src/handlers/runtime.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryEstate } from '../support/memory-store.js';
import { rejection } from '../support/rejection.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const SOURCE_ACCOUNT = '111111111111';
const DEST_ACCOUNT = '222222222222';
const START = '2025-03-01T01:00:00.000Z';

let clock: ManualClock;
let estate: MemoryEstate;
let output: CapturedOutput;

function event(extra: Record<string, unknown> = {}) {
  return {
    config: {
      Destination: { Region: DST, SnapshotPattern: '^prod', SourceRegion: SRC, LogLevel: 'INFO', ...extra },
    },
  };
}

function copyOf(
  id: string,
  at: string,
  fields: { tags?: Record<string, string>; status?: string; cluster?: string } = {},
) {
  const cluster = fields.cluster ?? 'prod-db';
  return estate.putSnapshot({
    region: DST,
    id,
    clusterId: cluster,
    accountId: DEST_ACCOUNT,
    status: fields.status ?? 'available',
    createTime: new Date(at),
    tags: {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.PointInTime]: at,
      [TAG.SourceCluster]: cluster,
      [TAG.SourceRegion]: SRC,
      [TAG.SourceAccount]: SOURCE_ACCOUNT,
      ...fields.tags,
    },
  });
}

beforeEach(() => {
  clock = new ManualClock(START);
  estate = new MemoryEstate({ clock });
  setClock(clock);
  setStoreFactory((region) => estate.store(region, DEST_ACCOUNT));
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  setClock(undefined);
  setStoreFactory(undefined);
});

describe('CopySnapshotsDestAurora', () => {
  beforeEach(() => {
    estate.putSnapshot({
      region: DST,
      id: 'prod-db-2025-03-01-00-00',
      clusterId: 'prod-db',
      accountId: SOURCE_ACCOUNT,
      status: 'available',
      // 2 TiB: about two hours at the assumed copy rate.
      allocatedStorageGiB: 2048,
      sharedWith: [DEST_ACCOUNT],
    });
  });

  it('does nothing, not even a listing, without a SourceAccount', async () => {
    // Act
    const result = await copyShared(event());

    // Assess
    expect(result).toEqual({ started: false, refs: [], startedAt: START, copied: [], checkAfterSeconds: 60 });
    expect(estate.log).toEqual([]);
  });

  it('copies a snapshot the source account shared into this account and returns it to check, first after its size says', async () => {
    // Act
    const result = await copyShared(event({ SourceAccount: SOURCE_ACCOUNT }));

    // Assess: 2,048 GiB at 1,024 GiB an hour, × 1.1 + 30 s.
    expect(result).toEqual({
      started: true,
      refs: [{ region: DST, id: 'prod-db-2025-03-01-00-00' }],
      startedAt: START,
      copied: ['prod-db-2025-03-01-00-00'],
      checkAfterSeconds: 7950,
    });
    expect(estate.find('prod-db-2025-03-01-00-00', DST, DEST_ACCOUNT)?.tags[TAG.CopiedBy]).toBe(
      TOOL_TAG_VALUE,
    );
    expect(output.metric('CopiesStarted', { ClusterId: 'prod-db' })).toEqual([1]);
  });

  it('copies nothing shared by an account other than SourceAccount', async () => {
    // Act
    const result = await copyShared(event({ SourceAccount: '333333333333' }));

    // Assess
    expect(result.started).toBe(false);
    expect(estate.calls.copySnapshot).toBe(0);
  });

  it('throws CopyLimitReached when AWS refuses the copy', async () => {
    // Prepare
    estate.failNext('copySnapshot', new ToolError('CopyLimitReached', 'five copies in flight'));

    // Act
    const error = await rejection(copyShared(event({ SourceAccount: SOURCE_ACCOUNT })));

    // Assess
    expect(error.name).toBe('CopyLimitReached');
    expect(error.message).toContain('prod-db-2025-03-01-00-00');
  });

  it('fails with ConfigError naming Destination when given a source configuration', async () => {
    // Act
    const error = await rejection(
      copyShared({ config: { Source: { Region: SRC, ClusterNamePattern: 'prod' } } }),
    );

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual(['Destination']);
  });
});

describe('DeleteOldSnapshotsDestAurora', () => {
  it('deletes an expired copy and publishes the recovery point of the cluster', async () => {
    // Prepare
    copyOf('prod-db-2025-02-01-00-00', '2025-02-01T00:00:00.000Z');
    copyOf('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');

    // Act
    const result = await deleteOldDest(event({ RetentionDays: 7 }));

    // Assess
    expect(result).toEqual({ deleted: 1, snapshots: ['prod-db-2025-02-01-00-00'] });
    expect(estate.snapshots({ region: DST }).map((s) => s.id)).toEqual(['prod-db-2025-03-01-00-00']);
    expect(output.metric('SnapshotsDeleted', { ClusterId: 'prod-db' })).toEqual([1]);
    expect(output.metric('RecoveryPointAgeHours', { ClusterId: 'prod-db' })).toEqual([1]);
  });

  it('never deletes copies it does not manage, copies in progress, nor the newest copy', async () => {
    // Prepare: all expired, none deletable.
    copyOf('prod-db-2025-01-05-00-00', '2025-01-05T00:00:00.000Z');
    copyOf('prod-db-2025-01-01-00-00', '2025-01-01T00:00:00.000Z', {
      tags: { [TAG.CopiedBy]: 'someone else' },
    });
    copyOf('prod-db-2025-01-02-00-00', '2025-01-02T00:00:00.000Z', {
      tags: { [TAG.SourceRegion]: 'eu-west-1' },
    });
    copyOf('prod-db-2025-01-03-00-00', '2025-01-03T00:00:00.000Z', { status: 'copying' });
    copyOf('staging-db-2025-01-01-00-00', '2025-01-01T00:00:00.000Z', { cluster: 'staging-db' });
    estate.putSnapshot({
      region: DST,
      id: 'prod-db-by-hand',
      clusterId: 'prod-db',
      accountId: DEST_ACCOUNT,
      status: 'available',
      createTime: new Date('2024-01-01T00:00:00Z'),
    });

    // Act
    const result = await deleteOldDest(event({ RetentionDays: 1 }));

    // Assess
    expect(result).toEqual({ deleted: 0, snapshots: [] });
    expect(estate.calls.deleteSnapshot).toBe(0);
  });

  it('spares copies from another SourceAccount when one is set', async () => {
    // Prepare
    copyOf('prod-db-2025-01-01-00-00', '2025-01-01T00:00:00.000Z', {
      tags: { [TAG.SourceAccount]: '333333333333' },
    });
    copyOf('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');

    // Act
    const result = await deleteOldDest(event({ RetentionDays: 1, SourceAccount: SOURCE_ACCOUNT }));

    // Assess
    expect(result.deleted).toBe(0);
    expect(estate.snapshots({ region: DST })).toHaveLength(2);
  });

  it('deletes nothing when DeleteOldSnapshots is FALSE', async () => {
    // Prepare
    copyOf('prod-db-2025-01-01-00-00', '2025-01-01T00:00:00.000Z');
    copyOf('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');

    // Act
    const result = await deleteOldDest(event({ RetentionDays: 1, DeleteOldSnapshots: 'FALSE' }));

    // Assess
    expect(result).toEqual({ deleted: 0, snapshots: [] });
    expect(estate.calls.deleteSnapshot).toBe(0);
    expect(output.metric('RecoveryPointAgeHours', { ClusterId: 'prod-db' })).toEqual([1]);
  });

  it('throws the typed error of a failed deletion, naming the copy', async () => {
    // Prepare
    copyOf('prod-db-2025-02-01-00-00', '2025-02-01T00:00:00.000Z');
    copyOf('prod-db-2025-03-01-00-00', '2025-03-01T00:00:00.000Z');
    estate.failNext('deleteSnapshot', new ToolError('AccessDenied', 'not allowed'));

    // Act
    const error = await rejection(deleteOldDest(event({ RetentionDays: 7 })));

    // Assess
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain('prod-db-2025-02-01-00-00');
  });
});
