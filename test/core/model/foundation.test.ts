// The core's small shared pieces: typed errors, tag lists, ports' defaults and region partitions.
import { describe, expect, it } from 'vitest';
import { isAwsRegion, partitionOf } from '../../../src/core/copies/regions.js';
import { ConfigError, formatConfigIssue, isToolError, ToolError } from '../../../src/core/model/errors.js';
import { tagsFromList, tagsToList } from '../../../src/core/model/model.js';
import { silentLogger, systemClock } from '../../../src/core/model/ports.js';

describe('ToolError', () => {
  it('carries a stable name, details and cause', () => {
    // Prepare
    const cause = new Error('underlying');

    // Act
    const error = new ToolError('SnapshotNotFound', 'gone', { cause, details: { snapshotId: 'x' } });
    const bare = new ToolError('AccessDenied', 'no');

    // Assess
    expect(error.name).toBe('SnapshotNotFound');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ snapshotId: 'x' });
    expect(bare.details).toEqual({});
    expect(Object.hasOwn(bare, 'cause')).toBe(false);
    expect(isToolError(error)).toBe(true);
    expect(isToolError(error, 'SnapshotNotFound')).toBe(true);
    expect(isToolError(error, 'AccessDenied')).toBe(false);
    expect(isToolError(new Error('x'))).toBe(false);
  });

  it('ConfigError lists every issue with the parameter and the value', () => {
    // Act
    const error = new ConfigError([
      { parameter: 'Source.Region', value: 'mars-1', message: 'must be an AWS region' },
      { parameter: 'Source.ClusterNamePattern', value: undefined, message: 'is required' },
    ]);

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(
      'Source.Region: must be an AWS region (got "mars-1")\nSource.ClusterNamePattern: is required (got (missing))',
    );
    expect(formatConfigIssue({ parameter: 'a', value: 3, message: 'm' })).toBe('a: m (got 3)');
    expect(formatConfigIssue({ parameter: 'a', message: 'm' })).toBe('a: m');
    expect(error.details).toEqual({ issues: error.issues });
    expect(error.issues).toHaveLength(2);
  });
});

describe('tags', () => {
  it('converts between an RDS TagList and a record, skipping keys that are missing', () => {
    // Act
    const tags = tagsFromList([{ Key: 'a', Value: '1' }, { Key: 'b' }, { Value: 'orphan' }]);

    // Assess
    expect(tags).toEqual({ a: '1', b: '' });
    expect(tagsFromList(undefined)).toEqual({});
    expect(tagsToList(tags)).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '' },
    ]);
  });
});

describe('ports', () => {
  it('the system clock tells the time and the silent logger says nothing', () => {
    // Act
    const before = Date.now();
    const now = systemClock.now().getTime();

    // Assess
    expect(now).toBeGreaterThanOrEqual(before);
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      expect(silentLogger[level]('message')).toBeUndefined();
    }
  });
});

describe('regions', () => {
  it('knows region names and their ARN partitions', () => {
    // Act / Assess
    expect(isAwsRegion('us-east-1')).toBe(true);
    expect(isAwsRegion('mars-1')).toBe(false);
    expect(partitionOf('us-east-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  });
});
