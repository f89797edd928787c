/**
 * Local time in an IANA time zone (ScheduleTimezone), with the platform's Intl data and no library: the
 * wall clock of an instant, and the day, ISO week, month and year it falls in. Each UTC day of a zone is
 * read once (its offset, and the second of its change if it has one), since retention reads the local day
 * of up to 100,000 snapshots per pass.
 */

export const UTC_ZONE = 'UTC';

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DAY_S = DAY_MS / SECOND_MS;

/**
 * An offset (`+01:00`, `+0100`, `-05`), the only text other than a zone name that Intl takes as a time zone
 * (Node 22 does, Node 20 does not): it starts with its sign, a zone name with a letter.
 */
const OFFSET = /^[+-]/;

/**
 * True when `zone` is an IANA time zone name this runtime knows (`UTC`, `Europe/Berlin`...). An offset is
 * refused whatever the runtime: EventBridge Scheduler takes IANA names only.
 */
export function isTimeZone(zone: string): boolean {
  if (OFFSET.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A UTC day of a zone: its offset (local minus UTC, ms) from its start, and from its change on. */
interface ZoneDay {
  readonly before: number;
  /** The instant from which `after` applies: the change, or the next day's start when there is none. */
  readonly change: number;
  readonly after: number;
}

interface ZoneCache {
  readonly format: Intl.DateTimeFormat;
  /** The days read, by day number (days since 1970-01-01 UTC). */
  readonly days: Map<number, ZoneDay>;
}

const caches = new Map<string, ZoneCache>();

function cacheOf(zone: string): ZoneCache {
  return caches.get(zone) ?? newCache(zone);
}

function newCache(zone: string): ZoneCache {
  const cache: ZoneCache = {
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
    days: new Map(),
  };
  caches.set(zone, cache);
  return cache;
}

/**
 * Local minus UTC at a whole second. Intl shows no fraction of a second, so an offset read at any other
 * instant would lose its milliseconds; it shows the seconds, which some offsets have (Monrovia's -0:44:30
 * until 1972).
 */
function offsetAtSecond(format: Intl.DateTimeFormat, second: number): number {
  const at = second * SECOND_MS;
  const fields = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]));
  // The format asks for these six fields, so Intl gives each.
  const {
    year,
    month,
    day,
    hour,
    minute,
    second: s,
  } = fields as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  return Date.UTC(year, month - 1, day, hour, minute, s) - at;
}

/**
 * A UTC day of a zone: the offsets at its start and at the next day's start and, when they differ, the
 * second of the change between them by bisection (a zone changes at most once a day: changes are months
 * apart). Exact to the second wherever the change falls (Monrovia changed at 00:44:30 UTC).
 */
function readDay(cache: ZoneCache, day: number): ZoneDay {
  // lo: a second with the day's first offset; hi: a second with its last
  let lo = day * DAY_S;
  let hi = lo + DAY_S;
  const before = offsetAtSecond(cache.format, lo);
  const after = offsetAtSecond(cache.format, hi);
  while (hi - lo > 1 && before !== after) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAtSecond(cache.format, mid) === before) lo = mid;
    else hi = mid;
  }
  const read: ZoneDay = { before, change: hi * SECOND_MS, after };
  cache.days.set(day, read);
  return read;
}

/** Local minus UTC at `time`, in ms. */
export function offsetAt(time: number, zone: string): number {
  const cache = cacheOf(zone);
  const day = Math.floor(time / DAY_MS);
  const { before, change, after } = cache.days.get(day) ?? readDay(cache, day);
  return time < change ? before : after;
}

/**
 * The local wall clock of `time` in `zone`, as milliseconds of a UTC date with the same fields: two wall
 * clocks subtract to the hours a clock on the wall shows between them (24 across a daylight-saving change).
 */
export function wallClock(time: number, zone: string): number {
  return time + offsetAt(time, zone);
}

/**
 * Offsets in use run from UTC-12 to UTC+14, so the instants a wall clock names lie from 14 hours before it
 * to 12 hours after it (the wall clock read as UTC); at most one change falls among them.
 */
const MOST_AHEAD_MS = 14 * HOUR_MS;
const MOST_BEHIND_MS = 12 * HOUR_MS;

/**
 * The instant at which a local wall clock `wall` (milliseconds of a UTC date with the local fields) occurs
 * in `zone`, as EventBridge Scheduler fires it: undefined when the spring-forward change skips it, the
 * first occurrence when the fall-back change repeats it (a repeated time runs once). The offsets at both
 * ends of the instants it may name are those on both sides of a change among them: each gives an instant,
 * kept when it shows the wall clock.
 */
export function instantOfWallClock(wall: number, zone: string): number | undefined {
  const candidates = new Set<number>();
  for (const probe of [wall - MOST_AHEAD_MS, wall + MOST_BEHIND_MS]) {
    const instant = wall - offsetAt(probe, zone);
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
