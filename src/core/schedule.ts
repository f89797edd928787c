/**
 * EventBridge cron expressions (6 fields: minutes hours day-of-month month day-of-week year): validation
 * with a precise reason, and the run times as EventBridge Scheduler fires them in a time zone (croner does
 * the calendar work on the local wall clock; the zone module maps it back to instants).
 */
import { Cron } from 'croner';
import { instantOfWallClock, UTC_ZONE, wallClock } from './zone.js';

const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const DAYS = 'SUN|MON|TUE|WED|THU|FRI|SAT';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string;
  readonly extra?: RegExp;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, extra: /^(L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, extra: /^(L|[1-7]#[1-5]|[A-Z]{3}#[1-5]|[1-7]L)$/ },
  { name: 'year', min: 1970, max: 2199 },
];

export type CronCheck = { ok: true } | { ok: false; reason: string };

function checkValue(token: string, spec: FieldSpec): boolean {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= spec.min && n <= spec.max;
  }
  // Stryker disable next-line ConditionalExpression: equivalent, tokens are upper case and never match "^(undefined)$"
  return spec.names !== undefined && new RegExp(`^(${spec.names})$`).test(token);
}

function checkField(field: string, spec: FieldSpec): string | undefined {
  // `*` needs no exception: as a range it passes below.
  if (field === '?' && (spec.name === 'day-of-month' || spec.name === 'day-of-week')) return undefined;
  for (const part of field.split(',')) {
    if (spec.extra?.test(part)) continue;
    const [range, step, ...rest] = part.split('/');
    if (rest.length > 0 || !range) return `"${part}" in ${spec.name}`;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) {
      return `step "${step}" in ${spec.name}`;
    }
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2 || !bounds.every((b) => checkValue(b, spec))) {
      return `"${part}" in ${spec.name} (allowed ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names.replaceAll('|', ',')}` : ''})`;
    }
  }
  return undefined;
}

/** The fields of an expression written bare or as `cron(...)`, spaces around it ignored. */
export function innerOf(expression: string): string {
  return expression.trim().replace(/^cron\((.*)\)$/, '$1');
}

/** Checks that `expression` is a valid 6-field EventBridge cron expression (bare or as `cron(...)`). */
export function checkEventBridgeCron(expression: string): CronCheck {
  const inner = innerOf(expression);
  const fields = inner.split(/\s+/);
  if (fields.length !== 6) {
    return {
      ok: false,
      reason: `needs 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`,
    };
  }
  const upper = fields.map((f) => f.toUpperCase());
  for (let i = 0; i < FIELDS.length; i++) {
    const problem = checkField(upper[i] as string, FIELDS[i] as FieldSpec);
    if (problem) return { ok: false, reason: `invalid ${problem}` };
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
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return { ok: true };
}

function toCron(inner: string): Cron {
  const [min, hour, dom, month, dow, year] = inner.split(/\s+/);
  const pattern = `0 ${min} ${hour} ${dom} ${month} ${dow} ${year}`;
  return new Cron(pattern, {
    // Stryker disable next-line StringLiteral: not observable in the mutation run, whose worker threads cannot change the process's zone; core-zone-change-days.test.ts pins it under npm test (forks)
    timezone: 'UTC',
    mode: '7-part',
    alternativeWeekdays: true,
    sloppyRanges: true,
    // Stryker disable next-line BooleanLiteral: equivalent, with no job function croner schedules nothing either way
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
  // Walk the wall clock from a little before `from` (a zone's offset) to a little after `until`.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent, a wider walk finds the same runs (instants outside from..until are dropped below)
  let cursor: Date | null = new Date(wallClock(from.getTime(), zone) - (zone === UTC_ZONE ? 0 : HOUR_MS * 2));
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent, as above
  const lastWall = wallClock(until.getTime(), zone) + (zone === UTC_ZONE ? 0 : HOUR_MS * 2);
  let previous = Number.NEGATIVE_INFINITY;
  while (runs.length < limit) {
    cursor = cron.nextRun(cursor);
    if (cursor === null || cursor.getTime() > lastWall) break;
    const instant = instantOfWallClock(cursor.getTime(), zone);
    if (instant === undefined || instant <= from.getTime() || instant > until.getTime()) continue;
    // The first occurrence of a repeated hour comes once; the wall clock never maps two runs to one instant.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the first occurrences of an ascending wall clock ascend, so no instant repeats
    if (instant <= previous) continue;
    previous = instant;
    runs.push(new Date(instant));
  }
  return runs;
}

/** The next run strictly after `from` in `zone`, or undefined when the schedule has ended. */
export function nextRun(expression: string, from: Date, zone: string = UTC_ZONE): Date | undefined {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the search below finds the same run in UTC (the test saves time)
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
