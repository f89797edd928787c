// The example CDK app (infra-app/) run as `cdk` runs it: it synthesizes both stacks with assets and passes cdk-nag, or stops on a bad configuration naming the parameter.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';

const APP_DIR = join(import.meta.dirname, '..', '..', 'infra-app');
const SPAWN_TIMEOUT = 120_000;
/** A test waits for the app it spawns: synthesis with cdk-nag takes a minute on a busy machine. */
const TEST_TIMEOUT = SPAWN_TIMEOUT + 30_000;

function runApp(context: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  const bundleDir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(bundleDir, `${name}.zip`), 'zip');
  const cdkJson = JSON.parse(readFileSync(join(APP_DIR, 'cdk.json'), 'utf8')) as {
    app: string;
    context: object;
  };
  // The CDK CLI runs cdk.json's "app" command with the context and the output directory in these variables.
  const [command, ...args] = cdkJson.app.split(' ') as [string, ...string[]];
  const result = spawnSync(command, args, {
    cwd: APP_DIR,
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT,
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, bundleDir, ...context }),
      CDK_DEFAULT_ACCOUNT: '123456789012',
    },
  });
  return { result, outdir };
}

describe('infra-app', { timeout: TEST_TIMEOUT }, () => {
  it('synthesizes the source and destination stacks of tool.yaml, functions as assets, with no cdk-nag finding', () => {
    // Act
    const { result, outdir } = runApp({});
    // Assess
    expect(result.status, result.stderr).toBe(0);
    for (const stack of ['AuroraSnapshotTool-Source', 'AuroraSnapshotTool-Destination']) {
      expect(existsSync(join(outdir, `${stack}.template.json`)), stack).toBe(true);
      const assets = JSON.parse(readFileSync(join(outdir, `${stack}.assets.json`), 'utf8')) as {
        files: object;
      };
      expect(Object.keys(assets.files).length).toBeGreaterThan(0);
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { conclusion: string }[];
    };
    expect(report.pluginReports.filter((r) => r.conclusion !== 'success')).toEqual([]);
  });

  it('stops on a bad configuration, naming the parameter', () => {
    // Prepare
    const config = join(mkdtempSync(join(tmpdir(), 'config-')), 'tool.yaml');
    writeFileSync(config, 'Source:\n  Region: us-east-1\n  ClusterNamePattern: prod\n  BackupInterval: 0\n');
    // Act
    const { result } = runApp({ config });
    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Source.BackupInterval');
  });
});
