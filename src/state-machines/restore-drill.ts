/**
 * The RestoreDrill state machine (one per drill schedule): start the restores, poll until the clusters
 * and their instances are available (the polling is here, never in a long Lambda), record the result on
 * the snapshots, delete what the drill created (polling until it is gone), and fail the execution
 * naming the snapshot when the restore failed or took longer than MaxRestoreMinutes.
 *
 * Input (stable): the execution input IS the configuration block, `{"RestoreDrill": {...}}`.
 * State data: the input plus `drill` (the run: startedAt, targets), `check`, `record`, `cleanup` and
 * `failure` ({Error, Cause}) once an error was caught (`recordFailure` when recording that failure failed too).
 */
import {
  type DefinitionOptions,
  FAILURE_PATH,
  failureStates,
  lambdaTask,
  pollRetry,
  resolveOptions,
  type StateMachineDefinition,
} from './asl.js';

export const DRILL_STATES = {
  init: 'NoRestoreYet',
  start: 'StartRestores',
  waitForRestore: 'WaitForRestores',
  check: 'CheckRestores',
  recordSuccess: 'RecordSuccess',
  recordFailure: 'RecordFailure',
  cleanup: 'DeleteDrillResources',
  cleanupDone: 'AllDeleted',
  waitForCleanup: 'WaitForDeletion',
  outcome: 'Outcome',
  done: 'Done',
  describeFailure: 'DescribeFailure',
  failureWithPattern: 'NameSnapshotPatternInFailure',
  failed: 'Failed',
} as const;

/** "The restore is still coming": CheckRestoreDrill's answer while polling. */
export const RESTORE_NOT_READY = 'RestoreNotReady';

export interface DrillFunctions {
  readonly start: string;
  readonly check: string;
  readonly record: string;
  readonly cleanup: string;
}

const S = DRILL_STATES;

export function restoreDrillStateMachineDefinition(
  fns: DrillFunctions,
  options?: DefinitionOptions,
): StateMachineDefinition {
  // Two waits: the restore and the deletion.
  const { pollSeconds, maxPolls, timeoutSeconds } = resolveOptions(options, 2);
  return {
    Comment:
      'Aurora snapshot tool, restore drill: restore the newest copy of each cluster with one instance, wait until both are available, record it on the snapshot, delete what was created.',
    StartAt: S.init,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [S.init]: {
        Type: 'Pass',
        Comment: 'An empty run, so the failure path can record and clean up even when nothing started.',
        Result: { startedAt: '', targets: [] },
        ResultPath: '$.drill',
        Next: S.start,
      },
      [S.start]: lambdaTask({
        functionArn: fns.start,
        comment:
          'Deletes drill leftovers, restores the newest copy of each matching cluster and adds its instance.',
        resultSelector: { 'startedAt.$': '$.Payload.startedAt', 'targets.$': '$.Payload.targets' },
        resultPath: '$.drill',
        next: S.waitForRestore,
        catchNext: S.recordFailure,
      }),
      [S.waitForRestore]: { Type: 'Wait', Seconds: pollSeconds, Next: S.check },
      [S.check]: lambdaTask({
        functionArn: fns.check,
        comment: `Fails with ${RESTORE_NOT_READY} (retried every poll) until the clusters and instances are available; RestoreFailed or RestoreTimedOut name the snapshot.`,
        extraPayload: { 'drill.$': '$.drill' },
        resultSelector: { 'state.$': '$.Payload.state', 'minutes.$': '$.Payload.minutes' },
        resultPath: '$.check',
        retry: [{ ...pollRetry(pollSeconds, maxPolls), ErrorEquals: [RESTORE_NOT_READY] }],
        next: S.recordSuccess,
        catchNext: S.recordFailure,
      }),
      [S.recordSuccess]: lambdaTask({
        functionArn: fns.record,
        comment:
          'Tags each restored snapshot SnapshotTool:RestoreVerified and publishes RestoreDrillSucceeded=1 and RestoreMinutes.',
        extraPayload: { 'drill.$': '$.drill', 'check.$': '$.check' },
        resultSelector: { 'succeeded.$': '$.Payload.succeeded' },
        resultPath: '$.record',
        next: S.cleanup,
        catchNext: S.cleanup,
      }),
      [S.recordFailure]: {
        ...lambdaTask({
          functionArn: fns.record,
          comment: 'Publishes RestoreDrillSucceeded=0; the snapshots are not tagged.',
          extraPayload: { 'drill.$': '$.drill', 'failure.$': FAILURE_PATH },
          resultSelector: { 'succeeded.$': '$.Payload.succeeded' },
          resultPath: '$.record',
          next: S.cleanup,
          catchNext: S.cleanup,
        }),
        // The restore's failure stays the execution's failure (what the operator must act on) even when
        // recording it fails too.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordFailure', Next: S.cleanup }],
      },
      [S.cleanup]: lambdaTask({
        functionArn: fns.cleanup,
        comment:
          'Deletes the drill-tagged instances, then the drill-tagged clusters without instances (no final snapshot).',
        resultSelector: { 'remaining.$': '$.Payload.remaining' },
        resultPath: '$.cleanup',
        next: S.cleanupDone,
        catchNext: S.describeFailure,
      }),
      [S.cleanupDone]: {
        Type: 'Choice',
        Comment: 'Deleting a cluster waits for its instance to be gone.',
        Choices: [{ Variable: '$.cleanup.remaining', NumericGreaterThan: 0, Next: S.waitForCleanup }],
        Default: S.outcome,
      },
      [S.waitForCleanup]: { Type: 'Wait', Seconds: pollSeconds, Next: S.cleanup },
      [S.outcome]: {
        Type: 'Choice',
        Comment: 'A failed restore fails the execution (and fires the alarm) once everything is deleted.',
        Choices: [{ Variable: FAILURE_PATH, IsPresent: true, Next: S.describeFailure }],
        Default: S.done,
      },
      [S.done]: { Type: 'Succeed' },
      ...failureStates({
        clusterParameterPath: '$.RestoreDrill.SnapshotPattern',
        clusterParameterName: 'SnapshotPattern',
        describeState: S.describeFailure,
        withClusterState: S.failureWithPattern,
        failState: S.failed,
      }),
    },
  };
}
