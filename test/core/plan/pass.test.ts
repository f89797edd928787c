// The engine end to end over the in-memory estate: passes observe once, act, and converge.
import { describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { isToolError, ToolError } from '../../../src/core/model/errors.js';
import type { EngineLogger } from '../../../src/core/model/ports.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import {
  checkSnapshots,
  observeDestination,
  observeSource,
  runDestinationPass,
  runSourcePass,
  type SourceStores,
  singleStoreFor,
  sourceStoreFor,
} from '../../../src/core/plan/pass.js';
import { ManualClock } from '../../support/manual-clock.js';
import { DEFAULT_ACCOUNT, MemoryEstate } from '../../support/memory-store.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const OTHER_ACCOUNT = '222222222222';

function sourceConfig(extra: Record<string, unknown> = {}): SourceConfig {
  const config = parseConfig({ Source: { Region: SRC, ClusterNamePattern: 'prod', ...extra } });
  return config.Source as SourceConfig;
}

function destinationConfig(extra: Record<string, unknown> = {}): DestinationConfig {
  const config = parseConfig({ Destination: { Region: DST, SnapshotPattern: 'ALL_CLUSTERS', ...extra } });
  return config.Destination as DestinationConfig;
}

function setup(start = '2025-03-01T00:00:00.000Z') {
  const clock = new ManualClock(start);
  const estate = new MemoryEstate({ clock });
  estate.addCluster({ region: SRC, id: 'prod-db' });
  estate.addCluster({ region: SRC, id: 'dev-db' });
  const stores: SourceStores = { source: estate.store(SRC), destination: estate.store(DST) };
  return { clock, estate, stores };
}

function recordingLogger(): EngineLogger & { lines: { level: string; message: string; fields?: unknown }[] } {
  const lines: { level: string; message: string; fields?: unknown }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('runSourcePass', () => {
  it('takes one tagged snapshot of each matching cluster, then none while it is in progress', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    const config = sourceConfig({ Tags: { team: 'data' } });

    // Act
    const first = await runSourcePass(stores, config, clock, ['take']);
    clock.advance({ hours: 1 });
    const second = await runSourcePass(stores, config, clock, ['take']);

    // Assess
    expect(first.failed).toEqual([]);
    const taken = estate.snapshots({ region: SRC });
    expect(taken.map((s) => s.id)).toEqual(['prod-db-2025-03-01-00-00']);
    expect(taken[0]?.status).toBe('creating');
    expect(taken[0]?.tags).toMatchObject({
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
      [TAG.CreatedOn]: '2025-03-01-00-00',
      [TAG.PointInTime]: '2025-03-01T00:00:00.000Z',
      [TAG.SourceCluster]: 'prod-db',
      [TAG.SourceRegion]: SRC,
      [TAG.SourceAccount]: DEFAULT_ACCOUNT,
      [TAG.Purpose]: 'backup',
      team: 'data',
    });
    expect(second.plan.actions).toEqual([]);
    expect(second.plan.notes.map((n) => n.code)).toContain('in-progress');
  });

  it('observes each region once per pass, whatever the phases', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    const config = sourceConfig({ ShareSnapshots: true, DestinationRegion: DST });

    // Act
    await runSourcePass(stores, config, clock, ['take', 'share', 'delete']);

    // Assess
    expect(estate.callCount('listSnapshots', SRC)).toBe(1);
    expect(estate.callCount('listSnapshots', DST)).toBe(1);
    expect(estate.calls.listClusters).toBe(1);
    expect(estate.calls.isAwsManagedKey).toBe(0);
  });

  it('copies available backups to the destination region with the copy tags, at most 5 in flight', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    for (let hour = 1; hour <= 7; hour++) {
      estate.putSnapshot({
        region: SRC,
        id: `prod-db-2025-02-28-0${hour}-00`,
        clusterId: 'prod-db',
        createTime: new Date(Date.UTC(2025, 1, 28, hour)),
        tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE },
      });
    }
    const config = sourceConfig({ ShareSnapshots: true, DestinationRegion: DST, BackupInterval: 48 });

    // Act
    const first = await runSourcePass(stores, config, clock, ['share']);
    const second = await runSourcePass(stores, config, clock, ['share']);
    estate.settle();
    const third = await runSourcePass(stores, config, clock, ['share']);

    // Assess
    expect(first.plan.actions.filter((a) => a.kind === 'copy')).toHaveLength(5);
    expect(first.plan.notes.map((n) => n.code)).toContain('copy-limit');
    expect(second.plan.actions).toEqual([]);
    expect(third.plan.actions).toHaveLength(2);
    const copy = estate.find('prod-db-2025-02-28-07-00', DST);
    expect(copy?.tags[TAG.CopiedBy]).toBe(TOOL_TAG_VALUE);
    expect(copy?.tags[TAG.CreatedBy]).toBeUndefined();
    expect(copy?.tags[TAG.PointInTime]).toBe('2025-02-28T07:00:00.000Z');
    expect(copy?.tags[TAG.Purpose]).toBe('dr-copy');
  });

  it('keeps going after a failed action and reports it', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    estate.addCluster({ region: SRC, id: 'prod-db-2' });
    estate.failNext('createSnapshot', new ToolError('SnapshotQuotaExceeded', 'quota'));
    const logger = recordingLogger();

    // Act
    const report = await runSourcePass(stores, sourceConfig(), clock, ['take'], { logger });

    // Assess
    expect(report.failed.map((f) => f.error)).toEqual(['SnapshotQuotaExceeded']);
    expect(report.results.filter((r) => r.ok)).toHaveLength(1);
    expect(logger.lines.find((l) => l.level === 'error')?.fields).toMatchObject({ clusterId: 'prod-db' });
  });

  it('changes nothing on a dry run', async () => {
    // Prepare
    const { clock, estate, stores } = setup();

    // Act
    const report = await runSourcePass(stores, sourceConfig(), clock, ['take'], { dryRun: true });

    // Assess
    expect(report.plan.actions).toHaveLength(1);
    expect(report.results).toEqual([]);
    expect(estate.calls.createSnapshot).toBe(0);
  });

  it('shares the DR copy with the destination account once it is available, and records it', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    const config = sourceConfig({
      ShareSnapshots: true,
      DestinationRegion: DST,
      DestinationAccount: OTHER_ACCOUNT,
    });
    await runSourcePass(stores, config, clock, ['take']);
    estate.settle();
    await runSourcePass(stores, config, clock, ['share']);
    estate.settle();

    // Act
    const report = await runSourcePass(stores, config, clock, ['share']);

    // Assess
    expect(report.plan.actions.map((a) => a.kind)).toEqual(['share']);
    expect(estate.sharedWith('prod-db-2025-03-01-00-00', DST)).toEqual([OTHER_ACCOUNT]);
    expect(estate.find('prod-db-2025-03-01-00-00', DST)?.tags[TAG.SharedWith]).toBe(OTHER_ACCOUNT);
  });
});

