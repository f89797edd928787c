// The errors contract between the state machines and their Lambda functions: every error Lambda raises (by the names Step Functions gives them) and every typed error a handler can throw, thrown at every Task state of the three machines executed by aws-local-stepfunctions, and what the execution then did.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DrillRestoreStore } from '../../src/core/drill/drill-engine.js';
import { TOOL_ERROR_NAMES, ToolError, type ToolErrorName } from '../../src/core/model/errors.js';
import type { SnapshotStore } from '../../src/core/model/ports.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import type { CreateInstanceRequest, RestoreClusterRequest } from '../../src/core/restore/index.js';
import { setRestoreStoreFactory } from '../../src/handlers/drill-runtime.js';
import { HANDLERS } from '../../src/handlers/index.js';
import { ALL_FUNCTIONS, type FunctionName } from '../../src/handlers/names.js';
import { setClock, setStoreFactory } from '../../src/handlers/runtime.js';
import type { StateMachineDefinition } from '../../src/state-machines/asl.js';
import {
  DESTINATION_STATES,
  DRILL_STATES,
  destinationStateMachineDefinition,
  restoreDrillStateMachineDefinition,
  SOURCE_STATES,
  sourceStateMachineDefinition,
} from '../../src/state-machines/index.js';
import { type ExecutionOutcome, execute, type LambdaHandler } from '../state-machine/execute.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryRestoreStore } from '../support/memory-restore-store.js';
import { MemoryEstate } from '../support/memory-store.js';

/** Raised by the Lambda service or Step Functions around the function, never by the handler's code. */
const LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'States.Timeout',
] as const;

/** What a handler bug throws: an error none of the tool's names. */
const UNTYPED_ERROR = 'TypeError';

const ERRORS: readonly string[] = [...LAMBDA_ERRORS, ...TOOL_ERROR_NAMES, UNTYPED_ERROR];

/** Passing faults: retried with backoff (six attempts) before the execution gives up on them. */
const TRANSIENT = new Set<string>([
  'ThrottlingError',
  'TransientAwsError',
  'ResourceBusy',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
]);
const TRANSIENT_ATTEMPTS = 6;

/** Out of time or memory, or a crashed runtime: retried once, as a larger-than-usual pass can be. */
const ONCE = new Set<string>(['Sandbox.Timedout', 'States.Timeout', 'Lambda.Unknown']);

/** Polls per wait of the restore drill in these executions (the deployed machine polls for hours). */
const MAX_POLLS = 3;
const COPY_LIMIT_ATTEMPTS = 10;

interface TaskContract {
  readonly state: string;
  readonly fn: FunctionName;
  /** Where the execution goes when this state gives up on an error. */
  readonly caughtTo: string;
  /** The state an error-free run goes to after this one; undefined when the execution ends with it. */
  readonly next: string | undefined;
  /** Errors this state waits on: how many retries, and whether giving up leaves the work to the next run. */
  readonly waits?: Readonly<Record<string, { readonly attempts: number; readonly leaveToNextRun: boolean }>>;
  /** Errors sent somewhere else than `caughtTo`. */
  readonly catches?: Readonly<Record<string, string>>;
  /** A fault at another state that leads the execution here; its error stays the execution's failure. */
  readonly lead?: { readonly state: string; readonly fn: FunctionName; readonly error: ToolErrorName };
  /** A state only another kind of execution reaches (an RDS event's): its input, and what it finds first. */
  readonly via?: { readonly input: Record<string, unknown>; prepare(): Promise<void> };
}

interface MachineContract {
  readonly title: string;
  readonly definition: StateMachineDefinition;
  readonly input: Record<string, unknown>;
  /** Prefix of the failed execution's cause: the parameter naming what failed. */
  readonly causePrefix: string;
  readonly tasks: readonly TaskContract[];
  /** A fresh estate for one execution. */
  prepare(): void;
}

const ACCOUNT = '111111111111';
const DEST_ACCOUNT = '222222222222';
const SRC = 'us-east-1';
const DST = 'us-west-2';
const arn = (name: FunctionName) => `arn:aws:lambda:${SRC}:${ACCOUNT}:function:${name}`;

