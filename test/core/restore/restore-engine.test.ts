// Carrying out a restore plan over the port, and the expected time from past drills: requests in order, converging on what exists, a progress line per change, the endpoints, and failures named.
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../../src/core/model/errors.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import {
  type CreateInstanceRequest,
  carryOutRestore,
  expectedRestoreTime,
  planRestore,
  type RecoveryStore,
  type RestoreClusterRequest,
  type RestorePlan,
  type RestoreProgress,
} from '../../../src/core/restore/index.js';
import { prodShape } from '../../support/cluster-shapes.js';
import { ManualClock } from '../../support/manual-clock.js';
import { rejection } from '../../support/rejection.js';
import { snapshot } from '../../support/snapshot-builder.js';

const REGION = 'us-west-2';
const COPY = snapshot('prod-db-2026-07-05-00-00', {
  region: REGION,
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
});

function restorePlan(): RestorePlan {
  const result = planRestore({
    snapshot: COPY,
    shape: prodShape({ instances: prodShape().instances.slice(0, 2) }),
    recovery: {},
    facts: {
      region: REGION,
      subnetGroups: [],
      securityGroups: { checked: true, ids: [] },
      clusterParameterGroups: [],
      instanceParameterGroups: [],
      engineVersions: { checked: false, reason: 'not asked' },
      clusters: [],
      instances: [],
    },
  });
  if (!result.ok) throw new Error('refused');
  return result.plan;
}

/** A region in memory: each resource goes through the states listed for it, one per poll (undefined: not listed yet). */
class MemoryRecovery implements RecoveryStore {
  readonly region = REGION;
  readonly calls: string[] = [];
  readonly states = new Map<string, (string | undefined)[]>();
  exists = new Set<string>();

  constructor(private readonly lifecycle: Record<string, (string | undefined)[]> = {}) {}

  async regionFacts(): Promise<never> {
    throw new Error('not used');
  }
  async restoreCluster(request: RestoreClusterRequest): Promise<void> {
    this.create(`RestoreDBClusterFromSnapshot ${request.DBClusterIdentifier}`, request.DBClusterIdentifier);
  }
  async createInstance(request: CreateInstanceRequest): Promise<void> {
    this.create(`CreateDBInstance ${request.DBInstanceIdentifier}`, request.DBInstanceIdentifier);
  }
  private create(call: string, id: string): void {
    this.calls.push(call);
    if (this.exists.has(id)) throw new ToolError('ResourceAlreadyExists', `${id} exists`);
    this.exists.add(id);
    this.states.set(id, [...(this.lifecycle[id] ?? ['creating', 'available'])]);
  }
  private next(id: string): string | undefined {
    const states = this.states.get(id);
    if (!states) return undefined;
    return states.length > 1 ? states.shift() : states[0];
  }
  async clusterState(clusterId: string) {
    return {
      status: this.next(clusterId),
      endpoints: {
        writer: `${clusterId}.cluster-x.${REGION}.rds.amazonaws.com`,
        reader: `${clusterId}.cluster-ro-x`,
        port: 5433,
      },
    };
  }
  async instanceState(instanceId: string) {
    return { status: this.next(instanceId) };
  }
}

