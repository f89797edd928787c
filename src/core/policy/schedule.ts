/**
 * EventBridge cron expressions (6 fields: minutes hours day-of-month month day-of-week year): validation
 * against the syntax AWS documents for EventBridge Scheduler, with a precise reason, and the run times as
 * Scheduler fires them in a time zone (croner does the calendar work on the local wall clock; the zone
 * module maps it back to instants).
 */
import { Cron } from 'croner';
import { instantOfWallClock, offsetAt, UTC_ZONE, wallClock } from './zone.js';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The field takes `/` (AWS documents no step in day-of-week). */
  readonly step: boolean;
  /** `?` (day-of-month and day-of-week only). */
  readonly any: boolean;
  /** A range may run past the end back to the start (22-2, FRI-MON), as in Quartz; not years. */
  readonly wraps: boolean;
  /** The forms with L, W or #, each the whole field, with the values its numbers may take. */
  readonly special?: RegExp;
}

/**
 * The six fields, in order. Written in a function, not as a module-level table, so that what each field
 * accepts is mutation-tested like any other decision (a table built when the module loads is a static
 * mutant, which stryker.config.mjs leaves out).
 */
function fieldSpecs(): readonly FieldSpec[] {
  return [
    { name: 'minutes', min: 0, max: 59, step: true, any: false, wraps: true },
    { name: 'hours', min: 0, max: 23, step: true, any: false, wraps: true },
    // L: the last day; LW: the last weekday; 15W: the weekday nearest the 15th.
    {
      name: 'day-of-month',
      min: 1,
      max: 31,
      step: true,
      any: true,
      wraps: true,
      special: /^(L|LW|(\d{1,2})W)$/,
    },
    {
      name: 'month',
      min: 1,
      max: 12,
      names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
      step: true,
      any: false,
      wraps: true,
    },
    // L: the last day of the week (7, Saturday); 6L: the last Friday of the month; 3#2: its second Tuesday.
    {
      name: 'day-of-week',
      min: 1,
      max: 7,
      names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
      step: false,
      any: true,
      wraps: true,
      // no capturing group: the day checkSpecial reads is day-of-month's
      special: /^(?:L|[1-7]L|(?:[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)#[1-5])$/,
    },
    { name: 'year', min: 1970, max: 2199, step: true, any: false, wraps: false },
  ];
}

export type CronCheck = { ok: true } | { ok: false; reason: string };

/** The number a value stands for (a name's position from the field's minimum), or undefined. */
function numberOf(token: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= spec.min && n <= spec.max ? n : undefined;
  }
  const index = spec.names?.indexOf(token) ?? -1;
  return index < 0 ? undefined : spec.min + index;
}

function allowed(spec: FieldSpec): string {
  return `(allowed ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names.join(',')}` : ''})`;
}

/**
 * 15W names a day of the month: 1 to 31. The day is day-of-month's second group; L, LW and day-of-week's
 * specials have none, and NaN is neither below 1 nor above 31.
 */
function checkSpecial(field: string, match: RegExpExecArray, spec: FieldSpec): string | undefined {
  const day = Number(match[2]);
  if (day < 1 || day > 31) {
    return `invalid "${field}" in day-of-month ${allowed(spec)}`;
  }
  return undefined;
}

function checkField(field: string, spec: FieldSpec): string | undefined {
  if (field === '?') return spec.any ? undefined : `invalid "?" in ${spec.name} ${allowed(spec)}`;
  const items = field.split(',');
  for (const item of items) {
    const special = spec.special?.exec(item);
    if (special) {
      if (items.length > 1) {
        return item.includes('#')
          ? `invalid "${field}" in ${spec.name}: with # the field holds one expression only (EventBridge refuses a list such as 3#1,6#3)`
          : `invalid "${field}" in ${spec.name}: ${item} must be the whole field (EventBridge takes L and W in no list)`;
      }
      // the special is the whole field (a list was refused above): its check is the field's
      return checkSpecial(field, special, spec);
    }
    const [range, step, ...rest] = item.split('/');
    if (rest.length > 0 || !range) return `invalid "${item}" in ${spec.name}`;
    if (step !== undefined) {
      if (!spec.step) {
        return `invalid "${item}" in ${spec.name}: EventBridge takes no / step there (day-of-week takes , - * ? L #)`;
      }
      if (!(/^\d+$/.test(step) && Number(step) > 0)) return `invalid step "${step}" in ${spec.name}`;
    }
    if (range === '*') continue;
    const bounds = range.split('-');
    const values = bounds.map((b) => numberOf(b, spec));
    if (bounds.length > 2 || values.some((v) => v === undefined)) {
      return `invalid "${item}" in ${spec.name} ${allowed(spec)}`;
    }
    const [from = 0, to = from] = values as number[];
    if (to < from && !spec.wraps) {
      return `invalid "${item}" in ${spec.name}: a range of years must run forward (such as 2030-2035)`;
    }
  }
  return undefined;
}

