/**
 * `aurora-snapshot-tool restore`: on disaster day, restores a cluster like the lost one from its best copy
 * in the recovery region (the cluster, then its instances as the source had them), waits with a progress
 * line per resource, and prints the endpoints, the point in time of the data and the minutes it took.
 * `--dry-run` prints the exact API requests and the expected time instead. Every refusal comes before any
 * create call.
 *
 * Credentials: the command runs with the current credentials (the SDK's chain: AWS_PROFILE...). `--account
 * vault` restores the copies of the vault account (the destination account): run it with that account's
 * profile; when the configuration names the account (Source.DestinationAccount, or the one Account of
 * Source.Destinations) the command checks the credentials act as it. `--account source` likewise checks
 * Destination.SourceAccount when the configuration names it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { recoveryStoreFromEnv } from '../aws/store-factory.js';
import { drillRegion } from '../config/drill.js';
import { loadConfigFile } from '../config/load.js';
import { recoverySettingsOf } from '../config/recovery.js';
import type { Config } from '../config/schema.js';
import { ConfigError, type ConfigIssue } from '../core/model/errors.js';
import { systemClock } from '../core/model/ports.js';
import {
  carryOutRestore,
  chooseRestoreSnapshot,
  expectedRestoreTime,
  planRestore,
  type RestoreOutcome,
  type RestorePlan,
  readCopyShape,
  restoreKeyOf,
} from '../core/restore/index.js';
import { DRILL_POLL_SECONDS_ENV } from './drill.js';
import type { CommandContext } from './io.js';
import { storesFor } from './stores.js';

/** Seconds between two polls of the restore; the same variable as the drill's, so tests run at once. */
export const RESTORE_POLL_SECONDS_ENV = DRILL_POLL_SECONDS_ENV;

function pollMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env[RESTORE_POLL_SECONDS_ENV] ?? 30);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 30_000;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The account `--account` names, when the configuration says which it is. */
function expectedAccount(
  config: Config,
  account: string | undefined,
): { id: string; from: string } | undefined {
  if (account === 'vault') {
    const source = config.Source;
    if (source?.DestinationAccount)
      return { id: source.DestinationAccount, from: 'Source.DestinationAccount' };
    const accounts = [
      ...new Set((source?.Destinations ?? []).flatMap((d) => (d.Account ? [d.Account] : []))),
    ];
    if (accounts.length === 1 && accounts[0]) return { id: accounts[0], from: 'Source.Destinations' };
  }
  if (account === 'source' && config.Destination?.SourceAccount) {
    return { id: config.Destination.SourceAccount, from: 'Destination.SourceAccount' };
  }
  return undefined;
}

function optionIssues(options: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (options.snapshot !== undefined && options.before !== undefined) {
    issues.push({
      parameter: '--before',
      value: (options.before as Date).toISOString(),
      message:
        'cannot be combined with --snapshot: give one (--snapshot names the copy, --before the newest copy up to a time)',
    });
  }
  const sourceAccount = options.sourceAccount;
  if (sourceAccount !== undefined && !/^\d{12}$/.test(String(sourceAccount))) {
    issues.push({
      parameter: '--source-account',
      value: sourceAccount,
      message: 'must be a 12-digit AWS account id: the account the lost cluster was in',
    });
  }
  return issues;
}

function planJson(plan: RestorePlan) {
  return {
    clusterId: plan.clusterId,
    sourceClusterId: plan.sourceClusterId,
    region: plan.region,
    snapshotId: plan.snapshotId,
    snapshotArn: plan.snapshotArn,
    pointInTime: plan.pointInTime?.toISOString(),
    shapeKnown: plan.shapeKnown,
    requests: plan.requests,
    existing: plan.existing,
    notes: plan.notes,
  };
}

function hoursText(from: Date, to: Date): string {
  const hours = (to.getTime() - from.getTime()) / 3_600_000;
  return hours < 1
    ? `${Math.round(hours * 60)} minute${Math.round(hours * 60) === 1 ? '' : 's'}`
    : `${hours.toFixed(1)} hours`;
}

