// The AWS adapter against moto over HTTP (no mocks): listings with TagList, create, copy, share, delete, keys and lookups.
import { describe, expect, it } from 'vitest';
import { createSnapshotStore, type RdsSnapshotStore } from '../../src/aws/index.js';
import { isToolError } from '../../src/core/model/errors.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { originalToolSnapshotName } from '../support/estate.js';
import { MOTO_DEFAULT_ACCOUNT } from '../support/moto.js';
import { useMotoBehindFaultProxy } from '../support/moto-fixture.js';
import { rejection } from '../support/rejection.js';

const SOURCE = 'us-east-1';
const DESTINATION = 'us-west-2';
const OTHER_ACCOUNT = '222222222222';

function storeOf(region: string, accountId?: string): RdsSnapshotStore {
  return createSnapshotStore({
    region,
    endpoint: aws.proxy.endpoint,
    credentials: aws.moto.credentials,
    retryBaseDelayMs: 1,
    ...(accountId === undefined ? {} : { accountId }),
  });
}

const aws = useMotoBehindFaultProxy({ seed: 1 });

describe('listing', () => {
  it('returns manual snapshots with their tags from one DescribeDBClusterSnapshots call and no tag calls', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    for (let i = 0; i < 5; i++) {
      await aws.estate.createSnapshot(SOURCE, {
        clusterId: 'prod-db',
        snapshotId: `prod-db-snap-${i}`,
        tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, Index: String(i) },
      });
    }
    await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'untagged' });
    const store = storeOf(SOURCE);

    // Act
    const snapshots = await store.listSnapshots('manual');

    // Assess
    expect(snapshots.map((s) => s.id).sort()).toEqual([
      'prod-db-snap-0',
      'prod-db-snap-1',
      'prod-db-snap-2',
      'prod-db-snap-3',
      'prod-db-snap-4',
      'untagged',
    ]);
    const third = snapshots.find((s) => s.id === 'prod-db-snap-3');
    expect(third?.tags).toEqual({ [TAG.CreatedBy]: TOOL_TAG_VALUE, Index: '3' });
    expect(third).toMatchObject({ clusterId: 'prod-db', region: SOURCE, accountId: MOTO_DEFAULT_ACCOUNT });
    expect(third?.type).toBe('manual');
    expect(snapshots.find((s) => s.id === 'untagged')?.tags).toEqual({});
    expect(aws.proxy.counts()).toEqual({ [`${SOURCE}:DescribeDBClusterSnapshots`]: 1 });
    expect(aws.proxy.total('ListTagsForResource')).toBe(0);
  });

  it('leaves out the automated snapshot moto makes with each cluster', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    const automated = await aws.estate.snapshotIds(SOURCE, 'automated');

    // Act
    const snapshots = await storeOf(SOURCE).listSnapshots('manual');

    // Assess
    expect(automated.length).toBeGreaterThan(0);
    expect(snapshots).toEqual([]);
  });

  it('recognizes snapshots made by the original tool: its name and tags, no point in time', async () => {
    // Prepare
    const at = new Date('2024-03-04T05:06:00Z');
    await aws.estate.createCluster(SOURCE, 'legacy-db');
    await aws.estate.createOriginalToolSnapshot(SOURCE, 'legacy-db', at);

    // Act
    const [snapshot] = await storeOf(SOURCE).listSnapshots('manual');

    // Assess
    expect(snapshot?.id).toBe(originalToolSnapshotName('legacy-db', at));
    expect(snapshot?.id).toBe('legacy-db-2024-03-04-05-06');
    expect(snapshot?.tags).toEqual({
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
      [TAG.CreatedOn]: '2024-03-04-05-06',
      [TAG.ShareAndCopy]: 'YES',
    });
    expect(snapshot?.tags[TAG.PointInTime]).toBeUndefined();
    expect(snapshot?.createTime).toBeInstanceOf(Date);
  });

  it('lists Aurora clusters of every Aurora engine and leaves out other engines', async () => {
    // Prepare
    const key = await aws.estate.createKey(SOURCE);
    await aws.estate.createCluster(SOURCE, 'pg', { kmsKeyId: key.arn });
    await aws.estate.createCluster(SOURCE, 'my', { engine: 'aurora-mysql' });
    await aws.estate.createCluster(SOURCE, 'graph', { engine: 'neptune' });

    // Act
    const clusters = await storeOf(SOURCE).listClusters();

    // Assess
    expect(clusters.map((c) => c.id).sort()).toEqual(['my', 'pg']);
    expect(clusters.find((c) => c.id === 'pg')).toMatchObject({
      engine: 'aurora-postgresql',
      encrypted: true,
      kmsKeyId: key.arn,
    });
    expect(clusters.find((c) => c.id === 'my')?.encrypted).toBe(false);
  });
});

