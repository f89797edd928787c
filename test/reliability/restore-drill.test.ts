// Restore drills against moto through the restore gate: the RestoreDrill state machine (aws-local-stepfunctions, the real handlers) and `aurora-snapshot-tool drill` restore the newest copy, tag it, delete what they created and nothing else, converge after a killed drill, and fail naming the snapshot.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restoreStoreFactoryFromEnv, storeFactoryFromEnv } from '../../src/aws/store-factory.js';
import type { Clock } from '../../src/core/model/ports.js';
import { RESTORE_DRILL_PURPOSE, TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { setRestoreStoreFactory } from '../../src/handlers/drill-runtime.js';
import { HANDLERS } from '../../src/handlers/index.js';
import { DRILL_FUNCTIONS } from '../../src/handlers/names.js';
import { setClock, setStoreFactory } from '../../src/handlers/runtime.js';
import { DRILL_STATES, restoreDrillStateMachineDefinition } from '../../src/state-machines/restore-drill.js';
import { functionRole, refusedCalls } from '../infra/support/call-authorization.js';
import type { Statement } from '../infra/support/iam-simulator.js';
import { committedTemplates } from '../infra/support/role-policies.js';
import { type ExecutionOutcome, execute, type LambdaHandler } from '../state-machine/execute.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { describeRecordedCallsAllowed } from '../state-machine/recorded-calls-iam.js';
import { recordedCalls, startRecording } from '../support/api-recorder.js';
import { runCli } from '../support/cli.js';
import { type ClusterOptions, createEstate, type Estate } from '../support/estate.js';
import { ManualClock } from '../support/manual-clock.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { createSubnetGroup } from '../support/recovery-region.js';
import { type RestoreGate, startRestoreGate } from './support/restore-gate.js';

const REGION = 'us-west-2';
const NOW = new Date('2026-07-05T03:00:00Z');
const DRILL = `orders-snapshot-tool-drill-202607050300`;
const arn = (name: string) => `arn:aws:lambda:${REGION}:123456789012:function:${name}`;
const DEFINITION = restoreDrillStateMachineDefinition({
  start: arn('StartRestoreDrill'),
  check: arn('CheckRestoreDrill'),
  record: arn('RecordRestoreDrill'),
  cleanup: arn('CleanupRestoreDrill'),
});
const FUNCTIONS: Record<string, LambdaHandler> = Object.fromEntries(
  DRILL_FUNCTIONS.map((name) => [arn(name), HANDLERS[name]]),
);

let moto: MotoServer;
let gate: RestoreGate;
let estate: Estate;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  moto = await startMoto();
  gate = await startRestoreGate(moto.endpoint);
  env = {
    ...process.env,
    ...moto.env,
    AWS_ENDPOINT_URL: gate.endpoint,
    AURORA_SNAPSHOT_TOOL_DRILL_POLL_SECONDS: '0',
  };
  delete env.AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT;
  startRecording(() => moto.endpoint);
});

afterAll(async () => {
  await gate?.stop();
  await moto?.stop();
});

/** Copies of `orders` made by the tool in the drill region: an older and a newer one, and a hand-made snapshot newer still. */
beforeEach(async () => {
  await moto.reset();
  gate.releaseAll();
  estate = createEstate({ endpoint: moto.endpoint });
  await estate.createCluster(REGION, 'orders');
  const copy = (id: string, at: string) =>
    estate.createSnapshot(REGION, {
      clusterId: 'orders',
      snapshotId: id,
      tags: {
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.SourceCluster]: 'orders',
        [TAG.PointInTime]: at,
        [TAG.Purpose]: 'dr-copy',
      },
    });
  await copy('orders-2026-07-04-00-00', '2026-07-04T00:00:00Z');
  await copy('orders-2026-07-05-00-00', '2026-07-05T00:00:00Z');
  await estate.createSnapshot(REGION, { clusterId: 'orders', snapshotId: 'orders-by-hand' });
});

