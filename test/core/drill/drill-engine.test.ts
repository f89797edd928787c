// The restore drill's steps over in-memory ports: what start restores and creates (the restore command's requests with the drill's overrides, and what it leaves alone), how check reads the restores, what record tags, and what a clean-up deletes; each step converging after an interrupted one.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  checkDrill,
  cleanupDrills,
  type DrillRestoreSettings,
  type DrillRun,
  recordDrill,
  startDrill,
} from '../../../src/core/drill/drill-engine.js';
import type { DrillResource, DrillTarget } from '../../../src/core/drill/index.js';
import { ToolError } from '../../../src/core/model/errors.js';
import type { EngineLogger } from '../../../src/core/model/ports.js';
import { RESTORE_DRILL_PURPOSE, TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { prodShape, shapeTags } from '../../support/cluster-shapes.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryRestoreStore } from '../../support/memory-restore-store.js';
import { MemoryEstate } from '../../support/memory-store.js';
import { rejection as rejectionOf } from '../../support/rejection.js';

const REGION = 'us-west-2';
const NOW = '2026-07-05T03:00:00.000Z';
const DRILL = 'orders-snapshot-tool-drill-202607050300';
const DRILL_TAG = { [TAG.Purpose]: RESTORE_DRILL_PURPOSE };
const SETTINGS: DrillRestoreSettings = {
  Region: REGION,
  SnapshotPattern: '^orders$',
  MaxRestoreMinutes: 30,
  InstanceClass: 'db.r6g.large',
  DBSubnetGroupName: 'drill-subnets',
  VpcSecurityGroupIds: ['sg-1', 'sg-2'],
};

interface Logged {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

function recordingLogger(): EngineLogger & { readonly lines: Logged[] } {
  const lines: Logged[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const cluster = (
  id: string,
  tags: Record<string, string> = DRILL_TAG,
  status = 'available',
): DrillResource => ({
  kind: 'cluster',
  id,
  status,
  tags,
});
const instance = (
  id: string,
  clusterId: string,
  tags: Record<string, string> = DRILL_TAG,
  status = 'available',
): DrillResource => ({ kind: 'instance', id, clusterId, status, tags });

let clock: ManualClock;
let estate: MemoryEstate;
let restore: MemoryRestoreStore;

/** A DR copy of `orders` made by the tool in the drill region, at `at`. */
function copyOf(
  id: string,
  at: string,
  fields: { status?: string; kmsKeyId?: string; clusterId?: string; engineVersion?: string } = {},
) {
  const clusterId = fields.clusterId ?? 'orders';
  return estate.putSnapshot({
    region: REGION,
    id,
    ...fields,
    clusterId,
    tags: {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceCluster]: clusterId,
      [TAG.PointInTime]: at,
      [TAG.Purpose]: 'dr-copy',
    },
  });
}

beforeEach(() => {
  clock = new ManualClock(NOW);
  estate = new MemoryEstate({ clock });
  restore = new MemoryRestoreStore(REGION);
  restore.facts = { ...restore.facts, subnetGroups: [{ name: 'drill-subnets', family: 'vpc-1' }] };
});

/** The tags of everything this drill of `snapshotArn` creates. */
const drillTagsOf = (snapshotArn: string) => ({
  [TAG.Purpose]: RESTORE_DRILL_PURPOSE,
  [TAG.SourceCluster]: 'orders',
  [TAG.SourceSnapshot]: snapshotArn,
});
const apiTagsOf = (tags: Record<string, string>) =>
  Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] }));

const stores = () => ({ snapshots: estate.store(REGION), restore });