let estate: MemoryEstate;
let restore: AvailableRestoreStore;
let armed: Error | undefined;

/** Every call of a store throws the armed error, as a failing AWS call does once translated. */
function failingWhenArmed<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (armed !== undefined) throw armed;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Restores and instances are available at once (RDS takes minutes; the polling is not what is tested here). */
class AvailableRestoreStore extends MemoryRestoreStore {
  override async restoreCluster(request: RestoreClusterRequest): Promise<void> {
    await super.restoreCluster(request);
    this.setStatus('cluster', request.DBClusterIdentifier, 'available');
  }
  override async createInstance(request: CreateInstanceRequest): Promise<void> {
    await super.createInstance(request);
    this.setStatus('instance', request.DBInstanceIdentifier, 'available');
  }
}

function errorNamed(name: string): Error {
  if (name === UNTYPED_ERROR) return new TypeError("Cannot read properties of undefined (reading 'id')");
  if ((LAMBDA_ERRORS as readonly string[]).includes(name)) {
    return Object.assign(new Error(`${name} raised around the function`), { name });
  }
  return new ToolError(name as ToolErrorName, `${name} from the store`);
}

/**
 * The function behind a state, failing its first `times` invocations with `name`: an error of the Lambda
 * service is raised around the handler (it never runs); any other is thrown by the real handler, whose
 * stores fail with it (and by the function itself should the handler not reach a store).
 */
function failing(fn: FunctionName, name: string, times: number): LambdaHandler {
  const real = HANDLERS[fn] as LambdaHandler;
  let left = times;
  return async (event) => {
    if (left <= 0) return real(event);
    left -= 1;
    const error = errorNamed(name);
    if ((LAMBDA_ERRORS as readonly string[]).includes(name)) throw error;
    armed = error;
    try {
      await real(event);
    } finally {
      armed = undefined;
    }
    throw error;
  };
}

function functionsOf(names: readonly FunctionName[]): Record<string, LambdaHandler> {
  return Object.fromEntries(names.map((name) => [arn(name), HANDLERS[name] as LambdaHandler]));
}

const SOURCE_DEFINITION = sourceStateMachineDefinition({
  take: arn('TakeSnapshotsAurora'),
  check: arn('CheckSnapshotStatus'),
  share: arn('ShareSnapshotsAurora'),
  deleteOld: arn('DeleteOldSnapshotsAurora'),
});
const DESTINATION_DEFINITION = destinationStateMachineDefinition({
  copy: arn('CopySnapshotsDestAurora'),
  check: arn('CheckSnapshotStatus'),
  deleteOld: arn('DeleteOldSnapshotsDestAurora'),
});
const DRILL_DEFINITION = restoreDrillStateMachineDefinition(
  {
    start: arn('StartRestoreDrill'),
    check: arn('CheckRestoreDrill'),
    record: arn('RecordRestoreDrill'),
    cleanup: arn('CleanupRestoreDrill'),
  },
  { maxPolls: MAX_POLLS },
);

const S = SOURCE_STATES;
const D = DESTINATION_STATES;
const R = DRILL_STATES;
const copyLimit = { CopyLimitReached: { attempts: COPY_LIMIT_ATTEMPTS, leaveToNextRun: false } };

/** A scheduled run's input of the source machine: a DR copy shared with another account, so every task runs. */
const SOURCE_INPUT = {
  Source: {
    Region: SRC,
    ClusterNamePattern: '^orders',
    ShareSnapshots: 'TRUE',
    DestinationRegion: DST,
    // A DR copy shared with another account: the execution waits for it, then shares it (every task runs).
    DestinationAccount: DEST_ACCOUNT,
    LogLevel: 'ERROR',
  },
};

