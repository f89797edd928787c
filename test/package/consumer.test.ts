// The package as a user gets it: packed from a clean copy of the repository (prepack builds everything),
// installed into a new project on Node 22, its command, its API and its CDK constructs used from there.
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { node22, withNode } from '../../scripts/node22.js';
import {
  ALL_FUNCTIONS,
  DESTINATION_FUNCTIONS,
  type FunctionName,
  SOURCE_FUNCTIONS,
} from '../../src/handlers/names.js';
import { destinationStateMachineDefinition } from '../../src/state-machines/destination.js';
import { sourceStateMachineDefinition } from '../../src/state-machines/source.js';
import { execute, type LambdaHandler } from '../state-machine/execute.js';
import { createEstate } from '../support/estate.js';
import { startMoto } from '../support/moto.js';

const exec = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
};

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function sh(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(command, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? e.message,
    };
  }
}

/**
 * The installed command as npx runs it once found: the package's bin linked in node_modules/.bin (its
 * `#!/usr/bin/env node` finds Node 22 first on PATH). One test goes through npx itself; the others call the
 * link, without npm's own start of about a second each time.
 */
const TOOL = join('node_modules', '.bin', 'aurora-snapshot-tool');

function ok(run: Run, what: string): Run {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  return run;
}

/** The installed version of a dev dependency of the repository, so npm finds it in its cache. */
function installedVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/** The CDK app of the README's "Use it from your own project" section. */
function readmeCdkApp(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Use it from your own project')[1] ?? '';
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md: no ```ts block in "Use it from your own project"');
  return block;
}

function unzipEntry(zipPath: string, name: string): Promise<Buffer> {
  return new Promise((done, fail) => {
    yauzl.open(zipPath, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return fail(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => done(Buffer.concat(chunks)));
        });
      });
      zip.on('end', () => fail(new Error(`${zipPath} holds no ${name}`)));
      zip.readEntry();
    });
  });
}

/** Calls a handler as Lambda's nodejs22.x runtime loads it: index.mjs of the zip, `handler`, in a Node 22 process. */
const LAMBDA_DRIVER = `
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [file, eventFile, resultFile] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(file).href);
let answer;
try {
  answer = { result: (await handler(JSON.parse(readFileSync(eventFile, 'utf8')), {})) ?? null };
} catch (error) {
  answer = { error: { name: error.name, message: error.message } };
}
writeFileSync(resultFile, JSON.stringify({ ...answer, node: process.version }));
`;

describe('the npm package installed into a new project (Node 22)', () => {
  let work: string;
  let tarball: string;
  let app: string;
  let env: NodeJS.ProcessEnv;
  let install: Run;

  beforeAll(async () => {
    const node = await node22();
    env = withNode(node, { ...process.env, NO_COLOR: '1' });
    for (const key of [
      'AWS_ENDPOINT_URL',
      'AWS_PROFILE',
      'npm_config_prefix',
      'AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT',
    ]) {
      delete env[key];
    }
    work = mkdtempSync(join(tmpdir(), 'ast-consumer-'));

    // A clean copy: the files git tracks or would track, no dist/, no build output; the repository's
    // node_modules for the build tools (as `npm ci` would install them). Its prepack compiles the copy; its
    // package step takes the run's function bundles (test/support/bundle-cache.ts) when every source file and
    // package version they were built from is the copy's too, as it is (else it builds them).
    const copy = join(work, 'repository');
    const listed = ok(
      await sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT, env),
      'git ls-files',
    );
    for (const file of listed.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)))) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(ROOT, file), join(copy, file));
    }
    expect(existsSync(join(copy, 'dist'))).toBe(false);
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    ok(await sh('npm', ['pack', '--pack-destination', work, '--silent'], copy, env), 'npm pack');
    const packed = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!packed) throw new Error('npm pack wrote no tarball');
    tarball = join(work, packed);

    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    install = ok(
      await sh(
        'npm',
        [
          'install',
          tarball,
          // The CDK peers at the repository's versions, linked from its node_modules as npm installed them
          // there, instead of unpacking aws-cdk-lib's 161 MB again: seconds of both cores.
          `file:${join(ROOT, 'node_modules', 'aws-cdk-lib')}`,
          `file:${join(ROOT, 'node_modules', 'constructs')}`,
          `typescript@${installedVersion('@typescript/native')}`,
          '@types/node@22',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
        ],
        app,
        env,
      ),
      'npm install',
    );
  }, 600_000);

  // The installed project holds aws-cdk-lib and TypeScript: on a busy machine deleting it outlasts the
  // default hook timeout, which would fail a run whose tests all passed.
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  }, 300_000);

  it('holds the ten function bundles, the compiled API and constructs with their types, and no sources or tests', async () => {
    const listing = ok(await sh('tar', ['tzf', tarball], work, env), 'tar').stdout.split('\n');

    for (const name of ALL_FUNCTIONS) expect(listing).toContain(`package/dist/lambda/${name}.zip`);
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/infra/index.js', 'dist/infra/index.d.ts']) {
      expect(listing).toContain(`package/${file}`);
    }
    expect(listing).toContain('package/bin/aurora-snapshot-tool.js');
    expect(listing.filter((f) => /^package\/(src|test)\//.test(f))).toEqual([]);
  });

  it('installs on Node 22 without an engine or deprecation warning', () => {
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/EBADENGINE|npm warn/i);
  });

  it('prints its version with --version and validates a configuration', async () => {
    const version = await sh('npx', ['aurora-snapshot-tool', '--version'], app, env);
    writeFileSync(join(app, 'tool.yaml'), readFileSync(join(ROOT, 'infra-app', 'tool.yaml')));
    const validate = await sh(TOOL, ['validate', '--config', 'tool.yaml'], app, env);

    expect(version).toEqual({ code: 0, stdout: `${PACKAGE.version}\n`, stderr: '' });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('tool.yaml is valid');
    expect(validate.stderr).toBe('');
  });

  it('runs the demo for one day and passes its checks', async () => {
    const demo = await sh(TOOL, ['demo', '--days', '1'], app, env);

    expect(demo.stderr).not.toMatch(/Cannot find (package|module)/);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).not.toMatch(/FAIL/);
    expect(existsSync(join(app, 'demo-report.html'))).toBe(true);
  }, 180_000);

  it('serves the programmatic API by the package name, refusing bad input with a ConfigError', async () => {
    writeFileSync(
      join(app, 'api.mjs'),
      [
        "import { ConfigError, parseConfig, VERSION } from 'aurora-snapshot-tool';",
        "const config = parseConfig({ Source: { Region: 'us-east-1', ClusterNamePattern: '^prod-db$' } });",
        'let refused;',
        "try { parseConfig({ Source: { Region: 'mars-1', ClusterNamePattern: 'x' } }); } catch (e) { refused = e; }",
        'console.log(JSON.stringify({ VERSION, interval: config.Source.BackupInterval,',
        '  refused: refused instanceof ConfigError ? refused.issues.map((i) => i.parameter) : String(refused) }));',
      ].join('\n'),
    );

    const result = ok(await sh('node', ['api.mjs'], app, env), 'node api.mjs');

    expect(JSON.parse(result.stdout)).toEqual({
      VERSION: PACKAGE.version,
      interval: 24,
      refused: ['Source.Region'],
    });
  });

  it('runs its packaged functions on Node 22 (a source and a cross-account destination execution), then status, plan, run and publish, against moto', async () => {
    // Prepare: the zips of the installed package, each function's index.mjs in its own directory.
    const node = await node22();
    const lambda = join(work, 'lambda');
    writeFileSync(join(work, 'driver.mjs'), LAMBDA_DRIVER);
    for (const name of ALL_FUNCTIONS) {
      mkdirSync(join(lambda, name), { recursive: true });
      const zip = join(app, 'node_modules', PACKAGE.name, 'dist', 'lambda', `${name}.zip`);
      writeFileSync(join(lambda, name, 'index.mjs'), await unzipEntry(zip, 'index.mjs'));
    }
    const moto = await startMoto();
    const versions = new Set<string>();
    let calls = 0;
    const lambdaOf =
      (name: FunctionName, account?: string): LambdaHandler =>
      async (event) => {
        const eventFile = join(work, `event-${++calls}.json`);
        const resultFile = join(work, `result-${calls}.json`);
        writeFileSync(eventFile, JSON.stringify(event));
        const childEnv = {
          ...env,
          ...moto.env,
          AWS_REGION: 'us-east-1',
          AWS_MAX_ATTEMPTS: '2',
          ...(account ? { AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT: account } : {}),
        };
        ok(
          await sh(
            node,
            [join(work, 'driver.mjs'), join(lambda, name, 'index.mjs'), eventFile, resultFile],
            work,
            childEnv,
          ),
          name,
        );
        const answer = JSON.parse(readFileSync(resultFile, 'utf8')) as {
          result?: unknown;
          error?: { name: string; message: string };
          node: string;
        };
        versions.add(answer.node);
        if (answer.error) throw Object.assign(new Error(answer.error.message), { name: answer.error.name });
        return answer.result;
      };
    const arn = (region: string, account: string, name: string) =>
      `arn:aws:lambda:${region}:${account}:function:${name}`;
    const SOURCE = '123456789012';
    const DESTINATION = '222222222222';
    try {
      const estate = createEstate({ endpoint: moto.endpoint });
      await estate.createCluster('us-east-1', 'orders-db');
      const source = {
        take: arn('us-east-1', SOURCE, 'TakeSnapshotsAurora'),
        check: arn('us-east-1', SOURCE, 'CheckSnapshotStatus'),
        share: arn('us-east-1', SOURCE, 'ShareSnapshotsAurora'),
        deleteOld: arn('us-east-1', SOURCE, 'DeleteOldSnapshotsAurora'),
      };
      const destination = {
        copy: arn('us-west-2', DESTINATION, 'CopySnapshotsDestAurora'),
        check: undefined,
        deleteOld: arn('us-west-2', DESTINATION, 'DeleteOldSnapshotsDestAurora'),
      };

      // Act
      const sourceRun = await execute(
        sourceStateMachineDefinition(source),
        {
          Source: {
            Region: 'us-east-1',
            ClusterNamePattern: '^orders',
            ShareSnapshots: 'TRUE',
            DestinationRegion: 'us-west-2',
            // The DR copy is shared with a third account once available: the execution follows it
            // (CheckSnapshotStatus), so every source function runs.
            DestinationAccount: '333333333333',
          },
        },
        {
          [source.take]: lambdaOf('TakeSnapshotsAurora'),
          [source.check]: lambdaOf('CheckSnapshotStatus'),
          [source.share]: lambdaOf('ShareSnapshotsAurora'),
          [source.deleteOld]: lambdaOf('DeleteOldSnapshotsAurora'),
        },
      );
      const destinationRun = await execute(
        destinationStateMachineDefinition(destination),
        {
          Destination: {
            Region: 'us-west-2',
            SnapshotPattern: '^orders',
            SourceAccount: SOURCE,
            SourceRegion: 'us-east-1',
          },
        },
        {
          [destination.copy]: lambdaOf('CopySnapshotsDestAurora', DESTINATION),
          [destination.deleteOld]: lambdaOf('DeleteOldSnapshotsDestAurora', DESTINATION),
        },
      );

      // Assess
      expect([sourceRun.status, sourceRun.error, sourceRun.cause]).toEqual([
        'SUCCEEDED',
        undefined,
        undefined,
      ]);
      expect([destinationRun.status, destinationRun.error, destinationRun.cause]).toEqual([
        'SUCCEEDED',
        undefined,
        undefined,
      ]);
      const taken = await estate.snapshotIds('us-east-1');
      expect(taken).toEqual([expect.stringMatching(/^orders-db-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/)]);
      // The disaster-recovery copy in us-west-2; the destination account's job found nothing shared with it
      // (moto cannot copy a snapshot across accounts: the state machine tests cover that copy).
      expect(await estate.snapshotIds('us-west-2')).toHaveLength(1);
      expect(await estate.as(DESTINATION).snapshotIds('us-west-2')).toEqual([]);
      const invoked = new Set(
        [...sourceRun.invocations, ...destinationRun.invocations].map((i) => i.functionArn.split(':').at(-1)),
      );
      expect([...invoked].sort()).toEqual([...SOURCE_FUNCTIONS, ...DESTINATION_FUNCTIONS].sort());
      expect([...versions]).toEqual([expect.stringMatching(/^v22\./)]);

      // The installed command against the same estate: status, plan, run, and publish to an S3 bucket.
      const cliEnv = { ...env, ...moto.env };
      writeFileSync(
        join(app, 'dr.yaml'),
        'Source:\n  Region: us-east-1\n  ClusterNamePattern: ^orders\n  ShareSnapshots: TRUE\n  DestinationRegion: us-west-2\n',
      );
      const status = await sh(TOOL, ['status', '--config', 'dr.yaml'], app, cliEnv);
      const plan = await sh(TOOL, ['plan', '--json', '--config', 'dr.yaml'], app, cliEnv);
      const run = await sh(TOOL, ['run', '--config', 'dr.yaml'], app, cliEnv);
      expect(
        await fetch(`${moto.endpoint}/ast-code-us-east-1`, { method: 'PUT' }).then((r) => r.status),
      ).toBe(200);
      const publish = await sh(
        TOOL,
        ['publish', '--bucket', 'ast-code-us-east-1', '--region', 'us-east-1', '--prefix', 'releases/1/'],
        app,
        cliEnv,
      );
      for (const result of [status, plan, run, publish])
        expect([result.code, result.stderr]).toEqual([0, '']);
      expect(status.stdout).toContain('orders-db');
      expect(JSON.parse(plan.stdout)).toHaveProperty('source');
      expect(
        publish.stdout.match(/^uploaded s3:\/\/ast-code-us-east-1\/releases\/1\/\w+\.zip/gm),
      ).toHaveLength(ALL_FUNCTIONS.length);
    } finally {
      await moto.stop();
    }
  }, 180_000);

  it("typechecks the README's CDK app importing aurora-snapshot-tool/cdk and synthesizes both stacks", async () => {
    writeFileSync(join(app, 'app.ts'), readmeCdkApp());
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          outDir: 'build',
          types: ['node'],
        },
        files: ['app.ts'],
      }),
    );

    ok(
      await sh(
        'node',
        // one thread: the suite's other files keep the cores busy
        [join('node_modules', 'typescript', 'bin', 'tsc'), '--singleThreaded', '-p', 'tsconfig.json'],
        app,
        env,
      ),
      'tsc',
    );
    const synth = ok(
      await sh('node', ['build/app.js'], app, { ...env, CDK_OUTDIR: join(app, 'cdk.out') }),
      'synth',
    );

    expect(synth.stderr).toBe('');
    const template = (stack: string) =>
      JSON.parse(readFileSync(join(app, 'cdk.out', `${stack}.template.json`), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties?: { FunctionName?: string } }>;
      };
    const functions = (stack: string) =>
      Object.values(template(stack).Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .map((r) => r.Properties?.FunctionName)
        .sort();
    const machines = (stack: string) =>
      Object.values(template(stack).Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')
        .length;
    expect(functions('SnapshotToolSource')).toEqual([
      'CheckSnapshotStatus',
      'DeleteOldSnapshotsAurora',
      'ShareSnapshotsAurora',
      'TakeSnapshotsAurora',
    ]);
    expect(functions('SnapshotToolDestination')).toEqual([
      'CopySnapshotsDestAurora',
      'DeleteOldSnapshotsDestAurora',
    ]);
    expect(machines('SnapshotToolSource')).toBe(1);
    expect(machines('SnapshotToolDestination')).toBe(1);
    // The function code is the package's bundles, staged as assets.
    expect(readdirSync(join(app, 'cdk.out')).filter((f) => /^asset\..*\.zip$/.test(f))).toHaveLength(6);
  }, 180_000);
});
