// `npm run package`: one zip per function, each holding index.mjs that exports `handler`, within the size budget.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { BUNDLE_BUDGET_BYTES, type PackagedFunction, packageFunctions } from '../../scripts/package.js';
import { ALL_FUNCTIONS, LAMBDA_HANDLER } from '../../src/handlers/names.js';

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

  it.each(ALL_FUNCTIONS)('%s: index.mjs exports the handler the templates name', async (name) => {
    // Prepare
    const entries = await readZip(join(outDir, `${name}.zip`));
    const dir = await mkdtemp(join(outDir, `${name}-`));
    const file = join(dir, 'index.mjs');
    await writeFile(file, entries.get('index.mjs') ?? Buffer.alloc(0));
    const exportName = LAMBDA_HANDLER.split('.')[1] ?? '';

    // Act
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;

    // Assess
    expect(LAMBDA_HANDLER.split('.')[0]).toBe('index');
    expect(typeof module[exportName]).toBe('function');
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
    // Prepare
    const again = await mkdtemp(join(outDir, 'again-'));

    // Act
    await packageFunctions(again);

    // Assess
    const first = await readFile(join(outDir, 'CheckSnapshotStatus.zip'));
    const second = await readFile(join(again, 'CheckSnapshotStatus.zip'));
    expect(second.equals(first)).toBe(true);
  }, 180_000);
});
