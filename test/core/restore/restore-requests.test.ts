// The tags of a restore's requests as the RDS API takes them.
import { describe, expect, it } from 'vitest';
import { apiTags } from '../../../src/core/restore/index.js';

describe('apiTags', () => {
  it('gives every tag with its value, keys in code-unit order whatever their order in the input', () => {
    // Act
    const tags = apiTags({ team: 'db', Name: 'prod-db', 'SnapshotTool:SourceCluster': 'prod-db', empty: '' });

    // Assess
    expect(tags).toEqual([
      { Key: 'Name', Value: 'prod-db' },
      { Key: 'SnapshotTool:SourceCluster', Value: 'prod-db' },
      { Key: 'empty', Value: '' },
      { Key: 'team', Value: 'db' },
    ]);
  });
});
