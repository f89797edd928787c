/**
 * Comparison 6, orchestration cost and copy lag: what AWS bills for running the tool's state machines and
 * functions per cluster-month, today's polling design ("current": the frozen definitions of
 * bench/baseline/) next to the event-driven one ("eventDriven": src/state-machines, started by the
 * schedule and by RDS-EVENT-0075), and how long a new snapshot waits before its copy starts. Nothing about
 * the orchestration is assumed: the real definitions run with aws-local-stepfunctions and the real
 * handlers over the in-memory estate, on one virtual clock shared by every execution
 * (bench/virtual-scheduler.ts), with snapshots and copies that take the workload's time (bench/timed-estate.ts). What is
 * assumed (API latency, cold starts, how late an event arrives, snapshot and copy times) is in
 * ASSUMPTIONS, with its source where there is one; the prices are in bench/prices.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/schema.js';
import { runsBetween } from '../src/core/policy/schedule.js';
import { functionArn, HANDLERS } from '../src/demo/functions.js';
import type { FunctionName } from '../src/handlers/names.js';
import { setClock, setStoreFactory } from '../src/handlers/runtime.js';
import { FUNCTION_MEMORY_MB } from '../src/infra/functions.js';
import {
  destinationStateMachineDefinition,
  type StateMachineDefinition,
  sourceStateMachineDefinition,
} from '../src/state-machines/index.js';
import { ManualClock } from '../test/support/manual-clock.js';
import { DEFAULT_ACCOUNT, MemoryEstate } from '../test/support/memory-store.js';
import { type InvocationRecord, LambdaModel, type LambdaModelOptions } from './lambda-model.js';
import { PRICE_REGION, PRICES, PRICES_WRITTEN_ON, type PriceTable } from './prices.js';
import { mean, median, seededRandom } from './stats.js';
import { type Making, TimedEstate } from './timed-estate.js';
import {
  type CompiledMachine,
  compileMachine,
  type ExecutionRecord,
  startExecution,
  VirtualScheduler,
} from './virtual-scheduler.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** Days in the cluster-month every figure is scaled to (365 / 12 = 30.42, rounded). */
export const DAYS_PER_MONTH = 30.4;

export const SOURCE_REGION = 'us-east-1';
const SOURCE_ACCOUNT = DEFAULT_ACCOUNT;
const VAULT_ACCOUNT = '999988887777';
const CLUSTER = 'orders';
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Monday 5 January 2026, 00:00 UTC: the first day of every simulated window. */
const START = Date.parse('2026-01-05T00:00:00Z');

const keyOf = (region: string, account: string, n: number) =>
  `arn:aws:kms:${region}:${account}:key/${String(n).repeat(8)}-${String(n).repeat(4)}-${String(n).repeat(4)}-${String(n).repeat(4)}-${String(n).repeat(12)}`;

/**
 * What the comparison assumes, each with its source or the reason it is an assumption. The orchestration
 * itself (which states are entered, how often a check runs, what each function calls) is measured.
 */
export const ASSUMPTIONS = {
  lambda: {
    value: {
      memoryMB: FUNCTION_MEMORY_MB,
      initMs: 300,
      keepWarmMs: 10 * MINUTE_MS,
      dispatchMs: 50,
      apiLatencyMs: 100,
    } satisfies LambdaModelOptions,
    source:
      'memory: src/infra/functions.ts FUNCTION_MEMORY_MB (every function, Arm). Assumed: every RDS/STS call of a handler takes 100 ms, one after another (AWS publishes no latency for the RDS control plane); a cold start bills 300 ms of INIT (bench section 4 measures about 100 ms to import a bundle and build its clients on this machine; a Lambda sandbox adds its own start), an idle environment is reused for 10 minutes (AWS documents no figure), Step Functions reaches the handler 50 ms after the task starts. Billed duration = the handler compute measured in this process + the virtual time of its API calls + INIT when cold.',
  },
  eventDeliverySeconds: {
    value: 2,
    source:
      'assumed: RDS-EVENT-0075 reaches the state machine 2 s after the snapshot becomes available. RDS documents delivery as best effort and gives no latency; EventBridge announced (November 2024) a P99 of about 0.13 s from bus to target for event buses, so the 2 s stand mostly for RDS emitting the event. The median lag below is dominated by this figure.',
  },
  snapshotAndCopyTimes: {
    value: 'per workload (creationMinutes, copyHours, vaultCopyHours)',
    source:
      'assumed: AWS documents only that a cluster snapshot takes longer the larger the volume and that a cross-Region copy "can take hours" (Aurora User Guide). Creation times are drawn uniformly in the workload range (seeded), copy times within ±10% of the workload figure; PercentProgress rises linearly with time; AllocatedStorage is the cluster size.',
  },
  storage: {
    value: 'every retained snapshot and copy billed at the full cluster size',
    source:
      'an upper bound, the same for the tool and for AWS Backup (both keep Aurora cluster snapshots, billed as Aurora backup storage); a copy to another region transfers the full snapshot',
  },
  transitions: {
    value: 'StateEntered events + StateRetried events of every execution',
    source:
      'Step Functions pricing page: a state transition is counted "each time a step of your workflow is executed", retries included; Choice, Pass, Wait, Succeed and Fail states are steps too',
  },
} as const;

