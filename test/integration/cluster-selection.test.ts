// Cluster selection against moto: ClusterTags from DescribeDBClusters' TagList, ExcludeClusterPattern, and Neptune and Multi-AZ clusters in the estate left alone (moto refuses the docdb engine; the unit tests cover it).
import { describe, expect, it } from 'vitest';
import { createSnapshotStore } from '../../src/aws/index.js';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { runSourcePass } from '../../src/core/plan/pass.js';
import { useMotoBehindFaultProxy } from '../support/moto-fixture.js';

const REGION = 'us-east-1';
const NOW = new Date('2026-04-01T01:00:00Z');

const aws = useMotoBehindFaultProxy({
  seed: 1,
  given: async (estate) => {
    await estate.createCluster(REGION, 'orders', { tags: { team: 'db', env: 'prod' } });
    await estate.createCluster(REGION, 'orders-scratch', { tags: { team: 'db', env: 'dev' } });
    await estate.createCluster(REGION, 'billing', { tags: { team: 'finance' } });
    await estate.createCluster(REGION, 'reports', { engine: 'aurora-mysql', tags: { team: 'db' } });
    await estate.createCluster(REGION, 'graph', { engine: 'neptune', tags: { team: 'db' } });
    await estate.createCluster(REGION, 'multi-az', { engine: 'postgres', tags: { team: 'db' } });
  },
});

function config(extra: Record<string, unknown>): SourceConfig {
  return parseConfig({ Source: { Region: REGION, ClusterNamePattern: 'ALL_CLUSTERS', ...extra } })
    .Source as SourceConfig;
}

async function pass(source: SourceConfig, dryRun = false) {
  const store = createSnapshotStore({
    region: REGION,
    endpoint: aws.proxy.endpoint,
    credentials: aws.moto.credentials,
    retryBaseDelayMs: 1,
  });
  return runSourcePass({ source: store }, source, { now: () => NOW }, ['take', 'delete'], { dryRun });
}

describe('selection on moto', () => {
  it('takes only the Aurora clusters carrying the tags, and never one the exclusion names', async () => {
    // Act
    const report = await pass(config({ ClusterTags: { team: 'db' }, ExcludeClusterPattern: '-scratch$' }));
    // Assess
    const taken = (await aws.estate.snapshots(REGION)).map((s) => s.DBClusterIdentifier).sort();
    expect(taken).toEqual(['orders', 'reports']);
    expect(report.failed).toEqual([]);
    const leftOut = Object.fromEntries(
      report.plan.notes
        .filter((n) => ['excluded', 'not-aurora', 'tags-mismatch'].includes(n.code))
        .map((n) => [n.clusterId, n.code]),
    );
    expect(leftOut).toEqual({
      billing: 'tags-mismatch',
      'multi-az': 'not-aurora',
      graph: 'not-aurora',
      'orders-scratch': 'excluded',
    });
  });

  it('reads the tags from the listing: one DescribeDBClusters call and no ListTagsForResource', async () => {
    // Act
    await pass(config({ ClusterTags: { env: '*' } }), true);
    // Assess
    expect(aws.proxy.total('DescribeDBClusters')).toBe(1);
    expect(aws.proxy.total('ListTagsForResource')).toBe(0);
  });

  it('never touches a Neptune or Multi-AZ (non-Aurora) cluster, even with ALL_CLUSTERS and no tags', async () => {
    // Act
    const report = await pass(config({}));
    // Assess
    const taken = (await aws.estate.snapshots(REGION)).map((s) => s.DBClusterIdentifier).sort();
    expect(taken).toEqual(['billing', 'orders', 'orders-scratch', 'reports']);
    expect(report.plan.notes.filter((n) => n.code === 'not-aurora').map((n) => n.clusterId)).toEqual([
      'graph',
      'multi-az',
    ]);
  });

  it('leaves the expired snapshots of a cluster without the tags alone', async () => {
    // Prepare: two expired tool backups of billing and of orders, and a recent one of each
    for (const id of ['billing', 'orders']) {
      for (const [suffix, at] of [
        ['old-1', '2026-01-01T01:00:00Z'],
        ['old-2', '2026-01-02T01:00:00Z'],
        ['new', '2026-03-31T01:00:00Z'],
      ] as const) {
        await aws.estate.createSnapshot(REGION, {
          clusterId: id,
          snapshotId: `${id}-${suffix}`,
          tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: at, [TAG.SourceCluster]: id },
        });
      }
    }
    // Act
    const report = await pass(config({ ClusterTags: { env: 'prod' }, RetentionDays: 7 }));
    // Assess
    const deleted = report.results.filter((r) => r.action.kind === 'delete' && r.ok);
    expect(deleted.map((r) => r.action.kind === 'delete' && r.action.snapshotId).sort()).toEqual([
      'orders-old-1',
      'orders-old-2',
    ]);
    expect(await aws.estate.snapshotIds(REGION)).toEqual(
      expect.arrayContaining(['billing-old-1', 'billing-old-2']),
    );
  });
});