/** The Trigger the snapshot-event rule adds to the input (src/infra/snapshot-events.ts). */
const TRIGGER = {
  Kind: 'RdsEvent',
  EventId: '6f1c2a4e-0000-4000-8000-000000000001',
  RdsEventId: 'RDS-EVENT-0075',
  SnapshotArn: `arn:aws:rds:${SRC}:${ACCOUNT}:cluster-snapshot:orders-db-2026-07-05-03-00`,
  Time: '2026-07-05T03:05:00Z',
};

const MACHINES: readonly MachineContract[] = [
  {
    title: 'source',
    definition: SOURCE_DEFINITION,
    input: SOURCE_INPUT,
    causePrefix: 'ClusterNamePattern ^orders: ',
    prepare() {
      estate.addCluster({ region: SRC, id: 'orders-db' });
      setStoreFactory((region) => failingWhenArmed<SnapshotStore>(estate.store(region)));
    },
    tasks: [
      {
        state: S.take,
        fn: 'TakeSnapshotsAurora',
        next: S.share,
        caughtTo: S.describeFailure,
        // Retention frees the quota before the execution fails.
        catches: { SnapshotQuotaExceeded: S.freeQuota },
      },
      {
        state: S.share,
        fn: 'ShareSnapshotsAurora',
        next: S.copiesToFollow,
        caughtTo: S.freeQuota,
        waits: copyLimit,
      },
      // A sparse check: SnapshotNotReady is no answer of it (it says in-progress), so it is a failure like any.
      { state: S.checkCopies, fn: 'CheckSnapshotStatus', next: S.copiesReady, caughtTo: S.describeFailure },
      { state: S.deleteOld, fn: 'DeleteOldSnapshotsAurora', next: undefined, caughtTo: S.describeFailure },
      {
        state: S.shareFollowed,
        fn: 'ShareSnapshotsAurora',
        next: S.deleteOld,
        caughtTo: S.freeQuota,
        waits: copyLimit,
      },
      {
        state: S.eventShareFollowed,
        fn: 'ShareSnapshotsAurora',
        next: undefined,
        caughtTo: S.freeQuota,
        waits: copyLimit,
        via: {
          input: { ...SOURCE_INPUT, Trigger: TRIGGER },
          // The backup the event announces, taken by the take function as a scheduled run would.
          prepare: async () => {
            await HANDLERS.TakeSnapshotsAurora({ config: SOURCE_INPUT });
          },
        },
      },
      {
        state: S.freeQuota,
        fn: 'DeleteOldSnapshotsAurora',
        next: S.describeFailure,
        caughtTo: S.describeFailure,
        lead: { state: S.take, fn: 'TakeSnapshotsAurora', error: 'SnapshotQuotaExceeded' },
      },
    ],
  },
  {
    title: 'destination',
    definition: DESTINATION_DEFINITION,
    input: {
      Destination: {
        Region: DST,
        SnapshotPattern: '^orders',
        SourceAccount: ACCOUNT,
        SourceRegion: SRC,
        LogLevel: 'ERROR',
      },
    },
    causePrefix: 'SnapshotPattern ^orders: ',
    prepare() {
      estate.putSnapshot({
        region: DST,
        id: 'orders-db-2026-07-05-00-00',
        clusterId: 'orders-db',
        accountId: ACCOUNT,
        status: 'available',
        sharedWith: [DEST_ACCOUNT],
      });
      setStoreFactory((region) => failingWhenArmed<SnapshotStore>(estate.store(region, DEST_ACCOUNT)));
    },
    tasks: [
      {
        state: D.copy,
        fn: 'CopySnapshotsDestAurora',
        next: D.copiesStarted,
        caughtTo: D.describeFailure,
        waits: copyLimit,
      },
      { state: D.checkCopies, fn: 'CheckSnapshotStatus', next: D.copiesReady, caughtTo: D.describeFailure },
      {
        state: D.deleteOld,
        fn: 'DeleteOldSnapshotsDestAurora',
        next: undefined,
        caughtTo: D.describeFailure,
      },
    ],
  },
  {
    title: 'restore drill',
    definition: DRILL_DEFINITION,
    input: { RestoreDrill: { Region: DST, SnapshotPattern: '^orders$', LogLevel: 'ERROR' } },
    causePrefix: 'SnapshotPattern ^orders$: ',
    prepare() {
      estate.addCluster({ region: DST, id: 'orders' });
      estate.putSnapshot({
        region: DST,
        id: 'orders-2026-07-05-00-00',
        clusterId: 'orders',
        status: 'available',
        createTime: new Date('2026-07-05T00:00:00Z'),
        tags: {
          [TAG.CopiedBy]: TOOL_TAG_VALUE,
          [TAG.SourceCluster]: 'orders',
          [TAG.PointInTime]: '2026-07-05T00:00:00Z',
          [TAG.Purpose]: 'dr-copy',
        },
      });
      restore = new AvailableRestoreStore(DST);
      setStoreFactory((region) => failingWhenArmed<SnapshotStore>(estate.store(region)));
      setRestoreStoreFactory(() => failingWhenArmed<DrillRestoreStore>(restore));
    },
    tasks: [
      { state: R.start, fn: 'StartRestoreDrill', next: R.waitForRestore, caughtTo: R.recordFailure },
      {
        state: R.check,
        fn: 'CheckRestoreDrill',
        next: R.recordSuccess,
        caughtTo: R.recordFailure,
        waits: { RestoreNotReady: { attempts: MAX_POLLS, leaveToNextRun: false } },
      },
      // Recording is best effort: what was created is deleted whether it worked or not.
      { state: R.recordSuccess, fn: 'RecordRestoreDrill', next: R.cleanup, caughtTo: R.cleanup },
      {
        state: R.recordFailure,
        fn: 'RecordRestoreDrill',
        next: R.cleanup,
        caughtTo: R.cleanup,
        lead: { state: R.start, fn: 'StartRestoreDrill', error: 'RestoreFailed' },
      },
      { state: R.cleanup, fn: 'CleanupRestoreDrill', next: R.cleanupDone, caughtTo: R.describeFailure },
    ],
  },
];