describe('startDrill', () => {
  it("restores the newest copy into its drill cluster with the restore command's requests and the drill's overrides, then adds the one instance, both tagged", async () => {
    // Prepare
    copyOf('orders-2026-07-04-01-00', '2026-07-04T01:00:00Z');
    const newest = copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z', { kmsKeyId: 'key-dr' });
    const logger = recordingLogger();

    // Act
    const run = await startDrill(stores(), SETTINGS, clock, { logger });

    // Assess
    const tags = {
      [TAG.Purpose]: RESTORE_DRILL_PURPOSE,
      [TAG.SourceCluster]: 'orders',
      [TAG.SourceSnapshot]: newest.arn,
    };
    expect(restore.calls.map((c) => c.method)).toEqual([
      'listDrillResources',
      'regionFacts',
      'restoreCluster',
      'createInstance',
    ]);
    expect(restore.called('regionFacts')[0]?.args).toEqual([
      { engine: 'aurora-postgresql', keyId: 'key-dr' },
    ]);
    expect(restore.called('restoreCluster')[0]?.args).toEqual([
      {
        DBClusterIdentifier: DRILL,
        SnapshotIdentifier: 'orders-2026-07-05-01-00',
        Engine: 'aurora-postgresql',
        DBSubnetGroupName: 'drill-subnets',
        VpcSecurityGroupIds: ['sg-1', 'sg-2'],
        KmsKeyId: 'key-dr',
        EnableIAMDatabaseAuthentication: false,
        EnableCloudwatchLogsExports: [],
        DeletionProtection: false,
        Tags: apiTagsOf(tags),
        CopyTagsToSnapshot: true,
      },
    ]);
    expect(restore.called('createInstance')[0]?.args).toEqual([
      {
        DBInstanceIdentifier: `${DRILL}-1`,
        DBClusterIdentifier: DRILL,
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
        PubliclyAccessible: false,
        Tags: apiTagsOf(tags),
      },
    ]);
    expect(run).toEqual({
      startedAt: NOW,
      cleaned: [],
      targets: [
        expect.objectContaining({
          clusterId: 'orders',
          snapshotId: 'orders-2026-07-05-01-00',
          drillClusterId: DRILL,
          drillInstanceId: `${DRILL}-1`,
        }),
      ],
    });
    const fields = { clusterId: 'orders', snapshotId: 'orders-2026-07-05-01-00', drillClusterId: DRILL };
    expect(logger.lines.filter((l) => l.message !== 'drill restore note')).toEqual([
      {
        level: 'info',
        message: 'drill restore started',
        fields: { ...fields, drillInstanceId: `${DRILL}-1` },
      },
    ]);
    expect(logger.lines.filter((l) => l.message === 'drill restore note').map((l) => l.fields?.note)).toEqual(
      [
        expect.stringMatching(/^the cluster's shape is unknown \(the snapshot records no cluster shape\)/),
        expect.stringMatching(/^Recovery.VpcSecurityGroupIds not checked before the restore/),
      ],
    );
  });

  it("with the source's shape recorded on the copy, restores its cluster settings as the restore command would, with one instance of the drill's class and none of what makes a drill costly or lasting", async () => {
    // Prepare: a copy carrying the shape of a three-instance cluster with its own groups, log exports and tags
    const copy = estate.putSnapshot({
      region: REGION,
      id: 'orders-2026-07-05-01-00',
      clusterId: 'orders',
      engineVersion: '15.4',
      tags: {
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.SourceCluster]: 'orders',
        [TAG.PointInTime]: '2026-07-05T01:00:00Z',
        ...shapeTags(prodShape({ clusterId: 'orders', serverlessV2: { min: 2, max: 64 } })),
      },
    });
    restore.facts = {
      ...restore.facts,
      clusterParameterGroups: [{ name: 'prod-cluster-params' }],
      instanceParameterGroups: [{ name: 'prod-instance-params' }],
    };

    // Act
    await startDrill(stores(), { ...SETTINGS, InstanceClass: 'db.serverless' }, clock);

    // Assess
    const tags = apiTagsOf(drillTagsOf(copy.arn));
    expect(restore.called('restoreCluster').map((c) => c.args[0])).toEqual([
      {
        DBClusterIdentifier: DRILL,
        SnapshotIdentifier: 'orders-2026-07-05-01-00',
        Engine: 'aurora-postgresql',
        EngineVersion: '15.4',
        DBSubnetGroupName: 'drill-subnets',
        VpcSecurityGroupIds: ['sg-1', 'sg-2'],
        DBClusterParameterGroupName: 'prod-cluster-params',
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: [],
        DeletionProtection: false,
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 1 },
        Port: 5433,
        Tags: tags,
        CopyTagsToSnapshot: true,
      },
    ]);
    expect(restore.called('createInstance').map((c) => c.args[0])).toEqual([
      {
        DBInstanceIdentifier: `${DRILL}-1`,
        DBClusterIdentifier: DRILL,
        DBInstanceClass: 'db.serverless',
        Engine: 'aurora-postgresql',
        PromotionTier: 0,
        PubliclyAccessible: false,
        Tags: tags,
      },
    ]);
  });

  it('restores with serverless capacity for a db.serverless instance', async () => {
    // Prepare
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');

    // Act
    await startDrill(stores(), { ...SETTINGS, InstanceClass: 'db.serverless' }, clock);

    // Assess
    expect(restore.called('restoreCluster')[0]?.args[0]).toMatchObject({
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 1 },
    });
    expect(restore.called('createInstance')[0]?.args[0]).toMatchObject({ DBInstanceClass: 'db.serverless' });
  });

  it('restores only from the manual snapshots of the account, never one shared with it', async () => {
    // Prepare: a newer copy another account shared; the account's own copy is older
    copyOf('orders-2026-07-04-01-00', '2026-07-04T01:00:00Z');
    estate.putSnapshot({
      region: REGION,
      id: 'orders-2026-07-05-01-00',
      clusterId: 'orders',
      accountId: '222222222222',
      sharedWith: ['111111111111'],
      tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'orders' },
    });

    // Act
    const run = await startDrill(stores(), SETTINGS, clock);

    // Assess
    expect(run.targets.map((t) => t.snapshotId)).toEqual(['orders-2026-07-04-01-00']);
    expect(estate.calls.listSnapshots).toBe(1);
  });

  it('restores the snapshot named by snapshotId instead of the newest', async () => {
    // Prepare
    copyOf('orders-2026-07-04-01-00', '2026-07-04T01:00:00Z');
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');

    // Act
    const run = await startDrill(stores(), SETTINGS, clock, { snapshotId: 'orders-2026-07-04-01-00' });

    // Assess
    expect(restore.called('restoreCluster')[0]?.args[0]).toMatchObject({
      SnapshotIdentifier: 'orders-2026-07-04-01-00',
    });
    expect(run.targets.map((t) => t.snapshotId)).toEqual(['orders-2026-07-04-01-00']);
  });

  it('fails with RestoreFailed naming the reason and the region when nothing can be restored, and creates nothing', async () => {
    // Prepare: only a copy still copying
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z', { status: 'copying' });

    // Act
    const error = await rejectionOf(startDrill(stores(), SETTINGS, clock));

    // Assess
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({
      name: 'RestoreFailed',
      message: `restore drill: no available snapshot made by the tool matches SnapshotPattern ^orders$ in ${REGION}`,
      details: { region: REGION },
    });
    expect(restore.called('restoreCluster')).toEqual([]);
    expect(restore.called('createInstance')).toEqual([]);
  });

  it('deletes the leftovers of earlier drills first (instances, then empty clusters), never an untagged cluster', async () => {
    // Prepare
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.put(cluster('orders-snapshot-tool-drill-202606280300'));
    restore.put(
      instance('orders-snapshot-tool-drill-202606280300-1', 'orders-snapshot-tool-drill-202606280300'),
    );
    restore.put(cluster('orders-snapshot-tool-drill-202606210300'));
    restore.put(cluster('orders', {}));
    restore.put(instance('orders-1', 'orders', {}));
    const logger = recordingLogger();

    // Act
    const run = await startDrill(stores(), SETTINGS, clock, { logger });

    // Assess
    expect(run.cleaned).toEqual([
      { kind: 'instance', id: 'orders-snapshot-tool-drill-202606280300-1' },
      { kind: 'cluster', id: 'orders-snapshot-tool-drill-202606210300' },
    ]);
    expect(restore.called('deleteInstance').map((c) => c.args)).toEqual([
      ['orders-snapshot-tool-drill-202606280300-1'],
    ]);
    expect(restore.called('deleteCluster').map((c) => c.args)).toEqual([
      ['orders-snapshot-tool-drill-202606210300'],
    ]);
    expect(restore.get('cluster', 'orders')).toBeDefined();
    expect(restore.get('instance', 'orders-1')).toBeDefined();
    expect(logger.lines.slice(0, 2)).toEqual([
      {
        level: 'info',
        message: 'drill instance deleted',
        fields: { region: REGION, instanceId: 'orders-snapshot-tool-drill-202606280300-1' },
      },
      {
        level: 'info',
        message: 'drill cluster deleted',
        fields: { region: REGION, clusterId: 'orders-snapshot-tool-drill-202606210300' },
      },
    ]);
  });

  it('after an interrupted start, creates only what is missing: the instance of a tagged drill cluster already restored', async () => {
    // Prepare: the cluster of this drill exists (restore started, then the step was killed)
    const copy = copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.put(cluster(DRILL, drillTagsOf(copy.arn), 'creating'));

    // Act
    const run = await startDrill(stores(), SETTINGS, clock);

    // Assess
    expect(restore.called('restoreCluster')).toEqual([]);
    expect(
      restore
        .called('createInstance')
        .map((c) => (c.args[0] as { DBInstanceIdentifier: string }).DBInstanceIdentifier),
    ).toEqual([`${DRILL}-1`]);
    expect(run.targets).toHaveLength(1);
  });

  it('after an interrupted start with both created, restores and creates nothing again', async () => {
    // Prepare: cluster and instance of this drill are being created (RDS refuses to delete them meanwhile)
    const copy = copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.put(cluster(DRILL, drillTagsOf(copy.arn), 'creating'));
    restore.put(instance(`${DRILL}-1`, DRILL, drillTagsOf(copy.arn), 'creating'));

    // Act
    const run = await startDrill(stores(), SETTINGS, clock);

    // Assess
    expect(restore.called('restoreCluster')).toEqual([]);
    expect(restore.called('createInstance')).toEqual([]);
    expect(run.cleaned).toEqual([]);
    expect(restore.get('cluster', DRILL)?.status).toBe('creating');
  });

  it("refuses, as the restore command does and before any create, the drill's names taken by a cluster and an instance that are not this drill's restore", async () => {
    // Prepare: a cluster under the drill's name being deleted, not restored from this copy
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.put(cluster(DRILL, DRILL_TAG, 'deleting'));
    // an instance (not a cluster) under the drill cluster's name does not stand for the cluster
    restore.put(instance(DRILL, 'elsewhere', DRILL_TAG, 'deleting'));
    restore.put(instance(`${DRILL}-1`, 'elsewhere', {}));

    // Act
    const error = await rejectionOf(startDrill(stores(), SETTINGS, clock));

    // Assess
    expect(error).toMatchObject({ name: 'RestoreFailed', details: { drillClusterId: DRILL } });
    expect((error as Error).message).toContain(
      `restore drill of snapshot orders-2026-07-05-01-00 (cluster orders, ${REGION}) failed: ConfigError:`,
    );
    expect((error as Error).message).toContain(`--name: a cluster ${DRILL} already exists in ${REGION}`);
    expect((error as Error).message).toContain(
      `the instance name ${DRILL}-1 it gives is in use in ${REGION}`,
    );
    expect(restore.called('restoreCluster')).toEqual([]);
    expect(restore.called('createInstance')).toEqual([]);
  });

  it('does not take a tagged instance under the drill cluster name for the drill cluster', async () => {
    // Prepare
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.failNext('deleteInstance', new ToolError('ResourceBusy', 'busy'));
    restore.put(instance(DRILL, 'elsewhere', DRILL_TAG, 'available'));

    // Act
    await startDrill(stores(), SETTINGS, clock);

    // Assess
    expect(restore.called('restoreCluster')).toHaveLength(1);
  });

  it('treats ResourceAlreadyExists from the restore as done and still adds the instance', async () => {
    // Prepare: the cluster exists but the listing did not show it (created between the listing and the call)
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.failNext('restoreCluster', new ToolError('ResourceAlreadyExists', `cluster ${DRILL} exists`));

    // Act
    const run = await startDrill(stores(), SETTINGS, clock);

    // Assess
    expect(restore.called('createInstance')).toHaveLength(1);
    expect(run.targets).toHaveLength(1);
  });

  it('fails with RestoreFailed naming the snapshot, the cluster, the region and the cause when a restore is refused', async () => {
    // Prepare
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    const cause = new ToolError('AccessDenied', 'not authorized to perform rds:RestoreDBClusterFromSnapshot');
    restore.failNext('restoreCluster', cause);

    // Act
    const error = await rejectionOf(startDrill(stores(), SETTINGS, clock));

    // Assess
    expect(error).toMatchObject({
      name: 'RestoreFailed',
      message: `restore drill of snapshot orders-2026-07-05-01-00 (cluster orders, ${REGION}) failed: AccessDenied: not authorized to perform rds:RestoreDBClusterFromSnapshot`,
      cause,
      details: { clusterId: 'orders', snapshotId: 'orders-2026-07-05-01-00', drillClusterId: DRILL },
    });
    expect(restore.called('createInstance')).toEqual([]);
  });

  it('fails with RestoreFailed when the instance is refused, naming a cause that is not an Error as is', async () => {
    // Prepare
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.failNext('createInstance', 'throttled');

    // Act
    const error = await rejectionOf(startDrill(stores(), SETTINGS, clock));

    // Assess
    expect(error).toMatchObject({
      name: 'RestoreFailed',
      message: `restore drill of snapshot orders-2026-07-05-01-00 (cluster orders, ${REGION}) failed: throttled`,
    });
  });

  it('converges on a leftover already gone or still busy, and stops on any other error of the clean-up', async () => {
    // Prepare
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.put(
      instance('orders-snapshot-tool-drill-202606010000-1', 'orders-snapshot-tool-drill-202606010000'),
    );
    restore.put(cluster('orders-snapshot-tool-drill-202606010000'));
    restore.put(cluster('orders-snapshot-tool-drill-202605010000'));
    restore.failNext('deleteInstance', new ToolError('ResourceNotFound', 'gone'));
    const logger = recordingLogger();

    // Act: the instance is already gone; its cluster is not planned (it had an instance at listing time)
    const run = await startDrill(stores(), SETTINGS, clock, { logger });

    // Assess
    expect(run.cleaned).toEqual([{ kind: 'cluster', id: 'orders-snapshot-tool-drill-202605010000' }]);
    expect(restore.called('restoreCluster')).toHaveLength(1);

    // Prepare: a clean-up refused for another reason
    restore.put(cluster('orders-snapshot-tool-drill-202604010000'));
    restore.failNext('deleteCluster', new ToolError('AccessDenied', 'no rds:DeleteDBCluster'));

    // Act
    const error = await rejectionOf(startDrill(stores(), SETTINGS, clock));

    // Assess
    expect(error).toMatchObject({ name: 'AccessDenied' });
  });
});