describe('carryOutRestore', () => {
  it('sends the requests in order, reports each change of state once, and returns the endpoints and minutes', async () => {
    // Prepare
    const store = new MemoryRecovery({
      'prod-db': ['creating', 'creating', 'available'],
      'prod-db-2': ['creating', 'creating', 'creating', 'available'],
    });
    const clock = new ManualClock(new Date('2026-07-06T10:00:00Z'));
    const progress: RestoreProgress[] = [];

    // Act
    const outcome = await carryOutRestore(store, restorePlan(), {
      clock,
      wait: async () => void clock.advance({ minutes: 5 }),
      onProgress: (p) => progress.push(p),
    });

    // Assess
    expect(store.calls).toEqual([
      'RestoreDBClusterFromSnapshot prod-db',
      'CreateDBInstance prod-db-1',
      'CreateDBInstance prod-db-2',
    ]);
    expect(progress.map((p) => `${p.kind} ${p.id} ${p.status} ${p.minutes}`)).toEqual([
      'cluster prod-db creating 0',
      'instance prod-db-1 creating 0',
      'instance prod-db-2 creating 0',
      'instance prod-db-1 available 5',
      'cluster prod-db available 10',
      'instance prod-db-2 available 15',
    ]);
    expect(outcome).toEqual({
      clusterId: 'prod-db',
      instanceIds: ['prod-db-1', 'prod-db-2'],
      endpoints: {
        writer: 'prod-db.cluster-x.us-west-2.rds.amazonaws.com',
        reader: 'prod-db.cluster-ro-x',
        port: 5433,
      },
      startedAt: new Date('2026-07-06T10:00:00Z'),
      finishedAt: new Date('2026-07-06T10:15:00Z'),
      minutes: 15,
    });
  });

  it('converges: what an interrupted run created is skipped or counted as done', async () => {
    // Prepare
    const store = new MemoryRecovery();
    store.exists = new Set(['prod-db-2']);
    store.states.set('prod-db-2', ['available']);
    const plan = { ...restorePlan(), existing: ['prod-db'] };
    store.exists.add('prod-db');
    store.states.set('prod-db', ['available']);

    // Act
    const outcome = await carryOutRestore(store, plan, {
      clock: new ManualClock(new Date(0)),
      wait: async () => {},
    });

    // Assess
    expect(store.calls).toEqual(['CreateDBInstance prod-db-1', 'CreateDBInstance prod-db-2']);
    expect(outcome.instanceIds).toEqual(['prod-db-1', 'prod-db-2']);
  });

  it('fails naming the resource and the copy when one ends in a state it never leaves, or disappears', async () => {
    // Prepare
    const broken = new MemoryRecovery({ 'prod-db-1': ['creating', 'incompatible-parameters'] });
    const deleted = new MemoryRecovery({ 'prod-db': ['creating'] });
    const options = { clock: new ManualClock(new Date(0)), wait: async () => {} };

    // Act
    const first = await rejection(carryOutRestore(broken, restorePlan(), options), ToolError);
    const second = carryOutRestore(deleted, restorePlan(), {
      ...options,
      wait: async () => void deleted.states.delete('prod-db'),
    });
    const gone = await rejection(second, ToolError);

    // Assess
    expect(first.name).toBe('RestoreFailed');
    expect(first.message).toBe(
      'instance prod-db-1 (restored from prod-db-2026-07-05-00-00 in us-west-2) is incompatible-parameters: it will not become available',
    );
    expect(gone.message).toBe(
      'cluster prod-db (restored from prod-db-2026-07-05-00-00 in us-west-2) is deleted: it will not become available',
    );
  });

  it('waits for a cluster and instances RDS does not list yet, reporting them missing while they are not listed', async () => {
    // Prepare
    const store = new MemoryRecovery({
      'prod-db': [undefined, undefined, 'creating', 'available'],
      'prod-db-1': [undefined, undefined, 'available'],
      'prod-db-2': ['available'],
    });
    const clock = new ManualClock(new Date('2026-07-06T10:00:00Z'));
    const progress: RestoreProgress[] = [];

    // Act
    const outcome = await carryOutRestore(store, restorePlan(), {
      clock,
      wait: async () => void clock.advance({ minutes: 1 }),
      onProgress: (p) => progress.push(p),
    });

    // Assess
    expect(progress.map((p) => `${p.kind} ${p.id} ${p.status} ${p.minutes}`)).toEqual([
      'cluster prod-db missing 0',
      'instance prod-db-1 missing 0',
      'instance prod-db-2 available 0',
      'cluster prod-db creating 2',
      'instance prod-db-1 available 2',
      'cluster prod-db available 3',
    ]);
    expect(outcome.minutes).toBe(3);
  });

  it('waits for the cluster to be available even when its instances are available first', async () => {
    // Prepare
    const store = new MemoryRecovery({
      'prod-db': ['creating', 'creating', 'creating', 'available'],
      'prod-db-1': ['available'],
      'prod-db-2': ['available'],
    });
    const clock = new ManualClock(new Date('2026-07-06T10:00:00Z'));

    // Act
    const outcome = await carryOutRestore(store, restorePlan(), {
      clock,
      wait: async () => void clock.advance({ minutes: 5 }),
    });

    // Assess
    expect(outcome.finishedAt).toEqual(new Date('2026-07-06T10:15:00Z'));
  });

  it('fails at once, naming the cluster, its state and the copy, when the cluster ends in a state it never leaves', async () => {
    // Prepare
    const store = new MemoryRecovery({ 'prod-db': ['creating', 'incompatible-restore'] });
    let polls = 0;
    const wait = async () => {
      polls += 1;
      if (polls > 5) throw new Error('still waiting after 5 polls');
    };

    // Act
    const error = await rejection(
      carryOutRestore(store, restorePlan(), { clock: new ManualClock(new Date(0)), wait }),
      ToolError,
    );

    // Assess
    expect(error.name).toBe('RestoreFailed');
    expect(error.message).toBe(
      'cluster prod-db (restored from prod-db-2026-07-05-00-00 in us-west-2) is incompatible-restore: it will not become available',
    );
    expect(error.details).toEqual({
      region: 'us-west-2',
      snapshotId: 'prod-db-2026-07-05-00-00',
      id: 'prod-db',
      status: 'incompatible-restore',
    });
    expect(polls).toBe(1);
  });

  it('fails RestoreFailed naming the request when a create call fails', async () => {
    // Prepare
    const store = new MemoryRecovery();
    store.createInstance = async () => {
      throw new ToolError('AccessDenied', 'not allowed to rds:CreateDBInstance');
    };

    // Act
    const error = await rejection(
      carryOutRestore(store, restorePlan(), { clock: new ManualClock(new Date(0)), wait: async () => {} }),
      ToolError,
    );

    // Assess
    expect(error.name).toBe('RestoreFailed');
    expect(error.message).toBe(
      'CreateDBInstance of prod-db-1 (restore of prod-db-2026-07-05-00-00 in us-west-2) failed: AccessDenied: not allowed to rds:CreateDBInstance',
    );
    expect(error.details).toEqual({
      region: 'us-west-2',
      snapshotId: 'prod-db-2026-07-05-00-00',
      id: 'prod-db-1',
    });
    expect(error.cause).toMatchObject({
      name: 'AccessDenied',
      message: 'not allowed to rds:CreateDBInstance',
    });
  });
});