interface Expectation {
  /** Retries of the failing state before it gives up. */
  readonly retries: number;
  /** The state entered after it gave up (undefined: the execution ended with it). */
  readonly goesTo: string | undefined;
  /** How the execution ends, and with which error when it fails. */
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string;
}

function expectation(task: TaskContract, name: string): Expectation {
  const wait = task.waits?.[name];
  const retries = TRANSIENT.has(name) ? TRANSIENT_ATTEMPTS : ONCE.has(name) ? 1 : (wait?.attempts ?? 0);
  if (wait?.leaveToNextRun) return { retries, goesTo: task.next, status: 'SUCCEEDED' };
  return {
    retries,
    goesTo: task.catches?.[name] ?? task.caughtTo,
    status: 'FAILED',
    error: task.lead?.error ?? name,
  };
}

/** The state entered right after the last time `state` was entered. */
function enteredAfter(outcome: ExecutionOutcome, state: string): string | undefined {
  const path = outcome.path();
  return path[path.lastIndexOf(state) + 1];
}

let output: CapturedOutput;

/** A new estate (and clock) for one execution. */
function freshEstate(): void {
  const clock = new ManualClock('2026-07-05T03:00:00Z');
  estate = new MemoryEstate({ clock, instant: true });
  setClock(clock);
}

beforeEach(() => {
  freshEstate();
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  armed = undefined;
  setClock(undefined);
  setStoreFactory(undefined);
  setRestoreStoreFactory(undefined);
});

async function run(machine: MachineContract, task: TaskContract, name: string, times: number) {
  machine.prepare();
  await task.via?.prepare();
  const stateFunctions: Record<string, LambdaHandler> = { [task.state]: failing(task.fn, name, times) };
  if (task.lead)
    stateFunctions[task.lead.state] = failing(task.lead.fn, task.lead.error, Number.POSITIVE_INFINITY);
  return execute(machine.definition, task.via?.input ?? machine.input, functionsOf(ALL_FUNCTIONS), {
    stateFunctions,
  });
}

