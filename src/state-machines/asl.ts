/**
 * Amazon States Language (JSONPath) types and the building blocks the tool's state machines share:
 * the Lambda task, the retriers, the sparse checks' waits and the failure path that names the error and the
 * cluster.
 */
import { rangeOf } from '../config/parameters.js';
import { MAX_CHECK_AFTER_SECONDS } from '../core/copies/progress-estimate.js';

/** A JSON value as ASL carries it (strings may be CDK tokens until synthesis). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string;
}

interface Transition {
  Next?: string;
  End?: true;
}

export interface TaskState extends Transition {
  Type: 'Task';
  Comment?: string;
  Resource: string;
  Parameters?: { [key: string]: Json };
  ResultSelector?: { [key: string]: Json };
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface PassState extends Transition {
  Type: 'Pass';
  Comment?: string;
  Parameters?: { [key: string]: Json };
  Result?: Json;
  ResultPath?: string | null;
}

/** A fixed wait (`Seconds`), or one the state data sizes (`SecondsPath`: the handlers' `checkAfterSeconds`). */
export type WaitState = Transition & { Type: 'Wait'; Comment?: string } & (
    | { Seconds: number; SecondsPath?: never }
    | { SecondsPath: string; Seconds?: never }
  );

/** A rule on a variable, or a combination (`And`, `Or`, `Not`) of rules, with the state it leads to. */
export type ChoiceRule = { Variable?: string; [operator: string]: Json | undefined } & { Next: string };

export interface ChoiceState {
  Type: 'Choice';
  Comment?: string;
  Choices: ChoiceRule[];
  Default: string;
}

export interface SucceedState {
  Type: 'Succeed';
  Comment?: string;
}

export interface FailState {
  Type: 'Fail';
  Comment?: string;
  ErrorPath?: string;
  CausePath?: string;
  Error?: string;
  Cause?: string;
}

export type State = TaskState | PassState | WaitState | ChoiceState | SucceedState | FailState;

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
}

/**
 * Errors every task retries with exponential backoff and full jitter: the tool's throttling and
 * transient AWS faults (after the SDK's own retries gave up), a drill resource in a passing state
 * (ResourceBusy), and the Lambda service faults AWS recommends retrying for the `lambda:invoke`
 * integration, a timed-out invoke call included (the function may not have run at all).
 */
export const RETRIED_ERRORS = [
  'ThrottlingError',
  'TransientAwsError',
  'ResourceBusy',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/**
 * Errors that mean "not yet", not "broken": CopyLimitReached, retried by the copying steps; SnapshotNotReady,
 * which CheckSnapshotStatus throws only for the polling definitions that came before sparse checks.
 */
export const WAIT_ERRORS = { notReady: 'SnapshotNotReady', copyLimit: 'CopyLimitReached' } as const;

/** Default seconds between two status polls of a restore drill, and the first interval of the copy-limit retry. */
export const DEFAULT_POLL_SECONDS = 60;

/**
 * Default bound on a restore drill's status polls per wait: 12 hours at the default interval, and never more
 * than 2,000 so that two waits stay well inside the 25,000-event history of a standard execution. The
 * handler's own MaxRestoreMinutes check (RestoreTimedOut) normally ends a wait first.
 */
export function defaultMaxPolls(pollSeconds: number): number {
  return Math.min(2000, Math.ceil((12 * 60 * 60) / pollSeconds));
}

export interface DefinitionOptions {
  /**
   * Seconds between status polls of the restore drill; for the source and destination machines, which check
   * sparsely (SecondsPath), the first interval of the copy-limit retry. @default 60
   */
  readonly pollSeconds?: number;
  /** Polls before a restore drill's wait gives up. @default 12 hours' worth, at most 2,000 */
  readonly maxPolls?: number;
  /**
   * Bound of a whole execution, after which it ends TIMED_OUT (and the alarm fires).
   * @default the drill: every wait at its full poll bound, plus one hour; the source and destination: the
   * longest MaxWaitMinutes of sparse checks and their last wait, the copy-limit retries, plus one hour
   */
  readonly timeoutSeconds?: number;
}

export interface ResolvedOptions {
  readonly pollSeconds: number;
  readonly maxPolls: number;
  readonly timeoutSeconds: number;
}

/** `waits`: how many waits one execution can go through (each bounded by maxPolls polls). */
export function resolveOptions(options: DefinitionOptions = {}, waits = 1): ResolvedOptions {
  const pollSeconds = options.pollSeconds ?? DEFAULT_POLL_SECONDS;
  if (!Number.isInteger(pollSeconds) || pollSeconds < 1 || pollSeconds > 3600) {
    throw new RangeError(`pollSeconds must be a whole number of seconds from 1 to 3600 (got ${pollSeconds})`);
  }
  const maxPolls = options.maxPolls ?? defaultMaxPolls(pollSeconds);
  if (!Number.isInteger(maxPolls) || maxPolls < 1 || maxPolls > 5000) {
    throw new RangeError(`maxPolls must be a whole number from 1 to 5000 (got ${maxPolls})`);
  }
  const timeoutSeconds = checkedTimeout(options.timeoutSeconds ?? waits * maxPolls * pollSeconds + 3600);
  return { pollSeconds, maxPolls, timeoutSeconds };
}

function checkedTimeout(timeoutSeconds: number): number {
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 60 || timeoutSeconds > 31_536_000) {
    throw new RangeError(`timeoutSeconds must be a whole number from 60 to 31536000 (got ${timeoutSeconds})`);
  }
  return timeoutSeconds;
}

