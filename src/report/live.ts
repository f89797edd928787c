/**
 * The report for a real account (`status --html`): the snapshots that exist now, drawn from their
 * point in time or creation to now, and the recovery point reconstructed from the copies kept.
 * Deletions cannot be seen in a live account, so the table shows them as unknown.
 */

import { writeFile } from 'node:fs/promises';
import { KEEP_RULES, type SourceConfig } from '../config/schema.js';
import { backupPolicyOf } from '../config/to-core.js';
import { copyRegionsOf, destinationsOf } from '../core/copies/destinations.js';
import { activeDestinations } from '../core/copies/fan-out.js';
import type { DrillStatusReport } from '../core/drill/index.js';
import type { SnapshotInfo } from '../core/model/model.js';
import { TAG } from '../core/model/tags.js';
import {
  type DestinationObservation,
  type SourceObservation,
  type StatusReport,
  statusReport,
} from '../core/plan/pass.js';
import type { KeptSnapshot } from '../core/plan/plan.js';
import { recoveryPointFromCopies, snapshotFacts } from './classify.js';
import type { ClusterRow, RecoveryPointSeries, ReportData, ReportSnapshot } from './model.js';
import { renderReport } from './render.js';

/** `status --html FILE`: the live report of one source configuration, written to `file`. */
export async function writeStatusReport(
  file: string,
  observation: SourceObservation,
  config: SourceConfig,
  destination?: DestinationObservation,
  kept?: readonly KeptSnapshot[],
  restoreDrills?: DrillStatusReport,
  /** The status already made (with the drills' restore times, see withRestoreTimes); else made here. */
  status?: StatusReport,
): Promise<ReportData> {
  const data = {
    ...reportDataFromStatus({
      status: status ?? statusReport(observation, backupPolicyOf(config), kept),
      observation,
      destination,
      config,
    }),
    ...(restoreDrills ? { restoreDrills } : {}),
  };
  await writeFile(file, renderReport(data), 'utf8');
  return data;
}

export interface LiveReportInput {
  readonly status: StatusReport;
  readonly observation: SourceObservation;
  /** The destination account's own view, when it was observed too (cross-account). */
  readonly destination?: DestinationObservation | undefined;
  readonly config: SourceConfig;
  /** Defaults to the observation's time. */
  readonly generatedAt?: Date | undefined;
}

const DAY = 86_400_000;

