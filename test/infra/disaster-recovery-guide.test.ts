// The disaster-recovery runbook (docs/disaster-recovery.md) says only what exists: every `aurora-snapshot-tool` command parses with the CLI's own commander program, every deploy names a template and parameters it accepts, every configuration parses, every Recovery/Source/Destination name is a parameter, every link resolves, and the output it explains is what the restore command prints.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type Block, blockParameters } from '../../src/config/parameters.js';
import { parseConfig } from '../../src/config/schema.js';
import { TEMPLATE_NAMES, type TemplateName } from '../../src/infra/templates/index.js';
import { codeBlocks, commandLines, type Parsed, parseCli as parse } from './support/doc-blocks.js';
import {
  needsIam,
  parameterOverrides,
  parametersOf,
  problemsWith,
  shellWords,
} from './support/guide-commands.js';
import { committedTemplates } from './support/role-policies.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RUNBOOK = join(ROOT, 'docs', 'disaster-recovery.md');
const runbook = readFileSync(RUNBOOK, 'utf8');
const templates = committedTemplates();

describe('docs/disaster-recovery.md', () => {
  const tool = commandLines(runbook, 'aurora-snapshot-tool');

  it.each(tool)('`%s` parses with the CLI (real command, real options, accepted values)', async (line) => {
    // Prepare
    const words = shellWords(line).slice(1);
    // Act
    const result = await parse(words);
    // Assess
    expect(result).not.toHaveProperty('error');
    const { command, options } = result as Parsed;
    expect(command).toBe(words[0]);
    if (command !== 'demo' && command !== 'publish')
      expect(options.config, 'every command gives --config').toBeDefined();
  });

  it('shows restore with --dry-run, then without, for both cases, and a restore before a point in time', async () => {
    // Act
    const restores = (await Promise.all(tool.map((line) => parse(shellWords(line).slice(1))))).filter(
      (r): r is Parsed => 'command' in r && r.command === 'restore',
    );
    // Assess
    expect(restores.some((r) => r.options.dryRun && r.options.account === undefined)).toBe(true);
    expect(restores.some((r) => !r.options.dryRun && r.options.account === undefined)).toBe(true);
    expect(restores.some((r) => r.options.dryRun && r.options.account === 'vault')).toBe(true);
    expect(restores.some((r) => !r.options.dryRun && r.options.account === 'vault')).toBe(true);
    expect(restores.some((r) => r.options.before instanceof Date)).toBe(true);
  });

  it('the parser refuses what the CLI refuses (the check can fail)', async () => {
    // Act
    const unknown = await parse([
      'restore',
      '--config',
      'x.yaml',
      '--cluster',
      'a',
      '--instance-type',
      'db.r6g.large',
    ]);
    const badChoice = await parse(['restore', '--config', 'x.yaml', '--cluster', 'a', '--account', 'prod']);
    const badTime = await parse(['restore', '--config', 'x.yaml', '--cluster', 'a', '--before', 'yesterday']);
    // Assess
    expect(unknown).toHaveProperty('error', expect.stringContaining("unknown option '--instance-type'"));
    expect(badChoice).toHaveProperty('error', expect.stringContaining('--account'));
    expect(badTime).toHaveProperty('error', expect.stringContaining('ISO-8601'));
  });

  it('deploys only templates of cloudformation/ with their parameters and accepted values, CAPABILITY_IAM where needed', () => {
    // Prepare
    const deploys = commandLines(runbook, 'aws cloudformation deploy').map(shellWords);
    // Act
    const problems = deploys.flatMap((words) => {
      const file = words[words.indexOf('--template-file') + 1] ?? '';
      const name = TEMPLATE_NAMES.find((n) => file === `cloudformation/${n}.yaml`);
      if (!name) return [`${file}: not a template of cloudformation/`];
      const template = templates[name];
      return [
        ...problemsWith(name, template, parameterOverrides(words)),
        ...(words.includes('CAPABILITY_IAM') === needsIam(template) ? [] : [`${name}: --capabilities`]),
        ...(words.includes('--stack-name') && words.includes('--region')
          ? []
          : [`${name}: stack and region`]),
      ];
    });
    // Assess
    expect(deploys.length).toBeGreaterThanOrEqual(5);
    expect(problems).toEqual([]);
  });

  it('names the restore-role parameters it documents, and all of them', () => {
    // Act
    const table = [...runbook.matchAll(/^\| `(\w+)` +\|/gm)].map((m) => m[1]);
    // Assess
    expect(table.sort()).toEqual(Object.keys(parametersOf(templates['restore-role'])).sort());
  });

  it('cites only templates that exist', () => {
    // Act
    const cited = [...runbook.matchAll(/cloudformation\/([\w-]+)\.yaml/g)].map((m) => m[1] as string);
    // Assess
    expect(cited.length).toBeGreaterThan(3);
    expect(cited.filter((name) => !(TEMPLATE_NAMES as readonly string[]).includes(name))).toEqual([]);
    expect(cited).toContain('restore-role' satisfies TemplateName);
  });

  it('gives configurations the schema accepts', () => {
    // Prepare
    const files = codeBlocks(runbook, 'yaml');
    // Act
    const parsed = files.map((text) => () => parseConfig(parseYaml(text)));
    // Assess
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const config of parsed) expect(config).not.toThrow();
  });

  it('names only parameters of their block (Recovery.X, Source.X, Destination.X)', () => {
    // Prepare
    const blocks: Record<string, Block> = {
      Source: 'source',
      Destination: 'destination',
      RestoreDrill: 'drill',
      Recovery: 'recovery',
    };
    // Act
    const named = [...runbook.matchAll(/`(Source|Destination|RestoreDrill|Recovery)\.(\w+)`/g)];
    const unknown = named
      .filter(
        ([, block, name]) => !blockParameters(blocks[block as string] as Block).some((p) => p.name === name),
      )
      .map((m) => m[0]);
    // Assess
    expect(named.length).toBeGreaterThan(3);
    expect(unknown).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    // Prepare
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-');
    const headings = (file: string) =>
      [...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] as string));
    // Act
    const broken = [...runbook.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)].flatMap(
      ([link, path, anchor]) => {
        if (path?.startsWith('http')) return [];
        const file = path ? join(dirname(RUNBOOK), path) : RUNBOOK;
        if (!existsSync(file)) return [link];
        return anchor && file.endsWith('.md') && !headings(file).includes(anchor) ? [link] : [];
      },
    );
    // Assess
    expect(broken).toEqual([]);
  });

  it('explains the output the restore command prints, in its words', () => {
    // Prepare
    const source = readFileSync(join(ROOT, 'src', 'cli', 'restore.ts'), 'utf8');
    // The runbook's "What this version restores" quotes the two answers of the `shape:` line.
    const said = [
      'chosen:',
      'point in time:',
      'shape:',
      'expected time:',
      'note:',
      'writer endpoint:',
      'reader endpoint:',
      'data as of',
      'before the restore started are lost',
      'recorded with the copy',
    ];
    // Act / Assess
    for (const text of said) {
      expect(runbook, text).toContain(text);
      expect(source, text).toContain(text);
    }
  });

  it('is linked from the README (command list and documents) and from docs/restore.md', () => {
    // Prepare
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const restore = readFileSync(join(ROOT, 'docs', 'restore.md'), 'utf8');
    // Act
    const commandSection = readme.slice(readme.indexOf('## Command line'), readme.indexOf('## Deployment'));
    const documents = readme.slice(readme.indexOf('## Guarantees and measurements'));
    // Assess
    expect(commandSection).toContain('(docs/disaster-recovery.md)');
    expect(documents).toContain('(docs/disaster-recovery.md)');
    expect(restore).toContain('(disaster-recovery.md)');
  });
});
