// Runs the real state machine definitions (aws-local-stepfunctions) with the real handlers, their stores being the rig's (real adapter, through the proxies to moto).

import type { Clock } from '../../../src/core/model/ports.js';
import { HANDLERS } from '../../../src/handlers/index.js';
import { DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../../src/handlers/names.js';
import { setClock, setStoreFactory } from '../../../src/handlers/runtime.js';
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

/**
 * One execution of the source state machine with `input` as its execution input, the handlers acting
 * through the rig at the clock's time. Their logs and metrics (EMF) are captured (and returned) rather than printed.
 */
export async function executeSource(
  rig: Rig,
  input: unknown,
  clock: Clock,
): Promise<
  ExecutionOutcome & { readonly logs: Record<string, unknown>[]; readonly emf: Record<string, unknown>[] }
> {
  setStoreFactory((region) => rig.storeFor(region));
  setClock(clock);
  let output: CapturedOutput | undefined;
  try {
    output = captureStdout();
    const outcome = await execute(SOURCE_DEFINITION, input, FUNCTIONS);
    return { ...outcome, logs: output.logs(), emf: output.emf() };
  } finally {
    output?.restore();
    setClock(undefined);
    setStoreFactory(undefined);
  }
}
