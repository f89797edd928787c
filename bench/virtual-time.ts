/**
 * Runs a state machine definition with aws-local-stepfunctions on a virtual clock whose time comes from
 * the definition itself: a Wait state moves the clock by its `Seconds` (or by the number its `SecondsPath`
 * selects in the state's input, a wait a task sized), a retry by the interval its retrier prescribes
 * (IntervalSeconds x BackoffRate^(attempt-1), capped by MaxDelaySeconds), while no real time passes. Loops
 * through a Choice (wait, check, wait again) move it once per pass. The benchmark measures delays that are
 * the definition's, not assumed ones.
 */
import '../src/demo/promise-polyfill.js';
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from '../src/state-machines/index.js';
import type { ManualClock } from '../test/support/manual-clock.js';

/** The library's execution events (its type is not exported). */
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** A local stand-in for one Lambda function: gets the task's `Payload`, returns the function's result. */
export type LocalFunction = (payload: unknown) => Promise<unknown>;

export interface VirtualRunOptions {
  readonly definition: StateMachineDefinition;
  readonly input: unknown;
  readonly clock: ManualClock;
  /** Local functions by the last segment of the task's FunctionName (the function name). */
  readonly functions: Readonly<Record<string, LocalFunction>>;
  /** Called on the virtual clock before each task runs (e.g. to let a snapshot finish by then). */
  readonly beforeTask?: (state: string, functionName: string) => void;
}

export interface VirtualRun {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
  /** Each task invocation with its state, function and virtual time. */
  readonly invocations: readonly { readonly state: string; readonly fn: string; readonly at: Date }[];
  /** Virtual milliseconds from the start to the end of the execution. */
  readonly elapsedMs: number;
}

interface Retrier {
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

export interface AnyState {
  readonly Type: string;
  readonly Seconds?: number;
  readonly SecondsPath?: string;
  readonly Parameters?: { readonly FunctionName?: unknown };
}

/** The value a reference path of plain fields (`$.a.b`, what our definitions' SecondsPath use) selects. */
export function valueAtPath(input: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) {
    throw new Error(`virtual clock: path ${path} is not a plain reference path ($.field.field)`);
  }
  let value = input;
  for (const field of path.split('.').slice(1)) {
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
  }
  return value;
}

/**
 * Seconds a Wait state waits, as Step Functions reads it: its `Seconds`, or the number its `SecondsPath`
 * selects in the state's input (a non-negative integer, else the execution fails, as on AWS:
 * States.Runtime).
 */
export function waitSecondsOf(name: string, state: AnyState, input: unknown): number {
  if (typeof state.Seconds === 'number') return state.Seconds;
  if (state.SecondsPath !== undefined) {
    const seconds = valueAtPath(input, state.SecondsPath);
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new Error(
        `virtual clock: Wait state ${name}: ${state.SecondsPath} is ${JSON.stringify(seconds)}, not a whole number of seconds`,
      );
    }
    return seconds;
  }
  throw new Error(`virtual clock: Wait state ${name} has neither Seconds nor SecondsPath`);
}

/**
 * The pause before retry `attempt` (1-based), as Step Functions computes it. Full jitter would draw
 * below this; the bound is used (the retriers this benchmark exercises have none).
 */
export function retryDelayMs(retrier: Retrier, attempt: number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2;
  const raw = interval * backoff ** (attempt - 1);
  const capped = retrier.MaxDelaySeconds === undefined ? raw : Math.min(raw, retrier.MaxDelaySeconds);
  return capped * 1000;
}

function functionNameOf(taskInput: unknown): string {
  const name = String((taskInput as { FunctionName?: unknown }).FunctionName ?? '');
  return name.split(':').at(-1) ?? name;
}

export async function runOnVirtualClock(options: VirtualRunOptions): Promise<VirtualRun> {
  const { definition, clock } = options;
  const states = definition.States as unknown as Record<string, AnyState>;
  const started = clock.now().getTime();
  const zero: Record<string, number> = {};
  const taskHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const invocations: { state: string; fn: string; at: Date }[] = [];
  let lastEvent: EventLog | undefined;

  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Wait') {
      if (typeof state.Seconds !== 'number' && state.SecondsPath === undefined) {
        throw new Error(`virtual clock: Wait state ${name} has neither Seconds nor SecondsPath`);
      }
      zero[name] = 0;
    }
    if (state.Type !== 'Task') continue;
    zero[name] = 0;
    taskHandlers[name] = async (taskInput) => {
      // The event log is consumed asynchronously: let it catch up, then check it is at this very task.
      await new Promise((resolve) => setImmediate(resolve));
      const inStep =
        lastEvent !== undefined &&
        (lastEvent.type === 'StateEntered' || lastEvent.type === 'StateRetried') &&
        lastEvent.state.name === name;
      if (!inStep) {
        throw new Error(`virtual clock out of step at ${name} (last event: ${lastEvent?.type ?? 'none'})`);
      }
      const fn = functionNameOf(taskInput);
      const local = options.functions[fn];
      if (!local) throw new Error(`virtual clock: no local function for ${fn} (state ${name})`);
      options.beforeTask?.(name, fn);
      invocations.push({ state: name, fn, at: clock.now() });
      const payload = await local((taskInput as { Payload?: unknown }).Payload);
      return { StatusCode: 200, Payload: payload };
    };
  }

  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const execution = machine.run(options.input as never, {
    overrides: {
      taskResourceLocalHandlers: taskHandlers as never,
      waitTimeOverrides: Object.fromEntries(Object.entries(zero).filter(([n]) => states[n]?.Type === 'Wait')),
      retryIntervalOverrides: Object.fromEntries(
        Object.entries(zero).filter(([n]) => states[n]?.Type === 'Task'),
      ),
    },
  });
  const consumer = (async () => {
    for await (const event of execution.eventLogs) {
      lastEvent = event;
      if (event.type === 'StateEntered' && event.state.type === 'Wait') {
        const wait = states[event.state.name];
        if (wait) clock.advance({ seconds: waitSecondsOf(event.state.name, wait, event.state.input) });
      } else if (event.type === 'StateRetried') {
        clock.advance({ seconds: retryDelayMs(event.retry.retrier, event.retry.attempt) / 1000 });
      }
    }
  })();
  try {
    await execution.result;
    await consumer;
    return { status: 'SUCCEEDED', invocations, elapsedMs: clock.now().getTime() - started };
  } catch (error) {
    await consumer.catch(() => {});
    const failure = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return {
      status: 'FAILED',
      error: failure instanceof Error ? failure.name : 'Error',
      cause: failure instanceof Error ? failure.message : String(failure),
      invocations,
      elapsedMs: clock.now().getTime() - started,
    };
  }
}
