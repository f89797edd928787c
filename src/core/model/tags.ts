/**
 * Tag names. The first four are the original Python tool's, kept so its users can switch and
 * so the tool manages the snapshots the original made; the `SnapshotTool:` ones are ours.
 */

export const TOOL_TAG_VALUE = 'Snapshot Tool for Aurora';

export const TAG = {
  /** Original: on every snapshot the tool takes (source side). */
  CreatedBy: 'CreatedBy',
  /** Original: on every copy the tool makes (destination side). */
  CopiedBy: 'CopiedBy',
  /** Original: `YYYY-MM-DD-HH-MM` of the snapshot (informational; never parsed for ages). */
  CreatedOn: 'CreatedOn',
  /** Original: `YES` on snapshots to be shared and copied. */
  ShareAndCopy: 'shareAndCopy',
  /** Point in time of the data, ISO-8601 UTC; copies carry their source's value. */
  PointInTime: 'SnapshotTool:PointInTime',
  /** Cluster the data comes from. */
  SourceCluster: 'SnapshotTool:SourceCluster',
  /** Region of the source cluster. */
  SourceRegion: 'SnapshotTool:SourceRegion',
  /** Account of the source cluster. */
  SourceAccount: 'SnapshotTool:SourceAccount',
  /** ARN of the snapshot a copy was made from. */
  SourceSnapshot: 'SnapshotTool:SourceSnapshot',
  /** Account ids (space-separated) the snapshot has been shared with, once the share succeeded. */
  SharedWith: 'SnapshotTool:SharedWith',
  /** Why a snapshot exists: `backup` (taken), `dr-copy` (copy in the destination), `share` (re-encrypted to be shared). */
  Purpose: 'SnapshotTool:Purpose',
  /** On a snapshot a restore drill restored: ISO time of the last successful drill. */
  RestoreVerified: 'SnapshotTool:RestoreVerified',
  /** On a snapshot a restore drill restored: minutes the last successful restore took. */
  RestoreMinutes: 'SnapshotTool:RestoreMinutes',
  /**
   * The shape of the source cluster (cluster-shape-tags.ts): this tag holds the format's version, the number
   * of parts and a check; `SnapshotTool:Shape:1`, `:2`... hold the parts. Copies in the account carry them.
   */
  Shape: 'SnapshotTool:Shape',
} as const;

/**
 * The minutes a successful drill recorded in `SnapshotTool:RestoreMinutes` (a whole or decimal number, as the
 * drill writes it), or undefined for a tag missing, blank or edited into anything else: `Number('')` is 0, and
 * a tag emptied by hand is no drill that took no time.
 */
export function recordedMinutes(tags: Readonly<Record<string, string>>): number | undefined {
  const text = tags[TAG.RestoreMinutes];
  return text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

/** RDS: at most 50 tags on a resource, the tool's own included. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** RDS: tag keys are at most 128 characters, values at most 256. */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

/** `SnapshotTool:Purpose` of the clusters and instances a restore drill creates: the only ones it deletes. */
export const RESTORE_DRILL_PURPOSE = 'restore-drill';

export type Purpose = 'backup' | 'dr-copy' | 'share';
