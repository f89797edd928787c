// The problems of one fleet cluster, each with its code and the message the fleet report shows.
import { describe, expect, it } from 'vitest';
import { destinationLagging } from '../../../src/core/fleet/index.js';
import type { ClusterStatus } from '../../../src/core/plan/observation.js';

describe('destinationLagging', () => {
  it('says a lagging destination lacks a backup when it does not name the one missing', () => {
    // Prepare
    const status: ClusterStatus = {
      clusterId: 'orders',
      region: 'us-east-1',
      latestSnapshot: undefined,
      latestCopy: undefined,
      recoveryPoint: undefined,
      snapshotCount: 0,
      copyCount: 0,
      destinations: [
        {
          id: 'us-west-2',
          kind: 'copy',
          region: 'us-west-2',
          latestCopy: undefined,
          lagHours: 3,
          lagging: true,
        },
      ],
    };
    // Act
    const problems = destinationLagging({
      status,
      vaultCopy: undefined,
      vaultAccount: undefined,
      objectiveHours: 48,
    });
    // Assess
    expect(problems).toEqual([
      { code: 'destination-lagging', message: 'destination us-west-2 lacks a backup for 3h' },
    ]);
  });
});
