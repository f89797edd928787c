/** Builders of clusters, snapshots and observations for pure tests of the core (no store involved). */

import { partitionOf } from '../../src/core/copies/regions.js';
import type { ClusterInfo, SnapshotInfo, Tags } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import type { DestinationObservation, SourceObservation } from '../../src/core/plan/pass.js';

export const ACCOUNT = '111111111111';

export function cluster(id: string, fields: Partial<ClusterInfo> = {}): ClusterInfo {
  return {
    id,
    arn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:${id}`,
    engine: 'aurora-postgresql',
    status: 'available',
    encrypted: false,
    kmsKeyId: undefined,
    ...fields,
  };
}

export interface SnapshotFields extends Partial<Omit<SnapshotInfo, 'tags'>> {
  readonly tags?: Tags;
  /** Sets the PointInTime tag. */
  readonly pointInTime?: Date | string;
}

export function snapshot(id: string, fields: SnapshotFields = {}): SnapshotInfo {
  const { pointInTime, tags, ...rest } = fields;
  const region = rest.region ?? 'us-east-1';
  const accountId = rest.accountId ?? ACCOUNT;
  return {
    id,
    arn: `arn:${partitionOf(region)}:rds:${region}:${accountId}:cluster-snapshot:${id}`,
    clusterId: id.replace(/-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/, ''),
    region,
    accountId,
    type: 'manual',
    status: 'available',
    createTime: undefined,
    encrypted: false,
    kmsKeyId: undefined,
    ...rest,
    tags: {
      ...tags,
      ...(pointInTime === undefined ? {} : { [TAG.PointInTime]: new Date(pointInTime).toISOString() }),
    },
  };
}

/** A backup the tool took at `at` (tags as the source planner sets them). */
export function backup(clusterId: string, at: Date | string, fields: SnapshotFields = {}): SnapshotInfo {
  const when = new Date(at);
  const stamp = when.toISOString().slice(0, 16).replace(/[T:]/g, '-');
  return snapshot(`${clusterId}-${stamp}`, {
    clusterId,
    pointInTime: when,
    createTime: when,
    ...fields,
    tags: {
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
      [TAG.Purpose]: 'backup',
      [TAG.SourceCluster]: clusterId,
      [TAG.SourceRegion]: fields.region ?? 'us-east-1',
      [TAG.SourceAccount]: ACCOUNT,
      ...fields.tags,
    },
  });
}

/** The DR copy of `source` in `region` as the source planner makes it. */
export function drCopy(source: SnapshotInfo, region: string, fields: SnapshotFields = {}): SnapshotInfo {
  const { [TAG.CreatedBy]: _created, ...tags } = source.tags;
  return snapshot(source.id, {
    clusterId: source.clusterId,
    region,
    createTime: source.createTime,
    ...fields,
    tags: {
      ...tags,
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceSnapshot]: source.arn,
      [TAG.Purpose]: 'dr-copy',
      ...fields.tags,
    },
  });
}

export function sourceObservation(fields: Partial<SourceObservation> = {}): SourceObservation {
  return {
    now: new Date('2025-03-01T00:00:00.000Z'),
    accountId: ACCOUNT,
    region: 'us-east-1',
    clusters: [],
    snapshots: [],
    destinationSnapshots: [],
    manualSnapshotQuota: 100,
    awsManagedKeys: [],
    ...fields,
  };
}

export function destinationObservation(fields: Partial<DestinationObservation> = {}): DestinationObservation {
  return {
    now: new Date('2025-03-01T00:00:00.000Z'),
    accountId: ACCOUNT,
    region: 'us-west-2',
    snapshots: [],
    shared: [],
    manualSnapshotQuota: 100,
    ...fields,
  };
}

/** `base` moved by whole hours. */
export function hoursAfter(base: Date | string, hours: number): Date {
  return new Date(new Date(base).getTime() + hours * 3_600_000);
}
