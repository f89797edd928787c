#!/usr/bin/env node
/** The `aurora-snapshot-tool` command line: validate, plan, run, status, drill, restore, demo, publish and org deploy over the same engine. */
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, ToolError } from '../core/model/errors.js';
import { VERSION } from '../package-info.js';
import { commands } from './commands.js';
import { type CommandContext, createIoHost, processStreams, type Streams } from './io.js';

/** Exit codes: 0 success, 1 an action or AWS call failed, 2 bad configuration or usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function isoDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(`"${value}" is not an ISO-8601 time such as 2026-01-31T08:00:00Z`);
  }
  return date;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 365)
    throw new InvalidArgumentError(`"${value}" must be a whole number from 1 to 365`);
  return n;
}

export interface MainOptions {
  readonly streams?: Streams;
  readonly env?: NodeJS.ProcessEnv;
}

/** What a command's action receives: its name, its parsed options and the commander command. */
export type CommandAction = (
  name: keyof typeof commands,
  opts: Record<string, unknown>,
  command: Command,
) => Promise<void>;

/**
 * The command line: every command with its options, as `--help` shows them. `action` runs a parsed
 * command; tests parse commands (a guide's examples) with their own action, running nothing.
 */
export function createProgram(streams: Streams, action: CommandAction): Command {
  const program = new Command('aurora-snapshot-tool')
    .description('Scheduled Aurora cluster snapshots, disaster-recovery copies and retention on both sides.')
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => streams.write(s), writeErr: (s) => streams.writeError(s) })
    .showHelpAfterError('(run with --help for usage)');
  const run =
    (name: keyof typeof commands) =>
    (opts: Record<string, unknown>, command: Command): Promise<void> =>
      action(name, opts, command);

  const configOption = () =>
    new Option('-c, --config <file>', 'configuration file (YAML or JSON) (required)');
  const jsonOption = () => new Option('--json', 'print the result as JSON');
  const nowOption = () =>
    new Option('--now <iso>', 'the time the pass acts at (simulations and tests)').argParser(isoDate);

  program
    .command('validate')
    .description(
      'check a configuration file; exit 2 with the problems. With credentials, also checks that DestinationAccount is not their own account',
    )
    .addOption(configOption())
    .addOption(jsonOption())
    .option('--offline', 'check the file only, with no AWS call')
    .action(run('validate'));
  program
    .command('plan')
    .description('show what a pass would do and why, changing nothing')
    .addOption(configOption())
    .addOption(jsonOption())
    .addOption(nowOption())
    .action(run('plan'));
  program
    .command('run')
    .description('one pass of the source job and, when configured, the destination job')
    .addOption(configOption())
    .addOption(jsonOption())
    .addOption(nowOption())
    .action(run('run'));
  program
    .command('status')
    .description('latest snapshot and recovery point per cluster, and the quota')
    .addOption(configOption())
    .addOption(jsonOption())
    .addOption(nowOption())
    .option('--html <file>', 'also write the report page (timeline and recovery points)')
    .option(
      '--organization',
      "every account under the configuration's Organization.OrganizationalUnits, in each of its Regions, through each account's status reader role (run in the management or a delegated administrator account)",
    )
    .action(run('status'));
  program
    .command('drill')
    .description('restore the newest copy of each cluster into a drill cluster, check it, delete it')
    .addOption(configOption())
    .addOption(jsonOption())
    .option('--keep', 'leave the restored cluster for inspection (and say how to delete it)')
    .option('--snapshot <id>', 'restore this snapshot instead of the newest copy of each cluster')
    .option('--cleanup', 'only delete what earlier drills left (clusters and instances tagged restore-drill)')
    .action(run('drill'));
  program
    .command('restore')
    .description(
      'restore a cluster like the lost one from its newest copy in the recovery region (--dry-run: the API requests it would make)',
    )
    .addOption(configOption())
    .requiredOption('--cluster <id>', 'the source cluster to bring back')
    .option('--region <region>', 'recovery region (default: Recovery.Region, else the RestoreDrill region)')
    .addOption(
      new Option(
        '--account <which>',
        "whose copies: vault (run with the vault account's profile) or source",
      ).choices(['vault', 'source']),
    )
    .option(
      '--source-account <id>',
      'the account the lost cluster was in, when the region holds copies of clusters of the same name from several (a vault for an organization)',
    )
    .option('--snapshot <id>', 'restore this snapshot (identifier or ARN) instead of the newest copy')
    .addOption(
      new Option(
        '--before <iso>',
        'restore the newest copy whose point in time is at or before this time',
      ).argParser(isoDate),
    )
    .option('--name <name>', 'name of the restored cluster (default: the source cluster name)')
    .option('--instance-class <class>', "every instance's class (required when the copy carries no shape)")
    .option('--engine-version <version>', 'restore into this engine version (default: the source version)')
    .option('--dry-run', 'print the API requests it would make and the expected time; create nothing')
    .addOption(jsonOption())
    .action(run('restore'));
  program
    .command('demo')
    .description('run the whole tool on an embedded AWS emulator over simulated days')
    .addOption(new Option('--days <n>', 'days to simulate').argParser(positiveInt).default(10))
    .option(
      '--organization',
      'an organization instead: org deploy over two units and two regions, every member protected into a vault, an account joining a unit, and status --organization',
    )
    .option(
      '--out <file>',
      'report page to write (default demo-report.html; with --organization, demo-organization.html, the status --organization --html page)',
    )
    .addOption(jsonOption())
    .action(run('demo'));
  program
    .command('publish')
    .description('upload the Lambda function bundles to the CodeBucket (or to one bucket per region)')
    .requiredOption(
      '--bucket <name>',
      "the CodeBucket; with --regions, a name with {region} ('acme-tool-{region}')",
    )
    .option('--region <region>', 'the bucket region (default: AWS_REGION)')
    .option('--regions <regions>', 'publish to the bucket of each of these regions, comma-separated')
    .option(
      '--organization-id <id>',
      'with --regions: set each bucket policy so that this organization (o-...) may read the bundles',
    )
    .option('--prefix <prefix>', 'key prefix in the bucket', '')
    .option('--dir <dir>', 'directory of the zips (default: the bundles of this package)')
    .addOption(jsonOption())
    .action(run('publish'));
  const org = program
    .command('org')
    .description(
      'protect the accounts of an organization (run in the management or a delegated administrator account)',
    );
  org
    .command('deploy')
    .description(
      'create or update the StackSet of the account template over the organizational units and regions of org.yaml, and show each stack instance',
    )
    .addOption(configOption())
    .option('--region <region>', 'region of the StackSet (default: AWS_REGION)')
    .option(
      '--template-bucket <bucket>',
      'bucket of the template upload (default: the code bucket of --region)',
    )
    .option('--template <file>', 'the account template (default: the one of this package)')
    .option('--wait', 'wait until the stack instances are deployed before listing them')
    .addOption(jsonOption())
    .action(run('orgDeploy'));

  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never throws. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const streams = options.streams ?? processStreams;
  const env = options.env ?? process.env;
  let exitCode: number = EXIT.ok;
  const program = createProgram(streams, async (name, opts, command) => {
    // Checked here rather than by commander's mandatory option, which would report a missing
    // --config before a misspelt one (`--confg`) is named as unknown.
    if (command.options.some((o) => o.long === '--config') && opts.config === undefined) {
      command.error("error: required option '-c, --config <file>' not specified", {
        exitCode: EXIT.usage,
        code: 'commander.missingMandatoryOptionValue',
      });
    }
    const io = createIoHost(streams, Boolean(opts.json));
    const context: CommandContext = { io, env };
    exitCode = await commands[name](opts, context);
  });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    const code = reportError(error, streams, env);
    if (argv.includes('--json') && code !== EXIT.ok)
      streams.write(`${JSON.stringify(errorJson(error), null, 2)}\n`);
    return code;
  }
}

