// Cluster selection: ClusterTags, ExcludeClusterPattern and the Aurora engine filter, with the reason each cluster was left out.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { planSource } from '../../../src/core/plan/source-planner.js';
import { missingTag, selectClusters, sourceScope } from '../../../src/core/policy/selection.js';
import { backup, cluster, hoursAfter, sourceObservation } from '../../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T05:00:00.000Z');

function config(extra: Record<string, unknown> = {}): SourceConfig {
  return parseConfig({ Source: { Region: 'us-east-1', ClusterNamePattern: 'ALL_CLUSTERS', ...extra } })
    .Source as SourceConfig;
}

const ESTATE = [
  cluster('orders', { tags: { team: 'db', env: 'prod' } }),
  cluster('orders-scratch', { tags: { team: 'db', env: 'dev' } }),
  cluster('billing', { tags: { team: 'finance' } }),
  cluster('untagged'),
  cluster('graph', { engine: 'neptune', tags: { team: 'db' } }),
  cluster('docs', { engine: 'docdb', tags: { team: 'db' } }),
  cluster('legacy', { engine: 'aurora' }),
  cluster('mysql', { engine: 'aurora-mysql', tags: { team: 'db' } }),
  cluster('multi-az', { engine: 'postgres', tags: { team: 'db' } }),
];

describe('selectClusters', () => {
  it('selects only Aurora engines and says why DocumentDB, Neptune and Multi-AZ clusters are left out', () => {
    // Act
    const { selected, leftOut } = selectClusters(ESTATE, { clusterNamePattern: 'ALL_CLUSTERS' });
    // Assess
    expect(selected.map((c) => c.id).sort()).toEqual(
      ['billing', 'legacy', 'mysql', 'orders', 'orders-scratch', 'untagged'].sort(),
    );
    expect(leftOut.map((l) => [l.cluster.id, l.code])).toEqual([
      ['graph', 'not-aurora'],
      ['docs', 'not-aurora'],
      ['multi-az', 'not-aurora'],
    ]);
    expect(leftOut[0]?.reason).toContain('neptune');
  });

  it('with ALL_CLUSTERS the tags alone decide; "*" accepts any value; every tag must match', () => {
    // Act
    const byTeam = selectClusters(ESTATE, {
      clusterNamePattern: 'ALL_CLUSTERS',
      clusterTags: { team: 'db' },
    });
    const anyEnv = selectClusters(ESTATE, { clusterNamePattern: 'ALL_CLUSTERS', clusterTags: { env: '*' } });
    const both = selectClusters(ESTATE, {
      clusterNamePattern: 'ALL_CLUSTERS',
      clusterTags: { team: 'db', env: 'prod' },
    });
    // Assess
    expect(byTeam.selected.map((c) => c.id)).toEqual(['orders', 'orders-scratch', 'mysql']);
    expect(anyEnv.selected.map((c) => c.id)).toEqual(['orders', 'orders-scratch']);
    expect(both.selected.map((c) => c.id)).toEqual(['orders']);
    expect(byTeam.leftOut.find((l) => l.cluster.id === 'billing')?.reason).toContain(
      'has tag team="finance", not "db"',
    );
    expect(byTeam.leftOut.find((l) => l.cluster.id === 'untagged')?.reason).toContain('has no tag team');
  });

  it('combines ClusterTags with ClusterNamePattern by AND, and ExcludeClusterPattern wins over both', () => {
    // Act
    const { selected, leftOut } = selectClusters(ESTATE, {
      clusterNamePattern: '^orders',
      excludeClusterPattern: '-scratch$',
      clusterTags: { team: 'db' },
    });
    // Assess
    expect(selected.map((c) => c.id)).toEqual(['orders']);
    expect(leftOut.map((l) => [l.cluster.id, l.code])).toEqual([['orders-scratch', 'excluded']]);
  });

  it('is case-sensitive in tag keys and values, as RDS is', () => {
    // Act / Assess
    expect(missingTag({ Team: 'db' }, { team: 'db' })).toBe('has no tag team');
    expect(missingTag({ team: 'DB' }, { team: 'db' })).toContain('not "db"');
    expect(missingTag({ team: '' }, { team: '*' })).toBeUndefined();
    expect(missingTag(undefined, {})).toBeUndefined();
  });
});

