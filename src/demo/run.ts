/**
 * `aurora-snapshot-tool demo`: builds an estate on moto, runs the real source and destination state
 * machines at every scheduled time of a simulated period on a virtual clock, then prints what
 * happened per region and cluster, the API calls, and checks; and writes the HTML report.
 */

import { writeFile } from 'node:fs/promises';
import { DescribeDBClusterSnapshotsCommand } from '@aws-sdk/client-rds';
import {
  awsClientsFor,
  createSnapshotStore,
  RdsRestoreStore,
  silenceNodeVersionWarning,
  toSnapshotInfo,
} from '../aws/index.js';
import { backupPolicyOf, destinationPolicyOf } from '../config/to-core.js';
import type { DrillRestoreStore } from '../core/drill/drill-engine.js';
import { type DrillStatusReport, drillStatus } from '../core/drill/index.js';
import type { SnapshotStore } from '../core/model/ports.js';
import { planDestination } from '../core/plan/destination-planner.js';
import { observeDestination, observeSource, sourceStoresWith, statusReport } from '../core/plan/pass.js';
import type { KeptSnapshot } from '../core/plan/plan.js';
import { planSource } from '../core/plan/source-planner.js';
import { runsBetween } from '../core/policy/schedule.js';
import { setRestoreStoreFactory } from '../handlers/drill-runtime.js';
import { setClock, setStoreFactory } from '../handlers/runtime.js';
import { destinationsOfReport, rowsOf, settingsOf } from '../report/live.js';
import type { ApiCallCount, ClusterRow, ReportCheck, ReportData } from '../report/model.js';
import { renderReport } from '../report/render.js';
import { formatHours } from '../report/svg.js';
import {
  DEFAULT_POLL_SECONDS,
  destinationStateMachineDefinition,
  restoreDrillStateMachineDefinition,
  sourceStateMachineDefinition,
} from '../state-machines/index.js';
import { type CallCounter, startCallCounter } from './call-counter.js';
import { runChecks } from './checks.js';
import { type Emulator, EmulatorMissingError, NotAnEmulatorError, startEmulator } from './emulator.js';
import {
  buildEstate,
  CLUSTERS,
  DEFAULT_SETTINGS,
  DESTINATION_REGION,
  type DemoSettings,
  type Estate,
  emulatorClients,
  SECOND_REGION,
  SHARE_ACCOUNT,
  SOURCE_ACCOUNT,
  SOURCE_REGION,
  UNTAGGED_SNAPSHOT,
} from './estate.js';
import { type ExecutionOutcome, localStateMachine, VirtualClock } from './executor.js';
import { functionArn } from './functions.js';
import { SnapshotLedger } from './ledger.js';
import { progressBar } from './progress.js';
import { DEMO_INSTANCE_CLASS, type DemoRestore, restoreOneCluster } from './restore.js';
import { scopedEnv } from './scoped-env.js';

export interface DemoProgress {
  /** Executions finished, of `total`. */
  readonly done: number;
  readonly total: number;
  /** Virtual time of the execution that just finished (ISO-8601). */
  readonly at: string;
}

export interface DemoOptions {
  /** Days to simulate (1 to 365). */
  readonly days: number;
  /** Where to write the HTML report. */
  readonly out: string;
  /** A running moto server (AWS_ENDPOINT_URL); the demo starts its own when absent. */
  readonly endpoint?: string | undefined;
  /** Called after each execution; when absent a progress bar is drawn on a terminal's stderr. */
  readonly onProgress?: ((progress: DemoProgress) => void) | undefined;
  /** Where the demo prints; `error` (when given) receives the problems. */
  readonly io: { write(line: string): void; error?(line: string): void };
  /** Virtual start of the period (default: today 00:00 UTC). */
  readonly start?: Date | undefined;
  /** Extra environment of the embedded moto server, e.g. `MOTO_RDS_SNAPSHOT_LIMIT` to show a full quota. */
  readonly emulatorEnv?: Readonly<Record<string, string>> | undefined;
}

