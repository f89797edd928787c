// What an operator reads: each message names the real cause and what to check, as a user met them
// (missing credentials, an endpoint that is down, a region never set, snapshots in the future, their own
// account as DestinationAccount, a misspelt option, a YAML error, a folder that does not exist...).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { restoreEnvironment } from '../support/environment.js';
import { createEstate, type Estate } from '../support/estate.js';
import { freePort, type MotoServer, startMoto } from '../support/moto.js';

const exec = promisify(execFile);
const BIN = new URL('../../bin/aurora-snapshot-tool.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ast-messages-'));
const HOUR = 3_600_000;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SOURCE_ONLY = file('source.yaml', 'Source:\n  Region: us-east-1\n  ClusterNamePattern: ^prod-db$\n');

/** The installed command in a child process with exactly `env` (plus PATH), as a shell would run it. */
async function bin(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A loopback port nothing listens on. */
describe('credentials, endpoints and the network', () => {
  it('says that no credentials were found, naming the credential chain, instead of a missing permission', async () => {
    // Prepare: no credentials anywhere the chain looks (no variables, no files, no instance role).
    const home = mkdtempSync(join(tmpdir(), 'ast-home-'));
    const env = {
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
    };

    // Act
    const result = await bin(['status', '--config', SOURCE_ONLY], env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: CredentialsError: no AWS credentials to call \w+:\w+ in us-east-1: the SDK's credential chain found none/,
    );
    expect(result.stderr).toContain('AWS_ACCESS_KEY_ID');
    expect(result.stderr).not.toMatch(/AccessDenied|grant/);
  });

  it('names an endpoint that refuses connections after one attempt, and prints the error as JSON with --json', async () => {
    // Prepare
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const env = {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
    };

    // Act
    const result = await bin(['status', '--json', '--config', SOURCE_ONLY], env);

    // Assess
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.stdout) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ name: 'EndpointUnreachable', endpoint, region: 'us-east-1', attempts: 1 });
    expect(error.message).toContain(`cannot reach the endpoint ${endpoint}`);
    expect(error.message).toContain('connection refused');
    expect(error.message).toContain('AWS_ENDPOINT_URL');
    expect(result.stderr).toContain('error: EndpointUnreachable:');
  });
});

