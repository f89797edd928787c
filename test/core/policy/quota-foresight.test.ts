// Quota foresight: the steady-state number of manual snapshots a policy keeps, per cluster and in all, against the quota.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/schema.js';
import { policyForesight } from '../../../src/core/policy/policy-foresight.js';
import {
  foresightNote,
  regionForesight,
  steadyStateCount,
  takenTimes,
} from '../../../src/core/policy/quota-foresight.js';

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

describe('steadyStateCount: each rule counted over a history long enough for it', () => {
  // RetentionDays 1 keeps today's and yesterday's (exactly a day old) right after a pass at 01:00.
  it.each([
    ['KeepLast 500', { keepLast: 500 }, 500],
    ['KeepDaily 500', { keepDaily: 500 }, 500],
    ['KeepWeekly 80', { keepWeekly: 80 }, 81],
    ['KeepMonthly 24', { keepMonthly: 24 }, 25],
    ['KeepYearly 3', { keepYearly: 3 }, 4],
  ])('%s on a daily schedule with RetentionDays 1', (_name, keep, expected) => {
    // Act / Assess
    expect(steadyStateCount({ retentionDays: 1, ...keep }, DAILY)).toBe(expected);
  });

  it('counts KeepLast over the history its interval needs: 300 snapshots 8 hours apart, 400 a day apart', () => {
    // Act / Assess
    expect(steadyStateCount({ retentionDays: 1, keepLast: 300 }, EIGHT_HOURLY)).toBe(300);
    expect(steadyStateCount({ retentionDays: 400 }, DAILY)).toBe(401);
  });

  // Mutation gap 8: a margin of -40 days met no pass of a yearly schedule, and KeepLast's history was counted in
  // intervals of BackupInterval, not in the schedule's passes (KeepLast 4 on a yearly schedule counted 1).
  it('simulates a schedule that runs once a year long enough to meet its passes', () => {
    // Prepare: one pass on 1 January at midnight
    const yearly = { schedule: '0 0 1 1 ? *', intervalHours: 24 };
    // Act / Assess: the day's snapshot, kept for its day, needs a history of more than a year to be seen at all
    expect(steadyStateCount({ retentionDays: 1 }, yearly)).toBe(1);
    // KeepLast 4 spans four years of passes, not four intervals of a day
    expect(steadyStateCount({ retentionDays: 1, keepLast: 4 }, yearly)).toBe(4);
  });

  // Mutation gap 8: the passes were grouped by UTC day, so the last pass of a local day was never the one counted.
  it("counts what is kept after the last pass of each of the policy's days, not of each UTC day", () => {
    // Prepare: passes at 01:00 and 22:00 in Tokyo (16:00 and 13:00 UTC), so a UTC day ends after the 01:00
    const tokyo = { schedule: '0 1,22 * * ? *', intervalHours: 2, timeZone: 'Asia/Tokyo' };
    // Act
    const count = steadyStateCount(
      { retentionDays: 1, keepDaily: 3, keepLast: 4, timeZone: 'Asia/Tokyo' },
      tokyo,
    );
    // Assess: after a 22:00 pass, the 4 last and the newest of 3 days: the 01:00 and 22:00 of today and
    // yesterday, and the 22:00 of the day before (5); after a 01:00 pass the newest of 3 days are among the last 4
    expect(count).toBe(5);
  });

  it('counts the most kept at any point of the year, not only on the last day simulated', () => {
    // Early in a year last year's final snapshot is also one of the three months' (4 kept); later it is not (5).
    // Act / Assess
    expect(steadyStateCount({ retentionDays: 1, keepMonthly: 3, keepYearly: 2 }, DAILY)).toBe(5);
  });

  it.each([
    // The most kept (right after a pass, one snapshot a day) reached only on some days of the year, which
    // thirteen passes four weeks apart missed: they counted one fewer each.
    ['KeepDaily 7, KeepWeekly 4, KeepYearly 2', { keepDaily: 7, keepWeekly: 4, keepYearly: 2 }, 11],
    ['KeepDaily 7, KeepWeekly 4, KeepMonthly 3', { keepDaily: 7, keepWeekly: 4, keepMonthly: 3 }, 12],
    ['KeepWeekly 4, KeepMonthly 12', { keepWeekly: 4, keepMonthly: 12 }, 16],
  ])(
    'counts the most %s keep right after any pass of the year, not only every fourth week',
    (_name, keep, most) => {
      // Act / Assess
      expect(steadyStateCount({ retentionDays: 1, ...keep }, DAILY)).toBe(most);
    },
  );

  it('keeps nothing for a schedule that never runs', () => {
    // Act / Assess
    expect(
      takenTimes(
        { schedule: '0 1 1 1 ? 2020', intervalHours: 24 },
        new Date('2030-01-01T00:00:00Z'),
        new Date('2031-01-01T00:00:00Z'),
      ),
    ).toEqual([]);
    expect(steadyStateCount({ retentionDays: 7 }, { schedule: '0 1 1 1 ? 2020', intervalHours: 24 })).toBe(0);
  });

  it('takes on the schedule only what the due decision takes: a run before BackupInterval has passed takes nothing', () => {
    // Act: the schedule fires every 8 hours but the interval is a day
    const times = takenTimes(
      { schedule: '0 0,8,16 * * ? *', intervalHours: 24 },
      new Date('2030-01-01T00:00:00Z'),
      new Date('2030-01-04T00:00:00Z'),
    );
    // Assess
    expect(times.map((t) => new Date(t).toISOString())).toEqual([
      '2030-01-01T08:00:00.000Z',
      '2030-01-02T08:00:00.000Z',
      '2030-01-03T08:00:00.000Z',
    ]);
  });

  it('reads the schedule in its time zone', () => {
    // Act
    const times = takenTimes(
      { ...DAILY, timeZone: 'Asia/Tokyo' },
      new Date('2030-01-01T00:00:00Z'),
      new Date('2030-01-03T00:00:00Z'),
    );
    // Assess: 01:00 in Tokyo is 16:00 UTC the day before
    expect(times.map((t) => new Date(t).toISOString())).toEqual([
      '2030-01-01T16:00:00.000Z',
      '2030-01-02T16:00:00.000Z',
    ]);
  });
});