export interface DemoCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface DemoResult {
  /** 0 all checks passed, 1 a check failed, 2 the demo could not run (moto missing). */
  readonly exitCode: 0 | 1 | 2;
  readonly checks: DemoCheck[];
  readonly rows: ClusterRow[];
  readonly apiCalls: ApiCallCount[];
  readonly executions: { readonly source: number; readonly destination: number; readonly failed: string[] };
  /** Worst recovery point seen at the destination per cluster (hours). */
  readonly worstRecoveryPointHours: Record<string, number>;
  readonly snapshots: number;
  readonly from: string;
  readonly to: string;
  /** The report written, when the demo ran. */
  readonly report?: string | undefined;
  /** The restore of one cluster in the recovery region that ends the demo. */
  readonly restore?: DemoRestore | undefined;
  readonly elapsedMs: number;
}

const DAY_MS = 86_400_000;
const CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const problem = (line: string) => (options.io.error ?? options.io.write)(line);
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 365) {
    problem(`--days must be a whole number from 1 to 365 (got ${options.days})`);
    return failedToRun('days', `invalid --days ${options.days}`, started);
  }
  let emulator: Emulator;
  try {
    emulator = await startEmulator({ endpoint: options.endpoint, env: options.emulatorEnv });
  } catch (error) {
    if (error instanceof EmulatorMissingError || error instanceof NotAnEmulatorError) {
      problem(error.message);
      return failedToRun('emulator', error.message, started);
    }
    throw error;
  }
  const restoreEnv = scopedEnv({ POWERTOOLS_METRICS_DISABLED: 'true' });
  silenceNodeVersionWarning();
  const clients = emulatorClients(emulator.endpoint);
  let counter: CallCounter | undefined;
  try {
    await emulator.reset();
    const settings: DemoSettings = { ...DEFAULT_SETTINGS, days: options.days };
    const estate = await buildEstate(clients, settings);
    counter = await startCallCounter(emulator.endpoint);
    const result = await simulate(options, settings, estate, emulator, clients, counter, started);
    return result;
  } finally {
    setClock(undefined);
    setStoreFactory(undefined);
    await counter?.close();
    clients.destroy();
    await emulator.stop();
    restoreEnv();
  }
}

function failedToRun(name: string, detail: string, started: number): DemoResult {
  return {
    exitCode: 2,
    checks: [{ name, ok: false, detail }],
    rows: [],
    apiCalls: [],
    executions: { source: 0, destination: 0, failed: [] },
    worstRecoveryPointHours: {},
    snapshots: 0,
    from: '',
    to: '',
    elapsedMs: Date.now() - started,
  };
}

interface ScheduledRun {
  readonly at: Date;
  readonly job: 'source' | 'destination';
}

/** Every run of both jobs in [from, to), in time order; at the same minute the source runs first. */
export function scheduledRuns(
  sourceSchedule: string,
  destinationSchedule: string,
  from: Date,
  to: Date,
  destinationZone = 'UTC',
): ScheduledRun[] {
  const before = new Date(from.getTime() - 1);
  const last = new Date(to.getTime() - 1);
  const runs: ScheduledRun[] = [
    ...runsBetween(sourceSchedule, before, last).map((at) => ({ at, job: 'source' as const })),
    ...runsBetween(destinationSchedule, before, last, undefined, destinationZone).map((at) => ({
      at,
      job: 'destination' as const,
    })),
  ];
  return runs.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.job === 'source' ? -1 : 1));
}