describe('--json on errors, and usage errors', () => {
  it.each([
    ['validate', ['validate', '--json', '--config', join(dir, 'missing.yaml')], 'ConfigError'],
    ['plan', ['plan', '--json', '--confg', 'x.yaml'], 'UsageError'],
    ['run', ['run', '--json', '--config', SOURCE_ONLY, '--now', 'yesterday'], 'UsageError'],
    ['status', ['status', '--json', '--config', join(dir, 'missing.yaml')], 'ConfigError'],
    ['demo', ['demo', '--json', '--days', '0'], 'UsageError'],
    [
      'publish',
      ['publish', '--json', '--bucket', 'b', '--prefix', 'bad prefix', '--region', 'us-east-1'],
      'ConfigError',
    ],
  ])('%s --json prints {"error": {name, message}} on stdout', async (_command, argv, name) => {
    // Act
    const result = await runCli(argv);

    // Assess
    expect(result.code).toBe(2);
    const parsed = JSON.parse(result.stdout) as { error: { name: string; message: string } };
    expect(parsed.error.name).toBe(name);
    expect(parsed.error.message.length).toBeGreaterThan(0);
  });

  it('flags a misspelt --confg as an unknown option, suggesting --config, rather than a missing --config', async () => {
    // Act
    const result = await runCli(['validate', '--confg', SOURCE_ONLY]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--confg'");
    expect(result.stderr).toContain('--config');
    expect(result.stderr).not.toContain('required option');
  });

  it('still says that --config is required when it is missing', async () => {
    const result = await runCli(['plan']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '-c, --config <file>' not specified");
  });

  it('ends a YAML error with the parser message, not "(got (missing))"', async () => {
    // Act
    const result = await runCli([
      'validate',
      '--config',
      file('broken.yaml', 'Source:\n  Region: [us-east-1\n'),
    ]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not valid YAML or JSON');
    expect(result.stderr).not.toContain('(got (missing))');
  });

  it('heads a refused --now as a command-line option, not as the configuration', async () => {
    // Act
    const later = new Date(Date.now() + 48 * HOUR).toISOString();
    const result = await runCli(['run', '--config', SOURCE_ONLY, '--now', later], { PATH: process.env.PATH });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Invalid command-line option:\n {2}--now: is in the future/);
  });

  it('refuses --html into a folder that does not exist before any AWS call', async () => {
    // Prepare: an endpoint that would fail any call, so only a check made first can give exit 2.
    const endpoint = `http://127.0.0.1:${await freePort()}`;

    // Act
    const result = await runCli(
      ['status', '--config', SOURCE_ONLY, '--html', join(dir, 'no-such-folder', 'report.html')],
      { ...process.env, AWS_ENDPOINT_URL: endpoint },
    );

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--html: is in');
    expect(result.stderr).toContain('no-such-folder, which does not exist');
  });

  it('reports ShareSnapshots without DestinationRegion once, without a key-region error for a region never set', async () => {
    // Prepare
    const path = file(
      'no-region.yaml',
      [
        'Source:',
        '  Region: us-east-1',
        '  ClusterNamePattern: ^prod-db$',
        '  ShareSnapshots: TRUE',
        '  KmsKeyDestination: arn:aws:kms:us-west-2:111122223333:key/0b3a2c5e-1111-2222-3333-444455556666',
        '',
      ].join('\n'),
    );

    // Act
    const result = await runCli(['validate', '--json', '--config', path]);

    // Assess
    expect(result.code).toBe(2);
    const { error } = JSON.parse(result.stdout) as { error: { issues: { parameter: string }[] } };
    expect(error.issues.map((i) => i.parameter)).toEqual(['Source.DestinationRegion']);
  });
});

describe('against moto', () => {
  let moto: MotoServer;
  let estate: Estate;
  let env: NodeJS.ProcessEnv;
  const saved = { ...process.env };
  const withDestination = file(
    'dr.yaml',
    [
      'Source:',
      '  Region: us-east-1',
      '  ClusterNamePattern: ^prod-db$',
      '  BackupInterval: 8',
      '  ShareSnapshots: TRUE',
      '  DestinationRegion: us-west-2',
      '',
    ].join('\n'),
  );
  const account = (id: string) =>
    file(
      `account-${id}.yaml`,
      [
        'Source:',
        '  Region: us-east-1',
        '  ClusterNamePattern: ^prod-db$',
        '  ShareSnapshots: TRUE',
        '  DestinationRegion: us-west-2',
        `  DestinationAccount: "${id}"`,
        '',
      ].join('\n'),
    );

  beforeAll(async () => {
    moto = await startMoto();
    // The SDK's credential chain reads the process environment.
    Object.assign(process.env, moto.env);
    env = { ...process.env };
  }, 60_000);

  afterAll(async () => {
    restoreEnvironment(saved);
    await moto?.stop();
  });

  beforeEach(async () => {
    await moto.reset();
    estate = createEstate({ endpoint: moto.endpoint });
    await estate.createCluster('us-east-1', 'prod-db');
  });

  it('reports snapshots of a simulated future run as in the future: plain status, --json, the HTML page and plan', async () => {
    // Prepare: a simulated run 16 days ahead (allowed against an emulator) takes and copies a snapshot.
    const later = new Date(Date.now() + 16 * 24 * HOUR).toISOString();
    expect((await runCli(['run', '--config', withDestination, '--now', later], env)).code).toBe(0);
    const html = join(dir, 'future.html');

    // Act
    const text = await runCli(['status', '--config', withDestination], env);
    const json = await runCli(['status', '--json', '--config', withDestination], env);
    const page = await runCli(['status', '--config', withDestination, '--html', html], env);
    const plan = await runCli(['plan', '--config', withDestination], env);

    // Assess
    expect([text.code, json.code, page.code, plan.code]).toEqual([0, 0, 0, 0]);
    expect(text.stdout).toMatch(
      /latest snapshot: prod-db-\S+ \(available, in the future: \S+ \S+ UTC, 1[56]\.\dd from now\)/,
    );
    expect(text.stdout).toMatch(/recovery point in the future|in the future: .* from now\)/);
    expect(`${text.stdout}${plan.stdout}`).not.toMatch(/-\d+(\.\d+)?\s?[hdm]\b/);
    expect(plan.stdout).toContain('has a point in time in the future');
    const cluster = (
      JSON.parse(json.stdout) as {
        clusters: { latestSnapshot: Record<string, number>; latestCopy: Record<string, number> }[];
      }
    ).clusters[0];
    for (const s of [cluster?.latestSnapshot, cluster?.latestCopy]) {
      expect(s?.ageHours).toBe(0);
      expect(s?.inFutureHours).toBeGreaterThan(15 * 24);
    }
    const report = readFileSync(html, 'utf8');
    expect(report).toContain('have a point in time after this report');
    expect(report).not.toMatch(/<td class="n">-\d/);
    expect(report).not.toMatch(/>-\d+(\.\d+)? h</);
  });

  it('names the pattern and the region when no cluster matches', async () => {
    // Act
    const result = await runCli(
      [
        'status',
        '--config',
        file('nomatch.yaml', 'Source:\n  Region: us-east-1\n  ClusterNamePattern: ^orders-$\n'),
      ],
      env,
    );

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No cluster in us-east-1 matches ClusterNamePattern "^orders-$".');
  });

  it("refuses the caller's own account as DestinationAccount in validate and in run, before anything is taken", async () => {
    // Act: moto's account is 123456789012.
    const validate = await runCli(['validate', '--config', account('123456789012')], env);
    const run = await runCli(['run', '--config', account('123456789012')], env);

    // Assess
    for (const result of [validate, run]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Source.DestinationAccount: is the account these credentials act in');
    }
    expect(await estate.snapshotIds('us-east-1')).toEqual([]);
  });

  it('says what validate checked: another account passes with the caller named; --offline says it was not checked', async () => {
    // Act
    const online = await runCli(['validate', '--config', account('222222222222')], env);
    const offline = await runCli(['validate', '--offline', '--config', account('123456789012')], env);

    // Assess
    expect(online.code).toBe(0);
    expect(online.stdout).toContain(
      'Checked: DestinationAccount 222222222222 is not the account of these credentials (123456789012, STS GetCallerIdentity).',
    );
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain(
      'Not checked (--offline): whether DestinationAccount is the account of these credentials',
    );
  });

  it("refuses the caller's own account as an Account of Destinations in validate and in run, naming the item", async () => {
    // Prepare: moto's account is 123456789012
    const config = file(
      'destinations-own.yaml',
      `Source:
  Region: us-east-1
  ClusterNamePattern: ^orders$
  ShareSnapshots: TRUE
  Destinations:
    - Region: us-west-2
      Account: "222222222222"
    - Region: us-east-1
      Account: "123456789012"
`,
    );

    // Act
    const validate = await runCli(['validate', '--config', config], env);
    const run = await runCli(['run', '--config', config], env);

    // Assess
    for (const result of [validate, run]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'Source.Destinations[1].Account: is the account these credentials act in',
      );
      expect(result.stderr).not.toContain('Destinations[0]');
    }
    expect(await estate.snapshotIds('us-east-1')).toEqual([]);
  });
});
