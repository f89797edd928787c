// The adapter's retries through the fault-injection proxy in front of moto: throttling, server faults, dropped connections.
import { describe, expect, it } from 'vitest';
import { createSnapshotStore, type RdsSnapshotStore } from '../../src/aws/index.js';
import { isToolError } from '../../src/core/model/errors.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { type FaultPlan, MUTATING_ACTIONS } from '../support/fault-proxy.js';
import { useMotoBehindFaultProxy } from '../support/moto-fixture.js';
import { rejection } from '../support/rejection.js';

const REGION = 'eu-west-1';
const OTHER_REGION = 'eu-central-1';
const MAX_ATTEMPTS = 5;

function storeOf(region: string, maxAttempts = MAX_ATTEMPTS): RdsSnapshotStore {
  return createSnapshotStore({
    region,
    endpoint: aws.proxy.endpoint,
    credentials: aws.moto.credentials,
    maxAttempts,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
  });
}

const aws = useMotoBehindFaultProxy({
  seed: 7,
  given: async (estate) => {
    await estate.createCluster(REGION, 'prod-db');
  },
});

describe('throttling', () => {
  it('retries throttled calls to success: every snapshot made once, throttled requests counted', async () => {
    // Prepare
    aws.proxy.setPlan([{ fault: 'throttle', probability: 0.3 }]);
    const store = storeOf(REGION, 8);
    const ids = Array.from({ length: 12 }, (_, i) => `prod-db-${String(i).padStart(2, '0')}`);

    // Act
    for (const id of ids) {
      await store.createSnapshot({
        clusterId: 'prod-db',
        snapshotId: id,
        tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE },
      });
    }
    const listed = await store.listSnapshots('manual');

    // Assess
    expect(listed.map((s) => s.id).sort()).toEqual(ids);
    const throttled = aws.proxy.faults()[`${REGION}:CreateDBClusterSnapshot`] ?? 0;
    expect(throttled).toBeGreaterThan(0);
    expect(aws.proxy.counts()[`${REGION}:CreateDBClusterSnapshot`]).toBe(ids.length + throttled);
    expect(aws.proxy.total('ListTagsForResource')).toBe(0);
  });

  it('gives up after maxAttempts with ThrottlingError, having made no snapshot', async () => {
    // Prepare
    aws.proxy.setPlan([{ fault: 'throttle', actions: ['CreateDBClusterSnapshot'] }]);

    // Act
    const error = await rejection(
      storeOf(REGION).createSnapshot({ clusterId: 'prod-db', snapshotId: 'prod-db-1', tags: {} }),
    );

    // Assess
    expect(isToolError(error, 'ThrottlingError')).toBe(true);
    expect(isToolError(error) && error.details).toMatchObject({ attempts: MAX_ATTEMPTS, region: REGION });
    expect((error as Error).message).toContain(`after ${MAX_ATTEMPTS} attempts`);
    expect(aws.proxy.total('CreateDBClusterSnapshot')).toBe(MAX_ATTEMPTS);
    expect(await aws.estate.snapshotIds(REGION)).toEqual([]);
  });

  it('retries throttled KMS calls (JSON protocol) too', async () => {
    // Prepare
    const key = await aws.estate.createKey(REGION);
    aws.proxy.setPlan([{ fault: 'throttle', actions: ['DescribeKey'], times: 2 }]);

    // Act
    const managed = await storeOf(REGION).isAwsManagedKey(key.arn);

    // Assess
    expect(managed).toBe(false);
    expect(aws.proxy.counts()[`${REGION}:DescribeKey`]).toBe(3);
  });
});

