// `npm run package`: one zip per function, each holding index.mjs and its map, within the size budget. That each
// index.mjs exports the handler the templates name is checked where every bundle is loaded and run
// (test/contracts/emf-alarms.test.ts).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { BUNDLE_BUDGET_BYTES, type PackagedFunction, packageFunctions } from '../../scripts/package.js';
import { ALL_FUNCTIONS, type FunctionName } from '../../src/handlers/names.js';
import { captureStdout } from '../state-machine/harness.js';
import { createEstate } from '../support/estate.js';
import { startMoto } from '../support/moto.js';

function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('packageFunctions', () => {
  let outDir: string;
  let packaged: PackagedFunction[];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'aurora-snapshot-tool-package-'));
    packaged = await packageFunctions(outDir);
  }, 180_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes one zip per function, named after it', () => {
    expect(packaged.map((p) => p.functionName)).toEqual([...ALL_FUNCTIONS]);
    expect(packaged.map((p) => p.zipPath)).toEqual(ALL_FUNCTIONS.map((name) => join(outDir, `${name}.zip`)));
  });

  it.each(ALL_FUNCTIONS)('%s: holds index.mjs and its source map, under the budget', async (name) => {
    // Act
    const entries = await readZip(join(outDir, `${name}.zip`));

    // Assess
    expect([...entries.keys()].sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const code = entries.get('index.mjs');
    expect(code?.length).toBeGreaterThan(0);
    expect(code?.length).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    expect(packaged.find((p) => p.functionName === name)?.bundleBytes).toBe(code?.length);
  });

  async function loadBundle(
    name: FunctionName,
  ): Promise<(event: unknown) => Promise<Record<string, unknown>>> {
    const entries = await readZip(join(outDir, `${name}.zip`));
    const dir = await mkdtemp(join(outDir, `${name}-run-`));
    const file = join(dir, 'index.mjs');
    await writeFile(file, entries.get('index.mjs') ?? Buffer.alloc(0));
    const module = (await import(pathToFileURL(file).href)) as {
      handler: (event: unknown) => Promise<Record<string, unknown>>;
    };
    return module.handler;
  }

  it('runs: the bundled TakeSnapshotsAurora takes a snapshot on moto through its own SDK clients', async () => {
    // Prepare
    const moto = await startMoto();
    const saved = process.env.AWS_ENDPOINT_URL;
    const output = captureStdout();
    try {
      process.env.AWS_ENDPOINT_URL = moto.endpoint;
      const estate = createEstate({ endpoint: moto.endpoint });
      await estate.createCluster('us-east-1', 'orders-db');
      const handler = await loadBundle('TakeSnapshotsAurora');

      // Act
      const result = await handler({
        config: { Source: { Region: 'us-east-1', ClusterNamePattern: 'orders' } },
      });

      // Assess
      expect(result).toMatchObject({ started: true, taken: [expect.stringMatching(/^orders-db-/)] });
      expect(await estate.snapshotIds('us-east-1')).toEqual(result.taken);
    } finally {
      output.restore();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
      await moto.stop();
    }
  }, 60_000);

  it('runs: a bundled function rejects a bad setting with ConfigError naming it', async () => {
    // Prepare
    const handler = await loadBundle('DeleteOldSnapshotsDestAurora');
    const output = captureStdout();

    // Act
    const error = await handler({
      config: { Destination: { Region: 'us-west-2', SnapshotPattern: 'x', RetentionDays: -1 } },
    })
      .then(() => undefined)
      .catch((e: unknown) => e as Error);
    output.restore();

    // Assess
    expect(error?.name).toBe('ConfigError');
    expect(error?.message).toContain('Destination.RetentionDays');
  });

  it('bundles the SDK clients rather than relying on the runtime copy', async () => {
    // Act
    const entries = await readZip(join(outDir, 'TakeSnapshotsAurora.zip'));

    // Assess
    const code = entries.get('index.mjs')?.toString('utf8') ?? '';
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).toContain('DescribeDBClusterSnapshots');
  });

  it('gives an unchanged function a byte-identical zip', async () => {
    // Prepare: one function built again (every function goes through the same build and zip code).
    const again = await mkdtemp(join(outDir, 'again-'));

    // Act
    const rebuilt = await packageFunctions(again, ['CheckSnapshotStatus']);

    // Assess
    expect(rebuilt.map((p) => p.functionName)).toEqual(['CheckSnapshotStatus']);
    const first = await readFile(join(outDir, 'CheckSnapshotStatus.zip'));
    const second = await readFile(join(again, 'CheckSnapshotStatus.zip'));
    expect(second.equals(first)).toBe(true);
  }, 180_000);
});
