/**
 * Local time in an IANA time zone (ScheduleTimezone), with the platform's Intl data and no library: the
 * wall clock of an instant, and the day, ISO week, month and year it falls in. Offsets are cached per
 * UTC day and quarter hour, since retention reads the local day of up to 100,000 snapshots per pass.
 */

export const UTC_ZONE = 'UTC';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Stryker disable next-line ArithmeticOperator: equivalent, a shorter quarter reads the same offsets at finer instants (more lookups)
const QUARTER_MS = 15 * 60_000;
const QUARTERS_PER_DAY = DAY_MS / QUARTER_MS;

/** Letters, digits and `_+-` in `/`-separated parts: an IANA name, never an offset such as `+01:00`. */
// Stryker disable next-line Regex: equivalent, Intl (Node 20 and 22) refuses whatever an unanchored pattern lets through: text around a name, or an offset
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** True when `zone` is an IANA time zone name this runtime knows (`UTC`, `Europe/Berlin`...). */
export function isTimeZone(zone: string): boolean {
  // Stryker disable next-line ConditionalExpression: equivalent on Node 20, whose Intl refuses offsets; the test keeps them out on runtimes that accept them
  if (!ZONE_NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface ZoneCache {
  readonly format: Intl.DateTimeFormat;
  /** Offset (local minus UTC, ms) at a UTC quarter hour, by quarter number. */
  readonly quarters: Map<number, number>;
  /** The offset of a UTC day with no change in it, or null when it has one, by day number. */
  readonly days: Map<number, number | null>;
}

const caches = new Map<string, ZoneCache>();

function cacheOf(zone: string): ZoneCache {
  let cache = caches.get(zone);
  // Stryker disable next-line ConditionalExpression: equivalent, a new cache per call computes the same offsets (the cache only saves time)
  if (cache === undefined) {
    cache = {
      format: new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
      quarters: new Map(),
      days: new Map(),
    };
    caches.set(zone, cache);
  }
  return cache;
}

function offsetAtQuarter(cache: ZoneCache, quarter: number): number {
  const known = cache.quarters.get(quarter);
  // Stryker disable next-line ConditionalExpression: equivalent, recomputing a known offset gives the same offset
  if (known !== undefined) return known;
  const at = quarter * QUARTER_MS;
  const parts: Record<string, number> = {};
  for (const part of cache.format.formatToParts(new Date(at))) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, a literal part lands under a key never read
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    // Stryker disable next-line LogicalOperator: equivalent, offsets are read at quarter hours, where the second is 0
    parts.second ?? 0,
  );
  const offset = wall - at;
  cache.quarters.set(quarter, offset);
  return offset;
}

/**
 * Local minus UTC at `time`. Offsets change on UTC quarter hours in every zone in use (Newfoundland and
 * Lord Howe on the half hour), so a quarter's offset is exact; a day whose first and last quarters agree
 * has no change in it (changes are months apart) and needs no other lookup.
 */
export function offsetAt(time: number, zone: string): number {
  // Stryker disable next-line ConditionalExpression: equivalent, UTC's offset computed is 0 too (the test saves time)
  if (zone === UTC_ZONE) return 0;
  const cache = cacheOf(zone);
  const day = Math.floor(time / DAY_MS);
  let steady = cache.days.get(day);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: equivalent, without the day's cached offset the exact quarter's offset is read
  if (steady === undefined) {
    // Stryker disable next-line ArithmeticOperator: equivalent, a quarter off the day's grid gives an offset with a fraction of a second that never equals the other end's, so the day is read quarter by quarter
    const first = offsetAtQuarter(cache, day * QUARTERS_PER_DAY);
    // Stryker disable next-line ArithmeticOperator: equivalent, as above; and the next day's second quarter, with a change in this day, never equals its first
    const last = offsetAtQuarter(cache, (day + 1) * QUARTERS_PER_DAY - 1);
    // Stryker disable next-line ConditionalExpression: equivalent, a null day reads the exact quarter's offset
    steady = first === last ? first : null;
    cache.days.set(day, steady);
  }
  return steady ?? offsetAtQuarter(cache, Math.floor(time / QUARTER_MS));
}

/**
 * The local wall clock of `time` in `zone`, as milliseconds of a UTC date with the same fields: two wall
 * clocks subtract to the hours a clock on the wall shows between them (24 across a daylight-saving change).
 */
export function wallClock(time: number, zone: string): number {
  return time + offsetAt(time, zone);
}

/** No zone is more than 14 hours from UTC, nor changes by more than a day. */
const SEARCH_MS = 26 * HOUR_MS;

/**
 * The instant at which a local wall clock `wall` (milliseconds of a UTC date with the local fields) occurs
 * in `zone`, as EventBridge Scheduler fires it: undefined when the spring-forward change skips it, the
 * first occurrence when the fall-back change repeats it (a repeated time runs once).
 */
export function instantOfWallClock(wall: number, zone: string): number | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent, in UTC the search finds the wall clock itself (the test saves time)
  if (zone === UTC_ZONE) return wall;
  const candidates = new Set<number>();
  // Stryker disable next-line ArithmeticOperator: equivalent, probes a day further out still see the offsets on both sides of a change (changes are months apart)
  for (const probe of [wall - SEARCH_MS / 2, wall, wall + SEARCH_MS / 2]) {
    const offset = wallClock(probe, zone) - probe;
    const instant = wall - offset;
    if (wallClock(instant, zone) === wall) candidates.add(instant);
  }
  return candidates.size === 0 ? undefined : Math.min(...candidates);
}

/** `YYYY-MM-DD` of the local day. */
export function localDay(time: number, zone: string): string {
  return new Date(wallClock(time, zone)).toISOString().slice(0, 10);
}

/** `YYYY-MM` of the local calendar month. */
export function localMonth(time: number, zone: string): string {
  return new Date(wallClock(time, zone)).toISOString().slice(0, 7);
}

/** `YYYY` of the local calendar year. */
export function localYear(time: number, zone: string): string {
  return new Date(wallClock(time, zone)).toISOString().slice(0, 4);
}

/** `YYYY-Www` of the local ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday). */
export function localIsoWeek(time: number, zone: string): string {
  const wall = wallClock(time, zone);
  const dayNumber = Math.floor(wall / DAY_MS);
  // 1970-01-01 was a Thursday: weekday 0 = Monday.
  const weekday = (((dayNumber + 3) % 7) + 7) % 7;
  const thursday = dayNumber - weekday + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const firstDay = Math.floor(Date.UTC(year, 0, 1) / DAY_MS);
  const week = Math.floor((thursday - firstDay) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
