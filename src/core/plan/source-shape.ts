/**
 * The take decision's companion (pure): each snapshot the pass takes records its cluster's shape in its tags,
 * so a restore can bring back a cluster like the source. A shape that cannot be read or does not fit never
 * holds a backup back: the snapshot is taken without it, and a note says why.
 */

import { type InstanceSettings, shapeOf } from '../model/cluster-shape.js';
import { shapeTagRoom, shapeToTags } from '../model/cluster-shape-tags.js';
import type { ClusterInfo } from '../model/model.js';
import type { Action, Note, Plan } from './plan.js';
import type { TakeAction } from './source-context.js';

/** What reading the instances of the clusters to take gave: their settings, or why there are none. */
export type InstancesRead =
  | { readonly ok: true; readonly instances: readonly InstanceSettings[] }
  | { readonly ok: false; readonly reason: string };

/** The clusters whose instances a plan's takes need, each once, in order. */
export function clustersToShape(plan: Plan): string[] {
  const ids = new Set(plan.actions.flatMap((action) => (action.kind === 'take' ? [action.clusterId] : [])));
  return [...ids].sort();
}

/** The plan with each take's tags carrying its cluster's shape, and a note for each that cannot. */
export function recordShapes(plan: Plan, clusters: readonly ClusterInfo[], read: InstancesRead): Plan {
  const notes: Note[] = [];
  const byId = new Map(clusters.map((cluster) => [cluster.id, cluster]));
  const actions = plan.actions.map((action): Action => {
    if (action.kind !== 'take') return action;
    const { tags, note } = shapedTake(action, byId.get(action.clusterId), read);
    if (note) notes.push(note);
    return { ...action, tags: { ...action.tags, ...tags } };
  });
  return { ...plan, actions, notes: [...plan.notes, ...notes] };
}

function shapedTake(
  take: TakeAction,
  cluster: ClusterInfo | undefined,
  read: InstancesRead,
): { tags?: Readonly<Record<string, string>>; note?: Note } {
  const about = { clusterId: take.clusterId, snapshotId: take.snapshotId };
  if (!read.ok) {
    return {
      note: {
        level: 'warn',
        code: 'shape-unreadable',
        message: `${take.snapshotId} is taken without the shape of ${take.clusterId} (its instances cannot be read: ${read.reason}); a restore of it will need the instances named by hand`,
        ...about,
      },
    };
  }
  const shape = cluster === undefined ? undefined : shapeOf(cluster, read.instances);
  if (shape === undefined) {
    return {
      note: {
        level: 'warn',
        code: 'shape-unreadable',
        message: `${take.snapshotId} is taken without the shape of ${take.clusterId}: the cluster's listing does not tell its settings`,
        ...about,
      },
    };
  }
  const encoding = shapeToTags(shape, shapeTagRoom(take.tags));
  if (!encoding.ok) {
    return {
      note: {
        level: 'warn',
        code: 'shape-too-large',
        message: `${take.snapshotId} is taken without the shape of ${take.clusterId}: ${encoding.reason}`,
        ...about,
      },
    };
  }
  if (encoding.tagsOmitted) {
    return {
      tags: encoding.tags,
      note: {
        level: 'warn',
        code: 'shape-without-tags',
        message: `${take.snapshotId} records the shape of ${take.clusterId} without the cluster's ${Object.keys(shape.tags).length} tags, which do not fit in the snapshot's tags beside it`,
        ...about,
      },
    };
  }
  return { tags: encoding.tags };
}
