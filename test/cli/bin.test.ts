// The installed command as a user runs it: a child process, exit codes and clean output for user errors.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/aurora-snapshot-tool.js', import.meta.url).pathname;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bin/aurora-snapshot-tool.js', () => {
  it('exits 2 with the parameter named and no stack trace on a bad configuration', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ast-bin-'));
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'Source:\n  Region: us-east-1\n  ClusterNamePattern: "prod db; rm -rf /"\n');

    // Act
    const result = await cli(['validate', '--config', path]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Source.ClusterNamePattern');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('prints the package version with --version and exits 0', async () => {
    const result = await cli(['--version']);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

// What the command runs, in this process: the two child processes above show that the command's exit code and
// output are main()'s (each start costs seconds).
describe('main, as the command runs it', () => {
  it('prints help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['validate', 'plan', 'run', 'status', 'demo', 'publish']) {
      expect(result.stdout).toContain(command);
    }
  });

  it('exits 2 on an unknown command', async () => {
    const result = await runCli(['snapshot-everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'snapshot-everything'");
  });
});
