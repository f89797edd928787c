/**
 * Comparison 4, Lambda footprint: each bundle's size (from the packaging script) and its cold init, a
 * fresh `node` process that imports the bundle and runs its handler up to the moment its SDK clients
 * are built and the first AWS request starts (where it exits), against the Python original's
 * `import boto3; boto3.client('rds', ...)` in a fresh `python3`. Medians of repeated runs, same machine,
 * same run, with each runtime's bare start-up alongside.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import yauzl from 'yauzl';
import { BUNDLE_BUDGET_BYTES, type PackagedFunction, packageFunctions } from '../scripts/package.js';
import {
  ALL_FUNCTIONS,
  DRILL_FUNCTIONS,
  type FunctionName,
  SOURCE_FUNCTIONS,
} from '../src/handlers/names.js';
import { median } from './stats.js';

export interface FootprintOptions {
  /** Runs per measurement (the median is reported). @default 10 */
  readonly runs?: number;
  /** Functions whose cold init is measured. @default all six */
  readonly functions?: readonly FunctionName[];
  readonly log?: (message: string) => void;
}

export interface FunctionFootprint {
  readonly functionName: FunctionName;
  readonly bundleBytes: number;
  readonly zipBytes: number;
  readonly withinBudget: boolean;
  /** Median ms of a process that only imports the bundle (Lambda's INIT phase for our handlers). */
  readonly importMs: number;
  /** Median ms of a process that imports the bundle and runs the handler until its first AWS request starts. */
  readonly coldInitMs: number;
  /** Every run reached the first request (the clients were built). */
  readonly reachedFirstRequest: boolean;
}

export interface FootprintResult {
  readonly runs: number;
  readonly budgetBytes: number;
  readonly functions: readonly FunctionFootprint[];
  readonly node: { readonly version: string; readonly bareStartMs: number };
  readonly python: {
    readonly executable: string;
    readonly version: string;
    readonly boto3Version: string;
    readonly bareStartMs: number;
    /** Median ms of `python3 -c "import boto3; boto3.client('rds', region_name='us-east-1')"`. */
    readonly coldInitMs: number;
  };
  /** python.coldInitMs / the median of our functions' coldInitMs. */
  readonly coldInitRatio: number;
}

export const PYTHON_ORIGINAL_INIT = "import boto3; boto3.client('rds', region_name='us-east-1')";

/**
 * Imports the bundle and invokes its handler; exits 0 as soon as the first HTTP request starts (the
 * clients exist and the handler is about to talk to AWS), 3 when the handler ended without one.
 */
const COLD_INIT_SCRIPT = `
import { subscribe } from 'node:diagnostics_channel';
import { pathToFileURL } from 'node:url';
subscribe('http.client.request.start', () => process.exit(0));
const [bundle, event] = process.argv.slice(1);
const { handler } = await import(pathToFileURL(bundle).href);
try {
  await handler(JSON.parse(event));
  console.error('the handler returned without an AWS request');
} catch (error) {
  console.error('the handler failed before any AWS request: ' + (error && error.name) + ': ' + (error && error.message));
}
process.exit(3);
`;

const IMPORT_SCRIPT = `
import { pathToFileURL } from 'node:url';
await import(pathToFileURL(process.argv[1]).href);
`;

const SOURCE_CONFIG = {
  Source: {
    Region: 'us-east-1',
    ClusterNamePattern: 'orders',
    ShareSnapshots: 'TRUE',
    DestinationRegion: 'us-west-2',
    LogLevel: 'CRITICAL',
  },
};

const DESTINATION_CONFIG = {
  Destination: {
    Region: 'us-west-2',
    SnapshotPattern: 'orders',
    SourceRegion: 'us-east-1',
    SourceAccount: '111111111111',
    LogLevel: 'CRITICAL',
  },
};

const DRILL_CONFIG = {
  RestoreDrill: {
    Region: 'us-east-1',
    SnapshotPattern: 'orders',
    Schedule: '0 3 ? * SUN *',
    LogLevel: 'CRITICAL',
  },
};

/** A drill in progress: CheckRestoreDrill and RecordRestoreDrill read its target's cluster and snapshot. */
const DRILL_RUN = {
  startedAt: '2025-01-01T03:00:00.000Z',
  targets: [
    {
      clusterId: 'orders',
      region: 'us-east-1',
      snapshotId: 'orders-2025-01-01-00-00',
      snapshotArn: 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-2025-01-01-00-00',
      engine: 'aurora-postgresql',
      drillClusterId: 'orders-snapshot-tool-drill-202501010300',
      drillInstanceId: 'orders-snapshot-tool-drill-202501010300-1',
    },
  ],
};

/** An event on which each handler goes as far as its first AWS request. */
export function coldInitEvent(functionName: FunctionName): unknown {
  if ((DRILL_FUNCTIONS as readonly string[]).includes(functionName)) {
    return {
      config: DRILL_CONFIG,
      drill: DRILL_RUN,
      ...(functionName === 'RecordRestoreDrill' ? { check: { state: 'available', minutes: [12] } } : {}),
    };
  }
  if (functionName === 'CheckSnapshotStatus') {
    return {
      config: SOURCE_CONFIG,
      refs: [{ region: 'us-east-1', id: 'orders-2025-01-01-00-00' }],
      startedAt: new Date().toISOString(),
    };
  }
  return {
    config: (SOURCE_FUNCTIONS as readonly string[]).includes(functionName)
      ? SOURCE_CONFIG
      : DESTINATION_CONFIG,
  };
}

