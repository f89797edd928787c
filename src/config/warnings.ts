/**
 * What a valid configuration accepts knowingly (warnings, never refusals), and the retention rules a
 * destination is compared on with its source.
 */
import { copyRegionsOf } from '../core/copies/destinations.js';
import type { ConfigIssue } from '../core/model/errors.js';
import { defaultRecoveryPointObjectiveHours } from '../core/policy/recovery-point.js';
import { type RunGap, runsBetween } from '../core/policy/schedule.js';
import { instantOfWallClock, localDay, offsetAt, wallClock } from '../core/policy/zone.js';
import type { DestinationConfig } from './destination.js';
import { valueAt } from './issues.js';
import { scheduleGap } from './objective.js';
import { KEEP_RULES } from './rules.js';
import type { SourceConfig } from './source.js';

/** The blocks the warnings compare. */
interface Blocks {
  readonly Source?: SourceConfig | undefined;
  readonly Destination?: DestinationConfig | undefined;
}

/** RetentionDays and the keep rules: what each side keeps. */
export const RETENTION_RULES = ['RetentionDays', ...KEEP_RULES] as const;

/** What each rule keeps, said of the recovery region. */
const LACKS: Record<(typeof RETENTION_RULES)[number], (n: number, own: number) => string> = {
  RetentionDays: (n, own) => `the copies from ${own} to ${n} days old`,
  KeepLast: (n) => `the last ${n} copies kept by count`,
  KeepDaily: (n) => `one copy for each of the last ${n} days`,
  KeepWeekly: (n) => `one copy for each of the last ${n} weeks`,
  KeepMonthly: (n) => `one copy for each of the last ${n} months`,
  KeepYearly: (n) => `one copy for each of the last ${n} years`,
};

/** The source copies into Destination.Region and the destination deletes what its rules let go. */
export function recopiesWhatDestinationDeletes(
  source: SourceConfig,
  destination: DestinationConfig,
): boolean {
  return (
    source.ShareSnapshots &&
    destination.DeleteOldSnapshots &&
    copyRegionsOf(source).includes(destination.Region)
  );
}

/**
 * What a valid configuration accepts knowingly: a destination that keeps less than the source (a cost
 * choice), each naming the parameter, its value (the default when not set) and what the recovery region
 * will lack. Refusals are parseConfig's; these never stop anything.
 */
export function configWarnings(
  config: Blocks,
  input: unknown = config,
  now: Date = new Date(),
): ConfigIssue[] {
  const { Source: source, Destination: destination } = config;
  const warnings: ConfigIssue[] = objectiveGapWarnings(source, input, now);
  if (!source || !destination?.DeleteOldSnapshots) return warnings;
  for (const rule of RETENTION_RULES) {
    if (destination[rule] >= source[rule]) continue;
    const given = valueAt(input, ['Destination', rule]);
    const kept = source[rule];
    const is = given === undefined ? `not set (its default ${destination[rule]} applies), ` : '';
    warnings.push({
      parameter: `Destination.${rule}`,
      ...(given === undefined ? {} : { value: given }),
      message: `is ${is}lower than Source.${rule} (${kept}): the recovery region ${destination.Region} will lack ${LACKS[rule](kept, destination[rule])} that ${source.Region} keeps, so a restore there reaches back only as far as the destination's own rules keep`,
    });
  }
  return warnings;
}

const HOUR_MS = 3_600_000;

/** `YYYY-MM-DD HH:MM` of the local wall clock. */
function localMinute(time: Date, zone: string): string {
  return new Date(wallClock(time.getTime(), zone)).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Whether the schedule names a local time in the hour before `time` that the clocks skip: the wall clock's
 * times from an hour before `time` to `time`, read as UTC, that name no instant in `zone`.
 */
function skipsRun(schedule: string, time: number, zone: string): boolean {
  // The wall clock an hour before is a time that exists: a run there is not skipped, and may be left out.
  const from = new Date(wallClock(time - HOUR_MS, zone));
  return runsBetween(schedule, from, new Date(wallClock(time, zone))).some(
    (wall) => instantOfWallClock(wall.getTime(), zone) === undefined,
  );
}

/**
 * Where the clocks change between the two runs of a gap, the second's own instant included (a run less than
 * an hour after the change): back, repeating the time (` (the clocks go back on YYYY-MM-DD)`), or forward
 * (` (the clocks go forward on YYYY-MM-DD)`), skipping a run when the schedule names a time in the hour
 * skipped (`, skipping that day's run`); else ''. A wait made long by the calendar (monthly on the 29th
 * across February) may cross a change without losing a run to it.
 */
function changeBetween(gap: RunGap, schedule: string, zone: string): string {
  const first = offsetAt(gap.after.getTime(), zone);
  for (let t = gap.after.getTime(); t <= gap.before.getTime(); t += HOUR_MS) {
    const offset = offsetAt(t, zone);
    if (offset < first) return ` (the clocks go back on ${localDay(t, zone)})`;
    if (offset > first) {
      const skipped = skipsRun(schedule, t, zone) ? ", skipping that day's run" : '';
      return ` (the clocks go forward on ${localDay(t, zone)}${skipped})`;
    }
  }
  return '';
}

/**
 * An explicit objective shorter than the longest wait between two runs: the alarm will fire then, however
 * well every run goes. A warning, not a refusal: the wait is known, and the alarm on it may be wanted.
 */
function objectiveGapWarnings(source: SourceConfig | undefined, input: unknown, now: Date): ConfigIssue[] {
  const given = source?.RecoveryPointObjectiveHours;
  if (source === undefined || given === undefined) return [];
  const gap = scheduleGap(source, now);
  if (gap === undefined || given >= gap.hours) return [];
  const zone = source.ScheduleTimezone;
  return [
    {
      parameter: 'Source.RecoveryPointObjectiveHours',
      value: valueAt(input, ['Source', 'RecoveryPointObjectiveHours']) ?? given,
      message: `is ${given} hours, shorter than the longest wait between two runs of BackupSchedule (${source.BackupSchedule}) in ${zone}: ${Number(gap.hours.toFixed(2))} hours, from ${localMinute(gap.after, zone)} to ${localMinute(gap.before, zone)}${changeBetween(gap, source.BackupSchedule, zone)}, so the recovery-point alarm will fire then; set at least ${Math.ceil(gap.hours)}, or leave it unset for ${defaultRecoveryPointObjectiveHours(source.BackupInterval, gap.hours)} (BackupInterval + that wait)`,
    },
  ];
}
