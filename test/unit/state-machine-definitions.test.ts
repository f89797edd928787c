// The source and destination definitions: valid ASL, retries and failure handling on every task, sparse checks sized by the handlers, the event execution's short path.
import { describe, expect, it } from 'vitest';
import { rangeOf } from '../../src/config/parameters.js';
import { MAX_CHECK_AFTER_SECONDS } from '../../src/core/copies/progress-estimate.js';
import {
  copyLimitRetry,
  RETRIED_ERRORS,
  type Retrier,
  retryBoundSeconds,
  type StateMachineDefinition,
  type TaskState,
  WAIT_ERRORS,
} from '../../src/state-machines/asl.js';
import {
  DESTINATION_STATES,
  destinationStateMachineDefinition,
} from '../../src/state-machines/destination.js';
import { restoreDrillStateMachineDefinition } from '../../src/state-machines/restore-drill.js';
import { SOURCE_STATES, sourceStateMachineDefinition } from '../../src/state-machines/source.js';
import { validateDefinition } from '../state-machine/asl-validator.js';

const arn = (name: string) => `arn:aws:lambda:eu-west-1:111122223333:function:${name}`;
const SOURCE_FNS = {
  take: arn('TakeSnapshotsAurora'),
  check: arn('CheckSnapshotStatus'),
  share: arn('ShareSnapshotsAurora'),
  deleteOld: arn('DeleteOldSnapshotsAurora'),
};
const DEST_FNS = {
  copy: arn('CopySnapshotsDestAurora'),
  check: arn('CheckSnapshotStatus'),
  deleteOld: arn('DeleteOldSnapshotsDestAurora'),
};

function tasks(definition: StateMachineDefinition): [string, TaskState][] {
  return Object.entries(definition.States).filter(
    (entry): entry is [string, TaskState] => entry[1].Type === 'Task',
  );
}

function nextStates(definition: StateMachineDefinition): string[] {
  const names: string[] = [];
  for (const state of Object.values(definition.States)) {
    if ('Next' in state && state.Next) names.push(state.Next);
    if (state.Type === 'Choice') names.push(state.Default, ...state.Choices.map((choice) => choice.Next));
    if (state.Type === 'Task') names.push(...(state.Catch ?? []).map((catcher) => catcher.Next));
  }
  return names;
}

function retrierFor(task: TaskState, error: string): Retrier | undefined {
  return task.Retry?.find((retrier) => retrier.ErrorEquals.includes(error));
}

/**
 * The two waits of a sparse check: the first as long as the step that started the copies said (its result at
 * `firstResult`), each next one as long as the last check said; both go to the check.
 */
function expectWaitsAsLongAsSaid(
  definition: StateMachineDefinition,
  states: { waitForCopies: string; waitAgainForCopies: string; checkCopies: string },
  firstResult: string,
): void {
  expect(definition.States[states.waitForCopies]).toEqual({
    Type: 'Wait',
    SecondsPath: `${firstResult}.checkAfterSeconds`,
    Next: states.checkCopies,
  });
  expect(definition.States[states.waitAgainForCopies]).toEqual({
    Type: 'Wait',
    SecondsPath: '$.copyCheck.checkAfterSeconds',
    Next: states.checkCopies,
  });
}

const DEFINITIONS: [string, StateMachineDefinition][] = [
  ['source', sourceStateMachineDefinition(SOURCE_FNS)],
  ['source with a 10 s copy-limit interval', sourceStateMachineDefinition(SOURCE_FNS, { pollSeconds: 10 })],
  ['destination', destinationStateMachineDefinition(DEST_FNS)],
  [
    'destination without a check function',
    destinationStateMachineDefinition({ ...DEST_FNS, check: undefined }),
  ],
  [
    'restore drill',
    restoreDrillStateMachineDefinition({
      start: arn('StartRestoreDrill'),
      check: arn('CheckRestoreDrill'),
      record: arn('RecordRestoreDrill'),
      cleanup: arn('CleanupRestoreDrill'),
    }),
  ],
];