describe('taking a snapshot', () => {
  it('creates it with its tags in the same call', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    const store = storeOf(SOURCE);
    const tags = { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: '2024-01-01T00:00:00.000Z' };

    // Act
    const made = await store.createSnapshot({
      clusterId: 'prod-db',
      snapshotId: 'prod-db-2024-01-01-00-00',
      tags,
    });

    // Assess
    expect(made).toMatchObject({ id: 'prod-db-2024-01-01-00-00', clusterId: 'prod-db', tags });
    const [listed] = await aws.estate.snapshots(SOURCE);
    expect(listed?.TagList).toEqual([
      { Key: TAG.CreatedBy, Value: TOOL_TAG_VALUE },
      { Key: TAG.PointInTime, Value: '2024-01-01T00:00:00.000Z' },
    ]);
    expect(aws.proxy.total('CreateDBClusterSnapshot')).toBe(1);
    expect(aws.proxy.total('AddTagsToResource')).toBe(0);
  });

  it('reports a snapshot that already exists as SnapshotAlreadyExists with the snapshot and region', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'prod-db-1' });

    // Act
    const error = await rejection(
      storeOf(SOURCE).createSnapshot({ clusterId: 'prod-db', snapshotId: 'prod-db-1', tags: {} }),
    );

    // Assess
    expect(isToolError(error, 'SnapshotAlreadyExists')).toBe(true);
    expect(isToolError(error) && error.details).toMatchObject({
      snapshotId: 'prod-db-1',
      clusterId: 'prod-db',
      region: SOURCE,
      operation: 'CreateDBClusterSnapshot',
    });
    expect((error as Error).cause).toBeDefined();
  });
});

describe('copying', () => {
  it('copies an encrypted snapshot across regions with a key of the destination region and the tags given', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db', { kmsKeyId: (await aws.estate.createKey(SOURCE)).arn });
    const source = await aws.estate.createSnapshot(SOURCE, {
      clusterId: 'prod-db',
      snapshotId: 'prod-db-2024-01-01-00-00',
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, Extra: 'source-only' },
    });
    const destinationKey = await aws.estate.createKey(DESTINATION);
    const tags = { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.SourceSnapshot]: source.arn };

    // Act
    const copy = await storeOf(DESTINATION).copySnapshot({
      sourceArn: source.arn,
      sourceRegion: SOURCE,
      targetId: 'prod-db-2024-01-01-00-00',
      kmsKeyId: destinationKey.arn,
      tags,
    });

    // Assess
    expect(copy).toMatchObject({
      id: 'prod-db-2024-01-01-00-00',
      region: DESTINATION,
      encrypted: true,
      tags,
    });
    expect(copy.kmsKeyId).toBe(destinationKey.arn);
    expect(copy.arn).toContain(`:${DESTINATION}:`);
    const [listed] = await storeOf(DESTINATION).listSnapshots('manual');
    expect(listed?.tags).toEqual(tags);
    expect(aws.proxy.counts()[`${DESTINATION}:CopyDBClusterSnapshot`]).toBe(1);
    expect(aws.proxy.counts()[`${SOURCE}:CopyDBClusterSnapshot`]).toBeUndefined();
  });

  it('copies an unencrypted snapshot in the same region without a key', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'plain');
    const source = await aws.estate.createSnapshot(SOURCE, { clusterId: 'plain', snapshotId: 'plain-1' });

    // Act
    const copy = await storeOf(SOURCE).copySnapshot({
      sourceArn: source.arn,
      sourceRegion: SOURCE,
      targetId: 'plain-1-shared',
      tags: { [TAG.Purpose]: 'share' },
    });

    // Assess
    expect(copy).toMatchObject({ id: 'plain-1-shared', encrypted: false, tags: { [TAG.Purpose]: 'share' } });
    expect(await aws.estate.snapshotIds(SOURCE)).toEqual(['plain-1', 'plain-1-shared']);
  });

  it('names a missing key as KmsKeyNotAccessible and a missing source as SnapshotNotFound', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db', { kmsKeyId: (await aws.estate.createKey(SOURCE)).arn });
    const source = await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'prod-db-1' });
    const store = storeOf(DESTINATION);
    const missingKey = `arn:aws:kms:${DESTINATION}:${MOTO_DEFAULT_ACCOUNT}:key/00000000-0000-0000-0000-000000000000`;

    // Act
    const keyError = await rejection(
      store.copySnapshot({
        sourceArn: source.arn,
        sourceRegion: SOURCE,
        targetId: 'c1',
        kmsKeyId: missingKey,
        tags: {},
      }),
    );
    const sourceError = await rejection(
      store.copySnapshot({
        sourceArn: source.arn.replace('prod-db-1', 'prod-db-404'),
        sourceRegion: SOURCE,
        targetId: 'c2',
        tags: {},
      }),
    );

    // Assess
    expect(isToolError(keyError, 'KmsKeyNotAccessible')).toBe(true);
    expect(isToolError(keyError) && keyError.details.kmsKeyId).toBe(missingKey);
    expect(isToolError(sourceError, 'SnapshotNotFound')).toBe(true);
    expect(await aws.estate.snapshotIds(DESTINATION)).toEqual([]);
  });
});

