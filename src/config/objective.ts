/**
 * A block's recovery point objective: its own, else derived from its interval and the longest wait
 * between two runs of its schedule.
 */
import { defaultRecoveryPointObjectiveHours } from '../core/policy/recovery-point.js';
import { checkEventBridgeCron, longestRunGap, type RunGap } from '../core/policy/schedule.js';
import { DEFAULTS } from './rules.js';

/** A block's schedule, where it has one (a source block). */
export interface ScheduledBlock {
  readonly BackupSchedule?: string;
  readonly ScheduleTimezone?: string;
}

const GAPS = new Map<string, RunGap | undefined>();

/**
 * The longest wait between two runs of a block's BackupSchedule over the coming two years (from the UTC day
 * of `now`), or undefined for a block without a schedule or with one that does not compute. Kept per day:
 * a function computes it on every run, validation on every check.
 */
export function scheduleGap(block: ScheduledBlock, now: Date = new Date()): RunGap | undefined {
  if (block.BackupSchedule === undefined) return undefined;
  const zone = block.ScheduleTimezone ?? DEFAULTS.ScheduleTimezone;
  const day = new Date(now.toISOString().slice(0, 10));
  const key = `${block.BackupSchedule}|${zone}|${day.toISOString()}`;
  if (!GAPS.has(key)) {
    let gap: RunGap | undefined;
    try {
      gap = checkEventBridgeCron(block.BackupSchedule).ok
        ? longestRunGap(block.BackupSchedule, day, zone)
        : undefined;
    } catch {
      // a schedule the runs cannot be read from has no gap: `gap` stays undefined
    }
    GAPS.set(key, gap);
  }
  return GAPS.get(key);
}

/**
 * The recovery point objective of a block: its RecoveryPointObjectiveHours, else BackupInterval x 2, or
 * BackupInterval + the longest wait between two runs of BackupSchedule where that is longer (a daily local
 * time the spring-forward change skips: 24 + 47 hours). For a destination, the source's BackupInterval when
 * the file has one, else the default interval (its default is set from the source's objective when the file
 * has both blocks).
 */
export function recoveryPointObjectiveHours(
  block: {
    readonly RecoveryPointObjectiveHours?: number | undefined;
    readonly BackupInterval?: number;
  } & ScheduledBlock,
  sourceBackupInterval?: number,
  now: Date = new Date(),
): number {
  return (
    block.RecoveryPointObjectiveHours ??
    defaultRecoveryPointObjectiveHours(
      block.BackupInterval ?? sourceBackupInterval ?? DEFAULTS.BackupInterval,
      scheduleGap(block, now)?.hours,
    )
  );
}
