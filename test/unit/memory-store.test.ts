// The in-memory estate used by unit tests and benchmarks behaves like RDS where the engine cares.
import { describe, expect, it } from 'vitest';
import { isToolError, ToolError } from '../../src/core/model/errors.js';
import { ManualClock } from '../support/manual-clock.js';
import { DEFAULT_ACCOUNT, MemoryEstate } from '../support/memory-store.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const OTHER = '222222222222';
const KEY = 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222';

function setup(options: { instant?: boolean; copyLimit?: number; quota?: number } = {}) {
  const clock = new ManualClock('2025-03-01T00:00:00.000Z');
  const estate = new MemoryEstate({ clock, ...options });
  estate.addCluster({ region: SRC, id: 'prod' });
  return { clock, estate, source: estate.store(SRC), destination: estate.store(DST) };
}

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  try {
    await promise;
  } catch (error) {
    return error as ToolError;
  }
  throw new Error('expected a failure');
}

describe('MemoryEstate', () => {
  it('creates snapshots in `creating` with the clock time and tags, until settled', async () => {
    // Prepare
    const { estate, source } = setup();

    // Act
    const created = await source.createSnapshot({
      clusterId: 'prod',
      snapshotId: 'prod-1',
      tags: { a: '1' },
    });
    const settled = estate.settle();

    // Assess
    expect(created).toMatchObject({
      id: 'prod-1',
      arn: `arn:aws:rds:${SRC}:${DEFAULT_ACCOUNT}:cluster-snapshot:prod-1`,
      status: 'creating',
      type: 'manual',
      tags: { a: '1' },
    });
    expect(created.createTime?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(settled).toBe(1);
    expect((await source.getSnapshot('prod-1'))?.status).toBe('available');
  });

  it('makes snapshots available at once when instant, as moto does', async () => {
    // Prepare
    const { source } = setup({ instant: true });

    // Act
    const created = await source.createSnapshot({ clusterId: 'prod', snapshotId: 'prod-1', tags: {} });

    // Assess
    expect(created.status).toBe('available');
  });

  it('counts calls by method and region, and resets them', async () => {
    // Prepare
    const { estate, source, destination } = setup();

    // Act
    await source.listSnapshots('manual');
    await destination.listSnapshots('manual');
    await source.listClusters();
    const counted = { ...estate.calls };
    const inSource = estate.callCount('listSnapshots', SRC);
    estate.resetCalls();

    // Assess
    expect(counted.listSnapshots).toBe(2);
    expect(counted.listClusters).toBe(1);
    expect(inSource).toBe(1);
    expect(estate.calls.listSnapshots).toBe(0);
    expect(estate.log).toEqual([]);
  });

  it('throws the typed errors of RDS: duplicate, missing, not ready, bad name, cluster state', async () => {
    // Prepare
    const { estate, source } = setup();
    await source.createSnapshot({ clusterId: 'prod', snapshotId: 'prod-1', tags: {} });
    estate.addCluster({ region: SRC, id: 'stopped', status: 'stopped' });

    // Act
    const duplicate = await failure(
      source.createSnapshot({ clusterId: 'prod', snapshotId: 'prod-1', tags: {} }),
    );
    const missing = await failure(source.deleteSnapshot('nope'));
    const busy = await failure(source.deleteSnapshot('prod-1'));
    const badName = await failure(
      source.createSnapshot({ clusterId: 'prod', snapshotId: '1-bad--name', tags: {} }),
    );
    const noCluster = await failure(
      source.createSnapshot({ clusterId: 'gone', snapshotId: 'gone-1', tags: {} }),
    );
    const stopped = await failure(
      source.createSnapshot({ clusterId: 'stopped', snapshotId: 'stopped-1', tags: {} }),
    );

    // Assess
    expect(duplicate.name).toBe('SnapshotAlreadyExists');
    expect(missing.name).toBe('SnapshotNotFound');
    expect(busy.name).toBe('SnapshotNotReady');
    expect([badName.name, noCluster.name, stopped.name]).toEqual([
      'AwsRequestError',
      'AwsRequestError',
      'AwsRequestError',
    ]);
  });

  it('throws SnapshotQuotaExceeded at the manual snapshot quota, automated snapshots not counting', async () => {
    // Prepare
    const { estate, source } = setup();
    estate.setQuota(SRC, 2);
    estate.putSnapshot({ region: SRC, id: 'rds-auto', type: 'automated' });
    estate.putSnapshot({ region: SRC, id: 'one' });
    await source.createSnapshot({ clusterId: 'prod', snapshotId: 'two', tags: {} });

    // Act
    const error = await failure(source.createSnapshot({ clusterId: 'prod', snapshotId: 'three', tags: {} }));

    // Assess
    expect(error.name).toBe('SnapshotQuotaExceeded');
    expect(await source.manualSnapshotQuota()).toBe(2);
    expect(estate.quotaOf(DST, DEFAULT_ACCOUNT)).toBe(100);
  });

  it('copies across regions in `copying` with exactly the tags given, and limits copies in flight', async () => {
    // Prepare
    const { estate, destination } = setup({ copyLimit: 2 });
    const sources = ['a', 'b', 'c'].map((id) => estate.putSnapshot({ region: SRC, id, tags: { old: 'x' } }));
    const copy = (i: number) =>
      destination.copySnapshot({
        sourceArn: sources[i]?.arn ?? '',
        sourceRegion: SRC,
        targetId: `c${i}`,
        tags: { n: 'y' },
      });

    // Act
    const first = await copy(0);
    await copy(1);
    const limited = await failure(copy(2));

    // Assess
    expect(first).toMatchObject({ region: DST, status: 'copying', tags: { n: 'y' }, clusterId: 'a' });
    expect(limited.name).toBe('CopyLimitReached');
    estate.complete('c0', DST);
    await expect(copy(2)).resolves.toMatchObject({ id: 'c2' });
  });

  it('refuses an encrypted cross-region copy without a key, and a copy of a snapshot not available', async () => {
    // Prepare
    const { estate, destination } = setup();
    const encrypted = estate.putSnapshot({ region: SRC, id: 'enc', kmsKeyId: 'k' });
    const creating = estate.putSnapshot({ region: SRC, id: 'busy', status: 'creating' });

    // Act
    const noKey = await failure(
      destination.copySnapshot({ sourceArn: encrypted.arn, sourceRegion: SRC, targetId: 'x', tags: {} }),
    );
    const notReady = await failure(
      destination.copySnapshot({ sourceArn: creating.arn, sourceRegion: SRC, targetId: 'y', tags: {} }),
    );
    const withKey = await destination.copySnapshot({
      sourceArn: encrypted.arn,
      sourceRegion: SRC,
      targetId: 'z',
      kmsKeyId: KEY,
      tags: {},
    });

    // Assess
    expect(noKey.name).toBe('EncryptionKeyRequired');
    expect(notReady.name).toBe('SnapshotNotReady');
    expect(withKey).toMatchObject({ encrypted: true, kmsKeyId: KEY });
  });

  it('shows a shared snapshot to the other account by ARN, without tags, and lets it be copied only once shared', async () => {
    // Prepare
    const { estate, source } = setup();
    const original = estate.putSnapshot({ region: SRC, id: 'prod-1', tags: { secret: 'x' } });
    const other = estate.store(SRC, OTHER);
    const before = await failure(
      other.copySnapshot({ sourceArn: original.arn, sourceRegion: SRC, targetId: 'mine', tags: {} }),
    );

    // Act
    await source.shareSnapshot({ snapshotId: 'prod-1', accountId: OTHER });
    const listed = await other.listSnapshots('shared');
    const copied = await other.copySnapshot({
      sourceArn: original.arn,
      sourceRegion: SRC,
      targetId: 'mine',
      tags: {},
    });

    // Assess
    expect(before.name).toBe('SnapshotNotFound');
    expect(listed).toEqual([
      expect.objectContaining({ id: original.arn, type: 'shared', accountId: DEFAULT_ACCOUNT, tags: {} }),
    ]);
    expect(copied.accountId).toBe(OTHER);
    expect(await other.listSnapshots('manual')).toHaveLength(1);
    expect(await source.listSnapshots('shared')).toEqual([]);
    expect(estate.sharedWith('prod-1', SRC)).toEqual([OTHER]);
  });

  it('refuses to share an aws/rds-key snapshot, and says which keys are AWS-managed', async () => {
    // Prepare
    const { estate, source } = setup();
    estate.addAwsManagedKey('managed-key');
    estate.putSnapshot({ region: SRC, id: 'a', kmsKeyId: 'managed-key' });
    estate.putSnapshot({
      region: SRC,
      id: 'b',
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:alias/aws/rds',
    });

    // Act
    const refused = await failure(source.shareSnapshot({ snapshotId: 'a', accountId: OTHER }));

    // Assess
    expect(refused.name).toBe('AwsRequestError');
    expect(await source.isAwsManagedKey('managed-key')).toBe(true);
    expect(await source.isAwsManagedKey('arn:aws:kms:us-east-1:111111111111:alias/aws/rds')).toBe(true);
    expect(await source.isAwsManagedKey(KEY)).toBe(false);
  });

  it('adds tags by ARN, deletes available and failed snapshots, and cancels a copy by deleting it', async () => {
    // Prepare
    const { estate, source, destination } = setup();
    const a = estate.putSnapshot({ region: SRC, id: 'a' });
    estate.putSnapshot({ region: SRC, id: 'f', status: 'failed' });
    estate.putSnapshot({ region: DST, id: 'c', status: 'copying' });

    // Act
    await source.addTags(a.arn, { k: 'v' });
    await source.deleteSnapshot('f');
    await destination.deleteSnapshot('c');

    // Assess
    expect(estate.find('a', SRC)?.tags).toEqual({ k: 'v' });
    expect(estate.snapshots({ region: SRC }).map((s) => s.id)).toEqual(['a']);
    expect(estate.snapshots({ region: DST })).toEqual([]);
  });

  it('injects faults: the next calls of a method, optionally in one region, or by any rule', async () => {
    // Prepare
    const { estate, source, destination } = setup();
    estate.failNext('listSnapshots', new ToolError('ThrottlingError', 'slow down'), {
      times: 2,
      region: DST,
    });
    estate.addFault((call) =>
      call.method === 'accountId' ? new ToolError('AccessDenied', 'no') : undefined,
    );

    // Act
    const fromSource = await source.listSnapshots('manual');
    const first = await failure(destination.listSnapshots('manual'));
    const second = await failure(destination.listSnapshots('manual'));
    const third = await destination.listSnapshots('manual');
    const denied = await failure(source.accountId());
    estate.clearFaults();

    // Assess
    expect(fromSource).toEqual([]);
    expect([first.name, second.name]).toEqual(['ThrottlingError', 'ThrottlingError']);
    expect(third).toEqual([]);
    expect(isToolError(denied, 'AccessDenied')).toBe(true);
    await expect(source.accountId()).resolves.toBe(DEFAULT_ACCOUNT);
    expect(estate.calls.listSnapshots).toBe(4);
  });

  it('changes clusters and snapshot states on demand', async () => {
    // Prepare
    const { estate, source } = setup();
    estate.putSnapshot({ region: SRC, id: 's', status: 'creating' });

    // Act
    estate.setClusterStatus(SRC, 'prod', 'stopped');
    estate.addCluster({ region: SRC, id: 'other' });
    estate.removeCluster(SRC, 'other');
    estate.fail('s', SRC);

    // Assess
    expect(await source.listClusters()).toEqual([expect.objectContaining({ id: 'prod', status: 'stopped' })]);
    expect(estate.find('s', SRC)?.status).toBe('failed');
    expect(() => estate.setClusterStatus(SRC, 'gone', 'available')).toThrow(/no cluster/);
    expect(() => estate.complete('nothing')).toThrow(/0 snapshots match/);
  });

  it('hands out copies, so a test cannot change the estate through what it listed', async () => {
    // Prepare
    const { estate, source } = setup();
    estate.putSnapshot({ region: SRC, id: 'a', tags: { k: 'v' } });

    // Act
    const [listed] = await source.listSnapshots('manual');
    (listed?.tags as Record<string, string>).k = 'changed';

    // Assess
    expect(estate.find('a', SRC)?.tags.k).toBe('v');
  });
});
