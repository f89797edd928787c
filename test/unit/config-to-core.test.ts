// The parsed configuration mapped into the core's policy types: each field the core reads, unchanged.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { backupPolicyOf, destinationPolicyOf, policiesOf } from '../../src/config/to-core.js';

const KEY_W2 = 'arn:aws:kms:us-west-2:111122223333:key/0b3a2c5e-1111-2222-3333-444455556666';

const config = parseConfig({
  Source: {
    Region: 'us-east-1',
    ClusterNamePattern: 'prod-',
    ExcludeClusterPattern: 'scratch',
    ClusterTags: { team: 'db' },
    BackupInterval: 6,
    RetentionDays: 9,
    KeepWeekly: 4,
    ShareSnapshots: 'TRUE',
    Destinations: [
      { Region: 'us-west-2', KmsKeyDestination: KEY_W2 },
      { Region: 'us-east-1', Account: '222233334444' },
    ],
    ReleaseStuckDestinationsAfterHours: 48,
    Tags: { env: 'prod' },
  },
  Destination: {
    Region: 'us-west-2',
    SnapshotPattern: 'prod-',
    RetentionDays: 30,
    KeepWeekly: 4,
    KeepMonthly: 12,
    SourceAccount: '111122223333',
  },
});

describe('the configuration mapped into the core', () => {
  it('gives the core every field of the Source block it reads, with the value parsed', () => {
    // Act
    const policy = backupPolicyOf(config.Source!);
    // Assess
    for (const [field, value] of Object.entries(policy)) {
      expect([field, value]).toEqual([field, config.Source?.[field as keyof typeof config.Source]]);
    }
    expect(policy.KeepWeekly).toBe(4);
    expect(policy.Destinations).toEqual([
      { Region: 'us-west-2', Account: undefined, KmsKeyDestination: KEY_W2 },
      { Region: 'us-east-1', Account: '222233334444', KmsKeyDestination: undefined },
    ]);
  });

  it('gives the core every field of the Destination block it reads, with the value parsed', () => {
    // Act
    const policy = destinationPolicyOf(config.Destination!);
    // Assess
    for (const [field, value] of Object.entries(policy)) {
      expect([field, value]).toEqual([field, config.Destination?.[field as keyof typeof config.Destination]]);
    }
    expect(policy.KeepMonthly).toBe(12);
  });

  it('maps a configuration without a Destination block to a source policy alone', () => {
    // Act
    const policies = policiesOf(
      parseConfig({ Source: { Region: 'us-east-1', ClusterNamePattern: 'prod-' } }),
    );
    // Assess
    expect(policies.Destination).toBeUndefined();
    expect(policies.Source?.Region).toBe('us-east-1');
  });
});
