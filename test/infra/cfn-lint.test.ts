// cfn-lint (AWS's CloudFormation linter) over every file in cloudformation/: no error and no warning. One
// cfn-lint run checks the templates and a broken one beside them (its Python start is seconds): what it says
// of each file is read from its parseable output, one finding a line, each line starting with the file.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES, templateFile } from '../../src/infra/templates/index.js';

const DIR = join(import.meta.dirname, '..', '..', 'cloudformation');
/** A template whose alarm names a topic that does not exist. */
const BROKEN = join(import.meta.dirname, 'support', 'broken-template.yaml');
const INSTALL_LINE = "python3 -m pip install 'cfn-lint>=1,<2'";

const SPAWN_TIMEOUT = 120_000;
/** The run waits for cfn-lint: its Python start alone takes tens of seconds on a busy machine. */
const HOOK_TIMEOUT = SPAWN_TIMEOUT + 30_000;

describe('cfn-lint', () => {
  let result: SpawnSyncReturns<string>;
  let lines: string[];

  beforeAll(() => {
    const files = readdirSync(DIR).map((f) => join(DIR, f));
    result = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files, BROKEN], {
      encoding: 'utf8',
      timeout: SPAWN_TIMEOUT,
    });
    lines = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').filter((line) => line !== '');
  }, HOOK_TIMEOUT);

  it('is installed and runs (the templates are not checked without it)', () => {
    // Assess
    expect(result.error, `cfn-lint could not run; install it with: ${INSTALL_LINE}`).toBeUndefined();
    expect(result.status, result.stderr).not.toBeNull();
  });

  it('cloudformation/ holds exactly the templates synth writes', () => {
    // Act
    const files = readdirSync(DIR).sort();
    // Assess
    expect(files).toEqual(TEMPLATE_NAMES.map(templateFile).sort());
  });

  it('finds no error and no warning in any template of cloudformation/', () => {
    // Assess: every line cfn-lint printed is a finding of the broken template
    expect(lines.filter((line) => !line.startsWith(`${BROKEN}:`))).toEqual([]);
  });

  it('reports the broken template, with an error (the check can fail)', () => {
    // Assess
    expect(result.status).not.toBe(0);
    expect(lines.filter((line) => line.startsWith(`${BROKEN}:`)).join('\n')).toMatch(/:E\d{4}:/);
  });
});
