// Each snapshot the source pass takes records its cluster's shape in its tags, and every copy in the account carries it.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { shapeFromTags } from '../../../src/core/model/cluster-shape-tags.js';
import { ToolError } from '../../../src/core/model/errors.js';
import type { ClusterInfo, ClusterSettings } from '../../../src/core/model/model.js';
import { MAX_TAGS_PER_RESOURCE, TAG } from '../../../src/core/model/tags.js';
import { runDestinationPass, runSourcePass } from '../../../src/core/plan/pass.js';
import { clustersToShape, recordShapes } from '../../../src/core/plan/source-shape.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryEstate } from '../../support/memory-store.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const OTHER_ACCOUNT = '222222222222';
const KEY_SRC = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';

function sourceConfig(extra: Record<string, unknown> = {}): SourceConfig {
  return parseConfig({ Source: { Region: SRC, ClusterNamePattern: 'prod', ...extra } })
    .Source as SourceConfig;
}

const SETTINGS: ClusterSettings = {
  engineVersion: '15.4',
  members: [
    { id: 'prod-db-1', writer: true, promotionTier: 0 },
    { id: 'prod-db-2', writer: false, promotionTier: 1 },
  ],
  clusterParameterGroup: 'prod-cluster-pg',
  iamDatabaseAuthentication: true,
  logExports: ['postgresql'],
  deletionProtection: true,
  port: 5432,
};

function setup(
  options: { instant?: boolean; clusterTags?: Record<string, string>; encrypted?: boolean } = {},
) {
  const clock = new ManualClock('2025-03-01T00:00:00.000Z');
  const estate = new MemoryEstate({ clock, instant: options.instant ?? false });
  estate.addCluster({
    region: SRC,
    id: 'prod-db',
    tags: options.clusterTags ?? { team: 'payments' },
    ...(options.encrypted ? { encrypted: true, kmsKeyId: 'alias/aws/rds' } : {}),
    settings: SETTINGS,
    instances: [
      {
        id: 'prod-db-1',
        instanceClass: 'db.r6g.large',
        parameterGroup: 'prod-pg',
        performanceInsights: true,
      },
      { id: 'prod-db-2', instanceClass: 'db.r6g.xlarge', parameterGroup: 'prod-pg' },
    ],
  });
  estate.addCluster({
    region: SRC,
    id: 'prod-reports',
    instances: [{ id: 'r-1', instanceClass: 'db.serverless' }],
  });
  return { clock, estate };
}

const PROD_SHAPE = {
  version: 1,
  clusterId: 'prod-db',
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
  instances: [
    {
      id: 'prod-db-1',
      instanceClass: 'db.r6g.large',
      writer: true,
      promotionTier: 0,
      parameterGroup: 'prod-pg',
      performanceInsights: true,
    },
    {
      id: 'prod-db-2',
      instanceClass: 'db.r6g.xlarge',
      writer: false,
      promotionTier: 1,
      parameterGroup: 'prod-pg',
    },
  ],
  clusterParameterGroup: 'prod-cluster-pg',
  iamDatabaseAuthentication: true,
  logExports: ['postgresql'],
  deletionProtection: true,
  port: 5432,
  tags: { team: 'payments' },
};

