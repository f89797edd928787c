/**
 * RecoveryStore over the AWS SDK v3: what the `restore` command reads of the recovery region before it
 * creates anything (subnet groups, parameter groups, engine versions, names in use, the key), the requests
 * of its plan, and the state and endpoints of what it restored; every failure a typed ToolError.
 *
 * Security groups are EC2's: they are listed with DescribeSecurityGroups through a lister over an EC2 client given apart
 * (src/aws/ec2-client.ts); without one, they are left to RDS, which checks them on
 * RestoreDBClusterFromSnapshot, the first create call, and the plan says they were not checked.
 */
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBClusterParameterGroups,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBParameterGroups,
  paginateDescribeDBSubnetGroups,
  RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { isToolError, ToolError } from '../core/model/errors.js';
import { tagsFromList } from '../core/model/model.js';
import type {
  CreateInstanceRequest,
  ExistingCluster,
  KeyFact,
  NamedGroup,
  OfferedVersion,
  RecoveryRegionFacts,
  RecoveryStore,
  ResourceState,
  RestoreClusterRequest,
  RestoredEndpoints,
} from '../core/restore/index.js';
import type { AwsClients } from './clients.js';
import { awsErrorCode, translateAwsError } from './errors.js';
import { PAGE_SIZE } from './rds-snapshot-store.js';

/** Why the security groups are not checked before the restore, when no EC2 client was given. */
export const SECURITY_GROUPS_UNCHECKED =
  'no EC2 client to list the security groups with; RDS checks them when the restore starts';

const ALREADY_EXISTS = new Set(['DBClusterAlreadyExists', 'DBInstanceAlreadyExists']);
const NOT_FOUND = new Set(['DBClusterNotFound', 'DBInstanceNotFound']);
/** Errors that say the caller may not do something: never hidden as "not checked". */
const PERMISSION = new Set(['AccessDenied', 'CredentialsError']);
/** KMS answers meaning the key cannot be used (the reason the refusal names). */
const KEY_UNUSABLE = new Set([
  'NotFoundException',
  'AccessDeniedException',
  'DisabledException',
  'KMSInvalidStateException',
  'InvalidArnException',
]);

/**
 * Lists the region's VPC security group ids (src/aws/ec2-client.ts). A function rather than the EC2 client, so
 * that the restore drill's functions, which share this store and list none, do not bundle the EC2 client.
 */
export type SecurityGroupLister = () => Promise<string[]>;

export class RdsRecoveryStore implements RecoveryStore {
  readonly region: string;

  constructor(
    private readonly clients: AwsClients,
    private readonly listSecurityGroups?: SecurityGroupLister,
  ) {
    this.region = clients.region;
  }

  async regionFacts(input: { engine: string; keyId?: string | undefined }): Promise<RecoveryRegionFacts> {
    const rds = { client: this.clients.rds, pageSize: PAGE_SIZE };
    const subnetGroups: NamedGroup[] = [];
    await this.call('DescribeDBSubnetGroups', async () => {
      for await (const page of paginateDescribeDBSubnetGroups(rds, {})) {
        for (const group of page.DBSubnetGroups ?? []) {
          if (group.DBSubnetGroupName)
            subnetGroups.push({ name: group.DBSubnetGroupName, family: group.VpcId });
        }
      }
    });
    const clusterParameterGroups: NamedGroup[] = [];
    await this.call('DescribeDBClusterParameterGroups', async () => {
      for await (const page of paginateDescribeDBClusterParameterGroups(rds, {})) {
        for (const group of page.DBClusterParameterGroups ?? []) {
          if (group.DBClusterParameterGroupName)
            clusterParameterGroups.push({
              name: group.DBClusterParameterGroupName,
              family: group.DBParameterGroupFamily,
            });
        }
      }
    });
    const instanceParameterGroups: NamedGroup[] = [];
    await this.call('DescribeDBParameterGroups', async () => {
      for await (const page of paginateDescribeDBParameterGroups(rds, {})) {
        for (const group of page.DBParameterGroups ?? []) {
          if (group.DBParameterGroupName)
            instanceParameterGroups.push({
              name: group.DBParameterGroupName,
              family: group.DBParameterGroupFamily,
            });
        }
      }
    });
    const clusters: ExistingCluster[] = [];
    await this.call('DescribeDBClusters', async () => {
      for await (const page of paginateDescribeDBClusters(rds, {})) {
        for (const cluster of page.DBClusters ?? []) {
          if (cluster.DBClusterIdentifier)
            clusters.push({ id: cluster.DBClusterIdentifier, tags: tagsFromList(cluster.TagList) });
        }
      }
    });
    const instances: { id: string; clusterId?: string | undefined }[] = [];
    await this.call('DescribeDBInstances', async () => {
      for await (const page of paginateDescribeDBInstances(rds, {})) {
        for (const instance of page.DBInstances ?? []) {
          if (instance.DBInstanceIdentifier)
            instances.push({ id: instance.DBInstanceIdentifier, clusterId: instance.DBClusterIdentifier });
        }
      }
    });
    return {
      region: this.region,
      subnetGroups,
      securityGroups: await this.securityGroups(),
      clusterParameterGroups,
      instanceParameterGroups,
      engineVersions: await this.engineVersions(input.engine),
      clusters,
      instances,
      ...(input.keyId !== undefined ? { key: await this.keyFact(input.keyId) } : {}),
    };
  }

