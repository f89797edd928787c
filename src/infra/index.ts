/** The deployment construct library: roles, functions and per-cluster jobs, and the stacks of the templates. */

export { ACCOUNT_TEMPLATE_CAPABILITIES } from '../core/fleet/index.js';
export {
  addToolStacks,
  destinationSettings,
  sourceSettings,
  type ToolStacks,
  type ToolStacksOptions,
} from './app.js';
export { ClusterJob, type ClusterJobOptions, type ClusterJobProps } from './cluster-job.js';
export {
  DestinationCluster,
  type DestinationClusterFunctions,
  type DestinationClusterProps,
  type DestinationClusterSettings,
} from './destination-cluster.js';
export { DRILL_REQUEST_CONDITION, DRILL_RESOURCE_CONDITION, drillRdsStatements } from './drill-policies.js';
export {
  BundleCode,
  DestinationFunctions,
  SourceFunctions,
  TOOL_RUNTIME,
  type ToolFunctionsProps,
} from './functions.js';
export {
  OrganizationStackSet,
  type OrganizationStackSetProps,
} from './organization-stack-set.js';
export {
  DrillRoles,
  RestoreDrill,
  type RestoreDrillProps,
  type RestoreDrillSettings,
} from './restore-drill.js';
export { RestoreRole, type RestoreRoleProps, restoreRoleStatements } from './restore-role.js';
export { DestinationRoles, SourceRoles, type SourceRolesProps, type ToolRoles } from './roles.js';
export { ShapesBucket, type ShapesBucketProps } from './shapes-bucket.js';
export {
  SNAPSHOT_EVENT_PATTERN,
  SnapshotEventRule,
  type SnapshotEventRuleProps,
  TRIGGER,
  TRIGGER_INPUT_PATHS,
} from './snapshot-events.js';
export {
  SourceCluster,
  type SourceClusterFunctions,
  type SourceClusterProps,
  type SourceClusterSettings,
} from './source-cluster.js';
export {
  STATUS_EXECUTION_ACTIONS,
  STATUS_READ_ACTIONS,
  STATUS_READER_ROLE,
  StatusReader,
  type StatusReaderProps,
} from './status-reader.js';
export { EXPORTS, synthesizeTemplates, TEMPLATE_NAMES, type TemplateName } from './templates/index.js';
