/**
 * The source state machine (one per cluster, `stateMachineTakeSnapshotAurora`): take a snapshot when
 * due, wait until it is available, copy and share it, wait for the copies, then delete expired ones.
 *
 * Input shape (stable): the execution input IS the configuration block, exactly as the CLI reads it,
 * e.g. `{"Source": {"Region": "eu-west-1", "ClusterNamePattern": "orders", "ShareSnapshots": "TRUE", ...}}`.
 * Each task invokes its Lambda function with the payload
 *   `{ "config": <execution input>, ...state-specific fields }`
 * (see the handlers' `HandlerEvent`): `refs` and `startedAt` for CheckSnapshotStatus.
 * State data: the execution input, plus `take`, `snapshotCheck`, `share`, `copyCheck`, `secondShareRound`,
 * `deleteOld` as the states complete (each task writes only to its own ResultPath), and `failure`
 * ({Error, Cause}) when a task failed (`deleteFailure` too when retention also failed after a full quota).
 * A full manual snapshot quota at the take, or a failed copy or share (one destination of several), still runs
 * retention before the execution fails.
 */
import {
  CHECK_RESULT,
  copyLimitRetry,
  type DefinitionOptions,
  FAILURE_PATH,
  failureStates,
  lambdaTask,
  pollRetry as pollRetryOf,
  resolveOptions,
  STARTED_RESULT,
  type StateMachineDefinition,
  type TaskState,
} from './asl.js';

/** The error of a full manual snapshot quota (the take handler's SnapshotQuotaExceeded). */
const QUOTA_ERROR = 'SnapshotQuotaExceeded';

export const SOURCE_STATES = {
  take: 'TakeSnapshots',
  snapshotsStarted: 'SnapshotsStarted',
  waitForSnapshots: 'WaitForSnapshots',
  checkSnapshots: 'CheckSnapshotStatus',
  share: 'ShareSnapshots',
  copiesStarted: 'CopiesStarted',
  waitForCopies: 'WaitForCopies',
  checkCopies: 'CheckCopyStatus',
  shareRoundDone: 'SecondShareRoundDone',
  secondShareRound: 'StartSecondShareRound',
  deleteOld: 'DeleteOldSnapshots',
  freeQuota: 'DeleteOldSnapshotsThenFail',
  done: 'Done',
  describeFailure: 'DescribeFailure',
  failureWithCluster: 'NameClusterInFailure',
  failed: 'Failed',
} as const;

export interface SourceFunctions {
  /** ARN of TakeSnapshotsAurora. */
  readonly take: string;
  /** ARN of CheckSnapshotStatus. */
  readonly check: string;
  /** ARN of ShareSnapshotsAurora. */
  readonly share: string;
  /** ARN of DeleteOldSnapshotsAurora. */
  readonly deleteOld: string;
}

const S = SOURCE_STATES;