describe.each(DEFINITIONS)('the %s definition', (_name, definition) => {
  it('is valid Amazon States Language', () => {
    // Act
    const result = validateDefinition(definition);

    // Assess
    expect(result.errors).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('reaches every state and names no missing one', () => {
    // Prepare
    const names = Object.keys(definition.States);

    // Act
    const targets = new Set([definition.StartAt, ...nextStates(definition)]);

    // Assess
    expect([...targets].filter((name) => !names.includes(name))).toEqual([]);
    expect(names.filter((name) => !targets.has(name))).toEqual([]);
  });

  it('retries throttling, transient and Lambda service errors with backoff and full jitter on every task', () => {
    for (const [name, task] of tasks(definition)) {
      for (const error of RETRIED_ERRORS) {
        const retrier = retrierFor(task, error);
        expect(retrier, `${name} retries ${error}`).toBeDefined();
        expect(retrier?.JitterStrategy).toBe('FULL');
        expect(retrier?.BackoffRate).toBeGreaterThan(1);
        expect(retrier?.MaxAttempts).toBeGreaterThan(1);
      }
    }
  });

  it('catches every other error into a Fail state that carries the error and its cause', () => {
    for (const [name, task] of tasks(definition)) {
      const catcher = task.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(catcher, `${name} catches States.ALL`).toBeDefined();
      expect(task.Retry?.some((r) => r.ErrorEquals.includes('States.ALL'))).toBe(false);
    }
    const fail = Object.values(definition.States).find((state) => state.Type === 'Fail');
    expect(fail).toMatchObject({ ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' });
  });

  it('passes the execution input to every function as its config', () => {
    for (const [, task] of tasks(definition)) {
      expect(task.Resource).toBe('arn:aws:states:::lambda:invoke');
      expect(task.Parameters?.Payload).toMatchObject({ 'config.$': '$$.Execution.Input' });
    }
  });
});

describe('the definition validator', () => {
  it('rejects a definition whose transition names a missing state', () => {
    // Prepare
    const definition = sourceStateMachineDefinition(SOURCE_FNS);
    const broken = {
      ...definition,
      States: { ...definition.States, [SOURCE_STATES.done]: { Type: 'Pass' as const, Next: 'Nowhere' } },
    };

    // Act
    const result = validateDefinition(broken);

    // Assess
    expect(result.isValid).toBe(false);
  });
});

describe('sourceStateMachineDefinition', () => {
  const S = SOURCE_STATES;

  it('takes on a schedule, shares at once, then deletes: no wait for the new snapshot', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    const states = definition.States;
    expect(definition.StartAt).toBe(S.trigger);
    expect(states[S.trigger]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.Trigger', IsPresent: true, Next: S.share }],
      Default: S.take,
    });
    expect(states[S.take]).toMatchObject({ Next: S.share });
    expect(states[S.share]).toMatchObject({ Next: S.copiesToFollow });
    expect(states[S.copiesToFollow]).toMatchObject({ Default: S.deleteOld });
    // Retention ends the execution itself: no Succeed state after it (AWS bills every state entered).
    expect(states[S.deleteOld]).toMatchObject({ End: true });
    expect(states[S.deleteOld]).not.toHaveProperty('Next');
    expect(Object.keys(states)).not.toContain('WaitForSnapshots');
    expect(Object.keys(states)).not.toContain('CheckSnapshotStatus');
  });

  it('waits for copies only when the share says some must be followed, and once: the second round has states of its own', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    expect(definition.States[S.copiesToFollow]).toMatchObject({
      Choices: [
        { Variable: '$.share.follow', BooleanEquals: true, Next: S.waitForCopies },
        { Variable: '$.Trigger', IsPresent: true, Next: S.done },
      ],
      Default: S.deleteOld,
    });
    // The same function as the first round, its result kept apart; neither leads back to CopiesToFollow.
    expect(definition.States[S.shareFollowed]).toMatchObject({
      Type: 'Task',
      Parameters: { FunctionName: SOURCE_FNS.share },
      ResultPath: '$.secondShare',
      Next: S.deleteOld,
    });
    expect(definition.States[S.eventShareFollowed]).toMatchObject({
      Type: 'Task',
      Parameters: { FunctionName: SOURCE_FNS.share },
      ResultPath: '$.secondShare',
      End: true,
    });
  });

  it('an event execution ends after the share, with or without copies left to the next run: no retention', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    expect(definition.States[S.afterShare]).toMatchObject({
      Choices: [{ Variable: '$.Trigger', IsPresent: true, Next: S.done }],
      Default: S.deleteOld,
    });
    expect(definition.States[S.copiesReady]).toMatchObject({
      Choices: [
        { Variable: '$.copyCheck.state', StringEquals: 'in-progress', Next: S.waitAgainForCopies },
        {
          And: [
            { Variable: '$.copyCheck.state', StringEquals: 'available' },
            { Variable: '$.Trigger', IsPresent: true },
          ],
          Next: S.eventShareFollowed,
        },
        { Variable: '$.copyCheck.state', StringEquals: 'available', Next: S.shareFollowed },
      ],
      Default: S.afterShare,
    });
  });

  it('waits as long as the handlers say (SecondsPath), and checks sparsely: SnapshotNotReady is retried nowhere', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    expectWaitsAsLongAsSaid(definition, S, '$.share');
    const check = definition.States[S.checkCopies] as TaskState;
    expect(check.Parameters?.Payload).toEqual({
      'config.$': '$$.Execution.Input',
      'refs.$': '$.share.followRefs',
      'startedAt.$': '$.share.startedAt',
      sparse: true,
    });
    expect(check).toMatchObject({
      ResultSelector: { 'checkAfterSeconds.$': '$.Payload.checkAfterSeconds' },
      ResultPath: '$.copyCheck',
      Next: S.copiesReady,
    });
    for (const [name, task] of tasks(definition)) {
      expect(retrierFor(task, WAIT_ERRORS.notReady), name).toBeUndefined();
    }
    expect((definition.States[S.share] as TaskState).ResultSelector).toMatchObject({
      'follow.$': '$.Payload.follow',
      'followRefs.$': '$.Payload.followRefs',
      'checkAfterSeconds.$': '$.Payload.checkAfterSeconds',
    });
  });

  it('retries CopyLimitReached on the share steps only (the first round and the second)', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    const withCopyLimit = tasks(definition)
      .filter(([, task]) => retrierFor(task, WAIT_ERRORS.copyLimit))
      .map(([name]) => name);
    expect(withCopyLimit).toEqual([S.share, S.shareFollowed, S.eventShareFollowed]);
    expect(retrierFor(definition.States[S.share] as TaskState, WAIT_ERRORS.copyLimit)).toMatchObject({
      IntervalSeconds: 60,
    });
  });

  it('sends a full quota at the take, and a failed share, through retention before the failure', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    const take = definition.States[S.take] as TaskState;
    expect(take.Catch?.[0]).toEqual({
      ErrorEquals: ['SnapshotQuotaExceeded'],
      ResultPath: '$.failure',
      Next: S.freeQuota,
    });
    expect((definition.States[S.share] as TaskState).Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: S.freeQuota },
    ]);
    expect(definition.States[S.freeQuota]).toMatchObject({ Next: S.describeFailure });
  });

  it('invokes the function ARNs it is given, CDK tokens included, verbatim', () => {
    // Prepare
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is how a CDK token looks before synthesis
    const token = '${Token[TOKEN.123]}';

    // Act
    const definition = sourceStateMachineDefinition({ ...SOURCE_FNS, take: token });

    // Assess
    const take = definition.States[S.take] as TaskState;
    expect(take.Parameters?.FunctionName).toBe(token);
    expect((definition.States[S.deleteOld] as TaskState).Parameters?.FunctionName).toBe(SOURCE_FNS.deleteOld);
  });

  it('names ClusterNamePattern in the failure cause', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    const describe = definition.States[S.describeFailure];
    const named = definition.States[S.failureWithCluster];
    expect(describe).toMatchObject({
      Choices: [{ Variable: '$.Source.ClusterNamePattern', IsPresent: true }],
    });
    expect(JSON.stringify(named)).toContain('$.Source.ClusterNamePattern');
  });

  it.each([0, -5, 1.5, 3601])('rejects a copy-limit interval of %s seconds', (pollSeconds) => {
    expect(() => sourceStateMachineDefinition(SOURCE_FNS, { pollSeconds })).toThrow(/pollSeconds/);
  });

  it('bounds the execution by the longest MaxWaitMinutes of checks, the last wait, both share rounds at the copy limit, plus an hour, unless told', () => {
    // Act
    const byDefault = sourceStateMachineDefinition(SOURCE_FNS);
    const told = sourceStateMachineDefinition(SOURCE_FNS, { timeoutSeconds: 7200 });

    // Assess
    const copyLimit = retryBoundSeconds(copyLimitRetry(60));
    expect(rangeOf('MaxWaitMinutes').max).toBe(10_080);
    expect(byDefault.TimeoutSeconds).toBe(10_080 * 60 + MAX_CHECK_AFTER_SECONDS + 2 * copyLimit + 3600);
    expect(told.TimeoutSeconds).toBe(7200);
    expect(destinationStateMachineDefinition(DEST_FNS).TimeoutSeconds).toBe(
      10_080 * 60 + MAX_CHECK_AFTER_SECONDS + copyLimit + 3600,
    );
  });

  it('rejects a bound of zero polls, and a timeout below a minute', () => {
    expect(() => sourceStateMachineDefinition(SOURCE_FNS, { maxPolls: 0 })).toThrow(/maxPolls/);
    expect(() => sourceStateMachineDefinition(SOURCE_FNS, { timeoutSeconds: 59 })).toThrow(/timeoutSeconds/);
  });
});

