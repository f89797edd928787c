/**
 * The shapes carrier of the functions that share (ShareSnapshotsAurora) and import (CopySnapshotsDestAurora):
 * S3 from the environment, kept across warm invocations; replaceable for tests. Only these two functions
 * import it, so the others' bundles carry no S3 client.
 */
import { shapeCarrierFromEnv } from '../aws/store-factory.js';
import type { ShapeCarrier } from '../core/model/ports.js';
import type { StoreForRegion } from '../core/plan/pass.js';
import { storesInjected } from './runtime.js';

let injected: ShapeCarrier | undefined;
let cached: { key: string; storeFor: StoreForRegion; carrier: ShapeCarrier } | undefined;

/** Replaces the carrier of every later invocation; undefined restores S3 from the environment. */
export function setShapeCarrier(carrier: ShapeCarrier | undefined): void {
  injected = carrier;
}

/**
 * The carrier: the injected one; none beside injected stores (tests and the demo run without S3); else S3
 * from the environment, whose own account is the one `storeFor`'s stores act as.
 */
export function shapeCarrierFor(
  storeFor: StoreForRegion,
  env: NodeJS.ProcessEnv = process.env,
): ShapeCarrier | undefined {
  if (injected) return injected;
  if (storesInjected()) return undefined;
  const key = [env.AWS_ENDPOINT_URL, env.AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT, env.AWS_MAX_ATTEMPTS].join(
    '|',
  );
  if (cached?.key !== key || cached.storeFor !== storeFor) {
    cached = { key, storeFor, carrier: shapeCarrierFromEnv(storeFor, env) };
  }
  return cached.carrier;
}
