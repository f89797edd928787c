/**
 * `npm run parameter-docs`: writes the construct props' interfaces (src/infra/settings.generated.ts) and the
 * parameter tables of README.md and docs/restore-drill.md from the parameter table (src/config/parameters.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSettings, SETTINGS_FILE, TABLE_FILES, withTable } from '../src/config/parameter-docs.js';
import { BLOCKS } from '../src/config/parameters.js';

const root = join(import.meta.dirname, '..');
writeFileSync(join(root, SETTINGS_FILE), renderSettings());
process.stdout.write(`${SETTINGS_FILE}\n`);
for (const block of BLOCKS) {
  const file = join(root, TABLE_FILES[block]);
  writeFileSync(file, withTable(readFileSync(file, 'utf8'), block));
  process.stdout.write(`${TABLE_FILES[block]} (${block})\n`);
}