export function reportDataFromStatus(input: LiveReportInput): ReportData {
  const { status, observation, config } = input;
  const now = input.generatedAt ?? observation.now;
  const clusters = new Set(status.clusters.map((c) => c.clusterId));
  const all: SnapshotInfo[] = [
    ...observation.snapshots,
    ...observation.destinationSnapshots,
    ...Object.values(observation.regionSnapshots ?? {}).flat(),
    ...(input.destination?.snapshots ?? []),
  ];
  const seen = new Set<string>();
  const why = new Map<string, KeptSnapshot>();
  for (const cluster of status.clusters) {
    for (const k of cluster.kept ?? []) why.set(`${k.region}/${k.snapshotId}`, k);
  }
  const snapshots: ReportSnapshot[] = [];
  for (const info of all) {
    const key = `${info.accountId}/${info.region}/${info.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const facts = snapshotFacts(info);
    if (!clusters.has(facts.clusterId)) continue;
    const createdAt = appearedAt(info.createTime, facts.pointInTime, now);
    const sharedWith = info.tags[TAG.SharedWith];
    snapshots.push({
      id: info.id,
      region: info.region,
      accountId: info.accountId,
      clusterId: facts.clusterId,
      role: facts.role,
      pointInTime: facts.pointInTime ?? createdAt,
      createdAt,
      sharedWith,
      status: info.status,
      ...keptFields(why.get(`${info.region}/${info.id}`)),
    });
  }
  // Snapshots of simulated runs with a later clock (`run --now` in the future) have their point in time
  // after now: drawn and listed, but no recovery point at `now`, and named in a note.
  const future = snapshots.filter((s) => Date.parse(s.pointInTime) > now.getTime());
  const notes: string[] = [];
  if (future.length > 0) {
    const latest =
      future
        .map((s) => s.pointInTime)
        .sort()
        .at(-1) ?? '';
    const ahead = (Date.parse(latest) - now.getTime()) / 3_600_000;
    notes.push(
      `${future.length} snapshot(s) have a point in time after this report's time (the latest ${latest.slice(0, 16).replace('T', ' ')} UTC, ${ahead.toFixed(1)} h ahead): ` +
        'made by simulated runs with a later --now, or by a clock ahead. They are left out of the recovery point.',
    );
  }
  const earliest = Math.min(now.getTime() - DAY, ...snapshots.map((s) => Date.parse(s.createdAt)));
  const from = new Date(Math.floor(earliest / 3_600_000) * 3_600_000);
  const rpRegion = config.DestinationRegion ?? copyRegionsOf(backupPolicyOf(config))[0] ?? config.Region;
  const recoveryPoints: RecoveryPointSeries[] = [...clusters].sort().map((clusterId) => ({
    clusterId,
    region: rpRegion,
    samples: recoveryPointFromCopies(
      snapshots
        .filter(
          (s) =>
            s.clusterId === clusterId &&
            s.region === rpRegion &&
            s.role !== 'unmanaged' &&
            s.status === 'available' &&
            Date.parse(s.pointInTime) <= now.getTime() &&
            (rpRegion === config.Region ? s.role === 'backup' : s.role !== 'backup'),
        )
        .map((s) => ({ pointInTime: s.pointInTime, availableAt: s.createdAt })),
      now,
    ),
  }));
  return {
    title: 'Aurora snapshots',
    subtitle: `Account ${observation.accountId}, clusters matching ${config.ClusterNamePattern}`,
    generatedAt: now.toISOString(),
    from: from.toISOString(),
    to: now.toISOString(),
    sourceRegion: config.Region,
    destinationRegion: config.DestinationRegion,
    targetRecoveryPointHours: config.BackupInterval,
    snapshots,
    recoveryPoints,
    rows: rowsOf(snapshots, recoveryPoints, undefined),
    objectives: status.clusters.map((c) => ({
      clusterId: c.clusterId,
      recoveryPoint: c.recoveryPoint,
      restoreTime: c.restoreTime,
    })),
    settings: settingsOf(config),
    ...destinationsOfReport(config, status),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/** The destinations (one timeline row each per cluster) and their state per cluster, from the status. */
export function destinationsOfReport(
  config: SourceConfig,
  status: StatusReport,
): Pick<ReportData, 'destinations' | 'destinationStates'> {
  const targets = activeDestinations(backupPolicyOf(config));
  if (targets.length === 0) return {};
  return {
    destinations: targets.map((t) => ({
      id: t.id,
      kind: t.kind,
      region: t.region,
      ...(t.account === undefined ? {} : { account: t.account }),
    })),
    destinationStates: status.clusters.flatMap((c) =>
      (c.destinations ?? []).map((d) => ({
        clusterId: c.clusterId,
        id: d.id,
        ...(d.latestCopy === undefined
          ? {}
          : { latestCopyId: d.latestCopy.id, recoveryPointHours: d.latestCopy.ageHours }),
        lagHours: d.lagHours,
        lagging: d.lagging,
      })),
    ),
  };
}

/**
 * When a snapshot appeared: its creation time; but a status taken at a simulated time (`--now`) can
 * predate creation times, and then the point in time of its data is the better guess. Never after `now`.
 */
export function appearedAt(createTime: Date | undefined, pointInTime: string | undefined, now: Date): string {
  const candidates = [createTime?.getTime(), pointInTime === undefined ? undefined : Date.parse(pointInTime)];
  const usable = candidates.find((t) => t !== undefined && t <= now.getTime());
  return new Date(
    usable ?? Math.min(now.getTime(), ...candidates.filter((t) => t !== undefined)),
  ).toISOString();
}

/** One row per cluster, region and account; `deleted` counts only when the caller knows them. */
export function rowsOf(
  snapshots: readonly ReportSnapshot[],
  recoveryPoints: readonly RecoveryPointSeries[],
  deletedKnown: 'known' | undefined,
): ClusterRow[] {
  const rows = new Map<
    string,
    { row: Omit<ClusterRow, 'worstRecoveryPointHours'>; list: ReportSnapshot[] }
  >();
  for (const s of snapshots) {
    const key = `${s.clusterId}\u0000${s.region}\u0000${s.accountId}`;
    let entry = rows.get(key);
    if (!entry) {
      entry = {
        row: {
          region: s.region,
          accountId: s.accountId,
          clusterId: s.clusterId,
          taken: 0,
          copied: 0,
          shared: 0,
          deleted: 0,
          kept: 0,
        },
        list: [],
      };
      rows.set(key, entry);
    }
    entry.list.push(s);
  }
  return [...rows.values()].map(({ row, list }) => {
    const managed = list.filter((s) => s.role !== 'unmanaged');
    const worst = recoveryPoints
      .filter((rp) => rp.clusterId === row.clusterId && rp.region === row.region)
      .flatMap((rp) => rp.samples.map((p) => p.ageHours));
    return {
      ...row,
      taken: managed.filter((s) => s.role === 'backup').length,
      copied: managed.filter((s) => s.role !== 'backup').length,
      shared: managed.filter((s) => s.sharedWith !== undefined && s.sharedWith !== '').length,
      deleted: deletedKnown ? managed.filter((s) => s.deletedAt !== undefined).length : undefined,
      kept: managed.filter((s) => s.deletedAt === undefined).length,
      worstRecoveryPointHours: worst.length > 0 ? Math.max(...worst) : undefined,
    };
  });
}

export function settingsOf(config: SourceConfig): Record<string, string> {
  const settings: Record<string, string> = {
    ClusterNamePattern: config.ClusterNamePattern,
    BackupSchedule: config.BackupSchedule,
    BackupInterval: `${config.BackupInterval} h`,
    RetentionDays: String(config.RetentionDays),
    DeleteOldSnapshots: config.DeleteOldSnapshots ? 'TRUE' : 'FALSE',
    ShareSnapshots: config.ShareSnapshots ? 'TRUE' : 'FALSE',
  };
  if (config.DestinationRegion) settings.DestinationRegion = config.DestinationRegion;
  if (config.Destinations)
    settings.Destinations = destinationsOf(backupPolicyOf(config))
      .map((d) => d.id)
      .join(', ');
  if (config.ReleaseStuckDestinationsAfterHours !== undefined) {
    settings.ReleaseStuckDestinationsAfterHours = `${config.ReleaseStuckDestinationsAfterHours} h`;
  }
  if (config.DestinationAccount) settings.DestinationAccount = config.DestinationAccount;
  // The policy's other settings, shown when set (a configuration of the original tool shows as before).
  if (config.ScheduleTimezone !== 'UTC') settings.ScheduleTimezone = config.ScheduleTimezone;
  for (const rule of KEEP_RULES) {
    if (config[rule] > 0) settings[rule] = String(config[rule]);
  }
  if (config.ExcludeClusterPattern) settings.ExcludeClusterPattern = config.ExcludeClusterPattern;
  if (config.ClusterTags && Object.keys(config.ClusterTags).length > 0) {
    settings.ClusterTags = Object.entries(config.ClusterTags)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
  }
  return settings;
}

export function keptFields(
  kept: KeptSnapshot | undefined,
): Pick<ReportSnapshot, 'keptBecause' | 'expiresAt'> {
  if (kept === undefined) return {};
  return {
    keptBecause: kept.reasons.join(', '),
    ...(kept.expiresAt === undefined ? {} : { expiresAt: kept.expiresAt }),
  };
}
