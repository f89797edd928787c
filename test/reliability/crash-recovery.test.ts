// A run killed right after each kind of AWS mutation: the next runs converge to the state of a run that was never interrupted, with no duplicate snapshot and no orphaned copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { CRASH_AT, type CrashScenario, startCrashScenario, WARM_UP } from './support/crash-scenario.js';
import { type Summary, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const OTHER_ACCOUNT = '222233334444';

const CONFIG = `Source:
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
`;

interface EndState {
  readonly source: Summary[];
  readonly destination: Summary[];
  /** What the other account sees shared with it in the destination region. */
  readonly sharedWithOther: string[];
}

let scenario: CrashScenario;
let reference: EndState;

async function endState(): Promise<EndState> {
  const { estate } = scenario.rig;
  const shared = await estate.as(OTHER_ACCOUNT).snapshots(DST, 'shared');
  return {
    source: await summaries(estate, SRC),
    destination: await summaries(estate, DST),
    sharedWithOther: shared.map((s) => s.DBClusterSnapshotArn ?? '').sort(),
  };
}

beforeAll(async () => {
  scenario = await startCrashScenario({
    seed: 4,
    async setUp(rig) {
      await rig.estate.createCluster(SRC, 'orders-db');
      return CONFIG;
    },
  });
  // The reference: the same runs, none interrupted.
  await scenario.prepare();
  await scenario.pass(CRASH_AT);
  expect(await scenario.recoverAndPlan()).toEqual([]);
  reference = await endState();
}, 120_000);

afterAll(async () => {
  await scenario?.stop();
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
    await scenario.prepare();
    const before = scenario.rig.proxy.total(action);

    // Act
    const crash = await scenario.crashingRun(action);
    const mutated = scenario.rig.proxy.total(action) - before;
    const actions = await scenario.recoverAndPlan();
    const state = await endState();

    // Assess: the process died right after the one mutation reached AWS.
    expect(scenario.crashProxy.crashed(), crash.stderr).toBe(true);
    expect(crash.code).not.toBe(0);
    expect(mutated).toBe(1);
    // The next runs converge: nothing left to do, the same state as an uninterrupted history.
    expect(actions).toEqual([]);
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