export interface DestinationSpec {
  readonly region: string;
  /** The vault account the copies in `region` are shared with (its own job copies them in). */
  readonly vaultAccount?: string;
}

export interface WorkloadSpec {
  readonly id: string;
  readonly name: string;
  /** Why its schedule is what it is, where the issue did not say. */
  readonly why: string;
  readonly clusterGiB: number;
  /** BackupSchedule (EventBridge cron, UTC) and BackupInterval (hours) of the source job. */
  readonly sourceSchedule: string;
  readonly backupIntervalHours: number;
  /** Schedule of every destination job (each region's retention, the vault's copy). */
  readonly destinationSchedule: string;
  readonly destinations: readonly DestinationSpec[];
  /** A new snapshot takes between these many minutes (uniform). */
  readonly creationMinutes: readonly [number, number];
  /** A copy to another region takes this long (±10%). */
  readonly copyHours: number;
  /** The vault account's copy of what was shared with it (same region) takes this long (±10%). */
  readonly vaultCopyHours?: number;
  readonly retentionDays: number;
}

const W2 = 'us-west-2';
const EU = 'eu-west-1';

export const WORKLOADS: readonly WorkloadSpec[] = [
  {
    id: 'a',
    name: '(a) 20 GB, 3 runs a day, one region',
    why: 'as the issue states it: BackupSchedule 0 0,8,16 * * ? *, copies to us-west-2; the destination region\u2019s own job (retention) runs on the same cadence, 4 hours later',
    clusterGiB: 20,
    sourceSchedule: '0 0,8,16 * * ? *',
    backupIntervalHours: 8,
    destinationSchedule: '0 4,12,20 * * ? *',
    destinations: [{ region: W2 }],
    creationMinutes: [2, 10],
    copyHours: 0.25,
    retentionDays: 7,
  },
  {
    id: 'b',
    name: '(b) 2 TB, 2-hour copies, two regions and a vault account',
    why: 'the issue gives no frequency: once a day (0 1 * * ? *). Every run copies the whole 2 TB to each region (about $82 of transfer a run at list price), so a large cluster is copied daily, as AWS Backup\u2019s default daily plan does, with point-in-time recovery covering the hours between. Each destination job (us-west-2\u2019s and eu-west-1\u2019s retention, the vault\u2019s copy into its account) runs daily at 06:00, after the eu-west-1 copy has been shared with the vault. The figure includes those three jobs.',
    clusterGiB: 2048,
    sourceSchedule: '0 1 * * ? *',
    backupIntervalHours: 24,
    destinationSchedule: '0 6 * * ? *',
    destinations: [{ region: W2 }, { region: EU, vaultAccount: VAULT_ACCOUNT }],
    creationMinutes: [10, 40],
    copyHours: 2,
    vaultCopyHours: 2,
    retentionDays: 7,
  },
  {
    id: 'c',
    name: '(c) 14 TB, 14-hour copies (a first full copy), daily, one region',
    why: 'a copy of 14 hours, as long as a first full copy of a large cluster, longer than MaxWaitMinutes (720): the polling design polls it for 12 hours, then leaves it to the next run. The issue gives no frequency: once a day (0 1 * * ? *), since a cluster whose copy takes 14 hours (14 TB at the 1 TiB an hour of (b)) copied more often would always have copies of two runs in flight; the destination region’s job runs daily at 06:00. Aurora documents no incremental copy of a cluster snapshot, so the month is priced as if every copy took 14 hours; the per-run figures are what one such copy costs',
    clusterGiB: 14_336,
    sourceSchedule: '0 1 * * ? *',
    backupIntervalHours: 24,
    destinationSchedule: '0 6 * * ? *',
    destinations: [{ region: W2 }],
    creationMinutes: [10, 40],
    copyHours: 14,
    retentionDays: 7,
  },
];

export type Design = 'current' | 'eventDriven';

/** The definitions each design runs. */
export interface DesignDefinitions {
  readonly source: StateMachineDefinition;
  readonly destination: StateMachineDefinition;
  /** Where they come from (for the report). */
  readonly origin: string;
}

