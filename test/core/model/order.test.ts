// The tie-break of every order of snapshots and clusters: identifiers in code-unit order.
import { describe, expect, it } from 'vitest';
import { compareIds } from '../../../src/core/model/order.js';

describe('compareIds', () => {
  it('puts the smaller identifier first, whichever side it is on', () => {
    // Act / Assess
    expect(compareIds('orders-a', 'orders-b')).toBe(-1);
    expect(compareIds('orders-b', 'orders-a')).toBe(1);
  });

  it('gives 0 for the same identifier', () => {
    // Act / Assess
    expect(compareIds('orders-a', 'orders-a')).toBe(0);
  });

  it('orders by code unit as RDS lists identifiers: digits before letters, a prefix before its extensions', () => {
    // Prepare
    const ids = ['orders-b', 'orders', 'orders-10', 'orders-9', 'orders-a'];
    // Act
    const sorted = [...ids].sort(compareIds);
    // Assess
    expect(sorted).toEqual(['orders', 'orders-10', 'orders-9', 'orders-a', 'orders-b']);
  });
});