describe('server faults and dropped connections', () => {
  it.each([
    ['error500', 1],
    ['error503', 2],
    ['drop', 2],
  ] as const)('retries %s to success', async (fault, times) => {
    // Prepare
    aws.proxy.setPlan([{ fault, actions: ['DescribeDBClusterSnapshots'], times }]);
    await aws.estate.createSnapshot(REGION, { clusterId: 'prod-db', snapshotId: 'prod-db-1' });

    // Act
    const listed = await storeOf(REGION).listSnapshots('manual');

    // Assess
    expect(listed.map((s) => s.id)).toEqual(['prod-db-1']);
    expect(aws.proxy.total('DescribeDBClusterSnapshots')).toBe(times + 1);
    expect(aws.proxy.faults()[`${REGION}:DescribeDBClusterSnapshots`]).toBe(times);
  });

  it('names persistent server faults TransientAwsError after maxAttempts', async () => {
    // Prepare
    aws.proxy.setPlan([{ fault: 'error503', actions: ['DescribeDBClusters'] }]);

    // Act
    const error = await rejection(storeOf(REGION).listClusters());

    // Assess
    expect(isToolError(error, 'TransientAwsError')).toBe(true);
    expect(isToolError(error) && error.details.httpStatus).toBe(503);
    expect(aws.proxy.total('DescribeDBClusters')).toBe(MAX_ATTEMPTS);
  });

  it('after a lost answer to a create, the retry meets the snapshot the first attempt made', async () => {
    // Prepare
    aws.proxy.setPlan([{ fault: 'drop-after-forward', actions: ['CreateDBClusterSnapshot'], nth: 1 }]);

    // Act
    const error = await rejection(
      storeOf(REGION).createSnapshot({ clusterId: 'prod-db', snapshotId: 'prod-db-1', tags: { A: 'b' } }),
    );

    // Assess
    expect(isToolError(error, 'SnapshotAlreadyExists')).toBe(true);
    expect(aws.proxy.total('CreateDBClusterSnapshot')).toBe(2);
    const snapshots = await aws.estate.snapshots(REGION);
    expect(snapshots.map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['prod-db-1']);
    expect(snapshots[0]?.TagList).toEqual([{ Key: 'A', Value: 'b' }]);
  });
});

describe('the fault plan', () => {
  it('faults only the Nth call of an action, in the regions named', async () => {
    // Prepare
    await aws.estate.createCluster(OTHER_REGION, 'prod-db');
    aws.proxy.setPlan([
      { fault: 'error500', actions: ['CreateDBClusterSnapshot'], regions: [REGION], nth: 2 },
    ]);
    const store = storeOf(REGION);
    const other = storeOf(OTHER_REGION);

    // Act
    for (const id of ['a-1', 'a-2', 'a-3']) {
      await store.createSnapshot({ clusterId: 'prod-db', snapshotId: id, tags: {} });
      await other.createSnapshot({ clusterId: 'prod-db', snapshotId: id, tags: {} });
    }

    // Assess
    expect(aws.proxy.faults()).toEqual({ [`${REGION}:CreateDBClusterSnapshot`]: 1 });
    expect(aws.proxy.counts()[`${REGION}:CreateDBClusterSnapshot`]).toBe(4);
    expect(aws.proxy.counts()[`${OTHER_REGION}:CreateDBClusterSnapshot`]).toBe(3);
    const faulted = aws.proxy.requests().filter((r) => r.fault !== undefined);
    expect(faulted).toEqual([
      {
        region: REGION,
        service: 'rds',
        action: 'CreateDBClusterSnapshot',
        account: undefined,
        fault: 'error500',
      },
    ]);
  });

  it('with mutations targeted, reads pass untouched', async () => {
    // Prepare
    aws.proxy.setPlan([{ fault: 'throttle', actions: MUTATING_ACTIONS, probability: 0.5 }]);
    const store = storeOf(REGION, 10);

    // Act
    for (let i = 0; i < 6; i++)
      await store.createSnapshot({ clusterId: 'prod-db', snapshotId: `m-${i}`, tags: {} });
    await store.listSnapshots('manual');
    await store.listClusters();

    // Assess
    const faultedActions = new Set(aws.proxy.requests().flatMap((r) => (r.fault ? [r.action] : [])));
    expect([...faultedActions]).toEqual(['CreateDBClusterSnapshot']);
    expect(aws.proxy.faults()[`${REGION}:DescribeDBClusterSnapshots`]).toBeUndefined();
  });

  it('injects the same faults for the same seed', async () => {
    // Prepare
    const plan: FaultPlan = [
      { fault: 'throttle', actions: ['DescribeDBClusterSnapshots'], probability: 0.4 },
    ];
    const run = async () => {
      aws.proxy.setPlan(plan);
      aws.proxy.reset();
      const store = storeOf(REGION, 10);
      for (let i = 0; i < 10; i++) await store.listSnapshots('manual');
      return aws.proxy.requests().map((r) => r.fault ?? '-');
    };

    // Act
    const first = await run();
    const second = await run();

    // Assess
    expect(first).toContain('throttle');
    expect(second).toEqual(first);
  });

  it('delays a request and then forwards it', async () => {
    // Prepare
    aws.proxy.setPlan([{ fault: 'delay', actions: ['GetCallerIdentity'], delayMs: 20 }]);

    // Act
    const account = await storeOf(REGION).accountId();

    // Assess
    expect(account).toBe(aws.estate.accountId);
    expect(aws.proxy.total('GetCallerIdentity')).toBe(1);
    expect(aws.proxy.faults()[`${REGION}:GetCallerIdentity`]).toBe(1);
  });
});