describe('sharing', () => {
  it("shares a snapshot that the other account then lists as shared, named by its ARN, without the owner's tags (as AWS)", async () => {
    // Prepare
    await aws.estate.createCluster(DESTINATION, 'prod-db', {
      kmsKeyId: (await aws.estate.createKey(DESTINATION)).arn,
    });
    const shared = await aws.estate.createSnapshot(DESTINATION, {
      clusterId: 'prod-db',
      snapshotId: 'prod-db-1',
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE },
    });
    await aws.estate.createSnapshot(DESTINATION, { clusterId: 'prod-db', snapshotId: 'prod-db-not-shared' });
    const other = storeOf(DESTINATION, OTHER_ACCOUNT);

    // Act
    const before = await other.listSnapshots('shared');
    await storeOf(DESTINATION).shareSnapshot({ snapshotId: 'prod-db-1', accountId: OTHER_ACCOUNT });
    const after = await other.listSnapshots('shared');

    // Assess
    expect(before).toEqual([]);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: shared.arn,
      arn: shared.arn,
      type: 'shared',
      accountId: MOTO_DEFAULT_ACCOUNT,
      clusterId: 'prod-db',
    });
    expect(after[0]?.tags).toEqual({});
    // The owner still sees its tags.
    expect((await storeOf(DESTINATION).getSnapshot('prod-db-1'))?.tags).toEqual({
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
    });
    expect(await other.listSnapshots('manual')).toEqual([]);
    expect(await other.accountId()).toBe(OTHER_ACCOUNT);
    expect(aws.proxy.counts()[`${DESTINATION}:ModifyDBClusterSnapshotAttribute`]).toBe(1);
  });
});

