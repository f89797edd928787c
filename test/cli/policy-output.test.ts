// validate's quota foresight, and why each snapshot is kept in status's JSON and the HTML report.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { planSource } from '../../src/core/plan/source-planner.js';
import { statusReport } from '../../src/core/plan/status.js';
import { reportDataFromStatus } from '../../src/report/live.js';
import { renderReport } from '../../src/report/render.js';
import { runCli } from '../support/cli.js';
import { backup, cluster, sourceObservation } from '../support/snapshot-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'ast-policy-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('validate: quota foresight', () => {
  it('warns with the numbers when one cluster would already keep more than the default quota', async () => {
    // Prepare: hourly, 5 days within RetentionDays (121) and a year of dailies
    const config = file(
      'big.yaml',
      `Source:
  Region: us-east-1
  ClusterNamePattern: prod-db
  BackupInterval: 1
  BackupSchedule: "0 * * * ? *"
  RetentionDays: 5
  KeepDaily: 30
`,
    );
    // Act
    const result = await runCli(['validate', '--config', config]);
    const json = await runCli(['validate', '--json', '--config', config]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warning: the source policy keeps');
    expect(result.stdout).toMatch(/keeps (14[5-7]) manual snapshots per cluster in us-east-1/);
    expect(result.stdout).toContain('quota of 100');
    const [foresight] = JSON.parse(json.stdout).quotaForesight;
    expect(foresight).toMatchObject({
      region: 'us-east-1',
      side: 'source',
      exceeds: true,
      clustersThatFit: 0,
    });
  });

  it('says how many clusters fit when the policy is within the quota', async () => {
    // Act
    const result = await runCli([
      'validate',
      '--config',
      file('small.yaml', 'Source:\n  Region: us-east-1\n  ClusterNamePattern: prod-db\n  RetentionDays: 7\n'),
    ]);
    // Assess
    expect(result.stdout).toContain(
      'note: the source policy keeps 8 manual snapshots per cluster in us-east-1 in steady state, within the manual snapshot quota of 100; the quota fits 12 cluster(s)',
    );
  });
});

describe('why each snapshot is kept, in status and the HTML report', () => {
  const NOW = new Date('2026-11-30T12:00:00Z');
  const config = parseConfig({
    Source: { Region: 'us-east-1', ClusterNamePattern: 'orders', RetentionDays: 3, KeepMonthly: 3 },
  }).Source as SourceConfig;
  const observation = sourceObservation({
    now: NOW,
    clusters: [cluster('orders')],
    snapshots: [backup('orders', '2026-11-30T01:00:00Z'), backup('orders', '2026-10-31T01:00:00Z')],
  });

  it('status lists, per cluster, each kept snapshot with its reasons and when it expires', () => {
    // Act
    const kept = planSource(observation, config, ['delete']).kept;
    const status = statusReport(observation, config, kept);
    // Assess
    expect(status.clusters[0]?.kept).toEqual([
      {
        region: 'us-east-1',
        clusterId: 'orders',
        snapshotId: 'orders-2026-11-30-01-00',
        reasons: ['newest', 'within RetentionDays (3)', 'monthly 2026-11'],
      },
      {
        region: 'us-east-1',
        clusterId: 'orders',
        snapshotId: 'orders-2026-10-31-01-00',
        reasons: ['monthly 2026-10'],
        expiresAt: '2027-01-01T00:00:00.000Z',
      },
    ]);
    expect(statusReport(observation, config).clusters[0]).not.toHaveProperty('kept');
  });

  it('the HTML report shows the reasons and the date in each snapshot', () => {
    // Act
    const kept = planSource(observation, config, ['delete']).kept;
    const html = renderReport(
      reportDataFromStatus({ status: statusReport(observation, config, kept), observation, config }),
    );
    // Assess
    expect(html).toContain('kept: monthly 2026-10');
    expect(html).toContain('kept: newest, within RetentionDays (3), monthly 2026-11');
    expect(html).toContain('kept at least until');
    expect(html).toContain('KeepMonthly');
  });
});
