// The RDS limit of 5 copies in flight per region: slots handed out during planning, and given back.
import { describe, expect, it } from 'vitest';
import { CopySlots, copiesInFlight, MAX_COPIES_IN_FLIGHT } from '../../../src/core/copies/copy-limit.js';
import { snapshot } from '../../support/snapshot-builder.js';

describe('copiesInFlight', () => {
  it('counts every copying snapshot of the account, ours or not, and nothing else', () => {
    // Prepare
    const listed = [
      snapshot('a', { status: 'copying' }),
      snapshot('b', { status: 'available' }),
      snapshot('c', { status: 'creating' }),
      snapshot('someone-elses', { status: 'copying' }),
    ];

    // Act / Assess
    expect(copiesInFlight(listed)).toBe(2);
    expect(copiesInFlight([])).toBe(0);
  });
});

describe('CopySlots', () => {
  it('hands out the free slots up to 5, counting the copies already in flight, then counts the waiting', () => {
    // Prepare
    const slots = new CopySlots(3);

    // Act
    const taken = [slots.take(), slots.take(), slots.take(), slots.take()];

    // Assess
    expect(MAX_COPIES_IN_FLIGHT).toBe(5);
    expect(taken).toEqual([true, true, false, false]);
    expect(slots.waitingCount).toBe(2);
  });

  // Mutation gap 2: release() emptied, or its `used--` made `++`, failed no test. A copy whose name is taken
  // must give its slot back, or five such copies would stall every DR copy.
  it('gives a released slot back to the next copy, as often as slots are released', () => {
    // Prepare: all five slots in use
    const slots = new CopySlots(0);
    for (let i = 0; i < MAX_COPIES_IN_FLIGHT; i++) expect(slots.take()).toBe(true);

    // Act
    slots.release();
    const afterOne = slots.take();
    const full = slots.take();
    slots.release();
    slots.release();
    const afterTwo = [slots.take(), slots.take(), slots.take()];

    // Assess
    expect(afterOne).toBe(true);
    expect(full).toBe(false);
    expect(afterTwo).toEqual([true, true, false]);
    expect(slots.waitingCount).toBe(2);
  });

  it('honours a smaller limit', () => {
    // Prepare
    const slots = new CopySlots(0, 1);

    // Act / Assess
    expect(slots.take()).toBe(true);
    expect(slots.take()).toBe(false);
    slots.release();
    expect(slots.take()).toBe(true);
  });
});
