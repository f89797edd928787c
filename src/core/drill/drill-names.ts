/** The names and tags of what a restore drill creates, so a clean-up can tell them (and only them) apart. */
import type { Tags } from '../model/model.js';
import { MAX_IDENTIFIER_LENGTH, withSuffix } from '../model/naming.js';
import { RESTORE_DRILL_PURPOSE, TAG } from '../model/tags.js';

/** One restore a drill performs: the snapshot and the cluster and instance it creates from it. */
export interface DrillTarget {
  /** The cluster the data comes from. */
  readonly clusterId: string;
  readonly region: string;
  readonly snapshotId: string;
  readonly snapshotArn: string;
  readonly engine: string;
  readonly engineVersion: string | undefined;
  /** The snapshot's key: the restored cluster is encrypted with it. */
  readonly kmsKeyId: string | undefined;
  readonly drillClusterId: string;
  readonly drillInstanceId: string;
  /** The class of the instance, once the drill decided it for the engine version (see chooseInstanceClass). */
  readonly instanceClass?: string | undefined;
  /** Why the drill uses another class than InstanceClass, or could not check it. */
  readonly instanceClassNote?: string | undefined;
}

/** `YYYYMMDDHHMM` in UTC. */
export function drillStamp(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/**
 * What every drill cluster's name carries before its stamp. The drill role may tag, restore, create and
 * delete only under names ending in it and a stamp (see DRILL_NAME_GLOBS): an ARN pattern cannot tell
 * digits from letters, so a plain `-drill-` would also match user clusters such as
 * `orders-drill-staging-0001`; the tool's own name makes the pattern one no user cluster plausibly fits.
 */
export const DRILL_MARKER = '-snapshot-tool-drill-';
const STAMP = /^\d{12}$/;
const INSTANCE_SUFFIX = '-1';

/**
 * `<cluster>-snapshot-tool-drill-<YYYYMMDDHHMM>`, shortened with a hash when the cluster name is too long
 * for RDS, always short enough for its instance's name to keep the marker and the stamp.
 */
export function drillClusterName(clusterId: string, at: Date): string {
  return withSuffix(
    clusterId,
    `${DRILL_MARKER}${drillStamp(at)}`,
    MAX_IDENTIFIER_LENGTH - INSTANCE_SUFFIX.length,
  );
}

/** The one instance of a drill cluster. */
export function drillInstanceName(drillClusterId: string): string {
  return withSuffix(drillClusterId, INSTANCE_SUFFIX);
}

/**
 * The names drillClusterName and drillInstanceName give, as IAM resource name patterns (`?` is one
 * character: the stamp's twelve digits).
 */
export const DRILL_NAME_GLOBS = {
  cluster: `*${DRILL_MARKER}${'?'.repeat(12)}`,
  instance: `*${DRILL_MARKER}${'?'.repeat(12)}${INSTANCE_SUFFIX}`,
} as const;

/** True for a name drillClusterName (or, for an instance, drillInstanceName) gives. */
export function isDrillName(kind: 'cluster' | 'instance', id: string): boolean {
  const name =
    kind === 'instance' && id.endsWith(INSTANCE_SUFFIX) ? id.slice(0, -INSTANCE_SUFFIX.length) : id;
  if (kind === 'instance' && name === id) return false;
  const at = name.lastIndexOf(DRILL_MARKER);
  return at > 0 && STAMP.test(name.slice(at + DRILL_MARKER.length));
}

/** Tags of every cluster and instance a drill creates: the purpose (which alone permits deleting them) and the source. */
export function drillTags(target: Pick<DrillTarget, 'clusterId' | 'snapshotArn' | 'snapshotId'>): Tags {
  return {
    [TAG.Purpose]: RESTORE_DRILL_PURPOSE,
    [TAG.SourceCluster]: target.clusterId,
    [TAG.SourceSnapshot]: target.snapshotArn || target.snapshotId,
  };
}
