/**
 * What every Lambda handler shares: the event and its configuration, the clock, the stores, the
 * Powertools logger and metrics, and turning a pass's first failed action into a thrown typed error
 * (its stable name is what the state machines retry or fail on).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import {
  type Config,
  type DestinationConfig,
  parseConfig,
  type SourceConfig,
  toConfigIssues,
} from '../config/schema.js';
import { backupPolicyOf } from '../config/to-core.js';
import type { DestinationTarget } from '../core/copies/destinations.js';
import { destinationsOfAction } from '../core/copies/fan-out.js';
import {
  ConfigError,
  isToolError,
  TOOL_ERROR_NAMES,
  ToolError,
  type ToolErrorName,
} from '../core/model/errors.js';
import type { SnapshotRef } from '../core/model/model.js';
import { type Clock, type EngineLogger, type SnapshotStore, systemClock } from '../core/model/ports.js';
import { type SourceStores, type StoreForRegion, sourceStoresWith } from '../core/plan/pass.js';
import type { ActionResult, Note } from '../core/plan/plan.js';
import { METRICS_SERVICE } from '../core/policy/recovery-point.js';
import { defaultStoreFactory } from './default-stores.js';
import type { FunctionName } from './names.js';

export const SERVICE_NAME = METRICS_SERVICE;

/**
 * The payload every function receives from its state machine task:
 * `config` is the execution input (the configuration block, `{Source: ...}` or `{Destination: ...}`, and for an
 * execution an RDS event started, its `Trigger`: see TRIGGER_KEY);
 * CheckSnapshotStatus also gets the `refs` a previous step started and when (`startedAt`), and `sparse`
 * (state machines that wait between checks rather than poll: answer `in-progress` instead of SnapshotNotReady).
 * `stack` names the stack whose state machine runs the task: the metrics its alarms watch are keyed by it.
 * `now` (ISO-8601) replaces the clock for this invocation, for simulations only: it is refused unless the
 * function's environment sets AURORA_SNAPSHOT_TOOL_ALLOW_EVENT_CLOCK=true, because a time later than the
 * real one would make retention take snapshots for older than they are.
 */
export interface HandlerEvent {
  readonly config: unknown;
  readonly refs?: readonly SnapshotRef[] | undefined;
  readonly startedAt?: string | undefined;
  readonly sparse?: boolean | undefined;
  readonly now?: string | undefined;
  readonly stack?: string | undefined;
}

/**
 * The reserved key of the execution input that says why an execution started when an RDS event started it
 * (the EventBridge rule's input transformer adds it beside the configuration block). It is not a
 * configuration parameter: it is taken out before the configuration is parsed, whose schema stays strict (a
 * configuration file with a Trigger is still refused). The event is only a reason to look now: the handlers
 * plan from what they read, never from the event.
 */
export const TRIGGER_KEY = 'Trigger';

const TriggerSchema = z.strictObject({
  Kind: z.literal('RdsEvent'),
  /** The EventBridge event's id. */
  EventId: z.string().min(1),
  /** RDS's event id, e.g. RDS-EVENT-0075. */
  RdsEventId: z.string().min(1),
  /** The snapshot the event is about. */
  SnapshotArn: z.string().min(1),
  /** The event's time. */
  Time: z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
    message: 'must be an ISO-8601 time such as 2025-01-31T01:00:00Z',
  }),
});

/** Why an execution started, when an RDS event started it. */
export type Trigger = z.infer<typeof TriggerSchema>;

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  message: 'must be an ISO-8601 time such as 2025-01-31T01:00:00Z',
});

const EventSchema = z.object({
  config: z.unknown().optional(),
  refs: z
    .array(z.strictObject({ region: z.string().min(1), id: z.string().min(1), arn: z.string().optional() }))
    .optional(),
  startedAt: isoTime.optional(),
  sparse: z.boolean().optional(),
  now: isoTime.optional(),
  // CloudWatch's limit for a dimension value.
  stack: z.string().min(1).max(1024).optional(),
});

export interface ParsedEvent {
  readonly config: Config;
  readonly refs: readonly SnapshotRef[];
  readonly startedAt: Date | undefined;
  /** A sparse check: answer `in-progress` with when to look again, never SnapshotNotReady. */
  readonly sparse: boolean;
  readonly now: Date | undefined;
  /** The RDS event that started the execution; undefined for a scheduled (or manual) one. */
  readonly trigger: Trigger | undefined;
  /** The stack whose state machine runs the task, when it says (a direct invocation does not). */
  readonly stack: string | undefined;
}

