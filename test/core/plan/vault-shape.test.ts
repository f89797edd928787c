// The shape reaches a vault account through the vault's shapes bucket: the source pass leaves it when it shares,
// the vault's pass writes it on its own copy once it has checked it is the shape of that snapshot's cluster; a
// missing, unreadable or tampered object leaves the copy made without it, with a note. Over the in-memory estate,
// which, as AWS, shows no account the tags of another's snapshots.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import type { ClusterShape } from '../../../src/core/model/cluster-shape.js';
import { shapeFromTags, shapeToTags } from '../../../src/core/model/cluster-shape-tags.js';
import { ToolError } from '../../../src/core/model/errors.js';
import { shapeObjectBody, shapeObjectKey } from '../../../src/core/model/shape-carrier.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { runDestinationPass, runSourcePass } from '../../../src/core/plan/pass.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryShapeCarrier } from '../../support/memory-shape-carrier.js';
import { MemoryEstate } from '../../support/memory-store.js';

const REGION = 'us-east-1';
const PRODUCTION = '111111111111';
const VAULT = '222222222222';
const SNAPSHOT = 'prod-db-2025-03-01-00-00';

function setup() {
  const clock = new ManualClock('2025-03-01T00:00:00.000Z');
  const estate = new MemoryEstate({ clock, instant: true });
  estate.addCluster({
    region: REGION,
    id: 'prod-db',
    tags: { team: 'payments' },
    instances: [
      { id: 'prod-db-1', instanceClass: 'db.r6g.large', parameterGroup: 'prod-pg' },
      { id: 'prod-db-2', instanceClass: 'db.r6g.xlarge', parameterGroup: 'prod-pg' },
    ],
  });
  const source = parseConfig({
    Source: {
      Region: REGION,
      ClusterNamePattern: '^prod-db$',
      ShareSnapshots: true,
      DestinationAccount: VAULT,
    },
  }).Source as SourceConfig;
  const vault = parseConfig({
    Destination: { Region: REGION, SnapshotPattern: 'ALL_CLUSTERS', SourceAccount: PRODUCTION },
  }).Destination;
  if (vault === undefined) throw new Error('no Destination block');
  // The source side delivers as production, the vault collects as the vault: one set of buckets.
  const production = new MemoryShapeCarrier(PRODUCTION);
  const inVault = production.as(VAULT);
  production.createBucket(VAULT, REGION);
  return { clock, estate, source, vault, production, inVault };
}

const vaultCopy = (estate: MemoryEstate) => estate.find(SNAPSHOT, REGION, VAULT);

describe('the source pass, sharing with another account', () => {
  it("leaves the shared snapshot's shape tags in that account's shapes bucket, under its own account", async () => {
    // Prepare
    const { clock, estate, source, production } = setup();

    // Act
    const report = await runSourcePass({ source: estate.store(REGION) }, source, clock, ['take', 'share'], {
      shapeCarrier: production,
    });

    // Assess
    expect(report.failed).toEqual([]);
    const snapshot = estate.find(SNAPSHOT, REGION);
    const shapeTags = Object.fromEntries(
      Object.entries(snapshot?.tags ?? {}).filter(([key]) => key.startsWith(TAG.Shape)),
    );
    expect(Object.keys(shapeTags).length).toBeGreaterThan(1);
    expect(production.calls).toEqual([`deliver ${VAULT} ${REGION} ${PRODUCTION}/${SNAPSHOT}`]);
    expect(production.object(VAULT, REGION, PRODUCTION, SNAPSHOT)).toBe(shapeObjectBody(shapeTags));
    expect(report.plan.notes.filter((n) => n.code === 'shape-not-delivered')).toEqual([]);
  });

  it('still counts the share when the shape cannot be left, with a warning note naming the error', async () => {
    // Prepare: the vault has no shapes bucket (its stack predates it).
    const { clock, estate, source, production } = setup();
    production.buckets.clear();

    // Act
    const report = await runSourcePass({ source: estate.store(REGION) }, source, clock, ['take', 'share'], {
      shapeCarrier: production,
    });

    // Assess
    expect(report.failed).toEqual([]);
    expect(estate.sharedWith(SNAPSHOT, REGION)).toEqual([VAULT]);
    expect(estate.find(SNAPSHOT, REGION)?.tags[TAG.SharedWith]).toBe(VAULT);
    const notes = report.plan.notes.filter((n) => n.code === 'shape-not-delivered');
    expect(notes).toEqual([
      {
        level: 'warn',
        code: 'shape-not-delivered',
        message: `${SNAPSHOT} is shared with ${VAULT}, but its shape could not be left in that account's shapes bucket (NoSuchBucket: The specified bucket does not exist): its copy there will record no shape`,
        clusterId: 'prod-db',
        snapshotId: SNAPSHOT,
      },
    ]);
  });

  it('delivers nothing for a snapshot that records no shape, and nothing without a carrier', async () => {
    // Prepare: a backup taken before the shape was recorded.
    const { clock, estate, source, production } = setup();
    estate.putSnapshot({
      region: REGION,
      id: SNAPSHOT,
      clusterId: 'prod-db',
      status: 'available',
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE },
    });
    clock.advance({ minutes: 1 });

    // Act
    const report = await runSourcePass({ source: estate.store(REGION) }, source, clock, ['share'], {
      shapeCarrier: production,
    });
    const without = setup();
    const plain = await runSourcePass(
      { source: without.estate.store(REGION) },
      without.source,
      without.clock,
      ['take', 'share'],
    );

    // Assess
    expect(report.results.filter((r) => r.action.kind === 'share' && r.ok)).toHaveLength(1);
    expect(production.calls).toEqual([]);
    expect(plain.failed).toEqual([]);
    expect(without.production.calls).toEqual([]);
  });
});

