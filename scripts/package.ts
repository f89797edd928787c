/**
 * `npm run package`: bundles every Lambda function with esbuild (ESM, Node 22, minified, tree-shaken,
 * SDK v3 clients included) and zips each as dist/lambda/<FunctionName>.zip for the CodeBucket.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
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

/** One function's `index.mjs` and its source map, as the zip holds them (the contract tests run this code). */
export async function bundle(functionName: FunctionName): Promise<{ code: Buffer; map: Buffer }> {
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
  });
  const file = (suffix: string): Buffer => {
    const output = result.outputFiles.find((f) => f.path.endsWith(suffix));
    if (!output) throw new Error(`esbuild wrote no ${suffix} for ${functionName}`);
    return Buffer.from(output.contents);
  };
  return { code: file('index.mjs'), map: file('index.mjs.map') };
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