/** What a function's process sees: dummy credentials from the environment, an endpoint never reached. */
const CHILD_ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  NODE_OPTIONS: '',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_MAX_ATTEMPTS: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

interface Timed {
  readonly ms: number;
  readonly code: number;
  readonly stderr: string;
}

function timedRun(command: string, args: readonly string[]): Promise<Timed> {
  return new Promise((resolve) => {
    const start = performance.now();
    execFile(command, [...args], { env: CHILD_ENV, maxBuffer: 4 * 1024 * 1024 }, (error, _stdout, stderr) => {
      const ms = performance.now() - start;
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ ms, code, stderr: String(stderr) });
    });
  });
}

/** A command measured repeatedly; its runs are interleaved with the others' so load spikes hit all alike. */
interface Series {
  readonly command: string;
  readonly args: readonly string[];
  readonly runs: Timed[];
}

function series(command: string, args: readonly string[]): Series {
  return { command, args, runs: [] };
}

/** Runs every series `rounds` times, one run of each per round; exit code 3 (no request) is recorded, others throw. */
async function measureInRounds(all: readonly Series[], rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const s of all) {
      const timed = await timedRun(s.command, s.args);
      if (timed.code !== 0 && timed.code !== 3) {
        throw new Error(
          `${s.command} ${s.args.join(' ').slice(0, 80)} failed (${timed.code}): ${timed.stderr.trim()}`,
        );
      }
      s.runs.push(timed);
    }
  }
}

const medianMs = (s: Series): number => median(s.runs.map((t) => t.ms));

/** Reads one entry of a zip into memory. */
function readZipEntry(zipPath: string, entryName: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error(`cannot open ${zipPath}`));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entryName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => reject(new Error(`${zipPath} has no ${entryName}`)));
      zip.readEntry();
    });
  });
}

interface Python {
  /** The interpreter itself: `python3` may be a launcher script (pyenv) that would be timed too. */
  readonly executable: string;
  readonly version: string;
  readonly boto3Version: string;
}

async function findPython(): Promise<Python> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [
        '-c',
        'import sys, boto3; print(sys.executable); print(sys.version.split()[0]); print(boto3.__version__)',
      ],
      { env: { ...process.env, ...CHILD_ENV } },
      (error, stdout) => {
        if (error) {
          reject(
            new Error(
              `python3 with boto3 is needed for the original's cold init (pip install boto3): ${error.message}`,
            ),
          );
          return;
        }
        const [executable = 'python3', version = '?', boto3Version = '?'] = stdout.trim().split('\n');
        resolve({ executable, version, boto3Version });
      },
    );
  });
}

export async function runFootprint(options: FootprintOptions = {}): Promise<FootprintResult> {
  const runs = options.runs ?? 10;
  const log = options.log ?? (() => {});
  const measured = new Set<FunctionName>(options.functions ?? ALL_FUNCTIONS);
  const work = await mkdtemp(join(tmpdir(), 'aurora-snapshot-bench-'));
  try {
    log('footprint: packaging the functions');
    // Only the functions measured: the quick run (the smoke test) measures three of them.
    const packaged = await packageFunctions(join(work, 'zips'), [...measured]);
    const python = await findPython();
    const nodeBare = series(process.execPath, ['-e', '0']);
    const pythonBare = series(python.executable, ['-c', 'pass']);
    const pythonInit = series(python.executable, ['-c', PYTHON_ORIGINAL_INIT]);
    const bundles: { packaged: PackagedFunction; imported: Series; init: Series }[] = [];
    for (const p of packaged) {
      if (!measured.has(p.functionName)) continue;
      const dir = join(work, p.functionName);
      await mkdir(dir, { recursive: true });
      const bundle = join(dir, 'index.mjs');
      await writeFile(bundle, await readZipEntry(p.zipPath, 'index.mjs'));
      const event = JSON.stringify(coldInitEvent(p.functionName));
      bundles.push({
        packaged: p,
        imported: series(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT, bundle]),
        init: series(process.execPath, ['--input-type=module', '-e', COLD_INIT_SCRIPT, bundle, event]),
      });
    }
    log(
      `footprint: ${runs} rounds of cold starts (Python original, ${bundles.length} bundles, bare runtimes)`,
    );
    await measureInRounds(
      [pythonInit, ...bundles.flatMap((b) => [b.imported, b.init]), nodeBare, pythonBare],
      runs,
    );
    const functions: FunctionFootprint[] = bundles.map(({ packaged: p, imported, init }) => {
      const missed = init.runs.find((t) => t.code !== 0);
      if (missed) log(`footprint: ${p.functionName} did not reach an AWS request: ${missed.stderr.trim()}`);
      return {
        functionName: p.functionName,
        bundleBytes: p.bundleBytes,
        zipBytes: p.zipBytes,
        withinBudget: p.bundleBytes <= BUNDLE_BUDGET_BYTES,
        importMs: medianMs(imported),
        coldInitMs: medianMs(init),
        reachedFirstRequest: missed === undefined,
      };
    });
    const ourMedian = functions.length > 0 ? median(functions.map((f) => f.coldInitMs)) : Number.NaN;
    return {
      runs,
      budgetBytes: BUNDLE_BUDGET_BYTES,
      functions,
      node: { version: process.version, bareStartMs: medianMs(nodeBare) },
      python: { ...python, bareStartMs: medianMs(pythonBare), coldInitMs: medianMs(pythonInit) },
      coldInitRatio: medianMs(pythonInit) / ourMedian,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
