// What a pass reports: applyPlan's order within one kind, its results and log lines, the messages and
// details of a snapshot check, and the counts of the status report.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { ToolError } from '../../../src/core/model/errors.js';
import type { EngineLogger } from '../../../src/core/model/ports.js';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { applyPlan } from '../../../src/core/plan/apply-plan.js';
import { checkSnapshots } from '../../../src/core/plan/check-snapshots.js';
import type { Action } from '../../../src/core/plan/plan.js';
import { snapshotAge, statusReport } from '../../../src/core/plan/status.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryEstate } from '../../support/memory-store.js';
import { rejection } from '../../support/rejection.js';
import { backup, cluster, drCopy, hoursAfter, sourceObservation } from '../../support/snapshot-builder.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const NOW = new Date('2025-03-01T00:00:00.000Z');

function logger(): EngineLogger & { lines: [string, string][] } {
  const lines: [string, string][] = [];
  const at = (level: string) => (message: string) => {
    lines.push([level, message]);
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const del = (id: string): Action => ({
  kind: 'delete',
  region: SRC,
  snapshotId: id,
  clusterId: 'prod',
  reason: `${id} is old`,
});
const take = (id: string): Action => ({
  kind: 'take',
  region: SRC,
  clusterId: 'prod',
  snapshotId: id,
  tags: {},
  reason: 'due',
});

describe('applyPlan: order, results and log lines', () => {
  it('keeps the plan order among actions of one kind (oldest deleted first)', async () => {
    // Prepare
    const estate = new MemoryEstate({ clock: new ManualClock() });
    for (const id of ['d', 'b', 'a', 'c']) estate.putSnapshot({ region: SRC, id, clusterId: 'prod' });

    // Act
    const results = await applyPlan({ actions: ['d', 'b', 'a', 'c'].map(del), notes: [] }, (r) =>
      estate.store(r),
    );

    // Assess
    expect(results.map((r) => r.action.kind === 'delete' && r.action.snapshotId)).toEqual([
      'd',
      'b',
      'a',
      'c',
    ]);
    expect(estate.log.map((c) => c.args[0])).toEqual(['d', 'b', 'a', 'c']);
  });

  it('reports each outcome exactly, and logs the reason, or what was found, or the error', async () => {
    // Prepare: one take that runs, one whose snapshot exists, one delete of a snapshot already gone, one failing
    const estate = new MemoryEstate({ clock: new ManualClock() });
    estate.addCluster({ region: SRC, id: 'prod' });
    estate.putSnapshot({ region: SRC, id: 'prod-2', clusterId: 'prod' });
    estate.putSnapshot({ region: SRC, id: 'busy', clusterId: 'prod', status: 'creating' });
    const log = logger();
    const actions = [take('prod-1'), take('prod-2'), del('gone'), del('busy')];

    // Act
    const results = await applyPlan({ actions, notes: [] }, (r) => estate.store(r), log);

    // Assess
    expect(results).toStrictEqual([
      { action: actions[0], ok: true },
      { action: actions[1], ok: true, message: 'already exists (an earlier pass took it)' },
      { action: actions[2], ok: true, message: 'already deleted' },
      {
        action: actions[3],
        ok: false,
        error: 'SnapshotNotReady',
        message: 'snapshot busy is creating and cannot be deleted yet',
      },
    ]);
    expect(log.lines).toEqual([
      ['info', 'take done: due'],
      ['info', 'take done: already exists (an earlier pass took it)'],
      ['info', 'delete done: already deleted'],
      ['error', 'delete failed: snapshot busy is creating and cannot be deleted yet'],
    ]);
  });
});

describe('checkSnapshots: messages and details', () => {
  function setup() {
    const clock = new ManualClock('2025-03-01T00:00:00.000Z');
    const estate = new MemoryEstate({ clock });
    return { clock, estate, started: clock.now(), storeFor: (region: string) => estate.store(region) };
  }

  it('names every pending snapshot, comma-separated, with the pending ones in the details; a copy at 0% is no timeout', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'a', status: 'creating' });
    estate.putSnapshot({ region: DST, id: 'b', status: 'copying' });
    estate.putSnapshot({ region: SRC, id: 'c' });
    estate.putSnapshot({ region: SRC, id: 'd', status: 'creating' });
    const refs = [
      { region: SRC, id: 'a' },
      { region: DST, id: 'b' },
      { region: SRC, id: 'c' },
      { region: SRC, id: 'd' },
    ];

    // Act
    const notReady = await rejection(checkSnapshots(storeFor, refs, clock, started, 60));
    clock.advance({ minutes: 90 });
    const timedOut = await rejection(checkSnapshots(storeFor, refs, clock, started, 60));

    // Assess: every pending one is named while waiting; past MaxWaitMinutes only those still being created at
    // 0%, not the copy, which may be queued behind RDS's 5 concurrent copies
    const pending = [
      { ref: refs[0], status: 'creating' },
      { ref: refs[1], status: 'copying' },
      { ref: refs[3], status: 'creating' },
    ];
    expect(notReady).toBeInstanceOf(ToolError);
    expect((notReady as ToolError).message).toBe(
      'not yet available: a (us-east-1: creating), b (us-west-2: copying), d (us-east-1: creating)',
    );
    expect((notReady as ToolError).details).toEqual({ snapshots: pending });
    expect((timedOut as ToolError).message).toBe(
      'no progress after 90 minutes (MaxWaitMinutes 60): a (us-east-1: creating), d (us-east-1: creating)',
    );
    expect((timedOut as ToolError).details).toEqual({ snapshots: [pending[0], pending[2]] });
  });

  it('names every failed or vanished snapshot, with them in the details', async () => {
    // Prepare
    const { clock, estate, storeFor, started } = setup();
    estate.putSnapshot({ region: SRC, id: 'bad', status: 'failed' });
    const refs = [
      { region: SRC, id: 'bad' },
      { region: SRC, id: 'gone' },
    ];

    // Act
    const error = await rejection(checkSnapshots(storeFor, refs, clock, started, 60));

    // Assess
    expect((error as ToolError).name).toBe('SnapshotFailed');
    expect((error as ToolError).message).toBe(
      'snapshot failed or vanished: bad (us-east-1: failed), gone (us-east-1: missing)',
    );
    expect((error as ToolError).details).toEqual({
      snapshots: [
        { ref: refs[0], status: 'failed' },
        { ref: refs[1], status: 'missing' },
      ],
    });
  });
});

