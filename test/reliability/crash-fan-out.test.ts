// A run with several destinations killed right after each mutation of the fan-out (the copy to each region, the share with each destination, the tag recording each share): the next runs converge to the state of a run that was never interrupted, with no duplicate copy and no share missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { CRASH_AT, type CrashScenario, startCrashScenario } from './support/crash-scenario.js';
import { type Summary, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const W2 = 'us-west-2';
const EU = 'eu-west-1';
const OTHER = '222233334444';

const CONFIG = `Source:
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
`;

interface EndState {
  readonly source: Summary[];
  readonly west: Summary[];
  readonly europe: Summary[];
  /** What the other account sees shared with it, per region. */
  readonly sharedInEurope: string[];
  readonly sharedInPlace: string[];
}

let scenario: CrashScenario;
let reference: EndState;

async function shared(region: string): Promise<string[]> {
  return (await scenario.rig.estate.as(OTHER).snapshots(region, 'shared'))
    .map((s) => s.DBClusterSnapshotArn ?? '')
    .sort();
}

async function endState(): Promise<EndState> {
  const { estate } = scenario.rig;
  return {
    source: await summaries(estate, SRC),
    west: await summaries(estate, W2),
    europe: await summaries(estate, EU),
    sharedInEurope: await shared(EU),
    sharedInPlace: await shared(SRC),
  };
}

beforeAll(async () => {
  scenario = await startCrashScenario({
    seed: 16,
    async setUp(rig) {
      await rig.estate.createCluster(SRC, 'orders-db');
      return CONFIG;
    },
  });
  await scenario.prepare();
  await scenario.pass(CRASH_AT);
  expect(await scenario.recoverAndPlan()).toEqual([]);
  reference = await endState();
}, 120_000);

afterAll(async () => {
  await scenario?.stop();
});

describe('a run with several destinations killed right after a mutation of the fan-out', () => {
  it('the reference run copies to both regions and shares in both places', async () => {
    // Prepare: the run at CRASH_AT, counted on its own
    await scenario.prepare();
    const before = (action: string) => scenario.rig.proxy.total(action);
    const counts = ['CopyDBClusterSnapshot', 'ModifyDBClusterSnapshotAttribute', 'AddTagsToResource'].map(
      (action) => [action, before(action)] as const,
    );

    // Act
    await scenario.pass(CRASH_AT);

    // Assess: each mutation the crashes target happens at least twice in that run
    for (const [action, n] of counts)
      expect(scenario.rig.proxy.total(action) - n, action).toBeGreaterThanOrEqual(2);
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
      await scenario.prepare();
      const before = scenario.rig.proxy.total(action);

      // Act
      const crash = await scenario.crashingRun(action, nth);
      const mutated = scenario.rig.proxy.total(action) - before;
      const plan = await scenario.recoverAndPlan();
      const state = await endState();

      // Assess
      expect(scenario.crashProxy.crashed(), crash.stderr).toBe(true);
      expect(crash.code).not.toBe(0);
      expect(mutated).toBe(nth);
      expect(plan).toEqual([]);
      expect(state).toEqual(reference);
      for (const region of [state.west, state.europe]) {
        const sources = region.map((s) => s.tags[TAG.SourceSnapshot]);
        expect(new Set(sources).size).toBe(sources.length);
      }
    },
  );
});
