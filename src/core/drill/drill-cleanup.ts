/** What a drill clean-up may delete: only clusters and instances that carry the drill tag and a drill name. */
import type { Tags } from '../model/model.js';
import { RESTORE_DRILL_PURPOSE, TAG } from '../model/tags.js';
import { isDrillName } from './drill-names.js';

/** A cluster or instance as a clean-up sees it. */
export interface DrillResource {
  readonly kind: 'cluster' | 'instance';
  readonly id: string;
  readonly status: string;
  readonly tags: Tags;
  /** For an instance, its cluster. */
  readonly clusterId?: string | undefined;
}

/**
 * A drill's own cluster or instance: it carries the drill tag and a drill's name, the two things the drill
 * role's deletes require. A name that looks like a drill's is not enough, nor is the tag on another name
 * (the role could not delete it: it is left alone rather than failing every drill).
 */
export function isDrillResource(resource: DrillResource): boolean {
  return resource.tags[TAG.Purpose] === RESTORE_DRILL_PURPOSE && isDrillName(resource.kind, resource.id);
}

export interface DrillDeletion {
  readonly kind: 'cluster' | 'instance';
  readonly id: string;
}

export interface CleanupPlan {
  /** Deletions to start now: tagged instances, then tagged clusters that have no instance left. */
  readonly deletions: readonly DrillDeletion[];
  /** Tagged resources that still exist (being deleted, or waiting for their instances to go). */
  readonly remaining: number;
}

const GONE = new Set(['deleting']);

/** The drill cluster a resource belongs to: a cluster's own identifier, an instance's cluster. */
function drillClusterOf(resource: DrillResource): string {
  if (resource.kind === 'cluster') return resource.id;
  // Stryker disable next-line StringLiteral: equivalent, `keep` holds cluster identifiers, which neither '' nor any other constant text is
  return resource.clusterId ?? '';
}

/**
 * What a clean-up deletes: every tagged drill instance, and every tagged drill cluster once none of its
 * instances remain (RDS refuses to delete a cluster that has instances). `keep` names clusters left for
 * inspection (`drill --keep`) and their instances.
 */
export function planCleanup(
  resources: readonly DrillResource[],
  keep: ReadonlySet<string> = new Set(),
): CleanupPlan {
  const tagged = resources.filter((r) => isDrillResource(r) && !keep.has(drillClusterOf(r)));
  // Clusters that still have an instance, tagged or not: RDS refuses to delete them.
  const withInstances = new Set(resources.filter((r) => r.kind === 'instance').map((r) => r.clusterId));
  const deletions: DrillDeletion[] = [];
  for (const resource of tagged) {
    if (GONE.has(resource.status)) continue;
    if (resource.kind === 'instance') deletions.push({ kind: 'instance', id: resource.id });
  }
  for (const resource of tagged) {
    if (resource.kind !== 'cluster' || GONE.has(resource.status)) continue;
    if (!withInstances.has(resource.id)) deletions.push({ kind: 'cluster', id: resource.id });
  }
  return { deletions, remaining: tagged.length };
}