async function simulate(
  options: DemoOptions,
  settings: DemoSettings,
  estate: Estate,
  emulator: Emulator,
  clients: ReturnType<typeof emulatorClients>,
  counter: CallCounter,
  started: number,
): Promise<DemoResult> {
  const io = options.io;
  const from = options.start ?? new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const to = new Date(from.getTime() + settings.days * DAY_MS);
  const clock = new VirtualClock(from);

  // The functions reach AWS through the counting proxy, as the source account, on the virtual clock.
  const stores = new Map<string, SnapshotStore>();
  setClock(clock);
  setStoreFactory((region) => {
    let store = stores.get(region);
    if (!store) {
      store = createSnapshotStore({
        region,
        endpoint: counter.endpoint,
        credentials: CREDENTIALS,
        // moto has no quota API; AWS's default quota is what the tool would read.
        manualSnapshotQuota: 100,
      });
      stores.set(region, store);
    }
    return store;
  });

  const arn = (name: Parameters<typeof functionArn>[0], region: string) =>
    functionArn(name, region, SOURCE_ACCOUNT);
  const sourceMachine = localStateMachine(
    sourceStateMachineDefinition({
      take: arn('TakeSnapshotsAurora', SOURCE_REGION),
      check: arn('CheckSnapshotStatus', SOURCE_REGION),
      share: arn('ShareSnapshotsAurora', SOURCE_REGION),
      deleteOld: arn('DeleteOldSnapshotsAurora', SOURCE_REGION),
    }),
    clock,
    DEFAULT_POLL_SECONDS,
  );
  const destinationMachineIn = (region: string) =>
    localStateMachine(
      destinationStateMachineDefinition({
        copy: arn('CopySnapshotsDestAurora', region),
        check: undefined,
        deleteOld: arn('DeleteOldSnapshotsDestAurora', region),
      }),
      clock,
      DEFAULT_POLL_SECONDS,
    );
  // Each destination region has its own destination job, run at the same scheduled times.
  const destinationMachines = [
    { machine: destinationMachineIn(DESTINATION_REGION), input: estate.destinationInput },
    { machine: destinationMachineIn(SECOND_REGION), input: estate.secondInput },
  ];

  const ledger = new SnapshotLedger();
  const matching = CLUSTERS.filter((c) => c.matches).map((c) => c.id);
  const observe = async () => {
    const at = clock.now();
    for (const region of [SOURCE_REGION, DESTINATION_REGION, SECOND_REGION]) {
      ledger.observe(at, region, SOURCE_ACCOUNT, await listManual(clients.rds(region), region));
    }
    for (const region of [DESTINATION_REGION, SECOND_REGION]) {
      ledger.sampleRecoveryPoint(at, region, matching, 'dr-copy');
    }
  };
  await observe();

  const runs = scheduledRuns(
    settings.backupSchedule,
    settings.destinationSchedule,
    from,
    to,
    settings.destinationTimezone,
  );
  const sourceRuns = runs.filter((r) => r.job === 'source').length;
  const destinationExecutions = (runs.length - sourceRuns) * destinationMachines.length;
  const total = sourceRuns + destinationExecutions;
  const bar = options.onProgress ? undefined : progressBar(total);
  const failed: string[] = [];
  let done = 0;
  const finished = (outcome: ExecutionOutcome, label: string, at: Date) => {
    if (outcome.status === 'FAILED') {
      failed.push(`${label} at ${at.toISOString()}: ${outcome.error}: ${outcome.cause}`);
    }
    done++;
    const progress = { done, total, at: at.toISOString() };
    if (options.onProgress) options.onProgress(progress);
    else bar?.update(done, { at: progress.at.slice(0, 16).replace('T', ' ') });
  };
  for (const run of runs) {
    clock.set(run.at);
    if (run.job === 'source') {
      finished(await sourceMachine.run(estate.sourceInput), 'source', run.at);
    } else {
      for (const { machine, input } of destinationMachines) {
        finished(await machine.run(input), `destination ${input.Destination.Region}`, run.at);
      }
    }
    await observe();
  }
  bar?.stop();
  const apiCounts = counter.counts();

  // The end of the period: one restore drill of the newest copy of each cluster in the destination region.
  clock.set(to);
  const drill = await runDrill(clock, counter.endpoint, arn('StartRestoreDrill', DESTINATION_REGION));

  // Disaster day: one cluster restored in the recovery region with the restore command's code.
  const restore = await restoreOneCluster({
    clusterId: RESTORED_CLUSTER,
    sourceRegion: SOURCE_REGION,
    region: DESTINATION_REGION,
    snapshots: stores.get(DESTINATION_REGION) as SnapshotStore,
    clientsFor: (region) => awsClientsFor({ region, endpoint: counter.endpoint, credentials: CREDENTIALS }),
    clock,
  });

  // The last look, and what the other account and AWS's own backups show.
  await observe();
  const automatedAfter = await listAutomated(clients.rds(SOURCE_REGION));
  const visible = await listSharedWith(clients, DESTINATION_REGION, SHARE_ACCOUNT);

  const entries = ledger.entries();
  const checks: ReportCheck[] = runChecks({
    entries,
    sourceRegion: SOURCE_REGION,
    destinationRegion: DESTINATION_REGION,
    shareAccount: SHARE_ACCOUNT,
    matching,
    notMatching: CLUSTERS.filter((c) => !c.matches).map((c) => c.id),
    backupIntervalHours: settings.backupInterval,
    sourceRetentionDays: settings.sourceRetentionDays,
    destinationRetentionDays: settings.destinationRetentionDays,
    sourceRules: { daily: settings.sourceKeepDaily, weekly: 0, zone: 'UTC' },
    destinationRules: {
      daily: settings.destinationKeepDaily,
      weekly: settings.destinationKeepWeekly,
      zone: settings.destinationTimezone,
    },
    end: to,
    maxRunGapHours: settings.backupInterval,
    automatedBefore: estate.automatedSnapshots,
    automatedAfter,
    visibleToShareAccount: visible,
    executions: { total, failed },
    moreDestinations: [
      {
        region: SECOND_REGION,
        retentionDays: settings.secondRetentionDays,
        rules: { daily: settings.secondKeepDaily, weekly: 0, zone: settings.destinationTimezone },
      },
    ],
  });

  const restoreDrills = drillStatus({
    snapshots: await listManual(clients.rds(DESTINATION_REGION), DESTINATION_REGION),
    clusterIds: matching,
    settings: { ...DRILL_INPUT.RestoreDrill, Schedule: DRILL_SCHEDULE },
    now: to,
  });
  checks.push(drillCheck(drill, restoreDrills, matching));

  // Why each snapshot still there is kept, as `status` says it: the policy of each side at the end.
  const storeFor = (region: string) => stores.get(region) as SnapshotStore;
  const sourceView = await observeSource(
    sourceStoresWith(backupPolicyOf(estate.source), storeFor),
    backupPolicyOf(estate.source),
    clock,
    ['delete'],
  );
  const kept: KeptSnapshot[] = [];
  for (const destination of [estate.destination, estate.second]) {
    const view = await observeDestination(
      storeFor(destination.Region),
      destinationPolicyOf(destination),
      clock,
      ['delete'],
    );
    kept.push(...(planDestination(view, destinationPolicyOf(destination), ['delete']).kept ?? []));
  }
  kept.push(...(planSource(sourceView, backupPolicyOf(estate.source), ['delete']).kept ?? []));
  const snapshots = ledger.toReportSnapshots(kept);
  const recoveryPoints = ledger.recoveryPoints();
  const rows = rowsOf(snapshots, recoveryPoints, 'known');
  const apiCalls = [...apiCounts.entries()].map(([kind, count]) => ({ kind, count }));
  const worst: Record<string, number> = {};
  for (const series of recoveryPoints) {
    if (series.samples.length > 0)
      worst[series.clusterId] = Math.max(
        worst[series.clusterId] ?? 0,
        ...series.samples.map((s) => s.ageHours),
      );
  }
  const data: ReportData = {
    title: 'Aurora snapshot tool — demo',
    subtitle:
      `${settings.days} simulated days on the moto emulator: the real state machines and Lambda handlers at every ` +
      `scheduled run (${sourceRuns} source, ${destinationExecutions} destination executions in ` +
      `${DESTINATION_REGION} and ${SECOND_REGION}).`,
    generatedAt: new Date().toISOString(),
    from: from.toISOString(),
    to: to.toISOString(),
    sourceRegion: SOURCE_REGION,
    destinationRegion: DESTINATION_REGION,
    targetRecoveryPointHours: settings.backupInterval,
    snapshots,
    recoveryPoints,
    rows,
    apiCalls,
    checks,
    restoreDrills,
    ...destinationsOfReport(estate.source, statusReport(sourceView, backupPolicyOf(estate.source))),
    settings: {
      ...settingsOf(estate.source),
      'Destination RetentionDays': String(estate.destination.RetentionDays),
      'Destination KeepDaily': String(estate.destination.KeepDaily),
      'Destination KeepWeekly': String(estate.destination.KeepWeekly),
      'Destination Schedule': `${estate.destination.Schedule} (${estate.destination.ScheduleTimezone})`,
      [`Destination ${SECOND_REGION} RetentionDays`]: String(estate.second.RetentionDays),
      [`Destination ${SECOND_REGION} KeepDaily`]: String(estate.second.KeepDaily),
    },
  };
  await writeFile(options.out, renderReport(data), 'utf8');

  const exitCode = checks.every((c) => c.ok) ? 0 : 1;
  const result: DemoResult = {
    exitCode,
    checks,
    rows,
    apiCalls,
    executions: { source: sourceRuns, destination: destinationExecutions, failed },
    worstRecoveryPointHours: worst,
    snapshots: snapshots.length,
    from: data.from,
    to: data.to,
    report: options.out,
    restore,
    elapsedMs: Date.now() - started,
  };
  for (const line of summaryLines(result, emulator, estate)) io.write(line);
  for (const line of restoreLines(restore)) io.write(line);
  return result;
}