describe('runSourcePass: sharing in the same region', () => {
  it('re-encrypts a backup taken in the pass under aws/rds instead of sharing it, with no earlier backup to show the key', async () => {
    // Prepare: the first pass of an aws/rds-encrypted cluster, snapshots available at once as on moto.
    const clock = new ManualClock('2025-03-01T00:00:00.000Z');
    const estate = new MemoryEstate({ clock, instant: true });
    estate.addCluster({ region: SRC, id: 'prod-db', encrypted: true, kmsKeyId: 'alias/aws/rds' });
    const config = sourceConfig({
      ShareSnapshots: true,
      DestinationAccount: OTHER_ACCOUNT,
      KmsKeySource: 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555',
    });

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, config, clock, ['take', 'share']);

    // Assess: the backup is copied for sharing, and never shared itself.
    const [take, copy, ...rest] = report.plan.actions;
    expect(rest).toEqual([]);
    expect(take?.kind).toBe('take');
    expect(copy?.kind === 'copy' && copy.purpose).toBe('share');
    expect(report.failed).toEqual([]);
    const taken = take?.kind === 'take' ? take.snapshotId : '';
    expect(estate.sharedWith(taken, SRC)).toEqual([]);
    expect(report.observation.awsManagedKeys).toEqual(['alias/aws/rds']);
  });
});

describe('observeSource', () => {
  it('asks KMS once per distinct key, only when sharing with another account', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    const key = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
    for (const id of ['prod-db-2025-02-28-01-00', 'prod-db-2025-02-28-02-00']) {
      estate.putSnapshot({ region: SRC, id, kmsKeyId: key, tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE } });
    }
    const config = sourceConfig({ ShareSnapshots: true, DestinationAccount: OTHER_ACCOUNT });

    // Act
    const obs = await observeSource({ source: stores.source }, config, clock);

    // Assess
    expect(estate.calls.isAwsManagedKey).toBe(1);
    expect(obs.awsManagedKeys).toEqual([]);
  });
});

