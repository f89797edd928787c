// Snapshots made by the original Python tool (its names, its three tags, no point-in-time tag) are recognized, counted for the due decision, copied once and expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import {
  ALL_DESTINATION_PHASES,
  ALL_SOURCE_PHASES,
  runDestinationPass,
  runSourcePass,
  type SourcePassReport,
} from '../../src/core/plan/pass.js';
import { originalTimestamp } from '../support/estate.js';
import { ManualClock } from '../support/manual-clock.js';
import { HOUR, type Rig, startRig, summaries } from './support/rig.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const MINUTE = 60_000;

const config = parseConfig({
  Source: {
    Region: SRC,
    ClusterNamePattern: '^legacy-db$',
    BackupInterval: 24,
    RetentionDays: 3,
    ShareSnapshots: 'TRUE',
    DestinationRegion: DST,
  },
  Destination: { Region: DST, SnapshotPattern: '^legacy-db$', RetentionDays: 3 },
});

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ seed: 11 });
});

afterAll(async () => {
  await rig?.stop();
});

describe('snapshots of the original tool', () => {
  it('count for the due decision, are copied once (not again when it already copied them), and expire on both sides', async () => {
    // Prepare: two snapshots the original took (moto stamps them with the real time, their only age), the
    // first already copied to the destination by the original itself (CopiedBy, same name, no origin tags).
    await rig.reset();
    await rig.estate.createCluster(SRC, 'legacy-db');
    await rig.estate.createCluster(DST, 'legacy-db');
    const now = Date.now();
    const copied = await rig.estate.createOriginalToolSnapshot(SRC, 'legacy-db', new Date(now - 3 * MINUTE));
    const uncopied = await rig.estate.createOriginalToolSnapshot(SRC, 'legacy-db', new Date(now - MINUTE));
    await rig.estate.createSnapshot(DST, {
      clusterId: 'legacy-db',
      snapshotId: copied.id,
      tags: {
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.CreatedOn]: originalTimestamp(new Date(now - 3 * MINUTE)),
      },
    });
    const created = new Map(
      (await rig.estate.snapshots(SRC)).map((s) => [
        s.DBClusterSnapshotIdentifier,
        s.SnapshotCreateTime as Date,
      ]),
    );
    const latest = created.get(uncopied.id) as Date;
    const clock = new ManualClock(new Date(latest.getTime() + 2 * HOUR));
    const pass = async (): Promise<SourcePassReport> => {
      const source = await runSourcePass(
        { source: rig.storeFor(SRC), destination: rig.storeFor(DST) },
        config.Source!,
        clock,
        ALL_SOURCE_PHASES,
      );
      const destination = await runDestinationPass(
        rig.storeFor(DST),
        config.Destination!,
        clock,
        ALL_DESTINATION_PHASES,
      );
      expect([...source.failed, ...destination.failed]).toEqual([]);
      return source;
    };

    // Act: two hours after the original's last snapshot, then daily for four days.
    const first = await pass();
    const copiesAfterFirst = await summaries(rig.estate, DST);
    const later: SourcePassReport[] = [];
    for (const hours of [25, 49, 73, 97]) {
      clock.set(new Date(latest.getTime() + hours * HOUR));
      later.push(await pass());
    }

    // Assess: not due two hours after the original's snapshot, which the decision names.
    expect(first.plan.actions.filter((a) => a.kind === 'take')).toEqual([]);
    expect(first.plan.notes).toContainEqual(
      expect.objectContaining({ code: 'not-due', snapshotId: uncopied.id }),
    );
    // Copied once: the one the original had not copied, its point in time its create time; not the other again.
    expect(first.plan.actions.filter((a) => a.kind === 'copy').map((a) => a.clusterId)).toEqual([
      'legacy-db',
    ]);
    const copy = copiesAfterFirst.find((s) => s.tags[TAG.SourceSnapshot] === uncopied.arn);
    expect(copy?.tags).toMatchObject({
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.PointInTime]: latest.toISOString(),
      [TAG.SourceCluster]: 'legacy-db',
      [TAG.ShareAndCopy]: 'YES',
    });
    expect(copy?.tags[TAG.CreatedBy]).toBeUndefined();
    expect(copiesAfterFirst.filter((s) => s.id.startsWith(copied.id))).toHaveLength(1);
    // Then the tool takes daily, and after RetentionDays the original's snapshots and copies are expired.
    expect(later.map((r) => r.results.filter((x) => x.ok && x.action.kind === 'take').length)).toEqual([
      1, 1, 1, 1,
    ]);
    const sourceIds = await rig.estate.snapshotIds(SRC);
    const destinationIds = await rig.estate.snapshotIds(DST);
    for (const original of [copied.id, uncopied.id]) {
      expect(sourceIds).not.toContain(original);
      expect(destinationIds).not.toContain(original);
    }
    expect(sourceIds).toHaveLength(4);
    expect(destinationIds).toHaveLength(4);
    expect(sourceIds.every((id) => /^legacy-db-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/.test(id))).toBe(true);
  });
});