function baseline(name: string): StateMachineDefinition {
  return JSON.parse(readFileSync(join(BENCH_DIR, 'baseline', name), 'utf8')) as StateMachineDefinition;
}

export function designDefinitions(design: Design): DesignDefinitions {
  if (design === 'current') {
    return {
      source: baseline('polling-source.asl.json'),
      destination: baseline('polling-destination.asl.json'),
      origin: 'bench/baseline/polling-*.asl.json (frozen)',
    };
  }
  const arn = (name: FunctionName) => functionArn(name, SOURCE_REGION, SOURCE_ACCOUNT);
  return {
    source: sourceStateMachineDefinition({
      take: arn('TakeSnapshotsAurora'),
      check: arn('CheckSnapshotStatus'),
      share: arn('ShareSnapshotsAurora'),
      deleteOld: arn('DeleteOldSnapshotsAurora'),
    }),
    destination: destinationStateMachineDefinition({
      copy: arn('CopySnapshotsDestAurora'),
      check: arn('CheckSnapshotStatus'),
      deleteOld: arn('DeleteOldSnapshotsDestAurora'),
    }),
    origin: 'src/state-machines (sourceStateMachineDefinition, destinationStateMachineDefinition)',
  };
}

/** Whether a source definition acts on the `Trigger` an RDS event's execution carries. */
export function handlesTrigger(definition: StateMachineDefinition): boolean {
  return JSON.stringify(definition).includes('"$.Trigger"');
}

// ---------------------------------------------------------------------------------------------------
// The jobs of a workload: the source job and each destination job, with their configuration.

interface Job {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly kind: 'source' | 'destination';
  readonly schedule: string;
  readonly input: unknown;
}

function jobsOf(spec: WorkloadSpec): Job[] {
  const destinations = spec.destinations.map((d, i) => ({
    Region: d.region,
    ...(d.vaultAccount ? { Account: d.vaultAccount } : {}),
    KmsKeyDestination: keyOf(d.region, SOURCE_ACCOUNT, i + 2),
  }));
  const [only] = destinations;
  const source = {
    Source: {
      Region: SOURCE_REGION,
      ClusterNamePattern: `^${CLUSTER}$`,
      BackupSchedule: spec.sourceSchedule,
      BackupInterval: spec.backupIntervalHours,
      RetentionDays: spec.retentionDays,
      ShareSnapshots: 'TRUE',
      ...(destinations.length === 1 && only && !only.Account
        ? { DestinationRegion: only.Region, KmsKeyDestination: only.KmsKeyDestination }
        : { Destinations: destinations }),
    },
  };
  const jobs: Job[] = [
    {
      name: 'source',
      account: SOURCE_ACCOUNT,
      region: SOURCE_REGION,
      kind: 'source',
      schedule: spec.sourceSchedule,
      input: source,
    },
  ];
  /** A destination job of `region` in `account`, on the destination schedule; `more` says where it copies from. */
  const destinationJob = (
    name: string,
    account: string,
    region: string,
    more: Record<string, string> = {},
  ): Job => ({
    name,
    account,
    region,
    kind: 'destination',
    schedule: spec.destinationSchedule,
    input: {
      Destination: {
        Region: region,
        SnapshotPattern: `^${CLUSTER}$`,
        SourceRegion: SOURCE_REGION,
        ...more,
        RetentionDays: spec.retentionDays,
        Schedule: spec.destinationSchedule,
      },
    },
  });
  for (const d of destinations) {
    jobs.push(destinationJob(`destination ${d.Region}`, SOURCE_ACCOUNT, d.Region));
    if (d.Account) {
      jobs.push(
        destinationJob(`vault ${d.Account} ${d.Region}`, d.Account, d.Region, {
          SourceAccount: SOURCE_ACCOUNT,
          KmsKeyDestination: keyOf(d.Region, d.Account, 9),
          SharedSnapshotsKmsKey: d.KmsKeyDestination,
        }),
      );
    }
  }
  // Every input is a configuration the tool accepts, as the schedule would send it.
  for (const job of jobs) parseConfig(job.input);
  return jobs;
}

// ---------------------------------------------------------------------------------------------------
// One simulated window of a workload under one design.

export interface SimulationOptions {
  readonly design: Design;
  /** Whether RDS-EVENT-0075 reaches the source state machine (the event-driven design only). */
  readonly events: 'delivered' | 'lost';
  readonly days: number;
  readonly seed: number;
}

export interface SimulatedExecution extends ExecutionRecord {
  readonly invocations: readonly InvocationRecord[];
}