describe('checkDrill', () => {
  const target = (snapshotId: string, drillClusterId: string): DrillTarget => ({
    clusterId: 'orders',
    region: REGION,
    snapshotId,
    snapshotArn: `arn:aws:rds:${REGION}:111111111111:cluster-snapshot:${snapshotId}`,
    engine: 'aurora-postgresql',
    engineVersion: undefined,
    kmsKeyId: undefined,
    drillClusterId,
    drillInstanceId: `${drillClusterId}-1`,
  });
  const run: DrillRun = {
    startedAt: '2026-07-05T03:00:00.000Z',
    targets: [
      target('snap-a', 'a-snapshot-tool-drill-202607050300'),
      target('snap-b', 'b-snapshot-tool-drill-202607050300'),
    ],
  };
  const both = (id: string, clusterStatus: string, instanceStatus: string) => {
    restore.put(cluster(id, DRILL_TAG, clusterStatus));
    restore.put(instance(`${id}-1`, id, DRILL_TAG, instanceStatus));
  };

  it('is available with the minutes each restore took, in the order of the run, once every cluster and instance is', async () => {
    // Prepare
    both('a-snapshot-tool-drill-202607050300', 'available', 'available');
    both('b-snapshot-tool-drill-202607050300', 'available', 'available');
    clock.set('2026-07-05T03:12:30Z');

    // Act
    const check = await checkDrill(restore, run, SETTINGS, clock);

    // Assess
    expect(check).toEqual({ state: 'available', minutes: [13, 13] });
    expect(restore.called('describeDrill').map((c) => c.args)).toEqual([
      ['a-snapshot-tool-drill-202607050300', 'a-snapshot-tool-drill-202607050300-1'],
      ['b-snapshot-tool-drill-202607050300', 'b-snapshot-tool-drill-202607050300-1'],
    ]);
  });

  it('is not ready while one restore is coming, naming the first one waited for', async () => {
    // Prepare
    both('a-snapshot-tool-drill-202607050300', 'creating', 'creating');
    both('b-snapshot-tool-drill-202607050300', 'available', 'modifying');
    clock.set('2026-07-05T03:05:00Z');

    // Act
    const error = await rejectionOf(checkDrill(restore, run, SETTINGS, clock));

    // Assess
    expect(error).toMatchObject({
      name: 'RestoreNotReady',
      message:
        'restore drill not ready: cluster a-snapshot-tool-drill-202607050300 is creating (snapshot snap-a, 5 minutes)',
    });
  });

  it('fails naming the snapshot when a later restore failed, even while an earlier one is still coming', async () => {
    // Prepare
    both('a-snapshot-tool-drill-202607050300', 'creating', 'creating');
    both('b-snapshot-tool-drill-202607050300', 'incompatible-restore', 'creating');
    clock.set('2026-07-05T03:05:00Z');

    // Act
    const error = await rejectionOf(checkDrill(restore, run, SETTINGS, clock));

    // Assess
    expect(error).toMatchObject({
      name: 'RestoreFailed',
      message:
        'cluster b-snapshot-tool-drill-202607050300 (restored from snapshot snap-b) is incompatible-restore',
      details: { snapshotId: 'snap-b', clusterId: 'orders', region: REGION },
    });
  });

  it('times out past MaxRestoreMinutes counted from the run start, naming the snapshot', async () => {
    // Prepare
    both('a-snapshot-tool-drill-202607050300', 'available', 'available');
    both('b-snapshot-tool-drill-202607050300', 'available', 'creating');

    // Act: 30 minutes is still within MaxRestoreMinutes (30); 31 is past it
    clock.set('2026-07-05T03:30:00Z');
    const within = await rejectionOf(checkDrill(restore, run, SETTINGS, clock));
    clock.set('2026-07-05T03:30:01Z');
    const past = await rejectionOf(checkDrill(restore, run, SETTINGS, clock));

    // Assess
    expect(within).toMatchObject({ name: 'RestoreNotReady' });
    expect(past).toMatchObject({
      name: 'RestoreTimedOut',
      message:
        'the restore of snapshot snap-b took more than MaxRestoreMinutes (30): instance b-snapshot-tool-drill-202607050300-1 is creating after 31 minutes',
      details: { snapshotId: 'snap-b', clusterId: 'orders', region: REGION },
    });
  });
});

