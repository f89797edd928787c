/**
 * Builds SnapshotStores: one per region and account, over shared SDK clients, configured from options
 * or from the environment (credential chain, AWS_ENDPOINT_URL, the emulator account).
 */

import type { DrillRestoreStore } from '../core/drill/drill-engine.js';
import { ConfigError } from '../core/model/errors.js';
import type { EngineLogger, ShapeCarrier, SnapshotStore } from '../core/model/ports.js';
import type { RecoveryStore } from '../core/restore/recovery-port.js';
import { type AwsClientOptions, awsClientsFor } from './clients.js';
import { buildEc2Client, securityGroupLister } from './ec2-client.js';
import { RdsRecoveryStore } from './rds-recovery-store.js';
import { RdsRestoreStore } from './rds-restore-store.js';
import { RdsSnapshotStore } from './rds-snapshot-store.js';
import { S3ShapeCarrier } from './s3-shape-carrier.js';

export interface SnapshotStoreOptions extends AwsClientOptions {
  readonly logger?: EngineLogger | undefined;
  /** Use this manual snapshot quota instead of DescribeAccountAttributes (emulators, tests). */
  readonly manualSnapshotQuota?: number | undefined;
}

/** Environment variable naming the account to act as on an emulator (moto's `x-moto-account-id`). */
export const EMULATOR_ACCOUNT_ENV = 'AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT';

/** Environment variable setting the first retry delay in milliseconds (fault-injection runs keep it small). */
export const RETRY_BASE_DELAY_ENV = 'AURORA_SNAPSHOT_TOOL_RETRY_BASE_DELAY_MS';

export function createSnapshotStore(options: SnapshotStoreOptions): RdsSnapshotStore {
  const { logger, manualSnapshotQuota, ...clientOptions } = options;
  return new RdsSnapshotStore({
    clients: awsClientsFor(clientOptions),
    logger,
    manualSnapshotQuota,
    clientsFor: (region) => awsClientsFor({ ...clientOptions, region }),
  });
}

/** Client options from the environment; a malformed value is a ConfigError naming the variable. */
export function storeOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Omit<SnapshotStoreOptions, 'region'> {
  const endpoint = env.AWS_ENDPOINT_URL?.trim() || undefined;
  const accountId = env[EMULATOR_ACCOUNT_ENV]?.trim() || undefined;
  const attempts = env.AWS_MAX_ATTEMPTS?.trim() || undefined;
  const baseDelay = env[RETRY_BASE_DELAY_ENV]?.trim() || undefined;
  const issues = [];
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    issues.push({
      parameter: 'AWS_ENDPOINT_URL',
      value: endpoint,
      message: 'must be a URL such as http://127.0.0.1:5000',
    });
  }
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
    issues.push({
      parameter: EMULATOR_ACCOUNT_ENV,
      value: accountId,
      message: 'must be a 12-digit account id',
    });
  }
  const maxAttempts = attempts === undefined ? undefined : Number(attempts);
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    issues.push({
      parameter: 'AWS_MAX_ATTEMPTS',
      value: attempts,
      message: 'must be a whole number of at least 1',
    });
  }
  const retryBaseDelayMs = baseDelay === undefined ? undefined : Number(baseDelay);
  if (retryBaseDelayMs !== undefined && (!Number.isInteger(retryBaseDelayMs) || retryBaseDelayMs < 0)) {
    issues.push({
      parameter: RETRY_BASE_DELAY_ENV,
      value: baseDelay,
      message: 'must be a whole number of milliseconds',
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { endpoint, accountId, maxAttempts, retryBaseDelayMs };
}

/**
 * A function giving the store of a region, built from the environment the way the CLI and the Lambda
 * handlers run: the SDK's credential chain, `AWS_ENDPOINT_URL` (moto), `AWS_MAX_ATTEMPTS`,
 * `AURORA_SNAPSHOT_TOOL_RETRY_BASE_DELAY_MS`, and `AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT` to act as
 * another account on the emulator.
 * Each region's store is made once.
 */
export function storeFactoryFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Omit<SnapshotStoreOptions, 'region'>> = {},
): (region: string) => SnapshotStore {
  const options = { ...storeOptionsFromEnv(env), ...overrides };
  const stores = new Map<string, SnapshotStore>();
  return (region) => {
    let store = stores.get(region);
    if (!store) {
      store = createSnapshotStore({ ...options, region });
      stores.set(region, store);
    }
    return store;
  };
}

/** The restore drill's stores, one per region, configured from the environment like the snapshot stores. */
export function restoreStoreFactoryFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): (region: string) => DrillRestoreStore {
  const {
    logger: _logger,
    manualSnapshotQuota: _quota,
    ...options
  } = storeOptionsFromEnv(env) as SnapshotStoreOptions;
  const stores = new Map<string, DrillRestoreStore>();
  return (region) => {
    let store = stores.get(region);
    if (!store) {
      store = new RdsRestoreStore(awsClientsFor({ ...options, region }));
      stores.set(region, store);
    }
    return store;
  };
}

/** The restore command's store of a region, configured from the environment like the snapshot stores. */
export function recoveryStoreFromEnv(region: string, env: NodeJS.ProcessEnv = process.env): RecoveryStore {
  const {
    logger: _logger,
    manualSnapshotQuota: _quota,
    ...options
  } = storeOptionsFromEnv(env) as SnapshotStoreOptions;
  return new RdsRecoveryStore(
    awsClientsFor({ ...options, region }),
    securityGroupLister(buildEc2Client({ ...options, region })),
  );
}

/**
 * The shapes carrier (S3) configured from the environment like the snapshot stores; this account's id is
 * the one the stores of `storeFor` act as.
 */
export function shapeCarrierFromEnv(
  storeFor: (region: string) => SnapshotStore,
  env: NodeJS.ProcessEnv = process.env,
): ShapeCarrier {
  const {
    logger: _logger,
    manualSnapshotQuota: _quota,
    ...options
  } = storeOptionsFromEnv(env) as SnapshotStoreOptions;
  return new S3ShapeCarrier({ ...options, ownAccount: (region) => storeFor(region).accountId() });
}
