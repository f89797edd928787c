// The deployment guide and the Stacker files: the seed's five steps in order, naming real templates and parameters with values the templates accept.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { synthesizeTemplates, TEMPLATE_NAMES, type TemplateName } from '../../src/infra/templates/index.js';
import {
  parametersOf as guideParameters,
  needsNamedIam,
  type ParameterDef,
  shellWords,
  needsIam as templateNeedsIam,
  problemsWith as templateProblems,
} from './support/guide-commands.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { templates } = synthesizeTemplates();

function parametersOf(name: TemplateName): Record<string, ParameterDef> {
  return guideParameters(templates[name]);
}

function needsIam(name: TemplateName): boolean {
  return templateNeedsIam(templates[name]);
}

function problemsWith(name: TemplateName, values: Record<string, string>): string[] {
  return templateProblems(name, templates[name], values);
}

/** Stacker's env files: `key: value` lines, `#` comments, the value after the first colon, trimmed. */
function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    expect(colon, `env line "${line}"`).toBeGreaterThan(0);
    env[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return env;
}

const guide = readFileSync(join(ROOT, 'docs', 'deployment.md'), 'utf8');

describe('docs/deployment.md', () => {
  const commands = [...guide.matchAll(/^aws cloudformation deploy (?:.*\\\n)*.*$/gm)].map((m) =>
    shellWords(m[0]),
  );

  it("deploys every template with aws cloudformation deploy, in the seed's order, account.yaml last", () => {
    // Act: the steps, in the order the guide first deploys each template (later examples redeploy some).
    const order = [...new Set(commands.map((words) => words[words.indexOf('--template-file') + 1]))];
    // Assess
    expect(order).toEqual(TEMPLATE_NAMES.map((name) => `cloudformation/${name}.yaml`));
  });

  it('gives every example, the steps and the later ones, only real parameters with values the template accepts', () => {
    // Act
    const problems = commands.flatMap((words) => {
      const template = words[words.indexOf('--template-file') + 1] ?? '';
      const name = TEMPLATE_NAMES.find((n) => template === `cloudformation/${n}.yaml`);
      if (!name) return [`${template}: not a template of cloudformation/`];
      const start = words.indexOf('--parameter-overrides');
      const overrides = start < 0 ? [] : words.slice(start + 1).filter((w) => !w.startsWith('--'));
      const values = Object.fromEntries(
        overrides.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
      );
      return problemsWith(name, values).map((p) => `${name}: ${p}`);
    });
    // Assess
    expect(commands.length).toBeGreaterThan(TEMPLATE_NAMES.length);
    expect(problems).toEqual([]);
  });

  it.each(TEMPLATE_NAMES)('gives %s only real parameters, with values the template accepts', (name) => {
    // Prepare
    const words = commands.find(
      (w) => w[w.indexOf('--template-file') + 1] === `cloudformation/${name}.yaml`,
    ) as string[];
    const start = words.indexOf('--parameter-overrides');
    const overrides = start < 0 ? [] : words.slice(start + 1).filter((w) => !w.startsWith('--'));
    // Act
    const values = Object.fromEntries(
      overrides.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
    );
    // Assess
    expect(problemsWith(name, values)).toEqual([]);
    const capability = needsNamedIam(templates[name]) ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';
    expect(
      needsIam(name) ? words[words.indexOf('--capabilities') + 1] : undefined,
      `${name} --capabilities`,
    ).toBe(needsIam(name) ? capability : undefined);
    expect(words).toContain('--stack-name');
  });

  it('runs the Stacker steps in the same order, on files that exist', () => {
    // Act
    const runs = [...guide.matchAll(/^stacker build --region \S+ (\S+) (\S+)$/gm)].map(
      (m) => [m[1], m[2]] as const,
    );
    // Assess
    expect(runs.map(([, config]) => config)).toEqual(TEMPLATE_NAMES.map((name) => `stacker/${name}.yaml`));
    for (const [env, config] of runs) {
      expect(existsSync(join(ROOT, env as string)), env).toBe(true);
      expect(existsSync(join(ROOT, config as string)), config).toBe(true);
    }
  });
});

describe('stacker/', () => {
  it.each(TEMPLATE_NAMES)(
    "%s: the env file fills the config, and the variables are the template's parameters with accepted values",
    (name) => {
      // Prepare
      const env = parseEnv(readFileSync(join(ROOT, 'stacker', 'env', `${name}.env`), 'utf8'));
      const raw = readFileSync(join(ROOT, 'stacker', `${name}.yaml`), 'utf8');
      const used = new Set([...raw.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] as string));
      // Act: stacker substitutes ${key} from the env file, then reads the YAML.
      const text = raw.replace(/\$\{(\w+)\}/g, (_m, key: string) => {
        expect(env, `stacker/env/${name}.env`).toHaveProperty(key);
        return env[key] as string;
      });
      const config = parseYaml(text) as {
        namespace: string;
        stacker_bucket: string;
        stacks: { name: string; template_path: string; variables?: Record<string, string> }[];
      };
      // Assess
      expect(Object.keys(env).filter((k) => !used.has(k))).toEqual([]);
      expect(config.namespace).toBe('aurora-snapshot-tool');
      expect(config.stacks).toHaveLength(1);
      const [stack] = config.stacks as [(typeof config.stacks)[number]];
      expect(stack.template_path).toBe(`cloudformation/${name}.yaml`);
      expect(existsSync(join(ROOT, stack.template_path))).toBe(true);
      const variables = Object.fromEntries(
        Object.entries(stack.variables ?? {}).map(([k, v]) => [k, String(v)]),
      );
      expect(Object.keys(variables).sort()).toEqual(Object.keys(parametersOf(name)).sort());
      expect(problemsWith(name, variables)).toEqual([]);
    },
  );
});
