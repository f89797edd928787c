// The engine's wiring decisions: which region's store and keys a pass observes, which KMS lookups it makes
// (each a call to AWS), how a pass adds the snapshots it just took, and what it reports as failed.
import { describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { ConfigError, ToolError } from '../../../src/core/model/errors.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import {
  ALL_DESTINATION_PHASES,
  ALL_SOURCE_PHASES,
  drRegionOf,
  observeDestination,
  observeSource,
  runDestinationPass,
  runSourcePass,
} from '../../../src/core/plan/pass.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryEstate } from '../../support/memory-store.js';
import { rejection } from '../../support/rejection.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const OTHER = '222222222222';
const KEY = (n: number, region = SRC) =>
  `arn:aws:kms:${region}:111111111111:key/${String(n).repeat(8)}-2222-3333-4444-555555555555`;
const CMK_SRC = 'arn:aws:kms:us-east-1:111111111111:key/11111111-aaaa-bbbb-cccc-555555555555';
const BACKUP = { [TAG.CreatedBy]: TOOL_TAG_VALUE };

function sourceConfig(extra: Record<string, unknown> = {}): SourceConfig {
  return parseConfig({ Source: { Region: SRC, ClusterNamePattern: 'prod', ...extra } })
    .Source as SourceConfig;
}

function destinationConfig(extra: Record<string, unknown> = {}): DestinationConfig {
  return parseConfig({ Destination: { Region: DST, SnapshotPattern: 'ALL_CLUSTERS', ...extra } })
    .Destination as DestinationConfig;
}

function setup(options: { instant?: boolean } = {}) {
  const clock = new ManualClock('2025-03-01T00:00:00.000Z');
  const estate = new MemoryEstate({ clock, ...options });
  return { clock, estate };
}

describe('drRegionOf', () => {
  it('is DestinationRegion only when sharing to another region', () => {
    // Act / Assess
    expect(drRegionOf(sourceConfig({ ShareSnapshots: true, DestinationRegion: DST }))).toBe(DST);
    expect(drRegionOf(sourceConfig({ DestinationRegion: DST }))).toBeUndefined();
    expect(drRegionOf(sourceConfig({ ShareSnapshots: true, DestinationAccount: OTHER }))).toBeUndefined();
    expect(
      drRegionOf(sourceConfig({ ShareSnapshots: true, DestinationRegion: SRC, DestinationAccount: OTHER })),
    ).toBeUndefined();
  });

  it('runs every phase by default', () => {
    // Act / Assess
    expect(ALL_SOURCE_PHASES).toEqual(['take', 'share', 'delete']);
    expect(ALL_DESTINATION_PHASES).toEqual(['copy', 'delete']);
  });
});

