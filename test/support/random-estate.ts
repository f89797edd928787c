/**
 * fast-check arbitraries of source and destination estates and configs, for the property tests of the
 * core: clusters, snapshots with random tags, types, states, keys and ages, DR copies and shared offers.
 */
import fc from 'fast-check';
import { type DestinationConfig, parseConfig, type SourceConfig } from '../../src/config/schema.js';
import type { ClusterInfo, SnapshotInfo } from '../../src/core/model/model.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import type { DestinationObservation, SourceObservation } from '../../src/core/plan/pass.js';
import { ACCOUNT, cluster, snapshot } from './snapshot-builder.js';

export const NOW = new Date('2025-06-01T00:00:00.000Z');
export const SRC = 'us-east-1';
export const DST = 'us-west-2';
export const OTHER = '222222222222';
export const THIRD = '333333333333';
export const CMK_SRC = 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111';
export const CMK_DST = 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222';
export const MANAGED_SRC = 'arn:aws:kms:us-east-1:111111111111:key/99999999-9999-9999-9999-999999999999';
export const CLUSTERS = ['prod-a', 'prod-b', 'dev-c'] as const;

/** Arrays of a length drawn evenly up to `max` (fast-check's default favours short arrays). */
function arrayUpTo<T>(item: fc.Arbitrary<T>, max: number): fc.Arbitrary<T[]> {
  return fc.integer({ min: 0, max }).chain((n) => fc.array(item, { minLength: n, maxLength: n }));
}

export type ShareMode = 'none' | 'dr' | 'dr-account' | 'account';

export const sourceConfigArb: fc.Arbitrary<SourceConfig> = fc
  .record({
    pattern: fc.constantFrom('ALL_CLUSTERS', 'prod', '^prod-a$'),
    interval: fc.integer({ min: 1, max: 48 }),
    retention: fc.integer({ min: 1, max: 10 }),
    deleteOld: fc.boolean(),
    mode: fc.constantFrom<ShareMode>('none', 'dr', 'dr-account', 'account'),
    kmsSource: fc.boolean(),
    kmsDestination: fc.boolean(),
    maxDeletes: fc.integer({ min: 1, max: 8 }),
  })
  .map((c) => {
    const source: Record<string, unknown> = {
      Region: SRC,
      ClusterNamePattern: c.pattern,
      BackupInterval: c.interval,
      RetentionDays: c.retention,
      DeleteOldSnapshots: c.deleteOld,
      MaxDeletesPerPass: c.maxDeletes,
      ShareSnapshots: c.mode !== 'none',
    };
    if (c.mode === 'dr' || c.mode === 'dr-account' || (c.mode === 'none' && c.kmsSource)) {
      source.DestinationRegion = DST;
    }
    if (c.mode === 'dr-account' || c.mode === 'account') source.DestinationAccount = OTHER;
    if (c.kmsSource) source.KmsKeySource = CMK_SRC;
    if (c.kmsDestination && source.DestinationRegion === DST) source.KmsKeyDestination = CMK_DST;
    return parseConfig({ Source: source }).Source as SourceConfig;
  });

interface SourceSnapshotSpec {
  readonly cluster: string;
  readonly ageMinutes: number;
  readonly status: string;
  readonly type: string;
  readonly kind: 'backup' | 'original' | 'untagged' | 'foreign' | 'share-copy' | 'copy-tagged';
  readonly key: 'none' | 'cmk' | 'managed';
  readonly shared: boolean;
  readonly copy: 'none' | 'available' | 'copying' | 'failed';
  readonly copyShared: boolean;
  /** Taken while ShareSnapshots was on: tagged shareAndCopy=YES. */
  readonly marked: boolean;
}

const sourceSnapshotSpec: fc.Arbitrary<SourceSnapshotSpec> = fc.record({
  cluster: fc.constantFrom(...CLUSTERS, 'prod-gone'),
  ageMinutes: fc.integer({ min: 0, max: 14 * 24 * 60 }),
  status: fc.constantFrom('available', 'available', 'available', 'creating', 'copying', 'failed'),
  type: fc.constantFrom('manual', 'manual', 'manual', 'manual', 'automated'),
  kind: fc.constantFrom('backup', 'backup', 'original', 'untagged', 'foreign', 'share-copy', 'copy-tagged'),
  key: fc.constantFrom('none', 'none', 'cmk', 'managed'),
  shared: fc.boolean(),
  copy: fc.constantFrom('none', 'none', 'available', 'available', 'copying', 'failed'),
  copyShared: fc.boolean(),
  marked: fc.boolean(),
});

function minutesAgo(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * 60_000);
}