describe('observeSource: wiring checks', () => {
  it('refuses a source store of another region than Source.Region', async () => {
    // Prepare
    const { clock, estate } = setup();

    // Act / Assess
    await expect(observeSource({ source: estate.store(DST) }, sourceConfig(), clock)).rejects.toThrow(
      /Source.Region/,
    );
  });

  it('refuses a destination store of another region than DestinationRegion', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    const config = sourceConfig({ ShareSnapshots: true, DestinationRegion: 'eu-west-1' });

    // Act / Assess
    await expect(observeSource({ ...stores, destination: estate.store(DST) }, config, clock)).rejects.toThrow(
      /DestinationRegion/,
    );
  });

  it('needs a destination store for DR copies, but not for taking alone', async () => {
    // Prepare
    const { clock, stores } = setup();
    const config = sourceConfig({ ShareSnapshots: true, DestinationRegion: DST });

    // Act
    const takeOnly = await observeSource({ source: stores.source }, config, clock, ['take']);

    // Assess
    expect(takeOnly.destinationSnapshots).toEqual([]);
    await expect(observeSource({ source: stores.source }, config, clock, ['share'])).rejects.toThrow(
      /destination/,
    );
    await expect(observeSource({ source: stores.source }, config, clock, ['delete'])).rejects.toThrow(
      /destination/,
    );
  });

  it('ignores a destination store when there is no other destination region', async () => {
    // Prepare
    const { clock, estate, stores } = setup();

    // Act
    const obs = await observeSource(stores, sourceConfig(), clock);

    // Assess
    expect(estate.callCount('listSnapshots', DST)).toBe(0);
    expect(obs.destinationSnapshots).toEqual([]);
  });

  it('finds the aws/rds key of DR copies through the destination store', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    const managed = 'arn:aws:kms:us-west-2:111111111111:key/99999999-9999-9999-9999-999999999999';
    estate.addAwsManagedKey(managed);
    const tags = { [TAG.CopiedBy]: TOOL_TAG_VALUE };
    estate.putSnapshot({ region: DST, id: 'prod-db-a', kmsKeyId: managed, tags });
    estate.putSnapshot({
      region: DST,
      id: 'prod-db-b',
      kmsKeyId: managed,
      tags: { ...tags, [TAG.SharedWith]: OTHER_ACCOUNT },
    });
    estate.putSnapshot({ region: DST, id: 'prod-db-c', tags });
    const config = sourceConfig({
      ShareSnapshots: true,
      DestinationRegion: DST,
      DestinationAccount: OTHER_ACCOUNT,
    });

    // Act
    const obs = await observeSource(stores, config, clock);

    // Assess
    expect(obs.awsManagedKeys).toEqual([managed]);
    expect(estate.callCount('isAwsManagedKey', DST)).toBe(1);
    expect(estate.callCount('isAwsManagedKey', SRC)).toBe(0);
  });
});

describe('sourceStoreFor', () => {
  it('gives the store of each region and refuses any other', () => {
    // Prepare
    const { stores } = setup();
    const storeFor = sourceStoreFor(stores);

    // Act / Assess
    expect(storeFor(SRC)).toBe(stores.source);
    expect(storeFor(DST)).toBe(stores.destination);
    expect(() => storeFor('eu-west-1')).toThrow(/no store/);
    expect(() => sourceStoreFor({ source: stores.source })(DST)).toThrow(/no store/);
    expect(singleStoreFor(stores.source)(SRC)).toBe(stores.source);
    expect(() => singleStoreFor(stores.source)(DST)).toThrow(/no store/);
  });
});

describe('runSourcePass: logging', () => {
  it('logs warning notes as warnings and the others as information', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    estate.setClusterStatus(SRC, 'prod-db', 'stopped');
    const logger = recordingLogger();

    // Act
    await runSourcePass(stores, sourceConfig({ DeleteOldSnapshots: false }), clock, ['take', 'delete'], {
      logger,
    });

    // Assess
    expect(logger.lines.map((l) => [l.level, (l.fields as { code?: string }).code])).toEqual([
      ['warn', 'cluster-not-available'],
      ['info', 'delete-disabled'],
    ]);
  });

  it('logs the notes of a pass that only deletes, and of a dry run', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    estate.setClusterStatus(SRC, 'prod-db', 'stopped');
    const deleting = recordingLogger();
    const dryRun = recordingLogger();
    const config = sourceConfig({ DeleteOldSnapshots: false });

    // Act
    await runSourcePass(stores, config, clock, ['delete'], { logger: deleting });
    await runSourcePass(stores, config, clock, ['take', 'delete'], { logger: dryRun, dryRun: true });

    // Assess
    const codes = (log: typeof deleting) =>
      log.lines.map((l) => [l.level, (l.fields as { code?: string }).code]);
    expect(codes(deleting)).toEqual([['info', 'delete-disabled']]);
    expect(codes(dryRun)).toEqual([
      ['warn', 'cluster-not-available'],
      ['info', 'delete-disabled'],
    ]);
  });
});

