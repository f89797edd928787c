/**
 * A loopback layer in front of the emulator that dates cluster snapshots on the demo's virtual clock: moto sets
 * `SnapshotCreateTime` from the real clock, so a snapshot taken at a simulated 01:00 five days ahead would say it
 * was made today. The tool reads its own snapshots' point in time from their tags, but an account that is shared
 * a snapshot sees no tags (AWS returns them only to the owner), only `SnapshotCreateTime`: without this layer the
 * organization's vault would date every member's backup by the real clock.
 */
import { type Layer, startAnswerLayer } from './http-forward.js';

const SNAPSHOT_BLOCK = /<DBClusterSnapshot>[\s\S]*?<\/DBClusterSnapshot>/g;
const SNAPSHOT_ARN = /<DBClusterSnapshotArn>([^<]+)<\/DBClusterSnapshotArn>/;
const CREATE_TIME = /<SnapshotCreateTime>[^<]*<\/SnapshotCreateTime>/;

/** Rewrites the creation time of each snapshot `dated` knows (by ARN) in an RDS answer. */
export function withVirtualTimes(xml: string, dated: ReadonlyMap<string, Date>): string {
  return xml.replace(SNAPSHOT_BLOCK, (block) => {
    const arn = SNAPSHOT_ARN.exec(block)?.[1];
    const at = arn === undefined ? undefined : dated.get(arn);
    return at === undefined
      ? block
      : block.replace(CREATE_TIME, `<SnapshotCreateTime>${at.toISOString()}</SnapshotCreateTime>`);
  });
}

/** Actions whose answer is a snapshot just made: it is dated now, on the virtual clock. */
const MAKES_SNAPSHOT = new Set(['CreateDBClusterSnapshot', 'CopyDBClusterSnapshot']);

export function startVirtualTimeLayer(target: string, now: () => Date): Promise<Layer> {
  const dated = new Map<string, Date>();
  return startAnswerLayer(target, 'virtual time layer', ({ action }, _req, answer) => {
    if (answer.status !== 200 || action === undefined) return undefined;
    if (MAKES_SNAPSHOT.has(action)) {
      const arn = SNAPSHOT_ARN.exec(answer.body.toString('utf8'))?.[1];
      if (arn !== undefined) dated.set(arn, now());
    }
    if (!MAKES_SNAPSHOT.has(action) && action !== 'DescribeDBClusterSnapshots') return undefined;
    return { ...answer, body: Buffer.from(withVirtualTimes(answer.body.toString('utf8'), dated)) };
  });
}
