/** Builds the SnapshotStore of a region for the CLI from the environment (credentials chain, AWS_ENDPOINT_URL). */
import { restoreStoreFactoryFromEnv, storeFactoryFromEnv } from '../aws/index.js';
import type { DrillRestoreStore } from '../core/drill/drill-engine.js';
import type { SnapshotStore } from '../core/model/ports.js';

const factories = new WeakMap<NodeJS.ProcessEnv, (region: string) => SnapshotStore>();

export function storesFor(region: string, env: NodeJS.ProcessEnv): SnapshotStore {
  let factory = factories.get(env);
  if (!factory) {
    factory = storeFactoryFromEnv(env);
    factories.set(env, factory);
  }
  return factory(region);
}

const restoreFactories = new WeakMap<NodeJS.ProcessEnv, (region: string) => DrillRestoreStore>();

/** The restore drill's store of a region, from the same environment. */
export function restoreStoreFor(region: string, env: NodeJS.ProcessEnv): DrillRestoreStore {
  let factory = restoreFactories.get(env);
  if (!factory) {
    factory = restoreStoreFactoryFromEnv(env);
    restoreFactories.set(env, factory);
  }
  return factory(region);
}