describe('regionForesight and foresightNote', () => {
  const base = {
    region: 'eu-west-1',
    side: 'destination' as const,
    policy: { retentionDays: 7 },
    cadence: DAILY,
  };

  it('counts one cluster against the AWS default quota of 100 when neither is known, and says so as info', () => {
    // Act
    const f = regionForesight(base);
    // Assess
    expect(f).toEqual({
      region: 'eu-west-1',
      side: 'destination',
      perCluster: 8,
      clusters: undefined,
      total: 8,
      quota: 100,
      clustersThatFit: 12,
      exceeds: false,
    });
    expect(foresightNote(f)).toEqual({
      level: 'info',
      code: 'quota-foresight',
      message:
        'the destination policy keeps 8 manual snapshots per cluster in eu-west-1 in steady state, within the manual snapshot quota of 100; the quota fits 12 cluster(s)',
    });
  });

  it('is within the quota when the total equals it, and beyond it one snapshot more', () => {
    // Act
    const equal = regionForesight({ ...base, clusters: 5, quota: 40 });
    const over = regionForesight({ ...base, clusters: 5, quota: 39 });
    // Assess
    expect(equal).toMatchObject({ total: 40, clustersThatFit: 5, exceeds: false });
    expect(over).toMatchObject({ total: 40, clustersThatFit: 4, exceeds: true });
    expect(foresightNote(over)).toEqual({
      level: 'warn',
      code: 'quota-foresight',
      message:
        'the destination policy keeps 8 manual snapshots per cluster × 5 cluster(s) = 40 in eu-west-1 in steady state, more than the manual snapshot quota of 39; the quota fits 4 cluster(s): lower the retention or ask AWS for a higher quota',
    });
  });

  it('fits any number of clusters when the policy keeps none, even under a quota of 0', () => {
    // Act
    const f = regionForesight({
      ...base,
      cadence: { schedule: '0 1 1 1 ? 2020', intervalHours: 24 },
      quota: 0,
    });
    // Assess
    expect(f).toMatchObject({ perCluster: 0, clustersThatFit: Number.POSITIVE_INFINITY, exceeds: false });
  });

  it('fits any number of clusters when the policy keeps none, and names no count of clusters then', () => {
    // Act
    const f = regionForesight({
      ...base,
      cadence: { schedule: '0 1 1 1 ? 2020', intervalHours: 24 },
      clusters: 3,
    });
    // Assess
    expect(f).toMatchObject({
      perCluster: 0,
      total: 0,
      clustersThatFit: Number.POSITIVE_INFINITY,
      exceeds: false,
    });
    expect(foresightNote(f).message).toBe(
      'the destination policy keeps 0 manual snapshots per cluster × 3 cluster(s) = 0 in eu-west-1 in steady state, within the manual snapshot quota of 100',
    );
  });
});