/** Environment switch that lets an event set the clock (simulations and tests; never set when deployed). */
export const ALLOW_EVENT_CLOCK_ENV = 'AURORA_SNAPSHOT_TOOL_ALLOW_EVENT_CLOCK';

/** Validates the event and its configuration; a bad setting throws ConfigError naming the parameter. */
export function parseEvent(event: unknown, env: NodeJS.ProcessEnv = process.env): ParsedEvent {
  const shape = EventSchema.safeParse(event);
  if (!shape.success) throw new ConfigError(toConfigIssues(shape.error, event, ['event']));
  if (shape.data.config === undefined) {
    throw new ConfigError([
      {
        parameter: 'event.config',
        value: undefined,
        message: 'is required: the state machine passes its execution input (the configuration block) here',
      },
    ]);
  }
  if (shape.data.now !== undefined && env[ALLOW_EVENT_CLOCK_ENV] !== 'true') {
    throw new ConfigError([
      {
        parameter: 'event.now',
        value: shape.data.now,
        message: `is accepted only where ${ALLOW_EVENT_CLOCK_ENV}=true (simulations): a deployed function uses its real clock`,
      },
    ]);
  }
  const { config, trigger } = splitTrigger(shape.data.config);
  const refs = (shape.data.refs ?? []).map((ref) =>
    ref.arn === undefined
      ? { region: ref.region, id: ref.id }
      : { region: ref.region, id: ref.id, arn: ref.arn },
  );
  return {
    config: parseConfig(config),
    refs,
    startedAt: shape.data.startedAt === undefined ? undefined : new Date(shape.data.startedAt),
    sparse: shape.data.sparse === true,
    now: shape.data.now === undefined ? undefined : new Date(shape.data.now),
    trigger,
    stack: shape.data.stack,
  };
}

/**
 * The execution input without its Trigger, and the Trigger validated: a malformed one is a ConfigError
 * naming `Trigger.<field>`, before anything is read or changed.
 */
export function splitTrigger(input: unknown): { config: unknown; trigger: Trigger | undefined } {
  if (
    typeof input !== 'object' ||
    input === null ||
    Array.isArray(input) ||
    !Object.hasOwn(input, TRIGGER_KEY)
  ) {
    return { config: input, trigger: undefined };
  }
  const { [TRIGGER_KEY]: raw, ...config } = input as Record<string, unknown>;
  const trigger = TriggerSchema.safeParse(raw);
  if (!trigger.success) throw new ConfigError(toConfigIssues(trigger.error, raw, [TRIGGER_KEY]));
  return { config, trigger: trigger.data };
}

export function requireSource(config: Config, functionName: FunctionName): SourceConfig {
  if (config.Source) return config.Source;
  throw new ConfigError([
    {
      parameter: 'Source',
      value: undefined,
      message: `is required: ${functionName} runs on the source side`,
    },
  ]);
}

