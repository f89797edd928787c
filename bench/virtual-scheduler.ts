/**
 * Many state machine executions on one virtual clock: a discrete-event scheduler in which executions
 * started by schedules and by events overlap in time as they would on AWS (a run still checking its
 * copies while the next run takes a snapshot, a destination account's run beside the source's). Each
 * execution runs its real definition with aws-local-stepfunctions; its Wait states (Seconds or
 * SecondsPath) and retry intervals pass on the virtual clock, as does whatever a task sleeps (a cold
 * start, its API calls' latency). One execution runs at a time, until it sleeps or ends; the clock then
 * moves to the earliest sleeper or timer. A task sleeps on one thing at a time (no parallel sleeps), which
 * is what lets the scheduler know when every task is blocked. The order is fixed by virtual time and then by registration, so a run is the
 * same on every machine.
 */
import '../src/demo/promise-polyfill.js';
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from '../src/state-machines/index.js';
import type { ManualClock } from '../test/support/manual-clock.js';
import { type AnyState, retryDelayMs, waitSecondsOf } from './virtual-time.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** Real milliseconds the scheduler waits for a running task to sleep or end before it calls it stuck. */
const STALL_MS = 120_000;

export class VirtualScheduler {
  private readonly timers: Timer[] = [];
  private seq = 0;
  private running = 0;
  private onIdle: (() => void) | undefined;
  private readonly failures: unknown[] = [];

  constructor(readonly clock: ManualClock) {}

  /** Virtual milliseconds since the epoch. */
  now(): number {
    return this.clock.now().getTime();
  }

  /** Calls `fire` when the virtual clock reaches `time` (at once if it is past), after earlier timers. */
  at(time: number, fire: () => void): void {
    const timer: Timer = { at: Math.max(time, this.now()), seq: this.seq++, fire };
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.timers[mid] as Timer;
      if (other.at < timer.at || (other.at === timer.at && other.seq < timer.seq)) low = mid + 1;
      else high = mid;
    }
    this.timers.splice(low, 0, timer);
  }

  /** Resolves when `ms` virtual milliseconds have passed; the calling task counts as blocked meanwhile. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.at(this.now() + Math.max(0, ms), () => {
        this.running++;
        resolve();
      });
      this.release();
    });
  }

  /** Runs `task` on the scheduler; a failure ends `run` with that error. */
  spawn(task: () => Promise<void>): void {
    this.running++;
    task()
      .catch((error: unknown) => {
        this.failures.push(error);
      })
      .finally(() => this.release());
  }

  /** Moves the clock from timer to timer until nothing is left to run. */
  async run(): Promise<void> {
    for (;;) {
      await this.idle();
      if (this.failures.length > 0) throw this.failures[0];
      const next = this.timers.shift();
      if (!next) return;
      if (next.at > this.now()) this.clock.set(new Date(next.at));
      next.fire();
    }
  }

  private release(): void {
    this.running--;
    if (this.running < 0) {
      this.running = 0;
      this.failures.push(new Error('virtual scheduler: a task slept on two things at once'));
    }
    if (this.running === 0) this.onIdle?.();
  }

  private idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const stalled = setTimeout(() => {
        reject(new Error(`virtual scheduler: a task neither slept nor ended within ${STALL_MS / 1000} s`));
      }, STALL_MS);
      this.onIdle = () => {
        clearTimeout(stalled);
        this.onIdle = undefined;
        resolve();
      };
    });
  }
}

/** A definition checked once and run many times. */
export interface CompiledMachine {
  readonly name: string;
  readonly machine: StateMachine;
  readonly states: Readonly<Record<string, AnyState>>;
}

export function compileMachine(name: string, definition: StateMachineDefinition): CompiledMachine {
  return {
    name,
    machine: new StateMachine(definition as never, {
      validationOptions: { checkArn: true, checkPaths: true },
    }),
    states: definition.States as unknown as Record<string, AnyState>,
  };
}

