// `status --html` on a live account (moto): after three scheduled runs of the CLI, the page shows every
// snapshot of the matching clusters in both regions, one timeline mark each, and the recovery point.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/demo/emulator.js';
import { buildEstate, DEFAULT_SETTINGS, emulatorClients } from '../../src/demo/estate.js';
import { findChromium, renderInChromium } from '../../src/report/chromium.js';
import { runCli } from '../support/cli.js';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };

describe('status --html against moto', () => {
  let emulator: Emulator;
  let dir: string;
  let html: string;
  let code: number;
  let statusJson: { stdout: string; code: number };
  let statusText: { stdout: string; code: number };
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // Prepare: the demo's estate, and the source job run at three scheduled times
    emulator = await startEmulator();
    const clients = emulatorClients(emulator.endpoint);
    const estate = await buildEstate(clients, { ...DEFAULT_SETTINGS, days: 1 });
    clients.destroy();
    dir = await mkdtemp(join(tmpdir(), 'status-html-'));
    const config = join(dir, 'config.json');
    // The demo's two destination regions, without the share with another account.
    const destinations = (estate.sourceInput.Source.Destinations as Record<string, unknown>[]).map(
      ({ Account: _shareAccount, ...destination }) => destination,
    );
    const source = { ...estate.sourceInput.Source, Destinations: destinations };
    await writeFile(config, JSON.stringify({ Source: source }), 'utf8');
    // The SDK's credential chain reads the process environment, so the dummy keys go there (restored after).
    for (const [key, value] of Object.entries(CREDENTIALS)) {
      savedEnv[key] = process.env[key];
      process.env[key] = value;
    }
    const env = { ...process.env, AWS_ENDPOINT_URL: emulator.endpoint, AWS_REGION: 'us-east-1' };
    for (const now of ['2025-01-01T00:00:00Z', '2025-01-01T08:00:00Z', '2025-01-01T16:00:00Z']) {
      const run = await runCli(['run', '--config', config, '--now', now], env);
      expect(run.stderr).toBe('');
    }
    // Act
    const out = join(dir, 'status.html');
    const status = await runCli(
      ['status', '--config', config, '--html', out, '--now', '2025-01-01T20:00:00Z'],
      env,
    );
    code = status.code;
    html = await readFile(out, 'utf8');
    statusJson = await runCli(['status', '--config', config, '--json', '--now', '2025-01-01T20:00:00Z'], env);
    statusText = await runCli(['status', '--config', config, '--now', '2025-01-01T20:00:00Z'], env);
  }, 120_000);

  afterAll(async () => {
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await emulator?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and draws the snapshots of both matching clusters in every region, and the untagged one', () => {
    // Assess: 3 taken of each of 2 clusters, each copied to both destination regions by the same run (moto
    // makes it available at once), and the untagged manual snapshot
    expect(code).toBe(0);
    expect(html.match(/class="snapshot-mark"/g)).toHaveLength(19);
    expect(html.match(/data-role="backup"/g)).toHaveLength(6);
    expect(html.match(/data-role="dr-copy"/g)).toHaveLength(12);
    expect(html.match(/data-role="dr-copy" data-deleted="false"/g)).toHaveLength(12);
    // One timeline row per destination and cluster, each with the three copies it received.
    const rows = [
      ...html.matchAll(
        /<g class="destination-lane" data-cluster="([^"]+)" data-destination="([^"]+)"[^>]*>([\s\S]*?)<\/g>/g,
      ),
    ];
    expect(rows.map((m) => `${m[1]} ${m[2]}`).sort()).toEqual([
      'prod-orders eu-west-1',
      'prod-orders us-west-2',
      'prod-payments eu-west-1',
      'prod-payments us-west-2',
    ]);
    for (const m of rows) expect(m[3]?.match(/class="delivery-mark"/g)).toHaveLength(3);
    expect(html.match(/data-role="unmanaged"/g)).toHaveLength(1);
    expect(html).not.toContain('staging-analytics');
  });

  it('status and status --json show every destination of each cluster: its newest copy, recovery point and lag', () => {
    // Assess
    expect(statusJson.code).toBe(0);
    const report = JSON.parse(statusJson.stdout) as {
      destinations: string[];
      clusters: {
        clusterId: string;
        destinations: {
          id: string;
          latestCopy?: { id: string; region: string; ageHours: number };
          lagging: boolean;
        }[];
      }[];
    };
    expect(report.destinations).toEqual(['us-west-2', 'eu-west-1']);
    for (const cluster of report.clusters) {
      expect(
        cluster.destinations.map((d) => [d.id, d.latestCopy?.region, d.latestCopy?.ageHours, d.lagging]),
      ).toEqual([
        ['us-west-2', 'us-west-2', 4, false],
        ['eu-west-1', 'eu-west-1', 4, false],
      ]);
      expect(cluster.destinations[0]?.latestCopy?.id).toBe(`${cluster.clusterId}-2025-01-01-16-00`);
    }
    expect(statusText.code).toBe(0);
    expect(statusText.stdout).toContain('us-east-1 -> us-west-2, eu-west-1');
    expect(statusText.stdout).toMatch(
      /destination eu-west-1: prod-orders-2025-01-01-16-00 \(available, recovery point 4\.0h\)/,
    );
  });

  it('draws the recovery point of each cluster at the destination', () => {
    // Assess
    expect(
      html.match(/class="rp-line" data-cluster="prod-(orders|payments)" data-region="us-west-2"/g),
    ).toHaveLength(2);
  });

  it('renders in headless Chromium with every mark drawn', async (context) => {
    // Prepare
    const chromium = findChromium();
    if (!chromium) {
      context.skip('Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)');
      return;
    }
    // Act
    const page = await renderInChromium(chromium, html);
    // Assess
    expect(page.visibleMarks).toBe(19);
  });
});
