import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ast-validate-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const good = `Source:
  Region: us-east-1
  ClusterNamePattern: prod-db
  BackupInterval: 8
  BackupSchedule: "0 0,8,16 * * ? *"
  RetentionDays: 7
  DeleteOldSnapshots: TRUE
  ShareSnapshots: TRUE
  DestinationRegion: us-west-2
Destination:
  Region: us-west-2
  SnapshotPattern: prod-db
  RetentionDays: 14
`;

describe('aurora-snapshot-tool validate', () => {
  it('accepts a valid file and exits 0', async () => {
    // Act
    const result = await runCli(['validate', '--config', file('good.yaml', good)]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid');
  });

  it('prints the configuration as JSON with --json', async () => {
    const result = await runCli(['validate', '--json', '--config', file('good2.yaml', good)]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).config.Source.BackupInterval).toBe(8);
  });

  it('exits 2 naming the parameter, the value and what is accepted', async () => {
    // Prepare
    const bad = good
      .replace('BackupInterval: 8', 'BackupInterval: 0')
      .replace('Region: us-west-2\n  SnapshotPattern', 'Region: mars-1\n  SnapshotPattern');
    // Act
    const result = await runCli(['validate', '--config', file('bad.yaml', bad)]);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Source.BackupInterval: must be a whole number of hours from 1 to 8760 (got 0)',
    );
    expect(result.stderr).toContain('Destination.Region: must be an AWS region name');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns, exit 0, of a destination that keeps less than the source when nothing would copy it again', async () => {
    // Prepare: the source copies nowhere; the destination keeps 3 days and no weeklies (its default)
    const lower = `Source:
  Region: us-east-1
  ClusterNamePattern: prod-db
  RetentionDays: 7
  KeepWeekly: 4
Destination:
  Region: us-west-2
  SnapshotPattern: prod-db
  RetentionDays: 3
`;
    // Act
    const result = await runCli(['validate', '--config', file('lower.yaml', lower)]);
    const json = await runCli(['validate', '--json', '--config', file('lower2.yaml', lower)]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toContain(
      "warning: Destination.RetentionDays: is lower than Source.RetentionDays (7): the recovery region us-west-2 will lack the copies from 3 to 7 days old that us-east-1 keeps, so a restore there reaches back only as far as the destination's own rules keep (got 3)",
    );
    expect(result.stdout + result.stderr).toContain(
      'warning: Destination.KeepWeekly: is not set (its default 0 applies), lower than Source.KeepWeekly (4): the recovery region us-west-2 will lack one copy for each of the last 4 weeks that us-east-1 keeps',
    );
    expect(result.stdout + result.stderr).not.toContain('(missing)');
    expect(JSON.parse(json.stdout).warnings.map((w: { parameter: string }) => w.parameter)).toEqual([
      'Destination.RetentionDays',
      'Destination.KeepWeekly',
    ]);
  });

  it('exits 2 for a missing file, bad YAML and an unknown option, without a stack trace', async () => {
    const missing = await runCli(['validate', '--config', join(dir, 'nope.yaml')]);
    const yaml = await runCli(['validate', '--config', file('broken.yaml', 'Source: [unclosed')]);
    const usage = await runCli(['validate', '--config', file('x.yaml', good), '--frobnicate']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--config: file not found');
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toContain('is not valid YAML or JSON');
    expect(usage.code).toBe(2);
    for (const r of [missing, yaml, usage]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when a required option is missing', async () => {
    const result = await runCli(['plan']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '-c, --config <file>' not specified");
  });
});

describe('aurora-snapshot-tool run --now', () => {
  it('refuses a time in the future against AWS (no AWS_ENDPOINT_URL), before any call', async () => {
    // Prepare
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.AWS_ENDPOINT_URL;

    // Act
    const result = await runCli(
      ['run', '--config', file('future.yaml', good), '--now', '2999-01-01T00:00:00Z'],
      env,
    );

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--now: is in the future');
  });
});
