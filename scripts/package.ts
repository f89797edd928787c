/**
 * `npm run package`: bundles every Lambda function with esbuild (ESM, Node 22, minified, tree-shaken,
 * SDK v3 clients included) and zips each as dist/lambda/<FunctionName>.zip for the CodeBucket.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';
import yazl from 'yazl';
import { ALL_FUNCTIONS, type FunctionName, HANDLER_FILES } from '../src/handlers/names.js';

/** Each bundle's `index.mjs` must stay under this many bytes, unzipped. */
export const BUNDLE_BUDGET_BYTES = 1_000_000;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// A fixed time for every zip entry, so an unchanged bundle gives a byte-identical zip (and no
// needless Lambda update when the zip is uploaded again). DOS times start in 1980.
const ZIP_ENTRY_TIME = new Date('2020-01-01T00:00:00Z');

// Some dependencies are CommonJS and `require` Node built-ins; an ES module has no `require`.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export interface PackagedFunction {
  readonly functionName: FunctionName;
  readonly zipPath: string;
  /** Size of index.mjs, unzipped. */
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  readonly zipBytes: number;
}

/**
 * A directory of bundles built earlier in the same test run, to reuse (test/support/bundle-cache.ts sets it;
 * `npm run package` and a release never do). An entry is reused only when every source file esbuild read for it,
 * the version of every installed package it read from, this script and esbuild's version are unchanged.
 */
export const BUNDLE_CACHE_ENV = 'AURORA_SNAPSHOT_TOOL_BUNDLE_CACHE';

/** How long a reader waits for a bundle another process announced it is building (`<name>.pending`). */
const PENDING_WAIT_MS = 180_000;

interface CacheEntry {
  /** esbuild's version and this script's hash: what makes the same inputs give the same output. */
  readonly builder: string;
  /**
   * Every file of the repository esbuild read, and the package.json of every installed package it read from,
   * relative to the repository, with the SHA-256 of its content.
   */
  readonly inputs: Readonly<Record<string, string>>;
  readonly code: string;
  readonly map: string;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/**
 * What an input of the bundle is checked by: a file of the repository by its content; a file of an installed
 * package by that package's package.json (its name and version: npm ci installs a version's files as
 * published), so that a check reads a few hundred files, not the 2,400 of the SDK.
 */
export function cacheInput(input: string): string {
  // the last node_modules/ of the path: a package installed inside another is its own
  const installed = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return installed ? `${installed[1]}/package.json` : input;
}

/** Hashes of files already read by this process, by path, size and modification time (bundles share most inputs). */
const fileHashes = new Map<string, string>();

/** The SHA-256 of a file's content, or undefined when it is not a file. */
async function fileHash(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const key = `${path}\0${info.size}\0${info.mtimeMs}`;
  let hash = fileHashes.get(key);
  if (hash === undefined) {
    hash = sha256(await readFile(path));
    fileHashes.set(key, hash);
  }
  return hash;
}

async function builderKey(): Promise<string> {
  return `esbuild ${esbuildVersion} ${sha256(await readFile(fileURLToPath(import.meta.url)))}`;
}

async function fromCache(dir: string, functionName: FunctionName): Promise<Bundle | undefined> {
  const entryPath = join(dir, `${functionName}.json`);
  const pending = join(dir, `${functionName}.pending`);
  const deadline = Date.now() + PENDING_WAIT_MS;
  while (!existsSync(entryPath) && existsSync(pending) && Date.now() < deadline) await sleep(100);
  if (!existsSync(entryPath)) return undefined;
  let entry: CacheEntry;
  try {
    entry = JSON.parse(await readFile(entryPath, 'utf8')) as CacheEntry;
  } catch {
    return undefined;
  }
  if (entry.builder !== (await builderKey())) return undefined;
  for (const [input, hash] of Object.entries(entry.inputs)) {
    if ((await fileHash(join(ROOT, input))) !== hash) return undefined;
  }
  return { code: Buffer.from(entry.code, 'base64'), map: Buffer.from(entry.map, 'base64') };
}

async function toCache(
  dir: string,
  functionName: FunctionName,
  built: Bundle,
  inputs: readonly string[],
): Promise<void> {
  const hashes: Record<string, string> = {};
  for (const input of new Set(inputs.map(cacheInput))) {
    const hash = await fileHash(join(ROOT, input));
    // esbuild's own modules (`<runtime>`, disabled requires) are not files
    if (hash !== undefined) hashes[input] = hash;
  }
  const entry: CacheEntry = {
    builder: await builderKey(),
    inputs: hashes,
    code: built.code.toString('base64'),
    map: built.map.toString('base64'),
  };
  await mkdir(dir, { recursive: true });
  // written whole, then renamed: a reader in another process never sees half an entry
  const partial = join(dir, `${functionName}.${process.pid}.partial`);
  await writeFile(partial, JSON.stringify(entry));
  await rename(partial, join(dir, `${functionName}.json`));
}

export interface Bundle {
  readonly code: Buffer;
  readonly map: Buffer;
}

/**
 * One function's `index.mjs` and its source map, as the zip holds them (the contract tests run this code).
 * Reused from `AURORA_SNAPSHOT_TOOL_BUNDLE_CACHE` when set and every input is unchanged.
 */
export async function bundle(functionName: FunctionName): Promise<Bundle> {
  const cache = process.env[BUNDLE_CACHE_ENV];
  const cached = cache === undefined || cache === '' ? undefined : await fromCache(cache, functionName);
  return cached ?? buildBundle(functionName, cache === '' ? undefined : cache);
}

/** Builds one function's bundle with esbuild, and leaves it in `cache` when given. */
export async function buildBundle(functionName: FunctionName, cache?: string): Promise<Bundle> {
  // Built in memory at a fixed (never written) location, so the source map's paths, and with them
  // the zip, do not depend on where the zips go.
  const outfile = join(ROOT, 'dist', 'lambda', functionName, 'index.mjs');
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'handlers', HANDLER_FILES[functionName])],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    treeShaking: true,
    sourcemap: 'external',
    // The original sources are in the repository; the map only needs to point at them.
    sourcesContent: false,
    // ES module builds of the SDK and Powertools tree-shake far better than their CommonJS builds.
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    legalComments: 'none',
    logLevel: 'silent',
    // the inputs' paths, relative to the repository (for the cache); no effect on the output
    metafile: true,
    absWorkingDir: ROOT,
  });
  const file = (suffix: string): Buffer => {
    const output = result.outputFiles.find((f) => f.path.endsWith(suffix));
    if (!output) throw new Error(`esbuild wrote no ${suffix} for ${functionName}`);
    return Buffer.from(output.contents);
  };
  const built = { code: file('index.mjs'), map: file('index.mjs.map') };
  if (cache !== undefined) await toCache(cache, functionName, built, Object.keys(result.metafile.inputs));
  return built;
}

