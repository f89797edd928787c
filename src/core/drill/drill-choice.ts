/** Which snapshot each restore drill restores, and the instance class it restores it with. */
import type { SnapshotInfo } from '../model/model.js';
import { compilePattern } from '../model/pattern.js';
import {
  isAvailable,
  isCopiedByTool,
  isManual,
  isToolBackup,
  sourceClusterOf,
} from '../model/snapshot-kind.js';
import { newestOf } from '../policy/point-in-time.js';
import { type DrillTarget, drillClusterName, drillInstanceName } from './drill-names.js';

/** What a drill needs from the configuration's RestoreDrill block. */
export interface DrillSettings {
  readonly Region: string;
  readonly SnapshotPattern: string;
  readonly MaxRestoreMinutes: number;
}

/** A snapshot a drill may restore: an available manual snapshot the tool made (a copy or a backup). */
export function isDrillCandidate(snapshot: SnapshotInfo): boolean {
  return isManual(snapshot) && isAvailable(snapshot) && (isCopiedByTool(snapshot) || isToolBackup(snapshot));
}

export type DrillChoice =
  | { readonly ok: true; readonly targets: readonly DrillTarget[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Per cluster matching SnapshotPattern, the newest available snapshot the tool made in the region; or
 * the one snapshot named by `snapshotId` (which must exist and be available).
 */
export function chooseDrillTargets(input: {
  readonly snapshots: readonly SnapshotInfo[];
  readonly settings: DrillSettings;
  readonly now: Date;
  readonly snapshotId?: string | undefined;
}): DrillChoice {
  const { settings, now } = input;
  let chosen: SnapshotInfo[];
  if (input.snapshotId !== undefined) {
    const named = input.snapshots.find((s) => s.id === input.snapshotId || s.arn === input.snapshotId);
    if (!named)
      return { ok: false, reason: `snapshot ${input.snapshotId} does not exist in ${settings.Region}` };
    if (!isAvailable(named)) {
      return {
        ok: false,
        reason: `snapshot ${named.id} is ${named.status}, not available, in ${settings.Region}`,
      };
    }
    chosen = [named];
  } else {
    const matches = compilePattern(settings.SnapshotPattern);
    const byCluster = new Map<string, SnapshotInfo[]>();
    for (const snapshot of input.snapshots) {
      if (!isDrillCandidate(snapshot) || !matches(sourceClusterOf(snapshot))) continue;
      const clusterId = sourceClusterOf(snapshot);
      byCluster.set(clusterId, [...(byCluster.get(clusterId) ?? []), snapshot]);
    }
    chosen = [...byCluster.keys()]
      .sort()
      .map((clusterId) => newestOf(byCluster.get(clusterId) as SnapshotInfo[]))
      .filter((s): s is SnapshotInfo => s !== undefined);
    if (chosen.length === 0) {
      return {
        ok: false,
        reason: `no available snapshot made by the tool matches SnapshotPattern ${settings.SnapshotPattern} in ${settings.Region}`,
      };
    }
  }
  const targets = chosen.map((snapshot): DrillTarget => {
    const clusterId = sourceClusterOf(snapshot);
    const drillClusterId = drillClusterName(clusterId, now);
    return {
      clusterId,
      region: settings.Region,
      snapshotId: snapshot.id,
      snapshotArn: snapshot.arn,
      engine: snapshot.engine ?? 'aurora-postgresql',
      engineVersion: snapshot.engineVersion,
      kmsKeyId: snapshot.kmsKeyId,
      drillClusterId,
      drillInstanceId: drillInstanceName(drillClusterId),
    };
  });
  return { ok: true, targets };
}

/** The instance class that gives a drill cluster Serverless v2 capacity (ServerlessV2ScalingConfiguration). */
export const SERVERLESS_CLASS = 'db.serverless';

/**
 * What a drill falls back to when the engine version has no Serverless v2 (Aurora MySQL 2 and 3.01, Aurora
 * PostgreSQL before 13.6 or 14.3): the smallest classes Aurora offers, cheapest first.
 */
export const SMALL_INSTANCE_CLASSES = [
  'db.t4g.medium',
  'db.t3.medium',
  'db.t4g.large',
  'db.t3.large',
  'db.r6g.large',
  'db.r5.large',
  'db.r4.large',
] as const;

export type InstanceClassChoice =
  | { readonly ok: true; readonly instanceClass: string; readonly note?: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The class of a drill's instance, from what RDS offers for the snapshot's engine version
 * (DescribeOrderableDBInstanceOptions): InstanceClass when offered; for db.serverless on a version without
 * Serverless v2, the smallest class offered (the drill proves the restore, and db.serverless stands for
 * "the smallest"); another class that is not offered is refused, naming the version and what is offered.
 * When RDS lists nothing for the version the drill cannot tell, so it tries InstanceClass and says so.
 */
export function chooseInstanceClass(input: {
  readonly wanted: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly region: string;
  /** The classes RDS offers for the engine version (only `wanted` when it is offered). */
  readonly offered: readonly string[];
}): InstanceClassChoice {
  const { wanted, offered } = input;
  const version = `${input.engine} ${input.engineVersion} in ${input.region}`;
  if (offered.includes(wanted)) return { ok: true, instanceClass: wanted };
  if (offered.length === 0) {
    return {
      ok: true,
      instanceClass: wanted,
      note: `RDS lists no orderable instance class for ${version}; the drill tries ${wanted}`,
    };
  }
  const small = SMALL_INSTANCE_CLASSES.find((candidate) => offered.includes(candidate));
  if (wanted === SERVERLESS_CLASS && small !== undefined) {
    return {
      ok: true,
      instanceClass: small,
      note: `${version} has no Serverless v2 (${SERVERLESS_CLASS}): the drill uses ${small}, the smallest class offered for it`,
    };
  }
  const sorted = [...new Set(offered)].sort(bySize);
  const shown = sorted.slice(0, 8).join(', ') + (sorted.length > 8 ? ` and ${sorted.length - 8} more` : '');
  return {
    ok: false,
    reason: `${wanted} is not offered for ${version} (RDS's orderable instance options); set InstanceClass to one that is: ${shown}`,
  };
}

/** Smallest first: the fallback list's order, then the rest by name. */
function bySize(a: string, b: string): number {
  const rank = (c: string) => {
    const at = (SMALL_INSTANCE_CLASSES as readonly string[]).indexOf(c);
    return at === -1 ? SMALL_INSTANCE_CLASSES.length : at;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}