export function requireDestination(config: Config, functionName: FunctionName): DestinationConfig {
  if (config.Destination) return config.Destination;
  throw new ConfigError([
    {
      parameter: 'Destination',
      value: undefined,
      message: `is required: ${functionName} runs on the destination side`,
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Clock and stores: replaceable for tests and the demo, real otherwise.

let injectedClock: Clock | undefined;
let injectedStores: StoreForRegion | undefined;

/** Replaces the clock of every later invocation (undefined restores the system clock). */
export function setClock(clock: Clock | undefined): void {
  injectedClock = clock;
}

/** Replaces how stores are made (undefined restores the AWS SDK stores from the environment). */
export function setStoreFactory(factory: StoreForRegion | undefined): void {
  injectedStores = factory;
}

/** True while stores are injected (tests, the demo): the S3 clients of the environment are then not used. */
export function storesInjected(): boolean {
  return injectedStores !== undefined;
}

/** The event's `now` when given (a fixed instant), else the injected clock, else the system's. */
export function clockFor(now: Date | undefined): Clock {
  if (now !== undefined) return { now: () => new Date(now.getTime()) };
  return injectedClock ?? systemClock;
}

export function storesFor(): StoreForRegion {
  if (injectedStores) return injectedStores;
  const make = defaultStoreFactory();
  return (region: string): SnapshotStore => make(region);
}

// ---------------------------------------------------------------------------------------------
// Logging.

export function createLogger(functionName: FunctionName, logLevel: string, context?: Context): Logger {
  const logger = new Logger({
    serviceName: SERVICE_NAME,
    logLevel: logLevel as 'ERROR',
    persistentKeys: { function: functionName },
  });
  if (context) logger.addContext(context);
  return logger;
}

/** The engine reports through this; its fields (clusterId, snapshotId, region...) become log keys. */
export function engineLoggerFor(logger: Logger): EngineLogger {
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}

/**
 * One summary line per pass (the engine itself logs each note and each action with its cluster and
 * snapshot ids as it goes), with the pass's size and the memory it took: what sizes the functions'
 * memory for an account with a raised snapshot quota (docs/benchmarks.md).
 */
export function logSummary(
  logger: Logger,
  report: {
    readonly results: readonly ActionResult[];
    readonly plan: { readonly notes: readonly Note[] };
    readonly observation?: {
      readonly clusters?: readonly unknown[];
      readonly snapshots: readonly unknown[];
      readonly destinationSnapshots?: readonly unknown[];
      readonly shared?: readonly unknown[];
    };
  },
): void {
  const failed = report.results.filter((result) => !result.ok).length;
  const observation = report.observation;
  const memory = process.memoryUsage();
  const fields = {
    actions: report.results.length,
    failed,
    notes: [...new Set(report.plan.notes.map((note) => note.code))],
    ...(observation
      ? {
          passSize: {
            clusters: observation.clusters?.length ?? 0,
            snapshots: observation.snapshots.length,
            destinationSnapshots: observation.destinationSnapshots?.length ?? 0,
            shared: observation.shared?.length ?? 0,
          },
        }
      : {}),
    memoryMB: { rss: Math.round(memory.rss / 2 ** 20), heapUsed: Math.round(memory.heapUsed / 2 ** 20) },
  };
  if (failed > 0) logger.warn('pass finished with failed actions', fields);
  else logger.info('pass finished', fields);
}
type ActionFields = Readonly<Record<'action' | 'clusterId' | 'snapshotId' | 'region', string>>;
function actionFields(result: ActionResult): ActionFields {
  const action = result.action;
  if (action.kind === 'copy') {
    return {
      action: 'copy',
      clusterId: action.clusterId,
      snapshotId: action.targetId,
      region: action.targetRegion,
    };
  }
  return {
    action: action.kind,
    clusterId: action.clusterId,
    snapshotId: action.snapshotId,
    region: action.region,
  };
}

// ---------------------------------------------------------------------------------------------
// Errors.

// Every typed name crosses to the state machine as it is (a drill's or a restore's too); anything else is
// an AWS request that failed in a way the adapters did not name.
const KNOWN_ERRORS = new Set<string>(TOOL_ERROR_NAMES);

/**
 * The typed error for the first failed action, or undefined when all succeeded. Its message names
 * the cluster and the snapshot, so the failed execution's cause says what broke where.
 */
export function firstFailure(results: readonly ActionResult[]): ToolError | undefined {
  const failed = results.find((result) => !result.ok);
  if (!failed) return undefined;
  const fields = actionFields(failed);
  const name = (KNOWN_ERRORS.has(failed.error ?? '') ? failed.error : 'AwsRequestError') as ToolErrorName;
  const others = results.filter((result) => !result.ok).length - 1;
  const message =
    `${failed.action.kind} of ${fields.snapshotId} (cluster ${fields.clusterId}, ${fields.region}) failed: ` +
    `${failed.message ?? failed.error ?? 'unknown error'}` +
    (others > 0 ? ` (and ${others} more failed action${others > 1 ? 's' : ''}; see the log)` : '');
  return new ToolError(name, message, { details: { ...fields, reason: failed.action.reason } });
}

/**
 * Runs one invocation: parses the event, builds the logger, runs the body, and logs a failure before
 * rethrowing it. Errors that are not the tool's keep their own name (Step Functions catches them all).
 */
export async function invoke<R>(
  functionName: FunctionName,
  event: unknown,
  context: Context | undefined,
  body: (input: Invocation) => Promise<R>,
): Promise<R> {
  let logger: Logger | undefined;
  try {
    const parsed = parseEvent(event);
    const logLevel =
      parsed.config.Source?.LogLevel ??
      parsed.config.Destination?.LogLevel ??
      parsed.config.RestoreDrill?.LogLevel ??
      'ERROR';
    logger = createLogger(functionName, logLevel, context);
    if (parsed.trigger) {
      // Every line of this invocation says which event started it (the event is a reason to look, not the state).
      logger.appendKeys({ trigger: parsed.trigger });
      logger.info('started by an RDS event', { trigger: parsed.trigger });
    }
    const clock = clockFor(parsed.now);
    return await body({
      ...parsed,
      clock,
      logger,
      engineLogger: engineLoggerFor(logger),
      storeFor: storesFor(),
    });
  } catch (error) {
    const log = logger ?? createLogger(functionName, 'ERROR', context);
    // Powertools serializes the error with its own fields (a ToolError's details, a ConfigError's issues).
    const fields = {
      errorName: error instanceof Error ? error.name : 'Error',
      error: error instanceof Error ? error : String(error),
    };
    // "Not yet" is the normal answer of a poll: it is retried by the state machine, not an incident.
    if (isToolError(error, 'SnapshotNotReady') || isToolError(error, 'RestoreNotReady')) {
      log.info(error.message, fields);
    } else if (isToolError(error, 'CopyLimitReached')) log.warn(error.message, fields);
    else log.error(`${functionName} failed`, fields);
    throw error;
  }
}

export interface Invocation extends ParsedEvent {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly engineLogger: EngineLogger;
  readonly storeFor: StoreForRegion;
}

/** The refs of the snapshots and copies a pass started, for CheckSnapshotStatus. */
export function startedRefs(results: readonly ActionResult[]): SnapshotRef[] {
  const refs: SnapshotRef[] = [];
  for (const result of results) {
    if (!result.ok) continue;
    const action = result.action;
    if (action.kind === 'take') refs.push({ region: action.region, id: action.snapshotId });
    if (action.kind === 'copy') refs.push({ region: action.targetRegion, id: action.targetId });
  }
  return refs;
}

/** Stores of a source pass: the source region and each other region of the same account it copies to. */
export function sourceStoresFor(storeFor: StoreForRegion, source: SourceConfig): SourceStores {
  return sourceStoresWith(backupPolicyOf(source), storeFor);
}

/** What Take, Share and the destination's Copy return: whether they started anything, and what, for CheckSnapshotStatus. */
export interface StartedResult {
  readonly started: boolean;
  /** Snapshots and copies the pass started (take and copy actions that succeeded). */
  readonly refs: SnapshotRef[];
  /** ISO time of the pass: CheckSnapshotStatus measures MaxWaitMinutes from it. */
  readonly startedAt: string;
}

export function startedResult(results: readonly ActionResult[], at: Date): StartedResult {
  const refs = startedRefs(results);
  return { started: refs.length > 0, refs, startedAt: at.toISOString() };
}

/** Ids of the snapshots the successful actions of one kind touched. */
export function idsOf(results: readonly ActionResult[], kind: ActionResult['action']['kind']): string[] {
  return results
    .filter((result) => result.ok && result.action.kind === kind)
    .map((result) => actionFields(result).snapshotId);
}

/**
 * Throws the first failed action's typed error, if any. With several destinations its message starts with
 * the ids of the destinations whose actions failed (details.destinations lists them).
 */
export function throwIfFailed(
  results: readonly ActionResult[],
  targets: readonly DestinationTarget[] = [],
): void {
  const failure = firstFailure(results);
  if (!failure) return;
  if (targets.length < 2) throw failure;
  const ids = new Set<string>();
  for (const result of results) {
    if (!result.ok) for (const id of destinationsOfAction(result.action, targets)) ids.add(id);
  }
  if (ids.size === 0) throw failure;
  const failed = [...ids];
  throw new ToolError(
    failure.name as ToolErrorName,
    `destination${failed.length > 1 ? 's' : ''} ${failed.join(', ')} failed (the other destinations went on): ${failure.message}`,
    { details: { ...failure.details, destinations: failed } },
  );
}