export async function restoreCommand(
  options: Record<string, unknown>,
  { io, env }: CommandContext,
): Promise<number> {
  const config = await loadConfigFile(String(options.config));
  const issues = optionIssues(options);
  if (issues.length > 0) throw new ConfigError(issues);
  const clusterId = String(options.cluster);
  const account = text(options.account);
  const region = text(options.region) ?? config.Recovery?.Region ?? drillRegion(config);
  if (region === undefined) {
    throw new ConfigError([
      {
        parameter: '--region',
        message: 'is required: the configuration names no recovery region (Recovery.Region)',
      },
    ]);
  }

  const snapshots = storesFor(region, env);
  const expected = expectedAccount(config, account);
  if (expected !== undefined) {
    const caller = await snapshots.accountId();
    if (caller !== expected.id) {
      throw new ConfigError([
        {
          parameter: '--account',
          value: account,
          message: `the credentials act as account ${caller}, not the ${account} account ${expected.id} (${expected.from}): run the command with that account's profile (AWS_PROFILE)`,
        },
      ]);
    }
  }

  const all = await snapshots.listSnapshots('manual');
  const before = options.before instanceof Date ? options.before : undefined;
  const choice = chooseRestoreSnapshot({
    snapshots: all,
    clusterId,
    region,
    snapshotId: text(options.snapshot),
    before,
    sourceAccount: text(options.sourceAccount),
  });
  if (!choice.ok) {
    throw new ConfigError([
      {
        parameter: choice.parameter,
        ...(choice.value !== undefined ? { value: choice.value } : {}),
        message: choice.reason,
      },
    ]);
  }
  const { snapshot } = choice;
  // The drill reads a copy's shape with the same reader (readCopyShape), so it restores what this command would.
  const decoded = readCopyShape(snapshot.tags);
  const recovery = recoverySettingsOf(config.Recovery);
  const store = recoveryStoreFromEnv(region, env);
  const facts = await store.regionFacts({
    engine: decoded.shape?.engine ?? snapshot.engine ?? 'aurora-postgresql',
    keyId: restoreKeyOf(snapshot, recovery),
  });
  const planned = planRestore({
    snapshot,
    shape: decoded.shape,
    shapeReason: decoded.reason,
    facts,
    recovery,
    name: text(options.name),
    instanceClass: text(options.instanceClass),
    engineVersion: text(options.engineVersion),
  });
  if (!planned.ok) throw new ConfigError(planned.refusals);
  const { plan } = planned;
  const time = expectedRestoreTime(all, plan.sourceClusterId);
  const pit = plan.pointInTime;

  io.info(`Restoring ${plan.sourceClusterId} as ${plan.clusterId} in ${region} from ${snapshot.id}`);
  io.info(`  chosen: ${choice.reason}`);
  io.info(`  point in time: ${pit?.toISOString() ?? 'unknown'} (everything written after it is lost)`);
  io.info(
    `  shape: ${plan.shapeKnown ? 'recorded with the copy' : `unknown (${decoded.reason ?? 'none recorded'})`}`,
  );
  io.info(`  expected time: ${time.text}`);
  for (const note of plan.notes) io.info(`  note: ${note}`);
  const summary = {
    ...planJson(plan),
    choice: choice.reason,
    shape: plan.shapeKnown ? { known: true } : { known: false, reason: decoded.reason },
    expectedMinutes: time.known ? time.minutes : undefined,
    expectedTime: time.text,
  };

  if (options.dryRun) {
    io.info('Requests it would make, in order:');
    for (const request of plan.requests) io.info(`${request.action} ${JSON.stringify(request.input)}`);
    io.result({ dryRun: true, ...summary });
    return 0;
  }

  const wait = pollMs(env);
  const outcome: RestoreOutcome = await carryOutRestore(store, plan, {
    clock: systemClock,
    wait: () => sleep(wait),
    onProgress: (p) => io.info(`  ${p.kind} ${p.id}: ${p.status} (${p.minutes} min)`),
  });
  const lost = pit === undefined ? 'unknown' : hoursText(pit, outcome.startedAt);
  io.info(`Restored ${outcome.clusterId} in ${outcome.minutes} minute${outcome.minutes === 1 ? '' : 's'}`);
  io.info(
    `  writer endpoint: ${outcome.endpoints.writer ?? 'unknown'}${outcome.endpoints.port ? `:${outcome.endpoints.port}` : ''}`,
  );
  io.info(
    `  reader endpoint: ${outcome.endpoints.reader ?? 'unknown'}${outcome.endpoints.port ? `:${outcome.endpoints.port}` : ''}`,
  );
  io.info(`  data as of ${pit?.toISOString() ?? 'unknown'}: ${lost} before the restore started are lost`);
  io.result({
    dryRun: false,
    ...summary,
    restored: {
      endpoints: outcome.endpoints,
      instances: outcome.instanceIds,
      startedAt: outcome.startedAt.toISOString(),
      finishedAt: outcome.finishedAt.toISOString(),
      minutes: outcome.minutes,
    },
  });
  return 0;
}
