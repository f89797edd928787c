/** The CLI commands: thin glue from options to the engine, the AWS adapter and the report. */

import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type PassOutcome, planPass, runPass, sourceStoresOf } from '../api.js';
import { createSnapshotStore, shapeCarrierFromEnv, storeOptionsFromEnv } from '../aws/store-factory.js';
import { loadConfigFile } from '../config/load.js';
import { type SourceConfig, warningsOf } from '../config/schema.js';
import { backupPolicyOf, policiesOf } from '../config/to-core.js';
import { destinationParameter, destinationsOf } from '../core/copies/destinations.js';
import { drillStatus } from '../core/drill/index.js';
import { blockingError } from '../core/model/blocking.js';
import { ConfigError, formatConfigIssue } from '../core/model/errors.js';
import type { Clock, SnapshotStore } from '../core/model/ports.js';
import {
  type DestinationPassReport,
  observeSource,
  ownAccountIssue,
  planSource,
  type SourcePassReport,
  statusReport,
} from '../core/plan/pass.js';
import { withRestoreTimes } from '../core/plan/status.js';
import { policyForesight } from '../core/policy/policy-foresight.js';
import { foresightNote, type RegionForesight } from '../core/policy/quota-foresight.js';
import { BUNDLE_DIR } from '../package-info.js';
import { formatDrillStatus, formatPlan, formatResults, formatStatus } from './format.js';
import type { CommandContext, IoHost } from './io.js';
import { storesFor } from './stores.js';

type CommandFn = (options: Record<string, unknown>, context: CommandContext) => Promise<number>;

function clockFrom(options: Record<string, unknown>): Clock {
  const fixed = options.now instanceof Date ? options.now : undefined;
  return fixed ? { now: () => new Date(fixed.getTime()) } : { now: () => new Date() };
}

function storeFor(env: NodeJS.ProcessEnv): (region: string) => SnapshotStore {
  return (region) => storesFor(region, env);
}

function printPass(io: IoHost, outcome: PassOutcome, showResults: boolean): void {
  for (const [title, report] of [
    ['Source', outcome.source],
    ['Destination', outcome.destination],
  ] as const) {
    if (!report) continue;
    for (const line of formatPlan(title, report.plan)) io.info(line);
    if (showResults) for (const line of formatResults(report.results)) io.info(line);
  }
}

function jsonPass(outcome: PassOutcome) {
  const part = (r: SourcePassReport | DestinationPassReport | undefined) =>
    r && {
      actions: r.plan.actions,
      notes: r.plan.notes,
      ...(r.plan.kept ? { kept: r.plan.kept } : {}),
      results: r.results,
      failed: r.failed,
    };
  return {
    source: part(outcome.source),
    destination: part(outcome.destination),
    status: outcome.source?.status,
  };
}

/** Quota foresight lines: a warning (with the numbers) for each region whose steady state exceeds its quota. */
function printForesight(io: IoHost, foresight: readonly RegionForesight[]): void {
  for (const f of foresight) {
    const note = foresightNote(f);
    io.info(`${note.level === 'warn' ? 'warning' : 'note'}: ${note.message}`);
  }
}

/**
 * Whether DestinationAccount is the caller's own account, which only AWS can tell: one quick STS call
 * with the environment's credentials. Without an answer (offline, no credentials) it says what it could
 * not check; `run` refuses the same setting where the account is known.
 */
async function checkDestinationAccount(
  source: SourceConfig,
  env: NodeJS.ProcessEnv,
): Promise<{ checked: boolean; message: string }> {
  const targets = accountTargets(source);
  const named = targets.map((t) => `${t.label} ${t.account}`).join(', ');
  const store = createSnapshotStore({
    ...storeOptionsFromEnv(env),
    region: source.Region,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 },
  });
  let caller: string;
  try {
    caller = await store.accountId();
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      checked: false,
      message:
        `Not checked: whether ${named} is the account of these credentials (STS ` +
        `GetCallerIdentity gave no answer: ${reason}). \`run\` refuses it where the account is known.`,
    };
  }
  const own = targets.filter((t) => t.account === caller);
  if (own.length > 0) throw new ConfigError(own.map((t) => ownAccountIssue(t.account, t.parameter)));
  return {
    checked: true,
    message: `Checked: ${named} ${targets.length === 1 ? 'is' : 'are'} not the account of these credentials (${caller}, STS GetCallerIdentity).`,
  };
}

/** The destinations shared with an account: the account, its parameter and how the message names it. */
function accountTargets(source: SourceConfig): { account: string; parameter: string; label: string }[] {
  return destinationsOf(backupPolicyOf(source)).flatMap((target) => {
    if (target.account === undefined) return [];
    const parameter = destinationParameter(target, 'Account');
    return [{ account: target.account, parameter, label: parameter.replace(/^Source\./, '') }];
  });
}