export interface LagSample {
  readonly snapshotId: string;
  readonly targetRegion: string;
  readonly availableAt: number;
  readonly seconds: number;
}

export interface Simulation {
  readonly days: number;
  /**
   * Executions started within the window (they are followed to their end, which may be later), each with
   * its Lambda invocations.
   */
  readonly executions: readonly SimulatedExecution[];
  /** Snapshot available -> CopyDBClusterSnapshot of it requested, per snapshot and region, within the window. */
  readonly lags: readonly LagSample[];
  /** Snapshots the source took in the window that no copy was started for by the end of the simulation. */
  readonly uncopied: number;
  readonly eventDrivenHandlesTrigger: boolean;
}

const CREATE_EVENT = 'RDS-EVENT-0075';

export async function simulate(spec: WorkloadSpec, options: SimulationOptions): Promise<Simulation> {
  const random = seededRandom(options.seed);
  const clock = new ManualClock(new Date(START));
  const scheduler = new VirtualScheduler(clock);
  const estate = new MemoryEstate({ clock });
  estate.addCluster({
    region: SOURCE_REGION,
    id: CLUSTER,
    encrypted: true,
    kmsKeyId: keyOf(SOURCE_REGION, SOURCE_ACCOUNT, 1),
  });
  const lambda = new LambdaModel(scheduler, ASSUMPTIONS.lambda.value);
  const definitions = designDefinitions(options.design);
  const machines = {
    source: compileMachine('source', definitions.source),
    destination: compileMachine('destination', definitions.destination),
  };
  const triggers = handlesTrigger(definitions.source);
  const end = START + options.days * 24 * HOUR_MS;
  const jobs = jobsOf(spec);
  const sourceJob = jobs[0] as Job;

  const executions: SimulatedExecution[] = [];
  const availableAt = new Map<string, { id: string; at: number }>();
  const firstCopy = new Map<string, number>();

  const start = (job: Job, machine: CompiledMachine, input: unknown, startedBy: 'schedule' | 'event') => {
    const mine: InvocationRecord[] = [];
    const record: SimulatedExecution = {
      job: job.name,
      startedBy,
      startedAt: scheduler.now(),
      transitions: 0,
      retries: 0,
      entered: {},
      invocations: mine,
    };
    if (record.startedAt < end) executions.push(record);
    startExecution(scheduler, machine, input, record, async (fn, payload) => {
      const handler = HANDLERS[fn as FunctionName];
      if (!handler) throw new Error(`orchestration bench: no handler for ${fn}`);
      return lambda.invoke(fn, job.account, job.region, handler, payload, mine);
    });
  };

  const uniform = (low: number, high: number) => low + (high - low) * random();
  const timed = new TimedEstate(estate, scheduler, {
    allocatedStorageGiB: spec.clusterGiB,
    durationOf: (making: Making) => {
      if (making.kind === 'create') {
        return uniform(spec.creationMinutes[0], spec.creationMinutes[1]) * MINUTE_MS;
      }
      const crossRegion = making.sourceRegion !== making.snapshot.region;
      const hours = crossRegion ? spec.copyHours : (spec.vaultCopyHours ?? spec.copyHours);
      return hours * uniform(0.9, 1.1) * HOUR_MS;
    },
    onAvailable: (making, at) => {
      const { snapshot } = making;
      if (making.kind !== 'create' || snapshot.region !== SOURCE_REGION) return;
      if (snapshot.accountId !== SOURCE_ACCOUNT) return;
      availableAt.set(snapshot.arn, { id: snapshot.id, at });
      if (options.design !== 'eventDriven' || options.events !== 'delivered' || !triggers) return;
      // What the rule's input transformer makes of the event: the schedule's input plus `Trigger`.
      const deliveredAt = at + ASSUMPTIONS.eventDeliverySeconds.value * 1000;
      scheduler.at(deliveredAt, () => {
        const eventId = Math.floor(random() * 2 ** 48)
          .toString(16)
          .padStart(12, '0');
        const input = {
          ...(sourceJob.input as object),
          Trigger: {
            Kind: 'RdsEvent',
            EventId: `00000000-0000-4000-8000-${eventId}`,
            RdsEventId: CREATE_EVENT,
            SnapshotArn: snapshot.arn,
            Time: `${new Date(at).toISOString().slice(0, 19)}Z`,
          },
        };
        start(sourceJob, machines.source, input, 'event');
      });
    },
    onCopyRequested: (copy, at) => {
      if (copy.sourceRegion !== SOURCE_REGION || copy.snapshot.region === SOURCE_REGION) return;
      const key = `${copy.sourceArn} ${copy.snapshot.region}`;
      if (!firstCopy.has(key)) firstCopy.set(key, at);
    },
  });

  // With every event lost, the next scheduled run starts the copies of the window's last snapshots.
  const tailDays = options.events === 'lost' ? 1 : 0;
  for (const job of jobs) {
    const until = job.kind === 'source' ? end + tailDays * 24 * HOUR_MS : end;
    for (const at of runsBetween(job.schedule, new Date(START - 1), new Date(until - 1))) {
      const machine = job.kind === 'source' ? machines.source : machines.destination;
      scheduler.at(at.getTime(), () => start(job, machine, job.input, 'schedule'));
    }
  }

  const metricsSwitch = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  setClock(clock);
  setStoreFactory((region) => timed.store(region, SOURCE_ACCOUNT));
  try {
    await scheduler.run();
  } finally {
    setClock(undefined);
    setStoreFactory(undefined);
    if (metricsSwitch === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = metricsSwitch;
  }

  const failed = executions.filter((e) => e.status !== 'SUCCEEDED');
  if (failed.length > 0) {
    const first = failed[0];
    throw new Error(
      `orchestration bench ${spec.id}/${options.design}: ${failed.length} execution(s) did not succeed, first ${first?.job} at ${new Date(first?.startedAt ?? 0).toISOString()}: ${first?.error} ${first?.cause}`,
    );
  }
  const lags: LagSample[] = [];
  let uncopied = 0;
  for (const [arn, { id, at }] of availableAt) {
    if (at >= end) continue;
    for (const d of spec.destinations) {
      const copiedAt = firstCopy.get(`${arn} ${d.region}`);
      if (copiedAt === undefined) uncopied++;
      else
        lags.push({
          snapshotId: id,
          targetRegion: d.region,
          availableAt: at,
          seconds: (copiedAt - at) / 1000,
        });
    }
  }
  return {
    days: options.days,
    executions,
    lags,
    uncopied,
    eventDrivenHandlesTrigger: triggers,
  };
}

// ---------------------------------------------------------------------------------------------------
// Figures.

export interface JobFigures {
  readonly executions: number;
  readonly transitions: number;
  readonly invocations: number;
  readonly usdPerClusterMonth: number;
}

export interface DesignFigures {
  /** Everything the orchestration costs per cluster-month at the list prices (bench/prices.ts). */
  readonly usdPerClusterMonth: number;
  /** Step Functions state transitions per cluster-month (every state entered, every retry attempt). */
  readonly transitions: number;
  /** Lambda invocations per cluster-month. */
  readonly invocations: number;
  readonly lambdaGbSeconds: number;
  /** EventBridge Scheduler invocations (starts of the source and destination jobs) per cluster-month. */
  readonly schedulerInvocations: number;
  /** RDS-EVENT-0075 events delivered to the rule's target per cluster-month (AWS service events: free). */
  readonly eventBridgeEvents: number;
  readonly usd: {
    readonly stepFunctions: number;
    readonly lambdaRequests: number;
    readonly lambdaDuration: number;
    readonly scheduler: number;
    readonly eventBridge: number;
  };
  /** The same per scheduled source run (the month's figures / the source job's runs in a month). */
  readonly perRun: { readonly transitions: number; readonly invocations: number; readonly usd: number };
  readonly byJob: Readonly<Record<string, JobFigures>>;
  readonly lambda: { readonly coldStarts: number; readonly medianBilledMs: number };
  /** What was simulated. */
  readonly measured: { readonly days: number; readonly executions: number; readonly invocations: number };
  readonly copyLag: LagFigures;
}

export interface LagFigures {
  readonly samples: number;
  readonly medianSeconds: number;
  readonly meanSeconds: number;
  readonly worstSeconds: number;
}

export function lagFigures(lags: readonly LagSample[]): LagFigures {
  const seconds = lags.map((l) => l.seconds);
  return {
    samples: seconds.length,
    medianSeconds: seconds.length > 0 ? median(seconds) : Number.NaN,
    meanSeconds: seconds.length > 0 ? mean(seconds) : Number.NaN,
    worstSeconds: seconds.length > 0 ? Math.max(...seconds) : Number.NaN,
  };
}

interface Counts {
  readonly transitions: number;
  readonly invocations: number;
  readonly gbSeconds: number;
  readonly scheduled: number;
  readonly events: number;
}

function countsOf(executions: readonly SimulatedExecution[]): Counts {
  let transitions = 0;
  let invocations = 0;
  let gbSeconds = 0;
  for (const e of executions) {
    transitions += e.transitions;
    invocations += e.invocations.length;
    for (const i of e.invocations) gbSeconds += i.gbSeconds;
  }
  return {
    transitions,
    invocations,
    gbSeconds,
    scheduled: executions.filter((e) => e.startedBy === 'schedule').length,
    events: executions.filter((e) => e.startedBy === 'event').length,
  };
}

function usdOf(c: Counts, prices: PriceTable): DesignFigures['usd'] {
  return {
    stepFunctions: c.transitions * prices.stepFunctionsTransition.usd,
    lambdaRequests: c.invocations * prices.lambdaRequest.usd,
    lambdaDuration: c.gbSeconds * prices.lambdaGbSecondArm.usd,
    scheduler: c.scheduled * prices.schedulerInvocation.usd,
    eventBridge: c.events * prices.eventBridgeAwsServiceEvent.usd,
  };
}

const totalOf = (u: DesignFigures['usd']) =>
  u.stepFunctions + u.lambdaRequests + u.lambdaDuration + u.scheduler + u.eventBridge;

/** A simulated window's counts scaled to a cluster-month (DAYS_PER_MONTH days) and priced. */
export function figuresOf(sim: Simulation, prices: PriceTable = PRICES): DesignFigures {
  const scale = DAYS_PER_MONTH / sim.days;
  const all = countsOf(sim.executions);
  const usd = usdOf(all, prices);
  const scaled = (u: DesignFigures['usd']): DesignFigures['usd'] => ({
    stepFunctions: u.stepFunctions * scale,
    lambdaRequests: u.lambdaRequests * scale,
    lambdaDuration: u.lambdaDuration * scale,
    scheduler: u.scheduler * scale,
    eventBridge: u.eventBridge * scale,
  });
  const monthUsd = scaled(usd);
  const byJob: Record<string, JobFigures> = {};
  for (const name of new Set(sim.executions.map((e) => e.job))) {
    const mine = countsOf(sim.executions.filter((e) => e.job === name));
    byJob[name] = {
      executions: (mine.scheduled + mine.events) * scale,
      transitions: mine.transitions * scale,
      invocations: mine.invocations * scale,
      usdPerClusterMonth: totalOf(usdOf(mine, prices)) * scale,
    };
  }
  const sourceRuns = sim.executions.filter((e) => e.job === 'source' && e.startedBy === 'schedule').length;
  const invocations = sim.executions.flatMap((e) => e.invocations);
  const usdPerClusterMonth = totalOf(monthUsd);
  return {
    usdPerClusterMonth,
    transitions: all.transitions * scale,
    invocations: all.invocations * scale,
    lambdaGbSeconds: all.gbSeconds * scale,
    schedulerInvocations: all.scheduled * scale,
    eventBridgeEvents: all.events * scale,
    usd: monthUsd,
    perRun: {
      transitions: all.transitions / sourceRuns,
      invocations: all.invocations / sourceRuns,
      usd: usdPerClusterMonth / (sourceRuns * scale),
    },
    byJob,
    lambda: {
      coldStarts: invocations.filter((i) => i.cold).length * scale,
      medianBilledMs: invocations.length > 0 ? median(invocations.map((i) => i.billedMs)) : 0,
    },
    measured: { days: sim.days, executions: sim.executions.length, invocations: invocations.length },
    copyLag: lagFigures(sim.lags),
  };
}

// ---------------------------------------------------------------------------------------------------
// The comparison: every workload under both designs, the copy lag, the storage and copy charges beside.

export interface OrchestrationOptions {
  /** Days simulated per workload id. @default 7 each */
  readonly days?: Readonly<Record<string, number>>;
  /** Snapshots whose copy lag is measured (workload (a)'s policy, random completion times). @default 300 */
  readonly lagRuns?: number;
  readonly seed?: number;
  readonly log?: (message: string) => void;
}

/** Charges that follow from the policy, not from the orchestration: the same for both designs and for AWS Backup. */
export interface PolicyCharges {
  /** GB copied to other regions per month (each copy is the whole snapshot). */
  readonly crossRegionCopyGbPerMonth: number;
  readonly crossRegionCopyUsdPerMonth: number;
  /** GB kept at any time: each location (source region, each destination region, the vault) keeps runs a day x RetentionDays snapshots. */
  readonly storedGb: number;
  readonly storageUsdPerMonth: number;
}

export interface AwsBackupCharges {
  /** AWS Backup charges nothing for scheduling and orchestrating its jobs. */
  readonly orchestrationUsdPerMonth: 0;
  readonly crossRegionCopyUsdPerMonth: number;
  readonly storageUsdPerMonth: number;
  readonly note: string;
}

export interface WorkloadResult {
  readonly id: string;
  readonly name: string;
  readonly why: string;
  readonly clusterGiB: number;
  readonly runsPerDay: number;
  readonly schedulePeriodSeconds: number;
  readonly copyHours: number;
  readonly jobs: readonly string[];
  readonly current: DesignFigures;
  readonly eventDriven: DesignFigures;
  /** current.usdPerClusterMonth / eventDriven.usdPerClusterMonth */
  readonly ratio: number;
  /** The event-driven design with every RDS event lost: the next scheduled run starts each copy. */
  readonly eventsLost: LagFigures;
  readonly policyCharges: PolicyCharges;
  readonly awsBackup: AwsBackupCharges;
}

export interface Goal {
  readonly target: string;
  readonly figure: number;
  readonly met: boolean;
}

export interface OrchestrationCostResult {
  readonly definitions: {
    readonly current: string;
    readonly eventDriven: string;
    readonly eventDrivenHandlesTrigger: boolean;
  };
  readonly prices: {
    readonly region: string;
    readonly writtenOn: string;
    readonly reReadOnTheNetwork: false;
    readonly table: PriceTable;
  };
  readonly assumptions: typeof ASSUMPTIONS;
  readonly daysPerMonth: number;
  readonly workloads: readonly WorkloadResult[];
  readonly copyLag: {
    readonly workload: string;
    readonly schedulePeriodSeconds: number;
    readonly eventDeliverySeconds: number;
    readonly current: LagFigures;
    readonly eventDriven: LagFigures;
    readonly eventsLost: LagFigures;
  };
  readonly goals: {
    readonly medianLagWithEvents: Goal;
    readonly worstLagEventsLost: Goal;
    readonly costOfB: Goal;
    readonly ratioOfB: Goal;
  };
  /** The RDS events the event-driven design relies on (design contract of issue 26). */
  readonly rdsEvents: readonly { readonly id: string; readonly message: string; readonly use: string }[];
}

export const RDS_EVENTS: OrchestrationCostResult['rdsEvents'] = [
  {
    id: 'RDS-EVENT-0075',
    message: 'Manual cluster snapshot created',
    use: 'acted on: the rule starts the source state machine, which copies and shares the snapshot it finds available',
  },
  {
    id: 'RDS-EVENT-0074',
    message: 'Creating manual cluster snapshot',
    use: 'not acted on: the snapshot is not ready',
  },
  {
    id: '(none)',
    message: 'a cluster snapshot copy finishing',
    use: 'RDS documents no event for it: what follows a copy (sharing a DR copy with the vault, the vault\u2019s own copy) is found by a check sized from the copy\u2019s progress, or by the next scheduled run',
  },
];

function schedulePeriodSeconds(expression: string): number {
  const runs = runsBetween(expression, new Date(START - 1), new Date(START + 2 * 24 * HOUR_MS));
  let longest = 0;
  for (let i = 1; i < runs.length; i++) {
    longest = Math.max(longest, ((runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime()) / 1000);
  }
  return longest;
}

function runsPerDayOf(expression: string): number {
  return runsBetween(expression, new Date(START - 1), new Date(START + 24 * HOUR_MS - 1)).length;
}

export function policyChargesOf(spec: WorkloadSpec, prices: PriceTable = PRICES): PolicyCharges {
  const runsPerMonth = runsPerDayOf(spec.sourceSchedule) * DAYS_PER_MONTH;
  const regions = spec.destinations.filter((d) => d.region !== SOURCE_REGION).length;
  const crossRegionCopyGbPerMonth = runsPerMonth * regions * spec.clusterGiB;
  const locations = 1 + spec.destinations.length + spec.destinations.filter((d) => d.vaultAccount).length;
  const storedGb = locations * runsPerDayOf(spec.sourceSchedule) * spec.retentionDays * spec.clusterGiB;
  return {
    crossRegionCopyGbPerMonth,
    crossRegionCopyUsdPerMonth: crossRegionCopyGbPerMonth * prices.interRegionTransferGb.usd,
    storedGb,
    storageUsdPerMonth: storedGb * prices.auroraSnapshotStorageGbMonth.usd,
  };
}

function awsBackupOf(
  spec: WorkloadSpec,
  charges: PolicyCharges,
  prices: PriceTable = PRICES,
): AwsBackupCharges {
  const vault = spec.destinations.some((d) => d.vaultAccount);
  return {
    orchestrationUsdPerMonth: 0,
    crossRegionCopyUsdPerMonth: charges.crossRegionCopyGbPerMonth * prices.awsBackupCrossRegionTransferGb.usd,
    storageUsdPerMonth: charges.storedGb * prices.awsBackupAuroraStorageGbMonth.usd,
    note: vault
      ? 'priced as if AWS Backup could keep the same copies; for Aurora it cannot chain a cross-Region copy and a cross-account copy in one plan (the vault\u2019s copy would need its own plan)'
      : 'the same snapshots and copies, kept by a backup plan with a copy rule',
  };
}

export async function runOrchestrationCost(
  options: OrchestrationOptions = {},
): Promise<OrchestrationCostResult> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 26;
  const workloads: WorkloadResult[] = [];
  let handles = false;
  let n = 0;
  for (const spec of WORKLOADS) {
    const days = options.days?.[spec.id] ?? 7;
    log(`orchestration cost ${spec.name}: ${days} simulated day(s), current and event-driven`);
    const current = await simulate(spec, { design: 'current', events: 'delivered', days, seed: seed + n++ });
    const eventDriven = await simulate(spec, {
      design: 'eventDriven',
      events: 'delivered',
      days,
      seed: seed + n++,
    });
    const lost = await simulate(spec, { design: 'eventDriven', events: 'lost', days, seed: seed + n++ });
    handles = eventDriven.eventDrivenHandlesTrigger;
    const currentFigures = figuresOf(current);
    const eventFigures = figuresOf(eventDriven);
    const charges = policyChargesOf(spec);
    workloads.push({
      id: spec.id,
      name: spec.name,
      why: spec.why,
      clusterGiB: spec.clusterGiB,
      runsPerDay: runsPerDayOf(spec.sourceSchedule),
      schedulePeriodSeconds: schedulePeriodSeconds(spec.sourceSchedule),
      copyHours: spec.copyHours,
      jobs: jobsOf(spec).map((job) => job.name),
      current: currentFigures,
      eventDriven: eventFigures,
      ratio: currentFigures.usdPerClusterMonth / eventFigures.usdPerClusterMonth,
      eventsLost: lagFigures(lost.lags),
      policyCharges: charges,
      awsBackup: awsBackupOf(spec, charges),
    });
  }

  const lagSpec = WORKLOADS[0] as WorkloadSpec;
  const lagRuns = options.lagRuns ?? 300;
  const lagDays = Math.max(1, Math.ceil(lagRuns / runsPerDayOf(lagSpec.sourceSchedule)));
  log(`copy lag: ${lagDays} simulated days of ${lagSpec.name}, events delivered and events lost`);
  const withEvents = await simulate(lagSpec, {
    design: 'eventDriven',
    events: 'delivered',
    days: lagDays,
    seed: seed + n++,
  });
  const withoutEvents = await simulate(lagSpec, {
    design: 'eventDriven',
    events: 'lost',
    days: lagDays,
    seed: seed + n++,
  });
  const period = schedulePeriodSeconds(lagSpec.sourceSchedule);
  const copyLag = {
    workload: lagSpec.name,
    schedulePeriodSeconds: period,
    eventDeliverySeconds: ASSUMPTIONS.eventDeliverySeconds.value,
    current: (workloads[0] as WorkloadResult).current.copyLag,
    eventDriven: lagFigures(withEvents.lags),
    eventsLost: lagFigures(withoutEvents.lags),
  };
  const b = workloads.find((w) => w.id === 'b') as WorkloadResult;
  const definitions = {
    current: designDefinitions('current').origin,
    eventDriven: designDefinitions('eventDriven').origin,
    eventDrivenHandlesTrigger: handles,
  };
  return {
    definitions,
    prices: { region: PRICE_REGION, writtenOn: PRICES_WRITTEN_ON, reReadOnTheNetwork: false, table: PRICES },
    assumptions: ASSUMPTIONS,
    daysPerMonth: DAYS_PER_MONTH,
    workloads,
    copyLag,
    goals: {
      medianLagWithEvents: {
        target: 'median lag <= 5 s with events',
        figure: copyLag.eventDriven.medianSeconds,
        met: copyLag.eventDriven.medianSeconds <= 5,
      },
      worstLagEventsLost: {
        target: `worst lag <= the schedule period (${period / 3600} h) with every event lost`,
        figure: copyLag.eventsLost.worstSeconds,
        met: copyLag.eventsLost.worstSeconds <= period,
      },
      costOfB: {
        target: 'orchestration <= $0.02 per cluster-month for (b)',
        figure: b.eventDriven.usdPerClusterMonth,
        met: b.eventDriven.usdPerClusterMonth <= 0.02,
      },
      ratioOfB: {
        target: 'orchestration of (b) >= 10x below the current design',
        figure: b.ratio,
        met: b.ratio >= 10,
      },
    },
    rdsEvents: RDS_EVENTS,
  };
}