describe('policyForesight reads each side’s own parameters', () => {
  it('passes every Keep rule, RetentionDays and the zone of each side, and the source schedule to both', () => {
    // Prepare
    const config = parseConfig({
      Source: {
        Region: 'us-east-1',
        ClusterNamePattern: 'orders',
        BackupSchedule: '0 0,8,16 * * ? *',
        BackupInterval: 8,
        ScheduleTimezone: 'Asia/Tokyo',
        RetentionDays: 2,
        KeepLast: 10,
        KeepDaily: 4,
        KeepWeekly: 3,
        KeepMonthly: 2,
        KeepYearly: 1,
      },
      Destination: {
        Region: 'us-west-2',
        SnapshotPattern: 'orders',
        ScheduleTimezone: 'Europe/Berlin',
        RetentionDays: 3,
        KeepLast: 12,
        KeepDaily: 5,
        KeepWeekly: 4,
        KeepMonthly: 3,
        KeepYearly: 2,
      },
    });
    const cadence = { schedule: '0 0,8,16 * * ? *', intervalHours: 8, timeZone: 'Asia/Tokyo' };

    // Act
    const found = policyForesight(config, { clusters: 3, sourceQuota: 50, destinationQuota: 60 });

    // Assess
    expect(found).toEqual([
      regionForesight({
        region: 'us-east-1',
        side: 'source',
        policy: {
          retentionDays: 2,
          keepLast: 10,
          keepDaily: 4,
          keepWeekly: 3,
          keepMonthly: 2,
          keepYearly: 1,
          timeZone: 'Asia/Tokyo',
        },
        cadence,
        clusters: 3,
        quota: 50,
      }),
      regionForesight({
        region: 'us-west-2',
        side: 'destination',
        policy: {
          retentionDays: 3,
          keepLast: 12,
          keepDaily: 5,
          keepWeekly: 4,
          keepMonthly: 3,
          keepYearly: 2,
          timeZone: 'Europe/Berlin',
        },
        cadence,
        clusters: 3,
        quota: 60,
      }),
    ]);
  });

  it('foresees the destination alone when the source never deletes, and nothing without a source', () => {
    // Prepare
    const config = parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: 'orders', DeleteOldSnapshots: false },
      Destination: { Region: 'us-west-2', SnapshotPattern: 'orders' },
    });
    // Act / Assess
    expect(policyForesight(config).map((f) => [f.side, f.region, f.quota, f.clusters])).toEqual([
      ['destination', 'us-west-2', 100, undefined],
    ]);
    expect(policyForesight({ ...config, Source: undefined })).toEqual([]);
  });
});
