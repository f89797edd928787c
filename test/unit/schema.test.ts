import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/errors.js';

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

function issuesOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => i.parameter);
  }
  throw new Error('expected a ConfigError');
}

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
});
