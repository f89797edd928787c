// Smoke run of `npm run bench` at its smallest sizes, through the same code, so the benchmarks cannot rot: structural facts only, never timings.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageOf, splitListing } from '../../bench/paging-layer.js';
import { ORIGINAL_COPY_EVERY_MINUTES, originalDelayMinutes } from '../../bench/recovery-point.js';
import type { BenchResults } from '../../bench/report.js';
import {
  parseBenchArgs,
  QUICK_OPTIONS,
  RESULTS_PATH,
  readResults,
  runBench,
  withFleetStatus,
  writeResults,
} from '../../bench/run.js';
import { VirtualScheduler } from '../../bench/virtual-scheduler.js';
import { retryDelayMs, waitSecondsOf } from '../../bench/virtual-time.js';
import { ACCOUNTS_IN_PARALLEL, RDS_REQUESTS_PER_ACCOUNT } from '../../src/aws/fleet-reader.js';
import { ManualClock } from '../support/manual-clock.js';

describe('paging layer', () => {
  const xml =
    '<R><DescribeDBClusterSnapshotsResult><DBClusterSnapshots>' +
    ['a', 'b', 'c']
      .map(
        (id) =>
          `<DBClusterSnapshot><DBClusterSnapshotIdentifier>${id}</DBClusterSnapshotIdentifier></DBClusterSnapshot>`,
      )
      .join('') +
    '</DBClusterSnapshots></DescribeDBClusterSnapshotsResult></R>';

  it('splits a listing into its members without mistaking their children for members', () => {
    // Act
    const listing = splitListing(xml, 'DBClusterSnapshots', 'DBClusterSnapshot');

    // Assess
    expect(listing?.items).toHaveLength(3);
    expect(listing?.items[1]).toContain('>b<');
  });

  it('serves a page with a Marker inside the Result element only when items remain', () => {
    // Prepare
    const listing = splitListing(xml, 'DBClusterSnapshots', 'DBClusterSnapshot');
    if (!listing) throw new Error('no listing');

    // Act
    const first = pageOf(listing, 0, 2, 'next.2');
    const last = pageOf(listing, 2, 2, undefined);

    // Assess
    expect(first).toContain('<DescribeDBClusterSnapshotsResult><Marker>next.2</Marker>');
    expect(first.match(/<DBClusterSnapshot>/g)).toHaveLength(2);
    expect(last).not.toContain('<Marker>');
    expect(last.match(/<DBClusterSnapshot>/g)).toHaveLength(1);
  });
});

describe('virtual clock and the original schedules', () => {
  it('waits before retry n as IntervalSeconds x BackoffRate^(n-1), capped by MaxDelaySeconds', () => {
    // Act
    const delays = [1, 2, 3, 4].map((n) =>
      retryDelayMs({ IntervalSeconds: 10, BackoffRate: 2, MaxDelaySeconds: 50 }, n),
    );

    // Assess
    expect(delays).toEqual([10_000, 20_000, 40_000, 50_000]);
  });

  it("waits a Wait state's SecondsPath from the state's input, and refuses a value Step Functions would refuse", () => {
    // Prepare
    const wait = { Type: 'Wait', SecondsPath: '$.share.checkAfterSeconds' };

    // Act
    const seconds = waitSecondsOf('WaitForCopies', wait, { share: { checkAfterSeconds: 7950 } });

    // Assess
    expect(seconds).toBe(7950);
    expect(() => waitSecondsOf('WaitForCopies', wait, { share: { checkAfterSeconds: 1.5 } })).toThrow(
      /WaitForCopies: \$\.share\.checkAfterSeconds is 1\.5/,
    );
    expect(() => waitSecondsOf('WaitForCopies', wait, {})).toThrow(/is undefined/);
  });

  it('runs overlapping tasks on one virtual clock, each woken at its own virtual time, in time order', async () => {
    // Prepare: two tasks that sleep in turns, and a timer between their wake-ups
    const clock = new ManualClock('2026-01-05T00:00:00Z');
    const scheduler = new VirtualScheduler(clock);
    const seen: string[] = [];
    const at = () => (clock.now().getTime() - Date.parse('2026-01-05T00:00:00Z')) / 1000;
    const task = (name: string, sleeps: readonly number[]) => async () => {
      for (const seconds of sleeps) {
        await scheduler.sleep(seconds * 1000);
        seen.push(`${name}@${at()}`);
      }
    };

    // Act
    scheduler.spawn(task('a', [10, 30]));
    scheduler.spawn(task('b', [20, 5]));
    scheduler.at(Date.parse('2026-01-05T00:00:15Z'), () => seen.push(`timer@${at()}`));
    await scheduler.run();

    // Assess
    expect(seen).toEqual(['a@10', 'timer@15', 'b@20', 'b@25', 'a@40']);
  });

  it('waits for the next share run, then for the next copy run after it', () => {
    // Act: available at minute 1, schedules on the hour: shared at 10, copied at 30.
    const delay = originalDelayMinutes(1, 0, 0);
    // Just after a share run, and the copy run just before the next share: almost both periods.
    const worst = originalDelayMinutes(0.01, 0, 9.99);

    // Assess
    expect(delay).toBe(29);
    expect(worst).toBeCloseTo(10 + ORIGINAL_COPY_EVERY_MINUTES - 0.02, 5);
  });
});