describe('deleting', () => {
  it('deletes exactly the named snapshot and leaves look-alikes, copies and automated snapshots', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    for (const id of [
      'prod-db-2024-01-01-00-00',
      'prod-db-2024-01-01-00-00-shared',
      'prod-db-2024-01-01-00-0',
    ]) {
      await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: id });
    }
    await aws.estate.createCluster(DESTINATION, 'prod-db');
    await aws.estate.createSnapshot(DESTINATION, {
      clusterId: 'prod-db',
      snapshotId: 'prod-db-2024-01-01-00-00',
    });
    const automated = await aws.estate.snapshotIds(SOURCE, 'automated');

    // Act
    await storeOf(SOURCE).deleteSnapshot('prod-db-2024-01-01-00-00');

    // Assess
    expect(await aws.estate.snapshotIds(SOURCE)).toEqual([
      'prod-db-2024-01-01-00-0',
      'prod-db-2024-01-01-00-00-shared',
    ]);
    expect(await aws.estate.snapshotIds(DESTINATION)).toEqual(['prod-db-2024-01-01-00-00']);
    expect(await aws.estate.snapshotIds(SOURCE, 'automated')).toEqual(automated);
  });

  it('refuses to delete an automated snapshot or a snapshot of another region or account, without calling RDS', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    const own = await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'prod-db-1' });
    const [automated] = await aws.estate.snapshotIds(SOURCE, 'automated');
    const otherAccount = aws.estate.as(OTHER_ACCOUNT);
    await otherAccount.createCluster(DESTINATION, 'theirs');
    const theirs = await otherAccount.createSnapshot(DESTINATION, {
      clusterId: 'theirs',
      snapshotId: 'prod-db-1',
    });
    const store = storeOf(DESTINATION);
    aws.proxy.reset();

    // Act
    const errors = [
      await rejection(store.deleteSnapshot(own.arn)),
      await rejection(store.deleteSnapshot(theirs.arn)),
      await rejection(storeOf(SOURCE).deleteSnapshot(automated ?? 'rds:missing')),
    ];

    // Assess
    for (const error of errors) expect(isToolError(error, 'AwsRequestError')).toBe(true);
    expect((errors[0] as Error).message).toMatch(/refusing to delete/);
    expect(aws.proxy.total('DeleteDBClusterSnapshot')).toBe(0);
    expect(await aws.estate.snapshotIds(SOURCE)).toEqual(['prod-db-1']);
    expect(await otherAccount.snapshotIds(DESTINATION)).toEqual(['prod-db-1']);
    expect(await aws.estate.snapshotIds(SOURCE, 'automated')).toContain(automated);
  });

  it('deletes an own snapshot named by its ARN', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    const own = await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'prod-db-1' });
    await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'prod-db-2' });

    // Act
    await storeOf(SOURCE).deleteSnapshot(own.arn);

    // Assess
    expect(await aws.estate.snapshotIds(SOURCE)).toEqual(['prod-db-2']);
  });

  it('names a snapshot that is already gone as SnapshotNotFound', async () => {
    // Act
    const error = await rejection(storeOf(SOURCE).deleteSnapshot('gone-1'));

    // Assess
    expect(isToolError(error, 'SnapshotNotFound')).toBe(true);
    expect(isToolError(error) && error.details.snapshotId).toBe('gone-1');
  });
});

