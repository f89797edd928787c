/**
 * The stores a function uses in Lambda: the AWS SDK adapter configured from the environment
 * (credentials chain, `AWS_ENDPOINT_URL` for an emulator), kept across warm invocations so the
 * clients' connections and the account id lookup are reused.
 */
import { restoreStoreFactoryFromEnv, storeFactoryFromEnv } from '../aws/index.js';
import type { DrillRestoreStore } from '../core/drill/drill-engine.js';
import type { SnapshotStore } from '../core/model/ports.js';

type Factory = (region: string) => SnapshotStore;

let cached: { key: string; factory: Factory } | undefined;

/** The factory for the current environment; rebuilt only when the endpoint, emulated account or attempts change. */
export function defaultStoreFactory(env: NodeJS.ProcessEnv = process.env): Factory {
  const key = [env.AWS_ENDPOINT_URL, env.AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT, env.AWS_MAX_ATTEMPTS].join(
    '|',
  );
  if (cached?.key !== key) cached = { key, factory: storeFactoryFromEnv(env) };
  return cached.factory;
}

let cachedRestore: { key: string; factory: (region: string) => DrillRestoreStore } | undefined;

/** The restore drill's store factory for the current environment, kept like the snapshot stores'. */
export function defaultRestoreStoreFactory(
  env: NodeJS.ProcessEnv = process.env,
): (region: string) => DrillRestoreStore {
  const key = [env.AWS_ENDPOINT_URL, env.AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT, env.AWS_MAX_ATTEMPTS].join(
    '|',
  );
  if (cachedRestore?.key !== key) cachedRestore = { key, factory: restoreStoreFactoryFromEnv(env) };
  return cachedRestore.factory;
}
