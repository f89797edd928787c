import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mutationRank } from '../mutation/sequencer.js';

// The mutation run stops a mutant's run at its first failing test: the quick example tests go first.
describe('mutationRank', () => {
  it('puts the core’s tests first, then the other unit tests, the property tests, and the demos last', () => {
    // Prepare
    const files = [
      'test/demo/ledger.test.ts',
      'test/unit/property-source.test.ts',
      'test/unit/handler-source.test.ts',
      'test/core/model/order.test.ts',
    ].map((file) => resolve(file));

    // Act
    const sorted = [...files].sort((a, b) => mutationRank(a) - mutationRank(b));

    // Assess
    expect(sorted.map(mutationRank)).toEqual([0, 1, 2, 3]);
    expect(sorted[0]).toBe(resolve('test/core/model/order.test.ts'));
    expect(sorted[3]).toBe(resolve('test/demo/ledger.test.ts'));
  });
});
