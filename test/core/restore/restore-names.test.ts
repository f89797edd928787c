// The names of the instances a restore creates: the source instance's identifier after the new cluster's name, the part kept up to its limit.
import { describe, expect, it } from 'vitest';
import { shortHash } from '../../../src/core/model/naming.js';
import { restoredInstanceName } from '../../../src/core/restore/index.js';

describe('restoredInstanceName', () => {
  it('keeps a part of exactly 40 characters after the new name, and hashes one of 41', () => {
    // Prepare: the part after the source cluster's name, its hyphen included
    const forty = `prod-db-${'x'.repeat(39)}`;
    const fortyOne = `prod-db-${'x'.repeat(40)}`;

    // Act
    const names = [forty, fortyOne].map((sourceInstanceId) =>
      restoredInstanceName({ sourceClusterId: 'prod-db', sourceInstanceId, clusterId: 'dr' }),
    );

    // Assess
    expect(names).toEqual([`dr-${'x'.repeat(39)}`, `dr-${shortHash(fortyOne)}`]);
  });

  it("puts a hyphen between the new name and what follows the source cluster's name without one", () => {
    // Act
    const name = restoredInstanceName({
      sourceClusterId: 'prod-db',
      sourceInstanceId: 'prod-dbinstance1',
      clusterId: 'dr',
    });

    // Assess
    expect(name).toBe('dr-instance1');
  });
});