describe('observeSource: the KMS lookups', () => {
  const sharing = { ShareSnapshots: true, DestinationAccount: OTHER };

  function estateWithKeys() {
    const { clock, estate } = setup();
    estate.addAwsManagedKey(KEY(9));
    // Keys listed out of order; one backup already shared, one unencrypted, one of another cluster,
    // one in progress, one not the tool's: only keys 9 and 3 are of backups still to share.
    estate.putSnapshot({ region: SRC, id: 'prod-a', kmsKeyId: KEY(9), tags: BACKUP });
    estate.putSnapshot({ region: SRC, id: 'prod-b', kmsKeyId: KEY(3), tags: BACKUP });
    estate.putSnapshot({ region: SRC, id: 'prod-c', kmsKeyId: KEY(9), tags: BACKUP });
    estate.putSnapshot({
      region: SRC,
      id: 'prod-d',
      kmsKeyId: KEY(4),
      tags: { ...BACKUP, [TAG.SharedWith]: OTHER },
    });
    estate.putSnapshot({ region: SRC, id: 'prod-e', encrypted: false, kmsKeyId: KEY(5), tags: BACKUP });
    estate.putSnapshot({ region: SRC, id: 'dev-f', kmsKeyId: KEY(6), tags: BACKUP });
    estate.putSnapshot({ region: SRC, id: 'prod-g', kmsKeyId: KEY(7), status: 'creating', tags: BACKUP });
    estate.putSnapshot({ region: SRC, id: 'prod-h', kmsKeyId: KEY(8) });
    estate.putSnapshot({ region: SRC, id: 'prod-i', encrypted: true, kmsKeyId: undefined, tags: BACKUP });
    return { clock, estate };
  }

  it('asks once per distinct key of the backups still to share, in key order', async () => {
    // Prepare
    const { clock, estate } = estateWithKeys();

    // Act
    const obs = await observeSource({ source: estate.store(SRC) }, sourceConfig(sharing), clock);

    // Assess
    expect(estate.log.filter((c) => c.method === 'isAwsManagedKey').map((c) => c.args[0])).toEqual([
      KEY(3),
      KEY(9),
    ]);
    expect(obs.awsManagedKeys).toEqual([KEY(9)]);
  });

  it('asks nothing when the pass does not share, sharing is off, or there is no other account', async () => {
    // Prepare
    const { clock, estate } = estateWithKeys();
    const source = { source: estate.store(SRC) };

    // Act
    const noSharePhase = await observeSource(source, sourceConfig(sharing), clock, ['take', 'delete']);
    const sharingOff = await observeSource(source, sourceConfig({ DestinationAccount: OTHER }), clock);
    const noAccount = await observeSource(
      { ...source, destination: estate.store(DST) },
      sourceConfig({ ShareSnapshots: true, DestinationRegion: DST }),
      clock,
    );

    // Assess
    expect(estate.calls.isAwsManagedKey).toBe(0);
    for (const obs of [noSharePhase, sharingOff, noAccount]) expect(obs.awsManagedKeys).toEqual([]);
  });

  it('lists the clusters of every engine, so the plan can say which it left out', async () => {
    // Prepare
    const { clock, estate } = setup();
    estate.addCluster({ region: SRC, id: 'prod-aurora' });
    estate.addCluster({ region: SRC, id: 'prod-docs', engine: 'docdb' });

    // Act
    const obs = await observeSource({ source: estate.store(SRC) }, sourceConfig(), clock, ['take']);

    // Assess
    expect(obs.clusters.map((c) => c.id).sort()).toEqual(['prod-aurora', 'prod-docs']);
  });

  it('ignores a destination store when the DR region is the source region', async () => {
    // Prepare
    const { clock, estate } = setup();
    const config = sourceConfig({ ShareSnapshots: true, DestinationRegion: SRC, DestinationAccount: OTHER });

    // Act
    const obs = await observeSource(
      { source: estate.store(SRC), destination: estate.store(DST) },
      config,
      clock,
    );

    // Assess
    expect(obs.destinationSnapshots).toEqual([]);
    expect(estate.callCount('listSnapshots', DST)).toBe(0);
  });
});

describe('observeSource: DestinationAccount naming the account the tool runs in', () => {
  it('refuses to take or share for it, naming the parameter, but lets a delete-only pass run', async () => {
    // Prepare: the memory store acts as account 111111111111
    const { clock, estate } = setup();
    const config = sourceConfig({
      ShareSnapshots: true,
      DestinationAccount: '111111111111',
      KmsKeySource: CMK_SRC,
    });
    const source = { source: estate.store(SRC) };

    // Act
    const take = await rejection(observeSource(source, config, clock, ['take']));
    const share = await rejection(observeSource(source, config, clock, ['share']));
    const deleteOnly = await observeSource(source, config, clock, ['delete']);

    // Assess
    for (const error of [take, share]) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        {
          parameter: 'Source.DestinationAccount',
          value: '111111111111',
          message:
            'is the account these credentials act in: snapshots would be shared with their own account; name the other account the copies are for, or leave DestinationAccount out for copies in this account',
        },
      ]);
    }
    expect(deleteOnly.accountId).toBe('111111111111');
  });

  it('refuses a Destinations item whose Account is its own, naming the item', async () => {
    // Prepare
    const { clock, estate } = setup();
    const config = sourceConfig({
      ShareSnapshots: true,
      Destinations: [
        { Region: SRC, Account: OTHER },
        { Region: SRC, Account: '111111111111' },
      ],
    });

    // Act
    const error = await rejection(observeSource({ source: estate.store(SRC) }, config, clock, ['share']));

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        parameter: 'Source.Destinations[1].Account',
        value: '111111111111',
        message:
          'is the account these credentials act in: snapshots would be shared with their own account; name the other account the copies are for, or leave Account out for copies in this account',
      },
    ]);
  });
});

