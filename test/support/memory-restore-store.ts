/**
 * An in-memory drill store (the drill's RestoreStore and the restore's RestoreSender) for unit tests of the
 * drill's steps: the region's facts (subnet and parameter groups, engine versions, the clusters and instances
 * present), clusters and instances with their tags and status, every call recorded in order, and the errors
 * RDS's adapter raises (ResourceAlreadyExists for a
 * second create, ResourceNotFound for a missing one, ResourceBusy for a cluster that still has instances
 * and for a delete of one still `creating`, which RDS refuses as InvalidDBClusterState/InvalidDBInstanceState).
 * Faults can be queued per method.
 */

import type { DrillRestoreStore } from '../../src/core/drill/drill-engine.js';
import type { DrillResource } from '../../src/core/drill/index.js';
import { ToolError } from '../../src/core/model/errors.js';
import { tagsFromList } from '../../src/core/model/model.js';
import type { DrillStatus, OrderableQuery } from '../../src/core/model/ports.js';
import type {
  CreateInstanceRequest,
  RecoveryRegionFacts,
  RestoreClusterRequest,
} from '../../src/core/restore/index.js';

export type RestoreMethod = Exclude<keyof DrillRestoreStore, 'region'>;

export interface RestoreCall {
  readonly method: RestoreMethod;
  readonly args: readonly unknown[];
}

export class MemoryRestoreStore implements DrillRestoreStore {
  readonly calls: RestoreCall[] = [];
  /** Current resources, by kind and id. */
  readonly resources = new Map<string, DrillResource>();
  private readonly faults = new Map<RestoreMethod, unknown[]>();
  /** Instance classes RDS offers, by `<engine> <version>` (a version not listed offers none). */
  readonly orderable = new Map<string, readonly string[]>();

  /** The region's subnet and parameter groups and engine versions (the clusters and instances are the resources'). */
  facts: Omit<RecoveryRegionFacts, 'region' | 'clusters' | 'instances' | 'key'> = {
    subnetGroups: [],
    securityGroups: { checked: false, reason: 'not listed in memory' },
    clusterParameterGroups: [],
    instanceParameterGroups: [],
    engineVersions: { checked: false, reason: 'not listed in memory' },
  };

  constructor(readonly region = 'us-west-2') {}

  /** Puts a cluster or instance in the region (as if created earlier, by a drill or by hand). */
  put(resource: DrillResource): void {
    this.resources.set(`${resource.kind}:${resource.id}`, resource);
  }

  get(kind: DrillResource['kind'], id: string): DrillResource | undefined {
    return this.resources.get(`${kind}:${id}`);
  }

  setStatus(kind: DrillResource['kind'], id: string, status: string): void {
    const resource = this.get(kind, id);
    if (resource === undefined) throw new Error(`no ${kind} ${id}`);
    this.put({ ...resource, status });
  }

  /** The next call of `method` throws `error` instead of acting (queued: one error per call). */
  failNext(method: RestoreMethod, error: unknown): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), error]);
  }

  called(method: RestoreMethod): RestoreCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  private enter(method: RestoreMethod, args: unknown[]): void {
    this.calls.push({ method, args });
    const queued = this.faults.get(method);
    if (queued !== undefined && queued.length > 0) throw queued.shift();
  }

  async listDrillResources(): Promise<DrillResource[]> {
    this.enter('listDrillResources', []);
    return [...this.resources.values()];
  }

  async orderableInstanceClasses(input: OrderableQuery): Promise<string[]> {
    this.enter('orderableInstanceClasses', [input]);
    const offered = this.orderable.get(`${input.engine} ${input.engineVersion}`) ?? [];
    return offered.filter((c) => input.instanceClass === undefined || c === input.instanceClass);
  }

  async regionFacts(input: { engine: string; keyId?: string | undefined }): Promise<RecoveryRegionFacts> {
    this.enter('regionFacts', [input]);
    const present = [...this.resources.values()];
    return {
      region: this.region,
      ...this.facts,
      clusters: present.filter((r) => r.kind === 'cluster').map((r) => ({ id: r.id, tags: r.tags })),
      instances: present
        .filter((r) => r.kind === 'instance')
        .map((r) => ({ id: r.id, clusterId: r.clusterId })),
    };
  }

  async restoreCluster(request: RestoreClusterRequest): Promise<void> {
    this.enter('restoreCluster', [request]);
    const id = request.DBClusterIdentifier;
    if (this.get('cluster', id) !== undefined)
      throw new ToolError('ResourceAlreadyExists', `cluster ${id} already exists`);
    this.put({ kind: 'cluster', id, status: 'creating', tags: tagsFromList([...request.Tags]) });
  }

  async createInstance(request: CreateInstanceRequest): Promise<void> {
    this.enter('createInstance', [request]);
    const id = request.DBInstanceIdentifier;
    if (this.get('instance', id) !== undefined)
      throw new ToolError('ResourceAlreadyExists', `instance ${id} already exists`);
    this.put({
      kind: 'instance',
      id,
      clusterId: request.DBClusterIdentifier,
      status: 'creating',
      tags: tagsFromList([...request.Tags]),
    });
  }

  async describeDrill(clusterId: string, instanceId: string): Promise<DrillStatus> {
    this.enter('describeDrill', [clusterId, instanceId]);
    return {
      clusterStatus: this.get('cluster', clusterId)?.status,
      instanceStatus: this.get('instance', instanceId)?.status,
    };
  }

  async deleteInstance(instanceId: string): Promise<void> {
    this.enter('deleteInstance', [instanceId]);
    const found = this.get('instance', instanceId);
    if (found === undefined) throw new ToolError('ResourceNotFound', `instance ${instanceId} not found`);
    if (found.status === 'creating')
      throw new ToolError('ResourceBusy', `instance ${instanceId} is creating`);
    this.resources.delete(`instance:${instanceId}`);
  }

  async deleteCluster(clusterId: string): Promise<void> {
    this.enter('deleteCluster', [clusterId]);
    const found = this.get('cluster', clusterId);
    if (found === undefined) throw new ToolError('ResourceNotFound', `cluster ${clusterId} not found`);
    if (found.status === 'creating') throw new ToolError('ResourceBusy', `cluster ${clusterId} is creating`);
    const busy = [...this.resources.values()].some((r) => r.kind === 'instance' && r.clusterId === clusterId);
    if (busy) throw new ToolError('ResourceBusy', `cluster ${clusterId} still has instances`);
    this.resources.delete(`cluster:${clusterId}`);
  }
}
