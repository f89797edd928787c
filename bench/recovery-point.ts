/**
 * Comparison 2, recovery point: the delay from a source snapshot becoming available to its copy to the
 * destination being started. The tool's own figures, event-driven, come from comparison 6
 * (bench/orchestration-cost.ts: the source state machine started by RDS-EVENT-0075, or with every event
 * lost by the next scheduled run). This module measures the two designs it is compared with:
 * - polling, the source definition before event-driven progress (bench/baseline/polling-source.asl.json,
 *   frozen: it waits for its new snapshot with a 60-second poll), run with aws-local-stepfunctions and the
 *   real handlers on a virtual clock, the snapshot kept `creating` for k polls;
 * - the original tool: its separate schedules (share every 10 minutes, destination copy every 30),
 *   simulated over many random completion times.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/schema.js';
import { HANDLERS } from '../src/demo/functions.js';
import { setClock, setStoreFactory } from '../src/handlers/runtime.js';
import type { StateMachineDefinition } from '../src/state-machines/index.js';
import { ManualClock } from '../test/support/manual-clock.js';
import { MemoryEstate } from '../test/support/memory-store.js';
import { mean, seededRandom } from './stats.js';
import { runOnVirtualClock } from './virtual-time.js';

const SOURCE_REGION = 'us-east-1';
const DESTINATION_REGION = 'us-west-2';
const CLUSTER = 'orders';

/** The original tool's schedules, in minutes. */
export const ORIGINAL_SHARE_EVERY_MINUTES = 10;
export const ORIGINAL_COPY_EVERY_MINUTES = 30;

export interface RecoveryOptions {
  /** Polls the snapshot stays `creating` in the worst-case runs. @default [0, 1, 3, 10] */
  readonly worstCasePolls?: readonly number[];
  /** Runs with a completion time drawn at random within the first 10 minutes. @default 20 */
  readonly randomRuns?: number;
  /** Random completion times drawn for the original's schedules. @default 100000 */
  readonly originalSamples?: number;
  readonly seed?: number;
}

export interface RecoveryRun {
  readonly kind: 'worst-case' | 'random';
  /** Checks that saw the snapshot still `creating`. */
  readonly pollsCreating: number;
  /** Virtual seconds from the take to the snapshot becoming available. */
  readonly availableAfterSeconds: number;
  /** Virtual seconds from available to the copy being started (the measured delay). */
  readonly delaySeconds: number;
  readonly status: 'SUCCEEDED' | 'FAILED';
}

export interface RecoveryResult {
  /** The polling source definition (bench/baseline/polling-source.asl.json). */
  readonly polling: {
    readonly definition: string;
    /** Seconds between status polls in the source definition (its Wait and its SnapshotNotReady retrier). */
    readonly pollSeconds: number;
    readonly runs: readonly RecoveryRun[];
    readonly worstSeconds: number;
    readonly meanSeconds: number;
  };
  readonly original: {
    readonly shareEveryMinutes: number;
    readonly copyEveryMinutes: number;
    readonly samples: number;
    readonly worstSeconds: number;
    readonly meanSeconds: number;
    /** The schedules' bound: a full share period plus a full copy period. */
    readonly boundSeconds: number;
  };
  /** The worst case the tool must keep to, events delivered (comparison 6 measures it). */
  readonly targetSeconds: number;
}

export const RECOVERY_TARGET_SECONDS = 120;

export const POLLING_DEFINITION = 'bench/baseline/polling-source.asl.json';

/** The polling definition's states this comparison steps through. */
const POLLING_STATES = {
  waitForSnapshots: 'WaitForSnapshots',
  checkSnapshots: 'CheckSnapshotStatus',
  checkCopies: 'CheckCopyStatus',
} as const;

function pollingDefinition(): StateMachineDefinition {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  return JSON.parse(readFileSync(join(root, POLLING_DEFINITION), 'utf8')) as StateMachineDefinition;
}

/** The poll interval of a definition: its snapshot Wait state, which the retrier must match. */
function pollSecondsOf(definition: StateMachineDefinition): number {
  const wait = definition.States[POLLING_STATES.waitForSnapshots];
  if (wait?.Type !== 'Wait' || !('Seconds' in wait) || typeof wait.Seconds !== 'number') {
    throw new Error(`${POLLING_DEFINITION} has no WaitForSnapshots state with fixed Seconds`);
  }
  return wait.Seconds;
}

