/**
 * Reads a snapshot's tags the way the report needs them: its role, the cluster its data comes from,
 * and the point in time of its data (the tool's tag, else the creation time, as retention does).
 */
import type { SnapshotInfo } from '../core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../core/model/tags.js';
import type { RecoveryPointSample, SnapshotRole } from './model.js';

export interface SnapshotFacts {
  readonly role: SnapshotRole;
  readonly clusterId: string;
  /** ISO-8601; undefined only when neither the tag nor a creation time exists. */
  readonly pointInTime: string | undefined;
}

const ROLES: ReadonlySet<string> = new Set(['backup', 'dr-copy', 'share', 'import']);

export function isManagedByTool(snapshot: Pick<SnapshotInfo, 'tags'>): boolean {
  return snapshot.tags[TAG.CreatedBy] === TOOL_TAG_VALUE || snapshot.tags[TAG.CopiedBy] === TOOL_TAG_VALUE;
}

export function snapshotFacts(snapshot: SnapshotInfo): SnapshotFacts {
  const tags = snapshot.tags;
  let role: SnapshotRole = 'unmanaged';
  if (isManagedByTool(snapshot)) {
    const purpose = tags[TAG.Purpose];
    if (purpose !== undefined && ROLES.has(purpose)) role = purpose as SnapshotRole;
    // Snapshots of the original tool carry no Purpose: its copies have CopiedBy, its snapshots CreatedBy.
    else role = tags[TAG.CreatedBy] === TOOL_TAG_VALUE ? 'backup' : 'dr-copy';
  }
  const tagged = tags[TAG.PointInTime];
  const pointInTime =
    tagged !== undefined && !Number.isNaN(Date.parse(tagged))
      ? new Date(tagged).toISOString()
      : snapshot.createTime?.toISOString();
  return { role, clusterId: tags[TAG.SourceCluster] ?? snapshot.clusterId, pointInTime };
}

/**
 * The recovery point over time from the copies that exist: at each copy's arrival the age drops to
 * its data's age; in between it grows with the clock. Two samples per arrival draw the saw tooth.
 */
export function recoveryPointFromCopies(
  copies: readonly { readonly pointInTime: string; readonly availableAt: string }[],
  until: Date,
): RecoveryPointSample[] {
  const ordered = [...copies].sort((a, b) => a.availableAt.localeCompare(b.availableAt));
  const samples: RecoveryPointSample[] = [];
  let best: number | undefined;
  // A copy whose data is later than the moment sampled (a simulated future run) never makes the age negative.
  const age = (at: number) => Math.max(0, (at - (best as number)) / 3_600_000);
  for (const copy of ordered) {
    const at = Date.parse(copy.availableAt);
    if (at > until.getTime()) break;
    if (best !== undefined) samples.push({ at: copy.availableAt, ageHours: age(at) });
    const pit = Date.parse(copy.pointInTime);
    if (best === undefined || pit > best) best = pit;
    samples.push({ at: copy.availableAt, ageHours: age(at) });
  }
  if (best !== undefined) samples.push({ at: until.toISOString(), ageHours: age(until.getTime()) });
  return samples;
}
