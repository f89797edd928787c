/**
 * Snapshot identifiers: `<cluster>-YYYY-MM-DD-HH-MM` (UTC of the pass) as the original tool named them,
 * always a valid RDS identifier; cluster names too long to fit are shortened with a short hash so two
 * long names that share a prefix still get different snapshot names.
 */

/** RDS: 1-63 letters, digits or hyphens, first a letter, no `--`, no trailing hyphen (stored lowercase). */
export const MAX_IDENTIFIER_LENGTH = 63;
const STAMP_LENGTH = '-YYYY-MM-DD-HH-MM'.length;
const HASH_LENGTH = 6;
const IDENTIFIER = /^[a-z](?:[a-z0-9]|-(?!-))*$/;

export function isValidIdentifier(id: string): boolean {
  return id.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER.test(id) && !id.endsWith('-');
}

/** `YYYY-MM-DD-HH-MM` in UTC: the original tool's CreatedOn tag value and name stamp. */
export function createdOn(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return [
    at.getUTCFullYear(),
    pad(at.getUTCMonth() + 1),
    pad(at.getUTCDate()),
    pad(at.getUTCHours()),
    pad(at.getUTCMinutes()),
  ].join('-');
}

/** FNV-1a (32 bits) in base 36: short, stable across runtimes, enough to tell long names apart. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) % 36 ** HASH_LENGTH).toString(36).padStart(HASH_LENGTH, '0');
}

/** Lowercase letters, digits and single hyphens, starting with a letter, no trailing hyphen. */
function sanitize(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    // runs of hyphens are single by now: at most one trailing hyphen is left
    .replace(/-$/, '');
  return cleaned === '' ? 'cluster' : cleaned;
}

/** `base` cut to `max` characters, with a hash of `original` when it had to change, still valid. */
function fitIdentifier(base: string, original: string, max: number): string {
  const clean = sanitize(base);
  if (clean === original && clean.length <= max) return clean;
  // `clean` has single hyphens: the cut leaves at most one trailing hyphen
  const head = clean.slice(0, max - HASH_LENGTH - 1).replace(/-$/, '');
  return `${head}-${shortHash(original)}`;
}

/** The identifier of the snapshot the tool takes of `clusterId` at `at`. */
export function snapshotName(clusterId: string, at: Date): string {
  return `${fitIdentifier(clusterId, clusterId, MAX_IDENTIFIER_LENGTH - STAMP_LENGTH)}-${createdOn(at)}`;
}

/**
 * `id` followed by `suffix` (e.g. `-shared`), shortened with a hash of `id` when it would not fit in `max`
 * characters (RDS's 63 by default; less when another suffix must still fit after this one).
 */
export function withSuffix(id: string, suffix: string, max = MAX_IDENTIFIER_LENGTH): string {
  const whole = `${id}${suffix}`;
  if (whole.length <= max && isValidIdentifier(whole)) return whole;
  return `${fitIdentifier(id, id, max - suffix.length)}${suffix}`;
}

/** The identifier of the re-encrypted copy made so an aws/rds-key snapshot can be shared. */
export function shareCopyName(snapshotId: string): string {
  return withSuffix(snapshotId, '-shared');
}

/** The identifier part of a cluster snapshot ARN (RDS names shared snapshots by their ARN). */
export function identifierFromArn(idOrArn: string): string {
  const marker = ':cluster-snapshot:';
  const at = idOrArn.indexOf(marker);
  return at === -1 ? idOrArn : idOrArn.slice(at + marker.length);
}

const NAME_STAMP = /-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})(?:-shared)?$/;

/**
 * The time in a name the tool (or the original) gave: `<cluster>-YYYY-MM-DD-HH-MM`, or its `-shared`
 * re-encryption; undefined for any other name or an impossible date.
 */
export function timeFromName(idOrArn: string): Date | undefined {
  const match = NAME_STAMP.exec(identifierFromArn(idOrArn));
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match as unknown as [string, string, string, string, string, string];
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)));
  // An impossible date (30 February, hour 24, a two-digit year taken as 19xx) comes back as another one.
  return at.toISOString().slice(0, 16) === `${y}-${mo}-${d}T${h}:${mi}` ? at : undefined;
}
