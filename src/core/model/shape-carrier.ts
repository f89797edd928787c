/**
 * How a cluster's shape reaches a vault account, which cannot read the tags of the snapshots shared with it:
 * the source account writes the shared snapshot's shape tags as one S3 object in a bucket the vault owns, and
 * the vault reads it back, checks it is the shape of that snapshot's cluster, and writes the tags on its own
 * copy. The object is the shape tags as they are (`cluster-shape-tags.ts`), as JSON: one format, one codec.
 */

import { isShapeTag, SHAPE_TAG_BUDGET, shapeFromTags } from './cluster-shape-tags.js';
import type { SnapshotInfo, Tags } from './model.js';

/** What every shapes bucket's name starts with (the source role's resource names it). */
export const SHAPE_BUCKET_PREFIX = 'aurora-snapshot-tool-shapes-';

/** Every key of the bucket starts with it; the account that wrote it follows. */
export const SHAPE_KEY_PREFIX = 'shapes/';

/** The vault's bucket of shapes in `region`: named after the vault's account, so the source finds it. */
export function shapeBucketName(vaultAccount: string, region: string): string {
  return `${SHAPE_BUCKET_PREFIX}${vaultAccount}-${region}`;
}

/** Where the source account leaves the shape of its snapshot `snapshotId`: only under its own account. */
export function shapeObjectKey(sourceAccount: string, snapshotId: string): string {
  return `${SHAPE_KEY_PREFIX}${sourceAccount}/${snapshotId}.json`;
}

/** Larger objects are not read: a shape's tags are at most 12 values of 256 characters. */
export const MAX_SHAPE_OBJECT_BYTES = 16 * 1024;

/** The shape tags among `tags` (empty when the snapshot records no shape). */
export function shapeTagsOf(tags: Tags): Tags {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => isShapeTag(key)));
}

/** The object's text: the shape tags as JSON, keys sorted so the same shape is always the same text. */
export function shapeObjectBody(shapeTags: Tags): string {
  const sorted = Object.keys(shapeTags).sort();
  return JSON.stringify(Object.fromEntries(sorted.map((key) => [key, shapeTags[key]])));
}

export type CarriedShape =
  | { readonly ok: true; readonly tags: Tags }
  | { readonly ok: false; readonly reason: string };

/**
 * The shape tags a vault may write on its copy of `shared`, from the object the source left (`body`), or
 * why not. The object is the source account's writing, so nothing in it is trusted: only shape tags, which
 * must decode, and the shape must be that of the cluster the shared snapshot was taken of (RDS says which,
 * and its engine, whatever the object claims). Never throws.
 */
export function carriedShapeTags(body: string, shared: SnapshotInfo): CarriedShape {
  const refuse = (why: string): CarriedShape => ({ ok: false, reason: `the shape object ${why}` });
  if (body.length > MAX_SHAPE_OBJECT_BYTES) {
    return refuse(`is ${body.length} characters long, more than a shape's ${MAX_SHAPE_OBJECT_BYTES}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return refuse('is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refuse('is not a JSON object of tags');
  }
  const entries = Object.entries(parsed);
  const other = entries.filter(([key, value]) => !isShapeTag(key) || typeof value !== 'string');
  if (other.length > 0) {
    return refuse(`holds ${other.map(([key]) => key).join(', ')}, which are not shape tags with text values`);
  }
  if (entries.length > SHAPE_TAG_BUDGET) {
    return refuse(`holds ${entries.length} tags, more than a shape's ${SHAPE_TAG_BUDGET}`);
  }
  const tags = Object.fromEntries(entries) as Tags;
  const reading = shapeFromTags(tags);
  if (reading.shape === undefined) return refuse(`cannot be read (${reading.code}): ${reading.reason}`);
  const { shape } = reading;
  if (shape.clusterId !== shared.clusterId) {
    return refuse(
      `is the shape of cluster ${shape.clusterId}, but ${shared.arn} is a snapshot of ${shared.clusterId}`,
    );
  }
  if (shared.engine !== undefined && shape.engine !== shared.engine) {
    return refuse(`is the shape of an ${shape.engine} cluster, but ${shared.arn} is ${shared.engine}`);
  }
  return { ok: true, tags };
}
