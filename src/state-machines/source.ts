/**
 * The source state machine (one per cluster, `stateMachineTakeSnapshotAurora`): take a snapshot when due,
 * copy and share what is available, wait (sparsely) only for copies that must themselves be shared, then
 * delete expired snapshots. It does not wait for the snapshot it takes: RDS's "manual cluster snapshot
 * created" event (RDS-EVENT-0075) starts an execution that copies it, and the next scheduled run does
 * whatever an event missed. RDS sends no event for a copy, so the copies to share once available are
 * checked with waits sized from their progress (`checkAfterSeconds`), not polled every minute.
 *
 * Input shape (stable): the execution input IS the configuration block, exactly as the CLI reads it,
 * e.g. `{"Source": {"Region": "eu-west-1", "ClusterNamePattern": "orders", "ShareSnapshots": "TRUE", ...}}`.
 * One key is reserved beside the block: `Trigger`, which the EventBridge rule on RDS events adds
 * (`{"Kind": "RdsEvent", "EventId", "RdsEventId", "SnapshotArn", "Time"}`). An execution with a Trigger
 * only shares (no take, no retention: the schedule's runs do those); the handlers take the Trigger out
 * before parsing the configuration, log it, and plan from what they read, never from the event.
 * Each task invokes its Lambda function with the payload
 *   `{ "config": <execution input>, ...state-specific fields }`
 * (see the handlers' `HandlerEvent`): `refs`, `startedAt` and `sparse` for CheckSnapshotStatus.
 * State data: the execution input, plus `take`, `share` (with `follow`, `followRefs`, `checkAfterSeconds`),
 * `copyCheck`, `secondShare` and `deleteOld` as the states complete (each task writes only to its own
 * ResultPath), and `failure` ({Error, Cause}) when a task failed (`deleteFailure` too when retention also
 * failed after a full quota). A full manual snapshot quota at the take, or a failed copy or share (one
 * destination of several), still runs retention before the execution fails.
 */
import {
  CHECK_STATES,
  copyLimitRetry,
  type DefinitionOptions,
  FAILURE_PATH,
  failureStates,
  lambdaTask,
  resolveSparseOptions,
  SHARE_RESULT,
  STARTED_RESULT,
  type StateMachineDefinition,
  sparseCheckStates,
  type TaskState,
} from './asl.js';

/** What the second share round keeps of its result: nothing reads it but the execution's history. */
const SECOND_SHARE_RESULT = { 'copied.$': '$.Payload.copied', 'shared.$': '$.Payload.shared' } as const;

/** The error of a full manual snapshot quota (the take handler's SnapshotQuotaExceeded). */
const QUOTA_ERROR = 'SnapshotQuotaExceeded';

/** Where an RDS event's execution carries its trigger (the reserved key of the execution input). */
const TRIGGER_PATH = '$.Trigger';

