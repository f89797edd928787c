// Runs a state machine definition with aws-local-stepfunctions, each Lambda task calling the real handler in-process as Lambda would (its AWS calls recorded as that function's when a test file records).
import { StateMachine } from 'aws-local-stepfunctions';
import { HANDLERS } from '../../src/handlers/index.js';
import { type FunctionName, SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import type { StateMachineDefinition } from '../../src/state-machines/asl.js';
import type { SourceFunctions } from '../../src/state-machines/source.js';
import { asFunction } from '../support/api-recorder.js';

/** The parts of aws-local-stepfunctions' event log the tests read. */
export interface EventLog {
  readonly type: string;
  readonly state?: { readonly name: string; readonly input?: unknown; readonly output?: unknown };
  readonly Error?: string;
  readonly Cause?: unknown;
}

export type LambdaHandler = (event: unknown) => Promise<unknown>;

export interface Invocation {
  readonly state: string;
  readonly functionArn: string;
  readonly payload: Record<string, unknown>;
  /** What the handler returned (as JSON), or the name of the error it threw. */
  readonly result?: Record<string, unknown>;
  readonly error?: string;
}

export interface ExecutionOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output: Record<string, unknown> | undefined;
  /** The failed execution's error and cause, as Step Functions reports them. */
  readonly error: string | undefined;
  readonly cause: string | undefined;
  readonly events: EventLog[];
  readonly invocations: Invocation[];
  /** Results of the successful invocations of a state, in order. */
  results(state: string): Record<string, unknown>[];
  /** Retries per state, with the error that caused each. */
  retries(state: string): string[];
  /** States entered, in order. */
  path(): string[];
  /**
   * The Wait states entered, in order, with the seconds Step Functions would have waited (their `Seconds`,
   * or the value their `SecondsPath` read from the state data; the execution waited `intervalMs` instead).
   */
  waits(): { readonly state: string; readonly seconds: number }[];
}