describe('npm run bench, smallest sizes', () => {
  let results: BenchResults;

  beforeAll(async () => {
    results = await runBench(QUICK_OPTIONS);
  }, 240_000);

  it('counts no tag call and one listing page per 100 snapshots for each of our functions', () => {
    // Assess
    expect(results.apiCalls.rows.length).toBeGreaterThan(0);
    for (const row of results.apiCalls.rows) {
      const pages = Math.ceil(row.snapshots / 100);
      expect(row.ours.tags).toBe(0);
      for (const fn of ['take', 'share', 'delete']) {
        expect(row.ours.byFunction[fn]?.['us-east-1:DescribeDBClusterSnapshots']).toBe(pages);
      }
    }
    // A listing of more than 100 snapshots was served in pages.
    expect(results.apiCalls.rows.some((row) => row.ours.listing > 3)).toBe(true);
  });

  it("counts one tag call per snapshot in each of the original model's functions, on top of its paged listings", () => {
    // Assess
    for (const row of results.apiCalls.rows) {
      const pages = Math.ceil(row.snapshots / 100);
      expect(row.original.tags).toBe(3 * row.snapshots);
      expect(row.original.listing).toBe(3 * pages);
      // Plus one page of clusters for take: 274 calls at 90 snapshots, as measured for the original.
      expect(row.original.total).toBe(1 + 3 * (pages + row.snapshots));
      expect(row.ratio).toBeGreaterThan(1);
    }
  });

  it('starts the copy within one poll of the snapshot becoming available in the polling design, however long it was creating', () => {
    // Assess
    const { polling, original } = results.recoveryPoint;
    expect(polling.definition).toBe('bench/baseline/polling-source.asl.json');
    expect(polling.runs.length).toBeGreaterThan(0);
    for (const run of polling.runs) {
      expect(run.status).toBe('SUCCEEDED');
      expect(run.delaySeconds).toBeGreaterThanOrEqual(0);
      expect(run.delaySeconds).toBeLessThanOrEqual(polling.pollSeconds);
    }
    const worstCase = polling.runs.filter((run) => run.kind === 'worst-case');
    expect(worstCase.map((run) => run.pollsCreating)).toEqual(QUICK_OPTIONS.recovery?.worstCasePolls);
    expect(original.worstSeconds).toBeLessThanOrEqual(original.boundSeconds);
    expect(original.worstSeconds).toBeGreaterThan(polling.worstSeconds);
  });

  it('prices the three workloads under both designs, with the figures bench/results.json promises under orchestrationCost', () => {
    // Assess: the shape the issue names, each figure a finite positive number
    const { workloads, definitions } = results.orchestrationCost;
    expect(definitions.eventDrivenHandlesTrigger).toBe(true);
    expect(workloads.map((w) => w.name.slice(0, 3))).toEqual(['(a)', '(b)', '(c)']);
    for (const w of workloads) {
      for (const design of [w.current, w.eventDriven]) {
        for (const figure of [design.usdPerClusterMonth, design.transitions, design.invocations]) {
          expect(Number.isFinite(figure)).toBe(true);
          expect(figure).toBeGreaterThan(0);
        }
        expect(design.lambdaGbSeconds).toBeGreaterThan(0);
        expect(design.schedulerInvocations).toBeGreaterThan(0);
        expect(Number.isFinite(design.eventBridgeEvents)).toBe(true);
        expect(design.perRun.transitions).toBeGreaterThan(0);
      }
      // The polling design has no rule: no event reaches it; every new snapshot's event starts the event-driven one.
      expect(w.current.eventBridgeEvents).toBe(0);
      expect(w.eventDriven.eventBridgeEvents).toBeGreaterThan(0);
      expect(w.ratio).toBeGreaterThan(0);
      expect(w.policyCharges.crossRegionCopyUsdPerMonth).toBeGreaterThan(0);
      expect(w.policyCharges.storageUsdPerMonth).toBeGreaterThan(0);
      expect(w.awsBackup.orchestrationUsdPerMonth).toBe(0);
    }
    // (b) counts the destination regions' jobs and the vault's beside the source's.
    expect(workloads[1]?.jobs).toEqual([
      'source',
      'destination us-west-2',
      'destination eu-west-1',
      'vault 999988887777 eu-west-1',
    ]);
    expect(Object.keys(workloads[1]?.eventDriven.byJob ?? {})).toEqual(workloads[1]?.jobs);
  });

  it('measures the copy lag with events and with every event lost, and writes every figure as a number', () => {
    // Assess
    const { copyLag, goals } = results.orchestrationCost;
    for (const figure of [
      copyLag.current.medianSeconds,
      copyLag.eventDriven.medianSeconds,
      copyLag.eventDriven.worstSeconds,
      copyLag.eventsLost.worstSeconds,
    ]) {
      expect(Number.isFinite(figure)).toBe(true);
      expect(figure).toBeGreaterThan(0);
    }
    expect(copyLag.eventDriven.samples).toBeGreaterThanOrEqual(QUICK_OPTIONS.orchestration?.lagRuns ?? 0);
    for (const goal of Object.values(goals)) expect(typeof goal.met).toBe('boolean');
    // NaN or Infinity would be written as null to bench/results.json.
    expect(JSON.stringify(results.orchestrationCost)).not.toContain('null');
  });

  it('measures the planner with a GFS policy at the largest size up to the target, against the same target', () => {
    // Assess
    const { gfs, target } = results.plannerScale;
    const largest = Math.max(
      ...(QUICK_OPTIONS.plannerSizes ?? []).map((s) => s.snapshots).filter((n) => n <= target.snapshots),
    );
    expect(gfs?.maxMs).toBe(target.maxMs);
    expect(gfs?.medianMs).toBeGreaterThan(0);
    expect(gfs?.medianCpuMs).toBeGreaterThan(0);
    for (const row of results.plannerScale.rows) expect(row.medianCpuMs).toBeGreaterThan(0);
    // The worker counts backups and DR copies, as for the other sizes.
    expect(gfs?.snapshots).toBeGreaterThanOrEqual(largest);
    expect(results.summary.map((line) => line.comparison)).toContain(
      `Planner with a GFS policy, ${(gfs?.snapshots ?? 0).toLocaleString('en-US')} snapshots`,
    );
  });

  it('plans every size of the planner benchmark with actions, and reports the growth between sizes', () => {
    // Assess
    const rows = results.plannerScale.rows;
    expect(rows.map((row) => row.snapshots)).toEqual(
      QUICK_OPTIONS.plannerSizes?.map((size) => size.snapshots),
    );
    for (const row of rows) {
      expect(row.actions).toBeGreaterThan(0);
      expect(row.planMs.length).toBeGreaterThan(0);
      expect(row.observationHeapMB).toBeGreaterThan(0);
    }
    expect(rows[0]?.growthFromPrevious).toBeUndefined();
    expect(rows[1]?.growthFromPrevious).toEqual(expect.any(Number));
  });

  it('measures each bundle within budget, reaching its first AWS request, next to the Python original', () => {
    // Assess
    const { footprint } = results;
    expect(footprint.functions.map((f) => f.functionName)).toEqual(QUICK_OPTIONS.footprint?.functions);
    for (const f of footprint.functions) {
      expect(f.withinBudget).toBe(true);
      expect(f.reachedFirstRequest).toBe(true);
      expect(f.zipBytes).toBeLessThan(f.bundleBytes);
    }
    expect(footprint.python.coldInitMs).toBeGreaterThan(0);
    // API calls, four recovery-point and copy-lag lines, orchestration, three planner lines, cold init, fleet status.
    expect(results.summary).toHaveLength(11);
  });

  it('reports every cluster of the simulated organization, read in parallel and one account after another, within the RDS budget of each account', () => {
    // Assess
    const size = QUICK_OPTIONS.fleetStatus;
    const fleet = results.fleetStatus;
    if (size?.accounts === undefined || size.regions === undefined || size.clustersPerRegion === undefined)
      throw new Error('QUICK_OPTIONS.fleetStatus names no size');
    if (fleet === undefined) throw new Error('no fleetStatus in the results');
    const clusters = size.accounts * size.regions * size.clustersPerRegion;
    expect(fleet.parallel.accountsInParallel).toBe(ACCOUNTS_IN_PARALLEL);
    expect(fleet.sequential.accountsInParallel).toBe(1);
    for (const run of [fleet.parallel, fleet.sequential]) {
      expect([run.accounts, run.regions, run.clustersPerRegion]).toEqual([
        size.accounts,
        size.regions,
        size.clustersPerRegion,
      ]);
      expect(run.protectedClusters + run.unprotectedClusters).toBe(clusters);
      // One cluster in ten has no backup tag: named, not ignored.
      expect(run.unprotectedClusters).toBe(clusters / 10);
      // The estate is healthy and every place is read.
      expect(run.failingClusters).toBe(0);
      expect(run.placesUnread).toBe(0);
      expect(run.rdsRequestsPerAccountLimit).toBe(RDS_REQUESTS_PER_ACCOUNT);
      // Each member reads more regions' listings than the limit lets run at once, so the limit binds.
      expect(run.maxConcurrentRdsRequestsPerAccount).toBeGreaterThan(1);
      expect(run.maxConcurrentRdsRequestsPerAccount).toBeLessThanOrEqual(run.rdsRequestsPerAccountLimit);
      expect(run.rdsRequestsPerAccount.min).toBeGreaterThan(run.rdsRequestsPerAccountLimit);
    }
    expect(fleet.withinBudget).toBe(true);
    expect(Number.isFinite(fleet.speedUp)).toBe(true);
    expect(fleet.speedUp).toBeGreaterThan(0);
    expect(results.summary.at(-1)?.comparison).toBe(
      `status --organization, ${size.accounts} accounts x ${size.regions} regions x ${size.clustersPerRegion} clusters (simulated latency)`,
    );
  });

  it('writes fleetStatus into the results file, and merges a new one into it keeping the other comparisons', async () => {
    // Prepare: a results file written before the fleet comparison existed
    const dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    const path = join(dir, 'results.json');
    const { fleetStatus, ...older } = results;
    if (fleetStatus === undefined) throw new Error('no fleetStatus in the results');
    try {
      await writeResults(path, { ...older, summary: older.summary.slice(0, -1) });

      // Act
      await writeResults(path, withFleetStatus(await readResults(path), fleetStatus));
      const written = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

      // Assess
      expect(written.fleetStatus).toEqual(JSON.parse(JSON.stringify(fleetStatus)));
      expect(written.apiCalls).toEqual(JSON.parse(JSON.stringify(results.apiCalls)));
      expect(written.date).toBe(results.date);
      expect(written.summary).toEqual(JSON.parse(JSON.stringify(results.summary)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run bench, its command line', () => {
  it('runs one comparison alone with --only, writing into bench/results.json unless --quick', () => {
    // Act
    const full = parseBenchArgs(['--only', 'fleetStatus']);
    const quick = parseBenchArgs(['--quick', '--only', 'fleetStatus']);

    // Assess
    expect(full).toEqual({ quick: false, out: RESULTS_PATH, only: 'fleetStatus' });
    expect(quick).toEqual({ quick: true, out: undefined, only: 'fleetStatus' });
  });

  it('refuses a comparison that does not run alone, and a missing value, naming what it accepts', () => {
    // Act and assess
    expect(() => parseBenchArgs(['--only', 'planner'])).toThrow(
      '--only "planner" is not a comparison that runs alone; accepted: fleetStatus',
    );
    expect(() => parseBenchArgs(['--out'])).toThrow('--out needs a value: a file path');
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument "--fast"; accepted: --quick/);
  });

  it('refuses to merge into a results file that cannot be read, before running anything', async () => {
    // Act and assess
    await expect(readResults('/nonexistent/results.json')).rejects.toThrow(
      '--only merges into /nonexistent/results.json, which cannot be read: run the whole bench once first',
    );
  });
});
