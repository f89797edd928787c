// The engine with copies to several regions and shares with several accounts (Source.Destinations): the store
// of each region, what each region's listing becomes in the observation, and which KMS lookups a share pass
// makes (each one a call to AWS; a key missed would have a snapshot shared under aws/rds, which AWS refuses).
import { describe, expect, it } from 'vitest';
import type { SnapshotStore } from '../../../src/core/model/ports.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { observeSource, type SourceStores, sourceStoresWith } from '../../../src/core/plan/pass.js';
import { AP, EU, SRC, sourceConfig, W2 } from '../../support/destinations-fixture.js';
import { ManualClock } from '../../support/manual-clock.js';
import { DEFAULT_ACCOUNT, MemoryEstate } from '../../support/memory-store.js';
import { rejection } from '../../support/rejection.js';

const IN_PLACE = '222222222222';
const W2_ACCOUNT = '333333333333';
const AP_ACCOUNT = '444444444444';
const key = (region: string, n: number) =>
  `arn:aws:kms:${region}:${DEFAULT_ACCOUNT}:key/${String(n).repeat(8)}-2222-3333-4444-555555555555`;
const BACKUP = { [TAG.CreatedBy]: TOOL_TAG_VALUE };
const COPY = { [TAG.CopiedBy]: TOOL_TAG_VALUE };

function setup() {
  const clock = new ManualClock('2025-03-01T00:00:00.000Z');
  const estate = new MemoryEstate({ clock });
  return { clock, estate };
}

/** One store per region, made up front so the stores given can be compared with those expected. */
function storesOf(estate: MemoryEstate) {
  const byRegion = new Map<string, SnapshotStore>(
    [SRC, W2, EU, AP].map((region) => [region, estate.store(region)]),
  );
  const storeFor = (region: string): SnapshotStore => {
    const store = byRegion.get(region);
    if (store === undefined) throw new Error(`no store for ${String(region)}`);
    return store;
  };
  const of = (region: string): SnapshotStore => byRegion.get(region) as SnapshotStore;
  return { storeFor, of };
}

describe('sourceStoresWith', () => {
  it('gives a destination store only with a region copies go to, and the list of stores only with several', () => {
    // Prepare
    const { estate } = setup();
    const { storeFor, of } = storesOf(estate);

    // Act
    const none = sourceStoresWith(sourceConfig(), storeFor);
    const inPlace = sourceStoresWith(
      sourceConfig({ ShareSnapshots: true, DestinationAccount: IN_PLACE }),
      storeFor,
    );
    const one = sourceStoresWith(sourceConfig({ ShareSnapshots: true, DestinationRegion: W2 }), storeFor);
    const several = sourceStoresWith(
      sourceConfig({
        ShareSnapshots: true,
        Destinations: [
          { Region: W2 },
          { Region: SRC, Account: IN_PLACE },
          { Region: EU, Account: W2_ACCOUNT },
        ],
      }),
      storeFor,
    );

    // Assess: a share in place needs no other region's store
    expect(none).toStrictEqual<SourceStores>({ source: of(SRC), destination: undefined });
    expect(inPlace).toStrictEqual<SourceStores>({ source: of(SRC), destination: undefined });
    expect(one).toStrictEqual<SourceStores>({ source: of(SRC), destination: of(W2) });
    expect(several).toStrictEqual<SourceStores>({
      source: of(SRC),
      destination: of(W2),
      destinations: [of(W2), of(EU)],
    });
  });
});

