// The planners over an estate far beyond a real account's: a list of kept snapshots or notes too long to
// spread into one call's arguments must not overflow the call stack (it once did above ~120,000 kept).
import { describe, expect, it } from 'vitest';
import { plannerConfig, syntheticObservation } from '../../../bench/planner-worker.js';
import { ALL_SOURCE_PHASES } from '../../../src/core/plan/pass.js';
import { planSource } from '../../../src/core/plan/source-planner.js';

describe('planSource over 250,000 snapshots of 2 clusters', () => {
  it('plans, and says why each of the more than 120,000 kept is kept', () => {
    // Prepare
    const observation = syntheticObservation(250_000, 2);
    // Act
    const plan = planSource(observation, plannerConfig(), ALL_SOURCE_PHASES);
    // Assess
    expect(plan.kept?.length).toBeGreaterThan(120_000);
  });
});
