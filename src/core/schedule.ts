/**
 * EventBridge cron expressions (6 fields: minutes hours day-of-month month day-of-week year, UTC):
 * validation with a precise reason, and the next/previous run times (croner does the calendar work).
 */
import { Cron } from 'croner';

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
function innerOf(expression: string): string {
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
    timezone: 'UTC',
    mode: '7-part',
    alternativeWeekdays: true,
    sloppyRanges: true,
    // Stryker disable next-line BooleanLiteral: equivalent, with no job function croner schedules nothing either way
    paused: true,
  });
}

/** The schedule's run times strictly after `from` and up to `until` (inclusive). */
export function runsBetween(expression: string, from: Date, until: Date, limit = 100_000): Date[] {
  const cron = toCron(innerOf(expression));
  const runs: Date[] = [];
  let cursor: Date | null = from;
  while (runs.length < limit) {
    cursor = cron.nextRun(cursor);
    if (cursor === null || cursor.getTime() > until.getTime()) break;
    runs.push(cursor);
  }
  return runs;
}

/** The next run strictly after `from`, or undefined when the schedule has ended. */
export function nextRun(expression: string, from: Date): Date | undefined {
  const cron = toCron(innerOf(expression));
  return cron.nextRun(from) ?? undefined;
}
