// A loopback proxy in front of moto for restore drills: moto makes restored clusters and their instances available at once; the gate reports chosen ones still `creating` (or another state), and can refuse restores as RDS would.
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

export interface RestoreGate {
  /** `http://127.0.0.1:<port>`: the SDK's endpoint. */
  readonly endpoint: string;
  /** Clusters (and instances) whose identifier matches report `status` until released. */
  hold(pattern: RegExp, status: string): void;
  /** RestoreDBClusterFromSnapshot of a cluster whose identifier matches fails with `code`. */
  refuseRestores(pattern: RegExp, code: string, message: string): void;
  releaseAll(): void;
  /** Identifiers of the clusters and instances a delete was asked for, in order. */
  deletes(): string[];
  /** The parameters of each RestoreDBClusterFromSnapshot and CreateDBInstance call, in order. */
  creates(): { action: string; params: Record<string, string> }[];
  stop(): Promise<void>;
}

const CLUSTER_BLOCK = /<DBCluster>[\s\S]*?<\/DBCluster>/g;
const INSTANCE_BLOCK = /<DBInstance>[\s\S]*?<\/DBInstance>/g;
const CLUSTER_ID = /<DBClusterIdentifier>([^<]*)<\/DBClusterIdentifier>/;
const INSTANCE_ID = /<DBInstanceIdentifier>([^<]*)<\/DBInstanceIdentifier>/;

export async function startRestoreGate(target: string): Promise<RestoreGate> {
  const upstream = new URL(target);
  const holds: { pattern: RegExp; status: string }[] = [];
  const refusals: { pattern: RegExp; code: string; message: string }[] = [];
  const deletes: string[] = [];
  const creates: { action: string; params: Record<string, string> }[] = [];
  const heldStatus = (id: string) => holds.find((h) => h.pattern.test(id))?.status;

  const rewrite = (answer: Upstream): Upstream => {
    if (answer.status !== 200) return answer;
    const text = answer.body.toString('utf8');
    const changed = text
      .replace(CLUSTER_BLOCK, (block) => {
        const status = heldStatus(CLUSTER_ID.exec(block)?.[1] ?? '');
        return status === undefined
          ? block
          : block.replace(/<Status>[a-z-]+<\/Status>/, `<Status>${status}</Status>`);
      })
      .replace(INSTANCE_BLOCK, (block) => {
        const status = heldStatus(INSTANCE_ID.exec(block)?.[1] ?? '');
        return status === undefined
          ? block
          : block.replace(
              /<DBInstanceStatus>[a-z-]+<\/DBInstanceStatus>/,
              `<DBInstanceStatus>${status}</DBInstanceStatus>`,
            );
      });
    return changed === text ? answer : { ...answer, body: Buffer.from(changed) };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const call = identify(req, body);
      if (call.action === 'RestoreDBClusterFromSnapshot' || call.action === 'CreateDBInstance') {
        creates.push({ action: call.action, params: Object.fromEntries(call.form.entries()) });
      }
      if (call.action === 'RestoreDBClusterFromSnapshot') {
        const id = call.form.get('DBClusterIdentifier') ?? '';
        const refusal = refusals.find((r) => r.pattern.test(id));
        if (refusal) {
          send(res, rdsError(400, refusal.code, refusal.message));
          return;
        }
      }
      if (call.action === 'DeleteDBCluster') deletes.push(call.form.get('DBClusterIdentifier') ?? '');
      if (call.action === 'DeleteDBInstance') deletes.push(call.form.get('DBInstanceIdentifier') ?? '');
      send(res, rewrite(await forward(upstream, req, body)));
    })().catch((error: unknown) => failRequest(res, 'restore gate', error));
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    hold: (pattern, status) => {
      holds.push({ pattern, status });
    },
    refuseRestores: (pattern, code, message) => {
      refusals.push({ pattern, code, message });
    },
    releaseAll: () => {
      holds.length = 0;
      refusals.length = 0;
      deletes.length = 0;
      creates.length = 0;
    },
    creates: () => [...creates],
    deletes: () => [...deletes],
    stop: () => stopServer(server),
  };
}
