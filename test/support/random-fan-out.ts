/**
 * fast-check arbitraries for several destinations (Source.Destinations): a config of 1 to 5 destinations
 * among copies to two regions, shares in place and copy-then-share, and an estate whose backups have
 * copies in either region in any state, shared with either account or not.
 */
import fc from 'fast-check';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import type { ClusterInfo, SnapshotInfo } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import type { SourceObservation } from '../../src/core/plan/pass.js';
import { MANAGED_SRC, NOW, OTHER, SRC, THIRD } from './random-estate.js';
import { ACCOUNT, cluster, snapshot } from './snapshot-builder.js';

export const W2 = 'us-west-2';
export const EU = 'eu-west-1';
export const COPY_REGIONS = [W2, EU] as const;
export const KEY: Readonly<Record<string, string>> = {
  [W2]: 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222',
  [EU]: 'arn:aws:kms:eu-west-1:111111111111:key/33333333-3333-3333-3333-333333333333',
};
const CMK_SRC = 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111';
const CLUSTERS = ['prod-a', 'prod-b'] as const;

/** Every destination a configuration may list; the arbitrary picks a non-empty subset in a random order. */
const CANDIDATES = [
  { Region: W2 },
  { Region: EU },
  { Region: EU, Account: OTHER },
  { Region: W2, Account: THIRD },
  { Region: SRC, Account: OTHER },
  { Region: SRC, Account: THIRD },
] as const;

export const fanOutConfigArb: fc.Arbitrary<SourceConfig> = fc
  .record({
    picks: fc.shuffledSubarray([...CANDIDATES], { minLength: 1, maxLength: 5 }),
    keys: fc.boolean(),
    kmsSource: fc.boolean(),
    retention: fc.integer({ min: 1, max: 5 }),
    maxDeletes: fc.integer({ min: 1, max: 10 }),
  })
  .map(
    (c) =>
      parseConfig({
        Source: {
          Region: SRC,
          ClusterNamePattern: 'prod',
          BackupInterval: 24,
          RetentionDays: c.retention,
          MaxDeletesPerPass: c.maxDeletes,
          ShareSnapshots: true,
          ...(c.kmsSource ? { KmsKeySource: CMK_SRC } : {}),
          Destinations: c.picks.map((d) =>
            c.keys && d.Region !== SRC ? { ...d, KmsKeyDestination: KEY[d.Region] } : d,
          ),
        },
      }).Source as SourceConfig,
  );

const copySpec = fc.record({
  state: fc.constantFrom('none', 'none', 'available', 'available', 'copying', 'failed'),
  sharedWith: fc.subarray([OTHER, THIRD]),
});

const backupSpec = fc.record({
  cluster: fc.constantFrom(...CLUSTERS),
  ageHours: fc.integer({ min: 0, max: 10 * 24 }),
  status: fc.constantFrom('available', 'available', 'available', 'creating'),
  key: fc.constantFrom('none', 'none', 'cmk', 'managed'),
  marked: fc.boolean(),
  sharedWith: fc.subarray([OTHER, THIRD]),
  copies: fc.tuple(copySpec, copySpec),
});

export interface FanOutEstate {
  readonly clusters: readonly ClusterInfo[];
  readonly snapshots: readonly SnapshotInfo[];
  readonly regionSnapshots: Readonly<Record<string, readonly SnapshotInfo[]>>;
}

export const fanOutEstateArb: fc.Arbitrary<FanOutEstate> = fc
  .record({
    specs: fc.array(backupSpec, { maxLength: 16 }),
    busy: fc.tuple(fc.constantFrom(0, 0, 3, 5, 6), fc.constantFrom(0, 0, 2, 5)),
  })
  .map(({ specs, busy }) => {
    const snapshots: SnapshotInfo[] = [];
    const regionSnapshots: Record<string, SnapshotInfo[]> = { [W2]: [], [EU]: [] };
    specs.forEach((spec, i) => {
      const at = new Date(NOW.getTime() - spec.ageHours * 3_600_000);
      const key = spec.key === 'cmk' ? CMK_SRC : spec.key === 'managed' ? MANAGED_SRC : undefined;
      const source = snapshot(`${spec.cluster}-s${i}`, {
        clusterId: spec.cluster,
        status: spec.status,
        createTime: at,
        encrypted: key !== undefined,
        kmsKeyId: key,
        tags: {
          [TAG.CreatedBy]: TOOL_TAG_VALUE,
          [TAG.Purpose]: 'backup',
          [TAG.PointInTime]: at.toISOString(),
          [TAG.SourceCluster]: spec.cluster,
          [TAG.SourceRegion]: SRC,
          [TAG.SourceAccount]: ACCOUNT,
          ...(spec.marked ? { [TAG.ShareAndCopy]: 'YES' } : {}),
          ...(spec.sharedWith.length > 0 ? { [TAG.SharedWith]: spec.sharedWith.join(' ') } : {}),
        },
      });
      snapshots.push(source);
      COPY_REGIONS.forEach((region, r) => {
        const copy = spec.copies[r];
        if (copy === undefined || copy.state === 'none' || spec.status !== 'available') return;
        regionSnapshots[region]?.push(
          snapshot(source.id, {
            clusterId: spec.cluster,
            region,
            status: copy.state,
            createTime: at,
            encrypted: key !== undefined,
            kmsKeyId: key === undefined ? undefined : KEY[region],
            tags: {
              [TAG.CopiedBy]: TOOL_TAG_VALUE,
              [TAG.Purpose]: 'dr-copy',
              [TAG.PointInTime]: at.toISOString(),
              [TAG.SourceCluster]: spec.cluster,
              [TAG.SourceRegion]: SRC,
              [TAG.SourceAccount]: ACCOUNT,
              [TAG.SourceSnapshot]: source.arn,
              ...(copy.sharedWith.length > 0 ? { [TAG.SharedWith]: copy.sharedWith.join(' ') } : {}),
            },
          }),
        );
      });
    });
    COPY_REGIONS.forEach((region, r) => {
      for (let i = 0; i < (busy[r] ?? 0); i++) {
        regionSnapshots[region]?.push(
          snapshot(`unrelated-${i}`, { region, status: 'copying', createTime: NOW }),
        );
      }
    });
    return { clusters: CLUSTERS.map((id) => cluster(id)), snapshots, regionSnapshots };
  });

export function fanOutObservationOf(estate: FanOutEstate): SourceObservation {
  return {
    now: NOW,
    accountId: ACCOUNT,
    region: SRC,
    clusters: estate.clusters,
    snapshots: estate.snapshots,
    destinationSnapshots: estate.regionSnapshots[W2] ?? [],
    regionSnapshots: estate.regionSnapshots,
    manualSnapshotQuota: 100,
    awsManagedKeys: [MANAGED_SRC],
  };
}
