/**
 * What the demo verifies after the simulation, each as a pure check over the ledger: a failed check
 * names what went wrong, and the demo exits non-zero.
 */
import type { ReportCheck } from '../report/model.js';
import type { LedgerEntry } from './ledger.js';

export interface CheckInput {
  readonly entries: readonly LedgerEntry[];
  readonly sourceRegion: string;
  readonly destinationRegion: string;
  readonly shareAccount: string;
  /** Clusters that match the pattern, and the ones that do not. */
  readonly matching: readonly string[];
  readonly notMatching: readonly string[];
  readonly backupIntervalHours: number;
  readonly sourceRetentionDays: number;
  readonly destinationRetentionDays: number;
  /** The keep rules of each side beyond RetentionDays (none when absent). */
  readonly sourceRules?: KeepRules | undefined;
  readonly destinationRules?: KeepRules | undefined;
  /** Virtual time at the end of the simulation. */
  readonly end: Date;
  /** Hours between two runs of the jobs that delete (a snapshot may outlive retention by that much). */
  readonly maxRunGapHours: number;
  /** Automated snapshots at the start, and the ones still there at the end. */
  readonly automatedBefore: readonly string[];
  readonly automatedAfter: readonly string[];
  /** ARNs the share account sees shared with it at the end. */
  readonly visibleToShareAccount: readonly string[];
  readonly executions: { readonly total: number; readonly failed: readonly string[] };
  /** Other destination regions (copies in this account), each with its own destination job's retention. */
  readonly moreDestinations?: readonly DestinationSide[] | undefined;
}

/** A destination region checked like the first: its copies, its RetentionDays and keep rules. */
export interface DestinationSide {
  readonly region: string;
  readonly retentionDays: number;
  readonly rules?: KeepRules | undefined;
}

/** Every destination region with its retention: the first (destinationRegion) and the others. */
function destinationSides(input: CheckInput): DestinationSide[] {
  return [
    {
      region: input.destinationRegion,
      retentionDays: input.destinationRetentionDays,
      rules: input.destinationRules,
    },
    ...(input.moreDestinations ?? []),
  ];
}

/** The daily and weekly keep rules of one side, counted in its time zone. */
export interface KeepRules {
  readonly daily: number;
  readonly weekly: number;
  readonly zone: string;
}

const NO_RULES: KeepRules = { daily: 0, weekly: 0, zone: 'UTC' };

export function runChecks(input: CheckInput): ReportCheck[] {
  return [
    executionsSucceeded(input),
    nothingUntaggedDeleted(input),
    newestPresent(input),
    noDuplicateInInterval(input),
    patternRespected(input),
    retentionApplied(input),
    sharedVisible(input),
  ];
}

export function executionsSucceeded(input: CheckInput): ReportCheck {
  const { total, failed } = input.executions;
  return {
    name: 'every execution succeeded',
    ok: failed.length === 0 && total > 0,
    detail:
      failed.length === 0
        ? `${total} of ${total} state machine executions succeeded`
        : `${failed.length} of ${total} failed: ${failed.slice(0, 3).join('; ')}`,
  };
}

export function nothingUntaggedDeleted(input: CheckInput): ReportCheck {
  const untagged = input.entries.filter((e) => !e.managed);
  const deleted = untagged.filter((e) => e.deletedAt !== undefined);
  const automatedGone = input.automatedBefore.filter((id) => !input.automatedAfter.includes(id));
  const ok = deleted.length === 0 && automatedGone.length === 0 && untagged.length > 0;
  return {
    name: 'nothing untagged deleted',
    ok,
    detail: ok
      ? `${untagged.length} manual snapshot(s) without the tool's tags and ${input.automatedBefore.length} automated snapshot(s) all kept`
      : [
          untagged.length === 0 ? 'the untagged snapshot was never seen' : '',
          ...deleted.map((e) => `${e.id} (${e.region}) deleted at ${e.deletedAt}`),
          ...automatedGone.map((id) => `automated ${id} gone`),
        ]
          .filter((s) => s !== '')
          .join('; '),
  };
}