/** One execution of the polling source state machine in which the new snapshot becomes available `afterSeconds` after the take. */
async function runPolling(
  afterSeconds: number,
): Promise<{ delaySeconds: number; polls: number; status: 'SUCCEEDED' | 'FAILED' }> {
  const clock = new ManualClock('2025-01-01T00:00:00Z');
  const estate = new MemoryEstate({ clock });
  estate.addCluster({ region: SOURCE_REGION, id: CLUSTER });
  const copiesStarted: Date[] = [];
  // Observes the copy calls (never faults them): the copy is started at the virtual time of the call.
  estate.addFault((call) => {
    if (call.method === 'copySnapshot') copiesStarted.push(clock.now());
    return undefined;
  });
  setClock(clock);
  setStoreFactory((region) => estate.store(region));
  const definition = pollingDefinition();
  let takenAt: number | undefined;
  let polls = 0;
  const input = parseConfigInput();
  try {
    const run = await runOnVirtualClock({
      definition,
      input,
      clock,
      functions: HANDLERS,
      beforeTask: (state, fn) => {
        const now = clock.now().getTime();
        if (fn === 'TakeSnapshotsAurora') takenAt ??= now;
        if (state === POLLING_STATES.checkSnapshots && takenAt !== undefined) {
          if (now >= takenAt + afterSeconds * 1000) estate.settle({ region: SOURCE_REGION });
          else polls += 1;
        }
        // How long the copy itself takes is not what is measured: copies finish at their first check.
        if (state === POLLING_STATES.checkCopies) estate.settle({ region: DESTINATION_REGION });
      },
    });
    const copyAt = copiesStarted[0];
    if (run.status !== 'SUCCEEDED' || takenAt === undefined || copyAt === undefined) {
      throw new Error(
        `recovery run (available after ${afterSeconds}s) did not copy: ${run.status} ${run.error ?? ''} ${run.cause ?? ''}`,
      );
    }
    const availableAt = takenAt + afterSeconds * 1000;
    return { delaySeconds: (copyAt.getTime() - availableAt) / 1000, polls, status: run.status };
  } finally {
    setClock(undefined);
    setStoreFactory(undefined);
  }
}

/** The execution input: the configuration block, as the schedule passes it. */
function parseConfigInput(): unknown {
  const input = {
    Source: {
      Region: SOURCE_REGION,
      ClusterNamePattern: `^${CLUSTER}$`,
      BackupInterval: 24,
      RetentionDays: 7,
      ShareSnapshots: 'TRUE',
      DestinationRegion: DESTINATION_REGION,
    },
  };
  parseConfig(input);
  return input;
}

/**
 * The original's delay for a snapshot available at `at` (minutes): the next share run, then the next
 * destination copy run after it. EventBridge rate schedules start when the rule is created, so each
 * schedule has its own phase.
 */
export function originalDelayMinutes(at: number, sharePhase: number, copyPhase: number): number {
  const nextTick = (t: number, every: number, phase: number) =>
    phase + Math.ceil((t - phase) / every) * every;
  const shared = nextTick(at, ORIGINAL_SHARE_EVERY_MINUTES, sharePhase);
  const copied = nextTick(shared, ORIGINAL_COPY_EVERY_MINUTES, copyPhase);
  return copied - at;
}

export async function runRecoveryPoint(options: RecoveryOptions = {}): Promise<RecoveryResult> {
  // The handlers publish EMF metrics on stdout; the benchmark's output is its table.
  const metricsSwitch = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return await measureRecoveryPoint(options);
  } finally {
    if (metricsSwitch === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = metricsSwitch;
  }
}

async function measureRecoveryPoint(options: RecoveryOptions): Promise<RecoveryResult> {
  const random = seededRandom(options.seed ?? 8);
  const poll = pollSecondsOf(pollingDefinition());
  const runs: RecoveryRun[] = [];
  // Worst case: available one second after the k-th check saw it `creating`.
  for (const k of options.worstCasePolls ?? [0, 1, 3, 10]) {
    const after = k * poll + 1;
    const { polls, delaySeconds, status } = await runPolling(after);
    runs.push({
      kind: 'worst-case',
      pollsCreating: polls,
      availableAfterSeconds: after,
      delaySeconds,
      status,
    });
  }
  for (let i = 0; i < (options.randomRuns ?? 20); i++) {
    const after = Math.max(1, Math.round(random() * 600));
    const { polls, delaySeconds, status } = await runPolling(after);
    runs.push({ kind: 'random', pollsCreating: polls, availableAfterSeconds: after, delaySeconds, status });
  }
  const randomDelays = runs.filter((r) => r.kind === 'random').map((r) => r.delaySeconds);
  const pollingWorst = Math.max(...runs.map((r) => r.delaySeconds));
  const pollingMean = randomDelays.length > 0 ? mean(randomDelays) : pollingWorst;

  const samples = options.originalSamples ?? 100_000;
  const delays: number[] = [];
  for (let i = 0; i < samples; i++) {
    const sharePhase = random() * ORIGINAL_SHARE_EVERY_MINUTES;
    const copyPhase = random() * ORIGINAL_COPY_EVERY_MINUTES;
    const at = random() * 24 * 60;
    delays.push(originalDelayMinutes(at, sharePhase, copyPhase) * 60);
  }
  const originalWorst = delays.reduce((worst, d) => Math.max(worst, d), 0);
  const originalMean = mean(delays);
  return {
    polling: {
      definition: POLLING_DEFINITION,
      pollSeconds: poll,
      runs,
      worstSeconds: pollingWorst,
      meanSeconds: pollingMean,
    },
    original: {
      shareEveryMinutes: ORIGINAL_SHARE_EVERY_MINUTES,
      copyEveryMinutes: ORIGINAL_COPY_EVERY_MINUTES,
      samples,
      worstSeconds: originalWorst,
      meanSeconds: originalMean,
      boundSeconds: (ORIGINAL_SHARE_EVERY_MINUTES + ORIGINAL_COPY_EVERY_MINUTES) * 60,
    },
    targetSeconds: RECOVERY_TARGET_SECONDS,
  };
}