export const SOURCE_STATES = {
  trigger: 'Trigger',
  take: 'TakeSnapshots',
  share: 'ShareSnapshots',
  copiesToFollow: 'CopiesToFollow',
  waitForCopies: 'WaitForCopies',
  checkCopies: 'CheckCopyStatus',
  copiesReady: 'CopiesReady',
  waitAgainForCopies: 'WaitAgainForCopies',
  shareFollowed: 'ShareFollowedCopies',
  eventShareFollowed: 'ShareFollowedCopiesThenEnd',
  afterShare: 'AfterShare',
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
  // Two share rounds, each of which may wait for the copy limit.
  const { pollSeconds, timeoutSeconds } = resolveSparseOptions(options, 2);
  // The same task for both kinds of execution: a scheduled one goes on to retention, an event's ends there.
  const shareFollowed = (after: { next: string } | { end: true }): TaskState =>
    lambdaTask({
      functionArn: fns.share,
      comment: 'Shares the copies followed, now available.',
      resultSelector: SECOND_SHARE_RESULT,
      resultPath: '$.secondShare',
      retry: [copyLimitRetry(pollSeconds)],
      catchNext: S.freeQuota,
      ...after,
    });
  return {
    Comment:
      'Aurora snapshot tool, source side: take, copy and share, delete expired snapshots. An RDS event only shares.',
    StartAt: S.trigger,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [S.trigger]: {
        Type: 'Choice',
        Comment: 'An RDS event shares only; a schedule takes first.',
        Choices: [{ Variable: TRIGGER_PATH, IsPresent: true, Next: S.share }],
        Default: S.take,
      },
      [S.take]: catchingQuota(
        lambdaTask({
          functionArn: fns.take,
          comment: 'Takes the backups due; their RDS events, or the next run, start their copies.',
          resultSelector: STARTED_RESULT,
          resultPath: '$.take',
          next: S.share,
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
          comment: 'Retention, then the failure that led here.',
          resultSelector: { 'deleted.$': '$.Payload.deleted' },
          resultPath: '$.deleteOld',
          next: S.describeFailure,
          catchNext: S.describeFailure,
        }),
        // The error that led here stays the execution's failure even when this deletion fails too.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.deleteFailure', Next: S.describeFailure }],
      },
      [S.share]: lambdaTask({
        functionArn: fns.share,
        comment: 'Copies and shares what is available; says which copies to follow, and when to look.',
        resultSelector: SHARE_RESULT,
        resultPath: '$.share',
        retry: [copyLimitRetry(pollSeconds)],
        next: S.copiesToFollow,
        catchNext: S.freeQuota,
      }),
      // The second share round, once the copies followed are available: a state of its own for each kind of
      // execution rather than a flag and a loop back, so that no path enters more states than it needs.
      [S.shareFollowed]: shareFollowed({ next: S.deleteOld }),
      [S.eventShareFollowed]: shareFollowed({ end: true }),
      // A copy that must itself be shared (a DR copy for another account, or a re-encryption of an
      // aws/rds-key snapshot) can be shared only once available, and RDS sends no event for a copy: the
      // execution checks on it sparsely and shares it in a second round rather than at the next scheduled
      // run. Two rounds at most; anything left waits for the next run.
      [S.copiesToFollow]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.share.follow', BooleanEquals: true, Next: S.waitForCopies },
          // An event's execution leaves retention to the scheduled runs.
          { Variable: TRIGGER_PATH, IsPresent: true, Next: S.done },
        ],
        Default: S.deleteOld,
      },
      ...sparseCheckStates({
        functionArn: fns.check,
        step: '$.share',
        refsPath: '$.share.followRefs',
        states: {
          wait: S.waitForCopies,
          check: S.checkCopies,
          ready: S.copiesReady,
          waitAgain: S.waitAgainForCopies,
        },
        catchNext: S.describeFailure,
      }),
      [S.copiesReady]: {
        Type: 'Choice',
        Choices: [
          {
            Variable: '$.copyCheck.state',
            StringEquals: CHECK_STATES.inProgress,
            Next: S.waitAgainForCopies,
          },
          {
            And: [
              { Variable: '$.copyCheck.state', StringEquals: CHECK_STATES.available },
              { Variable: TRIGGER_PATH, IsPresent: true },
            ],
            Next: S.eventShareFollowed,
          },
          { Variable: '$.copyCheck.state', StringEquals: CHECK_STATES.available, Next: S.shareFollowed },
        ],
        Default: S.afterShare,
      },
      [S.afterShare]: {
        Type: 'Choice',
        Comment: 'Copies left to the next run.',
        Choices: [{ Variable: TRIGGER_PATH, IsPresent: true, Next: S.done }],
        Default: S.deleteOld,
      },
      [S.deleteOld]: lambdaTask({
        functionArn: fns.deleteOld,
        comment: 'Retention; then SnapshotTimedOut if a backup is stuck creating.',
        resultSelector: { 'deleted.$': '$.Payload.deleted' },
        resultPath: '$.deleteOld',
        end: true,
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