/** The newest snapshot of each matching cluster exists at the source, and its copy at the destination. */
export function newestPresent(input: CheckInput): ReportCheck {
  const problems: string[] = [];
  const found: string[] = [];
  for (const clusterId of input.matching) {
    for (const [region, role] of [
      [input.sourceRegion, 'backup'] as const,
      ...destinationSides(input).map((d) => [d.region, 'dr-copy'] as const),
    ]) {
      const all = input.entries.filter(
        (e) => e.clusterId === clusterId && e.region === region && e.role === role,
      );
      const newest = all.reduce<LedgerEntry | undefined>(
        (best, e) => (!best || e.pointInTime > best.pointInTime ? e : best),
        undefined,
      );
      if (!newest) problems.push(`${clusterId}: no ${role} in ${region}`);
      else if (newest.deletedAt) problems.push(`${clusterId}: newest ${newest.id} in ${region} was deleted`);
      else if (newest.status !== 'available')
        problems.push(`${clusterId}: newest ${newest.id} is ${newest.status}`);
      else found.push(`${newest.id} (${region})`);
    }
    const source = input.entries
      .filter((e) => e.clusterId === clusterId && e.region === input.sourceRegion && e.role === 'backup')
      .map((e) => e.pointInTime)
      .sort()
      .at(-1);
    for (const { region } of destinationSides(input)) {
      const copy = input.entries
        .filter((e) => e.clusterId === clusterId && e.region === region && e.role === 'dr-copy')
        .map((e) => e.pointInTime)
        .sort()
        .at(-1);
      if (source && copy && source !== copy)
        problems.push(
          `${clusterId}: newest copy${input.moreDestinations?.length ? ` in ${region}` : ''} is of ${copy}, not ${source}`,
        );
    }
  }
  return {
    name: 'newest snapshot of each cluster present',
    ok: problems.length === 0,
    detail: problems.length === 0 ? found.join(', ') : problems.join('; '),
  };
}

/** No two snapshots of a cluster (in one region and role) closer than the interval less its tolerance. */
export function noDuplicateInInterval(input: CheckInput): ReportCheck {
  const toleranceHours = Math.min(input.backupIntervalHours * 0.1, 0.5);
  const minGapMs = (input.backupIntervalHours - toleranceHours) * 3_600_000;
  const groups = groupBy(
    input.entries.filter((entry) => entry.managed),
    (e) => `${e.clusterId} ${e.region} ${e.accountId} ${e.role}`,
  );
  const problems: string[] = [];
  let pairs = 0;
  for (const [key, list] of groups) {
    const sorted = [...list].sort((a, b) => a.pointInTime.localeCompare(b.pointInTime));
    for (let i = 1; i < sorted.length; i++) {
      pairs++;
      const a = sorted[i - 1] as LedgerEntry;
      const b = sorted[i] as LedgerEntry;
      if (Date.parse(b.pointInTime) - Date.parse(a.pointInTime) < minGapMs) {
        problems.push(`${key}: ${a.id} and ${b.id}`);
      }
    }
  }
  return {
    name: 'no duplicate snapshot in any interval',
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${groups.size} series, consecutive snapshots at least ${input.backupIntervalHours - toleranceHours} h apart (${pairs} pairs)`
        : problems.slice(0, 5).join('; '),
  };
}

export function patternRespected(input: CheckInput): ReportCheck {
  const wrong = input.entries.filter((e) => e.managed && input.notMatching.includes(e.clusterId));
  return {
    name: 'only clusters matching the pattern',
    ok: wrong.length === 0,
    detail:
      wrong.length === 0
        ? `no snapshot taken of ${input.notMatching.join(', ')}`
        : wrong.map((e) => `${e.id} (${e.region})`).join('; '),
  };
}

/**
 * Nothing the tool made outlives its retention by more than the gap between two runs (the newest excepted)
 * unless a daily or weekly rule keeps it, and nothing is deleted before RetentionDays or while a rule keeps
 * it. The rules are evaluated here independently of the tool's retention module (restic's semantics: the
 * newest snapshot of each of the N most recent local days / ISO weeks that have one).
 */
export function retentionApplied(input: CheckInput): ReportCheck {
  const problems: string[] = [];
  let expired = 0;
  let keptByRule = 0;
  const sides = [
    [input.sourceRegion, input.sourceRetentionDays, input.sourceRules ?? NO_RULES] as const,
    ...destinationSides(input).map((d) => [d.region, d.retentionDays, d.rules ?? NO_RULES] as const),
  ];
  // The last run that deleted may have seen one snapshot fewer than the end does.
  const lastRun = input.end.getTime() - input.maxRunGapHours * 3_600_000;
  for (const [region, days, rules] of sides) {
    const limitMs = (days * 24 + input.maxRunGapHours) * 3_600_000;
    const managed = input.entries.filter((e) => e.managed && e.region === region);
    // Each snapshot's series (its cluster and role in this region), grouped once.
    const seriesKey = (e: LedgerEntry) => `${e.clusterId} ${e.role}`;
    const groups = groupBy(managed, seriesKey);
    const series = (e: LedgerEntry) => groups.get(seriesKey(e)) ?? [];
    for (const e of managed) {
      const ageAtEnd = input.end.getTime() - Date.parse(e.pointInTime);
      if (e.deletedAt) {
        expired++;
        const deletedAt = Date.parse(e.deletedAt);
        if (deletedAt - Date.parse(e.pointInTime) < days * 86_400_000) {
          problems.push(`${e.id} (${region}) deleted before ${days} days`);
        } else if (keptByRules(existingAt(series(e), deletedAt), rules).has(e.id)) {
          problems.push(`${e.id} (${region}) deleted though a daily or weekly rule keeps it`);
        }
        continue;
      }
      const newestOfCluster = !series(e).some((o) => o.pointInTime > e.pointInTime);
      if (ageAtEnd <= limitMs || newestOfCluster) continue;
      const kept = [input.end.getTime(), lastRun].some((t) =>
        keptByRules(existingAt(series(e), t), rules).has(e.id),
      );
      if (kept) keptByRule++;
      else problems.push(`${e.id} (${region}) kept at ${(ageAtEnd / 86_400_000).toFixed(1)} days`);
    }
  }
  const describe = (days: number, rules: KeepRules) =>
    [
      `${days} d`,
      ...(rules.daily > 0 ? [`${rules.daily} daily`] : []),
      ...(rules.weekly > 0 ? [`${rules.weekly} weekly`] : []),
      ...(rules.daily + rules.weekly > 0 && rules.zone !== 'UTC' ? [rules.zone] : []),
    ].join(' + ');
  return {
    name: 'retention applied on both sides',
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${expired} expired snapshot(s) deleted, none before its time or while a rule kept it` +
          (keptByRule > 0 ? `; ${keptByRule} older one(s) kept by the daily and weekly rules` : '') +
          ` (source ${describe(input.sourceRetentionDays, input.sourceRules ?? NO_RULES)}, ${destinationSides(
            input,
          )
            .map(
              (d) =>
                `destination${(input.moreDestinations?.length ?? 0) > 0 ? ` ${d.region}` : ''} ${describe(d.retentionDays, d.rules ?? NO_RULES)}`,
            )
            .join(', ')})`
        : problems.slice(0, 5).join('; '),
  };
}

