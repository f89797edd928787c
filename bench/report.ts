/** The benchmark's results file (bench/results.json): its shape, the machine it ran on, and the printed tables. */
import { cpus, loadavg, type as osType, release, totalmem } from 'node:os';
import type { ApiCallsResult } from './api-calls.js';
import type { FleetBenchResult, FleetStatusResult } from './fleet-status.js';
import type { FootprintResult } from './footprint.js';
import type { DesignFigures, OrchestrationCostResult } from './orchestration-cost.js';
import type { PassSizeResult } from './pass-size.js';
import { LINEAR_EXPONENT_LIMIT, type PlannerResult } from './planner-scale.js';
import type { RecoveryResult } from './recovery-point.js';
import { median, round } from './stats.js';

export interface MachineInfo {
  readonly os: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly node: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews timings. */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

export interface SummaryLine {
  readonly comparison: string;
  readonly ours: string;
  /** What ours is compared with: the original tool's approach, or the polling design where the line says so. */
  readonly original: string;
  /** How many times better ours is (the other / ours), where that applies. */
  readonly ratio: number | undefined;
  readonly target: string;
  readonly met: boolean | undefined;
}

export interface BenchResults {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly durationSeconds: number;
  readonly apiCalls: ApiCallsResult;
  readonly recoveryPoint: RecoveryResult;
  readonly plannerScale: PlannerResult;
  readonly footprint: FootprintResult;
  /** A pass of the real source handlers over many snapshots (absent from results written before it). */
  readonly passSize?: PassSizeResult;
  /** Orchestration cost per cluster-month and copy lag, polling next to event-driven (comparison 6). */
  readonly orchestrationCost: OrchestrationCostResult;
  /**
   * `status --organization` over a simulated organization, next to the same reader one account at a time
   * (comparison 7; absent from results written before it).
   */
  readonly fleetStatus?: FleetStatusResult;
  readonly summary: readonly SummaryLine[];
}

export function machineInfo(loadAtStart: number): MachineInfo {
  const cores = cpus();
  return {
    os: `${osType()} ${release()}`,
    arch: process.arch,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpuCount: cores.length,
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    loadAverage: { start: round(loadAtStart), end: round(loadavg()[0] ?? 0) },
  };
}

/** A duration in the unit that reads best: seconds up to 2 minutes, minutes up to 2 hours, then hours. */
const hours = (seconds: number) =>
  seconds < 120
    ? `${round(seconds, 1)} s`
    : seconds < 7200
      ? `${round(seconds / 60, 1)} min`
      : `${round(seconds / 3600, 1)} h`;
const usd = (value: number) =>
  value >= 1 ? `$${round(value, 2)}` : value >= 0.01 ? `$${round(value, 3)}` : `$${round(value, 4)}`;

export function summarize(
  apiCalls: ApiCallsResult,
  recovery: RecoveryResult,
  planner: PlannerResult,
  footprint: FootprintResult,
  orchestration: OrchestrationCostResult,
  fleet?: FleetStatusResult,
): SummaryLine[] {
  const lag = orchestration.copyLag;
  const b = orchestration.workloads.find((w) => w.id === 'b');
  const { goals } = orchestration;
  const largest = apiCalls.rows.reduce<ApiCallsResult['rows'][number] | undefined>(
    (best, row) => (best === undefined || row.snapshots > best.snapshots ? row : best),
    undefined,
  );
  const pagesOk = apiCalls.rows.every(
    (row) => row.ours.tags === 0 && row.ours.listing === 3 * row.pagesPerListing,
  );
  const ourInits = footprint.functions.map((f) => f.coldInitMs);
  const slowest = ourInits.length > 0 ? Math.max(...ourInits) : Number.NaN;
  return [
    {
      comparison: `API calls per pass (${largest?.clusters ?? '?'} clusters, ${largest?.snapshots ?? '?'} snapshots)`,
      ours: largest ? `${largest.ours.total} (${largest.ours.listing} list, ${largest.ours.tags} tag)` : '-',
      original: largest
        ? `${largest.original.total} (${largest.original.listing} list, ${largest.original.tags} tag)`
        : '-',
      ratio: largest?.ratio,
      target: 'ceil(N/100) listing calls per function, zero tag calls',
      met: pagesOk,
    },
    {
      comparison: 'Recovery point, worst case, RDS events delivered (available -> copy started)',
      ours: `${round(lag.eventDriven.worstSeconds, 1)} s`,
      original: `${round(recovery.original.worstSeconds / 60, 1)} min`,
      ratio: recovery.original.worstSeconds / lag.eventDriven.worstSeconds,
      target: `< ${recovery.targetSeconds} s`,
      met: lag.eventDriven.worstSeconds < recovery.targetSeconds,
    },
    {
      comparison: 'Recovery point, mean, RDS events delivered',
      ours: `${round(lag.eventDriven.meanSeconds, 1)} s`,
      original: `${round(recovery.original.meanSeconds / 60, 1)} min`,
      ratio: recovery.original.meanSeconds / lag.eventDriven.meanSeconds,
      target: '-',
      met: undefined,
    },
    {
      comparison: 'Recovery point, worst case, every RDS event lost (the next scheduled run copies)',
      ours: hours(lag.eventsLost.worstSeconds),
      original: `${round(recovery.original.worstSeconds / 60, 1)} min`,
      ratio: recovery.original.worstSeconds / lag.eventsLost.worstSeconds,
      target: `<= schedule period (${hours(lag.schedulePeriodSeconds)})`,
      met: goals.worstLagEventsLost.met,
    },
    {
      comparison: 'Copy lag, median with events (vs the polling design)',
      ours: `${round(lag.eventDriven.medianSeconds, 1)} s`,
      original: `polling: ${round(lag.current.medianSeconds, 1)} s`,
      ratio: lag.current.medianSeconds / lag.eventDriven.medianSeconds,
      target: '<= 5 s',
      met: goals.medianLagWithEvents.met,
    },
    {
      comparison: 'Orchestration per cluster-month, workload (b) (vs the polling design)',
      ours: b ? usd(b.eventDriven.usdPerClusterMonth) : '-',
      original: b ? `polling: ${usd(b.current.usdPerClusterMonth)}` : '-',
      ratio: b?.ratio,
      target: '<= $0.02 and >= 10x below polling',
      met: goals.costOfB.met && goals.ratioOfB.met,
    },
    {
      comparison: `Planner, ${planner.target.snapshots.toLocaleString('en-US')} snapshots`,
      ours:
        planner.target.measuredMs === undefined
          ? 'not measured'
          : `${round(planner.target.measuredMs, 0)} ms (CPU ${round(planner.target.measuredCpuMs ?? 0, 0)} ms)`,
      original: '-',
      ratio: undefined,
      target: `< ${planner.target.maxMs} ms`,
      met: planner.target.met,
    },
    {
      comparison: `Planner with a GFS policy, ${(planner.gfs?.snapshots ?? 0).toLocaleString('en-US')} snapshots`,
      ours:
        planner.gfs === undefined
          ? 'not measured'
          : `${round(planner.gfs.medianMs, 0)} ms (CPU ${round(planner.gfs.medianCpuMs, 0)} ms)`,
      original: '-',
      ratio: undefined,
      target: `< ${planner.target.maxMs} ms`,
      met: planner.gfs?.met,
    },
    {
      comparison: 'Planner growth exponent (worst step; 1 = linear)',
      ours:
        planner.worstGrowthExponent === undefined
          ? '-'
          : `${round(planner.worstGrowthExponent, 2)} (${planner.worstGrowthStep})`,
      original: '-',
      ratio: undefined,
      target: `<= ${LINEAR_EXPONENT_LIMIT} (linear)`,
      met: planner.linear,
    },
    {
      comparison: 'Cold init, median of functions (import + clients)',
      ours: ourInits.length > 0 ? `${round(median(ourInits), 0)} ms (slowest ${round(slowest, 0)} ms)` : '-',
      original: `${round(footprint.python.coldInitMs, 0)} ms`,
      ratio: footprint.coldInitRatio,
      target: `bundles < ${Math.round(footprint.budgetBytes / 1000)} kB`,
      met: footprint.functions.every((f) => f.withinBudget && f.reachedFirstRequest),
    },
    ...(fleet === undefined ? [] : [fleetSummary(fleet)]),
  ];
}

function fleetSummary(fleet: FleetStatusResult): SummaryLine {
  const { parallel, sequential } = fleet;
  const most = Math.max(
    parallel.maxConcurrentRdsRequestsPerAccount,
    sequential.maxConcurrentRdsRequestsPerAccount,
  );
  return {
    comparison: `status --organization, ${parallel.accounts} accounts x ${parallel.regions} regions x ${parallel.clustersPerRegion} clusters (simulated latency)`,
    ours: `${round(parallel.elapsedSeconds, 1)} s (${parallel.accountsInParallel} accounts at once)`,
    original: `accounts one after another: ${hours(sequential.elapsedSeconds)}`,
    ratio: fleet.speedUp,
    target: `< ${fleet.targetSeconds} s, <= ${parallel.rdsRequestsPerAccountLimit} RDS requests in flight per account (most: ${most})`,
    met: fleet.met,
  };
}

function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const fmt = (value: number | undefined, digits = 1) =>
  value === undefined ? '-' : round(value, digits).toString();
const mark = (met: boolean | undefined) => (met === undefined ? '' : met ? 'met' : 'NOT MET');

export function formatTables(results: BenchResults): string {
  const { apiCalls, recoveryPoint: rp, plannerScale: planner, footprint } = results;
  const out: string[] = [];
  out.push('1. API calls per pass (take + share + delete), counted at the proxy in front of moto');
  out.push(`   paging: ${apiCalls.pagingMethod}`);
  out.push(
    table(
      [
        'clusters',
        'snapshots',
        'pages',
        'ours list',
        'ours tags',
        'ours total',
        'orig list',
        'orig tags',
        'orig total',
        'orig/ours',
      ],
      apiCalls.rows.map((r) => [
        r.clusters,
        r.snapshots,
        r.pagesPerListing,
        r.ours.listing,
        r.ours.tags,
        r.ours.total,
        r.original.listing,
        r.original.tags,
        r.original.total,
        `${fmt(r.ratio)}x`,
      ]),
    ),
  );
  out.push('');
  const lag = results.orchestrationCost.copyLag;
  out.push('2. Recovery point: snapshot available -> destination copy started (virtual time)');
  out.push(
    table(
      ['', 'worst', 'mean', 'runs / samples'],
      [
        [
          `ours, event-driven: RDS-EVENT-0075 delivered after ${lag.eventDeliverySeconds} s`,
          `${fmt(lag.eventDriven.worstSeconds)} s`,
          `${fmt(lag.eventDriven.meanSeconds)} s`,
          lag.eventDriven.samples,
        ],
        [
          'ours, event-driven: every event lost (next scheduled run)',
          hours(lag.eventsLost.worstSeconds),
          hours(lag.eventsLost.meanSeconds),
          lag.eventsLost.samples,
        ],
        [
          `polling design (${rp.polling.definition}, poll ${rp.polling.pollSeconds} s)`,
          `${fmt(rp.polling.worstSeconds)} s`,
          `${fmt(rp.polling.meanSeconds)} s`,
          rp.polling.runs.length,
        ],
        [
          `original (share every ${rp.original.shareEveryMinutes} min, copy every ${rp.original.copyEveryMinutes} min)`,
          `${fmt(rp.original.worstSeconds / 60)} min`,
          `${fmt(rp.original.meanSeconds / 60)} min`,
          rp.original.samples,
        ],
      ],
    ),
  );
  out.push('');
  out.push('3. Planner scale (pure planSource, all phases; fresh process per size)');
  out.push(
    table(
      [
        'snapshots',
        'clusters',
        'median ms',
        'CPU ms',
        'us/snapshot',
        'growth k',
        'obs heap MB',
        'plan heap MB',
        'rss MB',
      ],
      planner.rows.map((r) => [
        r.snapshots,
        r.clusters,
        fmt(r.medianMs),
        fmt(r.medianCpuMs),
        fmt(r.microsPerSnapshot, 2),
        fmt(r.growthFromPrevious, 2),
        fmt(r.observationHeapMB),
        fmt(r.planHeapDeltaMB),
        fmt(r.rssMB, 0),
      ]),
    ),
  );
  out.push('');
  out.push(`4. Lambda footprint (median of ${footprint.runs} fresh processes each)`);
  out.push(
    table(
      ['function', 'index.mjs KiB', 'zip KiB', 'import ms', 'cold init ms'],
      [
        ...footprint.functions.map((f) => [
          f.functionName,
          fmt(f.bundleBytes / 1024),
          fmt(f.zipBytes / 1024),
          fmt(f.importMs, 0),
          `${fmt(f.coldInitMs, 0)}${f.reachedFirstRequest ? '' : ' (no request)'}`,
        ]),
        [
          `python original (boto3 ${footprint.python.boto3Version})`,
          '-',
          '-',
          '-',
          fmt(footprint.python.coldInitMs, 0),
        ],
        [
          `bare node ${footprint.node.version} (node -e 0)`,
          '-',
          '-',
          '-',
          fmt(footprint.node.bareStartMs, 0),
        ],
        [
          `bare python ${footprint.python.version} (-c pass)`,
          '-',
          '-',
          '-',
          fmt(footprint.python.bareStartMs, 0),
        ],
      ],
    ),
  );
  out.push('');
  out.push('Summary');
  out.push(
    table(
      ['comparison', 'ours', 'compared with', 'ratio', 'target', ''],
      results.summary.map((s) => [
        s.comparison,
        s.ours,
        s.original,
        s.ratio === undefined ? '-' : `${fmt(s.ratio)}x`,
        s.target,
        mark(s.met),
      ]),
    ),
  );
  if (results.passSize) {
    out.push('');
    out.push(
      `5. A source pass (take, then delete) of the real handlers, in a fresh process; functions get ${results.passSize.functionMemoryMB} MB`,
    );
    out.push(
      table(
        ['snapshots', 'clusters', 'RDS pages', 'take ms', 'delete ms', 'peak RSS MB', 'heap MB'],
        results.passSize.rows.map((r) => [
          String(r.snapshots),
          String(r.clusters),
          String(r.pages),
          r.takeMs.toFixed(0),
          r.deleteMs.toFixed(0),
          r.maxRssMB.toFixed(0),
          r.heapUsedMB.toFixed(0),
        ]),
      ),
    );
  }
  out.push('');
  out.push(...orchestrationTables(results.orchestrationCost));
  if (results.fleetStatus) {
    out.push('');
    out.push(...fleetStatusTable(results.fleetStatus));
  }
  return out.join('\n');
}

/** Comparison 7: `status --organization` with accounts in parallel, and one account after another. */
export function fleetStatusTable(fleet: FleetStatusResult): string[] {
  const p = fleet.parallel;
  const latency = Object.entries(p.latencyMs)
    .map(([call, ms]) => `${call} ${ms} ms`)
    .join(', ');
  const row = (name: string, run: FleetBenchResult) => [
    name,
    run.accountsInParallel,
    `${fmt(run.elapsedSeconds, 2)} s`,
    run.rdsRequestsPerAccount.min === run.rdsRequestsPerAccount.max
      ? String(run.rdsRequestsPerAccount.max)
      : `${run.rdsRequestsPerAccount.min}-${run.rdsRequestsPerAccount.max}`,
    `${run.maxConcurrentRdsRequestsPerAccount} (limit ${run.rdsRequestsPerAccountLimit})`,
    run.vaultRdsRequests,
    run.assumeRoleCalls,
    run.protectedClusters,
    run.unprotectedClusters,
    run.failingClusters,
    run.placesUnread,
  ];
  return [
    `7. status --organization: ${p.accounts} accounts x ${p.regions} regions x ${p.clustersPerRegion} clusters, ` +
      `${p.snapshotsPerMemberRegion} snapshots in a member's busiest region, ${p.vaultSnapshots} in the vault; in memory, simulated latency`,
    `   latency per request (not measured against AWS): ${latency}`,
    table(
      [
        'reader',
        'accounts at once',
        'elapsed',
        'RDS requests / account',
        'most in flight / account',
        'vault RDS requests',
        'AssumeRole',
        'protected',
        'unprotected',
        'failing',
        'unread',
      ],
      [row('parallel (default)', fleet.parallel), row('one account after another', fleet.sequential)],
    ),
    `    sequential / parallel: ${fmt(fleet.speedUp, 2)}x; target < ${fleet.targetSeconds} s within each account's budget: ${mark(fleet.met)}`,
  ];
}

function designRow(workload: string, design: string, f: DesignFigures, ratio: string): string[] {
  return [
    workload,
    design,
    usd(f.usdPerClusterMonth),
    fmt(f.transitions, 0),
    fmt(f.invocations, 0),
    fmt(f.lambdaGbSeconds, 0),
    fmt(f.schedulerInvocations, 0),
    fmt(f.eventBridgeEvents, 0),
    fmt(f.perRun.transitions, 1),
    usd(f.perRun.usd),
    ratio,
  ];
}

/** Comparison 6: orchestration per cluster-month, copy lag, and the policy's own charges beside. */
export function orchestrationTables(o: OrchestrationCostResult): string[] {
  const out: string[] = [];
  out.push(
    `6. Orchestration per cluster-month (${o.daysPerMonth} days): the real definitions and handlers on a virtual clock; ` +
      `current = ${o.definitions.current}, event-driven = ${o.definitions.eventDriven}`,
  );
  out.push(
    `   list prices ${o.prices.region}, written ${o.prices.writtenOn} (bench/prices.ts), not re-read on the network; free tiers not applied`,
  );
  if (!o.definitions.eventDrivenHandlesTrigger) {
    out.push(
      '   NOTE: the event-driven source definition does not act on Trigger yet: no event was delivered',
    );
  }
  out.push(
    table(
      [
        'workload',
        'design',
        '$/month',
        'transitions',
        'invocations',
        'GB-s',
        'scheduler',
        'events',
        'transitions/run',
        '$/run',
        'current/event',
      ],
      o.workloads.flatMap((w) => [
        designRow(w.name, 'current (polling)', w.current, ''),
        designRow('', 'event-driven', w.eventDriven, `${fmt(w.ratio)}x`),
      ]),
    ),
  );
  out.push('');
  out.push(`6b. Copy lag, ${o.copyLag.workload}: snapshot available -> CopyDBClusterSnapshot (virtual time)`);
  out.push(
    table(
      ['design', 'median', 'mean', 'worst', 'samples'],
      [
        ['current (polling)', o.copyLag.current] as const,
        [
          `event-driven, events delivered after ${o.copyLag.eventDeliverySeconds} s`,
          o.copyLag.eventDriven,
        ] as const,
        ['event-driven, every event lost', o.copyLag.eventsLost] as const,
      ].map(([name, lag]) => [
        name,
        hours(lag.medianSeconds),
        hours(lag.meanSeconds),
        hours(lag.worstSeconds),
        lag.samples,
      ]),
    ),
  );
  out.push(
    `    worst with every event lost, per workload: ${o.workloads
      .map((w) => `${w.id}: ${hours(w.eventsLost.worstSeconds)} (period ${hours(w.schedulePeriodSeconds)})`)
      .join(', ')}`,
  );
  out.push('');
  out.push("6c. The same policy's own charges per month (the same for both designs), and AWS Backup's");
  out.push(
    table(
      [
        'workload',
        'copy to other regions',
        'storage',
        'AWS Backup: orchestration',
        'AWS Backup: copy + storage',
        'tool: orchestration (event-driven)',
        'orchestration share',
      ],
      o.workloads.map((w) => {
        const policy = w.policyCharges.crossRegionCopyUsdPerMonth + w.policyCharges.storageUsdPerMonth;
        const backup = w.awsBackup.crossRegionCopyUsdPerMonth + w.awsBackup.storageUsdPerMonth;
        return [
          w.name,
          usd(w.policyCharges.crossRegionCopyUsdPerMonth),
          usd(w.policyCharges.storageUsdPerMonth),
          usd(w.awsBackup.orchestrationUsdPerMonth),
          usd(backup),
          usd(w.eventDriven.usdPerClusterMonth),
          `${((100 * w.eventDriven.usdPerClusterMonth) / (policy + w.eventDriven.usdPerClusterMonth)).toPrecision(2)}%`,
        ];
      }),
    ),
  );
  const goals = Object.values(o.goals).map((g) => `${g.target}: ${fmt(g.figure, 4)} ${mark(g.met)}`);
  out.push(`    goals: ${goals.join('; ')}`);
  return out;
}
