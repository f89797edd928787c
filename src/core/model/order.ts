/**
 * Two identifiers in code-unit order (the order `<` gives strings): -1 when `a` comes first, 1 when `b` does,
 * 0 for the same identifier. The tie-break of every order of snapshots and clusters.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