/** Another cluster of the drill region (its engine version, its key) with one copy the tool made. */
async function clusterWithCopy(clusterId: string, options: ClusterOptions): Promise<string> {
  await estate.createCluster(REGION, clusterId, options);
  const snapshotId = `${clusterId}-2026-07-05-00-00`;
  await estate.createSnapshot(REGION, {
    clusterId,
    snapshotId,
    tags: {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceCluster]: clusterId,
      [TAG.PointInTime]: '2026-07-05T00:00:00Z',
    },
  });
  return snapshotId;
}

function input(extra: Record<string, unknown> = {}) {
  return { RestoreDrill: { Region: REGION, SnapshotPattern: '^orders$', LogLevel: 'INFO', ...extra } };
}

async function runDrill(
  executionInput: unknown,
  clock: Clock = { now: () => new Date(NOW) },
): Promise<ExecutionOutcome & { output2: CapturedOutput }> {
  setStoreFactory(storeFactoryFromEnv(env));
  setRestoreStoreFactory(restoreStoreFactoryFromEnv(env));
  setClock(clock);
  const output = captureStdout();
  try {
    const outcome = await execute(DEFINITION, executionInput, FUNCTIONS);
    return { ...outcome, output2: output };
  } finally {
    output.restore();
    setClock(undefined);
    setStoreFactory(undefined);
    setRestoreStoreFactory(undefined);
  }
}

