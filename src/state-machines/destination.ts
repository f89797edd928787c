/**
 * The destination state machine (one per cluster or SnapshotPattern): copy the snapshots another
 * account shared with this one (cross-account only), check sparsely until those copies are available, then
 * delete expired copies. RDS sends no event when a cluster snapshot copy finishes, so the checks wait as long
 * as the copies' progress says (`checkAfterSeconds`), not a minute each.
 *
 * Input shape (stable): the execution input IS the configuration block,
 * e.g. `{"Destination": {"Region": "eu-central-1", "SnapshotPattern": "orders", "SourceAccount": "111122223333", ...}}`.
 * Each task invokes its Lambda function with `{ "config": <execution input>, ... }` (see the handlers'
 * `HandlerEvent`). The copy step runs only when `Destination.SourceAccount` is set: without it the
 * copies are made by the source side's own job and this machine only applies retention.
 * State data: the execution input plus `copy` (with `checkAfterSeconds`), `copyCheck` (`in-progress`,
 * `available`, or `pending` once MaxWaitMinutes have passed: the copies are left to the next run),
 * `deleteOld`, and `failure` ({Error, Cause}).
 */
import {
  CHECK_STATES,
  COPY_RESULT,
  copyLimitRetry,
  type DefinitionOptions,
  failureStates,
  lambdaTask,
  resolveSparseOptions,
  type State,
  type StateMachineDefinition,
  sparseCheckStates,
} from './asl.js';

export const DESTINATION_STATES = {
  crossAccount: 'CrossAccount',
  copy: 'CopySharedSnapshots',
  copiesStarted: 'CopiesStarted',
  waitForCopies: 'WaitForCopies',
  checkCopies: 'CheckCopyStatus',
  copiesReady: 'CopiesReady',
  waitAgainForCopies: 'WaitAgainForCopies',
  deleteOld: 'DeleteOldSnapshots',
  describeFailure: 'DescribeFailure',
  failureWithCluster: 'NameClusterInFailure',
  failed: 'Failed',
} as const;

export interface DestinationFunctions {
  /** ARN of CopySnapshotsDestAurora. */
  readonly copy: string;
  /** ARN of a CheckSnapshotStatus function in the destination account; without it copies are not awaited. */
  readonly check: string | undefined;
  /** ARN of DeleteOldSnapshotsDestAurora. */
  readonly deleteOld: string;
}

const S = DESTINATION_STATES;

export function destinationStateMachineDefinition(
  fns: DestinationFunctions,
  options?: DefinitionOptions,
): StateMachineDefinition {
  const { pollSeconds, timeoutSeconds } = resolveSparseOptions(options, 1);
  const afterCopy = fns.check === undefined ? S.deleteOld : S.copiesStarted;
  const waitStates: Record<string, State> =
    fns.check === undefined
      ? {}
      : {
          [S.copiesStarted]: {
            Type: 'Choice',
            Choices: [{ Variable: '$.copy.started', BooleanEquals: true, Next: S.waitForCopies }],
            Default: S.deleteOld,
          },
          ...sparseCheckStates({
            functionArn: fns.check,
            step: '$.copy',
            refsPath: '$.copy.refs',
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
            ],
            Default: S.deleteOld,
          },
        };
  return {
    Comment:
      'Aurora snapshot tool, destination side: copy snapshots shared by the source account (cross-account only), check sparsely until the copies are available, then delete expired copies.',
    StartAt: S.crossAccount,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [S.crossAccount]: {
        Type: 'Choice',
        Comment:
          'Snapshots are shared with this account only when the source is another account: SourceAccount, or any account of SourceOrganizationId (a vault for an organization).',
        Choices: [
          { Variable: '$.Destination.SourceAccount', IsPresent: true, Next: S.copy },
          { Variable: '$.Destination.SourceOrganizationId', IsPresent: true, Next: S.copy },
        ],
        Default: S.deleteOld,
      },
      [S.copy]: lambdaTask({
        functionArn: fns.copy,
        comment:
          'Copies the snapshots SourceAccount (or any account of SourceOrganizationId) shared with this account into it, with KmsKeyDestination.',
        resultSelector: COPY_RESULT,
        resultPath: '$.copy',
        retry: [copyLimitRetry(pollSeconds)],
        next: afterCopy,
        catchNext: S.describeFailure,
      }),
      ...waitStates,
      [S.deleteOld]: lambdaTask({
        functionArn: fns.deleteOld,
        comment: 'Deletes the expired copies retention allows (nothing when DeleteOldSnapshots is FALSE).',
        resultSelector: { 'deleted.$': '$.Payload.deleted' },
        resultPath: '$.deleteOld',
        end: true,
        catchNext: S.describeFailure,
      }),
      ...failureStates({
        clusterParameterPath: '$.Destination.SnapshotPattern',
        clusterParameterName: 'SnapshotPattern',
        describeState: S.describeFailure,
        withClusterState: S.failureWithCluster,
        failState: S.failed,
      }),
    },
  };
}