const validate: CommandFn = async (options, { io, env }) => {
  const config = await loadConfigFile(String(options.config));
  const checks = [
    {
      checked: true,
      message: 'Checked: every parameter, its value and their combinations (offline, with the one schema).',
    },
  ];
  if (config.Source !== undefined && accountTargets(config.Source).length > 0) {
    const names = accountTargets(config.Source)
      .map((t) => t.label)
      .join(', ');
    checks.push(
      options.offline === true
        ? {
            checked: false,
            message: `Not checked (--offline): whether ${names} is the account of these credentials; \`run\` refuses it where the account is known.`,
          }
        : await checkDestinationAccount(config.Source, env),
    );
  }
  io.info(`${String(options.config)} is valid.`);
  for (const check of checks) io.info(`  ${check.message}`);
  const warnings = warningsOf(config);
  for (const warning of warnings) io.info(`warning: ${formatConfigIssue(warning)}`);
  // Offline: the account's quota and its clusters are not known, so the default quota and one cluster.
  const foresight = policyForesight(policiesOf(config));
  printForesight(io, foresight);
  io.result({ valid: true, checks, warnings, config, quotaForesight: foresight });
  return 0;
};

const plan: CommandFn = async (options, { io, env }) => {
  const config = await loadConfigFile(String(options.config));
  const outcome = await planPass(config, { storeFor: storeFor(env), clock: clockFrom(options) });
  printPass(io, outcome, false);
  const foresight = policyForesight(policiesOf(config), {
    clusters: outcome.source && selectedClusterCount(outcome.source),
    sourceQuota: outcome.source?.observation.manualSnapshotQuota,
    destinationQuota: outcome.destination?.observation.manualSnapshotQuota,
  });
  printForesight(io, foresight);
  io.result({ ...jsonPass(outcome), quotaForesight: foresight });
  return 0;
};

function selectedClusterCount(report: SourcePassReport): number {
  return report.status.clusters.length;
}

/**
 * A `--now` later than the real time makes retention take snapshots for older than they are: against AWS
 * it is refused; simulations run it against an emulator (AWS_ENDPOINT_URL).
 */
function checkFutureNow(options: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  const now = options.now instanceof Date ? options.now : undefined;
  if (now && now.getTime() > Date.now() + 60_000 && !env.AWS_ENDPOINT_URL) {
    throw new ConfigError([
      {
        parameter: '--now',
        value: now.toISOString(),
        message:
          'is in the future: `run` accepts a later time only against an emulator (AWS_ENDPOINT_URL), as it would expire snapshots early; use `plan` to preview',
      },
    ]);
  }
}