async function clusters(): Promise<{ id: string; tags: Record<string, string> }[]> {
  const out = await estate.clients(REGION).rds.send(new DescribeDBClustersCommand({}));
  return (out.DBClusters ?? []).map((c) => ({
    id: c.DBClusterIdentifier ?? '',
    tags: Object.fromEntries((c.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  }));
}

async function instances(): Promise<string[]> {
  const out = await estate.clients(REGION).rds.send(new DescribeDBInstancesCommand({}));
  return (out.DBInstances ?? []).map((i) => i.DBInstanceIdentifier ?? '');
}

async function snapshotTags(id: string): Promise<Record<string, string>> {
  const found = (await estate.snapshots(REGION)).find((s) => s.DBClusterSnapshotIdentifier === id);
  return Object.fromEntries((found?.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

describe('the RestoreDrill state machine', () => {
  it('restores the newest copy with one instance, tags the snapshot, publishes the metrics and deletes what it created', async () => {
    // Act
    const outcome = await runDrill(input());

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    const started = outcome.results(DRILL_STATES.start)[0] as {
      targets: { snapshotId: string; drillClusterId: string }[];
    };
    expect(started.targets.map((t) => [t.snapshotId, t.drillClusterId])).toEqual([
      ['orders-2026-07-05-00-00', DRILL],
    ]);
    const restore = outcome.invocations.find((i) => i.state === DRILL_STATES.check && i.result);
    expect(restore?.result).toMatchObject({ state: 'available' });
    expect(await snapshotTags('orders-2026-07-05-00-00')).toMatchObject({
      [TAG.RestoreVerified]: NOW.toISOString(),
      [TAG.RestoreMinutes]: '1',
    });
    expect(await snapshotTags('orders-2026-07-04-00-00')).not.toHaveProperty(TAG.RestoreVerified);
    expect((await clusters()).map((c) => c.id)).toEqual(['orders']);
    expect(await instances()).toEqual([]);
    expect(gate.deletes()).toEqual([`${DRILL}-1`, DRILL]);
    const [restoreCall, instanceCall] = gate.creates();
    expect(restoreCall?.action).toBe('RestoreDBClusterFromSnapshot');
    expect(restoreCall?.params).toMatchObject({
      DBClusterIdentifier: DRILL,
      SnapshotIdentifier: 'orders-2026-07-05-00-00',
      Engine: 'aurora-postgresql',
      DeletionProtection: 'false',
      'ServerlessV2ScalingConfiguration.MinCapacity': '0.5',
      'Tags.Tag.1.Key': TAG.Purpose,
      'Tags.Tag.1.Value': RESTORE_DRILL_PURPOSE,
      'Tags.Tag.3.Key': TAG.SourceSnapshot,
    });
    expect(restoreCall?.params.EngineVersion).toBeDefined();
    expect(instanceCall?.params).toMatchObject({
      DBInstanceIdentifier: `${DRILL}-1`,
      DBClusterIdentifier: DRILL,
      DBInstanceClass: 'db.serverless',
      PubliclyAccessible: 'false',
      'Tags.Tag.1.Value': RESTORE_DRILL_PURPOSE,
    });
    expect(outcome.output2.metric('RestoreDrillSucceeded', { ClusterId: 'orders' })).toEqual([1]);
    expect(outcome.output2.metric('RestoreMinutes', { ClusterId: 'orders' })).toEqual([1]);
  });

  it('fails naming the snapshot when the restore stays creating past MaxRestoreMinutes, and deletes it all the same', async () => {
    // Prepare: the gate reports the drill cluster and instance creating for ever
    gate.hold(/-drill-/, 'creating');

    // Act: the restore stays creating; the state machine times out past MaxRestoreMinutes (10), polling every 10 minutes
    const clock = new ManualClock(NOW);
    const outcome = await runDrill(input({ MaxRestoreMinutes: '10' }), {
      now: () => {
        const at = clock.now();
        clock.advance({ minutes: 4 });
        return at;
      },
    });

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('RestoreTimedOut');
    expect(outcome.cause).toMatch(
      /SnapshotPattern \^orders\$: RestoreTimedOut: .*snapshot orders-2026-07-05-00-00 took more than MaxRestoreMinutes \(10\)/,
    );
    expect(outcome.retries(DRILL_STATES.check).length).toBeGreaterThan(0);
    expect(outcome.retries(DRILL_STATES.check).every((e) => e === 'RestoreNotReady')).toBe(true);
    // Deleted all the same, and the snapshot is not marked verified
    expect((await clusters()).map((c) => c.id)).toEqual(['orders']);
    expect(await instances()).toEqual([]);
    expect(await snapshotTags('orders-2026-07-05-00-00')).not.toHaveProperty(TAG.RestoreVerified);
    expect(outcome.output2.metric('RestoreDrillSucceeded', { ClusterId: 'orders' })).toEqual([0]);
  });

  it('fails the execution naming the snapshot when the restore is refused, and leaves nothing behind', async () => {
    // Prepare
    gate.refuseRestores(/-drill-/, 'KMSKeyNotAccessibleFault', 'The specified KMS key is disabled.');

    // Act
    const outcome = await runDrill(input());

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('RestoreFailed');
    expect(outcome.cause).toMatch(
      /restore drill of snapshot orders-2026-07-05-00-00 \(cluster orders, us-west-2\) failed/,
    );
    expect((await clusters()).map((c) => c.id)).toEqual(['orders']);
    expect(outcome.output2.metric('RestoreDrillSucceeded', { SnapshotPattern: '^orders$' })).toEqual([0]);
  });

  it('fails naming the pattern and the region when no copy made by the tool matches', async () => {
    // Act
    const outcome = await runDrill(input({ SnapshotPattern: '^payments$' }));

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('RestoreFailed');
    expect(outcome.cause).toMatch(
      /no available snapshot made by the tool matches SnapshotPattern \^payments\$ in us-west-2/,
    );
  });

  it('converges after a drill killed once its restore started: the next drill deletes the leftovers and succeeds', async () => {
    // Prepare: a drill of the day before that died after starting (its cluster and instance remain)
    setStoreFactory(storeFactoryFromEnv(env));
    setRestoreStoreFactory(restoreStoreFactoryFromEnv(env));
    setClock({ now: () => new Date('2026-07-04T03:00:00Z') });
    try {
      await HANDLERS.StartRestoreDrill({ config: input() });
    } finally {
      setClock(undefined);
      setStoreFactory(undefined);
      setRestoreStoreFactory(undefined);
    }
    expect((await clusters()).map((c) => c.id).sort()).toEqual([
      'orders',
      'orders-snapshot-tool-drill-202607040300',
    ]);

    // Act
    const outcome = await runDrill(input());

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect((await clusters()).map((c) => c.id)).toEqual(['orders']);
    expect(await instances()).toEqual([]);
    expect(gate.deletes()).toContain('orders-snapshot-tool-drill-202607040300');
  });

  it('never deletes a cluster or instance named like a drill that lacks the drill tag, nor a tagged one named otherwise', async () => {
    // Prepare: an untagged look-alike (and its instance), one tagged for another purpose, and one with the
    // drill tag under a name a drill never gives (the drill role may not delete it: the drill leaves it)
    const rds = estate.clients(REGION).rds;
    await rds.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: 'orders-snapshot-tool-drill-202601010000',
        SnapshotIdentifier: 'orders-by-hand',
        Engine: 'aurora-postgresql',
      }),
    );
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'orders-snapshot-tool-drill-202601010000-1',
        DBClusterIdentifier: 'orders-snapshot-tool-drill-202601010000',
        DBInstanceClass: 'db.serverless',
        Engine: 'aurora-postgresql',
      }),
    );
    await rds.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: 'orders-snapshot-tool-drill-202601020000',
        SnapshotIdentifier: 'orders-by-hand',
        Engine: 'aurora-postgresql',
        Tags: [{ Key: TAG.Purpose, Value: 'backup' }],
      }),
    );
    await rds.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: 'orders-drill-202601030000',
        SnapshotIdentifier: 'orders-by-hand',
        Engine: 'aurora-postgresql',
        Tags: [{ Key: TAG.Purpose, Value: RESTORE_DRILL_PURPOSE }],
      }),
    );

    // Act
    const outcome = await runDrill(input());
    const cli = await runCli(['drill', '--config', configFile(), '--cleanup', '--json'], env);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(cli.code).toBe(0);
    expect((await clusters()).map((c) => c.id).sort()).toEqual([
      'orders',
      'orders-drill-202601030000',
      'orders-snapshot-tool-drill-202601010000',
      'orders-snapshot-tool-drill-202601020000',
    ]);
    expect(await instances()).toEqual(['orders-snapshot-tool-drill-202601010000-1']);
    expect(gate.deletes().filter((id) => /2026010[123]/.test(id))).toEqual([]);
  });

  it('restores onto db.serverless with its capacity range where the engine version offers Serverless v2', async () => {
    // Prepare
    await clusterWithCopy('ledger', { engineVersion: '15.2' });

    // Act
    const outcome = await runDrill(input({ SnapshotPattern: '^ledger$' }));

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    const [restoreCall, instanceCall] = gate.creates();
    expect(restoreCall?.params).toMatchObject({
      EngineVersion: '15.2',
      'ServerlessV2ScalingConfiguration.MinCapacity': '0.5',
      'ServerlessV2ScalingConfiguration.MaxCapacity': '1',
    });
    expect(instanceCall?.params.DBInstanceClass).toBe('db.serverless');
    const started = outcome.results(DRILL_STATES.start)[0] as { targets: Record<string, unknown>[] };
    expect(started.targets[0]).toMatchObject({ instanceClass: 'db.serverless' });
    expect(started.targets[0]).not.toHaveProperty('instanceClassNote');
  });

  it('restores a version without Serverless v2 onto the smallest class it offers, without serverless capacity, and says why', async () => {
    // Prepare: RDS offers no db.serverless for Aurora PostgreSQL 13.4
    await clusterWithCopy('ledger', { engineVersion: '13.4' });

    // Act
    const outcome = await runDrill(input({ SnapshotPattern: '^ledger$' }));

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    const [restoreCall, instanceCall] = gate.creates();
    expect(Object.keys(restoreCall?.params ?? {}).filter((k) => k.startsWith('ServerlessV2'))).toEqual([]);
    expect(instanceCall?.params.DBInstanceClass).toBe('db.t4g.medium');
    const note =
      'aurora-postgresql 13.4 in us-west-2 has no Serverless v2 (db.serverless): the drill uses db.t4g.medium, the smallest class offered for it';
    const started = outcome.results(DRILL_STATES.start)[0] as { targets: Record<string, unknown>[] };
    expect(started.targets[0]).toMatchObject({ instanceClass: 'db.t4g.medium', instanceClassNote: note });
    expect(outcome.output2.logs()).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'drill instance class', note }),
    );
  });

  it('refuses an InstanceClass the engine version does not offer, naming the version and what it offers, and creates nothing', async () => {
    // Prepare
    await clusterWithCopy('ledger', { engineVersion: '13.4' });

    // Act
    const outcome = await runDrill(input({ SnapshotPattern: '^ledger$', InstanceClass: 'db.r7g.large' }));

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('RestoreFailed');
    expect(outcome.cause).toMatch(
      /snapshot ledger-2026-07-05-00-00 .* failed: ConfigError: RestoreDrill\.InstanceClass: db\.r7g\.large is not offered for aurora-postgresql 13\.4 in us-west-2 .*set InstanceClass to one that is: db\.t4g\.medium, db\.t3\.medium, /,
    );
    expect(gate.creates()).toEqual([]);
  });

  it('says how to create the RDS service-linked role when a fresh account lacks it', async () => {
    // Prepare: RDS's answer when it may not create AWSServiceRoleForRDS for the caller
    gate.refuseRestores(
      /-drill-/,
      'InvalidParameterValue',
      'Unable to create the resource. Verify that you have permission to create service linked role. Otherwise wait and try again later.',
    );

    // Act
    const outcome = await runDrill(input());

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('RestoreFailed');
    expect(outcome.cause).toMatch(
      /snapshot orders-2026-07-05-00-00 .* failed: ServiceLinkedRoleMissing: RestoreDBClusterFromSnapshot in us-west-2: RDS could not create its service-linked role AWSServiceRoleForRDS.*aws iam create-service-linked-role --aws-service-name rds\.amazonaws\.com.*iam:AWSServiceName = rds\.amazonaws\.com/,
    );
  });

  it('restores an encrypted copy with its key into a subnet group and security groups', async () => {
    // Prepare
    const key = await estate.createKey(REGION, 'disaster-recovery copies');
    await clusterWithCopy('ledger', { engineVersion: '15.2', kmsKeyId: key.arn });
    await createSubnetGroup(estate.clients(REGION).rds, moto.endpoint, REGION, 'drill-subnets');

    // Act
    const outcome = await runDrill(
      input({
        SnapshotPattern: '^ledger$',
        DBSubnetGroupName: 'drill-subnets',
        VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      }),
    );

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(gate.creates()[0]?.params).toMatchObject({
      KmsKeyId: key.arn,
      DBSubnetGroupName: 'drill-subnets',
      'VpcSecurityGroupIds.VpcSecurityGroupId.1': 'sg-0123456789abcdef0',
    });
  });
});

