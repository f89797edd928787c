/**
 * The vault's imports carrying the shape the source account left for them (shape-carrier.ts): the copy of a
 * shared snapshot gets the shape tags in its CopyDBClusterSnapshot call when the object is there and is the
 * shape of that snapshot's cluster; otherwise it is copied without, with a note. A copy never waits for it.
 */

import type { SnapshotInfo } from '../model/model.js';
import { identifierFromArn } from '../model/naming.js';
import { carriedShapeTags } from '../model/shape-carrier.js';
import type { Action, Note, Plan } from './plan.js';

type CopyAction = Extract<Action, { kind: 'copy' }>;

/** What reading one shape object gave: its text, nothing (no object), or the error that stopped it. */
export type ShapeObjectRead =
  | { readonly ok: true; readonly body: string | undefined }
  | { readonly ok: false; readonly reason: string };

/** The imports of a plan whose shape is looked for: one object each, keyed by the shared snapshot's ARN. */
export function importsToShape(plan: Plan): CopyAction[] {
  return plan.actions.filter((a): a is CopyAction => a.kind === 'copy' && a.purpose === 'import');
}

/** The account that owns a snapshot, from its ARN. */
export function ownerOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** Where the shape of the shared snapshot `arn` was left: the owner's account and the snapshot's identifier. */
export function shapeObjectOf(arn: string): { sourceAccount: string; snapshotId: string } {
  return { sourceAccount: ownerOf(arn), snapshotId: identifierFromArn(arn) };
}

/**
 * The plan with each import carrying the shape read for it (`reads`, by the shared snapshot's ARN), checked
 * against the shared snapshot (`shared`, by ARN: its cluster and engine as RDS lists them).
 */
export function recordCarriedShapes(
  plan: Plan,
  shared: ReadonlyMap<string, SnapshotInfo>,
  reads: ReadonlyMap<string, ShapeObjectRead>,
): Plan {
  const notes: Note[] = [];
  const actions = plan.actions.map((action): Action => {
    if (action.kind !== 'copy' || action.purpose !== 'import') return action;
    const read = reads.get(action.sourceArn);
    const snapshot = shared.get(action.sourceArn);
    if (read === undefined || snapshot === undefined) return action;
    const note = (level: Note['level'], code: string, why: string): Action => {
      notes.push({
        level,
        code,
        message: `${action.targetId} is copied without the shape of ${action.clusterId}: ${why}`,
        clusterId: action.clusterId,
        snapshotId: action.sourceArn,
      });
      return action;
    };
    if (!read.ok) return note('warn', 'shape-unreadable', `its shape object cannot be read (${read.reason})`);
    if (read.body === undefined) {
      return note('info', 'shape-missing', `${ownerOf(action.sourceArn)} left no shape object for it`);
    }
    const carried = carriedShapeTags(read.body, snapshot);
    if (!carried.ok) return note('warn', 'shape-refused', carried.reason);
    return { ...action, tags: { ...action.tags, ...carried.tags } };
  });
  return { ...plan, actions, notes: [...plan.notes, ...notes] };
}
