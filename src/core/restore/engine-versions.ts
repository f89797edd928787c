/** Engine versions a recovery region offers: the nearest one to a version it no longer offers, and a version's parameter group family. */
import type { OfferedVersion } from './recovery-port.js';

/** The numbers of a version (`15.4` -> [15, 4]; `8.0.mysql_aurora.3.05.2` -> [8, 0, 3, 5, 2]). */
function numbers(version: string): number[] {
  return (version.match(/\d+/g) ?? []).map(Number);
}

/** Orders versions numerically, part by part (`13.10` after `13.9`). */
export function compareVersions(a: string, b: string): number {
  const x = numbers(a);
  const y = numbers(b);
  // A missing part counts as -1: a version comes before those that extend it (`15` before `15.0`).
  const differences = Array.from(
    { length: Math.max(x.length, y.length) },
    (_, i) => (x[i] ?? -1) - (y[i] ?? -1),
  );
  return differences.find((d) => d !== 0) ?? a.localeCompare(b);
}

/**
 * The offered version to suggest instead of `wanted`: the lowest offered version above it (RDS restores a
 * snapshot only into its own version or a later one), else the highest offered below it.
 */
export function nearestVersion(wanted: string, offered: readonly OfferedVersion[]): string | undefined {
  const sorted = [...new Set(offered.map((o) => o.version))].sort(compareVersions);
  return sorted.find((v) => compareVersions(v, wanted) > 0) ?? sorted.at(-1);
}

/**
 * The parameter group family of an engine version: what the region says, else the family Aurora names
 * (`aurora-postgresql` + major version; Aurora MySQL 3 `aurora-mysql8.0`, 2 `aurora-mysql5.7`).
 */
export function familyOf(
  engine: string,
  version: string | undefined,
  offered: readonly OfferedVersion[] = [],
): string | undefined {
  const known = offered.find((o) => o.version === version)?.family;
  if (known !== undefined) return known;
  if (version === undefined) return undefined;
  const [major, minor] = numbers(version);
  if (major === undefined) return undefined;
  if (engine === 'aurora-postgresql') return `aurora-postgresql${major}`;
  if (engine === 'aurora-mysql' && minor !== undefined) return `aurora-mysql${major}.${minor}`;
  return undefined;
}