describe('lookups', () => {
  it('finds one snapshot by identifier or ARN and answers undefined for a missing one', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    const made = await aws.estate.createSnapshot(SOURCE, {
      clusterId: 'prod-db',
      snapshotId: 'prod-db-1',
      tags: { A: 'b' },
    });
    const store = storeOf(SOURCE);

    // Act
    const byId = await store.getSnapshot('prod-db-1');
    const byArn = await store.getSnapshot(made.arn);
    const missing = await store.getSnapshot('prod-db-404');

    // Assess
    expect(byId).toMatchObject({ id: 'prod-db-1', arn: made.arn, status: 'available', tags: { A: 'b' } });
    expect(byArn?.id).toBe('prod-db-1');
    expect(missing).toBeUndefined();
  });

  it('finds a snapshot shared by another account by its ARN', async () => {
    // Prepare
    await aws.estate.createCluster(SOURCE, 'prod-db');
    const made = await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'prod-db-1' });
    await aws.estate.shareSnapshot(SOURCE, 'prod-db-1', OTHER_ACCOUNT);

    // Act
    const found = await storeOf(SOURCE, OTHER_ACCOUNT).getSnapshot(made.arn);

    // Assess
    expect(found).toMatchObject({ id: made.arn, type: 'shared', accountId: MOTO_DEFAULT_ACCOUNT });
  });

  it('reads the account from STS once per set of clients', async () => {
    // Prepare
    const store = storeOf(SOURCE, OTHER_ACCOUNT);

    // Act
    const first = await store.accountId();
    const second = await store.accountId();

    // Assess
    expect(first).toBe(OTHER_ACCOUNT);
    expect(second).toBe(OTHER_ACCOUNT);
    expect(await storeOf(SOURCE).accountId()).toBe(MOTO_DEFAULT_ACCOUNT);
    expect(aws.proxy.total('GetCallerIdentity')).toBe(2);
  });

  it('tells the AWS-managed aws/rds key from a customer key, asking KMS once per key', async () => {
    // Prepare
    const key = await aws.estate.createKey(SOURCE);
    const store = storeOf(SOURCE);

    // Act
    const managedAlias = await store.isAwsManagedKey('alias/aws/rds');
    const customer = await store.isAwsManagedKey(key.arn);
    const again = await store.isAwsManagedKey(key.arn);

    // Assess
    expect(managedAlias).toBe(true);
    expect(customer).toBe(false);
    expect(again).toBe(false);
    expect(aws.proxy.total('DescribeKey')).toBe(1);
  });

  it('finds the key an alias names in its own account and region, by alias name or alias ARN, asking KMS each time', async () => {
    // Prepare: the same alias name in two regions, each for a key of its region.
    const source = await aws.estate.createKey(SOURCE);
    const destination = await aws.estate.createKey(DESTINATION);
    await aws.estate.createAlias(SOURCE, 'alias/aurora-snapshot-tool', source.keyId);
    await aws.estate.createAlias(DESTINATION, 'alias/aurora-snapshot-tool', destination.keyId);
    const aliasArn = `arn:aws:kms:${DESTINATION}:${MOTO_DEFAULT_ACCOUNT}:alias/aurora-snapshot-tool`;

    // Act
    const inSource = await storeOf(SOURCE).keyArnOf('alias/aurora-snapshot-tool');
    const inDestination = await storeOf(DESTINATION).keyArnOf('alias/aurora-snapshot-tool');
    const byArn = await storeOf(SOURCE).keyArnOf(aliasArn);
    const byKeyId = await storeOf(SOURCE).keyArnOf(source.keyId);
    const again = await storeOf(SOURCE).keyArnOf('alias/aurora-snapshot-tool');

    // Assess
    expect([inSource, inDestination, byArn, byKeyId, again]).toEqual([
      source.arn,
      destination.arn,
      destination.arn,
      source.arn,
      source.arn,
    ]);
    expect(aws.proxy.counts()).toMatchObject({
      [`${SOURCE}:DescribeKey`]: 3,
      [`${DESTINATION}:DescribeKey`]: 2,
    });
  });

  it('finds no key for an alias that exists only in another region or another account', async () => {
    // Prepare
    const key = await aws.estate.createKey(SOURCE);
    await aws.estate.createAlias(SOURCE, 'alias/aurora-snapshot-tool', key.keyId);

    // Act
    const otherRegion = await storeOf(DESTINATION).keyArnOf('alias/aurora-snapshot-tool');
    const otherAccount = await storeOf(SOURCE, OTHER_ACCOUNT).keyArnOf('alias/aurora-snapshot-tool');
    const nowhere = await storeOf(SOURCE).keyArnOf('alias/never-created');

    // Assess
    expect([otherRegion, otherAccount, nowhere]).toEqual([undefined, undefined, undefined]);
  });

  it('names a key that does not exist as KmsKeyNotAccessible', async () => {
    // Prepare
    const missing = `arn:aws:kms:${SOURCE}:${MOTO_DEFAULT_ACCOUNT}:key/00000000-0000-0000-0000-000000000001`;

    // Act
    const error = await rejection(storeOf(SOURCE).isAwsManagedKey(missing));

    // Assess
    expect(isToolError(error, 'KmsKeyNotAccessible')).toBe(true);
    expect((error as Error).message).toContain(missing);
  });

  it('falls back to the default quota of 100 when the API lacks DescribeAccountAttributes, and asks once', async () => {
    // Prepare
    const store = storeOf(SOURCE);

    // Act
    const first = await store.manualSnapshotQuota();
    const second = await store.manualSnapshotQuota();

    // Assess
    expect(first).toBe(100);
    expect(second).toBe(100);
    expect(aws.proxy.total('DescribeAccountAttributes')).toBeGreaterThan(0);
    expect(aws.proxy.total('DescribeAccountAttributes')).toBeLessThanOrEqual(2);
  });

  it('uses the quota given in the options without asking', async () => {
    // Prepare
    const store = createSnapshotStore({
      region: SOURCE,
      endpoint: aws.proxy.endpoint,
      credentials: aws.moto.credentials,
      manualSnapshotQuota: 250,
    });

    // Act
    const quota = await store.manualSnapshotQuota();

    // Assess
    expect(quota).toBe(250);
    expect(aws.proxy.total('DescribeAccountAttributes')).toBe(0);
  });
});