/** The fields of an expression written bare or as `cron(...)`, spaces around it ignored. */
export function innerOf(expression: string): string {
  return expression.trim().replace(/^cron\((.*)\)$/, '$1');
}

/**
 * Checks that `expression` is a 6-field EventBridge cron expression, written without `cron(...)` (the stacks
 * write it around the fields), that Scheduler accepts and this tool computes the run times of.
 */
export function checkEventBridgeCron(expression: string): CronCheck {
  if (/^\s*(cron|rate|at)\(/i.test(expression)) {
    return /^\s*cron\(/i.test(expression)
      ? {
          ok: false,
          reason: 'write the 6 fields without "cron(...)": the stack writes cron(...) around them itself',
        }
      : { ok: false, reason: 'only cron fields are taken here, not a rate(...) or at(...) expression' };
  }
  const inner = expression.trim();
  const fields = inner.split(/\s+/);
  if (fields.length !== 6) {
    return {
      ok: false,
      reason: `needs 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`,
    };
  }
  const upper = fields.map((f) => f.toUpperCase());
  const specs = fieldSpecs();
  for (let i = 0; i < specs.length; i++) {
    const problem = checkField(upper[i] as string, specs[i] as FieldSpec);
    if (problem) return { ok: false, reason: problem };
  }
  const dom = upper[2];
  const dow = upper[4];
  if ((dom === '?') === (dow === '?')) {
    return { ok: false, reason: 'exactly one of day-of-month and day-of-week must be "?"' };
  }
  try {
    // A date that never exists (31 February) or a year in the past would schedule nothing.
    if (toCron(inner).nextRun() === null)
      return { ok: false, reason: 'it never runs (no future time matches)' };
  } catch {
    // What EventBridge accepts and the calendar library cannot compute is refused rather than mis-scheduled.
    return {
      ok: false,
      reason:
        'this tool cannot compute its run times (its calendar library refuses it): write it with plainer values, such as a step no longer than the field',
    };
  }
  return { ok: true };
}

/**
 * One field in croner's words: day-of-week's lone L is Saturday (Quartz's reading, which EventBridge
 * follows), and a range that wraps (22-2, FRI-MON, NOV-FEB) becomes the list of its values, which croner
 * refuses as a range.
 */
function cronerField(field: string, spec: FieldSpec): string {
  const upper = field.toUpperCase();
  if (spec.name === 'day-of-week' && upper === 'L') return '7';
  return upper
    .split(',')
    .map((item) => {
      // a split has a first part, whatever the text
      const [range, step = '1'] = item.split('/') as [string, ...string[]];
      const [a, b] = range.split('-');
      if (a === undefined || b === undefined) return item;
      const from = numberOf(a, spec);
      const to = numberOf(b, spec);
      if (from === undefined || to === undefined || to >= from) return item;
      const span = spec.max - spec.min + 1;
      const values: number[] = [];
      for (let v = from; v <= to + span; v += Number(step)) values.push(((v - spec.min) % span) + spec.min);
      return values.join(',');
    })
    .join(',');
}

function toCron(inner: string): Cron {
  const specs = fieldSpecs();
  const [min, hour, dom, month, dow, year] = inner
    .split(/\s+/)
    .map((field, i) => cronerField(field, specs[i] as FieldSpec));
  const pattern = `0 ${min} ${hour} ${dom} ${month} ${dow} ${year}`;
  return new Cron(pattern, {
    // Stryker disable next-line StringLiteral: not observable in the mutation run, whose worker threads cannot change the process's zone; test/core/policy/zone-change-days.test.ts pins it under npm test (forks)
    timezone: 'UTC',
    mode: '7-part',
    alternativeWeekdays: true,
    sloppyRanges: true,
    // Stryker disable next-line BooleanLiteral: equivalent, croner starts a timer only for a job function, and none is given
    paused: true,
  });
}

function cronOf(expression: string): Cron {
  return toCron(innerOf(expression));
}

const HOUR_MS = 3_600_000;

/**
 * The schedule's firing instants strictly after `from` and up to `until` (inclusive), in `zone` with
 * EventBridge Scheduler's semantics (skipped on the spring-forward day, once on the fall-back day).
 */
export function runsBetween(
  expression: string,
  from: Date,
  until: Date,
  limit = 100_000,
  zone: string = UTC_ZONE,
): Date[] {
  const cron = cronOf(expression);
  const runs: Date[] = [];
  // Walk the wall clock from `from`'s: a run after `from` is at a later local time, since a repeated local
  // time runs at its first occurrence. Walk on two hours past `until`'s local time: when `until` falls in
  // the second pass of a repeated hour, the later local times of that hour ran in its first pass, before it.
  let cursor: Date | null = new Date(wallClock(from.getTime(), zone));
  const lastWall = wallClock(until.getTime(), zone) + HOUR_MS * 2;
  while (runs.length < limit) {
    cursor = cron.nextRun(cursor);
    if (cursor === null || cursor.getTime() > lastWall) break;
    // Ascending local times map to ascending first occurrences: no instant comes twice.
    const instant = instantOfWallClock(cursor.getTime(), zone);
    if (instant === undefined || instant <= from.getTime() || instant > until.getTime()) continue;
    runs.push(new Date(instant));
  }
  return runs;
}

/** The next run strictly after `from` in `zone`, or undefined when the schedule has ended. */
export function nextRun(expression: string, from: Date, zone: string = UTC_ZONE): Date | undefined {
  if (zone === UTC_ZONE) return cronOf(expression).nextRun(from) ?? undefined;
  // Scheduler runs a local time at most once a day: two days always hold the next run of a live schedule.
  for (let span = 2; span <= 4096; span *= 2) {
    const [run] = runsBetween(expression, from, new Date(from.getTime() + span * 24 * HOUR_MS), 1, zone);
    if (run !== undefined) return run;
  }
  return undefined;
}

/** How early a scheduled pass may start (Scheduler's precision is about a minute). */
export const SLOT_EARLY_MS = 60_000;

/**
 * The scheduled firing a pass at `now` belongs to: the latest firing at most SLOT_EARLY_MS after `now`
 * and less than `lateMs` before it. Undefined for a pass away from every firing (a manual run).
 */
export function slotOf(
  expression: string,
  now: Date,
  lateMs: number,
  zone: string = UTC_ZONE,
): Date | undefined {
  const runs = runsBetween(
    expression,
    new Date(now.getTime() - lateMs),
    new Date(now.getTime() + SLOT_EARLY_MS),
    100_000,
    zone,
  );
  return runs.at(-1);
}

/** The longest wait between two consecutive runs: its length and the runs on either side. */
export interface RunGap {
  readonly hours: number;
  readonly after: Date;
  readonly before: Date;
}

/** Two years hold the next two of each yearly change, whatever the day the horizon starts. */
const GAP_HORIZON_DAYS = 732;
/**
 * Runs read over the whole horizon (two a day). A denser schedule is read this far from the start, which
 * shows its own rhythm, and then around each change of the zone's offset, the only days that rhythm breaks.
 */
const GAP_RUN_LIMIT = 1_500;

function longestOf(runs: readonly Date[], gap: RunGap | undefined): RunGap | undefined {
  let longest = gap;
  for (let i = 1; i < runs.length; i++) {
    const after = runs[i - 1] as Date;
    const before = runs[i] as Date;
    const hours = (before.getTime() - after.getTime()) / HOUR_MS;
    if (longest === undefined || hours > longest.hours) longest = { hours, after, before };
  }
  return longest;
}

/**
 * The longest time between consecutive runs over the two years after `from`, in `zone` as Scheduler fires
 * them: a local time the spring-forward change skips leaves a day without a run, so a daily 02:30 in
 * Europe/Berlin waits 47 hours across 2027-03-28. Undefined when fewer than two runs fall in the horizon.
 */
export function longestRunGap(expression: string, from: Date, zone: string = UTC_ZONE): RunGap | undefined {
  const day = 24 * HOUR_MS;
  const until = new Date(from.getTime() + GAP_HORIZON_DAYS * day);
  const runs = runsBetween(expression, from, until, GAP_RUN_LIMIT, zone);
  let gap = longestOf(runs, undefined);
  if (runs.length < GAP_RUN_LIMIT) return gap;
  for (let d = 0; d < GAP_HORIZON_DAYS; d++) {
    const start = from.getTime() + d * day;
    if (offsetAt(start, zone) === offsetAt(start + day, zone)) continue;
    const around = runsBetween(expression, new Date(start - day), new Date(start + 2 * day), 100_000, zone);
    gap = longestOf(around, gap);
  }
  return gap;
}