describe('recordDrill', () => {
  it('tags each restored snapshot with the time of the record and the minutes its own restore took', async () => {
    // Prepare
    const a = copyOf('orders-2026-07-04-01-00', '2026-07-04T01:00:00Z');
    const b = copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    const asTarget = (arn: string) => ({ snapshotArn: arn }) as DrillTarget;
    clock.set('2026-07-05T03:20:00Z');

    // Act
    await recordDrill(
      estate.store(REGION),
      { startedAt: NOW, targets: [asTarget(a.arn), asTarget(b.arn), asTarget(a.arn)] },
      { state: 'available', minutes: [12, 19] },
      clock,
    );

    // Assess: a third target with no minutes records 0 (and, here, overwrites the first)
    expect(estate.find(b.arn)?.tags).toMatchObject({
      [TAG.RestoreVerified]: '2026-07-05T03:20:00.000Z',
      [TAG.RestoreMinutes]: '19',
    });
    expect(estate.find(a.arn)?.tags).toMatchObject({ [TAG.RestoreMinutes]: '0' });
  });
});

describe('cleanupDrills', () => {
  it('deletes every drill-tagged instance and empty drill cluster but those kept, and counts what remains after', async () => {
    // Prepare
    restore.put(cluster('a-snapshot-tool-drill-202607050300'));
    restore.put(instance('a-snapshot-tool-drill-202607050300-1', 'a-snapshot-tool-drill-202607050300'));
    restore.put(cluster('b-snapshot-tool-drill-202607050300'));
    restore.put(cluster('kept-snapshot-tool-drill-202607050300'));
    restore.put(instance('kept-snapshot-tool-drill-202607050300-1', 'kept-snapshot-tool-drill-202607050300'));
    restore.put(cluster('orders', {}));
    const logger = recordingLogger();

    // Act
    const result = await cleanupDrills(restore, {
      keep: new Set(['kept-snapshot-tool-drill-202607050300']),
      logger,
    });

    // Assess: a-snapshot-tool-drill-202607050300 waits for its instance to go; kept-snapshot-tool-drill-202607050300 and orders are not touched
    expect(result).toEqual({
      deleted: [
        { kind: 'instance', id: 'a-snapshot-tool-drill-202607050300-1' },
        { kind: 'cluster', id: 'b-snapshot-tool-drill-202607050300' },
      ],
      remaining: 1,
    });
    expect(restore.get('cluster', 'kept-snapshot-tool-drill-202607050300')).toBeDefined();
    expect(restore.get('instance', 'kept-snapshot-tool-drill-202607050300-1')).toBeDefined();
    expect(restore.called('listDrillResources')).toHaveLength(2);
    expect(logger.lines.map((l) => l.message)).toEqual(['drill instance deleted', 'drill cluster deleted']);
  });

  it('lists once and reports the planned count when nothing was deleted', async () => {
    // Prepare: a drill cluster whose deletion is under way
    restore.put(cluster('a-snapshot-tool-drill-202607050300', DRILL_TAG, 'deleting'));

    // Act
    const result = await cleanupDrills(restore);

    // Assess
    expect(result).toEqual({ deleted: [], remaining: 1 });
    expect(restore.called('listDrillResources')).toHaveLength(1);
  });

  it('waits for a cluster RDS still calls busy, logging it, and goes on with the others', async () => {
    // Prepare
    restore.put(cluster('a-snapshot-tool-drill-202607050300'));
    restore.put(cluster('b-snapshot-tool-drill-202607050300'));
    restore.failNext(
      'deleteCluster',
      new ToolError('ResourceBusy', 'a-snapshot-tool-drill-202607050300 has instances'),
    );
    const logger = recordingLogger();

    // Act
    const result = await cleanupDrills(restore, { logger });

    // Assess
    expect(result).toEqual({
      deleted: [{ kind: 'cluster', id: 'b-snapshot-tool-drill-202607050300' }],
      remaining: 1,
    });
    expect(logger.lines[0]).toEqual({
      level: 'info',
      message: 'drill cluster not deletable yet',
      fields: { region: REGION, id: 'a-snapshot-tool-drill-202607050300' },
    });
  });

  it('decides the instance class of every restore before it restores any: a refused one creates nothing', async () => {
    // Prepare: RDS offers db.serverless for 16.4, and only provisioned classes for 13.4
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z', { engineVersion: '16.4' });
    copyOf('payments-2026-07-05-01-00', '2026-07-05T01:00:00Z', {
      clusterId: 'payments',
      engineVersion: '13.4',
    });
    restore.orderable.set('aurora-postgresql 16.4', ['db.serverless', 'db.t4g.medium']);
    restore.orderable.set('aurora-postgresql 13.4', ['db.r6g.large', 'db.t4g.medium']);
    const settings = { ...SETTINGS, SnapshotPattern: 'ALL_CLUSTERS', InstanceClass: 'db.serverless' };

    // Act
    const run = await startDrill(stores(), settings, clock);
    const refused = await rejectionOf(
      startDrill(stores(), { ...settings, InstanceClass: 'db.r7g.large' }, clock),
      ToolError,
    );

    // Assess
    expect(run.targets.map((t) => [t.clusterId, t.instanceClass])).toEqual([
      ['orders', 'db.serverless'],
      ['payments', 'db.t4g.medium'],
    ]);
    const [orders, payments] = restore.called('restoreCluster').map((c) => c.args[0]);
    expect(orders).toMatchObject({
      EngineVersion: '16.4',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 1 },
    });
    expect(payments).toMatchObject({ EngineVersion: '13.4' });
    expect(payments).not.toHaveProperty('ServerlessV2ScalingConfiguration');
    expect(restore.called('createInstance').map((c) => c.args[0])).toEqual([
      expect.objectContaining({ DBInstanceClass: 'db.serverless' }),
      expect.objectContaining({ DBInstanceClass: 'db.t4g.medium' }),
    ]);
    expect(restore.called('orderableInstanceClasses').map((c) => c.args[0])).toEqual([
      { engine: 'aurora-postgresql', engineVersion: '16.4', instanceClass: 'db.serverless' },
      { engine: 'aurora-postgresql', engineVersion: '13.4', instanceClass: 'db.serverless' },
      { engine: 'aurora-postgresql', engineVersion: '13.4' },
      { engine: 'aurora-postgresql', engineVersion: '16.4', instanceClass: 'db.r7g.large' },
      { engine: 'aurora-postgresql', engineVersion: '16.4' },
    ]);
    expect(refused.name).toBe('RestoreFailed');
    expect(refused.message).toMatch(
      /snapshot orders-2026-07-05-01-00 .* failed: ConfigError: RestoreDrill\.InstanceClass: db\.r7g\.large is not offered for aurora-postgresql 16\.4 in us-west-2 .*: db\.t4g\.medium, db\.serverless \(got "db\.r7g\.large"\)/,
    );
    // The second drill deleted the first one's leftovers and restored nothing
    expect(restore.called('restoreCluster')).toHaveLength(2);
  });
});

