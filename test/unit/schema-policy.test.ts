// The policy parameters in the one schema: ScheduleTimezone, ClusterTags and ExcludeClusterPattern, refused naming each.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/model/errors.js';

function issuesOf(source: Record<string, unknown>, destination?: Record<string, unknown>) {
  try {
    parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: 'orders', ...source },
      ...(destination
        ? { Destination: { Region: 'us-west-2', SnapshotPattern: 'orders', ...destination } }
        : {}),
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  return [];
}

describe('policy parameters', () => {
  it('defaults every Keep rule to 0 (off) and accepts a destination that keeps as much or more', () => {
    // Act
    const config = parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: 'orders', KeepDaily: 7, KeepMonthly: '12' },
      Destination: {
        Region: 'us-west-2',
        SnapshotPattern: 'orders',
        KeepDaily: 7,
        KeepMonthly: 24,
        KeepYearly: 5,
      },
    });
    // Assess
    expect(config.Source).toMatchObject({
      KeepLast: 0,
      KeepDaily: 7,
      KeepWeekly: 0,
      KeepMonthly: 12,
      KeepYearly: 0,
    });
    expect(config.Destination).toMatchObject({ KeepDaily: 7, KeepMonthly: 24, KeepYearly: 5 });
  });

  it('defaults ScheduleTimezone to UTC on both sides and leaves the selection rules unset', () => {
    // Act
    const config = parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: 'orders' },
      Destination: { Region: 'us-west-2', SnapshotPattern: 'orders' },
    });
    // Assess
    expect(config.Source?.ScheduleTimezone).toBe('UTC');
    expect(config.Destination?.ScheduleTimezone).toBe('UTC');
    expect(config.Source).not.toHaveProperty('ClusterTags');
    expect(config.Source).not.toHaveProperty('ExcludeClusterPattern');
  });

  it.each([
    ['Source', { ScheduleTimezone: 'Europe/Atlantis' }, undefined, 'Source.ScheduleTimezone'],
    ['Source', { ScheduleTimezone: '+01:00' }, undefined, 'Source.ScheduleTimezone'],
    ['Destination', {}, { ScheduleTimezone: 'CEST' }, 'Destination.ScheduleTimezone'],
    ['Source', { ClusterTags: { 'aws:team': 'db' } }, undefined, 'Source.ClusterTags.aws:team'],
    ['Source', { ClusterTags: { team: 'd"b' } }, undefined, 'Source.ClusterTags.team'],
    ['Source', { ClusterTags: { team: 'x'.repeat(257) } }, undefined, 'Source.ClusterTags.team'],
    [
      'Source',
      { ClusterTags: { ['k'.repeat(129)]: 'v' } },
      undefined,
      `Source.ClusterTags.${'k'.repeat(129)}`,
    ],
    ['Source', { ClusterTags: 'team' }, undefined, 'Source.ClusterTags'],
    ['Source', { ExcludeClusterPattern: 'ALL_CLUSTERS' }, undefined, 'Source.ExcludeClusterPattern'],
    ['Source', { ExcludeClusterPattern: '(' }, undefined, 'Source.ExcludeClusterPattern'],
    ['Source', { KeepDaily: -1 }, undefined, 'Source.KeepDaily'],
    ['Source', { KeepWeekly: 2.5 }, undefined, 'Source.KeepWeekly'],
    ['Source', { KeepLast: 'three' }, undefined, 'Source.KeepLast'],
    ['Destination', {}, { KeepYearly: 100_001 }, 'Destination.KeepYearly'],
    [
      'Source',
      { KeepMonthly: 12, ShareSnapshots: 'TRUE', DestinationRegion: 'us-west-2' },
      { KeepMonthly: 6 },
      'Destination.KeepMonthly',
    ],
    [
      'Source',
      { KeepLast: 3, ShareSnapshots: 'TRUE', DestinationRegion: 'us-west-2' },
      {},
      'Destination.KeepLast',
    ],
  ])('%s: refuses %j, naming the parameter', (_side, source, destination, parameter) => {
    // Act
    const issues = issuesOf(source, destination);
    // Assess
    expect(issues.map((i) => i.parameter)).toContain(parameter);
    expect(issues.find((i) => i.parameter === parameter)?.message.length).toBeGreaterThan(10);
  });

  it('reads ClusterTags from a mapping or from key=value text, with * for any value', () => {
    // Act
    const fromText = parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: 'ALL_CLUSTERS', ClusterTags: 'team=db, backup=*' },
    });
    const fromMapping = parseConfig({
      Source: { Region: 'us-east-1', ClusterNamePattern: 'ALL_CLUSTERS', ClusterTags: { team: 'db' } },
    });
    // Assess
    expect(fromText.Source?.ClusterTags).toEqual({ team: 'db', backup: '*' });
    expect(fromMapping.Source?.ClusterTags).toEqual({ team: 'db' });
  });
});
