// The source and destination definitions: valid ASL, retries and failure handling on every task, polling as configured.
import { describe, expect, it } from 'vitest';
import {
  RETRIED_ERRORS,
  type Retrier,
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

const DEFINITIONS: [string, StateMachineDefinition][] = [
  ['source', sourceStateMachineDefinition(SOURCE_FNS)],
  ['source with a 10 s poll', sourceStateMachineDefinition(SOURCE_FNS, { pollSeconds: 10, maxPolls: 30 })],
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
  it('takes, waits for the snapshot, shares, waits for the copies, then deletes, in that order', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    const S = SOURCE_STATES;
    const states = definition.States;
    expect(definition.StartAt).toBe(S.take);
    expect(states[S.take]).toMatchObject({ Next: S.snapshotsStarted });
    expect(states[S.snapshotsStarted]).toMatchObject({
      Choices: [{ Variable: '$.take.started', BooleanEquals: true, Next: S.waitForSnapshots }],
      Default: S.share,
    });
    expect(states[S.waitForSnapshots]).toMatchObject({ Next: S.checkSnapshots });
    expect(states[S.checkSnapshots]).toMatchObject({ Next: S.share });
    expect(states[S.share]).toMatchObject({ Next: S.copiesStarted });
    expect(states[S.copiesStarted]).toMatchObject({ Default: S.deleteOld });
    expect(states[S.checkCopies]).toMatchObject({ Next: S.shareRoundDone });
    expect(states[S.deleteOld]).toMatchObject({ Next: S.done });
  });

  it('polls every 60 seconds by default, retrying SnapshotNotReady at a steady interval, bounded', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    const S = SOURCE_STATES;
    expect(definition.States[S.waitForSnapshots]).toMatchObject({ Type: 'Wait', Seconds: 60 });
    expect(definition.States[S.waitForCopies]).toMatchObject({ Type: 'Wait', Seconds: 60 });
    for (const name of [S.checkSnapshots, S.checkCopies]) {
      const retrier = retrierFor(definition.States[name] as TaskState, WAIT_ERRORS.notReady);
      expect(retrier).toMatchObject({ IntervalSeconds: 60, BackoffRate: 1, MaxAttempts: 720 });
    }
  });

  it('uses the poll interval and bound it is given', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS, { pollSeconds: 15, maxPolls: 40 });

    // Assess
    const check = definition.States[SOURCE_STATES.checkSnapshots] as TaskState;
    expect(definition.States[SOURCE_STATES.waitForSnapshots]).toMatchObject({ Seconds: 15 });
    expect(retrierFor(check, WAIT_ERRORS.notReady)).toMatchObject({ IntervalSeconds: 15, MaxAttempts: 40 });
  });

  it('keeps a short poll inside the execution history limit', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS, { pollSeconds: 1 });

    // Assess
    const check = definition.States[SOURCE_STATES.checkSnapshots] as TaskState;
    expect(retrierFor(check, WAIT_ERRORS.notReady)?.MaxAttempts).toBe(2000);
  });

  it('retries CopyLimitReached on the share step only', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    const withCopyLimit = tasks(definition)
      .filter(([, task]) => retrierFor(task, WAIT_ERRORS.copyLimit))
      .map(([name]) => name);
    expect(withCopyLimit).toEqual([SOURCE_STATES.share]);
  });

  it('invokes the function ARNs it is given, CDK tokens included, verbatim', () => {
    // Prepare
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is how a CDK token looks before synthesis
    const token = '${Token[TOKEN.123]}';

    // Act
    const definition = sourceStateMachineDefinition({ ...SOURCE_FNS, take: token });

    // Assess
    const take = definition.States[SOURCE_STATES.take] as TaskState;
    expect(take.Parameters?.FunctionName).toBe(token);
    expect((definition.States[SOURCE_STATES.deleteOld] as TaskState).Parameters?.FunctionName).toBe(
      SOURCE_FNS.deleteOld,
    );
  });

  it('names ClusterNamePattern in the failure cause', () => {
    // Act
    const definition = sourceStateMachineDefinition(SOURCE_FNS);

    // Assess
    const describe = definition.States[SOURCE_STATES.describeFailure];
    const named = definition.States[SOURCE_STATES.failureWithCluster];
    expect(describe).toMatchObject({
      Choices: [{ Variable: '$.Source.ClusterNamePattern', IsPresent: true }],
    });
    expect(JSON.stringify(named)).toContain('$.Source.ClusterNamePattern');
  });

  it.each([0, -5, 1.5, 3601])('rejects a poll interval of %s seconds', (pollSeconds) => {
    expect(() => sourceStateMachineDefinition(SOURCE_FNS, { pollSeconds })).toThrow(/pollSeconds/);
  });

  it('bounds the execution by its three waits at their full poll bound, plus an hour, unless told', () => {
    // Act
    const byDefault = sourceStateMachineDefinition(SOURCE_FNS, { pollSeconds: 30, maxPolls: 100 });
    const told = sourceStateMachineDefinition(SOURCE_FNS, { timeoutSeconds: 7200 });

    // Assess
    expect(byDefault.TimeoutSeconds).toBe(3 * 100 * 30 + 3600);
    expect(told.TimeoutSeconds).toBe(7200);
    expect(
      destinationStateMachineDefinition(DEST_FNS, { pollSeconds: 30, maxPolls: 100 }).TimeoutSeconds,
    ).toBe(100 * 30 + 3600);
  });

  it('rejects a bound of zero polls', () => {
    expect(() => sourceStateMachineDefinition(SOURCE_FNS, { maxPolls: 0 })).toThrow(/maxPolls/);
  });
});

describe('destinationStateMachineDefinition', () => {
  it('copies only when the input names a SourceAccount, then deletes', () => {
    // Act
    const definition = destinationStateMachineDefinition(DEST_FNS);

    // Assess
    const D = DESTINATION_STATES;
    expect(definition.StartAt).toBe(D.crossAccount);
    expect(definition.States[D.crossAccount]).toMatchObject({
      Choices: [{ Variable: '$.Destination.SourceAccount', IsPresent: true, Next: D.copy }],
      Default: D.deleteOld,
    });
    expect(definition.States[D.copy]).toMatchObject({ Next: D.copiesStarted });
    expect(definition.States[D.checkCopies]).toMatchObject({ Next: D.deleteOld });
  });

  it('goes from the copy straight to retention when no check function is given', () => {
    // Act
    const definition = destinationStateMachineDefinition({ ...DEST_FNS, check: undefined });

    // Assess
    const D = DESTINATION_STATES;
    expect(definition.States[D.copy]).toMatchObject({ Next: D.deleteOld });
    expect(definition.States[D.checkCopies]).toBeUndefined();
    expect(definition.States[D.waitForCopies]).toBeUndefined();
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
