/**
 * Facts about the installed package, found relative to this module: one level below the package root
 * both in a checkout (src/) and in the published package (dist/).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../', import.meta.url);

/** The package's version, from its package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version: string }
).version;

/**
 * The directory of the Lambda bundles (`<FunctionName>.zip`): the package's `dist/lambda`, built by
 * `npm run package` in a checkout and shipped in the published package.
 */
export const BUNDLE_DIR: string = fileURLToPath(new URL('dist/lambda', ROOT));
