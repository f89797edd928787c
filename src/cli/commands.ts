/** The CLI commands: thin glue from options to the engine, the AWS adapter and the report. */

import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { blockingError } from '../core/blocking.js';
import {
  type DestinationPassReport,
  observeSource,
  runDestinationPass,
  runSourcePass,
  type SourcePassReport,
  type SourceStores,
  statusReport,
} from '../core/engine.js';
import { ConfigError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import { drillStatus } from '../core/restore-drill.js';
import { formatDrillStatus, formatPlan, formatResults, formatStatus } from './format.js';
import type { IoHost } from './io.js';
import { storesFor } from './stores.js';

export interface CommandContext {
  readonly io: IoHost;
  readonly env: NodeJS.ProcessEnv;
}

type CommandFn = (options: Record<string, unknown>, context: CommandContext) => Promise<number>;

function clockFrom(options: Record<string, unknown>): Clock {
  const fixed = options.now instanceof Date ? options.now : undefined;
  return fixed ? { now: () => new Date(fixed.getTime()) } : { now: () => new Date() };
}

function sourceStores(config: Config, env: NodeJS.ProcessEnv): SourceStores | undefined {
  const source = config.Source;
  if (!source) return undefined;
  const destinationRegion =
    source.DestinationRegion && source.DestinationRegion !== source.Region
      ? source.DestinationRegion
      : undefined;
  return {
    source: storesFor(source.Region, env),
    destination: destinationRegion ? storesFor(destinationRegion, env) : undefined,
  };
}

interface PassOutcome {
  source?: SourcePassReport;
  destination?: DestinationPassReport;
}

async function pass(
  config: Config,
  clock: Clock,
  env: NodeJS.ProcessEnv,
  dryRun: boolean,
): Promise<PassOutcome> {
  const outcome: PassOutcome = {};
  const stores = sourceStores(config, env);
  if (config.Source && stores) {
    outcome.source = await runSourcePass(stores, config.Source, clock, ['take', 'share', 'delete'], {
      dryRun,
    });
  }
  if (config.Destination) {
    const store = storesFor(config.Destination.Region, env);
    outcome.destination = await runDestinationPass(store, config.Destination, clock, ['copy', 'delete'], {
      dryRun,
    });
  }
  return outcome;
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
    r && { actions: r.plan.actions, notes: r.plan.notes, results: r.results, failed: r.failed };
  return {
    source: part(outcome.source),
    destination: part(outcome.destination),
    status: outcome.source?.status,
  };
}

const validate: CommandFn = async (options, { io }) => {
  const config = await loadConfigFile(String(options.config));
  io.info(`${String(options.config)} is valid.`);
  io.result({ valid: true, config });
  return 0;
};

const plan: CommandFn = async (options, { io, env }) => {
  const config = await loadConfigFile(String(options.config));
  const outcome = await pass(config, clockFrom(options), env, true);
  printPass(io, outcome, false);
  io.result(jsonPass(outcome));
  return 0;
};

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

const run: CommandFn = async (options, { io, env }) => {
  checkFutureNow(options, env);
  const config = await loadConfigFile(String(options.config));
  const outcome = await pass(config, clockFrom(options), env, false);
  printPass(io, outcome, true);
  io.result(jsonPass(outcome));
  const failed = [...(outcome.source?.failed ?? []), ...(outcome.destination?.failed ?? [])];
  for (const f of failed) io.error(`error: ${f.error}: ${f.message}`);
  const blocked = outcome.source && blockingError(outcome.source.plan.notes);
  if (blocked) io.error(`error: ${blocked.name}: ${blocked.message}`);
  return failed.length > 0 || blocked ? 1 : 0;
};

const status: CommandFn = async (options, { io, env }) => {
  const config = await loadConfigFile(String(options.config));
  const stores = sourceStores(config, env);
  if (!config.Source || !stores) {
    io.error('status needs a Source block in the configuration');
    return 2;
  }
  const clock = clockFrom(options);
  const observation = await observeSource(stores, config.Source, clock, ['delete']);
  const report = statusReport(observation, config.Source);
  for (const line of formatStatus(report)) io.info(line);
  const drills = config.RestoreDrill?.Region
    ? drillStatus({
        snapshots: await storesFor(config.RestoreDrill.Region, env).listSnapshots('manual'),
        clusterIds: report.clusters.map((c) => c.clusterId),
        settings: { ...config.RestoreDrill, Region: config.RestoreDrill.Region },
        now: observation.now,
      })
    : undefined;
  if (drills) for (const line of formatDrillStatus(drills)) io.info(line);
  if (typeof options.html === 'string') {
    const { writeStatusReport } = await import('../report/live.js');
    await writeStatusReport(options.html, observation, config.Source, undefined, drills);
    io.info(`Report written to ${options.html}`);
  }
  io.result(drills ? { ...report, restoreDrills: drills } : report);
  return 0;
};

const demo: CommandFn = async (options, { io, env }) => {
  const { runDemo } = await import('../demo/run.js');
  const result = await runDemo({
    days: Number(options.days),
    out: String(options.out),
    endpoint: env.AWS_ENDPOINT_URL,
    io: { write: (line: string) => io.info(line), error: (line: string) => io.error(line) },
  });
  io.result(result);
  if (result.exitCode !== undefined) return result.exitCode;
  return result.checks.every((c) => c.ok) ? 0 : 1;
};

const publish: CommandFn = async (options, { io, env }) => {
  const { publishBundles } = await import('../aws/publish.js');
  const region = typeof options.region === 'string' ? options.region : env.AWS_REGION;
  if (!region) {
    io.error('publish needs --region or AWS_REGION: the region of the CodeBucket');
    return 2;
  }
  const uploaded = await publishBundles({
    bucket: String(options.bucket),
    region,
    dir: String(options.dir),
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

export const commands = { validate, plan, run, status, demo, publish, drill } satisfies Record<
  string,
  CommandFn
>;