describe("the vault's pass, copying what was shared with it", () => {
  async function shared(options: { deliver?: boolean } = {}) {
    const context = setup();
    await runSourcePass(
      { source: context.estate.store(REGION) },
      context.source,
      context.clock,
      ['take', 'share'],
      options.deliver === false ? {} : { shapeCarrier: context.production },
    );
    return context;
  }

  it('writes the shape on its own copy, in the copy call, decoding to the source cluster’s shape', async () => {
    // Prepare
    const { clock, estate, vault, inVault } = await shared();
    const recorded = shapeFromTags(estate.find(SNAPSHOT, REGION)?.tags ?? {}).shape;

    // Act
    const report = await runDestinationPass(estate.store(REGION, VAULT), vault, clock, ['copy'], {
      shapeCarrier: inVault,
    });

    // Assess
    expect(report.failed).toEqual([]);
    expect(inVault.calls).toEqual([`collect ${REGION} ${PRODUCTION}/${SNAPSHOT}`]);
    expect(recorded?.clusterId).toBe('prod-db');
    expect(shapeFromTags(vaultCopy(estate)?.tags ?? {})).toEqual({ shape: recorded });
    expect(report.plan.notes.filter((n) => n.code.startsWith('shape-'))).toEqual([]);
  });

  it('copies without the shape, with an info note, when the source left none', async () => {
    // Prepare
    const { clock, estate, vault, inVault } = await shared({ deliver: false });

    // Act
    const report = await runDestinationPass(estate.store(REGION, VAULT), vault, clock, ['copy'], {
      shapeCarrier: inVault,
    });

    // Assess
    expect(report.failed).toEqual([]);
    expect(shapeFromTags(vaultCopy(estate)?.tags ?? {}).code).toBe('absent');
    expect(report.plan.notes.filter((n) => n.code.startsWith('shape-'))).toEqual([
      {
        level: 'info',
        code: 'shape-missing',
        message: `${SNAPSHOT} is copied without the shape of prod-db: ${PRODUCTION} left no shape object for it`,
        clusterId: 'prod-db',
        snapshotId: `arn:aws:rds:${REGION}:${PRODUCTION}:cluster-snapshot:${SNAPSHOT}`,
      },
    ]);
  });

  it("refuses another cluster's shape put under this snapshot's key, and copies without it", async () => {
    // Prepare: production (or whoever holds its role) writes the shape of another cluster.
    const { clock, estate, vault, inVault, production } = await shared();
    const other: ClusterShape = {
      version: 1,
      clusterId: 'attacker-db',
      engine: 'aurora-postgresql',
      engineVersion: '15.4',
      instances: [{ id: 'a-1', instanceClass: 'db.r6g.16xlarge', writer: true }],
      iamDatabaseAuthentication: false,
      logExports: [],
      deletionProtection: false,
      tags: {},
    };
    const encoded = shapeToTags(other);
    if (!encoded.ok) throw new Error(encoded.reason);
    production.putObject(VAULT, REGION, shapeObjectKey(PRODUCTION, SNAPSHOT), shapeObjectBody(encoded.tags));

    // Act
    const report = await runDestinationPass(estate.store(REGION, VAULT), vault, clock, ['copy'], {
      shapeCarrier: inVault,
    });

    // Assess
    expect(report.failed).toEqual([]);
    expect(vaultCopy(estate)?.status).toBe('available');
    expect(shapeFromTags(vaultCopy(estate)?.tags ?? {}).code).toBe('absent');
    const notes = report.plan.notes.filter((n) => n.code.startsWith('shape-'));
    expect(notes.map((n) => [n.level, n.code])).toEqual([['warn', 'shape-refused']]);
    expect(notes[0]?.message).toContain(
      `is the shape of cluster attacker-db, but arn:aws:rds:${REGION}:${PRODUCTION}:cluster-snapshot:${SNAPSHOT} is a snapshot of prod-db`,
    );
  });

  it('copies without the shape, with a warning, when the bucket cannot be read', async () => {
    // Prepare
    const { clock, estate, vault, inVault } = await shared();
    inVault.failWith = new ToolError('AccessDenied', 'GetObject was denied');

    // Act
    const report = await runDestinationPass(estate.store(REGION, VAULT), vault, clock, ['copy'], {
      shapeCarrier: inVault,
    });

    // Assess
    expect(report.failed).toEqual([]);
    expect(vaultCopy(estate)).toBeDefined();
    expect(report.plan.notes.filter((n) => n.code.startsWith('shape-'))).toEqual([
      expect.objectContaining({
        level: 'warn',
        code: 'shape-unreadable',
        message: `${SNAPSHOT} is copied without the shape of prod-db: its shape object cannot be read (AccessDenied: GetObject was denied)`,
      }),
    ]);
  });

  it('reads nothing on a dry run', async () => {
    // Prepare
    const { clock, estate, vault, inVault } = await shared();

    // Act
    const report = await runDestinationPass(estate.store(REGION, VAULT), vault, clock, ['copy'], {
      dryRun: true,
      shapeCarrier: inVault,
    });

    // Assess
    expect(report.plan.actions).toHaveLength(1);
    expect(inVault.calls).toEqual([]);
  });
});
