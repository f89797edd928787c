// A loopback proxy in front of moto that keeps chosen cluster snapshots in progress (moto makes every one available at once) and, as RDS does, refuses a sixth concurrent copy into a region.
import { createServer } from 'node:http';
import {
  failRequest,
  forward,
  identify,
  listenOnLoopback,
  rdsError,
  readBody,
  send,
  stopServer,
  type Upstream,
} from '../../support/http-forward.js';

/** RDS's limit of cluster snapshot copies in progress per destination region and account. */
export const RDS_COPY_LIMIT = 5;

export interface SnapshotGate {
  /** `http://127.0.0.1:<port>`: the upstream of the fault proxy, or the SDK's endpoint. */
  readonly endpoint: string;
  /**
   * While on (the default), every copy made through the gate stays `copying` until released, and a copy
   * into a region that already has RDS_COPY_LIMIT of them is refused with RDS's SnapshotQuotaExceeded.
   */
  holdCopies(on: boolean): void;
  /** Snapshots of `region` whose identifier matches stay `status` (`creating`, `copying`) until released. */
  hold(region: string, pattern: RegExp, status: string): void;
  /** Lets the held snapshots of `region` (the first `count` held copies, or all) become available. */
  release(region: string, count?: number): string[];
  releaseAll(): void;
  /** Identifiers of the copies held `copying` in `region`, in the order they started. */
  copying(region: string): string[];
  /** The most copies ever held `copying` at once in `region`. */
  peakCopying(region: string): number;
  /** Copies refused for the limit. */
  refusedCopies(): number;
  /** Deletions asked for snapshots the gate holds in progress (RDS refuses those). */
  deletesOfHeld(): string[];
  stop(): Promise<void>;
}

const SNAPSHOT_BLOCK = /<DBClusterSnapshot>[\s\S]*?<\/DBClusterSnapshot>/g;
const IDENTIFIER = /<DBClusterSnapshotIdentifier>([^<]*)<\/DBClusterSnapshotIdentifier>/;

export async function startSnapshotGate(target: string): Promise<SnapshotGate> {
  const upstream = new URL(target);
  let holdingCopies = true;
  /** Per region: held copies in start order. */
  const copies = new Map<string, string[]>();
  const peaks = new Map<string, number>();
  const patterns: { region: string; pattern: RegExp; status: string }[] = [];
  let refused = 0;
  const heldDeletes: string[] = [];

  const copiesOf = (region: string): string[] => {
    let list = copies.get(region);
    if (!list) {
      list = [];
      copies.set(region, list);
    }
    return list;
  };
  const heldStatus = (region: string, id: string): string | undefined => {
    if (copies.get(region)?.includes(id)) return 'copying';
    return patterns.find((p) => p.region === region && p.pattern.test(id))?.status;
  };
  /** Reports each held snapshot of an answer in its held state. */
  const rewrite = (region: string, answer: Upstream): Upstream => {
    if (answer.status !== 200) return answer;
    const text = answer.body.toString('utf8');
    const changed = text.replace(SNAPSHOT_BLOCK, (block) => {
      const id = IDENTIFIER.exec(block)?.[1];
      const status = id === undefined ? undefined : heldStatus(region, id);
      if (status === undefined) return block;
      return block
        .replace('<Status>available</Status>', `<Status>${status}</Status>`)
        .replace(/<PercentProgress>\d+<\/PercentProgress>/, '<PercentProgress>0</PercentProgress>');
    });
    return changed === text ? answer : { ...answer, body: Buffer.from(changed) };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const call = identify(req, body);
      if (call.action === 'CopyDBClusterSnapshot' && holdingCopies) {
        const held = copiesOf(call.region);
        if (held.length >= RDS_COPY_LIMIT) {
          refused += 1;
          send(
            res,
            rdsError(
              400,
              'SnapshotQuotaExceeded',
              `Cannot copy more than ${RDS_COPY_LIMIT} snapshots across regions. Wait for a copy to complete.`,
            ),
          );
          return;
        }
        // The slot is taken before the copy is forwarded: concurrent copies must not all see a free one.
        const target = call.form.get('TargetDBClusterSnapshotIdentifier')?.toLowerCase() ?? '';
        held.push(target);
        peaks.set(call.region, Math.max(peaks.get(call.region) ?? 0, held.length));
        const answer = await forward(upstream, req, body);
        if (answer.status !== 200) held.splice(held.indexOf(target), 1);
        send(res, rewrite(call.region, answer));
        return;
      }
      if (call.action === 'DeleteDBClusterSnapshot') {
        const id = call.form.get('DBClusterSnapshotIdentifier')?.toLowerCase() ?? '';
        const status = heldStatus(call.region, id);
        if (status !== undefined) {
          heldDeletes.push(`${call.region}:${id}`);
          send(
            res,
            rdsError(
              400,
              'InvalidDBClusterSnapshotStateFault',
              `Cannot delete the snapshot ${id}: it is ${status}`,
            ),
          );
          return;
        }
      }
      const answer = await forward(upstream, req, body);
      send(res, rewrite(call.region, answer));
    })().catch((error: unknown) => failRequest(res, 'snapshot gate', error));
  });
  const endpoint = await listenOnLoopback(server);

  return {
    endpoint,
    holdCopies(on) {
      holdingCopies = on;
    },
    hold(region, pattern, status) {
      patterns.push({ region, pattern, status });
    },
    release(region, count) {
      const held = copiesOf(region);
      const released = held.splice(0, count ?? held.length);
      if (count === undefined) {
        for (let i = patterns.length - 1; i >= 0; i--)
          if (patterns[i]?.region === region) patterns.splice(i, 1);
      }
      return released;
    },
    releaseAll() {
      copies.clear();
      patterns.length = 0;
    },
    copying: (region) => [...copiesOf(region)],
    peakCopying: (region) => peaks.get(region) ?? 0,
    refusedCopies: () => refused,
    deletesOfHeld: () => [...heldDeletes],
    stop: () => stopServer(server),
  };
}
