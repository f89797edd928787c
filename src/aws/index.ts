/** The AWS adapter: SnapshotStore over SDK v3, its factory, retry policy and error translation. */
export {
  type AwsClientOptions,
  type AwsClients,
  awsClientsFor,
  buildAwsClients,
  MOTO_ACCOUNT_HEADER,
  silenceNodeVersionWarning,
} from './clients.js';
export {
  type AwsErrorContext,
  awsErrorCode,
  isSnapshotQuotaError,
  isThrottling,
  isTransient,
  translateAwsError,
} from './errors.js';
export { isArn, type ParsedArn, parseArn, toClusterInfo, toSnapshotInfo } from './rds-mapping.js';
export { RdsRecoveryStore, SECURITY_GROUPS_UNCHECKED } from './rds-recovery-store.js';
export { RdsRestoreStore } from './rds-restore-store.js';
export {
  DEFAULT_MANUAL_SNAPSHOT_QUOTA,
  MANUAL_CLUSTER_SNAPSHOTS_QUOTA,
  PAGE_SIZE,
  RdsSnapshotStore,
  type RdsSnapshotStoreOptions,
} from './rds-snapshot-store.js';
export {
  backoffDelay,
  createRetryStrategy,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  type RetryOptions,
} from './retry.js';
export { buildS3Client, S3ShapeCarrier, type S3ShapeCarrierOptions } from './s3-shape-carrier.js';
export {
  createSnapshotStore,
  EMULATOR_ACCOUNT_ENV,
  RETRY_BASE_DELAY_ENV,
  recoveryStoreFromEnv,
  restoreStoreFactoryFromEnv,
  type SnapshotStoreOptions,
  shapeCarrierFromEnv,
  storeFactoryFromEnv,
  storeOptionsFromEnv,
} from './store-factory.js';
