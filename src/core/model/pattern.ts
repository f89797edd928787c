/**
 * Cluster patterns with the original tool's semantics: a regular expression *searched* in the cluster
 * identifier, or ALL_CLUSTERS for every cluster.
 */

/** Same value as the schema's ALL_CLUSTERS; repeated so the core does not load zod at run time. */
export const ALL_CLUSTERS_PATTERN = 'ALL_CLUSTERS';

export type ClusterMatcher = (clusterId: string) => boolean;

/** Compiles a pattern once; the planner calls the matcher for every snapshot. */
export function compilePattern(pattern: string): ClusterMatcher {
  if (pattern === ALL_CLUSTERS_PATTERN) return () => true;
  const regex = new RegExp(pattern);
  return (clusterId) => regex.test(clusterId);
}
