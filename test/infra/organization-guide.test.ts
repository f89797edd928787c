// docs/organization.md says only what exists: every `aurora-snapshot-tool` command parses with the CLI, every
// deploy names a template of cloudformation/ with parameters and values it accepts, and its org.yaml parses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseOrgConfig } from '../../src/config/organization.js';
import { TEMPLATE_NAMES } from '../../src/infra/templates/index.js';
import { codeBlocks, commandLines, type Parsed, parseCli } from './support/doc-blocks.js';
import {
  needsIam,
  needsNamedIam,
  parameterOverrides,
  problemsWith,
  shellWords,
} from './support/guide-commands.js';
import { committedTemplates } from './support/role-policies.js';

const GUIDE = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'organization.md'), 'utf8');
const templates = committedTemplates();

describe('docs/organization.md', () => {
  const tool = commandLines(GUIDE, 'aurora-snapshot-tool');

  it('shows org deploy, publish --regions and status --organization', () => {
    // Assess
    expect(tool.some((line) => line.startsWith('aurora-snapshot-tool org deploy'))).toBe(true);
    expect(tool.some((line) => line.includes('publish --regions'))).toBe(true);
    expect(tool.some((line) => line.includes('status --organization'))).toBe(true);
  });

  it.each(tool)('`%s` parses with the CLI (real command, real options)', async (line) => {
    // Act
    const result = await parseCli(shellWords(line).slice(1));
    // Assess
    expect(result).not.toHaveProperty('error');
    expect((result as Parsed).command).toBeDefined();
  });

  it('deploys only templates of cloudformation/ with their parameters, accepted values and capabilities', () => {
    // Prepare
    const deploys = commandLines(GUIDE, 'aws cloudformation deploy').map(shellWords);
    // Act
    const problems = deploys.flatMap((words) => {
      const file = words[words.indexOf('--template-file') + 1] ?? '';
      const name = TEMPLATE_NAMES.find((n) => file === `cloudformation/${n}.yaml`);
      if (!name) return [`${file}: not a template of cloudformation/`];
      const template = templates[name];
      const capability = needsNamedIam(template)
        ? 'CAPABILITY_NAMED_IAM'
        : needsIam(template)
          ? 'CAPABILITY_IAM'
          : undefined;
      const given = words.includes('--capabilities') ? words[words.indexOf('--capabilities') + 1] : undefined;
      return [
        ...problemsWith(name, template, parameterOverrides(words)),
        ...(given === capability ? [] : [`${name}: --capabilities ${given} (needs ${capability})`]),
      ];
    });
    // Assess
    expect(deploys.length).toBeGreaterThanOrEqual(4);
    expect(problems).toEqual([]);
  });

  it('has an organization configuration that parses, and names its keys by alias', () => {
    // Prepare
    const files = codeBlocks(GUIDE, 'yaml').filter((block) => block.includes('Organization:'));
    // Act
    const parsed = files.map((text) => parseOrgConfig(parseYaml(text)));
    // Assess
    expect(parsed.length).toBeGreaterThan(0);
    for (const config of parsed) {
      for (const source of Object.values(config.sources)) expect(source.KmsKeySource).toMatch(/^alias\//);
    }
  });
});