describe('runSourcePass records the shape of each cluster it takes', () => {
  it('in the tags of the snapshot, with one instance listing for every cluster of the pass', async () => {
    // Prepare
    const { clock, estate } = setup();

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, sourceConfig(), clock, ['take']);

    // Assess
    expect(report.failed).toEqual([]);
    const prod = estate.find('prod-db-2025-03-01-00-00', SRC);
    const reports = estate.find('prod-reports-2025-03-01-00-00', SRC);
    expect(shapeFromTags(prod?.tags ?? {})).toEqual({ shape: PROD_SHAPE });
    expect(shapeFromTags(reports?.tags ?? {}).shape?.instances).toEqual([
      { id: 'r-1', instanceClass: 'db.serverless', writer: true },
    ]);
    expect(estate.calls.listInstances).toBe(1);
    expect(estate.log.find((call) => call.method === 'listInstances')?.args).toEqual([
      ['prod-db', 'prod-reports'],
    ]);
    expect(report.plan.notes.filter((n) => n.code.startsWith('shape'))).toEqual([]);
  });

  it('reads no instances on a pass that takes nothing', async () => {
    // Prepare: both clusters were backed up a moment ago.
    const { clock, estate } = setup();
    await runSourcePass({ source: estate.store(SRC) }, sourceConfig(), clock, ['take']);
    estate.resetCalls();
    clock.advance({ hours: 1 });

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, sourceConfig(), clock, ['take']);

    // Assess
    expect(report.plan.actions).toEqual([]);
    expect(estate.calls.listInstances).toBe(0);
  });

  it('reads no instances on a dry run, which writes nothing', async () => {
    // Prepare
    const { clock, estate } = setup();

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, sourceConfig(), clock, ['take'], {
      dryRun: true,
    });

    // Assess
    expect(report.plan.actions.map((a) => a.kind)).toEqual(['take', 'take']);
    expect(estate.calls.listInstances).toBe(0);
  });

  it('still takes every snapshot, without a shape and with a warning, when the instances cannot be read', async () => {
    // Prepare: an upgraded stack whose role lacks rds:DescribeDBInstances.
    const { clock, estate } = setup();
    estate.failNext(
      'listInstances',
      new ToolError('AccessDenied', 'not authorized to perform rds:DescribeDBInstances'),
    );

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, sourceConfig(), clock, ['take']);

    // Assess
    expect(report.failed).toEqual([]);
    const taken = estate.snapshots({ region: SRC });
    expect(taken.map((s) => s.id).sort()).toEqual([
      'prod-db-2025-03-01-00-00',
      'prod-reports-2025-03-01-00-00',
    ]);
    for (const snapshot of taken) expect(shapeFromTags(snapshot.tags).code).toBe('absent');
    expect(report.plan.notes.filter((n) => n.code === 'shape-unreadable')).toEqual([
      expect.objectContaining({
        level: 'warn',
        clusterId: 'prod-db',
        snapshotId: 'prod-db-2025-03-01-00-00',
        message: expect.stringContaining('AccessDenied: not authorized to perform rds:DescribeDBInstances'),
      }),
      expect.objectContaining({ level: 'warn', clusterId: 'prod-reports' }),
    ]);
  });

  it("leaves the cluster's tags out of the shape, and says so, for a cluster with 50 long tags", async () => {
    // Prepare
    const clusterTags = Object.fromEntries(
      Array.from({ length: 50 }, (_, n) => [
        `tag-${String(n).padStart(2, '0')}-${'k'.repeat(120)}`,
        'v'.repeat(256),
      ]),
    );
    const { clock, estate } = setup({ clusterTags });

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, sourceConfig(), clock, ['take']);

    // Assess
    const prod = estate.find('prod-db-2025-03-01-00-00', SRC);
    expect(shapeFromTags(prod?.tags ?? {}).shape).toEqual({ ...PROD_SHAPE, tags: {}, tagsOmitted: true });
    expect(report.plan.notes).toContainEqual({
      level: 'warn',
      code: 'shape-without-tags',
      clusterId: 'prod-db',
      snapshotId: 'prod-db-2025-03-01-00-00',
      message:
        "prod-db-2025-03-01-00-00 records the shape of prod-db without the cluster's 50 tags, which do not fit in the snapshot's tags beside it",
    });
  });

  it('takes the snapshot without a shape when the configured tags leave no room for it', async () => {
    // Prepare: 38 configured tags and the tool's 7 leave 1 under RDS's 50 once 4 are kept for later.
    const Tags = Object.fromEntries(Array.from({ length: 38 }, (_, n) => [`extra-${n}`, 'x']));
    const { clock, estate } = setup();

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, sourceConfig({ Tags }), clock, [
      'take',
    ]);

    // Assess
    const prod = estate.find('prod-db-2025-03-01-00-00', SRC);
    expect(report.failed).toEqual([]);
    expect(shapeFromTags(prod?.tags ?? {}).code).toBe('absent');
    expect(Object.keys(prod?.tags ?? {}).length).toBeLessThanOrEqual(MAX_TAGS_PER_RESOURCE);
    expect(report.plan.notes).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        code: 'shape-too-large',
        clusterId: 'prod-db',
        message: expect.stringMatching(/more than the 1 the snapshot has room for$/),
      }),
    );
  });
});

