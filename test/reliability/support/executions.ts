// Runs the real state machine definitions (aws-local-stepfunctions) with the real handlers, their stores being the rig's (real adapter, through the proxies to moto): one execution, or several at once.

import type { Clock } from '../../../src/core/model/ports.js';
import type { StoreForRegion } from '../../../src/core/plan/pass.js';
import { HANDLERS } from '../../../src/handlers/index.js';
import { DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../../src/handlers/names.js';
import { setClock, setStoreFactory } from '../../../src/handlers/runtime.js';
import type { StateMachineDefinition } from '../../../src/state-machines/asl.js';
import { sourceStateMachineDefinition } from '../../../src/state-machines/source.js';
import { type ExecutionOutcome, execute, type LambdaHandler } from '../../state-machine/execute.js';
import { type CapturedOutput, captureStdout } from '../../state-machine/harness.js';
import type { Rig } from './rig.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const arn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export const SOURCE_DEFINITION = sourceStateMachineDefinition({
  take: arn('TakeSnapshotsAurora'),
  check: arn('CheckSnapshotStatus'),
  share: arn('ShareSnapshotsAurora'),
  deleteOld: arn('DeleteOldSnapshotsAurora'),
});

const FUNCTIONS: Record<string, LambdaHandler> = Object.fromEntries(
  [...SOURCE_FUNCTIONS, ...DESTINATION_FUNCTIONS].map((name) => [arn(name), HANDLERS[name]]),
);

export type SourceOutcome = ExecutionOutcome & {
  readonly logs: Record<string, unknown>[];
  readonly emf: Record<string, unknown>[];
};

export interface ExecutionOptions {
  /** The stores the handlers use. @default the rig's */
  readonly storeFor?: StoreForRegion;
  /** @default SOURCE_DEFINITION */
  readonly definition?: StateMachineDefinition;
}

/**
 * One execution of the source state machine with `input` as its execution input, the handlers acting
 * through the rig at the clock's time. Their logs and metrics (EMF) are captured (and returned) rather than printed.
 */
export async function executeSource(
  rig: Rig,
  input: unknown,
  clock: Clock,
  options: ExecutionOptions = {},
): Promise<SourceOutcome> {
  const [outcome] = await executeSources(rig, [input], clock, options);
  if (outcome === undefined) throw new Error('no execution');
  return outcome;
}

/**
 * Executions started at the same moment, one per input, running side by side (the handlers of one interleave
 * with the other's) on the same clock. The logs and metrics are those of all of them.
 */
export async function executeSources(
  rig: Rig,
  inputs: readonly unknown[],
  clock: Clock,
  options: ExecutionOptions = {},
): Promise<SourceOutcome[]> {
  setStoreFactory(options.storeFor ?? ((region) => rig.storeFor(region)));
  setClock(clock);
  let output: CapturedOutput | undefined;
  try {
    output = captureStdout();
    const outcomes = await Promise.all(
      inputs.map((input) => execute(options.definition ?? SOURCE_DEFINITION, input, FUNCTIONS)),
    );
    const logs = output.logs();
    const emf = output.emf();
    return outcomes.map((outcome) => ({ ...outcome, logs, emf }));
  } finally {
    output?.restore();
    setClock(undefined);
    setStoreFactory(undefined);
  }
}
