// Quota foresight: the steady-state number of manual snapshots a policy keeps, per cluster and in all, against the quota.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { policyForesight } from '../../src/core/policy-foresight.js';
import {
  foresightNote,
  regionForesight,
  steadyStateCount,
  takenTimes,
} from '../../src/core/quota-foresight.js';

const DAILY = { schedule: '0 1 * * ? *', intervalHours: 24 };
const EIGHT_HOURLY = { schedule: '0 0,8,16 * * ? *', intervalHours: 8 };

describe('steadyStateCount', () => {
  it('is RetentionDays x runs a day + 1 for RetentionDays alone (both ends of the window)', () => {
    // Act / Assess
    expect(steadyStateCount({ retentionDays: 7 }, DAILY)).toBe(8);
    expect(steadyStateCount({ retentionDays: 7 }, EIGHT_HOURLY)).toBe(22);
  });

  it('adds what the GFS rules keep beyond the window, at the worst point of the year', () => {
    // Act
    const count = steadyStateCount(
      { retentionDays: 7, keepDaily: 14, keepWeekly: 8, keepMonthly: 12, keepYearly: 3 },
      DAILY,
    );
    // Assess: 14 days, up to 6 more weeks, up to 11 more months (one may share a week), 2 more years
    expect(count).toBeGreaterThanOrEqual(30);
    expect(count).toBeLessThanOrEqual(14 + 6 + 11 + 2);
  });

  it('takes one snapshot a day in a zone with daylight saving, as the due decision does', () => {
    // Act
    const times = takenTimes(
      { ...DAILY, timeZone: 'Europe/Berlin' },
      new Date('2026-01-01T00:00:00Z'),
      new Date('2027-01-01T00:00:00Z'),
    );
    // Assess
    expect(times).toHaveLength(365);
  });
});

describe('foresight of a configuration', () => {
  it('warns, with the numbers, when every cluster kept in a region exceeds the quota', () => {
    // Act
    const f = regionForesight({
      region: 'us-east-1',
      side: 'source',
      policy: { retentionDays: 7 },
      cadence: EIGHT_HOURLY,
      clusters: 5,
      quota: 100,
    });
    const note = foresightNote(f);
    // Assess
    expect(f).toMatchObject({ perCluster: 22, total: 110, quota: 100, clustersThatFit: 4, exceeds: true });
    expect(note.level).toBe('warn');
    expect(note.message).toContain('22 manual snapshots per cluster × 5 cluster(s) = 110');
    expect(note.message).toContain('quota of 100');
    expect(note.message).toContain('fits 4 cluster(s)');
  });

  it('covers the source and the destination regions, the destination on the source schedule', () => {
    // Prepare
    const config = parseConfig({
      Source: {
        Region: 'us-east-1',
        ClusterNamePattern: 'orders',
        BackupSchedule: '0 0,8,16 * * ? *',
        BackupInterval: 8,
        RetentionDays: 7,
        ShareSnapshots: true,
        DestinationRegion: 'us-west-2',
      },
      Destination: { Region: 'us-west-2', SnapshotPattern: 'orders', RetentionDays: 30, KeepMonthly: 12 },
    });
    // Act
    const [source, destination] = policyForesight(config, {
      clusters: 2,
      sourceQuota: 100,
      destinationQuota: 150,
    });
    // Assess
    expect(source).toMatchObject({ region: 'us-east-1', perCluster: 22, total: 44, exceeds: false });
    expect(destination?.region).toBe('us-west-2');
    // 91 within 30 days, plus the months beyond them: 10 or 11 as the 30 days cover one or two months.
    expect(destination?.perCluster).toBeGreaterThanOrEqual(91 + 10);
    expect(destination?.perCluster).toBeLessThanOrEqual(91 + 11);
    expect(destination?.quota).toBe(150);
    expect(destination?.exceeds).toBe(true);
  });

  it('says nothing for a side that never deletes', () => {
    // Act
    const found = policyForesight(
      parseConfig({
        Source: { Region: 'us-east-1', ClusterNamePattern: 'orders', DeleteOldSnapshots: false },
      }),
    );
    // Assess
    expect(found).toEqual([]);
  });
});