function configFile(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'drill-'));
  const file = join(dir, 'tool.json');
  writeFileSync(file, JSON.stringify(input({ LogLevel: 'ERROR', ...extra })));
  return file;
}

describe('aurora-snapshot-tool drill', () => {
  it('restores the newest copy, tags it, deletes what it created and reports it as JSON', async () => {
    // Act
    const cli = await runCli(['drill', '--config', configFile(), '--json'], env);

    // Assess
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const result = JSON.parse(cli.stdout);
    expect(result).toMatchObject({
      succeeded: true,
      region: REGION,
      drills: [{ clusterId: 'orders', snapshotId: 'orders-2026-07-05-00-00', kept: false }],
      remaining: 0,
    });
    expect(result.drills[0].drillClusterId).toMatch(/^orders-snapshot-tool-drill-\d{12}$/);
    expect(await snapshotTags('orders-2026-07-05-00-00')).toHaveProperty(TAG.RestoreVerified);
    expect((await clusters()).map((c) => c.id)).toEqual(['orders']);
  });

  it('--snapshot restores the named snapshot; --keep leaves the cluster, says how to delete it, and --cleanup does', async () => {
    // Act
    const kept = await runCli(
      ['drill', '--config', configFile(), '--snapshot', 'orders-2026-07-04-00-00', '--keep'],
      env,
    );
    const left = await clusters();
    const cleanup = await runCli(['drill', '--config', configFile(), '--cleanup'], env);

    // Assess
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(
      /restoring orders-2026-07-04-00-00 \(cluster orders\) into orders-snapshot-tool-drill-\d{12}/,
    );
    expect(kept.stdout).toMatch(
      /kept orders-snapshot-tool-drill-\d{12} for inspection; delete it with: aurora-snapshot-tool drill --config .* --cleanup/,
    );
    expect(left.filter((c) => c.tags[TAG.Purpose] === RESTORE_DRILL_PURPOSE)).toHaveLength(1);
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toMatch(/deleted drill instance orders-snapshot-tool-drill-\d{12}-1/);
    expect((await clusters()).map((c) => c.id)).toEqual(['orders']);
  });

  it('exits 1 naming the snapshot when the restore fails, and exits 2 without a RestoreDrill block', async () => {
    // Prepare
    gate.refuseRestores(/-drill-/, 'InsufficientDBClusterCapacityFault', 'no capacity');
    const noDrill = join(mkdtempSync(join(tmpdir(), 'drill-')), 'tool.json');
    writeFileSync(noDrill, JSON.stringify({ Destination: { Region: REGION, SnapshotPattern: 'orders' } }));

    // Act
    const failed = await runCli(['drill', '--config', configFile()], env);
    const missing = await runCli(['drill', '--config', noDrill], env);

    // Assess
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/RestoreFailed: restore drill of snapshot orders-2026-07-05-00-00/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/drill needs a RestoreDrill block/);
  });

  it('status, --json and the HTML report show the last successful drill per cluster and its restore time beside the recovery point, and warn when none is recent', async () => {
    // Prepare: the source side's cluster, and a configuration with both blocks
    await estate.createCluster('us-east-1', 'orders');
    const dir = mkdtempSync(join(tmpdir(), 'drill-status-'));
    const file = join(dir, 'tool.json');
    writeFileSync(
      file,
      JSON.stringify({
        Source: {
          Region: 'us-east-1',
          ClusterNamePattern: '^orders$',
          ShareSnapshots: 'TRUE',
          DestinationRegion: REGION,
        },
        ...input({ LogLevel: 'ERROR' }),
      }),
    );
    const html = join(dir, 'report.html');

    // Act
    const before = await runCli(['status', '--config', file], env);
    const drill = await runCli(['drill', '--config', file], env);
    const after = await runCli(['status', '--config', file, '--json', '--html', html], env);

    // Assess
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(
      /^ {2}recovery: {8}point orders-2026-07-05-00-00 \([^)]+ old\); restore time not measured \(no successful restore drill recorded\)$/m,
    );
    expect(after.stderr).toBe('');
    expect(before.stdout).toMatch(/Restore drills in us-west-2 \(0 3 \? \* SUN \*, every 168h\)/);
    expect(before.stdout).toMatch(/WARNING: orders has no successful restore drill within 336h/);
    expect(drill.code).toBe(0);
    const status = JSON.parse(after.stdout);
    const drilledAt = status.restoreDrills.clusters[0].lastDrill.at;
    expect(status.clusters).toEqual([
      expect.objectContaining({
        clusterId: 'orders',
        recoveryPoint: expect.objectContaining({ id: 'orders-2026-07-05-00-00', region: REGION }),
        restoreTime: { minutes: 1, drilledAt, snapshotId: 'orders-2026-07-05-00-00', region: REGION },
      }),
    ]);
    const text = await runCli(['status', '--config', file], env);
    expect(text.stdout).toContain(`  recovery:        point orders-2026-07-05-00-00 (`);
    expect(text.stdout).toMatch(
      new RegExp(
        `; restore time 1 min \\(last drill ${drilledAt.slice(0, 16).replace('T', ' ')} UTC, orders-2026-07-05-00-00 in us-west-2\\)$`,
        'm',
      ),
    );
    expect(status.restoreDrills).toMatchObject({
      region: REGION,
      periodHours: 168,
      clusters: [
        {
          clusterId: 'orders',
          overdue: false,
          lastDrill: { snapshotId: 'orders-2026-07-05-00-00', region: REGION, minutes: 1 },
        },
      ],
    });
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<section id="restore-drills">');
    expect(page).toMatch(
      /<section id="recovery-objectives">[\s\S]*<tr data-cluster="orders"><td>orders<\/td><td class="n">[^<]+<\/td><td>orders-2026-07-05-00-00 \(us-west-2\)<\/td><td class="n" data-restore-minutes="1">1 min<\/td>/,
    );
    expect(page).toMatch(
      /<tr data-cluster="orders" data-overdue="false"><td>orders<\/td><td>[^<]+<\/td><td>orders-2026-07-05-00-00<\/td>/,
    );
  });
});