describe('observeSource: the store of each region copies go to', () => {
  it('refuses a share pass without the store of a copy region before listing anything, naming stores.destinations only when copies go to several regions', async () => {
    // Prepare
    const { clock, estate } = setup();
    const source = estate.store(SRC);
    const one = sourceConfig({ ShareSnapshots: true, DestinationRegion: W2 });
    const several = sourceConfig({ ShareSnapshots: true, Destinations: [{ Region: W2 }, { Region: EU }] });

    // Act
    const oneMissing = await rejection(observeSource({ source }, one, clock, ['share']));
    const secondMissing = await rejection(
      observeSource({ source, destination: estate.store(W2) }, several, clock, ['share']),
    );

    // Assess
    expect(oneMissing.message).toBe(
      'engine: DR copies go to us-west-2; pass a store for that region as stores.destination',
    );
    expect(secondMissing.message).toBe(
      'engine: DR copies go to eu-west-1; pass a store for that region as stores.destination or in stores.destinations',
    );
    expect(estate.calls.listSnapshots).toBe(0);
  });

  it("gives each copy region's snapshots in regionSnapshots only with several regions, and the first region's as destinationSnapshots", async () => {
    // Prepare
    const { clock, estate } = setup();
    estate.putSnapshot({ region: SRC, id: 'prod-db-src', tags: BACKUP });
    estate.putSnapshot({ region: W2, id: 'prod-db-w2', tags: COPY });
    estate.putSnapshot({ region: EU, id: 'prod-db-eu', tags: COPY });
    const { storeFor } = storesOf(estate);
    const ids = (list: readonly { id: string }[]) => list.map((s) => s.id);
    const configs = {
      none: sourceConfig(),
      one: sourceConfig({ ShareSnapshots: true, DestinationRegion: W2 }),
      several: sourceConfig({ ShareSnapshots: true, Destinations: [{ Region: W2 }, { Region: EU }] }),
    };

    // Act
    const none = await observeSource(sourceStoresWith(configs.none, storeFor), configs.none, clock);
    const one = await observeSource(sourceStoresWith(configs.one, storeFor), configs.one, clock);
    const several = await observeSource(sourceStoresWith(configs.several, storeFor), configs.several, clock);

    // Assess
    expect(ids(none.destinationSnapshots)).toEqual([]);
    expect(none).not.toHaveProperty('regionSnapshots');
    expect(ids(one.destinationSnapshots)).toEqual(['prod-db-w2']);
    expect(one).not.toHaveProperty('regionSnapshots');
    expect(ids(several.destinationSnapshots)).toEqual(['prod-db-w2']);
    expect(Object.keys(several.regionSnapshots ?? {})).toEqual([W2, EU]);
    expect(ids(several.regionSnapshots?.[W2] ?? [])).toEqual(['prod-db-w2']);
    expect(ids(several.regionSnapshots?.[EU] ?? [])).toEqual(['prod-db-eu']);
    for (const obs of [none, one, several]) expect(ids(obs.snapshots)).toEqual(['prod-db-src']);
  });

  it("never reports another region's snapshots as the first copy region's when only a later region's store is given", async () => {
    // Prepare: a take-only pass may run without the stores of the copy regions
    const { clock, estate } = setup();
    estate.putSnapshot({ region: EU, id: 'prod-db-eu', tags: COPY });
    const config = sourceConfig({ ShareSnapshots: true, Destinations: [{ Region: W2 }, { Region: EU }] });

    // Act
    const obs = await observeSource(
      { source: estate.store(SRC), destinations: [estate.store(EU)] },
      config,
      clock,
      ['take'],
    );

    // Assess
    expect(estate.callCount('listSnapshots', EU)).toBe(1);
    expect(obs.destinationSnapshots).toEqual([]);
    expect(obs).not.toHaveProperty('regionSnapshots');
  });
});

describe('observeSource: the KMS lookups of a share pass with several destinations', () => {
  it("asks only for the keys of snapshots still to be shared with their own region's accounts, once per key and region, and sorts the aws/rds keys found", async () => {
    // Prepare: a share in place, copies shared with one account in us-west-2 and another in ap-southeast-2,
    // and copies to eu-west-1 shared with nobody.
    const { clock, estate } = setup();
    for (const managed of [key(SRC, 1), key(W2, 1), key(AP, 1)]) estate.addAwsManagedKey(managed);
    // In place: a backup still to share (aws/rds) and one already shared with the in-place account.
    estate.putSnapshot({ region: SRC, id: 'prod-db-1', kmsKeyId: key(SRC, 1), tags: BACKUP });
    estate.putSnapshot({
      region: SRC,
      id: 'prod-db-2',
      kmsKeyId: key(SRC, 2),
      tags: { ...BACKUP, [TAG.SharedWith]: IN_PLACE },
    });
    // us-west-2: a copy still to share (aws/rds) and one already shared with that region's account.
    estate.putSnapshot({ region: W2, id: 'prod-db-1', kmsKeyId: key(W2, 1), tags: COPY });
    estate.putSnapshot({
      region: W2,
      id: 'prod-db-2',
      kmsKeyId: key(W2, 2),
      tags: { ...COPY, [TAG.SharedWith]: W2_ACCOUNT },
    });
    // eu-west-1: copies only, shared with no account.
    estate.putSnapshot({ region: EU, id: 'prod-db-1', kmsKeyId: key(EU, 3), tags: COPY });
    // ap-southeast-2: a copy still to share (aws/rds).
    estate.putSnapshot({ region: AP, id: 'prod-db-1', kmsKeyId: key(AP, 1), tags: COPY });
    const config = sourceConfig({
      ShareSnapshots: true,
      Destinations: [
        { Region: W2, Account: W2_ACCOUNT, KmsKeyDestination: key(W2, 2) },
        { Region: SRC, Account: IN_PLACE },
        { Region: EU, KmsKeyDestination: key(EU, 3) },
        { Region: AP, Account: AP_ACCOUNT, KmsKeyDestination: key(AP, 4) },
      ],
    });
    const stores = sourceStoresWith(config, (region) => estate.store(region));

    // Act
    const obs = await observeSource(stores, config, clock, ['share']);

    // Assess
    const lookups = estate.log
      .filter((c) => c.method === 'isAwsManagedKey')
      .map((c) => [c.region, c.args[0]]);
    expect(lookups).toEqual([
      [SRC, key(SRC, 1)],
      [W2, key(W2, 1)],
      [AP, key(AP, 1)],
    ]);
    expect(obs.awsManagedKeys).toEqual([key(AP, 1), key(SRC, 1), key(W2, 1)]);
  });
});
