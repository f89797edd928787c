// One test file's stack for the reliability scenarios: moto, the snapshot gate and the seeded fault proxy in front, the product's store factory and a clock.
import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import { RETRY_BASE_DELAY_ENV, storeFactoryFromEnv } from '../../../src/aws/store-factory.js';
import type { SnapshotStore } from '../../../src/core/model/ports.js';
import { TAG } from '../../../src/core/model/tags.js';
import { createEstate, type Estate } from '../../support/estate.js';
import { type FaultPlan, type FaultProxy, startFaultProxy } from '../../support/fault-proxy.js';
import { type MotoServer, startMoto } from '../../support/moto.js';
import { type SnapshotGate, startSnapshotGate } from './snapshot-gate.js';

export interface Rig {
  readonly moto: MotoServer;
  /** Between the fault proxy and moto. */
  readonly gate: SnapshotGate;
  /** What the tool talks to: counts every request and injects the plan's faults. */
  readonly proxy: FaultProxy;
  /** Builds estates on moto directly (never faulted, never counted). */
  estate: Estate;
  /** Environment of the tool (CLI, handlers): moto's credentials, the proxy as endpoint, fast retries. */
  readonly env: NodeJS.ProcessEnv;
  /** Stores made by the product's factory from `env`, one per region. */
  storeFor(region: string): SnapshotStore;
  /** Clears moto, the gate's holds, the proxy's counts and plan, and the stores' caches. */
  reset(plan?: FaultPlan): Promise<void>;
  stop(): Promise<void>;
}

export interface RigOptions {
  readonly seed: number;
  /** Environment of the moto server, e.g. MOTO_RDS_SNAPSHOT_LIMIT. */
  readonly motoEnv?: Readonly<Record<string, string>>;
  /** First retry delay of the tool's SDK clients. @default 2 */
  readonly retryBaseDelayMs?: number;
  /** Attempts per call. @default the product's (8) */
  readonly maxAttempts?: number;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const moto = await startMoto(options.motoEnv === undefined ? {} : { env: options.motoEnv });
  const gate = await startSnapshotGate(moto.endpoint);
  const proxy = await startFaultProxy({ target: gate.endpoint, seed: options.seed });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...moto.env,
    AWS_ENDPOINT_URL: proxy.endpoint,
    [RETRY_BASE_DELAY_ENV]: String(options.retryBaseDelayMs ?? 2),
    ...(options.maxAttempts === undefined ? {} : { AWS_MAX_ATTEMPTS: String(options.maxAttempts) }),
  };
  delete env.AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT;
  let factory = storeFactoryFromEnv(env);
  const rig: Rig = {
    moto,
    gate,
    proxy,
    estate: createEstate({ endpoint: moto.endpoint }),
    env,
    storeFor: (region) => factory(region),
    async reset(plan = []) {
      await moto.reset();
      gate.releaseAll();
      gate.holdCopies(false);
      proxy.setPlan(plan);
      proxy.reset();
      factory = storeFactoryFromEnv(env);
      rig.estate = createEstate({ endpoint: moto.endpoint });
    },
    async stop() {
      await proxy.stop();
      await gate.stop();
      await moto.stop();
    },
  };
  gate.holdCopies(false);
  return rig;
}

export function tagsOf(snapshot: DBClusterSnapshot): Record<string, string> {
  return Object.fromEntries((snapshot.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** A snapshot as the scenarios compare them: identifier and the tags that say what it is. */
export interface Summary {
  readonly id: string;
  readonly status: string;
  readonly tags: Record<string, string>;
}

export async function summaries(estate: Estate, region: string): Promise<Summary[]> {
  return (await estate.snapshots(region))
    .map((s) => ({ id: s.DBClusterSnapshotIdentifier ?? '', status: s.Status ?? '', tags: tagsOf(s) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Point in time (ms) of a summary: the tool's tag. */
export function pointInTime(summary: Summary): number {
  return Date.parse(summary.tags[TAG.PointInTime] ?? '');
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