  /**
   * The VPC security group ids of the region (DescribeSecurityGroups). A missing permission is an error,
   * as for every other fact: a restore that cannot check what it was told to use does not guess.
   */
  private async securityGroups(): Promise<RecoveryRegionFacts['securityGroups']> {
    const list = this.listSecurityGroups;
    if (list === undefined) return { checked: false, reason: SECURITY_GROUPS_UNCHECKED };
    let ids: string[];
    try {
      ids = await list();
    } catch (error) {
      throw translateAwsError(error, {
        operation: 'DescribeSecurityGroups',
        service: 'ec2',
        region: this.region,
      });
    }
    return { checked: true, ids };
  }

  /**
   * The engine's versions RDS offers here. Asked with the probe client: an emulator without the call
   * (moto answers HTTP 500) is "not checked", said in the plan's notes; a missing permission is an error.
   */
  private async engineVersions(engine: string): Promise<RecoveryRegionFacts['engineVersions']> {
    const versions: OfferedVersion[] = [];
    try {
      let marker: string | undefined;
      do {
        const page = await this.clients.rdsProbe.send(
          new DescribeDBEngineVersionsCommand({ Engine: engine, MaxRecords: PAGE_SIZE, Marker: marker }),
        );
        for (const v of page.DBEngineVersions ?? []) {
          if (v.EngineVersion) versions.push({ version: v.EngineVersion, family: v.DBParameterGroupFamily });
        }
        marker = page.Marker;
      } while (marker);
    } catch (error) {
      const typed = translateAwsError(error, { operation: 'DescribeDBEngineVersions', region: this.region });
      if (PERMISSION.has(typed.name)) throw typed;
      return {
        checked: false,
        reason: `DescribeDBEngineVersions failed in ${this.region} (${typed.message})`,
      };
    }
    return { checked: true, versions };
  }

  /** Whether these credentials can use the key: DescribeKey answers, and the key is enabled. */
  private async keyFact(keyId: string): Promise<KeyFact> {
    try {
      const answer = await this.clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      const state = answer.KeyMetadata?.KeyState;
      if (state !== undefined && state !== 'Enabled')
        return { keyId, usable: false, reason: `the key is ${state}` };
      return { keyId, usable: true, arn: answer.KeyMetadata?.Arn };
    } catch (error) {
      const code = awsErrorCode(error);
      if (code !== undefined && KEY_UNUSABLE.has(code)) {
        return { keyId, usable: false, reason: `KMS DescribeKey answered ${code}` };
      }
      throw translateAwsError(error, {
        operation: 'DescribeKey',
        service: 'kms',
        region: this.region,
        kmsKeyId: keyId,
      });
    }
  }

  async restoreCluster(request: RestoreClusterRequest): Promise<void> {
    await this.call(
      'RestoreDBClusterFromSnapshot',
      () =>
        this.clients.rds.send(
          new RestoreDBClusterFromSnapshotCommand({
            ...request,
            VpcSecurityGroupIds: request.VpcSecurityGroupIds ? [...request.VpcSecurityGroupIds] : undefined,
            EnableCloudwatchLogsExports: [...request.EnableCloudwatchLogsExports],
            Tags: request.Tags.map((t) => ({ ...t })),
          }),
        ),
      { clusterId: request.DBClusterIdentifier, snapshotId: request.SnapshotIdentifier },
    );
  }

  async createInstance(request: CreateInstanceRequest): Promise<void> {
    await this.call(
      'CreateDBInstance',
      () =>
        this.clients.rds.send(
          new CreateDBInstanceCommand({ ...request, Tags: request.Tags.map((t) => ({ ...t })) }),
        ),
      { clusterId: request.DBClusterIdentifier, id: request.DBInstanceIdentifier },
    );
  }

  async clusterState(clusterId: string): Promise<ResourceState & { endpoints: RestoredEndpoints }> {
    const answer = await this.optional(() =>
      this.call(
        'DescribeDBClusters',
        () => this.clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })),
        { clusterId },
      ),
    );
    const cluster = answer?.DBClusters?.[0];
    return {
      status: cluster?.Status,
      endpoints: { writer: cluster?.Endpoint, reader: cluster?.ReaderEndpoint, port: cluster?.Port },
    };
  }

  async instanceState(instanceId: string): Promise<ResourceState> {
    const answer = await this.optional(() =>
      this.call(
        'DescribeDBInstances',
        () => this.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId })),
        { id: instanceId },
      ),
    );
    return { status: answer?.DBInstances?.[0]?.DBInstanceStatus };
  }

  private async optional<T>(act: () => Promise<T>): Promise<T | undefined> {
    try {
      return await act();
    } catch (error) {
      if (isToolError(error, 'ResourceNotFound')) return undefined;
      throw error;
    }
  }

  private async call<T>(
    operation: string,
    act: () => Promise<T>,
    about: { clusterId?: string; snapshotId?: string; id?: string } = {},
  ): Promise<T> {
    try {
      return await act();
    } catch (error) {
      const code = awsErrorCode(error);
      const subject = `${operation} of ${about.id ?? about.clusterId ?? 'the restore'} in ${this.region}`;
      const details = { operation, region: this.region, awsCode: code, ...about };
      if (code !== undefined && ALREADY_EXISTS.has(code)) {
        throw new ToolError('ResourceAlreadyExists', `${subject}: it already exists`, {
          cause: error,
          details,
        });
      }
      if (code !== undefined && NOT_FOUND.has(code)) {
        throw new ToolError('ResourceNotFound', `${subject}: it does not exist`, { cause: error, details });
      }
      throw translateAwsError(error, {
        operation,
        region: this.region,
        clusterId: about.clusterId,
        snapshotId: about.snapshotId,
        endpoint: this.clients.endpoint,
      });
    }
  }
}
