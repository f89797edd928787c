/**
 * The programmatic API of aurora-snapshot-tool (`import ... from 'aurora-snapshot-tool'`): read and
 * validate a configuration, plan or run a pass against AWS or a store of your own, and the status report.
 * The CDK constructs are in `aurora-snapshot-tool/cdk`.
 */
export { type PassInput, type PassOutcome, planPass, runPass, sourceStatus } from './api.js';
export { createSnapshotStore, type SnapshotStoreOptions, storeFactoryFromEnv } from './aws/store-factory.js';
export { loadConfigFile, parseConfigText } from './config/load.js';
export {
  type Config,
  type ConfigInput,
  DEFAULTS,
  type DestinationConfig,
  parseConfig,
  type SourceConfig,
} from './config/schema.js';
export {
  ConfigError,
  type ConfigIssue,
  isToolError,
  ToolError,
  type ToolErrorName,
} from './core/model/errors.js';
export type { ClusterInfo, SnapshotInfo } from './core/model/model.js';
export type { Clock, EngineLogger, SnapshotStore } from './core/model/ports.js';
export type { DestinationPassReport, SourcePassReport, StatusReport } from './core/plan/pass.js';
export type { Action, ActionResult, Note, Plan } from './core/plan/plan.js';
export { VERSION } from './package-info.js';
export { writeStatusReport } from './report/live.js';