function describeExpectation(e: Expectation): string {
  const retried = e.retries === 0 ? 'not retried' : `retried ${e.retries} time${e.retries > 1 ? 's' : ''}`;
  const end = e.status === 'SUCCEEDED' ? 'the execution succeeds' : `the execution fails with ${e.error}`;
  return `${retried}, then ${e.goesTo ?? 'the end'}; ${end}`;
}

for (const machine of MACHINES) {
  describe(`the ${machine.title} state machine`, () => {
    it('reaches every Task state in an execution without faults (of each kind), and succeeds', async () => {
      // Act
      const entered = new Set<string>();
      for (const via of [undefined, ...machine.tasks.flatMap((t) => (t.via ? [t.via] : []))]) {
        freshEstate();
        machine.prepare();
        await via?.prepare();
        const outcome = await execute(
          machine.definition,
          via?.input ?? machine.input,
          functionsOf(ALL_FUNCTIONS),
        );
        expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
        for (const state of outcome.path()) entered.add(state);
      }

      // Assess
      const leadOnly = new Set(machine.tasks.filter((t) => t.lead).map((t) => t.state));
      for (const task of machine.tasks) if (!leadOnly.has(task.state)) expect(entered).toContain(task.state);
      const tasks = Object.entries(machine.definition.States).filter(([, s]) => s.Type === 'Task');
      expect(machine.tasks.map((t) => t.state).sort()).toEqual(tasks.map(([name]) => name).sort());
    });

    for (const task of machine.tasks) {
      describe(`an error at ${task.state}`, () => {
        for (const name of ERRORS) {
          const expected = expectation(task, name);
          it(`${name}: ${describeExpectation(expected)}`, async () => {
            // Act
            const outcome = await run(machine, task, name, Number.POSITIVE_INFINITY);

            // Assess
            expect(outcome.retries(task.state)).toEqual(Array(expected.retries).fill(name));
            expect(enteredAfter(outcome, task.state)).toBe(expected.goesTo);
            expect(outcome.status, outcome.cause).toBe(expected.status);
            if (expected.status === 'FAILED') {
              expect(outcome.error).toBe(expected.error);
              expect(outcome.cause).toContain(`${machine.causePrefix}${expected.error}: `);
            }
          });

          if (expected.retries > 0) {
            it(`${name}: the state goes on once an attempt within the ${expected.retries} succeeds`, async () => {
              // Act
              const outcome = await run(machine, task, name, expected.retries);

              // Assess
              expect(outcome.retries(task.state)).toEqual(Array(expected.retries).fill(name));
              expect(outcome.results(task.state).length).toBeGreaterThan(0);
              expect(enteredAfter(outcome, task.state)).toBe(task.next);
              if (task.lead) expect(outcome.error).toBe(task.lead.error);
              else expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
            });
          }
        }
      });
    }
  });
}

describe("the task's own timeout (States.Timeout raised by Step Functions)", () => {
  it.each(MACHINES.map((machine) => [machine.title, machine, machine.tasks[0] as TaskContract] as const))(
    '%s: the first task is retried once, then the execution fails with States.Timeout',
    async (_, machine, task) => {
      // Prepare: the task's limit shortened to one second; the function outlasts it.
      machine.prepare();
      const definition = structuredClone(machine.definition);
      const state = definition.States[task.state];
      if (state?.Type !== 'Task') throw new Error(`${task.state} is not a Task`);
      state.TimeoutSeconds = 1;
      const slow: LambdaHandler = () => new Promise((resolve) => setTimeout(() => resolve({}), 1_500));

      // Act
      const outcome = await execute(definition, machine.input, functionsOf(ALL_FUNCTIONS), {
        stateFunctions: { [task.state]: slow },
      });

      // Assess
      expect(outcome.retries(task.state)).toEqual(['States.Timeout']);
      expect(enteredAfter(outcome, task.state)).toBe(task.caughtTo);
      expect(outcome.status).toBe('FAILED');
      expect(outcome.error).toBe('States.Timeout');
    },
  );
});
