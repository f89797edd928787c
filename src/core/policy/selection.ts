/**
 * Which clusters a source job backs up: those whose identifier ClusterNamePattern matches, that
 * ExcludeClusterPattern does not match, that run an Aurora engine, and that carry every ClusterTags tag
 * (read from DescribeDBClusters' TagList). Each cluster the pattern names but the job leaves out gets a
 * reason, so `plan` can say why.
 */
import type { ClusterInfo, Tags } from '../model/model.js';
import { compilePattern } from '../model/pattern.js';
import type { ClusterSelection } from './backup-policy.js';

/**
 * Aurora engines. DescribeDBClusters also returns DocumentDB (`docdb`), Neptune (`neptune`) and Multi-AZ DB
 * clusters (`mysql`, `postgres`), which this tool must never touch. `aurora` is Aurora MySQL 5.6, kept so
 * clusters selected before still are.
 */
export const AURORA_ENGINES: readonly string[] = ['aurora-postgresql', 'aurora-mysql', 'aurora'];

/** A ClusterTags value that accepts any value of the key. */
export const ANY_TAG_VALUE = '*';

export interface SelectionRules {
  readonly clusterNamePattern: string;
  readonly excludeClusterPattern?: string | undefined;
  /** Tag key to value ("*" for any); all must be present. */
  readonly clusterTags?: Tags | undefined;
}

export type LeftOutCode = 'excluded' | 'not-aurora' | 'tags-mismatch';

export interface LeftOut {
  readonly cluster: ClusterInfo;
  readonly code: LeftOutCode;
  readonly reason: string;
}

export interface Selection {
  readonly selected: readonly ClusterInfo[];
  /** Clusters ClusterNamePattern matches that the other rules leave out (other clusters are not listed). */
  readonly leftOut: readonly LeftOut[];
}

export function isAuroraEngine(engine: string): boolean {
  return AURORA_ENGINES.includes(engine);
}

/** The first ClusterTags tag the cluster lacks, described; undefined when it carries them all. */
export function missingTag(tags: Tags | undefined, wanted: Tags): string | undefined {
  for (const [key, value] of Object.entries(wanted)) {
    const actual = tags?.[key];
    if (actual === undefined) return `has no tag ${key}`;
    if (value !== ANY_TAG_VALUE && actual !== value) {
      return `has tag ${key}=${JSON.stringify(actual)}, not ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

/** A test of cluster identifiers for the name rules alone (snapshots outlive their clusters' tags). */
export function nameMatcher(rules: SelectionRules): (clusterId: string) => boolean {
  const included = compilePattern(rules.clusterNamePattern);
  if (rules.excludeClusterPattern === undefined) return included;
  const excluded = new RegExp(rules.excludeClusterPattern);
  return (clusterId) => included(clusterId) && !excluded.test(clusterId);
}

export function selectClusters(clusters: readonly ClusterInfo[], rules: SelectionRules): Selection {
  const included = compilePattern(rules.clusterNamePattern);
  const excluded =
    rules.excludeClusterPattern === undefined ? undefined : new RegExp(rules.excludeClusterPattern);
  const wanted = rules.clusterTags ?? {};
  const selected: ClusterInfo[] = [];
  const leftOut: LeftOut[] = [];
  for (const cluster of clusters) {
    if (!included(cluster.id)) continue;
    if (excluded?.test(cluster.id)) {
      leftOut.push({
        cluster,
        code: 'excluded',
        reason: `cluster ${cluster.id} matches ExcludeClusterPattern ${JSON.stringify(rules.excludeClusterPattern)}: left out`,
      });
      continue;
    }
    if (!isAuroraEngine(cluster.engine)) {
      leftOut.push({
        cluster,
        code: 'not-aurora',
        reason: `cluster ${cluster.id} runs ${cluster.engine || 'an unknown engine'}, not Aurora (${AURORA_ENGINES.join(', ')}): left out`,
      });
      continue;
    }
    const missing = missingTag(cluster.tags, wanted);
    if (missing !== undefined) {
      leftOut.push({
        cluster,
        code: 'tags-mismatch',
        reason: `cluster ${cluster.id} ${missing} (ClusterTags): left out`,
      });
      continue;
    }
    selected.push(cluster);
  }
  return { selected, leftOut };
}

export interface SourceScope extends Selection {
  /**
   * True when the job manages the snapshots of `clusterId`: the name rules match, and the cluster is not
   * left out. With ClusterTags, a cluster that no longer exists cannot show its tags, so its snapshots are
   * left alone (kept) rather than expired under a policy that may not be theirs.
   */
  owns(clusterId: string): boolean;
}

export function sourceScope(clusters: readonly ClusterInfo[], rules: SelectionRules): SourceScope {
  const selection = selectClusters(clusters, rules);
  const names = nameMatcher(rules);
  const leftOut = new Set(selection.leftOut.map((l) => l.cluster.id));
  const selected = new Set(selection.selected.map((c) => c.id));
  const byTags = rules.clusterTags !== undefined && Object.keys(rules.clusterTags).length > 0;
  return {
    ...selection,
    owns: (clusterId) => names(clusterId) && !leftOut.has(clusterId) && (!byTags || selected.has(clusterId)),
  };
}

/** The selection rules of a source configuration. */
export function rulesOf(config: ClusterSelection): SelectionRules {
  return {
    clusterNamePattern: config.ClusterNamePattern,
    excludeClusterPattern: config.ExcludeClusterPattern,
    clusterTags: config.ClusterTags,
  };
}
