// The demo's checks over hand-made ledgers: each passes on a healthy history and fails, naming the snapshot,
// when the history shows the mistake it guards against.
import { describe, expect, it } from 'vitest';
import {
  type CheckInput,
  executionsSucceeded,
  isoWeekOf,
  keptByRules,
  localDate,
  newestPresent,
  noDuplicateInInterval,
  nothingUntaggedDeleted,
  patternRespected,
  retentionApplied,
  runChecks,
  sharedVisible,
} from '../../src/demo/checks.js';
import type { LedgerEntry } from '../../src/demo/ledger.js';

const H = 3_600_000;
const START = Date.parse('2025-01-01T00:00:00.000Z');
const at = (hours: number) => new Date(START + hours * H).toISOString();

function entry(overrides: Partial<LedgerEntry> & Pick<LedgerEntry, 'id'>): LedgerEntry {
  const region = overrides.region ?? 'us-east-1';
  return {
    key: `123456789012/${region}/${overrides.id}`,
    arn: `arn:aws:rds:${region}:123456789012:cluster-snapshot:${overrides.id}`,
    region,
    accountId: '123456789012',
    clusterId: 'prod-orders',
    role: 'backup',
    managed: true,
    pointInTime: at(0),
    createdAt: at(0),
    deletedAt: undefined,
    sharedAt: undefined,
    sharedWith: undefined,
    status: 'available',
    sourceSnapshot: undefined,
    ...overrides,
  };
}

/** A healthy history: a snapshot every 8 hours for 5 days, copied, shared, expired on time on both sides. */
function healthy(): LedgerEntry[] {
  const entries: LedgerEntry[] = [
    entry({ id: 'prod-orders-before-upgrade', role: 'unmanaged', managed: false }),
  ];
  for (let i = 0; i < 15; i++) {
    const hours = i * 8;
    const id = `prod-orders-${i}`;
    const sourceDeleted = hours + 72 <= 112 ? at(hours + 72) : undefined;
    entries.push(entry({ id, pointInTime: at(hours), createdAt: at(hours), deletedAt: sourceDeleted }));
    entries.push(
      entry({
        id,
        region: 'us-west-2',
        role: 'dr-copy',
        pointInTime: at(hours),
        createdAt: at(hours),
        sharedAt: at(hours),
        sharedWith: '222222222222',
      }),
    );
  }
  return entries;
}

function input(entries: LedgerEntry[], overrides: Partial<CheckInput> = {}): CheckInput {
  return {
    entries,
    sourceRegion: 'us-east-1',
    destinationRegion: 'us-west-2',
    shareAccount: '222222222222',
    matching: ['prod-orders'],
    notMatching: ['staging-analytics'],
    backupIntervalHours: 8,
    sourceRetentionDays: 3,
    destinationRetentionDays: 7,
    end: new Date(START + 120 * H),
    maxRunGapHours: 8,
    automatedBefore: ['rds:prod-orders-1'],
    automatedAfter: ['rds:prod-orders-1'],
    visibleToShareAccount: entries.filter((e) => e.sharedWith).map((e) => e.arn),
    executions: { total: 15, failed: [] },
    ...overrides,
  };
}

