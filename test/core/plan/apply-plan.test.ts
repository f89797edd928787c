// Applying a plan: order, idempotent outcomes after a crash, collected failures, logging.
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../../src/core/model/errors.js';
import type { EngineLogger, ShapeCarrier } from '../../../src/core/model/ports.js';
import { TAG } from '../../../src/core/model/tags.js';
import { applyPlan } from '../../../src/core/plan/apply-plan.js';
import type { Action, Plan } from '../../../src/core/plan/plan.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryEstate } from '../../support/memory-store.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';

function setup() {
  const estate = new MemoryEstate({ clock: new ManualClock() });
  estate.addCluster({ region: SRC, id: 'prod' });
  const storeFor = (region: string) => estate.store(region);
  return { estate, storeFor };
}

const take: Action = {
  kind: 'take',
  region: SRC,
  clusterId: 'prod',
  snapshotId: 'prod-1',
  tags: { a: '1' },
  reason: 'due',
};
const del = (id: string): Action => ({
  kind: 'delete',
  region: SRC,
  snapshotId: id,
  clusterId: 'prod',
  reason: 'old',
});
const copy = (sourceId: string): Action => ({
  kind: 'copy',
  purpose: 'dr-copy',
  sourceArn: `arn:aws:rds:${SRC}:111111111111:cluster-snapshot:${sourceId}`,
  sourceRegion: SRC,
  targetRegion: DST,
  targetId: sourceId,
  kmsKeyId: undefined,
  clusterId: 'prod',
  tags: { b: '2' },
  reason: 'no copy',
});
const share = (id: string, region = SRC): Action => ({
  kind: 'share',
  region,
  snapshotId: id,
  snapshotArn: `arn:aws:rds:${region}:111111111111:cluster-snapshot:${id}`,
  accountId: '222222222222',
  clusterId: 'prod',
  reason: 'not shared',
});