const DRILL_SCHEDULE = '0 3 ? * SUN *';
const DRILL_INPUT = {
  RestoreDrill: {
    Region: DESTINATION_REGION,
    SnapshotPattern: '^prod-',
    Schedule: DRILL_SCHEDULE,
    LogLevel: 'ERROR',
  },
} as const;

/** One execution of the RestoreDrill state machine with the real drill handlers, through the counting proxy. */
async function runDrill(clock: VirtualClock, endpoint: string, startArn: string): Promise<ExecutionOutcome> {
  const restoreStores = new Map<string, DrillRestoreStore>();
  setRestoreStoreFactory((region) => {
    let store = restoreStores.get(region);
    if (!store) {
      store = new RdsRestoreStore(awsClientsFor({ region, endpoint, credentials: CREDENTIALS }));
      restoreStores.set(region, store);
    }
    return store;
  });
  const arn = (name: string) => startArn.replace(/StartRestoreDrill$/, name);
  try {
    const machine = localStateMachine(
      restoreDrillStateMachineDefinition({
        start: startArn,
        check: arn('CheckRestoreDrill'),
        record: arn('RecordRestoreDrill'),
        cleanup: arn('CleanupRestoreDrill'),
      }),
      clock,
      DEFAULT_POLL_SECONDS,
    );
    return await machine.run(DRILL_INPUT);
  } finally {
    setRestoreStoreFactory(undefined);
  }
}