/** A file option's folder must exist before any AWS call, so a typo does not cost the whole run. */
function checkWritableFolder(parameter: string, file: string): void {
  const folder = dirname(resolve(file));
  let problem: string | undefined;
  try {
    if (!statSync(folder).isDirectory()) problem = `is in ${folder}, which is not a folder`;
    else accessSync(folder, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problem =
      problem ??
      (code === 'ENOENT'
        ? `is in ${folder}, which does not exist`
        : `cannot be written in ${folder} (${code})`);
  }
  if (problem) throw new ConfigError([{ parameter, value: file, message: problem }]);
}

const run: CommandFn = async (options, { io, env }) => {
  checkFutureNow(options, env);
  const config = await loadConfigFile(String(options.config));
  const stores = storeFor(env);
  const outcome = await runPass(config, {
    storeFor: stores,
    clock: clockFrom(options),
    shapeCarrier: shapeCarrierFromEnv(stores, env),
  });
  printPass(io, outcome, true);
  io.result(jsonPass(outcome));
  const failed = [...(outcome.source?.failed ?? []), ...(outcome.destination?.failed ?? [])];
  for (const f of failed) io.error(`error: ${f.error}: ${f.message}`);
  const blocked = outcome.source && blockingError(outcome.source.plan.notes);
  if (blocked) io.error(`error: ${blocked.name}: ${blocked.message}`);
  return failed.length > 0 || blocked ? 1 : 0;
};

const status: CommandFn = async (options, context) => {
  if (options.organization === true) {
    const html = typeof options.html === 'string' ? options.html : undefined;
    if (html !== undefined) checkWritableFolder('--html', html);
    const { fleetStatusCommand } = await import('./fleet.js');
    return fleetStatusCommand(
      { config: String(options.config), html, now: options.now instanceof Date ? options.now : undefined },
      context,
    );
  }
  const { io, env } = context;
  const config = await loadConfigFile(String(options.config));
  const stores = sourceStoresOf(config, storeFor(env));
  if (!config.Source || !stores) {
    throw new ConfigError([
      {
        parameter: 'Source',
        value: undefined,
        message: 'is required by status, which reports on the source side',
      },
    ]);
  }
  const html = typeof options.html === 'string' ? options.html : undefined;
  if (html !== undefined) checkWritableFolder('--html', html);
  const clock = clockFrom(options);
  const observation = await observeSource(stores, backupPolicyOf(config.Source), clock, ['delete']);
  const kept = planSource(observation, backupPolicyOf(config.Source), ['delete']).kept;
  const drillSnapshots = config.RestoreDrill?.Region
    ? await storesFor(config.RestoreDrill.Region, env).listSnapshots('manual')
    : [];
  // The restore time a drill measured is recorded on the snapshot it restored, wherever the drill ran.
  const report = withRestoreTimes(statusReport(observation, backupPolicyOf(config.Source), kept), [
    ...observation.snapshots,
    ...observation.destinationSnapshots,
    ...Object.values(observation.regionSnapshots ?? {}).flat(),
    ...drillSnapshots,
  ]);
  for (const line of formatStatus(report, config.Source.ClusterNamePattern)) io.info(line);
  const drills = config.RestoreDrill?.Region
    ? drillStatus({
        snapshots: drillSnapshots,
        clusterIds: report.clusters.map((c) => c.clusterId),
        settings: { ...config.RestoreDrill, Region: config.RestoreDrill.Region },
        now: observation.now,
      })
    : undefined;
  if (drills) for (const line of formatDrillStatus(drills)) io.info(line);
  if (html !== undefined) {
    const { writeStatusReport } = await import('../report/live.js');
    await writeStatusReport(html, observation, config.Source, undefined, kept, drills, report);
    io.info(`Report written to ${html}`);
  }
  io.result(drills ? { ...report, restoreDrills: drills } : report);
  return 0;
};

const demo: CommandFn = async (options, { io, env }) => {
  if (options.organization === true) {
    const { runOrganizationDemo } = await import('../demo/run-organization.js');
    const result = await runOrganizationDemo({
      days: Number(options.days),
      out: typeof options.out === 'string' ? options.out : 'demo-organization.html',
      endpoint: env.AWS_ENDPOINT_URL,
      io: { write: (line: string) => io.info(line), error: (line: string) => io.error(line) },
    });
    io.result(result);
    return result.exitCode;
  }
  const { runDemo } = await import('../demo/run.js');
  const result = await runDemo({
    days: Number(options.days),
    out: typeof options.out === 'string' ? options.out : 'demo-report.html',
    endpoint: env.AWS_ENDPOINT_URL,
    io: { write: (line: string) => io.info(line), error: (line: string) => io.error(line) },
  });
  io.result(result);
  if (result.exitCode !== undefined) return result.exitCode;
  return result.checks.every((c) => c.ok) ? 0 : 1;
};

const publish: CommandFn = async (options, { io, env }) => {
  const { publishBundles, publishToRegions } = await import('../aws/publish.js');
  if (typeof options.regions === 'string') {
    const published = await publishToRegions({
      bucket: String(options.bucket),
      regions: options.regions
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
      dir: typeof options.dir === 'string' ? options.dir : BUNDLE_DIR,
      prefix: String(options.prefix ?? ''),
      ...(typeof options.organizationId === 'string' ? { organizationId: options.organizationId } : {}),
      ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
    });
    for (const p of published) {
      for (const u of p.uploaded) io.info(`uploaded s3://${p.bucket}/${u.key} (${u.bytes} bytes)`);
      if (p.organizationPolicy) {
        io.info(
          `set the policy of ${p.bucket}: organization ${String(options.organizationId)} may read the bundles`,
        );
      }
    }
    io.result({ regions: published });
    return 0;
  }
  if (typeof options.organizationId === 'string') {
    throw new ConfigError([
      {
        parameter: '--organization-id',
        value: options.organizationId,
        message: 'is taken with --regions (the buckets of each region it publishes to)',
      },
    ]);
  }
  const region = typeof options.region === 'string' ? options.region : env.AWS_REGION;
  if (!region) {
    throw new ConfigError([
      {
        parameter: '--region',
        value: undefined,
        message: 'or AWS_REGION is required: the region of the CodeBucket',
      },
    ]);
  }
  const uploaded = await publishBundles({
    bucket: String(options.bucket),
    region,
    dir: typeof options.dir === 'string' ? options.dir : BUNDLE_DIR,
    prefix: String(options.prefix ?? ''),
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
  });
  for (const u of uploaded) io.info(`uploaded s3://${String(options.bucket)}/${u.key} (${u.bytes} bytes)`);
  io.result({ uploaded });
  return 0;
};

const drill: CommandFn = async (options, context) => {
  const { drillCommand } = await import('./drill.js');
  return drillCommand(options, context);
};

const restore: CommandFn = async (options, context) => {
  const { restoreCommand } = await import('./restore.js');
  return restoreCommand(options, context);
};

const orgDeploy: CommandFn = async (options, context) => {
  const { orgDeployCommand } = await import('./organization.js');
  return orgDeployCommand(options, context);
};

export const commands = {
  validate,
  plan,
  run,
  status,
  demo,
  publish,
  drill,
  restore,
  orgDeploy,
} satisfies Record<string, CommandFn>;
