/** Builds the SnapshotStore of a region for the CLI from the environment (credentials chain, AWS_ENDPOINT_URL). */
import { storeFactoryFromEnv } from '../aws/index.js';
import type { SnapshotStore } from '../core/ports.js';

const factories = new WeakMap<NodeJS.ProcessEnv, (region: string) => SnapshotStore>();

export function storesFor(region: string, env: NodeJS.ProcessEnv): SnapshotStore {
  let factory = factories.get(env);
  if (!factory) {
    factory = storeFactoryFromEnv(env);
    factories.set(env, factory);
  }
  return factory(region);
}
