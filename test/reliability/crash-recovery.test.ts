// A run killed right after each kind of AWS mutation: the next runs converge to the state of a run that was never interrupted, with no duplicate snapshot and no orphaned copy.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/tags.js';
import { runCli } from '../support/cli.js';
import { type CrashProxy, crashingCliRun, startCrashProxy } from './support/crash-proxy.js';
import { DAY, HOUR, type Rig, type Summary, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const OTHER_ACCOUNT = '222233334444';
const T0 = Date.parse('2026-04-01T00:00:00Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(T0 + ms).toISOString();
/** Six scheduled runs build a history with something to take, copy, share and expire at every run. */
const WARM_UP = [0, 8, 16, 24, 32, 40].map((h) => at(h * HOUR));
const CRASH_AT = at(2 * DAY);
const AFTER = [at(2 * DAY + 5 * MINUTE), at(2 * DAY + 10 * MINUTE)];
const CHECK_AT = at(2 * DAY + 15 * MINUTE);

const dir = mkdtempSync(join(tmpdir(), 'ast-crash-'));
const CONFIG = join(dir, 'tool.yaml');
writeFileSync(
  CONFIG,
  `Source:
  Region: ${SRC}
  ClusterNamePattern: ^orders-db$
  BackupInterval: 8
  BackupSchedule: "0 0,8,16 * * ? *"
  RetentionDays: 1
  DeleteOldSnapshots: TRUE
  ShareSnapshots: TRUE
  DestinationRegion: ${DST}
  DestinationAccount: "${OTHER_ACCOUNT}"
Destination:
  Region: ${DST}
  SnapshotPattern: ^orders-db$
  RetentionDays: 2
`,
);

interface EndState {
  readonly source: Summary[];
  readonly destination: Summary[];
  /** What the other account sees shared with it in the destination region. */
  readonly sharedWithOther: string[];
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

async function endState(): Promise<EndState> {
  const shared = await rig.estate.as(OTHER_ACCOUNT).snapshots(DST, 'shared');
  return {
    source: await summaries(rig.estate, SRC),
    destination: await summaries(rig.estate, DST),
    sharedWithOther: shared.map((s) => s.DBClusterSnapshotArn ?? '').sort(),
  };
}

/** The runs after the crash, then the plan that must be empty once they converged. */
async function recoverAndPlan(): Promise<{ actions: unknown[] }> {
  for (const now of AFTER) await pass(now);
  const plan = await runCli(['plan', '--config', CONFIG, '--now', CHECK_AT, '--json'], rig.env);
  expect(plan.code, plan.stderr).toBe(0);
  const parsed = JSON.parse(plan.stdout) as {
    source: { actions: unknown[] };
    destination: { actions: unknown[] };
  };
  return { actions: [...parsed.source.actions, ...parsed.destination.actions] };
}

/** A run at CRASH_AT that the crash proxy kills right after `action` reached AWS. */
function crashingRun(action: string) {
  return crashingCliRun(crashProxy, action, ['run', '--config', CONFIG, '--now', CRASH_AT], rig.env);
}

beforeAll(async () => {
  rig = await startRig({ seed: 4 });
  crashProxy = await startCrashProxy(rig.proxy.endpoint);
  // The reference: the same runs, none interrupted.
  await prepare();
  await pass(CRASH_AT);
  const plan = await recoverAndPlan();
  expect(plan.actions).toEqual([]);
  reference = await endState();
}, 120_000);

afterAll(async () => {
  await crashProxy?.stop();
  await rig?.stop();
});

describe('a run killed right after a mutation', () => {
  it('the reference history takes, copies, shares and expires at every run', () => {
    // Assess: the scenario exercises every mutation the crashes target.
    const backups = reference.source.filter((s) => s.tags[TAG.Purpose] === 'backup');
    const copies = reference.destination.filter((s) => s.tags[TAG.CopiedBy] === TOOL_TAG_VALUE);
    expect(backups.length).toBeGreaterThanOrEqual(3);
    expect(backups.length).toBeLessThan(WARM_UP.length + 1);
    expect(copies.length).toBeGreaterThan(backups.length);
    expect(reference.sharedWithOther).toHaveLength(copies.length);
  });

  it.each([
    'CreateDBClusterSnapshot',
    'CopyDBClusterSnapshot',
    'ModifyDBClusterSnapshotAttribute',
    'AddTagsToResource',
    'DeleteDBClusterSnapshot',
  ])('after %s, the next runs converge with no duplicate snapshot and no orphaned copy', async (action) => {
    // Prepare
    await prepare();
    const before = rig.proxy.total(action);

    // Act
    const crash = await crashingRun(action);
    const mutated = rig.proxy.total(action) - before;
    const plan = await recoverAndPlan();
    const state = await endState();

    // Assess: the process died right after the one mutation reached AWS.
    expect(crashProxy.crashed(), crash.stderr).toBe(true);
    expect(crash.signal).toBe('SIGKILL');
    expect(mutated).toBe(1);
    expect(crashProxy.afterCrash()).toBe(0);
    // The next runs converge: nothing left to do, the same state as an uninterrupted history.
    expect(plan.actions).toEqual([]);
    expect(state).toEqual(reference);
    // No duplicate: one backup per scheduled slot.
    const slots = state.source
      .filter((s) => s.tags[TAG.Purpose] === 'backup')
      .map((s) => s.tags[TAG.PointInTime]);
    expect(new Set(slots).size).toBe(slots.length);
    // No orphaned copy: each is the tool's, names its source, and no source has two.
    const sources = state.destination.map((s) => s.tags[TAG.SourceSnapshot]);
    for (const copy of state.destination) {
      expect(copy.tags[TAG.CopiedBy], copy.id).toBe(TOOL_TAG_VALUE);
      expect(copy.tags[TAG.SourceSnapshot], copy.id).toMatch(
        /^arn:aws:rds:us-east-1:\d{12}:cluster-snapshot:/,
      );
    }
    expect(new Set(sources).size).toBe(sources.length);
  });
});
