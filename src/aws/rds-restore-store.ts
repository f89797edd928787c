/**
 * The restore drill's store over the AWS SDK v3: what a drill does in one region (list its resources, watch
 * and delete them), every failure a typed ToolError naming the cluster or instance; the restore itself (the
 * region's facts, the cluster and its instance) goes through the restore command's RdsRecoveryStore.
 */
import {
  type DBCluster,
  type DBInstance,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeOrderableDBInstanceOptions,
} from '@aws-sdk/client-rds';
import type { DrillResource } from '../core/drill/index.js';
import { ToolError } from '../core/model/errors.js';
import { tagsFromList } from '../core/model/model.js';
import type { DrillStatus, OrderableQuery, RestoreStore } from '../core/model/ports.js';
import type {
  CreateInstanceRequest,
  RecoveryRegionFacts,
  RestoreClusterRequest,
  RestoreSender,
} from '../core/restore/index.js';
import type { AwsClients } from './clients.js';
import { awsErrorCode, translateAwsError } from './errors.js';
import { RdsRecoveryStore } from './rds-recovery-store.js';
import { PAGE_SIZE } from './rds-snapshot-store.js';

const NOT_FOUND = new Set(['DBClusterNotFound', 'DBInstanceNotFound']);
const ALREADY_EXISTS = new Set(['DBClusterAlreadyExists', 'DBInstanceAlreadyExists']);
const BUSY = new Set(['InvalidDBClusterState', 'InvalidDBInstanceState']);

export class RdsRestoreStore implements RestoreStore, RestoreSender {
  readonly region: string;
  /** The restore command's adapter: a drill restores with exactly its calls. */
  private readonly recovery: RdsRecoveryStore;

  constructor(private readonly clients: AwsClients) {
    this.region = clients.region;
    this.recovery = new RdsRecoveryStore(clients);
  }

  regionFacts(input: { engine: string; keyId?: string | undefined }): Promise<RecoveryRegionFacts> {
    return this.recovery.regionFacts(input);
  }

  restoreCluster(request: RestoreClusterRequest): Promise<void> {
    return this.recovery.restoreCluster(request);
  }

  createInstance(request: CreateInstanceRequest): Promise<void> {
    return this.recovery.createInstance(request);
  }

  async listDrillResources(): Promise<DrillResource[]> {
    const resources: DrillResource[] = [];
    await this.call({ operation: 'DescribeDBClusters' }, async () => {
      for await (const page of paginateDescribeDBClusters(
        { client: this.clients.rds, pageSize: PAGE_SIZE },
        {},
      )) {
        for (const cluster of page.DBClusters ?? []) resources.push(clusterResource(cluster));
      }
    });
    await this.call({ operation: 'DescribeDBInstances' }, async () => {
      for await (const page of paginateDescribeDBInstances(
        { client: this.clients.rds, pageSize: PAGE_SIZE },
        {},
      )) {
        for (const instance of page.DBInstances ?? []) resources.push(instanceResource(instance));
      }
    });
    return resources;
  }

  async orderableInstanceClasses(input: OrderableQuery): Promise<string[]> {
    const classes = new Set<string>();
    await this.call({ operation: 'DescribeOrderableDBInstanceOptions' }, async () => {
      for await (const page of paginateDescribeOrderableDBInstanceOptions(
        { client: this.clients.rds, pageSize: PAGE_SIZE },
        {
          Engine: input.engine,
          EngineVersion: input.engineVersion,
          ...(input.instanceClass !== undefined ? { DBInstanceClass: input.instanceClass } : {}),
        },
      )) {
        for (const option of page.OrderableDBInstanceOptions ?? []) {
          const found = option.DBInstanceClass;
          // Kept to the class asked for, whatever the answer holds (moto ignores DBInstanceClass).
          if (found !== undefined && (input.instanceClass ?? found) === found) classes.add(found);
        }
      }
    });
    return [...classes];
  }

  async describeDrill(clusterId: string, instanceId: string): Promise<DrillStatus> {
    const cluster = await this.optional(() =>
      this.call({ operation: 'DescribeDBClusters', clusterId }, () =>
        this.clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })),
      ),
    );
    const instance = await this.optional(() =>
      this.call({ operation: 'DescribeDBInstances', clusterId }, () =>
        this.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId })),
      ),
    );
    return {
      clusterStatus: cluster?.DBClusters?.[0]?.Status,
      instanceStatus: instance?.DBInstances?.[0]?.DBInstanceStatus,
    };
  }

  async deleteInstance(instanceId: string): Promise<void> {
    await this.call({ operation: 'DeleteDBInstance', clusterId: instanceId }, () =>
      this.clients.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: instanceId })),
    );
  }

  async deleteCluster(clusterId: string): Promise<void> {
    await this.call({ operation: 'DeleteDBCluster', clusterId }, () =>
      this.clients.rds.send(
        new DeleteDBClusterCommand({ DBClusterIdentifier: clusterId, SkipFinalSnapshot: true }),
      ),
    );
  }

  /** Undefined when the call says the cluster or instance does not exist. */
  private async optional<T>(act: () => Promise<T>): Promise<T | undefined> {
    try {
      return await act();
    } catch (error) {
      if (error instanceof Error && error.name === 'ResourceNotFound') return undefined;
      throw error;
    }
  }

  private async call<T>(
    context: { operation: string; clusterId?: string; snapshotId?: string },
    act: () => Promise<T>,
  ): Promise<T> {
    try {
      return await act();
    } catch (error) {
      throw (
        drillError(error, context, this.region) ??
        translateAwsError(error, { ...context, region: this.region })
      );
    }
  }
}

function clusterResource(cluster: DBCluster): DrillResource {
  return {
    kind: 'cluster',
    id: cluster.DBClusterIdentifier ?? '',
    status: cluster.Status ?? 'unknown',
    tags: tagsFromList(cluster.TagList),
  };
}

function instanceResource(instance: DBInstance): DrillResource {
  return {
    kind: 'instance',
    id: instance.DBInstanceIdentifier ?? '',
    status: instance.DBInstanceStatus ?? 'unknown',
    tags: tagsFromList(instance.TagList),
    clusterId: instance.DBClusterIdentifier,
  };
}

/**
 * The outcomes a drill step converges on, as typed errors: already there (an earlier step made it), gone
 * (already deleted), busy (a cluster that still has instances, or one still being created).
 */
function drillError(
  error: unknown,
  context: { operation: string; clusterId?: string },
  region: string,
): ToolError | undefined {
  const code = awsErrorCode(error);
  const subject = `${context.operation} of ${context.clusterId ?? 'the drill cluster'} in ${region}`;
  const details = { operation: context.operation, region, awsCode: code, clusterId: context.clusterId };
  if (code !== undefined && ALREADY_EXISTS.has(code)) {
    return new ToolError('ResourceAlreadyExists', `${subject}: it already exists (an earlier step made it)`, {
      cause: error,
      details,
    });
  }
  if (code !== undefined && NOT_FOUND.has(code)) {
    return new ToolError('ResourceNotFound', `${subject}: it does not exist`, { cause: error, details });
  }
  if (code !== undefined && BUSY.has(code)) {
    return new ToolError('ResourceBusy', `${subject}: not possible in its current state, retried later`, {
      cause: error,
      details,
    });
  }
  return undefined;
}
