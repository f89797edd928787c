// A vault of an organization in one pass: imports AWS refuses (snapshots owned outside the organization) are
// set apart, and the pass copies again without them, at most MAX_IMPORT_ROUNDS rounds, as one report.
import { describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig } from '../../../src/config/schema.js';
import { ToolError } from '../../../src/core/model/errors.js';
import type { EngineLogger } from '../../../src/core/model/ports.js';
import { MAX_IMPORT_ROUNDS, runDestinationPass } from '../../../src/core/plan/pass.js';
import type { ActionResult } from '../../../src/core/plan/plan.js';
import { ManualClock } from '../../support/manual-clock.js';
import { DEFAULT_ACCOUNT, MemoryEstate } from '../../support/memory-store.js';

const DST = 'us-west-2';
const MEMBER = '222222222222';
const OUTSIDER = '999999999999';
const NOW = new Date('2025-03-01T00:00:00.000Z');
const arnOf = (account: string, id: string) => `arn:aws:rds:${DST}:${account}:cluster-snapshot:${id}`;

function organizationVault(): DestinationConfig {
  const config = parseConfig({
    Destination: { Region: DST, SnapshotPattern: 'ALL_CLUSTERS', SourceOrganizationId: 'o-a1b2c3d4e5' },
  });
  return config.Destination as DestinationConfig;
}

function recordingLogger(): EngineLogger & { lines: { level: string; message: string; code?: unknown }[] } {
  const lines: { level: string; message: string; code?: unknown }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, code: fields?.code });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** An estate whose copies of `refusedOwner`'s snapshots AWS refuses, and of `failing` fail with throttling. */
function vaultEstate(refusedOwner: string, failing: readonly string[] = []) {
  const clock = new ManualClock(NOW.toISOString());
  const estate = new MemoryEstate({ clock });
  estate.addFault((call) => {
    if (call.method !== 'copySnapshot') return undefined;
    const { sourceArn } = call.args[0] as { sourceArn: string };
    if (sourceArn.includes(`:${refusedOwner}:`))
      return new ToolError('AccessDenied', 'not in the organization');
    if (failing.includes(sourceArn)) return new ToolError('ThrottlingError', 'slow down');
    return undefined;
  });
  const share = (account: string, id: string, hoursAgo: number) =>
    estate.putSnapshot({
      region: DST,
      id,
      clusterId: id.replace(/-\d+$/, ''),
      accountId: account,
      sharedWith: [DEFAULT_ACCOUNT],
      createTime: new Date(NOW.getTime() - hoursAgo * 3_600_000),
    });
  return { clock, estate, share };
}

const arns = (results: readonly ActionResult[]) =>
  results.map((r) => (r.action.kind === 'copy' ? r.action.sourceArn : r.action.kind)).sort();

describe('runDestinationPass: imports refused in an organization vault', () => {
  it(`tries ${MAX_IMPORT_ROUNDS} rounds of five copies, never the same refused snapshot twice, and reports them as one`, async () => {
    // Prepare: 25 snapshots shared from outside the organization, newest first out-01 .. out-25
    const { clock, estate, share } = vaultEstate(OUTSIDER);
    const ids = Array.from({ length: 25 }, (_, i) => `out-${String(i + 1).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) share(OUTSIDER, id, i + 1);
    estate.setQuota(DST, 5);

    // Act
    const report = await runDestinationPass(estate.store(DST), organizationVault(), clock, [
      'copy',
      'delete',
    ]);

    // Assess: four rounds of five, the last five never tried
    const tried = ids.slice(0, 20).map((id) => arnOf(OUTSIDER, id));
    expect(estate.calls.copySnapshot).toBe(20);
    expect(arns(report.refused)).toEqual(tried);
    expect(report.plan.actions.map((a) => (a.kind === 'copy' ? a.sourceArn : a.kind)).sort()).toEqual(tried);
    expect(report.results).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.observation.shared).toHaveLength(25);
    // a note said again by a later round (the quota, the same count each round) is kept once
    expect(report.plan.notes.map((n) => n.code).sort()).toEqual([
      ...Array<string>(4).fill('copy-limit'),
      ...Array<string>(20).fill('copy-refused'),
      'quota-near',
    ]);
    expect(report.plan.notes.filter((n) => n.code === 'copy-limit').map((n) => n.message)).toEqual(
      [20, 15, 10, 5].map(
        (n) => `${n} copy(ies) wait for a later pass: at most 5 copies in flight in ${DST}`,
      ),
    );
    expect(
      report.plan.notes
        .filter((n) => n.code === 'copy-refused')
        .map((n) => n.snapshotId)
        .sort(),
    ).toEqual(tried);
  });

  it("copies the organization's snapshots in the next round, with their results, failures and log lines", async () => {
    // Prepare: five outsiders, newer than the members, take the five copy slots of the first round
    const { clock, estate, share } = vaultEstate(OUTSIDER, [arnOf(MEMBER, 'bad-1')]);
    for (let i = 1; i <= 5; i++) share(OUTSIDER, `out-${i}`, i);
    share(MEMBER, 'good-1', 10);
    share(MEMBER, 'bad-1', 11);
    const logger = recordingLogger();

    // Act
    const report = await runDestinationPass(estate.store(DST), organizationVault(), clock, ['copy'], {
      logger,
    });

    // Assess
    const outsiders = [1, 2, 3, 4, 5].map((i) => arnOf(OUTSIDER, `out-${i}`));
    expect(arns(report.refused)).toEqual(outsiders);
    expect(report.results.map((r) => [r.action.kind === 'copy' && r.action.sourceArn, r.ok])).toEqual([
      [arnOf(MEMBER, 'good-1'), true],
      [arnOf(MEMBER, 'bad-1'), false],
    ]);
    expect(arns(report.failed)).toEqual([arnOf(MEMBER, 'bad-1')]);
    // two rounds: the second refused nothing
    expect(estate.calls.copySnapshot).toBe(7);
    // the plan's notes, then the refusals (as warnings), are logged with their code
    expect(logger.lines.filter((l) => l.code !== undefined).map((l) => [l.level, l.code])).toEqual([
      ['info', 'copy-limit'],
      ...Array.from({ length: 5 }, () => ['warn', 'copy-refused']),
    ]);
  });
});