/** Entries by a key, in their listed order. */
function groupBy(
  entries: readonly LedgerEntry[],
  keyOf: (e: LedgerEntry) => string,
): Map<string, LedgerEntry[]> {
  const groups = new Map<string, LedgerEntry[]>();
  for (const e of entries) {
    const key = keyOf(e);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return groups;
}

/** The snapshots of a series that existed at `t` (taken at or before it, not deleted before it). */
function existingAt(series: readonly LedgerEntry[], t: number): LedgerEntry[] {
  return series.filter(
    (e) => Date.parse(e.pointInTime) <= t && (e.deletedAt === undefined || Date.parse(e.deletedAt) >= t),
  );
}

/** The identifiers the daily and weekly rules keep in one series. */
export function keptByRules(series: readonly LedgerEntry[], rules: KeepRules): Set<string> {
  const newestFirst = [...series].sort(
    (a, b) => b.pointInTime.localeCompare(a.pointInTime) || a.id.localeCompare(b.id),
  );
  const kept = new Set<string>();
  for (const [count, period] of [
    [rules.daily, (e: LedgerEntry) => localDate(e.pointInTime, rules.zone)],
    [rules.weekly, (e: LedgerEntry) => isoWeekOf(localDate(e.pointInTime, rules.zone))],
  ] as const) {
    const periods = new Set<string>();
    for (const e of newestFirst) {
      const p = period(e);
      if (periods.has(p)) continue;
      if (periods.size >= count) break;
      periods.add(p);
      kept.add(e.id);
    }
  }
  return kept;
}

/** YYYY-MM-DD of an instant on the wall clock of `zone`. */
export function localDate(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

/** The ISO week (YYYY-Www) of a calendar date. */
export function isoWeekOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const weekday = day.getUTCDay() || 7;
  // The Thursday of the same week decides the year.
  const thursday = new Date(day.getTime() + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every copy the tool recorded as shared is visible to the other account. */
export function sharedVisible(input: CheckInput): ReportCheck {
  const shared = input.entries.filter((e) => e.sharedWith?.split(/\s+/).includes(input.shareAccount));
  const present = shared.filter((e) => !e.deletedAt);
  const missing = present.filter((e) => !input.visibleToShareAccount.includes(e.arn));
  const ok = missing.length === 0 && present.length > 0;
  return {
    name: `shared with account ${input.shareAccount}`,
    ok,
    detail: ok
      ? `${shared.length} snapshot(s) shared; the ${present.length} still kept are visible to ${input.shareAccount}`
      : present.length === 0
        ? 'no snapshot was shared'
        : `not visible there: ${missing.map((e) => e.id).join(', ')}`,
  };
}