/**
 * Options of a machine whose waits are sparse checks (the source and destination): `shareRounds` is how many
 * tasks may retry CopyLimitReached. The default bound covers the longest MaxWaitMinutes a configuration
 * accepts worth of checks (the check answers `pending` once MaxWaitMinutes have passed, so a loop ends then),
 * the last wait before that answer (at most MAX_CHECK_AFTER_SECONDS), each copying task's copy-limit retries
 * at their longest, plus one hour for the tasks themselves.
 */
export function resolveSparseOptions(
  options: DefinitionOptions = {},
  shareRounds = 1,
): { readonly pollSeconds: number; readonly timeoutSeconds: number } {
  const { pollSeconds } = resolveOptions({
    ...(options.pollSeconds === undefined ? {} : { pollSeconds: options.pollSeconds }),
    ...(options.maxPolls === undefined ? {} : { maxPolls: options.maxPolls }),
  });
  const timeoutSeconds = checkedTimeout(
    options.timeoutSeconds ??
      rangeOf('MaxWaitMinutes').max * 60 +
        MAX_CHECK_AFTER_SECONDS +
        shareRounds * retryBoundSeconds(copyLimitRetry(pollSeconds)) +
        3600,
  );
  return { pollSeconds, timeoutSeconds };
}

/** The longest a retrier can wait in all (its intervals at their longest, jitter aside), in whole seconds. */
export function retryBoundSeconds(retrier: Retrier): number {
  let total = 0;
  for (let attempt = 0; attempt < (retrier.MaxAttempts ?? 3); attempt++) {
    const interval = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt;
    total += Math.min(interval, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
  }
  return Math.ceil(total);
}

export const COMMON_RETRY: Retrier = {
  ErrorEquals: [...RETRIED_ERRORS],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

/**
 * A task that ran out of time (Lambda's own timeout, `Sandbox.Timedout`, or the task's, `States.Timeout`)
 * or out of memory, or whose runtime crashed (`Lambda.Unknown`), is retried once: a pass over an unusually
 * large estate or a slow API can run long once, a sandbox can die once, and every task is idempotent (it
 * plans from what exists). A second time fails the execution and alarms: the function needs more time or
 * memory (docs/benchmarks.md sizes them).
 */
export const RETRIED_ONCE_ERRORS = ['Sandbox.Timedout', 'States.Timeout', 'Lambda.Unknown'] as const;

export const RETRY_ONCE: Retrier = {
  ErrorEquals: [...RETRIED_ONCE_ERRORS],
  IntervalSeconds: 10,
  MaxAttempts: 1,
  BackoffRate: 1,
};

/** "Not yet": a status check retried every poll, up to the wait's bound. */
export function pollRetry(pollSeconds: number, maxPolls: number): Retrier {
  return {
    ErrorEquals: [WAIT_ERRORS.notReady],
    IntervalSeconds: pollSeconds,
    MaxAttempts: maxPolls,
    BackoffRate: 1,
  };
}

/** AWS refuses a sixth concurrent copy into a region; one finishes within minutes. */
export function copyLimitRetry(pollSeconds: number): Retrier {
  return {
    ErrorEquals: [WAIT_ERRORS.copyLimit],
    IntervalSeconds: Math.max(pollSeconds, 60),
    MaxAttempts: 10,
    BackoffRate: 1.5,
    MaxDelaySeconds: 1800,
    JitterStrategy: 'FULL',
  };
}

/** What a step that starts snapshots or copies keeps of its result: what to check, and since when. */
export const STARTED_RESULT = {
  'started.$': '$.Payload.started',
  'refs.$': '$.Payload.refs',
  'startedAt.$': '$.Payload.startedAt',
} as const;

/** What the share step keeps besides: the copies to act on once available, and when to look at them first. */
export const SHARE_RESULT = {
  ...STARTED_RESULT,
  'follow.$': '$.Payload.follow',
  'followRefs.$': '$.Payload.followRefs',
  'checkAfterSeconds.$': '$.Payload.checkAfterSeconds',
} as const;

/** What the destination's copy step keeps besides: when to look at its copies first. */
export const COPY_RESULT = {
  ...STARTED_RESULT,
  'checkAfterSeconds.$': '$.Payload.checkAfterSeconds',
} as const;

/** The payload field that makes CheckSnapshotStatus answer `in-progress` (with when to look again). */
export const SPARSE_CHECK = { sparse: true } as const;

/** What a sparse status check keeps of its result: its state, and when to look again while in progress. */
export const SPARSE_CHECK_RESULT = {
  'state.$': '$.Payload.state',
  'snapshots.$': '$.Payload.snapshots',
  'checkAfterSeconds.$': '$.Payload.checkAfterSeconds',
} as const;

/**
 * The sparse wait for copies a step started (RDS sends no event for a copy): a first wait as long as the step
 * said (`<step>.checkAfterSeconds`), a check of the copies at `refsPath`, and, while the check says
 * in-progress, a wait as long as it said before the next check. The check's answer is at `$.copyCheck`; the
 * machine's own Choice state (`states.ready`) reads it and loops back through `states.waitAgain`.
 */
export function sparseCheckStates(input: {
  functionArn: string;
  /** The step whose result names the copies and when to look first, e.g. `$.share`. */
  step: string;
  /** The copies to check, within the step's result, e.g. `$.share.followRefs`. */
  refsPath: string;
  states: { wait: string; check: string; ready: string; waitAgain: string };
  catchNext: string;
}): Record<string, State> {
  const { states } = input;
  return {
    [states.wait]: { Type: 'Wait', SecondsPath: `${input.step}.checkAfterSeconds`, Next: states.check },
    [states.check]: lambdaTask({
      functionArn: input.functionArn,
      comment: 'Says in-progress (and when to look again), available, or pending (past MaxWaitMinutes).',
      extraPayload: { 'refs.$': input.refsPath, 'startedAt.$': `${input.step}.startedAt`, ...SPARSE_CHECK },
      resultSelector: SPARSE_CHECK_RESULT,
      resultPath: '$.copyCheck',
      next: states.ready,
      catchNext: input.catchNext,
    }),
    [states.waitAgain]: { Type: 'Wait', SecondsPath: '$.copyCheck.checkAfterSeconds', Next: states.check },
  };
}

/** The answers of a sparse check the machines branch on (`pending`: left to the next runs). */
export const CHECK_STATES = { inProgress: 'in-progress', available: 'available' } as const;

/** Where a caught error is put in the state data, and the states that turn it into the execution's failure. */
export const FAILURE_PATH = '$.failure';

/**
 * A Lambda task over the `lambda:invoke` integration. Its payload is `{ config, ...extra }` where
 * `config` is the execution input (the configuration block) whatever the state data has become.
 */
export function lambdaTask(
  input: {
    functionArn: string;
    comment: string;
    extraPayload?: { [key: string]: Json };
    resultSelector: { [key: string]: Json };
    resultPath: string;
    retry?: Retrier[];
    catchNext: string;
  } & /** The state after it, or none: a task that ends the execution saves the transition to a Succeed state (transitions are what AWS bills). */ (
    | { next: string; end?: never }
    | { end: true; next?: never }
  ),
): TaskState {
  return {
    Type: 'Task',
    Comment: input.comment,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: {
      FunctionName: input.functionArn,
      Payload: { 'config.$': '$$.Execution.Input', ...(input.extraPayload ?? {}) },
    },
    ResultSelector: input.resultSelector,
    ResultPath: input.resultPath,
    // Lambda's own limit is 15 minutes; a task never legitimately runs longer.
    TimeoutSeconds: 900,
    Retry: [...(input.retry ?? []), COMMON_RETRY, RETRY_ONCE],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: FAILURE_PATH, Next: input.catchNext }],
    ...(input.end ? { End: true } : { Next: input.next }),
  };
}

