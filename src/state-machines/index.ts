/** The state machine definitions, their state names and the errors they retry, in one import. */
export {
  DEFAULT_POLL_SECONDS,
  type DefinitionOptions,
  RETRIED_ERRORS,
  type StateMachineDefinition,
  WAIT_ERRORS,
} from './asl.js';
export {
  DESTINATION_STATES,
  type DestinationFunctions,
  destinationStateMachineDefinition,
} from './destination.js';
export {
  DRILL_STATES,
  type DrillFunctions,
  RESTORE_NOT_READY,
  restoreDrillStateMachineDefinition,
} from './restore-drill.js';
export { SOURCE_STATES, type SourceFunctions, sourceStateMachineDefinition } from './source.js';