export function sourceStateMachineDefinition(
  fns: SourceFunctions,
  options?: DefinitionOptions,
): StateMachineDefinition {
  // Three waits at most: the new snapshots, and the copies of each of the two share rounds.
  const { pollSeconds, maxPolls, timeoutSeconds } = resolveOptions(options, 3);
  const pollRetry = pollRetryOf(pollSeconds, maxPolls);
  return {
    Comment:
      'Aurora snapshot tool, source side: take when due, wait until available, copy and share, wait for the copies, delete expired snapshots.',
    StartAt: S.take,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [S.take]: catchingQuota(
        lambdaTask({
          functionArn: fns.take,
          comment:
            'Takes a snapshot of each matching cluster whose latest snapshot is older than BackupInterval.',
          resultSelector: STARTED_RESULT,
          resultPath: '$.take',
          next: S.snapshotsStarted,
          catchNext: S.describeFailure,
        }),
      ),
      // A full quota, or a failed copy or share, fails the execution, but only after retention has run:
      // otherwise every later execution would fail the same way and the expired snapshots would never go
      // (a full quota would stay full; a dead destination would stop retention everywhere). Retention
      // still holds every snapshot a destination lacks.
      [S.freeQuota]: {
        ...lambdaTask({
          functionArn: fns.deleteOld,
          comment: 'Deletes the expired snapshots retention allows, then fails with the error that led here.',
          resultSelector: { 'deleted.$': '$.Payload.deleted' },
          resultPath: '$.deleteOld',
          next: S.describeFailure,
          catchNext: S.describeFailure,
        }),
        // The error that led here stays the execution's failure even when this deletion fails too.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.deleteFailure', Next: S.describeFailure }],
      },
      [S.snapshotsStarted]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.take.started', BooleanEquals: true, Next: S.waitForSnapshots }],
        Default: S.share,
      },
      [S.waitForSnapshots]: { Type: 'Wait', Seconds: pollSeconds, Next: S.checkSnapshots },
      [S.checkSnapshots]: lambdaTask({
        functionArn: fns.check,
        comment: 'Fails with SnapshotNotReady (retried every poll) until the new snapshots are available.',
        extraPayload: { 'refs.$': '$.take.refs', 'startedAt.$': '$.take.startedAt' },
        resultSelector: CHECK_RESULT,
        resultPath: '$.snapshotCheck',
        retry: [pollRetry],
        next: S.share,
        catchNext: S.describeFailure,
        leaveForNextRun: '$.snapshotCheckLeft',
      }),
      [S.share]: lambdaTask({
        functionArn: fns.share,
        comment:
          'Copies available snapshots to DestinationRegion (at most 5 in flight) and shares them with DestinationAccount.',
        resultSelector: STARTED_RESULT,
        resultPath: '$.share',
        retry: [copyLimitRetry(pollSeconds)],
        next: S.copiesStarted,
        catchNext: S.freeQuota,
      }),
      [S.copiesStarted]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.share.started', BooleanEquals: true, Next: S.waitForCopies }],
        Default: S.deleteOld,
      },
      [S.waitForCopies]: { Type: 'Wait', Seconds: pollSeconds, Next: S.checkCopies },
      [S.checkCopies]: lambdaTask({
        functionArn: fns.check,
        comment: 'Fails with SnapshotNotReady (retried every poll) until the copies are available.',
        extraPayload: { 'refs.$': '$.share.refs', 'startedAt.$': '$.share.startedAt' },
        resultSelector: CHECK_RESULT,
        resultPath: '$.copyCheck',
        retry: [pollRetry],
        next: S.shareRoundDone,
        catchNext: S.describeFailure,
        leaveForNextRun: '$.copyCheckLeft',
      }),
      // A copy that must itself be shared (a DR copy for another account, or a re-encryption of an
      // aws/rds-key snapshot) can be shared only once available: one more share pass does it now
      // rather than at the next scheduled run. Two rounds at most; anything left waits for the next run.
      [S.shareRoundDone]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.secondShareRound', IsPresent: true, Next: S.deleteOld }],
        Default: S.secondShareRound,
      },
      [S.secondShareRound]: {
        Type: 'Pass',
        Result: true,
        ResultPath: '$.secondShareRound',
        Next: S.share,
      },
      [S.deleteOld]: lambdaTask({
        functionArn: fns.deleteOld,
        comment: 'Deletes the expired snapshots retention allows (nothing when DeleteOldSnapshots is FALSE).',
        resultSelector: { 'deleted.$': '$.Payload.deleted' },
        resultPath: '$.deleteOld',
        next: S.done,
        catchNext: S.describeFailure,
      }),
      [S.done]: { Type: 'Succeed' },
      ...failureStates({
        clusterParameterPath: '$.Source.ClusterNamePattern',
        clusterParameterName: 'ClusterNamePattern',
        describeState: S.describeFailure,
        withClusterState: S.failureWithCluster,
        failState: S.failed,
      }),
    },
  };
}

/** Sends SnapshotQuotaExceeded from the take to retention before the failure (other errors fail at once). */
function catchingQuota(task: TaskState): TaskState {
  return {
    ...task,
    Catch: [
      { ErrorEquals: [QUOTA_ERROR], ResultPath: FAILURE_PATH, Next: S.freeQuota },
      ...(task.Catch ?? []),
    ],
  };
}