describe('runSourcePass: the snapshots taken in the pass', () => {
  it('copies a snapshot taken in the same pass once it is available, adding it to the observation once', async () => {
    // Prepare: snapshots are available at once (as on moto)
    const { clock, estate } = setup({ instant: true });
    estate.addCluster({ region: SRC, id: 'prod-db' });
    const config = sourceConfig({ ShareSnapshots: true, DestinationRegion: DST });

    // Act
    const report = await runSourcePass(
      { source: estate.store(SRC), destination: estate.store(DST) },
      config,
      clock,
      ['take', 'share'],
    );

    // Assess
    expect(report.plan.actions.map((a) => a.kind)).toEqual(['take', 'copy']);
    expect(report.observation.snapshots.map((s) => s.id)).toEqual(['prod-db-2025-03-01-00-00']);
    expect(estate.snapshots({ region: DST }).map((s) => s.id)).toEqual(['prod-db-2025-03-01-00-00']);
  });

  it('looks up nothing for a take that failed, and only the new key of what it took', async () => {
    // Prepare: two clusters under aws/rds, one already known as aws/rds from an older backup
    const { clock, estate } = setup({ instant: true });
    estate.addAwsManagedKey(KEY(9));
    estate.addCluster({ region: SRC, id: 'prod-a', encrypted: true, kmsKeyId: KEY(9) });
    estate.addCluster({ region: SRC, id: 'prod-b', encrypted: true, kmsKeyId: KEY(9) });
    estate.addCluster({ region: SRC, id: 'prod-c', encrypted: true, kmsKeyId: KEY(3) });
    estate.putSnapshot({
      region: SRC,
      id: 'prod-a-2025-02-27-00-00',
      kmsKeyId: KEY(9),
      createTime: new Date('2025-02-27T00:00:00.000Z'),
      tags: { ...BACKUP, [TAG.PointInTime]: '2025-02-27T00:00:00.000Z' },
    });
    estate.failNext('createSnapshot', new ToolError('AwsRequestError', 'no'), { times: 1 });
    const config = sourceConfig({ ShareSnapshots: true, DestinationAccount: OTHER, KmsKeySource: CMK_SRC });

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, config, clock, ['take', 'share']);

    // Assess: prod-a's take failed; prod-b's new snapshot has the known key; prod-c's is looked up once
    expect(report.failed.map((r) => r.action.kind === 'take' && r.action.clusterId)).toEqual(['prod-a']);
    expect(estate.log.filter((c) => c.method === 'getSnapshot').map((c) => c.args[0])).toEqual([
      'prod-b-2025-03-01-00-00',
      'prod-c-2025-03-01-00-00',
    ]);
    expect(estate.log.filter((c) => c.method === 'isAwsManagedKey').map((c) => c.args[0])).toEqual([
      KEY(9),
      KEY(3),
    ]);
    expect(report.observation.awsManagedKeys).toEqual([KEY(9)]);
    const copies = report.plan.actions.filter((a) => a.kind === 'copy');
    expect(copies.map((c) => c.kind === 'copy' && c.sourceArn.split(':').pop())).toEqual([
      'prod-b-2025-03-01-00-00',
      'prod-a-2025-02-27-00-00',
    ]);
  });

  it('leaves out a snapshot that vanished right after its take, and goes on', async () => {
    // Prepare: the lookup after the take finds nothing (deleted by hand in between)
    const { clock, estate } = setup({ instant: true });
    estate.addCluster({ region: SRC, id: 'prod-db' });
    const store = estate.store(SRC);
    const vanishing = Object.assign(Object.create(store), { getSnapshot: async () => undefined });
    const config = sourceConfig({ ShareSnapshots: true, DestinationAccount: OTHER, KmsKeySource: CMK_SRC });

    // Act
    const report = await runSourcePass({ source: vanishing }, config, clock, ['take', 'share']);

    // Assess
    expect(report.failed).toEqual([]);
    expect(report.observation.snapshots).toEqual([]);
    expect(report.plan.actions.map((a) => a.kind)).toEqual(['take']);
  });

  it('looks up no key of what it took when the pass does not share in the region', async () => {
    // Prepare
    const { clock, estate } = setup({ instant: true });
    estate.addCluster({ region: SRC, id: 'prod-a', encrypted: true, kmsKeyId: KEY(3) });
    const dr = sourceConfig({ ShareSnapshots: true, DestinationRegion: DST, KmsKeyDestination: KEY(1, DST) });

    // Act
    await runSourcePass({ source: estate.store(SRC), destination: estate.store(DST) }, dr, clock, [
      'take',
      'share',
    ]);
    clock.advance({ hours: 24 });
    await runSourcePass(
      { source: estate.store(SRC) },
      sourceConfig({ ShareSnapshots: true, DestinationAccount: OTHER, KmsKeySource: CMK_SRC }),
      clock,
      ['take', 'delete'],
    );

    // Assess: both passes took a backup
    expect(estate.snapshots({ region: SRC }).map((s) => s.id)).toEqual([
      'prod-a-2025-03-01-00-00',
      'prod-a-2025-03-02-00-00',
    ]);
    expect(estate.calls.isAwsManagedKey).toBe(0);
  });

  it('looks up no key of what it took when the copies shared with another account are made in another region', async () => {
    // Prepare: the account receives the DR copies in us-west-2, made with KmsKeyDestination; nothing is
    // shared in the source region, so the key of a new backup there is never the question.
    const { clock, estate } = setup({ instant: true });
    estate.addCluster({ region: SRC, id: 'prod-a', encrypted: true, kmsKeyId: KEY(3) });
    const config = sourceConfig({
      ShareSnapshots: true,
      DestinationRegion: DST,
      DestinationAccount: OTHER,
      KmsKeyDestination: KEY(1, DST),
    });

    // Act
    const report = await runSourcePass(
      { source: estate.store(SRC), destination: estate.store(DST) },
      config,
      clock,
      ['take', 'share'],
    );

    // Assess
    expect(report.plan.actions.map((a) => a.kind)).toEqual(['take', 'copy']);
    expect(estate.calls.isAwsManagedKey).toBe(0);
  });

  it('keeps the aws/rds keys in key order when it adds those of the new snapshots', async () => {
    // Prepare: an older backup under key 9 (aws/rds) and new snapshots under key 3 (aws/rds too)
    const { clock, estate } = setup({ instant: true });
    estate.addAwsManagedKey(KEY(9));
    estate.addAwsManagedKey(KEY(3));
    estate.addCluster({ region: SRC, id: 'prod-c', encrypted: true, kmsKeyId: KEY(3) });
    estate.putSnapshot({
      region: SRC,
      id: 'prod-old-2025-02-27-00-00',
      clusterId: 'prod-old',
      kmsKeyId: KEY(9),
      tags: { ...BACKUP, [TAG.PointInTime]: '2025-02-27T00:00:00.000Z' },
    });
    const config = sourceConfig({ ShareSnapshots: true, DestinationAccount: OTHER, KmsKeySource: CMK_SRC });

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, config, clock, ['take', 'share']);

    // Assess
    expect(report.observation.awsManagedKeys).toEqual([KEY(3), KEY(9)]);
  });
});