describe('startDrill: what it asks and what it says', () => {
  it('reads the facts of the region once per engine and key, however many snapshots share them', async () => {
    // Prepare: two unencrypted copies and two under different keys
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    copyOf('payments-2026-07-05-01-00', '2026-07-05T01:00:00Z', { clusterId: 'payments' });
    copyOf('billing-2026-07-05-01-00', '2026-07-05T01:00:00Z', { clusterId: 'billing', kmsKeyId: 'key-one' });
    copyOf('ledger-2026-07-05-01-00', '2026-07-05T01:00:00Z', { clusterId: 'ledger', kmsKeyId: 'key-two' });

    // Act
    const run = await startDrill(stores(), { ...SETTINGS, SnapshotPattern: 'ALL_CLUSTERS' }, clock);

    // Assess
    expect(run.targets).toHaveLength(4);
    expect(restore.called('regionFacts').map((c) => c.args[0])).toEqual([
      { engine: 'aurora-postgresql', keyId: 'key-one' },
      { engine: 'aurora-postgresql', keyId: 'key-two' },
      { engine: 'aurora-postgresql', keyId: undefined },
    ]);
  });

  it('logs a restore resumed from what an interrupted start created, and no resume on a fresh start', async () => {
    // Prepare: the cluster of this drill exists (restore started, then the step was killed)
    const copy = copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    restore.put(cluster(DRILL, drillTagsOf(copy.arn), 'creating'));
    const resumed = recordingLogger();
    const fresh = recordingLogger();

    // Act
    await startDrill(stores(), SETTINGS, clock, { logger: resumed });
    clock.advance({ minutes: 1 });
    await startDrill(stores(), SETTINGS, clock, { logger: fresh });

    // Assess
    const fields = { clusterId: 'orders', snapshotId: 'orders-2026-07-05-01-00', drillClusterId: DRILL };
    expect(resumed.lines.filter((l) => l.message.includes('resumed'))).toEqual([
      { level: 'info', message: 'drill restore resumed', fields: { ...fields, existing: [DRILL] } },
    ]);
    expect(fresh.lines.map((l) => l.message)).not.toContain('drill restore resumed');
  });

  it('names a RestoreFailed that carries no cause as itself', async () => {
    // Prepare
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z');
    const refusal = new ToolError('RestoreFailed', 'the region cannot be read');
    restore.failNext('regionFacts', refusal);

    // Act
    const error = await rejectionOf(startDrill(stores(), SETTINGS, clock));

    // Assess
    expect(error).toMatchObject({
      name: 'RestoreFailed',
      message: `restore drill of snapshot orders-2026-07-05-01-00 (cluster orders, ${REGION}) failed: RestoreFailed: the region cannot be read`,
      cause: refusal,
    });
  });

  it('warns of a fallback instance class and carries its note on that target only', async () => {
    // Prepare: RDS offers db.serverless for 16.4, and only provisioned classes for 13.4
    copyOf('orders-2026-07-05-01-00', '2026-07-05T01:00:00Z', { engineVersion: '16.4' });
    copyOf('payments-2026-07-05-01-00', '2026-07-05T01:00:00Z', {
      clusterId: 'payments',
      engineVersion: '13.4',
    });
    restore.orderable.set('aurora-postgresql 16.4', ['db.serverless', 'db.t4g.medium']);
    restore.orderable.set('aurora-postgresql 13.4', ['db.r6g.large', 'db.t4g.medium']);
    const settings = { ...SETTINGS, SnapshotPattern: 'ALL_CLUSTERS', InstanceClass: 'db.serverless' };
    const logger = recordingLogger();

    // Act
    const run = await startDrill(stores(), settings, clock, { logger });

    // Assess
    const note =
      'aurora-postgresql 13.4 in us-west-2 has no Serverless v2 (db.serverless): the drill uses db.t4g.medium, the smallest class offered for it';
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'drill instance class',
        fields: { snapshotId: 'payments-2026-07-05-01-00', instanceClass: 'db.t4g.medium', note },
      },
    ]);
    const [orders, payments] = run.targets;
    expect(orders).not.toHaveProperty('instanceClassNote');
    expect(payments).toMatchObject({ instanceClass: 'db.t4g.medium', instanceClassNote: note });
  });
});