describe('observeDestination', () => {
  it('lists shared snapshots only for the copy phase, and refuses a store of another region', async () => {
    // Prepare
    const clock = new ManualClock();
    const estate = new MemoryEstate({ clock });

    // Act
    const obs = await observeDestination(estate.store(DST), destinationConfig(), clock, ['delete']);

    // Assess
    expect(obs.shared).toEqual([]);
    expect(estate.log.filter((c) => c.method === 'listSnapshots').map((c) => c.args[0])).toEqual(['manual']);
    await expect(observeDestination(estate.store(SRC), destinationConfig(), clock)).rejects.toThrow(
      /Destination.Region/,
    );
  });
});

describe('runDestinationPass', () => {
  it('changes nothing on a dry run', async () => {
    // Prepare
    const clock = new ManualClock('2025-03-01T00:00:00.000Z');
    const estate = new MemoryEstate({ clock });
    estate.putSnapshot({
      region: DST,
      id: 'prod-x',
      accountId: OTHER_ACCOUNT,
      sharedWith: [DEFAULT_ACCOUNT],
    });

    // Act
    const report = await runDestinationPass(estate.store(DST), destinationConfig(), clock, ['copy'], {
      dryRun: true,
    });

    // Assess
    expect(report.plan.actions).toHaveLength(1);
    expect(report.results).toEqual([]);
    expect(estate.calls.copySnapshot).toBe(0);
  });

  it('imports a snapshot shared by the source account once, tagged as a copy', async () => {
    // Prepare
    const clock = new ManualClock('2025-03-01T00:00:00.000Z');
    const estate = new MemoryEstate({ clock });
    estate.putSnapshot({
      region: DST,
      id: 'prod-db-2025-02-28-23-00',
      clusterId: 'prod-db',
      accountId: OTHER_ACCOUNT,
      sharedWith: [DEFAULT_ACCOUNT],
    });
    const store = estate.store(DST);
    const config = destinationConfig({ SourceAccount: OTHER_ACCOUNT });

    // Act
    const first = await runDestinationPass(store, config, clock, ['copy', 'delete']);
    const second = await runDestinationPass(store, config, clock, ['copy', 'delete']);

    // Assess
    expect(first.failed).toEqual([]);
    const copy = estate.find('prod-db-2025-02-28-23-00', DST, DEFAULT_ACCOUNT);
    expect(copy?.status).toBe('copying');
    expect(copy?.tags[TAG.CopiedBy]).toBe(TOOL_TAG_VALUE);
    expect(copy?.tags[TAG.SourceAccount]).toBe(OTHER_ACCOUNT);
    expect(second.plan.actions).toEqual([]);
  });
});

describe('checkSnapshots', () => {
  it('is available when all are, not ready while one is in progress, timed out after the bound', async () => {
    // Prepare
    const { clock, estate, stores } = setup();
    await runSourcePass(stores, sourceConfig(), clock, ['take']);
    const refs = [{ region: SRC, id: 'prod-db-2025-03-01-00-00' }];
    const storeFor = (region: string) => estate.store(region);
    const started = clock.now();

    // Act
    const pending = await checkSnapshots(storeFor, refs, clock, started, 60).catch((e: unknown) => e);
    clock.advance({ minutes: 61 });
    const late = await checkSnapshots(storeFor, refs, clock, started, 60).catch((e: unknown) => e);
    estate.settle();
    const done = await checkSnapshots(storeFor, refs, clock, started, 60);

    // Assess
    expect(isToolError(pending, 'SnapshotNotReady')).toBe(true);
    expect(isToolError(late, 'SnapshotTimedOut')).toBe(true);
    expect((late as Error).message).toContain('prod-db-2025-03-01-00-00');
    expect(done.state).toBe('available');
  });
});