function zip(entries: readonly { name: string; data: Buffer }[], path: string): Promise<void> {
  return new Promise((done, fail) => {
    const archive = new yazl.ZipFile();
    for (const entry of entries) {
      archive.addBuffer(entry.data, entry.name, { mtime: ZIP_ENTRY_TIME, mode: 0o100644 });
    }
    archive.end();
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('error', fail);
    archive.outputStream.on('end', () => {
      writeFile(path, Buffer.concat(chunks)).then(done, fail);
    });
  });
}

/**
 * Builds and zips every function (or those named) into `outDir` (`<FunctionName>.zip` holding `index.mjs`
 * and its source map). Throws when a bundle is over budget, naming it.
 */
export async function packageFunctions(
  outDir: string,
  functions: readonly FunctionName[] = ALL_FUNCTIONS,
): Promise<PackagedFunction[]> {
  const out = resolve(outDir);
  await mkdir(out, { recursive: true });
  const packaged: PackagedFunction[] = [];
  for (const functionName of functions) {
    const { code, map } = await bundle(functionName);
    const zipPath = join(out, `${functionName}.zip`);
    await zip(
      [
        { name: 'index.mjs', data: code },
        { name: 'index.mjs.map', data: map },
      ],
      zipPath,
    );
    packaged.push({
      functionName,
      zipPath,
      bundleBytes: code.length,
      sourceMapBytes: map.length,
      zipBytes: (await stat(zipPath)).size,
    });
  }
  const over = packaged.filter((p) => p.bundleBytes > BUNDLE_BUDGET_BYTES);
  if (over.length > 0) {
    const names = over.map((p) => `${p.functionName} (${p.bundleBytes} bytes)`).join(', ');
    throw new Error(`Bundle over the ${BUNDLE_BUDGET_BYTES}-byte budget: ${names}`);
  }
  return packaged;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main(): Promise<void> {
  const outDir = join(ROOT, 'dist', 'lambda');
  const packaged = await packageFunctions(outDir);
  const width = Math.max(...packaged.map((p) => p.functionName.length));
  console.log(`${'function'.padEnd(width)}  ${'index.mjs'.padStart(10)}  ${'zip'.padStart(10)}`);
  for (const p of packaged) {
    console.log(
      `${p.functionName.padEnd(width)}  ${kb(p.bundleBytes).padStart(10)}  ${kb(p.zipBytes).padStart(10)}`,
    );
  }
  console.log(`Wrote ${packaged.length} zips to ${outDir} (budget ${kb(BUNDLE_BUDGET_BYTES)} per index.mjs)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