/**
 * An error as `--json` prints it on stdout (the human message still goes to stderr):
 * `{"error": {"name", "message", ...details}}`, with `issues` for a ConfigError.
 */
export function errorJson(error: unknown): { error: Record<string, unknown> } {
  if (error instanceof CommanderError) {
    return {
      error: { name: 'UsageError', message: error.message.replace(/^error: /, ''), code: error.code },
    };
  }
  if (error instanceof ToolError) {
    return { error: { ...error.details, name: error.name, message: error.message } };
  }
  if (error instanceof Error) return { error: { name: error.name, message: error.message } };
  return { error: { name: 'Error', message: String(error) } };
}

/** What a ConfigError is about: command-line options, environment variables or the configuration. */
function configErrorHeading(error: ConfigError): string {
  const parameters = error.issues.map((issue) => issue.parameter);
  if (parameters.every((p) => p.startsWith('--'))) return 'Invalid command-line option';
  if (parameters.every((p) => /^[A-Z][A-Z0-9_]+$/.test(p))) return 'Invalid environment variable';
  return 'Invalid configuration';
}

function reportError(error: unknown, streams: Streams, env: NodeJS.ProcessEnv): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.exitCode === 0
    ) {
      return EXIT.ok;
    }
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    streams.writeError(`${configErrorHeading(error)}:\n${error.message.replace(/^/gm, '  ')}\n`);
    return EXIT.usage;
  }
  if (error instanceof ToolError) {
    streams.writeError(`error: ${error.name}: ${error.message}\n`);
    return EXIT.failed;
  }
  const message = error instanceof Error ? error.message : String(error);
  streams.writeError(`error: ${message}\n`);
  if (env.AURORA_SNAPSHOT_TOOL_DEBUG && error instanceof Error && error.stack)
    streams.writeError(`${error.stack}\n`);
  return EXIT.failed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
