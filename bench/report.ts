/** The benchmark's results file (bench/results.json): its shape, the machine it ran on, and the printed tables. */
import { cpus, loadavg, type as osType, release, totalmem } from 'node:os';
import type { ApiCallsResult } from './api-calls.js';
import type { FootprintResult } from './footprint.js';
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
  readonly original: string;
  /** How many times better ours is (original / ours), where that applies. */
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

export function summarize(
  apiCalls: ApiCallsResult,
  recovery: RecoveryResult,
  planner: PlannerResult,
  footprint: FootprintResult,
): SummaryLine[] {
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
      comparison: 'Recovery point, worst case (available -> copy started)',
      ours: `${round(recovery.ours.worstSeconds, 1)} s`,
      original: `${round(recovery.original.worstSeconds / 60, 1)} min`,
      ratio: recovery.worstRatio,
      target: `< ${recovery.targetSeconds} s`,
      met: recovery.targetMet,
    },
    {
      comparison: 'Recovery point, mean',
      ours: `${round(recovery.ours.meanSeconds, 1)} s`,
      original: `${round(recovery.original.meanSeconds / 60, 1)} min`,
      ratio: recovery.meanRatio,
      target: '-',
      met: undefined,
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
  ];
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
  out.push('2. Recovery point: snapshot available -> destination copy started (virtual time)');
  out.push(
    table(
      ['', 'worst', 'mean', 'runs / samples'],
      [
        [
          `ours (state machine, poll ${rp.ours.pollSeconds} s)`,
          `${fmt(rp.ours.worstSeconds)} s`,
          `${fmt(rp.ours.meanSeconds)} s`,
          rp.ours.runs.length,
        ],
        [
          `original (share every ${rp.original.shareEveryMinutes} min, copy every ${rp.original.copyEveryMinutes} min)`,
          `${fmt(rp.original.worstSeconds / 60)} min`,
          `${fmt(rp.original.meanSeconds / 60)} min`,
          rp.original.samples,
        ],
        ['original / ours', `${fmt(rp.worstRatio)}x`, `${fmt(rp.meanRatio)}x`, ''],
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
      ['comparison', 'ours', 'original', 'orig/ours', 'target', ''],
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
  return out.join('\n');
}
