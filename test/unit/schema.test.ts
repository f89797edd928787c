import { describe, expect, it } from 'vitest';
import { parseConfig, recoveryPointObjectiveHours } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { configIssues } from '../support/config-issues.js';

const source = {
  Region: 'us-east-1',
  ClusterNamePattern: 'prod-db',
  BackupInterval: 8,
  BackupSchedule: '0 0,8,16 * * ? *',
  RetentionDays: 7,
  DeleteOldSnapshots: 'TRUE',
  ShareSnapshots: 'TRUE',
  DestinationRegion: 'us-west-2',
  KmsKeyDestination: 'arn:aws:kms:us-west-2:111122223333:key/0b3a2c5e-1111-2222-3333-444455556666',
};

const issuesOf = (input: unknown): string[] => configIssues(input).map((i) => i.parameter);

describe('parseConfig', () => {
  it('accepts the seed parameters with TRUE/FALSE booleans and fills defaults', () => {
    // Act
    const config = parseConfig({
      Source: source,
      Destination: { Region: 'us-west-2', SnapshotPattern: 'prod-db', RetentionDays: 14 },
    });
    // Assess
    expect(config.Source?.DeleteOldSnapshots).toBe(true);
    expect(config.Source?.LogLevel).toBe('ERROR');
    expect(config.Destination?.SourceRegion).toBe('us-east-1');
  });

  it('names the parameter of each cross-field rule', () => {
    expect(
      issuesOf({ Source: { ...source, DestinationRegion: 'us-east-1', KmsKeyDestination: undefined } }),
    ).toEqual(['Source.DestinationRegion']);
    expect(
      issuesOf({
        Source: source,
        Destination: { Region: 'us-west-2', SnapshotPattern: 'x', RetentionDays: 3 },
      }),
    ).toEqual(['Destination.RetentionDays']);
    expect(
      issuesOf({ Source: { ...source, KmsKeyDestination: 'arn:aws:kms:eu-west-1:111122223333:key/abc' } }),
    ).toEqual(['Source.KmsKeyDestination']);
  });

  it.each([
    ['China', 'cn-north-1', 'aws-cn'],
    ['GovCloud', 'us-gov-west-1', 'aws-us-gov'],
  ])(
    'refuses a DestinationRegion in %s for a commercial source, naming it and both partitions',
    (_l, region, partition) => {
      // Act
      const error = (() => {
        try {
          parseConfig({ Source: { ...source, DestinationRegion: region, KmsKeyDestination: undefined } });
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error('expected a ConfigError');
      })();
      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]).toMatchObject({ parameter: 'Source.DestinationRegion', value: region });
      expect(error.issues[0]?.message).toContain(`partition ${partition}`);
      expect(error.issues[0]?.message).toContain('partition aws)');
    },
  );

  it('accepts a destination in the same non-commercial partition, and refuses a SourceRegion in another', () => {
    // Act / Assess
    expect(
      parseConfig({
        Source: { Region: 'us-gov-east-1', ClusterNamePattern: 'x', DestinationRegion: 'us-gov-west-1' },
      }).Source?.DestinationRegion,
    ).toBe('us-gov-west-1');
    expect(
      issuesOf({ Destination: { Region: 'us-gov-west-1', SnapshotPattern: 'x', SourceRegion: 'us-east-1' } }),
    ).toEqual(['Destination.SourceRegion']);
  });

  it('defaults RecoveryPointObjectiveHours to BackupInterval x 2 on both sides and refuses one below the interval', () => {
    // Act
    const config = parseConfig({
      Source: source,
      Destination: { Region: 'us-west-2', SnapshotPattern: 'x' },
    });
    const alone = parseConfig({ Destination: { Region: 'us-west-2', SnapshotPattern: 'x' } });

    // Assess
    expect(recoveryPointObjectiveHours(config.Source ?? {})).toBe(16);
    expect(config.Destination?.RecoveryPointObjectiveHours).toBe(16);
    expect(recoveryPointObjectiveHours(alone.Destination ?? {})).toBe(48);
    expect(parseConfig({ Source: { ...source, RecoveryPointObjectiveHours: '8' } }).Source).toMatchObject({
      RecoveryPointObjectiveHours: 8,
    });
    expect(issuesOf({ Source: { ...source, RecoveryPointObjectiveHours: 7 } })).toEqual([
      'Source.RecoveryPointObjectiveHours',
    ]);
    expect(
      issuesOf({
        Source: source,
        Destination: { Region: 'us-west-2', SnapshotPattern: 'x', RecoveryPointObjectiveHours: 4 },
      }),
    ).toEqual(['Destination.RecoveryPointObjectiveHours']);
    expect(() => parseConfig({ Source: { ...source, RecoveryPointObjectiveHours: 7 } })).toThrow(
      /RecoveryPointObjectiveHours: must not be below BackupInterval \(8 hours\).*\(got 7\)/,
    );
  });

  it('fills the RestoreDrill defaults, takes its Region from the destination, and names each bad setting', () => {
    // Act
    const config = parseConfig({
      Source: source,
      RestoreDrill: {
        SnapshotPattern: '^prod-db$',
        VpcSecurityGroupIds: 'sg-0123456789abcdef0, sg-89abcdef',
      },
    });

    // Assess
    expect(config.RestoreDrill).toEqual({
      Region: 'us-west-2',
      SnapshotPattern: '^prod-db$',
      Schedule: '0 3 ? * SUN *',
      ScheduleTimezone: 'UTC',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0', 'sg-89abcdef'],
      InstanceClass: 'db.serverless',
      MaxRestoreMinutes: 120,
      LogLevel: 'ERROR',
    });
    expect(
      issuesOf({
        RestoreDrill: {
          Region: 'us-west-2',
          SnapshotPattern: 'x',
          ScheduleTimezone: 'Mars/Olympus',
          InstanceClass: 'big',
          MaxRestoreMinutes: 5,
          VpcSecurityGroupIds: ['default'],
          CheckSql: 'SELECT 1',
        },
      }).sort(),
    ).toEqual([
      'RestoreDrill.CheckSql',
      'RestoreDrill.InstanceClass',
      'RestoreDrill.MaxRestoreMinutes',
      'RestoreDrill.ScheduleTimezone',
      'RestoreDrill.VpcSecurityGroupIds',
    ]);
    expect(issuesOf({ RestoreDrill: { SnapshotPattern: 'x' } })).toEqual(['RestoreDrill.Region']);
  });
});