describe('expectedRestoreTime', () => {
  const drilled = (id: string, on: string, minutes: string, cluster = 'prod-db') =>
    snapshot(id, {
      tags: {
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.SourceCluster]: cluster,
        [TAG.RestoreVerified]: on,
        [TAG.RestoreMinutes]: minutes,
      },
    });

  it("gives the last drill's minutes of this cluster, with the range of all its drills", () => {
    // Prepare
    const snapshots = [
      drilled('a', '2026-06-21T03:30:00.000Z', '25'),
      drilled('b', '2026-07-05T03:20:00.000Z', '18'),
      drilled('c', '2026-06-28T03:20:00.000Z', '31'),
      drilled('d', '2026-07-06T03:20:00.000Z', '99', 'orders'),
      drilled('e', '2026-07-07T03:20:00.000Z', 'soon'),
    ];

    // Act
    const expected = expectedRestoreTime(snapshots, 'prod-db');

    // Assess
    expect(expected).toEqual({
      known: true,
      minutes: 18,
      drills: 3,
      lowest: 18,
      highest: 31,
      text: 'about 18 minutes (the last drill of prod-db, on 2026-07-05T03:20:00.000Z; 3 drills took 18 to 31 minutes)',
    });
  });

  it('says the time is unknown when no drill recorded it, and how to measure it', () => {
    // Act
    const expected = expectedRestoreTime([snapshot('a')], 'prod-db');

    // Assess
    expect(expected).toEqual({
      known: false,
      text: 'unknown: no drill of prod-db recorded its minutes on a snapshot in this region (run aurora-snapshot-tool drill)',
    });
  });

  it('says nothing of a range after a single drill', () => {
    // Act
    const expected = expectedRestoreTime([drilled('a', '2026-07-05T03:20:00.000Z', '7')], 'prod-db');

    // Assess
    expect(expected.text).toBe('about 7 minutes (the last drill of prod-db, on 2026-07-05T03:20:00.000Z)');
  });
});
