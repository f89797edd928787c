// The demo's ledger: snapshot lives from successive listings, and the recovery point sampled at each look.
import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { SnapshotLedger } from '../../src/demo/ledger.js';

const H = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * H);

function info(id: string, region: string, tags: Record<string, string>): SnapshotInfo {
  return {
    id,
    arn: `arn:aws:rds:${region}:123456789012:cluster-snapshot:${id}`,
    clusterId: 'prod-orders',
    region,
    accountId: '123456789012',
    type: 'manual',
    status: 'available',
    createTime: at(0),
    encrypted: false,
    kmsKeyId: undefined,
    tags,
  };
}

const backup = (id: string, hours: number) =>
  info(id, 'us-east-1', {
    [TAG.CreatedBy]: TOOL_TAG_VALUE,
    [TAG.PointInTime]: at(hours).toISOString(),
    [TAG.Purpose]: 'backup',
    [TAG.SourceCluster]: 'prod-orders',
  });
const copy = (id: string, hours: number, shared = false) =>
  info(id, 'us-west-2', {
    [TAG.CopiedBy]: TOOL_TAG_VALUE,
    [TAG.PointInTime]: at(hours).toISOString(),
    [TAG.Purpose]: 'dr-copy',
    [TAG.SourceCluster]: 'prod-orders',
    ...(shared ? { [TAG.SharedWith]: '222222222222' } : {}),
  });

describe('SnapshotLedger', () => {
  it('records when a snapshot appeared, was first seen shared, and disappeared', () => {
    // Prepare
    const ledger = new SnapshotLedger();
    // Act
    ledger.observe(at(0), 'us-west-2', '123456789012', [copy('a', 0)]);
    ledger.observe(at(8), 'us-west-2', '123456789012', [copy('a', 0, true), copy('b', 8)]);
    ledger.observe(at(16), 'us-west-2', '123456789012', [copy('b', 8, true)]);
    // Assess
    const byId = new Map(ledger.entries().map((e) => [e.id, e]));
    expect(byId.get('a')).toMatchObject({
      createdAt: at(0).toISOString(),
      sharedAt: at(8).toISOString(),
      deletedAt: at(16).toISOString(),
      role: 'dr-copy',
      managed: true,
    });
    expect(byId.get('b')).toMatchObject({ createdAt: at(8).toISOString(), sharedAt: at(16).toISOString() });
    expect(byId.get('b')?.deletedAt).toBeUndefined();
  });

  it('a listing of one region does not mark the other region’s snapshots deleted', () => {
    // Prepare
    const ledger = new SnapshotLedger();
    ledger.observe(at(0), 'us-east-1', '123456789012', [backup('a', 0)]);
    // Act
    ledger.observe(at(8), 'us-west-2', '123456789012', []);
    // Assess
    expect(ledger.entries()[0]?.deletedAt).toBeUndefined();
  });

  it('takes the point in time from the tag, not from the listing time or the name', () => {
    // Prepare
    const ledger = new SnapshotLedger();
    // Act
    ledger.observe(at(10), 'us-east-1', '123456789012', [backup('prod-orders-2030-01-01-00-00', 2)]);
    // Assess
    expect(ledger.entries()[0]?.pointInTime).toBe(at(2).toISOString());
  });

  it('samples the recovery point before and after a new copy arrives (the saw tooth)', () => {
    // Prepare
    const ledger = new SnapshotLedger();
    const look = (hours: number, copies: SnapshotInfo[]) => {
      ledger.observe(at(hours), 'us-west-2', '123456789012', copies);
      ledger.sampleRecoveryPoint(at(hours), 'us-west-2', ['prod-orders'], 'dr-copy');
    };
    // Act
    look(0, []);
    look(0.5, [copy('a', 0)]);
    look(4, [copy('a', 0)]);
    look(8.5, [copy('a', 0), copy('b', 8)]);
    // Assess
    const samples = ledger.recoveryPoints()[0]?.samples.map((s) => s.ageHours);
    expect(samples).toEqual([0.5, 4, 8.5, 0.5]);
  });
});