describe('the shape travels with every copy in the account', () => {
  it('on the DR copy in the destination region', async () => {
    // Prepare
    const { clock, estate } = setup({ instant: true });
    const config = sourceConfig({ ShareSnapshots: true, DestinationRegion: DST });
    const stores = { source: estate.store(SRC), destination: estate.store(DST) };

    // Act
    const report = await runSourcePass(stores, config, clock, ['take', 'share']);

    // Assess
    expect(report.failed).toEqual([]);
    const copy = estate.find('prod-db-2025-03-01-00-00', DST);
    expect(copy?.tags[TAG.Purpose]).toBe('dr-copy');
    expect(shapeFromTags(copy?.tags ?? {})).toEqual({ shape: PROD_SHAPE });
  });

  it('on the copy re-encrypted in the source region to be shared', async () => {
    // Prepare: an aws/rds-encrypted cluster shared with another account.
    const { clock, estate } = setup({ instant: true, encrypted: true });
    const config = sourceConfig({
      ShareSnapshots: true,
      DestinationAccount: OTHER_ACCOUNT,
      KmsKeySource: KEY_SRC,
    });

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, config, clock, ['take', 'share']);

    // Assess
    expect(report.failed).toEqual([]);
    const copy = estate.snapshots({ region: SRC }).find((s) => s.tags[TAG.Purpose] === 'share');
    expect(copy?.tags[TAG.SourceCluster]).toBe('prod-db');
    expect(shapeFromTags(copy?.tags ?? {})).toEqual({ shape: PROD_SHAPE });
  });
});

describe('a copy in another account', () => {
  it("carries no shape, and the import goes on: the owner's tags are not visible to the vault", async () => {
    // Prepare: the source shares its backups with the vault account in the same region.
    const { clock, estate } = setup({ instant: true });
    const config = sourceConfig({ ShareSnapshots: true, DestinationAccount: OTHER_ACCOUNT });
    await runSourcePass({ source: estate.store(SRC) }, config, clock, ['take', 'share']);
    const vault = parseConfig({
      Destination: { Region: SRC, SnapshotPattern: 'ALL_CLUSTERS', SourceAccount: '111111111111' },
    }).Destination;
    if (vault === undefined) throw new Error('no Destination block');

    // Act
    const report = await runDestinationPass(estate.store(SRC, OTHER_ACCOUNT), vault, clock, ['copy']);

    // Assess
    expect(report.failed).toEqual([]);
    const imported = estate.snapshots({ region: SRC, accountId: OTHER_ACCOUNT });
    expect(imported.map((s) => s.tags[TAG.SourceCluster]).sort()).toEqual(['prod-db', 'prod-reports']);
    for (const copy of imported) expect(shapeFromTags(copy.tags).code).toBe('absent');
  });
});

describe('recordShapes', () => {
  it('leaves copies, shares and deletes as they are', () => {
    // Prepare
    const plan = {
      actions: [
        { kind: 'delete' as const, region: SRC, snapshotId: 'old', clusterId: 'prod-db', reason: 'expired' },
      ],
      notes: [],
    };

    // Act
    const shaped = recordShapes(plan, [], { ok: true, instances: [] });

    // Assess
    expect(shaped.actions).toEqual(plan.actions);
    expect(clustersToShape(plan)).toEqual([]);
  });

  it('asks for the instances of each cluster it takes once, in the order of their ids', () => {
    // Prepare
    const take = (clusterId: string) => ({
      kind: 'take' as const,
      region: SRC,
      clusterId,
      snapshotId: `${clusterId}-2025-03-01-00-00`,
      tags: {},
      reason: 'due',
    });
    const plan = { actions: [take('prod-reports'), take('prod-db'), take('prod-reports')], notes: [] };

    // Act
    const clusters = clustersToShape(plan);

    // Assess
    expect(clusters).toEqual(['prod-db', 'prod-reports']);
  });

  it("takes a snapshot without a shape, and warns, when the cluster's listing does not tell its settings", () => {
    // Prepare: a cluster listed without its settings (no engine version, no members).
    const take = {
      kind: 'take' as const,
      region: SRC,
      clusterId: 'prod-db',
      snapshotId: 'prod-db-2025-03-01-00-00',
      tags: { team: 'payments' },
      reason: 'due',
    };
    const cluster: ClusterInfo = {
      id: 'prod-db',
      arn: 'arn:aws:rds:us-east-1:111111111111:cluster:prod-db',
      engine: 'aurora-postgresql',
      status: 'available',
      encrypted: false,
      kmsKeyId: undefined,
    };

    // Act
    const shaped = recordShapes({ actions: [take], notes: [] }, [cluster], {
      ok: true,
      instances: [],
    });

    // Assess
    expect(shaped.actions).toEqual([take]);
    expect(shaped.notes).toEqual([
      {
        level: 'warn',
        code: 'shape-unreadable',
        message:
          "prod-db-2025-03-01-00-00 is taken without the shape of prod-db: the cluster's listing does not tell its settings",
        clusterId: 'prod-db',
        snapshotId: 'prod-db-2025-03-01-00-00',
      },
    ]);
  });
});
