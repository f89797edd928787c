/**
 * What a snapshot is to the tool, read from its tags and state: a backup it took, a copy it made for
 * sharing, a DR copy, in progress or not. Retention and planning decide only through these predicates.
 */
import type { SnapshotInfo } from './model.js';
import { TAG, TOOL_TAG_VALUE } from './tags.js';

/** States in which a snapshot or copy is still being made. */
const IN_PROGRESS = new Set(['creating', 'copying', 'pending', 'backing-up', 'modifying']);
/** States from which a snapshot will never become available. */
const FAILED = new Set(['failed', 'deleting', 'deleted', 'error']);

export function isAvailable(snapshot: SnapshotInfo): boolean {
  return snapshot.status === 'available';
}

export function isInProgressStatus(status: string): boolean {
  return IN_PROGRESS.has(status);
}

export function isFailedStatus(status: string): boolean {
  return FAILED.has(status) || status.startsWith('incompatible');
}

export function isManual(snapshot: SnapshotInfo): boolean {
  return snapshot.type === 'manual';
}

/** Made by the tool at the source (the original tool's snapshots included). */
export function isCreatedByTool(snapshot: SnapshotInfo): boolean {
  return snapshot.tags[TAG.CreatedBy] === TOOL_TAG_VALUE;
}

/** Copied by the tool (DR copies and imports in the destination). */
export function isCopiedByTool(snapshot: SnapshotInfo): boolean {
  return snapshot.tags[TAG.CopiedBy] === TOOL_TAG_VALUE;
}

/** A backup the tool took: CreatedBy, and Purpose `backup` or none (the original tool set none). */
export function isToolBackup(snapshot: SnapshotInfo): boolean {
  if (!isCreatedByTool(snapshot)) return false;
  const purpose = snapshot.tags[TAG.Purpose];
  return purpose === undefined || purpose === 'backup';
}

/** A re-encryption the tool made in the source region so an aws/rds-key snapshot can be shared. */
export function isShareCopy(snapshot: SnapshotInfo): boolean {
  return isCreatedByTool(snapshot) && snapshot.tags[TAG.Purpose] === 'share';
}

/** The cluster the data comes from: the tag the tool sets, else the snapshot's cluster identifier. */
export function sourceClusterOf(snapshot: SnapshotInfo): string {
  return snapshot.tags[TAG.SourceCluster] ?? snapshot.clusterId;
}

/** True once the tool recorded a successful share with `accountId`. */
export function isSharedWith(snapshot: SnapshotInfo, accountId: string): boolean {
  const value = snapshot.tags[TAG.SharedWith];
  if (value === undefined) return false;
  // Accounts are separated by spaces, the only blank an AWS tag value may hold; a doubled one adds only ''.
  return value.split(' ').includes(accountId);
}

/**
 * Marked `shareAndCopy=YES`: taken while ShareSnapshots was TRUE (by this tool or the original), so it
 * must reach the destination before it may be deleted, however old it is.
 */
export function isMarkedForCopy(snapshot: SnapshotInfo): boolean {
  return snapshot.tags[TAG.ShareAndCopy]?.toUpperCase() === 'YES';
}