describeRecordedCallsAllowed(
  [
    'StartRestoreDrill DescribeDBClusters',
    'StartRestoreDrill DescribeDBInstances',
    'StartRestoreDrill DescribeDBClusterSnapshots',
    'StartRestoreDrill DescribeOrderableDBInstanceOptions',
    'StartRestoreDrill DescribeDBSubnetGroups',
    'StartRestoreDrill DescribeDBClusterParameterGroups',
    'StartRestoreDrill DescribeDBParameterGroups',
    'StartRestoreDrill DescribeKey',
    'StartRestoreDrill RestoreDBClusterFromSnapshot',
    'StartRestoreDrill CreateDBInstance',
    'CheckRestoreDrill DescribeDBClusters',
    'CheckRestoreDrill DescribeDBInstances',
    'RecordRestoreDrill AddTagsToResource',
    'CleanupRestoreDrill DeleteDBInstance',
    'CleanupRestoreDrill DeleteDBCluster',
  ],
  [
    ['rds:RestoreDBClusterFromSnapshot', 'StartRestoreDrill rds:RestoreDBClusterFromSnapshot'],
    ['rds:CreateDBInstance', 'StartRestoreDrill rds:CreateDBInstance'],
    ['rds:DescribeOrderableDBInstanceOptions', 'StartRestoreDrill rds:DescribeOrderableDBInstanceOptions'],
    ['rds:DescribeDBSubnetGroups', 'StartRestoreDrill rds:DescribeDBSubnetGroups'],
    ['kms:DescribeKey', 'StartRestoreDrill kms:DescribeKey'],
    ['rds:DeleteDBCluster', 'CleanupRestoreDrill rds:DeleteDBCluster'],
    ['kms:CreateGrant', 'StartRestoreDrill rds:RestoreDBClusterFromSnapshot'],
  ],
);

