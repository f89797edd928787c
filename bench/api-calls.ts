/**
 * Comparison 1, API calls per pass: our take, share and delete functions (the engine and the AWS
 * adapter, each observing once) against the model of the original tool's three functions, both
 * counted at the request-counting proxy in front of moto, with moto's listings paged 100 per page.
 */
import { RDSClient } from '@aws-sdk/client-rds';
import { silenceNodeVersionWarning } from '../src/aws/clients.js';
import { createSnapshotStore } from '../src/aws/store-factory.js';
import { parseConfig, type SourceConfig } from '../src/config/schema.js';
import { systemClock } from '../src/core/model/ports.js';
import { TAG } from '../src/core/model/tags.js';
import { ALL_SOURCE_PHASES, runSourcePass, type SourcePhase } from '../src/core/plan/pass.js';
import { takeTags } from '../src/core/plan/source-take.js';
import { createEstate } from '../test/support/estate.js';
import { type FaultProxy, startFaultProxy } from '../test/support/fault-proxy.js';
import { MOTO_CREDENTIALS, MOTO_DEFAULT_ACCOUNT, type MotoServer, startMoto } from '../test/support/moto.js';
import { ORIGINAL_FUNCTIONS, runOriginalFunction } from './original-tool-model.js';
import { type PagingLayer, RDS_DEFAULT_PAGE_SIZE, startPagingLayer } from './paging-layer.js';
import { forEachLimited } from './stats.js';

export const REGION = 'us-east-1';
/** The account snapshots are shared with: recorded on every snapshot, so nothing is left to share. */
export const SHARE_ACCOUNT = '222222222222';
export const CLUSTER_PREFIX = 'bench-db';

export interface ApiCallsOptions {
  /** Cluster counts, each its own estate. @default [1, 10, 50] */
  readonly clusterCounts?: readonly number[];
  /** Manual snapshots in the region, ascending: each estate grows through them. @default [10, 100, 1000] */
  readonly snapshotCounts?: readonly number[];
  /** Report progress. */
  readonly log?: (message: string) => void;
}