describe('passes report what failed', () => {
  it('lists the failed actions of a source pass without the take-then-share split', async () => {
    // Prepare
    const { clock, estate } = setup();
    estate.addCluster({ region: SRC, id: 'prod-db' });
    estate.failNext('createSnapshot', new ToolError('SnapshotQuotaExceeded', 'full'));

    // Act
    const report = await runSourcePass({ source: estate.store(SRC) }, sourceConfig(), clock, ['take']);

    // Assess
    expect(report.failed).toEqual([
      expect.objectContaining({ ok: false, error: 'SnapshotQuotaExceeded', message: 'full' }),
    ]);
  });

  it('lists the failed actions of a destination pass', async () => {
    // Prepare: an old tool copy to delete, whose deletion fails
    const { clock, estate } = setup();
    estate.putSnapshot({
      region: DST,
      id: 'prod-old',
      clusterId: 'prod',
      createTime: new Date('2025-01-01T00:00:00.000Z'),
      tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE },
    });
    estate.putSnapshot({
      region: DST,
      id: 'prod-new',
      clusterId: 'prod',
      tags: { [TAG.CopiedBy]: TOOL_TAG_VALUE },
    });
    estate.failNext('deleteSnapshot', new ToolError('AccessDenied', 'denied'));

    // Act
    const report = await runDestinationPass(estate.store(DST), destinationConfig(), clock, ['delete']);

    // Assess
    expect(report.failed).toEqual([expect.objectContaining({ ok: false, error: 'AccessDenied' })]);
  });
});

describe('observeDestination', () => {
  it('lists the snapshots shared with the account by default (every phase)', async () => {
    // Prepare
    const { clock, estate } = setup();
    estate.putSnapshot({ region: DST, id: 'prod-db-1', accountId: OTHER, sharedWith: ['111111111111'] });

    // Act
    const obs = await observeDestination(estate.store(DST), destinationConfig(), clock);

    // Assess
    expect(estate.log.filter((c) => c.method === 'listSnapshots').map((c) => c.args[0])).toEqual([
      'manual',
      'shared',
    ]);
    expect(obs.shared.map((s) => s.id)).toEqual([`arn:aws:rds:${DST}:${OTHER}:cluster-snapshot:prod-db-1`]);
  });
});