/** The demo's check on the drill: the execution succeeded and every matching cluster has a recent one. */
function drillCheck(
  outcome: ExecutionOutcome,
  drills: DrillStatusReport,
  matching: readonly string[],
): ReportCheck {
  const verified = drills.clusters.filter((c) => matching.includes(c.clusterId) && !c.overdue);
  const ok = outcome.status === 'SUCCEEDED' && verified.length === matching.length;
  const detail =
    outcome.status === 'SUCCEEDED'
      ? `restored ${verified.map((c) => `${c.lastDrill?.snapshotId} (${c.lastDrill?.minutes} min)`).join(', ')} in ${drills.region}, then deleted the drill clusters`
      : `${outcome.error}: ${outcome.cause}`;
  return { name: 'restore drill succeeded', ok, detail };
}

async function listManual(rds: ReturnType<ReturnType<typeof emulatorClients>['rds']>, region: string) {
  const out = await rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }));
  return (out.DBClusterSnapshots ?? []).map((s) => toSnapshotInfo(s, region));
}

async function listAutomated(rds: ReturnType<ReturnType<typeof emulatorClients>['rds']>): Promise<string[]> {
  const out = await rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'automated' }));
  return (out.DBClusterSnapshots ?? []).map((s) => s.DBClusterSnapshotIdentifier ?? '');
}

