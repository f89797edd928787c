/**
 * One source pass (TakeSnapshotsAurora, then DeleteOldSnapshotsAurora) of the real handlers, in a fresh
 * process, against the RDS endpoint given: prints its time and the process's peak memory as one JSON line.
 * Run by bench/pass-size.ts, which serves the snapshots.
 */
import { handler as deleteOld } from '../src/handlers/delete-old-snapshots.js';
import { handler as take } from '../src/handlers/take-snapshots.js';

export interface PassSample {
  readonly snapshots: number;
  readonly takeMs: number;
  readonly deleteMs: number;
  /** Peak resident set of the process (what Lambda's memory setting must hold). */
  readonly maxRssMB: number;
  readonly heapUsedMB: number;
}

async function main(): Promise<void> {
  const [snapshots = '0'] = process.argv.slice(2);
  const config = {
    Source: {
      Region: 'us-east-1',
      ClusterNamePattern: 'ALL_CLUSTERS',
      BackupInterval: '24',
      RetentionDays: '36500',
      LogLevel: 'ERROR',
    },
  };
  const started = performance.now();
  await take({ config });
  const taken = performance.now();
  await deleteOld({ config });
  const done = performance.now();
  const sample: PassSample = {
    snapshots: Number(snapshots),
    takeMs: taken - started,
    deleteMs: done - taken,
    // resourceUsage().maxRSS is in kilobytes.
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    heapUsedMB: process.memoryUsage().heapUsed / 2 ** 20,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
