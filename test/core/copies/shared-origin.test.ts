// What a snapshot another account shared says of its origin without its tags: the point in time from its name, the source region from the snapshot it was copied from, the account from its ARN; whether it is the configured source's, and the order the destination imports in.
import { describe, expect, it } from 'vitest';
import {
  isSharedFromSource,
  sharedPointInTime,
  sharedSourceAccount,
  sharedSourceRegion,
  sortSharedNewestFirst,
} from '../../../src/core/copies/shared-origin.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import { TAG } from '../../../src/core/model/tags.js';
import { snapshot } from '../../support/snapshot-builder.js';

const SOURCE_ACCOUNT = '222222222222';
/** A snapshot the source account shared, seen from the destination: no tags, unless `tags` says otherwise. */
const shared = (id: string, fields: Partial<SnapshotInfo> = {}): SnapshotInfo =>
  snapshot(id, { region: 'us-west-2', accountId: SOURCE_ACCOUNT, ...fields });
const iso = (date: Date | undefined) => date?.toISOString();

describe('sharedPointInTime', () => {
  it('reads the PointInTime tag first when the owner’s tags are visible', () => {
    // Act
    const time = sharedPointInTime(
      shared('orders-2026-07-05-01-00', {
        tags: { [TAG.PointInTime]: '2026-07-05T00:59:30.000Z' },
        createTime: new Date('2026-07-05T02:00:00Z'),
      }),
    );

    // Assess
    expect(iso(time)).toBe('2026-07-05T00:59:30.000Z');
  });

  it('skips a PointInTime tag that is not a date and reads the name instead', () => {
    // Act
    const time = sharedPointInTime(
      shared('orders-2026-07-05-01-00', {
        tags: { [TAG.PointInTime]: 'yesterday' },
        createTime: new Date('2026-07-05T02:00:00Z'),
      }),
    );

    // Assess
    expect(iso(time)).toBe('2026-07-05T01:00:00.000Z');
  });

  it('reads the time in the name before the create time (a cross-region copy is created later than its data)', () => {
    // Act / Assess
    expect(
      iso(
        sharedPointInTime(
          shared('orders-2026-07-05-01-00', { createTime: new Date('2026-07-05T03:20:00Z') }),
        ),
      ),
    ).toBe('2026-07-05T01:00:00.000Z');
    expect(iso(sharedPointInTime(shared('orders-2026-07-05-01-00')))).toBe('2026-07-05T01:00:00.000Z');
  });

  it('ignores a name time later than the create time (not the tool’s stamp) and takes the create time', () => {
    // Act
    const time = sharedPointInTime(
      shared('orders-2026-07-05-01-00', { createTime: new Date('2026-07-05T00:59:00Z') }),
    );

    // Assess
    expect(iso(time)).toBe('2026-07-05T00:59:00.000Z');
  });

  it('takes the create time of a snapshot whose name has no time, and nothing when it has neither', () => {
    // Act / Assess
    expect(
      iso(sharedPointInTime(shared('orders-final', { createTime: new Date('2026-07-01T00:00:00Z') }))),
    ).toBe('2026-07-01T00:00:00.000Z');
    expect(sharedPointInTime(shared('orders-final'))).toBeUndefined();
  });
});

describe('sharedSourceRegion and sharedSourceAccount', () => {
  it('reads the SourceRegion tag, else the region of the snapshot it was copied from, else nothing', () => {
    // Act / Assess
    expect(sharedSourceRegion(shared('a', { tags: { [TAG.SourceRegion]: 'eu-west-1' } }))).toBe('eu-west-1');
    expect(
      sharedSourceRegion(
        shared('a', {
          sourceArn: `arn:aws:rds:us-east-1:${SOURCE_ACCOUNT}:cluster-snapshot:orders-2026-07-05-01-00`,
        }),
      ),
    ).toBe('us-east-1');
    expect(sharedSourceRegion(shared('a', { sourceArn: '' }))).toBeUndefined();
    expect(sharedSourceRegion(shared('a', { sourceArn: 'not-an-arn' }))).toBeUndefined();
    expect(sharedSourceRegion(shared('a'))).toBeUndefined();
  });

  it('reads the SourceAccount tag, else the account that owns the shared snapshot', () => {
    // Act / Assess
    expect(sharedSourceAccount(shared('a', { tags: { [TAG.SourceAccount]: '333333333333' } }))).toBe(
      '333333333333',
    );
    expect(sharedSourceAccount(shared('a'))).toBe(SOURCE_ACCOUNT);
  });
});

describe('isSharedFromSource', () => {
  const fromUsEast1 = shared('orders-2026-07-05-01-00', {
    clusterId: 'orders',
    sourceArn: `arn:aws:rds:us-east-1:${SOURCE_ACCOUNT}:cluster-snapshot:orders-2026-07-05-01-00`,
  });
  const isOrders = (clusterId: string) => clusterId === 'orders';

  it('accepts a snapshot of a matching cluster from the configured region and account', () => {
    expect(
      isSharedFromSource({ SourceRegion: 'us-east-1', SourceAccount: SOURCE_ACCOUNT }, isOrders, fromUsEast1),
    ).toBe(true);
  });

  it('refuses one copied from another region, or shared by another account', () => {
    expect(isSharedFromSource({ SourceRegion: 'eu-west-1' }, isOrders, fromUsEast1)).toBe(false);
    expect(isSharedFromSource({ SourceAccount: '333333333333' }, isOrders, fromUsEast1)).toBe(false);
  });

  it('refuses one of a cluster the pattern does not match, read from the SourceCluster tag when visible', () => {
    expect(
      isSharedFromSource({}, isOrders, shared('payments-2026-07-05-01-00', { clusterId: 'payments' })),
    ).toBe(false);
    expect(
      isSharedFromSource(
        {},
        isOrders,
        shared('x-2026-07-05-01-00', { clusterId: 'x', tags: { [TAG.SourceCluster]: 'orders' } }),
      ),
    ).toBe(true);
  });

  it('takes SourceRegion on trust for a snapshot that names no region, and accepts any when none is configured', () => {
    const local = shared('orders-2026-07-05-01-00', { clusterId: 'orders' });
    expect(isSharedFromSource({ SourceRegion: 'eu-west-1' }, isOrders, local)).toBe(true);
    expect(isSharedFromSource({}, isOrders, fromUsEast1)).toBe(true);
  });
});

describe('sortSharedNewestFirst', () => {
  it('puts the newest point in time first, those without one last, ties by the smaller id, in any listing order', () => {
    // Prepare
    const older = shared('orders-2026-07-04-01-00');
    const newer = shared('orders-2026-07-05-01-00');
    const tieB = shared('b-2026-07-03-01-00');
    const tieA = shared('a-2026-07-03-01-00');
    const undatedY = shared('y-final');
    const undatedX = shared('x-final');
    const expected = [newer, older, tieA, tieB, undatedX, undatedY].map((s) => s.id);

    // Act / Assess
    expect(sortSharedNewestFirst([undatedY, tieB, older, undatedX, newer, tieA]).map((s) => s.id)).toEqual(
      expected,
    );
    expect(sortSharedNewestFirst([tieA, newer, undatedX, older, tieB, undatedY]).map((s) => s.id)).toEqual(
      expected,
    );
  });
});
