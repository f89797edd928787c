/**
 * Runs the tool's real state machine definitions with aws-local-stepfunctions: each Lambda task calls
 * the real handler in-process, Wait states and retry pauses take no real time, and the virtual clock
 * moves on by the poll interval at every status check, as it would in AWS.
 */
import './promise-polyfill.js';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../core/model/ports.js';
import type { StateMachineDefinition } from '../state-machines/index.js';
import { functionNameOf, HANDLERS } from './functions.js';

/** A clock the demo sets to each scheduled run time and moves forward while an execution polls. */
export class VirtualClock implements Clock {
  #ms: number;

  constructor(start: Date) {
    this.#ms = start.getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  set(at: Date): void {
    this.#ms = at.getTime();
  }

  advance(ms: number): void {
    this.#ms += ms;
  }
}

export interface ExecutionOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
  readonly output?: unknown;
  /** Lambda invocations by function name. */
  readonly invocations: Readonly<Record<string, number>>;
}

export interface LocalStateMachine {
  run(input: unknown): Promise<ExecutionOutcome>;
}

interface TaskLike {
  readonly Type: string;
  readonly Parameters?: { readonly FunctionName?: unknown };
  readonly Retry?: unknown[];
}

/**
 * Prepares one definition for repeated runs. `pollSeconds` is how far the clock moves per status
 * check (the definition's own Wait duration).
 */
export function localStateMachine(
  definition: StateMachineDefinition,
  clock: VirtualClock,
  pollSeconds: number,
): LocalStateMachine {
  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const waits: Record<string, number> = {};
  const retries: Record<string, number> = {};
  const taskNames: string[] = [];
  for (const [name, state] of Object.entries(definition.States as Record<string, TaskLike>)) {
    if (state.Type === 'Wait') waits[name] = 0;
    if (state.Retry) retries[name] = 0;
    if (state.Type === 'Task') taskNames.push(name);
  }
  return {
    async run(input) {
      const invocations: Record<string, number> = {};
      const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
      for (const stateName of taskNames) {
        handlers[stateName] = async (taskInput) => {
          const { FunctionName, Payload } = taskInput as { FunctionName?: string; Payload?: unknown };
          const name = functionNameOf(String(FunctionName ?? ''));
          if (!name)
            throw new Error(`state ${stateName} invokes ${String(FunctionName)}, not a function of the tool`);
          invocations[name] = (invocations[name] ?? 0) + 1;
          if (name === 'CheckSnapshotStatus' || name === 'CheckRestoreDrill')
            clock.advance(pollSeconds * 1000);
          const result = await HANDLERS[name](Payload);
          return { StatusCode: 200, Payload: result };
        };
      }
      const execution = machine.run(input as never, {
        overrides: {
          taskResourceLocalHandlers: handlers as never,
          waitTimeOverrides: waits,
          retryIntervalOverrides: retries,
        },
      });
      try {
        const output = await execution.result;
        return { status: 'SUCCEEDED', output, invocations };
      } catch (error) {
        const failure = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        return {
          status: 'FAILED',
          error: failure instanceof Error ? failure.name : 'Error',
          cause: failure instanceof Error ? failure.message : String(failure),
          invocations,
        };
      }
    },
  };
}
