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
}

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
      [input.sourceRegion, 'backup'],
      [input.destinationRegion, 'dr-copy'],
    ] as const) {
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
    const copy = input.entries
      .filter(
        (e) => e.clusterId === clusterId && e.region === input.destinationRegion && e.role === 'dr-copy',
      )
      .map((e) => e.pointInTime)
      .sort()
      .at(-1);
    if (source && copy && source !== copy)
      problems.push(`${clusterId}: newest copy is of ${copy}, not ${source}`);
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
  const groups = new Map<string, LedgerEntry[]>();
  for (const e of input.entries.filter((entry) => entry.managed)) {
    const key = `${e.clusterId} ${e.region} ${e.accountId} ${e.role}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
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

/** Nothing the tool made outlives its retention by more than the gap between two runs (the newest excepted). */
export function retentionApplied(input: CheckInput): ReportCheck {
  const problems: string[] = [];
  let expired = 0;
  for (const [region, days] of [
    [input.sourceRegion, input.sourceRetentionDays],
    [input.destinationRegion, input.destinationRetentionDays],
  ] as const) {
    const limitMs = (days * 24 + input.maxRunGapHours) * 3_600_000;
    const managed = input.entries.filter((e) => e.managed && e.region === region);
    for (const e of managed) {
      const kept = e.deletedAt === undefined;
      const ageAtEnd = input.end.getTime() - Date.parse(e.pointInTime);
      if (e.deletedAt) {
        expired++;
        if (Date.parse(e.deletedAt) - Date.parse(e.pointInTime) < days * 86_400_000) {
          problems.push(`${e.id} (${region}) deleted before ${days} days`);
        }
      }
      const newestOfCluster = !managed.some(
        (o) => o.clusterId === e.clusterId && o.role === e.role && o.pointInTime > e.pointInTime,
      );
      if (kept && ageAtEnd > limitMs && !newestOfCluster) {
        problems.push(`${e.id} (${region}) kept at ${(ageAtEnd / 86_400_000).toFixed(1)} days`);
      }
    }
  }
  return {
    name: 'retention applied on both sides',
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${expired} expired snapshot(s) deleted, none before its time (source ${input.sourceRetentionDays} d, destination ${input.destinationRetentionDays} d)`
        : problems.slice(0, 5).join('; '),
  };
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