describe('sourceScope: whose snapshots the job manages', () => {
  it('never the snapshots of a left-out cluster, nor with ClusterTags those of a cluster that is gone', () => {
    // Act
    const plain = sourceScope(ESTATE, {
      clusterNamePattern: 'ALL_CLUSTERS',
      excludeClusterPattern: 'scratch',
    });
    const tagged = sourceScope(ESTATE, { clusterNamePattern: 'ALL_CLUSTERS', clusterTags: { team: 'db' } });
    // Assess
    expect(plain.owns('orders')).toBe(true);
    expect(plain.owns('orders-scratch')).toBe(false);
    expect(plain.owns('graph')).toBe(false);
    expect(plain.owns('deleted-cluster')).toBe(true);
    expect(tagged.owns('orders')).toBe(true);
    expect(tagged.owns('billing')).toBe(false);
    expect(tagged.owns('deleted-cluster')).toBe(false);
  });
});

describe('the source plan', () => {
  it('takes only selected clusters and notes each one the pattern names but the rules leave out', () => {
    // Act
    const plan = planSource(
      sourceObservation({ now: NOW, clusters: ESTATE }),
      config({ ClusterTags: { team: 'db' }, ExcludeClusterPattern: 'scratch' }),
      ['take'],
    );
    // Assess
    expect(plan.actions.map((a) => a.kind === 'take' && a.clusterId)).toEqual(['mysql', 'orders']);
    expect(
      plan.notes
        .filter((n) => ['excluded', 'not-aurora', 'tags-mismatch'].includes(n.code))
        .map((n) => [n.clusterId, n.code]),
    ).toEqual([
      ['billing', 'tags-mismatch'],
      ['docs', 'not-aurora'],
      ['graph', 'not-aurora'],
      ['legacy', 'tags-mismatch'],
      ['multi-az', 'not-aurora'],
      ['orders-scratch', 'excluded'],
      ['untagged', 'tags-mismatch'],
    ]);
  });

  it('says so when the pattern matches clusters but all of them are left out', () => {
    // Act
    const plan = planSource(
      sourceObservation({ now: NOW, clusters: [cluster('graph', { engine: 'neptune' })] }),
      config(),
      ['take'],
    );
    // Assess
    expect(plan.actions).toEqual([]);
    expect(plan.notes.find((n) => n.code === 'no-cluster')?.message).toContain('1 left out');
  });

  it('never deletes the snapshots of an excluded cluster, of another engine, or of a cluster without the tags', () => {
    // Prepare: every cluster has expired backups (30 days old) and a newer one
    const snapshots = ESTATE.flatMap((c) => [
      backup(c.id, hoursAfter(NOW, -24 * 30)),
      backup(c.id, hoursAfter(NOW, -1)),
    ]);
    // Act
    const plan = planSource(
      sourceObservation({ now: NOW, clusters: ESTATE, snapshots }),
      config({ ClusterTags: { team: 'db' }, ExcludeClusterPattern: 'scratch', RetentionDays: 7 }),
      ['delete'],
    );
    // Assess
    expect(plan.actions.map((a) => a.clusterId).sort()).toEqual(['mysql', 'orders']);
  });
});

describe('sourceScope and the reasons, exactly', () => {
  it('never owns the snapshots of an excluded cluster, even once the cluster is gone', () => {
    // Act
    const scope = sourceScope([], { clusterNamePattern: 'ALL_CLUSTERS', excludeClusterPattern: '-test$' });

    // Assess
    expect(scope.owns('orders-test')).toBe(false);
    expect(scope.owns('orders')).toBe(true);
  });

  it('owns by name alone when ClusterTags is empty, gone clusters included', () => {
    // Act
    const scope = sourceScope([], { clusterNamePattern: 'ALL_CLUSTERS', clusterTags: {} });

    // Assess
    expect(scope.owns('orders')).toBe(true);
  });

  it('says why a cluster is left out, naming the setting', () => {
    // Act
    const { leftOut } = selectClusters(
      [cluster('orders-test'), cluster('graph', { engine: 'neptune' }), cluster('blank', { engine: '' })],
      { clusterNamePattern: 'ALL_CLUSTERS', excludeClusterPattern: '-test$' },
    );

    // Assess
    expect(leftOut.map((l) => [l.code, l.reason])).toEqual([
      ['excluded', 'cluster orders-test matches ExcludeClusterPattern "-test$": left out'],
      [
        'not-aurora',
        'cluster graph runs neptune, not Aurora (aurora-postgresql, aurora-mysql, aurora): left out',
      ],
      [
        'not-aurora',
        'cluster blank runs an unknown engine, not Aurora (aurora-postgresql, aurora-mysql, aurora): left out',
      ],
    ]);
  });
});
