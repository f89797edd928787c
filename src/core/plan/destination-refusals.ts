/**
 * A vault for a whole organization copies what any account shares with it, and IAM refuses the copy of a
 * snapshot (or the use of a key) owned outside the organization: such a refusal is that snapshot's, named with
 * its owner and the reason, never a failed run for the others, since anyone may share a snapshot with any
 * account and would otherwise stop the vault's runs at will.
 */
import type { DestinationPolicy } from '../policy/backup-policy.js';
import { ownerOf } from './destination-shape.js';
import type { ActionResult, Note } from './plan.js';

/** The error names under which AWS's refusal of a copy reaches the core (src/aws/errors.ts). */
const REFUSAL_ERRORS: ReadonlySet<string | undefined> = new Set(['AccessDenied']);

export interface RefusedImports {
  /** The results that are not refusals, as they were. */
  readonly results: ActionResult[];
  /** The imports AWS refused, by their source snapshot's ARN. */
  readonly refused: ActionResult[];
  /** One warning per refused import, naming the snapshot, its owner and AWS's reason. */
  readonly notes: Note[];
}

/** True when `result` is an import of a shared snapshot that AWS refused, in a vault of an organization. */
export function isRefusedImport(result: ActionResult, policy: DestinationPolicy): boolean {
  return (
    policy.SourceOrganizationId !== undefined &&
    !result.ok &&
    result.action.kind === 'copy' &&
    result.action.purpose === 'import' &&
    REFUSAL_ERRORS.has(result.error)
  );
}

/** Sets the refused imports apart from the other results, with a note for each. */
export function separateRefusedImports(
  results: readonly ActionResult[],
  policy: DestinationPolicy,
): RefusedImports {
  const kept: ActionResult[] = [];
  const refused: ActionResult[] = [];
  const notes: Note[] = [];
  for (const result of results) {
    if (!isRefusedImport(result, policy) || result.action.kind !== 'copy') {
      kept.push(result);
      continue;
    }
    const { sourceArn, clusterId } = result.action;
    refused.push(result);
    notes.push({
      level: 'warn',
      code: 'copy-refused',
      message:
        `${sourceArn}, shared by ${ownerOf(sourceArn)}, was not copied: AWS refused it (${result.message ?? result.error}). ` +
        `This vault copies only snapshots owned in organization ${policy.SourceOrganizationId} ` +
        '(its role denies the others, aws:ResourceOrgID): a snapshot of an account outside it is never copied; ' +
        "for an account of the organization, check that the snapshot's key is a key of that account and its policy admits this account",
      clusterId,
      snapshotId: sourceArn,
    });
  }
  return { results: kept, refused, notes };
}
