// The AllowedPattern of a whole-number parameter: exactly the numbers of its range (leading zeros allowed), and short.
import { describe, expect, it } from 'vitest';
import { integerRangePattern } from '../../src/infra/templates/integer-pattern.js';

const RANGES: [number, number][] = [
  [1, 1],
  [7, 7],
  [5, 9],
  [19, 21],
  [10, 1440],
  [1, 8760],
  [5, 10080],
  [1, 36500],
  [99, 1001],
];

describe('integerRangePattern', () => {
  it.each(RANGES)('from %i to %i accepts exactly the numbers of the range', (min, max) => {
    // Prepare
    const pattern = new RegExp(integerRangePattern(min, max));
    const candidates = Array.from({ length: max + 200 }, (_, n) => n);
    // Act
    const accepted = candidates.filter((n) => pattern.test(String(n)));
    // Assess
    expect(accepted).toEqual(candidates.filter((n) => n >= min && n <= max));
    expect(pattern.test(`00${min}`)).toBe(true);
    for (const bad of ['', '-1', `${min}.5`, '1e3', ` ${min}`]) expect(pattern.test(bad), bad).toBe(false);
  });

  it('writes a run of whole digits as one class, so a template stays small', () => {
    // Act
    const pattern = integerRangePattern(5, 10080);
    // Assess
    expect(pattern).toBe('^0*([5-9]|[1-9][0-9]|[1-9][0-9]{2}|[1-9][0-9]{3}|100[0-7][0-9]|10080)$');
  });

  it('refuses a range it cannot write, naming the bounds', () => {
    // Assess
    expect(() => integerRangePattern(0, 5)).toThrow('(got 0, 5)');
    expect(() => integerRangePattern(9, 8)).toThrow('(got 9, 8)');
  });
});
