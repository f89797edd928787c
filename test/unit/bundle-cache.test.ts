// The run's bundle cache (scripts/package.ts): a bundle is reused only while every input esbuild read is
// unchanged, and a reader waits for a bundle announced as being built.
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_CACHE_ENV, buildBundle, bundle, cacheInput } from '../../scripts/package.js';

const NAME = 'CheckSnapshotStatus';

interface Entry {
  inputs: Record<string, string>;
  code: string;
}

describe('the bundle cache', () => {
  let dir: string;
  let fresh: Buffer;
  const before = process.env[BUNDLE_CACHE_ENV];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ast-bundle-cache-'));
    process.env[BUNDLE_CACHE_ENV] = dir;
    fresh = (await buildBundle(NAME, dir)).code;
  }, 120_000);

  afterAll(async () => {
    if (before === undefined) delete process.env[BUNDLE_CACHE_ENV];
    else process.env[BUNDLE_CACHE_ENV] = before;
    await rm(dir, { recursive: true, force: true });
  });

  const entryPath = () => join(dir, `${NAME}.json`);
  const readEntry = async () => JSON.parse(await readFile(entryPath(), 'utf8')) as Entry;
  /** Written whole, then renamed into place, as the cache writes its entries. */
  const writeEntry = async (entry: Entry) => {
    await writeFile(`${entryPath()}.partial`, JSON.stringify(entry));
    await rename(`${entryPath()}.partial`, entryPath());
  };

  it.each([
    ['src/handlers/take-snapshots.ts', 'src/handlers/take-snapshots.ts'],
    ['node_modules/zod/v4/core/core.js', 'node_modules/zod/package.json'],
    ['node_modules/@smithy/core/dist-es/index.js', 'node_modules/@smithy/core/package.json'],
    [
      'node_modules/@aws-sdk/client-rds/node_modules/@smithy/core/dist-es/a.js',
      'node_modules/@aws-sdk/client-rds/node_modules/@smithy/core/package.json',
    ],
    ['../../main/node_modules/croner/dist/croner.js', '../../main/node_modules/croner/package.json'],
  ])('checks %s by %s', (input, checked) => {
    expect(cacheInput(input)).toBe(checked);
  });

  it('records the source files of the function and the packages it bundles, with their hashes', async () => {
    // Act
    const entry = await readEntry();

    // Assess
    expect(entry.inputs).toHaveProperty(
      ['src/handlers/check-snapshot-status.ts'],
      expect.stringMatching(/^[0-9a-f]{64}$/),
    );
    expect(
      Object.keys(entry.inputs).some((input) =>
        input.endsWith('node_modules/@aws-sdk/client-rds/package.json'),
      ),
    ).toBe(true);
    expect(Buffer.from(entry.code, 'base64').equals(fresh)).toBe(true);
  });

  it('returns the entry while every input is unchanged (an entry altered on purpose shows it is not rebuilt)', async () => {
    // Prepare
    const entry = await readEntry();
    await writeEntry({ ...entry, code: Buffer.from('// from the cache').toString('base64') });

    // Act
    const reused = await bundle(NAME);

    // Assess
    expect(reused.code.toString()).toBe('// from the cache');
  });

  it('builds again when one input differs from what the entry recorded', async () => {
    // Prepare: the entry says one source file had other content
    const entry = await readEntry();
    const [first] = Object.keys(entry.inputs);
    await writeEntry({
      ...entry,
      code: Buffer.from('// stale').toString('base64'),
      inputs: { ...entry.inputs, [first ?? '']: '0'.repeat(64) },
    });

    // Act
    const rebuilt = await bundle(NAME);

    // Assess
    expect(rebuilt.code.equals(fresh)).toBe(true);
  }, 120_000);

  it('waits for a bundle announced as being built, then reuses it', async () => {
    // Prepare: announced, not yet written
    const entry = await readEntry();
    await rm(entryPath());
    await writeFile(join(dir, `${NAME}.pending`), '');
    setTimeout(() => {
      void writeEntry({ ...entry, code: Buffer.from('// written later').toString('base64') }).then(() =>
        rm(join(dir, `${NAME}.pending`)),
      );
    }, 300);

    // Act
    const waited = await bundle(NAME);

    // Assess
    expect(waited.code.toString()).toBe('// written later');
  });
});
