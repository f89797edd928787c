// The manual snapshot quota against moto started with MOTO_RDS_SNAPSHOT_LIMIT: the adapter names it SnapshotQuotaExceeded.
import { describe, expect, it } from 'vitest';
import { createSnapshotStore, type RdsSnapshotStore } from '../../src/aws/index.js';
import { isToolError } from '../../src/core/model/errors.js';
import { useMotoBehindFaultProxy } from '../support/moto-fixture.js';
import { rejection } from '../support/rejection.js';

const REGION = 'us-east-1';
const DESTINATION = 'us-west-2';
const LIMIT = 3;
/** moto counts the automated snapshot each cluster gets against its limit: that many manual ones fit. */
const MANUAL_FIT = LIMIT - 1;

function storeOf(region: string, manualSnapshotQuota?: number): RdsSnapshotStore {
  return createSnapshotStore({
    region,
    endpoint: aws.proxy.endpoint,
    credentials: aws.moto.credentials,
    retryBaseDelayMs: 1,
    ...(manualSnapshotQuota === undefined ? {} : { manualSnapshotQuota }),
  });
}

const aws = useMotoBehindFaultProxy({
  seed: 3,
  motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: String(LIMIT) },
  given: async (estate) => {
    await estate.createCluster(REGION, 'prod-db');
    for (let i = 1; i <= MANUAL_FIT; i++) {
      await estate.createSnapshot(REGION, { clusterId: 'prod-db', snapshotId: `prod-db-${i}` });
    }
  },
});

describe('manual snapshot quota', () => {
  it('names a full quota SnapshotQuotaExceeded with the quota, once, without retrying or deleting', async () => {
    // Prepare
    const store = storeOf(REGION, LIMIT);

    // Act
    const error = await rejection(
      store.createSnapshot({ clusterId: 'prod-db', snapshotId: 'prod-db-3', tags: {} }),
    );

    // Assess
    expect(isToolError(error, 'SnapshotQuotaExceeded')).toBe(true);
    expect((error as Error).message).toContain(`manual cluster snapshot quota (${LIMIT}) is reached`);
    expect((error as Error).message).toMatch(/delete old snapshots or request a quota increase/);
    expect(isToolError(error) && error.details).toMatchObject({
      quota: LIMIT,
      snapshotId: 'prod-db-3',
      region: REGION,
    });
    expect(aws.proxy.total('CreateDBClusterSnapshot')).toBe(1);
    expect(aws.proxy.total('DeleteDBClusterSnapshot')).toBe(0);
    expect(await aws.estate.snapshotIds(REGION)).toEqual(['prod-db-1', 'prod-db-2']);
  });

  it('names a copy refused by the quota of the destination SnapshotQuotaExceeded too', async () => {
    // Prepare
    await aws.estate.createCluster(DESTINATION, 'dr-db');
    for (let i = 1; i <= MANUAL_FIT; i++) {
      await aws.estate.createSnapshot(DESTINATION, { clusterId: 'dr-db', snapshotId: `dr-db-${i}` });
    }
    const source = (await aws.estate.snapshots(REGION))[0];

    // Act
    const error = await rejection(
      storeOf(DESTINATION).copySnapshot({
        sourceArn: source?.DBClusterSnapshotArn ?? '',
        sourceRegion: REGION,
        targetId: 'prod-db-1',
        tags: {},
      }),
    );

    // Assess
    expect(isToolError(error, 'SnapshotQuotaExceeded')).toBe(true);
    // moto lacks DescribeAccountAttributes: the message names the default quota the store assumed.
    expect((error as Error).message).toContain('quota (100)');
    expect(await aws.estate.snapshotIds(DESTINATION)).toEqual(['dr-db-1', 'dr-db-2']);
  });
});
