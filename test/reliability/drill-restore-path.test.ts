// The restore drill proves the restore command's own requests: on moto, the RestoreDBClusterFromSnapshot and CreateDBInstance a drill sends (as the SDK sent them, at the API recorder) are exactly what the restore plan builds for the same copy with the drill's overrides written out here, and the cluster moto restored has the source's settings the drill keeps.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsClientsFor } from '../../src/aws/clients.js';
import { RdsRecoveryStore } from '../../src/aws/rds-recovery-store.js';
import { storeFactoryFromEnv } from '../../src/aws/store-factory.js';
import { RESTORE_DRILL_PURPOSE, TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { planRestore } from '../../src/core/restore/index.js';
import { asFunction, recordedCalls, startRecording } from '../support/api-recorder.js';
import { runCli } from '../support/cli.js';
import { prodShape, shapeTags } from '../support/cluster-shapes.js';
import { createEstate, type Estate } from '../support/estate.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { createParameterGroups, createSubnetGroup } from '../support/recovery-region.js';

const REGION = 'us-west-2';
const SNAPSHOT = 'orders-2026-07-05-00-00';
/** The drill command, as the API recorder names who made a call. */
const DRILL_COMMAND = `arn:aws:lambda:${REGION}:123456789012:function:DrillCommand`;
/** The source cluster's shape, recorded on its copy: three instances, its own groups, log exports, protection. */
const SHAPE = prodShape({
  clusterId: 'orders',
  instances: prodShape().instances.map((i) => ({ ...i, id: i.id.replace('prod-db', 'orders') })),
  dbSubnetGroup: 'drill-subnets',
  vpcSecurityGroupIds: [],
});

let moto: MotoServer;
let estate: Estate;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  moto = await startMoto();
  env = { ...process.env, ...moto.env, AURORA_SNAPSHOT_TOOL_DRILL_POLL_SECONDS: '0' };
  delete env.AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT;
});

afterAll(async () => {
  await moto?.stop();
});

/** The drill region's network and cluster parameter group, and the tool's copy of `orders` carrying its shape. */
beforeEach(async () => {
  await moto.reset();
  startRecording(() => moto.endpoint);
  estate = createEstate({ endpoint: moto.endpoint });
  const rds = estate.clients(REGION).rds;
  await createSubnetGroup(rds, moto.endpoint, REGION, 'drill-subnets');
  await createParameterGroups(rds, { cluster: 'prod-cluster-params' });
  await estate.createCluster(REGION, 'orders', { engineVersion: '15.4' });
  await estate.createSnapshot(REGION, {
    clusterId: 'orders',
    snapshotId: SNAPSHOT,
    tags: {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceCluster]: 'orders',
      [TAG.PointInTime]: '2026-07-05T00:00:00Z',
      [TAG.Purpose]: 'dr-copy',
      ...shapeTags(SHAPE),
    },
  });
});

function configFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'drill-path-')), 'tool.json');
  writeFileSync(
    file,
    JSON.stringify({ RestoreDrill: { Region: REGION, SnapshotPattern: '^orders$', LogLevel: 'ERROR' } }),
  );
  return file;
}

describe('the restore drill and the restore command', () => {
  it("send the same requests: the drill's are the restore plan's for its copy with the drill's overrides", async () => {
    // Prepare: what the restore command reads before it plans (the copy, the region's facts)
    const snapshot = (await storeFactoryFromEnv(env)(REGION).listSnapshots('manual')).find(
      (s) => s.id === SNAPSHOT,
    );
    if (snapshot === undefined) throw new Error(`no ${SNAPSHOT}`);
    const recovery = new RdsRecoveryStore(
      awsClientsFor({ region: REGION, endpoint: moto.endpoint, maxAttempts: 1 }),
    );
    const facts = await recovery.regionFacts({ engine: 'aurora-postgresql' });

    // Act: one drill, its cluster kept to be looked at
    const cli = await asFunction(DRILL_COMMAND, () =>
      runCli(['drill', '--config', configFile(), '--keep', '--json'], env),
    );

    // Assess: the requests the SDK sent are the plan's, with the overrides a drill makes
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const drillClusterId = JSON.parse(cli.stdout).drills[0].drillClusterId as string;
    const planned = planRestore({
      snapshot,
      shape: SHAPE,
      facts,
      recovery: {},
      name: drillClusterId,
      instanceClass: 'db.serverless',
      drill: {
        instanceId: `${drillClusterId}-1`,
        tags: {
          [TAG.Purpose]: RESTORE_DRILL_PURPOSE,
          [TAG.SourceCluster]: 'orders',
          [TAG.SourceSnapshot]: snapshot.arn,
        },
        serverlessV2: { MinCapacity: 0.5, MaxCapacity: 1 },
      },
    });
    if (!planned.ok) throw new Error(JSON.stringify(planned.refusals));
    const sent = recordedCalls()
      .filter((c) => c.action === 'RestoreDBClusterFromSnapshot' || c.action === 'CreateDBInstance')
      .map((c) => ({ action: c.action, input: c.input, error: c.error }));
    expect(sent).toEqual(
      planned.plan.requests.map((r) => ({ action: r.action, input: r.input, error: undefined })),
    );
    expect(planned.plan.requests).toHaveLength(2);

    // Assess: what moto restored keeps the source's settings but those a drill overrides
    const rds = estate.clients(REGION).rds;
    const cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: drillClusterId })))
      .DBClusters?.[0];
    expect(cluster).toMatchObject({
      EngineVersion: '15.4',
      DBClusterParameterGroup: 'prod-cluster-params',
      DBSubnetGroup: 'drill-subnets',
      IAMDatabaseAuthenticationEnabled: true,
      Port: 5433,
      DeletionProtection: false,
    });
    expect(cluster?.EnabledCloudwatchLogsExports ?? []).toEqual([]);
    const instances = (await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
    expect(
      instances
        .filter((i) => i.DBClusterIdentifier === drillClusterId)
        .map((i) => [i.DBInstanceIdentifier, i.DBInstanceClass]),
    ).toEqual([[`${drillClusterId}-1`, 'db.serverless']]);
  });
});