/** Calls of one tool over its three functions, by kind. */
export interface CallCounts {
  /** DescribeDBClusterSnapshots requests (pages). */
  readonly listing: number;
  /** ListTagsForResource requests. */
  readonly tags: number;
  /** Every other request (DescribeDBClusters, GetCallerIdentity...). */
  readonly other: number;
  readonly total: number;
  /** Requests per function and `${region}:${Action}`, as counted at the proxy. */
  readonly byFunction: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface ApiCallsRow {
  readonly clusters: number;
  readonly snapshots: number;
  /** ceil(snapshots / 100): the pages of one listing. */
  readonly pagesPerListing: number;
  readonly ours: CallCounts;
  readonly original: CallCounts;
  /** original.total / ours.total */
  readonly ratio: number;
  /**
   * Actions our passes planned but, being dry runs, did not make: takes for clusters that have no
   * snapshot yet (when clusters outnumber snapshots). The original would make the same ones; neither
   * tool's writes are counted.
   */
  readonly oursPlannedActions: number;
}

export interface ApiCallsResult {
  readonly pageSize: number;
  readonly pagingMethod: string;
  readonly rows: readonly ApiCallsRow[];
}

export const PAGING_METHOD =
  'paging layer between the counting proxy and moto (bench/paging-layer.ts): moto answers a listing in one page, ' +
  'the layer serves it 100 items (or MaxRecords) per page with a Marker, so each page is one counted request';

/** The configuration our passes run with: sharing with another account, nothing due, nothing expired. */
export function benchSourceConfig(): SourceConfig {
  const config = parseConfig({
    Source: {
      Region: REGION,
      ClusterNamePattern: `^${CLUSTER_PREFIX}-`,
      BackupInterval: 24,
      RetentionDays: 36500,
      DeleteOldSnapshots: 'TRUE',
      ShareSnapshots: 'TRUE',
      DestinationAccount: SHARE_ACCOUNT,
    },
  });
  if (!config.Source) throw new Error('bench config has no Source block');
  return config.Source;
}

export function clusterId(index: number): string {
  return `${CLUSTER_PREFIX}-${String(index).padStart(3, '0')}`;
}

function classify(byFunction: Record<string, Record<string, number>>): CallCounts {
  let listing = 0;
  let tags = 0;
  let other = 0;
  for (const counts of Object.values(byFunction)) {
    for (const [key, count] of Object.entries(counts)) {
      const action = key.slice(key.indexOf(':') + 1);
      if (action === 'DescribeDBClusterSnapshots') listing += count;
      else if (action === 'ListTagsForResource') tags += count;
      else other += count;
    }
  }
  return { listing, tags, other, total: listing + tags + other, byFunction };
}

/**
 * Our three functions, each a fresh container (its own clients, so its own account lookup). Each is a
 * real pass through the engine and the adapter run dry: it observes and plans exactly as it would,
 * and makes no writes, so the estate stays the same for every measurement.
 */
async function measureOurs(
  proxy: FaultProxy,
  config: SourceConfig,
): Promise<{ counts: CallCounts; actions: number }> {
  const byFunction: Record<string, Record<string, number>> = {};
  let actions = 0;
  for (const phase of ALL_SOURCE_PHASES) {
    const source = createSnapshotStore({
      region: REGION,
      endpoint: proxy.endpoint,
      credentials: MOTO_CREDENTIALS,
      maxAttempts: 3,
      // moto does not implement DescribeAccountAttributes; on AWS each container adds that one call.
      manualSnapshotQuota: 100_000,
    });
    proxy.reset();
    const phases: readonly SourcePhase[] = [phase];
    const report = await runSourcePass({ source }, config, systemClock, phases, { dryRun: true });
    actions += report.plan.actions.length;
    byFunction[phase] = proxy.counts();
  }
  return { counts: classify(byFunction), actions };
}

async function measureOriginal(proxy: FaultProxy): Promise<CallCounts> {
  const byFunction: Record<string, Record<string, number>> = {};
  for (const fn of ORIGINAL_FUNCTIONS) {
    // The original builds its boto3 client inside each function run.
    const rds = new RDSClient({ region: REGION, endpoint: proxy.endpoint, credentials: MOTO_CREDENTIALS });
    proxy.reset();
    await runOriginalFunction(fn, { rds, pattern: `^${CLUSTER_PREFIX}-` });
    byFunction[fn] = proxy.counts();
    rds.destroy();
  }
  return classify(byFunction);
}

/** The stack the measured clients talk to: counting proxy -> paging layer -> moto. */
interface Stack {
  readonly moto: MotoServer;
  readonly paging: PagingLayer;
  readonly proxy: FaultProxy;
}

async function startStack(): Promise<Stack> {
  // moto counts automated snapshots against its quota (1,000 by default): lift it for the estates.
  const moto = await startMoto({ env: { MOTO_RDS_SNAPSHOT_LIMIT: '1000000' } });
  const paging = await startPagingLayer({ target: moto.endpoint });
  const proxy = await startFaultProxy({ target: paging.endpoint, seed: 1 });
  return { moto, paging, proxy };
}

async function stopStack(stack: Stack): Promise<void> {
  await stack.proxy.stop();
  await stack.paging.stop();
  await stack.moto.stop();
}

export async function runApiCalls(options: ApiCallsOptions = {}): Promise<ApiCallsResult> {
  const clusterCounts = options.clusterCounts ?? [1, 10, 50];
  const snapshotCounts = [...(options.snapshotCounts ?? [10, 100, 1000])].sort((a, b) => a - b);
  const log = options.log ?? (() => {});
  silenceNodeVersionWarning();
  const config = benchSourceConfig();
  const stack = await startStack();
  const rows: ApiCallsRow[] = [];
  try {
    for (const clusters of clusterCounts) {
      await stack.moto.reset();
      // The estate is built straight on moto: building it is not what is counted.
      const estate = createEstate({ endpoint: stack.moto.endpoint });
      const ids = Array.from({ length: clusters }, (_, i) => clusterId(i));
      await forEachLimited(ids, 4, async (id) => {
        await estate.createCluster(REGION, id);
      });
      let made = 0;
      const start = Date.now();
      for (const snapshots of snapshotCounts) {
        log(`API calls: ${clusters} cluster(s), ${snapshots} snapshots`);
        const indexes = Array.from({ length: snapshots - made }, (_, i) => made + i);
        await forEachLimited(indexes, 8, async (i) => {
          const cluster = ids[i % clusters] as string;
          // Points in time a minute apart up to now: the newest is recent (nothing due) and none expired.
          const at = new Date(start - (snapshotCounts.at(-1) ?? 0) * 60_000 + i * 60_000);
          await estate.createSnapshot(REGION, {
            clusterId: cluster,
            snapshotId: `${cluster}-s${String(i).padStart(5, '0')}`,
            tags: { ...takeTags(config, cluster, MOTO_DEFAULT_ACCOUNT, at), [TAG.SharedWith]: SHARE_ACCOUNT },
          });
        });
        made = snapshots;
        const ours = await measureOurs(stack.proxy, config);
        const original = await measureOriginal(stack.proxy);
        rows.push({
          clusters,
          snapshots,
          pagesPerListing: Math.ceil(snapshots / RDS_DEFAULT_PAGE_SIZE),
          ours: ours.counts,
          original,
          ratio: original.total / ours.counts.total,
          oursPlannedActions: ours.actions,
        });
      }
    }
  } finally {
    await stopStack(stack);
  }
  return { pageSize: RDS_DEFAULT_PAGE_SIZE, pagingMethod: PAGING_METHOD, rows };
}