/**
 * The failure path: when the cluster parameter is present in the state data (the execution input
 * is kept there, every task writes to its own ResultPath), the cause is prefixed with it; then the
 * Fail state carries the original error name (what alarms and operators match on) and the cause.
 */
export function failureStates(input: {
  clusterParameterPath: string;
  clusterParameterName: string;
  describeState: string;
  withClusterState: string;
  failState: string;
}): Record<string, State> {
  return {
    [input.describeState]: {
      Type: 'Choice',
      Comment: 'Names the cluster in the cause.',
      Choices: [{ Variable: input.clusterParameterPath, IsPresent: true, Next: input.withClusterState }],
      Default: input.failState,
    },
    [input.withClusterState]: {
      Type: 'Pass',
      Parameters: {
        'Error.$': `${FAILURE_PATH}.Error`,
        'Cause.$': `States.Format('${input.clusterParameterName} {}: {}: {}', ${input.clusterParameterPath}, ${FAILURE_PATH}.Error, ${FAILURE_PATH}.Cause)`,
      },
      ResultPath: FAILURE_PATH,
      Next: input.failState,
    },
    [input.failState]: {
      Type: 'Fail',
      Comment: 'Fails with the error name (the alarm fires).',
      ErrorPath: `${FAILURE_PATH}.Error`,
      CausePath: `${FAILURE_PATH}.Cause`,
    },
  };
}
