/**
 * The Lambda functions of a simulated run: each task invokes the real handler in-process, and this model
 * says what AWS would bill for it and how long it takes on the virtual clock. The handler runs at the
 * virtual instant it starts (its reads and writes act then); each API call it makes adds `apiLatencyMs`,
 * counted one after another (an upper bound where a handler makes them in parallel), and the clock moves
 * past them when it returns. Billed duration = the handler's own compute, measured here in real
 * milliseconds, + its API calls' latency + the INIT phase when the invocation is cold. Whether it is cold:
 * an execution environment of the same function (account, region) that is idle and was used less than
 * `keepWarmMs` ago serves it warm; otherwise a new one starts. Real compute is billed but does not move the
 * virtual clock, so the order of events stays the same on every machine.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { VirtualScheduler } from './virtual-scheduler.js';

export interface LambdaModelOptions {
  /** Memory of every function (src/infra/functions.ts FUNCTION_MEMORY_MB). */
  readonly memoryMB: number;
  /** Billed INIT phase of a cold start, in milliseconds. */
  readonly initMs: number;
  /** How long an idle execution environment stays available, in milliseconds. */
  readonly keepWarmMs: number;
  /** Step Functions to Lambda: from the task's start to the handler's first line, in milliseconds. */
  readonly dispatchMs: number;
  /** Virtual milliseconds each API call of a handler takes. */
  readonly apiLatencyMs: number;
}

/** The invocation a store call belongs to: its account, and the virtual time of its API calls. */
export interface InvocationScope {
  readonly account: string;
  /** Counts one API call; returns the virtual time at which it is done. */
  apiCall(): number;
}

export interface InvocationRecord {
  readonly fn: string;
  readonly account: string;
  readonly region: string;
  readonly at: number;
  readonly cold: boolean;
  /** Handler compute measured in this process, in real milliseconds. */
  readonly computeMs: number;
  readonly apiCalls: number;
  /** Virtual milliseconds from the handler's start to its end, INIT included. */
  readonly virtualMs: number;
  /** What Lambda bills: compute + virtual time, rounded up to the millisecond. */
  readonly billedMs: number;
  readonly gbSeconds: number;
  readonly failed: boolean;
}

interface Environment {
  busyUntil: number;
  lastUsed: number;
}

const scopes = new AsyncLocalStorage<InvocationScope>();

/** The invocation the caller runs in, if any (the stores read its account). */
export function currentInvocation(): InvocationScope | undefined {
  return scopes.getStore();
}

export class LambdaModel {
  readonly invocations: InvocationRecord[] = [];
  private readonly environments = new Map<string, Environment[]>();

  constructor(
    private readonly scheduler: VirtualScheduler,
    readonly options: LambdaModelOptions,
  ) {}

  /**
   * Invokes `handler` as function `fn` of `account` in `region`, on the virtual clock; its record goes to
   * `invocations` and to `sink` (the execution's own list).
   */
  async invoke(
    fn: string,
    account: string,
    region: string,
    handler: (payload: unknown) => Promise<unknown>,
    payload: unknown,
    sink?: InvocationRecord[],
  ): Promise<unknown> {
    const { scheduler, options } = this;
    await scheduler.sleep(options.dispatchMs);
    const start = scheduler.now();
    const environment = this.environmentFor(`${account}/${region}/${fn}`, start);
    const cold = environment.lastUsed < 0;
    environment.busyUntil = Number.POSITIVE_INFINITY;
    if (cold) await scheduler.sleep(options.initMs);
    const handlerStart = scheduler.now();
    let apiCalls = 0;
    const scope: InvocationScope = {
      account,
      apiCall: () => {
        apiCalls++;
        return handlerStart + apiCalls * options.apiLatencyMs;
      },
    };
    let failed = false;
    let computeMs = 0;
    const real = performance.now();
    try {
      return await scopes.run(scope, () => handler(payload));
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      computeMs = performance.now() - real;
      await scheduler.sleep(apiCalls * options.apiLatencyMs);
      const end = scheduler.now();
      environment.busyUntil = end;
      environment.lastUsed = end;
      const virtualMs = end - start;
      const billedMs = Math.ceil(virtualMs + computeMs);
      const record: InvocationRecord = {
        fn,
        account,
        region,
        at: start,
        cold,
        computeMs,
        apiCalls,
        virtualMs,
        billedMs,
        gbSeconds: (billedMs / 1000) * (options.memoryMB / 1024),
        failed,
      };
      this.invocations.push(record);
      sink?.push(record);
    }
  }

  /** An idle, recently used environment of the function, or a new one (lastUsed < 0: cold). */
  private environmentFor(key: string, at: number): Environment {
    const pool = this.environments.get(key) ?? [];
    this.environments.set(key, pool);
    const warm = pool.find((e) => e.busyUntil <= at && at - e.lastUsed <= this.options.keepWarmMs);
    if (warm) return warm;
    const fresh: Environment = { busyUntil: at, lastUsed: -1 };
    pool.push(fresh);
    // Environments idle for longer than keepWarmMs are gone: drop them so the pool stays small.
    for (let i = pool.length - 1; i >= 0; i--) {
      const e = pool[i] as Environment;
      if (e !== fresh && e.busyUntil <= at && at - e.lastUsed > this.options.keepWarmMs) pool.splice(i, 1);
    }
    return fresh;
  }
}