describe('statusReport: what it counts', () => {
  const config = (extra: Record<string, unknown> = {}) =>
    parseConfig({ Source: { Region: SRC, ClusterNamePattern: 'prod', ...extra } }).Source as SourceConfig;

  it('counts manual snapshots and manual tool copies only, and zero copies for a cluster with none', () => {
    // Prepare
    const taken = backup('prod', hoursAfter(NOW, -2));
    const automatedCopy = drCopy(taken, DST, { type: 'automated' });
    const obs = sourceObservation({
      now: NOW,
      clusters: [cluster('prod'), cluster('prod-new')],
      snapshots: [taken, backup('prod', hoursAfter(NOW, -1), { type: 'automated' })],
      destinationSnapshots: [automatedCopy],
    });

    // Act
    const report = statusReport(obs, config({ ShareSnapshots: true, DestinationRegion: DST }));

    // Assess
    expect(report.manualSnapshotCount).toBe(1);
    expect(report.clusters.map((c) => [c.clusterId, c.snapshotCount, c.copyCount, c.latestCopy])).toEqual([
      ['prod', 1, 0, undefined],
      ['prod-new', 0, 0, undefined],
    ]);
  });

  it('names a destination region only when it differs from the source region', () => {
    // Prepare
    const obs = sourceObservation({ now: NOW });

    // Act / Assess
    expect(statusReport(obs, config()).destinationRegion).toBeUndefined();
    expect(
      statusReport(
        obs,
        config({ ShareSnapshots: true, DestinationRegion: SRC, DestinationAccount: '222222222222' }),
      ).destinationRegion,
    ).toBeUndefined();
    expect(statusReport(obs, config({ DestinationRegion: DST })).destinationRegion).toBe(DST);
  });

  it('counts a copy by CopiedBy, not by a CreatedBy tag', () => {
    // Prepare
    const taken = backup('prod', hoursAfter(NOW, -2));
    const notACopy = {
      ...drCopy(taken, DST),
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.SourceCluster]: 'prod' },
    };

    // Act
    const report = statusReport(
      sourceObservation({
        now: NOW,
        clusters: [cluster('prod')],
        snapshots: [taken],
        destinationSnapshots: [notACopy],
      }),
      config({ DestinationRegion: DST }),
    );

    // Assess
    expect(report.clusters[0]?.copyCount).toBe(0);
  });
});

describe('statusReport: the recovery point and ages in the future', () => {
  const config = (extra: Record<string, unknown> = {}) =>
    parseConfig({ Source: { Region: SRC, ClusterNamePattern: 'prod', ...extra } }).Source as SourceConfig;

  it('is the newest copy only when DR copies go to another region, else the newest backup here', () => {
    // Prepare
    const taken = backup('prod', hoursAfter(NOW, -2));
    const obs = sourceObservation({
      now: NOW,
      clusters: [cluster('prod')],
      snapshots: [taken],
      destinationSnapshots: [drCopy(backup('prod', hoursAfter(NOW, -30)), DST)],
    });

    // Act
    const dr = statusReport(obs, config({ ShareSnapshots: true, DestinationRegion: DST }));
    const notSharing = statusReport(obs, config({ DestinationRegion: DST }));
    const accountOnly = statusReport(
      obs,
      config({ ShareSnapshots: true, DestinationAccount: '222222222222' }),
    );

    // Assess
    expect(dr.clusters[0]?.recoveryPoint?.ageHours).toBe(30);
    expect(notSharing.clusters[0]?.recoveryPoint?.id).toBe(taken.id);
    expect(accountOnly.clusters[0]?.recoveryPoint?.id).toBe(taken.id);
  });

  it('shows a point in time in the future as age 0 and how far ahead it is', () => {
    // Act
    const ahead = snapshotAge(backup('prod', hoursAfter(NOW, 2)), NOW);
    const past = snapshotAge(backup('prod', hoursAfter(NOW, -2)), NOW);

    // Assess
    expect(ahead).toMatchObject({ ageHours: 0, inFutureHours: 2 });
    expect(past.ageHours).toBe(2);
    expect('inFutureHours' in past).toBe(false);
    expect('inFutureHours' in snapshotAge(backup('prod', NOW), NOW)).toBe(false);
  });
});