function logger(): EngineLogger & { lines: [string, string, Record<string, unknown> | undefined][] } {
  const lines: [string, string, Record<string, unknown> | undefined][] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push([level, message, fields]);
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('applyPlan', () => {
  it('runs takes, copies, shares, then deletes, whatever the order in the plan', async () => {
    // Prepare
    const { estate, storeFor } = setup();
    estate.putSnapshot({ region: SRC, id: 'old', clusterId: 'prod' });
    estate.putSnapshot({ region: SRC, id: 'src', clusterId: 'prod' });
    const plan: Plan = { actions: [del('old'), share('src'), copy('src'), take], notes: [] };

    // Act
    const results = await applyPlan(plan, storeFor);

    // Assess
    expect(results.map((r) => [r.action.kind, r.ok])).toEqual([
      ['take', true],
      ['copy', true],
      ['share', true],
      ['delete', true],
    ]);
    expect(estate.log.map((c) => c.method)).toEqual([
      'createSnapshot',
      'copySnapshot',
      'shareSnapshot',
      'addTags',
      'deleteSnapshot',
    ]);
  });

  it('records a share with the SharedWith tag', async () => {
    // Prepare
    const { estate, storeFor } = setup();
    estate.putSnapshot({ region: SRC, id: 'src', clusterId: 'prod' });

    // Act
    await applyPlan({ actions: [share('src')], notes: [] }, storeFor);

    // Assess
    expect(estate.find('src', SRC)?.tags[TAG.SharedWith]).toBe('222222222222');
    expect(estate.sharedWith('src', SRC)).toEqual(['222222222222']);
  });

  it('keeps the accounts a snapshot was already shared with in the SharedWith tag when it shares with one more', async () => {
    // Prepare: shared with 333333333333 by an earlier pass (its tag says so); this pass shares with 222222222222
    const { estate, storeFor } = setup();
    estate.putSnapshot({
      region: SRC,
      id: 'src',
      clusterId: 'prod',
      tags: { [TAG.SharedWith]: '333333333333' },
      sharedWith: ['333333333333'],
    });
    const action = { ...share('src'), alreadySharedWith: ['333333333333'] } as Action;

    // Act
    await applyPlan({ actions: [action], notes: [] }, storeFor);

    // Assess
    expect(estate.find('src', SRC)?.tags[TAG.SharedWith]).toBe('333333333333 222222222222');
  });

  it('counts a snapshot or copy that already exists, and a snapshot already deleted, as done', async () => {
    // Prepare
    const { estate, storeFor } = setup();
    estate.putSnapshot({ region: SRC, id: 'prod-1', clusterId: 'prod' });
    estate.putSnapshot({ region: SRC, id: 'src', clusterId: 'prod' });
    estate.putSnapshot({ region: DST, id: 'src', clusterId: 'prod' });

    // Act
    const results = await applyPlan({ actions: [take, copy('src'), del('gone')], notes: [] }, storeFor);

    // Assess
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.message)).toEqual([
      expect.stringContaining('already exists'),
      expect.stringContaining('already exists'),
      'already deleted',
    ]);
  });

  it('collects failures with the error name and still runs the remaining actions', async () => {
    // Prepare
    const { estate, storeFor } = setup();
    estate.putSnapshot({ region: SRC, id: 'old', clusterId: 'prod' });
    estate.failNext('createSnapshot', new ToolError('SnapshotQuotaExceeded', 'quota reached'));
    estate.failNext('copySnapshot', new Error('socket hang up'));
    estate.failNext('shareSnapshot', 'not an error' as unknown as Error);
    const log = logger();

    // Act
    const results = await applyPlan(
      { actions: [take, copy('src'), share('old'), del('old')], notes: [] },
      storeFor,
      log,
    );

    // Assess
    expect(results.map((r) => [r.ok, r.error])).toEqual([
      [false, 'SnapshotQuotaExceeded'],
      [false, 'Error'],
      [false, 'Error'],
      [true, undefined],
    ]);
    expect(results[2]?.message).toBe('not an error');
    expect(estate.find('old', SRC)).toBeUndefined();
    const errors = log.lines.filter(([level]) => level === 'error');
    expect(errors[0]?.[2]).toMatchObject({
      action: 'take',
      clusterId: 'prod',
      snapshotId: 'prod-1',
      error: 'SnapshotQuotaExceeded',
    });
  });

  it('logs every action with its cluster and snapshot', async () => {
    // Prepare
    const { estate, storeFor } = setup();
    estate.putSnapshot({ region: SRC, id: 'src', clusterId: 'prod' });
    const log = logger();

    // Act
    await applyPlan({ actions: [take, copy('src'), share('src'), del('src')], notes: [] }, storeFor, log);

    // Assess
    expect(
      log.lines.map(([level, , fields]) => [level, fields?.action, fields?.clusterId, fields?.snapshotId]),
    ).toEqual([
      ['info', 'take', 'prod', 'prod-1'],
      ['info', 'copy', 'prod', 'src'],
      ['info', 'share', 'prod', 'src'],
      ['info', 'delete', 'prod', 'src'],
    ]);
  });

  it('shares a snapshot whose shape cannot be delivered, with a warning naming its destinations and logged with its code', async () => {
    // Prepare: the shapes bucket of the account refuses the delivery
    const { estate, storeFor } = setup();
    estate.putSnapshot({ region: SRC, id: 'a', clusterId: 'prod' });
    estate.putSnapshot({ region: SRC, id: 'b', clusterId: 'prod' });
    const carrier: ShapeCarrier = {
      deliver: async () => {
        throw new ToolError('AccessDenied', 'bucket policy');
      },
      collect: async () => undefined,
    };
    const shaped = (id: string, destinations?: string[]): Action => ({
      ...(share(id) as Action & { kind: 'share' }),
      shapeTags: { [TAG.Shape]: 'x' },
      ...(destinations ? { destinations } : {}),
    });
    const log = logger();

    // Act
    const results = await applyPlan(
      { actions: [shaped('a', ['vault-1']), shaped('b')], notes: [] },
      storeFor,
      log,
      carrier,
    );

    // Assess
    const message = (id: string) =>
      `${id} is shared with 222222222222, but its shape could not be left in that account's shapes bucket (AccessDenied: bucket policy): its copy there will record no shape`;
    expect(results.map((r) => [r.ok, r.notes])).toStrictEqual([
      [
        true,
        [
          {
            level: 'warn',
            code: 'shape-not-delivered',
            message: message('a'),
            clusterId: 'prod',
            snapshotId: 'a',
            destinations: ['vault-1'],
          },
        ],
      ],
      [
        true,
        [
          {
            level: 'warn',
            code: 'shape-not-delivered',
            message: message('b'),
            clusterId: 'prod',
            snapshotId: 'b',
          },
        ],
      ],
    ]);
    expect(estate.sharedWith('a', SRC)).toEqual(['222222222222']);
    expect(log.lines.filter(([level]) => level === 'warn')).toEqual([
      [
        'warn',
        message('a'),
        expect.objectContaining({ code: 'shape-not-delivered', clusterId: 'prod', snapshotId: 'a' }),
      ],
      [
        'warn',
        message('b'),
        expect.objectContaining({ code: 'shape-not-delivered', clusterId: 'prod', snapshotId: 'b' }),
      ],
    ]);
  });

  it('does not swallow a delete that fails for another reason than absence', async () => {
    // Prepare
    const { estate, storeFor } = setup();
    estate.putSnapshot({ region: SRC, id: 'busy', clusterId: 'prod', status: 'creating' });

    // Act
    const [result] = await applyPlan({ actions: [del('busy')], notes: [] }, storeFor);

    // Assess
    expect(result).toMatchObject({ ok: false, error: 'SnapshotNotReady' });
  });
});
