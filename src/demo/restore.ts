/**
 * The demo's last act: one cluster restored in the recovery region with the `restore` command's own code (the
 * copy it chooses, the plan, the requests carried out on the virtual clock), and its shape beside the source's,
 * both read back from the emulator.
 */
import {
  type DBCluster,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { AwsClients } from '../aws/clients.js';
import { RdsRecoveryStore } from '../aws/rds-recovery-store.js';
import { tagsFromList } from '../core/model/model.js';
import type { SnapshotStore } from '../core/model/ports.js';
import {
  carryOutRestore,
  chooseRestoreSnapshot,
  planRestore,
  type RestoreOutcome,
  type RestorePlan,
  readCopyShape,
  restoreKeyOf,
} from '../core/restore/index.js';
import type { VirtualClock } from './executor.js';

/**
 * The class the demo gives each instance when the copy carries no shape of the cluster: what a user passes
 * as `restore --instance-class` then.
 */
export const DEMO_INSTANCE_CLASS = 'db.r6g.large';

export interface DemoRestore {
  readonly plan: RestorePlan;
  readonly outcome: RestoreOutcome;
  /** Why the copy was chosen. */
  readonly choice: string;
  /** Why the copy carries no shape, when it carries none. */
  readonly shapeReason?: string | undefined;
  /** Field, source, restored. */
  readonly rows: readonly (readonly [string, string, string])[];
}

/** The settings of a cluster that the restore brings back, as the emulator describes them. */
async function shapeRows(rds: RDSClient, clusterId: string): Promise<Map<string, string>> {
  const cluster: DBCluster | undefined = (
    await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))
  ).DBClusters?.[0];
  const instances = ((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [])
    .filter((i) => i.DBClusterIdentifier === clusterId)
    .map((i) => i.DBInstanceClass ?? '?')
    .sort();
  const tags = Object.entries(tagsFromList(cluster?.TagList))
    .filter(([key]) => !key.startsWith('SnapshotTool:'))
    .map(([key, value]) => `${key}=${value}`)
    .sort();
  const capacity = cluster?.ServerlessV2ScalingConfiguration;
  return new Map([
    ['engine', `${cluster?.Engine ?? '?'} ${cluster?.EngineVersion ?? '?'}`],
    ['instances', instances.length === 0 ? 'none' : instances.join(', ')],
    ['serverless v2', capacity ? `${capacity.MinCapacity}-${capacity.MaxCapacity} ACU` : 'none'],
    ['cluster parameter group', cluster?.DBClusterParameterGroup ?? '?'],
    ['IAM authentication', String(cluster?.IAMDatabaseAuthenticationEnabled ?? false)],
    ['log exports', (cluster?.EnabledCloudwatchLogsExports ?? []).join(', ') || 'none'],
    ['deletion protection', String(cluster?.DeletionProtection ?? false)],
    ['encrypted', String(cluster?.StorageEncrypted ?? false)],
    ['port', String(cluster?.Port ?? '?')],
    ['tags', tags.join(', ') || 'none'],
  ]);
}

/**
 * Restores `clusterId` from its newest copy in `region` under the source's own name, as
 * `aurora-snapshot-tool restore --cluster <clusterId> --region <region>` does (with `--instance-class` when
 * the copy carries no shape), and compares the restored cluster with the source.
 */
export async function restoreOneCluster(input: {
  readonly clusterId: string;
  readonly sourceRegion: string;
  readonly region: string;
  readonly snapshots: SnapshotStore;
  readonly clientsFor: (region: string) => AwsClients;
  readonly clock: VirtualClock;
}): Promise<DemoRestore> {
  const { clusterId, region, clock } = input;
  const choice = chooseRestoreSnapshot({
    snapshots: await input.snapshots.listSnapshots('manual'),
    clusterId,
    region,
  });
  if (!choice.ok) throw new Error(`the demo found no copy of ${clusterId} to restore: ${choice.reason}`);
  const { snapshot } = choice;
  const decoded = readCopyShape(snapshot.tags);
  const store = new RdsRecoveryStore(input.clientsFor(region));
  const facts = await store.regionFacts({
    engine: decoded.shape?.engine ?? snapshot.engine ?? 'aurora-postgresql',
    keyId: restoreKeyOf(snapshot, {}),
  });
  const planned = planRestore({
    snapshot,
    shape: decoded.shape,
    shapeReason: decoded.reason,
    facts,
    recovery: {},
    instanceClass: decoded.shape === undefined ? DEMO_INSTANCE_CLASS : undefined,
  });
  if (!planned.ok) {
    throw new Error(
      `the demo's restore of ${clusterId} was refused: ${planned.refusals.map((r) => `${r.parameter}: ${r.message}`).join('; ')}`,
    );
  }
  // The emulator makes a restore available at once; each poll still moves the virtual clock a minute.
  const outcome = await carryOutRestore(store, planned.plan, {
    clock,
    wait: async () => clock.advance(60_000),
  });
  const source = await shapeRows(input.clientsFor(input.sourceRegion).rds, clusterId);
  const restored = await shapeRows(input.clientsFor(region).rds, outcome.clusterId);
  return {
    plan: planned.plan,
    outcome,
    choice: choice.reason,
    shapeReason: decoded.shape === undefined ? decoded.reason : undefined,
    rows: [...source.keys()].map((field) => [field, source.get(field) ?? '', restored.get(field) ?? '']),
  };
}