function buildSourceSnapshot(spec: SourceSnapshotSpec, index: number): SnapshotInfo {
  const at = minutesAgo(spec.ageMinutes);
  const base = `${spec.cluster}-s${index}`;
  const id = spec.kind === 'share-copy' ? `${base}-shared` : base;
  const key = spec.key === 'cmk' ? CMK_SRC : spec.key === 'managed' ? MANAGED_SRC : undefined;
  const shared = {
    ...(spec.shared ? { [TAG.SharedWith]: OTHER } : {}),
    ...(spec.marked ? { [TAG.ShareAndCopy]: 'YES' } : {}),
  };
  const ours = {
    [TAG.CreatedBy]: TOOL_TAG_VALUE,
    [TAG.PointInTime]: at.toISOString(),
    [TAG.SourceCluster]: spec.cluster,
    [TAG.SourceRegion]: SRC,
    [TAG.SourceAccount]: ACCOUNT,
  };
  const tags = {
    backup: { ...ours, [TAG.Purpose]: 'backup', ...shared },
    original: { [TAG.CreatedBy]: TOOL_TAG_VALUE, CreatedOn: 'x', ...shared },
    untagged: {},
    foreign: { [TAG.CreatedBy]: 'someone else', ...shared },
    'share-copy': {
      ...ours,
      [TAG.Purpose]: 'share',
      [TAG.SourceSnapshot]: `arn:aws:rds:${SRC}:${ACCOUNT}:cluster-snapshot:${base}`,
      ...(spec.key === 'managed' ? {} : shared),
    },
    'copy-tagged': { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: at.toISOString() },
  }[spec.kind];
  return snapshot(id, {
    clusterId: spec.cluster,
    region: SRC,
    type: spec.type,
    status: spec.status,
    createTime: at,
    encrypted: key !== undefined,
    kmsKeyId: spec.kind === 'share-copy' && key !== undefined ? CMK_SRC : key,
    tags,
  });
}

function buildDrCopy(spec: SourceSnapshotSpec, source: SnapshotInfo): SnapshotInfo | undefined {
  if (spec.copy === 'none' || spec.kind === 'share-copy' || source.type !== 'manual') return undefined;
  const { [TAG.CreatedBy]: _c, [TAG.SharedWith]: _s, ...tags } = source.tags;
  return snapshot(source.id, {
    clusterId: source.clusterId,
    region: DST,
    status: spec.copy,
    createTime: NOW,
    encrypted: source.encrypted,
    kmsKeyId: source.encrypted ? CMK_DST : undefined,
    tags: {
      ...tags,
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.PointInTime]: (source.createTime ?? NOW).toISOString(),
      [TAG.SourceSnapshot]: source.arn,
      [TAG.Purpose]: 'dr-copy',
      ...(spec.copyShared ? { [TAG.SharedWith]: OTHER } : {}),
    },
  });
}

export interface SourceEstate {
  readonly clusters: readonly ClusterInfo[];
  readonly snapshots: readonly SnapshotInfo[];
  readonly destinationSnapshots: readonly SnapshotInfo[];
}

export const sourceEstateArb: fc.Arbitrary<SourceEstate> = fc
  .record({
    statuses: fc.tuple(
      fc.constantFrom('available', 'available', 'stopped'),
      fc.constantFrom('available', 'available', 'backing-up'),
      fc.constantFrom('available'),
    ),
    specs: arrayUpTo(sourceSnapshotSpec, 40),
    busyCopies: fc.constantFrom(0, 0, 0, 0, 2, 4, 5, 6),
  })
  .map(({ statuses, specs, busyCopies }) => {
    const clusters = CLUSTERS.map((id, i) => cluster(id, { status: statuses[i] ?? 'available' }));
    const snapshots = specs.map(buildSourceSnapshot);
    const copies = specs
      .map((spec, i) => buildDrCopy(spec, snapshots[i] as SnapshotInfo))
      .filter((s): s is SnapshotInfo => s !== undefined);
    const busy = Array.from({ length: busyCopies }, (_, i) =>
      snapshot(`unrelated-copy-${i}`, { region: DST, status: 'copying', createTime: NOW }),
    );
    return { clusters, snapshots, destinationSnapshots: [...copies, ...busy] };
  });

export function sourceObservationOf(estate: SourceEstate, now = NOW): SourceObservation {
  return {
    now,
    accountId: ACCOUNT,
    region: SRC,
    clusters: estate.clusters,
    snapshots: estate.snapshots.filter((s) => s.type === 'manual'),
    destinationSnapshots: estate.destinationSnapshots,
    manualSnapshotQuota: 100,
    awsManagedKeys: [MANAGED_SRC],
  };
}