describe('demo checks', () => {
  it('all pass on a healthy history', () => {
    // Act
    const checks = runChecks(input(healthy()));
    // Assess
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks).toHaveLength(7);
  });

  it('nothing untagged deleted: fails when the untagged snapshot disappeared', () => {
    // Prepare
    const entries = healthy().map((e) => (e.managed ? e : { ...e, deletedAt: at(80) }));
    // Act
    const check = nothingUntaggedDeleted(input(entries));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('prod-orders-before-upgrade');
  });

  it('nothing untagged deleted: fails when an automated snapshot disappeared', () => {
    // Act
    const check = nothingUntaggedDeleted(input(healthy(), { automatedAfter: [] }));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('automated rds:prod-orders-1 gone');
  });

  it('newest present: fails when the newest source snapshot was deleted', () => {
    // Prepare
    const entries = healthy().map((e) =>
      e.id === 'prod-orders-14' && e.region === 'us-east-1' ? { ...e, deletedAt: at(119) } : e,
    );
    // Act
    const check = newestPresent(input(entries));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('newest prod-orders-14 in us-east-1 was deleted');
  });

  it('newest present: fails when the destination lags behind the source', () => {
    // Prepare
    const entries = healthy().filter((e) => !(e.id === 'prod-orders-14' && e.region === 'us-west-2'));
    // Act
    const check = newestPresent(input(entries));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('newest copy is of');
  });

  it('no duplicate: fails on two snapshots of a cluster in one interval', () => {
    // Prepare
    const entries = [
      ...healthy(),
      entry({ id: 'prod-orders-extra', pointInTime: at(113), createdAt: at(113) }),
    ];
    // Act
    const check = noDuplicateInInterval(input(entries));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('prod-orders-extra');
  });

  it('no duplicate: an untagged snapshot next to the tool’s is not a duplicate', () => {
    // Prepare
    const entries = [
      ...healthy(),
      entry({ id: 'hand-made', role: 'unmanaged', managed: false, pointInTime: at(1) }),
    ];
    // Act
    const check = noDuplicateInInterval(input(entries));
    // Assess
    expect(check.ok).toBe(true);
  });

  it('pattern: fails when a cluster outside the pattern got a snapshot', () => {
    // Prepare
    const entries = [...healthy(), entry({ id: 'staging-analytics-1', clusterId: 'staging-analytics' })];
    // Act
    const check = patternRespected(input(entries));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('staging-analytics-1');
  });

  it('retention: fails when a snapshot was deleted before its retention', () => {
    // Prepare
    const entries = healthy().map((e) =>
      e.id === 'prod-orders-10' && e.region === 'us-east-1' ? { ...e, deletedAt: at(90) } : e,
    );
    // Act
    const check = retentionApplied(input(entries));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('prod-orders-10 (us-east-1) deleted before 3 days');
  });

  it('retention: fails when an expired snapshot is still kept', () => {
    // Prepare
    const entries = healthy().map((e) => (e.id === 'prod-orders-0' ? { ...e, deletedAt: undefined } : e));
    // Act
    const check = retentionApplied(input(entries));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('prod-orders-0 (us-east-1) kept at 5.0 days');
  });

  it('retention: old snapshots a daily rule keeps pass, and fail once the rule keeps fewer days', () => {
    // Prepare: the newest of day 0 (prod-orders-2) and of day 1 (prod-orders-5) are never deleted
    const entries = healthy().map((e) =>
      e.region === 'us-east-1' && ['prod-orders-2', 'prod-orders-5'].includes(e.id)
        ? { ...e, deletedAt: undefined }
        : e,
    );
    // Act
    const kept = retentionApplied(input(entries, { sourceRules: { daily: 7, weekly: 0, zone: 'UTC' } }));
    const notKept = retentionApplied(input(entries, { sourceRules: { daily: 2, weekly: 0, zone: 'UTC' } }));
    // Assess
    expect(kept.ok).toBe(true);
    expect(kept.detail).toContain('1 older one(s) kept by the daily and weekly rules');
    expect(notKept.ok).toBe(false);
    expect(notKept.detail).toContain('prod-orders-2 (us-east-1) kept at 4.3 days');
  });

  it('retention: fails when a snapshot a daily rule keeps was deleted, even past RetentionDays', () => {
    // Prepare: prod-orders-2 (hour 16) is the newest of day 1, deleted at hour 88
    const entries = healthy();
    const rules = { daily: 7, weekly: 0, zone: 'UTC' };
    // Act
    const check = retentionApplied(input(entries, { sourceRules: rules }));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain(
      'prod-orders-2 (us-east-1) deleted though a daily or weekly rule keeps it',
    );
  });

  it('retention rules: the newest of each local day and ISO week, in the rule’s zone', () => {
    // Prepare: 23:30 UTC on a Sunday is already Monday in Berlin
    const series = [
      entry({ id: 'sun-1200', pointInTime: '2025-01-05T12:00:00.000Z' }),
      entry({ id: 'sun-2330', pointInTime: '2025-01-05T23:30:00.000Z' }),
      entry({ id: 'mon-1200', pointInTime: '2025-01-06T12:00:00.000Z' }),
    ];
    // Act
    const utcDaily = keptByRules(series, { daily: 2, weekly: 0, zone: 'UTC' });
    const berlinDaily = keptByRules(series, { daily: 2, weekly: 0, zone: 'Europe/Berlin' });
    const berlinWeekly = keptByRules(series, { daily: 0, weekly: 2, zone: 'Europe/Berlin' });
    // Assess
    expect([...utcDaily].sort()).toEqual(['mon-1200', 'sun-2330']);
    expect([...berlinDaily].sort()).toEqual(['mon-1200', 'sun-1200']);
    expect([...berlinWeekly].sort()).toEqual(['mon-1200', 'sun-1200']);
    expect(localDate('2025-01-05T23:30:00.000Z', 'Europe/Berlin')).toBe('2025-01-06');
    expect(isoWeekOf('2025-01-05')).toBe('2025-W01');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
  });

  it('shared: fails when a shared copy is not visible to the other account', () => {
    // Act
    const check = sharedVisible(input(healthy(), { visibleToShareAccount: [] }));
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('not visible there: prod-orders-0');
  });

  it('executions: fails when one execution failed and names it', () => {
    // Act
    const check = executionsSucceeded(
      input(healthy(), { executions: { total: 15, failed: ['source at 08:00: KmsKeyNotAccessible: key'] } }),
    );
    // Assess
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('1 of 15 failed: source at 08:00: KmsKeyNotAccessible');
  });
});
