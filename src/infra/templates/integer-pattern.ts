/**
 * A regular expression (for a CloudFormation AllowedPattern) accepting exactly the whole numbers from
 * `min` to `max`, with leading zeros as the schema accepts them, so a template parameter's constraint is
 * derived from the configuration schema's range instead of being written twice.
 */
export function integerRangePattern(min: number, max: number): string {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
    throw new RangeError(`integerRangePattern needs whole numbers 1 <= min <= max (got ${min}, ${max})`);
  }
  const alternatives: string[] = [];
  for (let digits = String(min).length; digits <= String(max).length; digits++) {
    const lo = Math.max(min, 10 ** (digits - 1));
    const hi = Math.min(max, 10 ** digits - 1);
    if (lo <= hi) alternatives.push(...sameLength(String(lo), String(hi)));
  }
  return `^0*(${alternatives.join('|')})$`;
}

/**
 * Alternatives matching the numbers from `lo` to `hi`, both of the same number of digits. A leading digit
 * whose tail spans all of 0...0 to 9...9 joins the middle class, so 5-9 is `[5-9]` and 100-999 is
 * `[1-9][0-9]{2}`, not one alternative per digit (CloudFormation counts the pattern's bytes too).
 */
function sameLength(lo: string, hi: string): string[] {
  if (lo.length === 0) return [''];
  const [l, h] = [Number(lo[0]), Number(hi[0])];
  const restLo = lo.slice(1);
  const restHi = hi.slice(1);
  if (l === h) return sameLength(restLo, restHi).map((tail) => `${l}${tail}`);
  const n = restLo.length;
  const any = n === 0 ? '' : n === 1 ? '[0-9]' : `[0-9]{${n}}`;
  const fromLow = /^0*$/.test(restLo);
  const toHigh = /^9*$/.test(restHi);
  const first = fromLow ? l : l + 1;
  const last = toHigh ? h : h - 1;
  const parts = fromLow ? [] : sameLength(restLo, '9'.repeat(n)).map((tail) => `${l}${tail}`);
  if (first <= last) parts.push(`${first === last ? first : `[${first}-${last}]`}${any}`);
  if (!toHigh) parts.push(...sameLength('0'.repeat(n), restHi).map((tail) => `${h}${tail}`));
  return parts;
}
