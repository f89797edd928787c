/**
 * A model of the RDS calls the original Python tool's source functions make, issued as real SDK calls
 * so the benchmark counts them on the wire like ours. In the original's code each of its take, share
 * and delete functions lists the region's cluster snapshots with a boto3 paginator (no MaxRecords:
 * RDS's default page of 100) and then calls ListTagsForResource once per manual snapshot whose cluster
 * matches the pattern, to find its own by the CreatedBy tag; the take function first lists the
 * clusters. Its writes are not modelled: they would be the same as ours, and the benchmark counts
 * what it costs each tool to look.
 */
import {
  ListTagsForResourceCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBClusters,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { forEachLimited } from './stats.js';

export type OriginalFunction = 'take' | 'share' | 'delete';

export const ORIGINAL_FUNCTIONS: readonly OriginalFunction[] = ['take', 'share', 'delete'];

export interface OriginalRunOptions {
  readonly rds: RDSClient;
  /** ClusterNamePattern, searched in the cluster identifier as the original's `re.search` does. */
  readonly pattern: string;
  /**
   * Tag lookups in flight at once. The original makes them one after another; running a few at once
   * only shortens the benchmark, the number of calls is the same. @default 8
   */
  readonly concurrency?: number;
}

export interface OriginalRunResult {
  readonly fn: OriginalFunction;
  /** Manual snapshots of matching clusters: one ListTagsForResource each. */
  readonly tagLookups: number;
  /** Snapshots carrying CreatedBy=Snapshot Tool for Aurora, as the original would find them. */
  readonly ownSnapshots: number;
}

const CREATED_BY = 'CreatedBy';
const TOOL_TAG_VALUE = 'Snapshot Tool for Aurora';

/** One run of one of the original's source functions, as far as its reads go. */
export async function runOriginalFunction(
  fn: OriginalFunction,
  options: OriginalRunOptions,
): Promise<OriginalRunResult> {
  const { rds } = options;
  const pattern = new RegExp(options.pattern);
  if (fn === 'take') {
    for await (const _page of paginateDescribeDBClusters({ client: rds }, {})) {
      // The original filters clusters by pattern locally; the pages are what costs.
    }
  }
  const arns: string[] = [];
  // boto3's paginator sends no MaxRecords unless asked: RDS then answers 100 per page.
  for await (const page of paginateDescribeDBClusterSnapshots({ client: rds }, { SnapshotType: 'manual' })) {
    for (const snapshot of page.DBClusterSnapshots ?? []) {
      if (
        snapshot.SnapshotType === 'manual' &&
        pattern.test(snapshot.DBClusterIdentifier ?? '') &&
        snapshot.DBClusterSnapshotArn !== undefined
      ) {
        arns.push(snapshot.DBClusterSnapshotArn);
      }
    }
  }
  let own = 0;
  await forEachLimited(arns, options.concurrency ?? 8, async (arn) => {
    const tags = await rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    if ((tags.TagList ?? []).some((tag) => tag.Key === CREATED_BY && tag.Value === TOOL_TAG_VALUE)) own += 1;
  });
  return { fn, tagLookups: arns.length, ownSnapshots: own };
}