/** The same estate seen without the listing's type filter: automated snapshots included. */
export function unfilteredObservationOf(estate: SourceEstate): SourceObservation {
  return { ...sourceObservationOf(estate), snapshots: estate.snapshots };
}

export const destinationConfigArb: fc.Arbitrary<DestinationConfig> = fc
  .record({
    pattern: fc.constantFrom('ALL_CLUSTERS', 'prod', '^prod-a$'),
    retention: fc.integer({ min: 1, max: 10 }),
    deleteOld: fc.boolean(),
    sourceRegion: fc.constantFrom(undefined, SRC),
    sourceAccount: fc.constantFrom(undefined, OTHER),
    kms: fc.boolean(),
    maxDeletes: fc.integer({ min: 1, max: 8 }),
  })
  .map((c) => {
    const destination: Record<string, unknown> = {
      Region: DST,
      SnapshotPattern: c.pattern,
      RetentionDays: c.retention,
      DeleteOldSnapshots: c.deleteOld,
      MaxDeletesPerPass: c.maxDeletes,
    };
    if (c.sourceRegion) destination.SourceRegion = c.sourceRegion;
    if (c.sourceAccount) destination.SourceAccount = c.sourceAccount;
    if (c.kms) destination.KmsKeyDestination = CMK_DST;
    return parseConfig({ Destination: destination }).Destination as DestinationConfig;
  });

const ownCopySpec = fc.record({
  cluster: fc.constantFrom(...CLUSTERS),
  ageMinutes: fc.integer({ min: 0, max: 14 * 24 * 60 }),
  status: fc.constantFrom('available', 'available', 'available', 'copying', 'failed'),
  type: fc.constantFrom('manual', 'manual', 'manual', 'automated'),
  copiedBy: fc.constantFrom(TOOL_TAG_VALUE, TOOL_TAG_VALUE, TOOL_TAG_VALUE, 'someone else', undefined),
  createdBy: fc.boolean(),
  sourceRegion: fc.constantFrom(SRC, SRC, 'eu-west-1', 'eu-west-1', undefined),
  sourceAccount: fc.constantFrom(OTHER, OTHER, THIRD, THIRD, undefined),
});

const offerSpec = fc.record({
  cluster: fc.constantFrom(...CLUSTERS),
  ageMinutes: fc.integer({ min: 0, max: 14 * 24 * 60 }),
  status: fc.constantFrom('available', 'available', 'creating'),
  account: fc.constantFrom(OTHER, THIRD),
  encrypted: fc.boolean(),
});

export interface OwnedCopyEstate {
  readonly snapshots: readonly SnapshotInfo[];
  readonly shared: readonly SnapshotInfo[];
}

export const destinationEstateArb: fc.Arbitrary<OwnedCopyEstate> = fc
  .record({ own: arrayUpTo(ownCopySpec, 30), offers: arrayUpTo(offerSpec, 12) })
  .map(({ own, offers }) => {
    const snapshots = own.map((spec, i) => {
      const at = minutesAgo(spec.ageMinutes);
      const tags: Record<string, string> = {
        [TAG.PointInTime]: at.toISOString(),
        [TAG.SourceCluster]: spec.cluster,
      };
      if (spec.copiedBy !== undefined) tags[TAG.CopiedBy] = spec.copiedBy;
      if (spec.createdBy) tags[TAG.CreatedBy] = TOOL_TAG_VALUE;
      if (spec.sourceRegion !== undefined) tags[TAG.SourceRegion] = spec.sourceRegion;
      if (spec.sourceAccount !== undefined) tags[TAG.SourceAccount] = spec.sourceAccount;
      return snapshot(`${spec.cluster}-c${i}`, {
        clusterId: spec.cluster,
        region: DST,
        type: spec.type,
        status: spec.status,
        createTime: at,
        tags,
      });
    });
    const shared = offers.map((spec, i) => {
      const at = minutesAgo(spec.ageMinutes);
      const original = snapshot(`${spec.cluster}-o${i}`, {
        clusterId: spec.cluster,
        region: DST,
        accountId: spec.account,
        status: spec.status,
        createTime: at,
        encrypted: spec.encrypted,
        kmsKeyId: spec.encrypted
          ? `arn:aws:kms:${DST}:${spec.account}:key/33333333-3333-3333-3333-333333333333`
          : undefined,
      });
      return { ...original, id: original.arn, type: 'shared' };
    });
    return { snapshots, shared };
  });

export function destinationObservationOf(estate: OwnedCopyEstate, now = NOW): DestinationObservation {
  return {
    now,
    accountId: ACCOUNT,
    region: DST,
    snapshots: estate.snapshots.filter((s) => s.type === 'manual'),
    shared: estate.shared,
    manualSnapshotQuota: 100,
  };
}
