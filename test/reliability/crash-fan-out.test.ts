// A run with several destinations killed right after each mutation of the fan-out (the copy to each region, the share with each destination, the tag recording each share): the next runs converge to the state of a run that was never interrupted, with no duplicate copy and no share missing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/tags.js';
import { runCli } from '../support/cli.js';
import { type CrashProxy, crashingCliRun, startCrashProxy } from './support/crash-proxy.js';
import { HOUR, type Rig, type Summary, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const W2 = 'us-west-2';
const EU = 'eu-west-1';
const OTHER = '222233334444';
const T0 = Date.parse('2026-04-01T00:00:00Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(T0 + ms).toISOString();
const WARM_UP = [0, 8, 16, 24, 32, 40].map((h) => at(h * HOUR));
const CRASH_AT = at(48 * HOUR);
const AFTER = [at(48 * HOUR + 5 * MINUTE), at(48 * HOUR + 10 * MINUTE)];
const CHECK_AT = at(48 * HOUR + 15 * MINUTE);

const dir = mkdtempSync(join(tmpdir(), 'ast-crash-fan-'));
const CONFIG = join(dir, 'tool.yaml');
writeFileSync(
  CONFIG,
  `Source:
  Region: ${SRC}
  ClusterNamePattern: ^orders-db$
  BackupInterval: 8
  BackupSchedule: "0 0,8,16 * * ? *"
  RetentionDays: 1
  ShareSnapshots: TRUE
  Destinations:
    - Region: ${W2}
    - Region: ${EU}
      Account: "${OTHER}"
    - Region: ${SRC}
      Account: "${OTHER}"
Destination:
  Region: ${W2}
  SnapshotPattern: ^orders-db$
  RetentionDays: 2
`,
);

interface EndState {
  readonly source: Summary[];
  readonly west: Summary[];
  readonly europe: Summary[];
  /** What the other account sees shared with it, per region. */
  readonly sharedInEurope: string[];
  readonly sharedInPlace: string[];
}

let rig: Rig;
let crashProxy: CrashProxy;
let reference: EndState;

async function pass(now: string): Promise<void> {
  const result = await runCli(['run', '--config', CONFIG, '--now', now], rig.env);
  expect(result.code, `run at ${now}: ${result.stderr}`).toBe(0);
}

async function prepare(): Promise<void> {
  await rig.reset();
  await rig.estate.createCluster(SRC, 'orders-db');
  for (const now of WARM_UP) await pass(now);
}

async function shared(region: string): Promise<string[]> {
  return (await rig.estate.as(OTHER).snapshots(region, 'shared'))
    .map((s) => s.DBClusterSnapshotArn ?? '')
    .sort();
}

async function endState(): Promise<EndState> {
  return {
    source: await summaries(rig.estate, SRC),
    west: await summaries(rig.estate, W2),
    europe: await summaries(rig.estate, EU),
    sharedInEurope: await shared(EU),
    sharedInPlace: await shared(SRC),
  };
}

async function recoverAndPlan(): Promise<unknown[]> {
  for (const now of AFTER) await pass(now);
  const plan = await runCli(['plan', '--config', CONFIG, '--now', CHECK_AT, '--json'], rig.env);
  expect(plan.code, plan.stderr).toBe(0);
  const parsed = JSON.parse(plan.stdout) as {
    source: { actions: unknown[] };
    destination: { actions: unknown[] };
  };
  return [...parsed.source.actions, ...parsed.destination.actions];
}

beforeAll(async () => {
  rig = await startRig({ seed: 16 });
  crashProxy = await startCrashProxy(rig.proxy.endpoint);
  await prepare();
  await pass(CRASH_AT);
  expect(await recoverAndPlan()).toEqual([]);
  reference = await endState();
}, 120_000);

afterAll(async () => {
  await crashProxy?.stop();
  await rig?.stop();
});

describe('a run with several destinations killed right after a mutation of the fan-out', () => {
  it('the reference run copies to both regions and shares in both places', async () => {
    // Prepare: the run at CRASH_AT, counted on its own
    await prepare();
    const before = (action: string) => rig.proxy.total(action);
    const counts = ['CopyDBClusterSnapshot', 'ModifyDBClusterSnapshotAttribute', 'AddTagsToResource'].map(
      (action) => [action, before(action)] as const,
    );

    // Act
    await pass(CRASH_AT);

    // Assess: each mutation the crashes target happens at least twice in that run
    for (const [action, n] of counts) expect(rig.proxy.total(action) - n, action).toBeGreaterThanOrEqual(2);
    const copies = [...reference.west, ...reference.europe].filter(
      (s) => s.tags[TAG.CopiedBy] === TOOL_TAG_VALUE,
    );
    expect(reference.west.length).toBeGreaterThan(0);
    expect(reference.europe.length).toBeGreaterThan(0);
    expect(reference.sharedInEurope).toHaveLength(reference.europe.length);
    expect(reference.sharedInPlace.length).toBeGreaterThan(0);
    expect(copies.length).toBe(reference.west.length + reference.europe.length);
  });

  it.each([
    ['CopyDBClusterSnapshot', 1],
    ['CopyDBClusterSnapshot', 2],
    ['ModifyDBClusterSnapshotAttribute', 1],
    ['ModifyDBClusterSnapshotAttribute', 2],
    ['AddTagsToResource', 1],
    ['AddTagsToResource', 2],
  ] as const)(
    'after %s (call %i of the run), the next runs converge with no duplicate copy and every share made',
    async (action, nth) => {
      // Prepare
      await prepare();
      const before = rig.proxy.total(action);

      // Act
      const crash = await crashingCliRun(
        crashProxy,
        action,
        ['run', '--config', CONFIG, '--now', CRASH_AT],
        rig.env,
        nth,
      );
      const mutated = rig.proxy.total(action) - before;
      const plan = await recoverAndPlan();
      const state = await endState();

      // Assess
      expect(crashProxy.crashed(), crash.stderr).toBe(true);
      expect(crash.signal).toBe('SIGKILL');
      expect(mutated).toBe(nth);
      expect(crashProxy.afterCrash()).toBe(0);
      expect(plan).toEqual([]);
      expect(state).toEqual(reference);
      for (const region of [state.west, state.europe]) {
        const sources = region.map((s) => s.tags[TAG.SourceSnapshot]);
        expect(new Set(sources).size).toBe(sources.length);
      }
    },
  );
});