describe('retryBoundSeconds', () => {
  it('adds the intervals of every attempt with their backoff, each capped by MaxDelaySeconds', () => {
    // Act / Assess: 60, 90, 135 (capped at 100).
    expect(
      retryBoundSeconds({
        ErrorEquals: ['X'],
        IntervalSeconds: 60,
        MaxAttempts: 3,
        BackoffRate: 1.5,
        MaxDelaySeconds: 100,
      }),
    ).toBe(250);
    // Step Functions' defaults: 3 attempts, 1 s, backoff 2.
    expect(retryBoundSeconds({ ErrorEquals: ['X'] })).toBe(7);
  });
});

describe('destinationStateMachineDefinition', () => {
  it('copies only when the input names a SourceAccount or a SourceOrganizationId, then deletes', () => {
    // Act
    const definition = destinationStateMachineDefinition(DEST_FNS);

    // Assess
    const D = DESTINATION_STATES;
    expect(definition.StartAt).toBe(D.crossAccount);
    expect(definition.States[D.crossAccount]).toMatchObject({
      Choices: [
        { Variable: '$.Destination.SourceAccount', IsPresent: true, Next: D.copy },
        { Variable: '$.Destination.SourceOrganizationId', IsPresent: true, Next: D.copy },
      ],
      Default: D.deleteOld,
    });
    expect(definition.States[D.copy]).toMatchObject({ Next: D.copiesStarted });
    expect(definition.States[D.copiesStarted]).toMatchObject({
      Choices: [{ Variable: '$.copy.started', BooleanEquals: true, Next: D.waitForCopies }],
      Default: D.deleteOld,
    });
    expect(definition.States[D.checkCopies]).toMatchObject({ Next: D.copiesReady });
    expect(definition.States[D.copiesReady]).toMatchObject({
      Choices: [{ Variable: '$.copyCheck.state', StringEquals: 'in-progress', Next: D.waitAgainForCopies }],
      Default: D.deleteOld,
    });
  });

  it('checks its copies sparsely, waiting as long as the copy step and each check say', () => {
    // Act
    const definition = destinationStateMachineDefinition(DEST_FNS);

    // Assess
    const D = DESTINATION_STATES;
    expectWaitsAsLongAsSaid(definition, D, '$.copy');
    expect((definition.States[D.checkCopies] as TaskState).Parameters?.Payload).toMatchObject({
      'refs.$': '$.copy.refs',
      sparse: true,
    });
    expect((definition.States[D.copy] as TaskState).ResultSelector).toMatchObject({
      'checkAfterSeconds.$': '$.Payload.checkAfterSeconds',
    });
  });

  it('goes from the copy straight to retention when no check function is given', () => {
    // Act
    const definition = destinationStateMachineDefinition({ ...DEST_FNS, check: undefined });

    // Assess
    const D = DESTINATION_STATES;
    expect(definition.States[D.copy]).toMatchObject({ Next: D.deleteOld });
    expect(definition.States[D.checkCopies]).toBeUndefined();
    expect(definition.States[D.waitForCopies]).toBeUndefined();
    expect(definition.States[D.waitAgainForCopies]).toBeUndefined();
  });

  it('names SnapshotPattern in the failure cause', () => {
    // Act
    const definition = destinationStateMachineDefinition(DEST_FNS);

    // Assess
    expect(JSON.stringify(definition.States[DESTINATION_STATES.failureWithCluster])).toContain(
      '$.Destination.SnapshotPattern',
    );
  });
});
