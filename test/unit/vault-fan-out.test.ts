// A vault account as one of several destinations, over the in-memory estate (moto cannot copy a snapshot shared from another account): the source copies to two regions and shares its eu-west-1 copies with the vault, whose own job copies them into its account with its own key and keeps them by its own retention, whatever the source account deletes.
import { describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import {
  ALL_DESTINATION_PHASES,
  ALL_SOURCE_PHASES,
  runDestinationPass,
  runSourcePass,
  sourceStoresWith,
} from '../../src/core/plan/pass.js';
import { ManualClock } from '../support/manual-clock.js';
import { DEFAULT_ACCOUNT, MemoryEstate } from '../support/memory-store.js';

const SRC = 'us-east-1';
const W2 = 'us-west-2';
const EU = 'eu-west-1';
const VAULT = '999988887777';
const SOURCE_KEY = `arn:aws:kms:${SRC}:${DEFAULT_ACCOUNT}:key/11111111-1111-1111-1111-111111111111`;
const W2_KEY = `arn:aws:kms:${W2}:${DEFAULT_ACCOUNT}:key/22222222-2222-2222-2222-222222222222`;
const EU_KEY = `arn:aws:kms:${EU}:${DEFAULT_ACCOUNT}:key/33333333-3333-3333-3333-333333333333`;
const VAULT_KEY = `arn:aws:kms:${EU}:${VAULT}:key/44444444-4444-4444-4444-444444444444`;
const DAY = 86_400_000;
const START = Date.parse('2026-09-01T01:00:00Z');

const source = parseConfig({
  Source: {
    Region: SRC,
    ClusterNamePattern: '^orders$',
    RetentionDays: 1,
    ShareSnapshots: 'TRUE',
    Destinations: [
      { Region: W2, KmsKeyDestination: W2_KEY },
      { Region: EU, Account: VAULT, KmsKeyDestination: EU_KEY },
    ],
  },
}).Source as SourceConfig;

const job = (extra: Record<string, unknown>): DestinationConfig =>
  parseConfig({ Destination: { SnapshotPattern: '^orders$', SourceRegion: SRC, ...extra } })
    .Destination as DestinationConfig;
/** The source account's own jobs in each destination region: short retention. */
const westJob = job({ Region: W2, RetentionDays: 2 });
const euJob = job({ Region: EU, RetentionDays: 2 });
/** The vault's job: copies what the source account shares with it, into its own key, and keeps 10 days. */
const vaultJob = job({
  Region: EU,
  RetentionDays: 10,
  SourceAccount: DEFAULT_ACCOUNT,
  KmsKeyDestination: VAULT_KEY,
  SharedSnapshotsKmsKey: EU_KEY,
});

describe('a vault account among several destinations (in-memory estate: moto cannot copy a snapshot shared from another account)', () => {
  it('copies every shared copy into the vault with its own key, keeps them by its own retention, and the source account cannot delete them', async () => {
    // Prepare: an encrypted cluster; every snapshot and copy is available at once
    const clock = new ManualClock(new Date(START));
    const estate = new MemoryEstate({ clock, instant: true });
    estate.addCluster({ region: SRC, id: 'orders', encrypted: true, kmsKeyId: SOURCE_KEY });
    const stores = sourceStoresWith(source, (region) => estate.store(region));
    const days = 8;

    // Act: each day the source job (with its second share round), each region's own job, and the vault's job
    for (let day = 0; day < days; day++) {
      clock.set(new Date(START + day * DAY));
      const run = await runSourcePass(stores, source, clock, ALL_SOURCE_PHASES);
      const second = await runSourcePass(stores, source, clock, ['share', 'delete']);
      expect([...run.failed, ...second.failed]).toEqual([]);
      for (const config of [westJob, euJob]) {
        const own = await runDestinationPass(
          estate.store(config.Region),
          config,
          clock,
          ALL_DESTINATION_PHASES,
        );
        expect(own.failed).toEqual([]);
      }
      const vault = await runDestinationPass(
        estate.store(EU, VAULT),
        vaultJob,
        clock,
        ALL_DESTINATION_PHASES,
      );
      expect(vault.failed).toEqual([]);
    }

    // Assess: the vault holds a copy of every daily slot, owned by it and under its own key
    const vaultCopies = estate.snapshots({ region: EU, accountId: VAULT });
    expect(vaultCopies).toHaveLength(days);
    for (const copy of vaultCopies) {
      expect(copy.accountId).toBe(VAULT);
      expect(copy.kmsKeyId).toBe(VAULT_KEY);
      expect(copy.tags[TAG.CopiedBy]).toBe(TOOL_TAG_VALUE);
    }
    // The source account kept only its own 2 days in each region (plus the newest), the vault all 8.
    expect(estate.snapshots({ region: EU, accountId: DEFAULT_ACCOUNT }).length).toBeLessThanOrEqual(3);
    expect(estate.snapshots({ region: W2, accountId: DEFAULT_ACCOUNT }).length).toBeLessThanOrEqual(3);
    // Nothing the source account's stores do can delete a vault copy.
    const [first] = vaultCopies;
    await expect(estate.store(EU).deleteSnapshot(first?.id ?? '')).rejects.toThrow();
    await expect(estate.store(EU).deleteSnapshot(first?.arn ?? '')).rejects.toThrow();
    expect(estate.snapshots({ region: EU, accountId: VAULT })).toHaveLength(days);
  });
});