/** What one execution did, filled in as it runs. */
export interface ExecutionRecord {
  /** The job (source, a destination region's or the vault's) and how it was started. */
  readonly job: string;
  readonly startedBy: 'schedule' | 'event';
  readonly startedAt: number;
  endedAt?: number;
  status?: 'SUCCEEDED' | 'FAILED';
  error?: string;
  cause?: string;
  /** States entered plus retry attempts: what Step Functions Standard bills. */
  transitions: number;
  retries: number;
  /** Entries per state name (retries not included). */
  readonly entered: Record<string, number>;
}

/** Runs one Lambda task: the function's name, the task's Payload, and the execution it belongs to. */
export type TaskRunner = (fn: string, payload: unknown, execution: ExecutionRecord) => Promise<unknown>;

function functionNameOf(taskInput: unknown): string {
  const name = String((taskInput as { FunctionName?: unknown }).FunctionName ?? '');
  return name.split(':').at(-1) ?? name;
}

/**
 * Starts an execution of `compiled` with `input` on the scheduler. A Wait's time and a retry's interval
 * are slept before the next task runs (only tasks can observe the clock), and what is left at the end
 * before the execution ends.
 */
export function startExecution(
  scheduler: VirtualScheduler,
  compiled: CompiledMachine,
  input: unknown,
  record: ExecutionRecord,
  runTask: TaskRunner,
): void {
  scheduler.spawn(async () => {
    const { states } = compiled;
    let pendingMs = 0;
    // Each task invocation answers one StateEntered (of a Task) or StateRetried event of the log, which
    // is consumed asynchronously: an invocation waits until its own event has been read, so the Wait and
    // retry time that precede it are known.
    let taskEvents = 0;
    let taskCalls = 0;
    let lastTask: string | undefined;
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    const waits: Record<string, number> = {};
    const retries: Record<string, number> = {};
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Wait') waits[name] = 0;
      if (state.Type !== 'Task') continue;
      retries[name] = 0;
      handlers[name] = async (taskInput) => {
        const mine = ++taskCalls;
        for (let i = 0; i < 50 && taskEvents < mine; i++)
          await new Promise((resolve) => setImmediate(resolve));
        if (taskEvents !== mine || lastTask !== name) {
          throw new Error(
            `virtual clock out of step at ${name} (event ${taskEvents} of ${lastTask}, call ${mine})`,
          );
        }
        const wait = pendingMs;
        pendingMs = 0;
        if (wait > 0) await scheduler.sleep(wait);
        const payload = await runTask(
          functionNameOf(taskInput),
          (taskInput as { Payload?: unknown }).Payload,
          record,
        );
        return { StatusCode: 200, Payload: payload };
      };
    }
    const execution = compiled.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        waitTimeOverrides: waits,
        retryIntervalOverrides: retries,
      },
    });
    const consumer = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateRetried' || (event.type === 'StateEntered' && event.state.type === 'Task')) {
          taskEvents++;
          lastTask = event.state.name;
        }
        if (event.type === 'StateEntered') {
          record.transitions++;
          record.entered[event.state.name] = (record.entered[event.state.name] ?? 0) + 1;
          const state = states[event.state.name];
          if (state?.Type === 'Wait') {
            pendingMs += waitSecondsOf(event.state.name, state, event.state.input) * 1000;
          }
        } else if (event.type === 'StateRetried') {
          record.transitions++;
          record.retries++;
          pendingMs += retryDelayMs(event.retry.retrier, event.retry.attempt);
        }
      }
    })();
    try {
      await execution.result;
      record.status = 'SUCCEEDED';
    } catch (error) {
      const failure = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      record.status = 'FAILED';
      record.error = failure instanceof Error ? failure.name : 'Error';
      record.cause = failure instanceof Error ? failure.message : String(failure);
    }
    await consumer;
    if (pendingMs > 0) await scheduler.sleep(pendingMs);
    record.endedAt = scheduler.now();
  });
}
