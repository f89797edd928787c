/** `npm run synth`: writes the five CloudFormation templates to cloudformation/ (committed, deployable as is). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  renderTemplate,
  synthesizeTemplates,
  TEMPLATE_NAMES,
  templateFile,
} from '../src/infra/templates/index.js';

const outDir = join(import.meta.dirname, '..', 'cloudformation');
mkdirSync(outDir, { recursive: true });
const { templates } = synthesizeTemplates();
for (const name of TEMPLATE_NAMES) {
  const file = join(outDir, templateFile(name));
  const text = renderTemplate(name, templates[name]);
  writeFileSync(file, text);
  process.stdout.write(`${file} (${Buffer.byteLength(text)} bytes)\n`);
}
