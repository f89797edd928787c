// cfn-lint (AWS's CloudFormation linter) over every file in cloudformation/: no error and no warning.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES, templateFile } from '../../src/infra/templates/index.js';

const DIR = join(import.meta.dirname, '..', '..', 'cloudformation');
const INSTALL_LINE = "python3 -m pip install 'cfn-lint>=1,<2'";

const SPAWN_TIMEOUT = 120_000;
/** A test that runs cfn-lint waits for it: its Python start alone takes tens of seconds on a busy machine. */
const TEST_TIMEOUT = SPAWN_TIMEOUT + 30_000;

function cfnLint(args: readonly string[]) {
  return spawnSync('cfn-lint', [...args], { encoding: 'utf8', timeout: SPAWN_TIMEOUT });
}

describe('cfn-lint', { timeout: TEST_TIMEOUT }, () => {
  it('is installed (the templates are not checked without it)', () => {
    // Act
    const version = cfnLint(['--version']);
    // Assess
    expect(version.error, `cfn-lint is not installed; install it with: ${INSTALL_LINE}`).toBeUndefined();
    expect(version.status).toBe(0);
  });

  it('cloudformation/ holds exactly the templates synth writes', () => {
    // Act
    const files = readdirSync(DIR).sort();
    // Assess
    expect(files).toEqual(TEMPLATE_NAMES.map(templateFile).sort());
  });

  it('finds no error and no warning in any template of cloudformation/', () => {
    // Prepare
    const files = readdirSync(DIR).map((f) => join(DIR, f));
    // Act
    const result = cfnLint(['--format', 'parseable', '--', ...files]);
    // Assess
    expect(result.error, `cfn-lint could not run; install it with: ${INSTALL_LINE}`).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('would report a broken template (the check can fail)', () => {
    // Prepare: a template whose alarm names a topic that does not exist.
    const broken = join(import.meta.dirname, 'support', 'broken-template.yaml');
    // Act
    const result = cfnLint(['--format', 'parseable', '--', broken]);
    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/E\d{4}/);
  });
});
