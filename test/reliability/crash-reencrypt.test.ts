// A run killed right after a mutation of the re-encrypt-then-share path (aws/rds-key backups shared with another account in the same region): the next runs converge with one shared re-encrypted copy per backup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareCopyName } from '../../src/core/model/naming.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import {
  CHECK_AT,
  CRASH_AT,
  type CrashScenario,
  startCrashScenario,
  WARM_UP,
} from './support/crash-scenario.js';
import { DAY, pointInTime, type Summary, summaries } from './support/rig.js';

const REGION = 'us-east-1';
const OTHER_ACCOUNT = '222233334444';
const RETENTION_DAYS = 1;

/**
 * Each run takes a backup and re-encrypts it into `<name>-shared` at once (moto makes both available at once),
 * and shares the copy the previous run made (a pass observes once, so a copy made in it is shared next run).
 */
function config(kmsKeySource: string): string {
  return `Source:
  Region: ${REGION}
  ClusterNamePattern: ^orders-db$
  BackupInterval: 8
  BackupSchedule: "0 0,8,16 * * ? *"
  RetentionDays: ${RETENTION_DAYS}
  DeleteOldSnapshots: TRUE
  ShareSnapshots: TRUE
  DestinationAccount: "${OTHER_ACCOUNT}"
  KmsKeySource: ${kmsKeySource}
`;
}

interface EndState {
  readonly snapshots: Summary[];
  /** Key of each snapshot, as `aws/rds`, `KmsKeySource` or the key id when it is neither. */
  readonly keys: Record<string, string>;
  /** Identifiers of what the other account sees shared with it in the region. */
  readonly sharedWithOther: string[];
}

let scenario: CrashScenario;
let kmsKeySource = '';
let reference: EndState;

async function endState(): Promise<EndState> {
  const { estate } = scenario.rig;
  const listed = await estate.snapshots(REGION);
  const keys = Object.fromEntries(
    listed.map((s) => {
      const key = s.KmsKeyId ?? '';
      const named = key === 'alias/aws/rds' ? 'aws/rds' : key === kmsKeySource ? 'KmsKeySource' : key;
      return [s.DBClusterSnapshotIdentifier ?? '', named];
    }),
  );
  const shared = await estate.as(OTHER_ACCOUNT).snapshots(REGION, 'shared');
  return {
    snapshots: await summaries(estate, REGION),
    keys,
    sharedWithOther: shared.map((s) => s.DBClusterSnapshotIdentifier ?? '').sort(),
  };
}

const backupsOf = (state: EndState) => state.snapshots.filter((s) => s.tags[TAG.Purpose] === 'backup');
const shareCopiesOf = (state: EndState) => state.snapshots.filter((s) => s.tags[TAG.Purpose] === 'share');

beforeAll(async () => {
  scenario = await startCrashScenario({
    seed: 5,
    async setUp(rig) {
      // moto's reset forgets KMS keys: each history has a new KmsKeySource.
      kmsKeySource = (await rig.estate.createKey(REGION, 'KmsKeySource')).arn;
      // Encrypted with no key named: the estate uses alias/aws/rds, as AWS does.
      await rig.estate.createCluster(REGION, 'orders-db', { encrypted: true });
      return config(kmsKeySource);
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

describe('a run killed right after a mutation of the re-encrypt-then-share path', () => {
  it('the reference history re-encrypts, shares and expires; moto would share an aws/rds-key backup as AWS would not, so what is asserted is that the tool never asks', () => {
    // Assess: backups under aws/rds, each with one copy under KmsKeySource, and only the copies shared.
    const backups = backupsOf(reference);
    const copies = shareCopiesOf(reference);
    expect(backups.length).toBeGreaterThanOrEqual(3);
    expect(backups.length).toBeLessThan(WARM_UP.length + 1);
    for (const backup of backups) expect(reference.keys[backup.id], backup.id).toBe('aws/rds');
    for (const copy of copies) expect(reference.keys[copy.id], copy.id).toBe('KmsKeySource');
    expect(copies.map((c) => c.id).sort()).toEqual(backups.map((b) => shareCopyName(b.id)).sort());
    expect(reference.sharedWithOther).toEqual(copies.map((c) => c.id).sort());
  });

  it('the crashing run makes each mutation the crashes target', async () => {
    // Prepare
    await scenario.prepare();
    const before = Object.fromEntries(
      ['CopyDBClusterSnapshot', 'ModifyDBClusterSnapshotAttribute', 'AddTagsToResource'].map((a) => [
        a,
        scenario.rig.proxy.total(a),
      ]),
    );

    // Act
    await scenario.pass(CRASH_AT);

    // Assess: one re-encryption, one share and its SharedWith tag (of `-shared` copies only), at that run.
    for (const [action, count] of Object.entries(before)) {
      expect(scenario.rig.proxy.total(action) - count, action).toBe(1);
    }
    const state = await endState();
    const newestCopy = shareCopiesOf(state).sort((a, b) => pointInTime(b) - pointInTime(a))[0];
    expect(newestCopy?.tags[TAG.SharedWith]).toBeUndefined();
    expect(state.sharedWithOther.every((id) => id.endsWith('-shared'))).toBe(true);
  });

  it.each(['CopyDBClusterSnapshot', 'ModifyDBClusterSnapshotAttribute', 'AddTagsToResource'])(
    'after %s, the next runs converge to one shared, tagged -shared copy per backup, nothing kept deleted',
    async (action) => {
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
      // Exactly one `-shared` copy per backup, of that backup, under KmsKeySource, shared and tagged so.
      const backups = backupsOf(state);
      const copies = shareCopiesOf(state);
      expect(copies).toHaveLength(backups.length);
      for (const backup of backups) {
        const copy = copies.find((c) => c.id === shareCopyName(backup.id));
        expect(copy, backup.id).toBeDefined();
        expect(copy?.tags[TAG.SourceSnapshot]).toMatch(new RegExp(`:cluster-snapshot:${backup.id}$`));
        expect(copy?.tags[TAG.CreatedBy]).toBe(TOOL_TAG_VALUE);
        expect(copy?.tags[TAG.SharedWith]).toBe(OTHER_ACCOUNT);
        expect(state.keys[copy?.id ?? '']).toBe('KmsKeySource');
      }
      // No duplicate: no second copy under another name, one backup per slot, nothing else in the region.
      expect(state.snapshots).toHaveLength(backups.length + copies.length);
      const slots = backups.map((s) => s.tags[TAG.PointInTime]);
      expect(new Set(slots).size).toBe(slots.length);
      expect(state.sharedWithOther).toEqual(copies.map((c) => c.id).sort());
      // Nothing retention must keep was deleted: every backup of the last RetentionDays is there.
      const young = [...WARM_UP, CRASH_AT].filter(
        (t) => Date.parse(CHECK_AT) - Date.parse(t) < RETENTION_DAYS * DAY,
      );
      expect(young.length).toBeGreaterThan(0);
      const times = backups.map(pointInTime);
      for (const t of young) expect(times, t).toContain(Date.parse(t));
    },
  );
});