/** ARNs of the snapshots the other account sees shared with it (through the adapter, acting as that account). */
async function listSharedWith(
  clients: ReturnType<typeof emulatorClients>,
  region: string,
  accountId: string,
): Promise<string[]> {
  const store = createSnapshotStore({
    region,
    endpoint: clients.endpoint,
    accountId,
    credentials: CREDENTIALS,
    manualSnapshotQuota: 100,
  });
  return (await store.listSnapshots('shared')).map((s) => s.arn);
}

/** The cluster the demo restores at its end. */
export const RESTORED_CLUSTER = 'prod-orders';

/** The restore that ends the demo: what was restored, from which copy, and its shape beside the source's. */
export function restoreLines(restore: DemoRestore): string[] {
  const { plan, outcome } = restore;
  const endpoint = (host: string | undefined) =>
    `${host ?? 'unknown'}${outcome.endpoints.port ? `:${outcome.endpoints.port}` : ''}`;
  return [
    `Restore of ${plan.sourceClusterId} in ${plan.region} with the restore command's code: ${plan.snapshotId} (point in time ${plan.pointInTime?.toISOString() ?? 'unknown'}) restored as ${outcome.clusterId} in ${outcome.minutes} min`,
    `  chosen: ${restore.choice}`,
    `  shape: ${restore.shapeReason === undefined ? 'recorded with the copy' : `unknown (${restore.shapeReason}): one instance of --instance-class ${DEMO_INSTANCE_CLASS}`}`,
    `  writer endpoint: ${endpoint(outcome.endpoints.writer)}`,
    `  reader endpoint: ${endpoint(outcome.endpoints.reader)}`,
    ...table(['Field', 'Source', 'Restored'], restore.rows, 3).map((l) => `  ${l}`),
    '',
  ];
}

function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i >= numeric ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function summaryLines(result: DemoResult, emulator: Emulator, estate: Estate): string[] {
  const lines: string[] = [];
  const { source, destination, failed } = result.executions;
  lines.push(
    `Simulated ${result.from.slice(0, 16).replace('T', ' ')} to ${result.to.slice(0, 16).replace('T', ' ')} UTC on ${emulator.embedded ? 'an embedded' : 'the'} moto server (${emulator.endpoint}).`,
    `Estate: ${SOURCE_REGION} clusters ${CLUSTERS.map((c) => `${c.id}${c.encrypted ? ' (customer KMS key)' : ''}${c.matches ? '' : ' (does not match)'}`).join(', ')}; ` +
      `pattern ${estate.source.ClusterNamePattern}; untagged ${UNTAGGED_SNAPSHOT.id}; copies to ${DESTINATION_REGION} (shared with ${SHARE_ACCOUNT}) and to ${SECOND_REGION}.`,
    `Executions: ${source} source + ${destination} destination, ${failed.length === 0 ? 'all succeeded' : `${failed.length} FAILED`} (${(result.elapsedMs / 1000).toFixed(1)} s).`,
    '',
  );
  const rows = [...result.rows].sort(
    (a, b) => a.clusterId.localeCompare(b.clusterId) || (a.region === SOURCE_REGION ? -1 : 1),
  );
  lines.push(
    ...table(
      ['Region', 'Cluster', 'Taken', 'Copied', 'Shared', 'Deleted', 'Kept', 'Worst recovery point'],
      rows.map((r) => [
        r.region,
        r.clusterId,
        String(r.taken),
        String(r.copied),
        String(r.shared),
        String(r.deleted ?? '-'),
        String(r.kept),
        r.worstRecoveryPointHours === undefined ? '' : formatHours(r.worstRecoveryPointHours),
      ]),
      2,
    ),
    '',
  );
  const calls = [...result.apiCalls].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  const total = calls.reduce((sum, c) => sum + c.count, 0);
  lines.push(`API calls: ${total} (${(total / Math.max(1, source + destination)).toFixed(1)} per execution)`);
  lines.push(
    ...table(
      ['Call', 'Count'],
      calls.map((c) => [c.kind, String(c.count)]),
      1,
    ).map((l) => `  ${l}`),
    '',
  );
  lines.push('Checks:');
  for (const check of result.checks)
    lines.push(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
  for (const failure of failed.slice(0, 5)) lines.push(`  ${failure}`);
  lines.push('', `Report: ${result.report}`);
  return lines;
}