/** The value at a JSONPath of the simple form `$.a.b` (what the definitions' SecondsPath use). */
function valueAt(data: unknown, path: string): unknown {
  let value = data;
  for (const key of path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/**
 * What Lambda does around a handler: the payload and result cross as JSON, and a thrown error comes
 * back with Error = its name and Cause = `{"errorType", "errorMessage", "trace"}`.
 */
function asLambda(
  state: string,
  functions: Readonly<Record<string, LambdaHandler>>,
  invocations: Invocation[],
  stateFunction?: LambdaHandler,
): (input: unknown) => Promise<Record<string, unknown>> {
  return async (input) => {
    const { FunctionName, Payload } = input as { FunctionName: string; Payload: Record<string, unknown> };
    const fn = stateFunction ?? functions[FunctionName];
    if (!fn)
      throw Object.assign(new Error(`no function ${FunctionName}`), {
        name: 'Lambda.ResourceNotFoundException',
      });
    const payload = JSON.parse(JSON.stringify(Payload)) as Record<string, unknown>;
    try {
      const result = JSON.parse(
        JSON.stringify((await asFunction(FunctionName, () => fn(payload))) ?? null),
      ) as Record<string, unknown>;
      invocations.push({ state, functionArn: FunctionName, payload, result });
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: result };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      invocations.push({ state, functionArn: FunctionName, payload, error: err.name });
      const cause = JSON.stringify({ errorType: err.name, errorMessage: err.message, trace: [] });
      throw Object.assign(new Error(cause), { name: err.name });
    }
  };
}

const validated = new Set<string>();

/**
 * Executes the definition with every Wait and retry interval shortened to `intervalMs` (0 by default),
 * the real handlers behind the function ARNs, and returns how it ended. `stateFunctions` replaces the
 * function behind one state only (two states may invoke the same function).
 */
export async function execute(
  definition: StateMachineDefinition,
  input: unknown,
  functions: Readonly<Record<string, LambdaHandler>>,
  options: { intervalMs?: number; stateFunctions?: Readonly<Record<string, LambdaHandler>> } = {},
): Promise<ExecutionOutcome> {
  const interval = options.intervalMs ?? 0;
  const invocations: Invocation[] = [];
  const taskHandlers: Record<string, (input: unknown) => Promise<Record<string, unknown>>> = {};
  const waits: Record<string, number> = {};
  const retries: Record<string, number> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') {
      taskHandlers[name] = asLambda(name, functions, invocations, options.stateFunctions?.[name]);
      retries[name] = interval;
    }
    if (state.Type === 'Wait') waits[name] = interval;
  }
  // The library's types describe ASL more loosely than ours; the definition is plain JSON either way.
  const json = JSON.stringify(definition);
  // Validating takes a second or more; a definition already validated is not validated again.
  const machine = new StateMachine(JSON.parse(json), {
    validationOptions: validated.has(json) ? { noValidate: true } : { checkPaths: true, checkArn: true },
  });
  validated.add(json);
  const run = machine.run(input as Parameters<StateMachine['run']>[0], {
    overrides: {
      taskResourceLocalHandlers: taskHandlers as never,
      waitTimeOverrides: waits,
      retryIntervalOverrides: retries,
    },
  });
  let output: Record<string, unknown> | undefined;
  let status: ExecutionOutcome['status'] = 'SUCCEEDED';
  try {
    output = (await run.result) as Record<string, unknown>;
  } catch {
    status = 'FAILED';
  }
  const events: EventLog[] = [];
  for await (const event of run.eventLogs) events.push(event as EventLog);
  const failed = events.find((event) => event.type === 'ExecutionFailed');
  // The wait overrides skip the library's reading of SecondsPath: read it here, and refuse what Step Functions
  // refuses (anything but a whole number of seconds, 0 or more, fails the execution with States.Runtime).
  const waited: { state: string; seconds: number }[] = [];
  for (const event of events) {
    const state = event.type === 'StateEntered' ? definition.States[event.state?.name ?? ''] : undefined;
    if (state?.Type !== 'Wait') continue;
    const seconds =
      state.SecondsPath === undefined ? state.Seconds : valueAt(event.state?.input, state.SecondsPath);
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new Error(
        `Wait state ${event.state?.name}: ${state.SecondsPath} is ${JSON.stringify(seconds)}, not a whole number of seconds (States.Runtime on AWS)`,
      );
    }
    waited.push({ state: event.state?.name ?? '', seconds });
  }
  return {
    status,
    output,
    error: failed?.Error,
    cause: failed === undefined ? undefined : String(failed.Cause),
    events,
    invocations,
    results: (state) =>
      invocations.flatMap((invocation) =>
        invocation.state === state && invocation.result !== undefined ? [invocation.result] : [],
      ),
    retries: (state) => {
      const errors: string[] = [];
      let lastError = '';
      for (const event of events) {
        if (event.state?.name !== state) continue;
        if (event.type === 'StateFailed') lastError = event.Error ?? '';
        if (event.type === 'StateRetried') errors.push(lastError);
      }
      return errors;
    },
    path: () =>
      events.filter((event) => event.type === 'StateEntered').map((event) => event.state?.name ?? ''),
    waits: () => [...waited],
  };
}

/**
 * The source functions of `account` in `region` as a source state machine names them (their ARNs), and the
 * real handlers by those ARNs, for `execute`.
 */
export function sourceFunctions(
  region: string,
  account: string,
): { readonly arns: SourceFunctions; readonly handlers: Record<string, LambdaHandler> } {
  const arn = (name: FunctionName) => `arn:aws:lambda:${region}:${account}:function:${name}`;
  const arns: SourceFunctions = {
    take: arn('TakeSnapshotsAurora'),
    check: arn('CheckSnapshotStatus'),
    share: arn('ShareSnapshotsAurora'),
    deleteOld: arn('DeleteOldSnapshotsAurora'),
  };
  return { arns, handlers: Object.fromEntries(SOURCE_FUNCTIONS.map((name) => [arn(name), HANDLERS[name]])) };
}
