#!/usr/bin/env node
// Entry point of the `aurora-snapshot-tool` command: the compiled CLI when it is built (`npm run build`,
// done before packing), else the TypeScript sources through tsx, so a checkout works right after `npm ci`.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('../src/cli/main.ts', import.meta.url).href));
}
process.exitCode = await main(process.argv.slice(2));