describe('IAM: the drill role and the groups RDS gives a drill cluster and its instance', () => {
  it("would refuse the restores and instances above without the engine's default parameter and option groups", async () => {
    // Prepare: the role as it was before it named the default groups
    const roleOf = functionRole(committedTemplates());
    const withoutGroups = (statement: Statement): Statement => {
      const resources = [statement.Resource ?? []].flat().filter((r) => !/:(cluster-pg|pg|og):/.test(r));
      return { ...statement, Resource: resources };
    };

    // Act
    const refused = await refusedCalls(recordedCalls(), (fn) => roleOf(fn).map(withoutGroups));

    // Assess
    const denied = refused.flatMap((verdict) => verdict.denied).join('\n');
    expect(denied).toMatch(
      /rds:RestoreDBClusterFromSnapshot on arn:aws:rds:us-west-2:\d{12}:cluster-pg:default\.aurora-postgresql15/,
    );
    expect(denied).toMatch(
      /rds:RestoreDBClusterFromSnapshot on arn:aws:rds:us-west-2:\d{12}:og:default:aurora-postgresql-15/,
    );
    expect(denied).toMatch(
      /rds:CreateDBInstance on arn:aws:rds:us-west-2:\d{12}:pg:default\.aurora-postgresql13/,
    );
    expect(denied).toMatch(
      /rds:CreateDBInstance on arn:aws:rds:us-west-2:\d{12}:og:default:aurora-postgresql-13/,
    );
  });
});
