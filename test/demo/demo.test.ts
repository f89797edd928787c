// The one-command demo end to end: two simulated days on a private moto server, its checks, its summary, and
// its report as headless Chromium renders it (one drawn timeline mark per snapshot in the data).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoProgress, type DemoResult, runDemo } from '../../src/demo/run.js';
import { findChromium, renderInChromium } from '../../src/report/chromium.js';

const DAYS = 2;

describe('demo --days 2', () => {
  let dir: string;
  let result: DemoResult;
  let lines: string[];
  let progress: DemoProgress[];

  beforeAll(async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'demo-test-'));
    lines = [];
    progress = [];
    // Act
    result = await runDemo({
      days: DAYS,
      out: join(dir, 'demo-report.html'),
      io: { write: (line) => lines.push(line) },
      onProgress: (p) => progress.push(p),
    });
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes every check and exits 0', () => {
    // Assess
    const failed = result.checks.filter((check) => !check.ok);
    expect(failed).toEqual([]);
    expect(result.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining([
        'nothing untagged deleted',
        'newest snapshot of each cluster present',
        'no duplicate snapshot in any interval',
      ]),
    );
    expect(result.exitCode).toBe(0);
  });

  it('prints each worst recovery point as the report page shows it (one decimal), every line in the page legend', async () => {
    // Prepare
    const html = await readFile(join(dir, 'demo-report.html'), 'utf8');
    const cells = [...html.matchAll(/<td class="n">(\d+\.\d h)<\/td><\/tr>/g)].map((m) => m[1]);

    // Assess
    for (const [cluster, hours] of Object.entries(result.worstRecoveryPointHours)) {
      const shown = `${hours.toFixed(1)} h`;
      expect(lines.some((line) => line.includes(cluster) && line.includes(shown))).toBe(true);
      expect(cells).toContain(shown);
    }
    expect(lines.join('\n')).not.toMatch(/\d+\.\d\d h/);
    const swatches = [...html.matchAll(/<svg class="swatch"[^>]*><line [^>]*stroke="(#[0-9a-f]+)"/g)].map(
      (m) => m[1],
    );
    // One line per cluster and destination region (us-west-2 and eu-west-1).
    expect(new Set(swatches).size).toBe(2 * Object.keys(result.worstRecoveryPointHours).length);
  });

  it('checks each destination: the newest copy and the retention of both regions, and the share with the second account', () => {
    // Assess
    const detail = (name: string) => result.checks.find((c) => c.name === name)?.detail ?? '';
    for (const cluster of ['prod-orders', 'prod-payments']) {
      for (const region of ['us-west-2', 'eu-west-1']) {
        expect(detail('newest snapshot of each cluster present')).toMatch(
          new RegExp(`${cluster}-[0-9-]+ \\(${region}\\)`),
        );
      }
    }
    expect(detail('retention applied on both sides')).toMatch(
      /destination us-west-2 3 d .*destination eu-west-1 4 d/,
    );
    expect(result.checks.find((c) => c.name === 'shared with account 222222222222')?.ok).toBe(true);
    expect(lines.join('\n')).toContain('copies to us-west-2 (shared with 222222222222) and to eu-west-1');
  });

  it('draws one timeline row per destination and cluster, with what each destination received', async () => {
    // Prepare
    const html = await readFile(join(dir, 'demo-report.html'), 'utf8');
    const rows = [
      ...html.matchAll(
        /<g class="destination-lane" data-cluster="([^"]+)" data-destination="([^"]+)" data-lagging="(\w+)">([\s\S]*?)<\/g>/g,
      ),
    ];

    // Assess: prod-orders and prod-payments, each with 222222222222@us-west-2 and eu-west-1, none lagging
    expect(rows.map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort()).toEqual([
      'prod-orders 222222222222@us-west-2 false',
      'prod-orders eu-west-1 false',
      'prod-payments 222222222222@us-west-2 false',
      'prod-payments eu-west-1 false',
    ]);
    expect(html).toContain('us-east-1 → 222222222222@us-west-2, eu-west-1');
    expect(html).toContain('>eu-west-1 (destination)<');
    for (const m of rows) {
      expect(m[4]).toMatch(/recovery point \d+(\.\d)? h/);
      expect((m[4]?.match(/class="delivery-mark"/g) ?? []).length).toBeGreaterThan(0);
    }
  });

  it('runs one source execution per scheduled backup time and reports progress for every execution', () => {
    // Assess: 0 0,8,16 * * ? * is three runs a day
    expect(result.executions.source).toBe(3 * DAYS);
    expect(result.executions.failed).toEqual([]);
    expect(progress.at(-1)?.done).toBe(result.executions.source + result.executions.destination);
    expect(progress.map((p) => p.at)).toEqual([...progress.map((p) => p.at)].sort());
  });

  it('takes one snapshot per run of each matching cluster and copies each to both destination regions, sharing those of the first', () => {
    // Assess
    for (const cluster of ['prod-orders', 'prod-payments']) {
      const source = result.rows.find((r) => r.clusterId === cluster && r.region === 'us-east-1');
      const destination = result.rows.find((r) => r.clusterId === cluster && r.region === 'us-west-2');
      const second = result.rows.find((r) => r.clusterId === cluster && r.region === 'eu-west-1');
      expect(source?.taken).toBe(3 * DAYS);
      expect(destination?.copied).toBe(3 * DAYS);
      expect(destination?.shared).toBe(3 * DAYS);
      expect(second?.copied).toBe(3 * DAYS);
      expect(second?.shared).toBe(0);
    }
    expect(result.rows.some((r) => r.clusterId === 'staging-analytics' && r.taken > 0)).toBe(false);
  });

  it('keeps the recovery point at the destination within one backup interval plus the copy time', () => {
    // Assess
    for (const cluster of ['prod-orders', 'prod-payments']) {
      const worst = result.worstRecoveryPointHours[cluster];
      expect(worst).toBeGreaterThanOrEqual(8);
      expect(worst).toBeLessThan(8.5);
    }
  });

  it('counts the API calls by kind, snapshot listings included', () => {
    // Assess
    const kinds = new Map(result.apiCalls.map((c) => [c.kind, c.count]));
    expect(kinds.get('rds:CreateDBClusterSnapshot')).toBe(2 * 3 * DAYS);
    // Each backup is copied to both destination regions.
    expect(kinds.get('rds:CopyDBClusterSnapshot')).toBe(2 * 2 * 3 * DAYS);
    expect(kinds.get('rds:DescribeDBClusterSnapshots')).toBeGreaterThan(0);
    expect(kinds.has('rds:ListTagsForResource')).toBe(false);
  });

  it('prints the table, the API calls and each check', () => {
    // Assess
    const text = lines.join('\n');
    expect(text).toMatch(/Region\s+Cluster\s+Taken\s+Copied\s+Shared\s+Deleted\s+Kept/);
    expect(text).toMatch(/us-west-2\s+prod-orders\s+0\s+6\s+6\s+0\s+6\s+8\.\d h/);
    expect(text).toContain('API calls:');
    for (const check of result.checks) expect(text).toContain(`PASS  ${check.name}`);
  });

  it('ends with a successful restore drill of each matching cluster, shown in its report', async () => {
    // Act
    const html = await readFile(join(dir, 'demo-report.html'), 'utf8');
    const drill = result.checks.find((check) => check.name === 'restore drill succeeded');

    // Assess
    expect(drill?.ok).toBe(true);
    expect(drill?.detail).toMatch(
      /restored prod-orders-\S+ \(\d+ min\), prod-payments-\S+ \(\d+ min\) in us-west-2/,
    );
    expect(lines.join('\n')).toContain('PASS  restore drill succeeded');
    expect(html).toContain('<section id="restore-drills">');
    for (const cluster of ['prod-orders', 'prod-payments']) {
      expect(html).toMatch(
        new RegExp(
          `<tr data-cluster="${cluster}" data-overdue="false"><td>${cluster}</td><td>[^<]+</td><td>${cluster}-\\d{4}-`,
        ),
      );
    }
  });

  it("ends with a restore of prod-orders in the recovery region by the restore command's code, its shape printed beside the source's", () => {
    // Prepare: the lines from the restore on, each table row split into its columns
    const at = lines.findIndex((line) => line.startsWith('Restore of prod-orders in us-west-2'));
    const after = lines.slice(at);
    const header = after.findIndex((line) => /^ {2}Field +Source +Restored$/.test(line));
    const rows = after.slice(header + 1, after.indexOf('', header)).map((line) => line.trim().split(/ {2,}/));

    // Assess: the restore, from the newest copy the drill verified, with its endpoints
    expect(at).toBeGreaterThan(lines.findIndex((line) => line.startsWith('Checks:')));
    expect(after[0]).toMatch(
      /^Restore of prod-orders in us-west-2 with the restore command's code: prod-orders-[\d-]+ \(point in time \S+Z\) restored as prod-orders in \d+ min$/,
    );
    expect(after[1]).toMatch(/^ {2}chosen: newest available copy, drilled successfully on /);
    expect(after[3]).toMatch(
      /^ {2}writer endpoint: prod-orders\.cluster-\S+\.us-west-2\.rds\.amazonaws\.com:5432$/,
    );
    expect(after[4]).toMatch(
      /^ {2}reader endpoint: prod-orders\.cluster-ro-\S+\.us-west-2\.rds\.amazonaws\.com:5432$/,
    );
    expect(result.restore?.outcome.clusterId).toBe('prod-orders');
    // Assess: field, source, restored: the shape the copy recorded, brought back field by field
    expect(after[2]).toBe('  shape: recorded with the copy');
    expect(rows).toEqual([
      ['engine', 'aurora-postgresql 16.4', 'aurora-postgresql 16.4'],
      ['instances', 'db.r6g.large, db.r6g.xlarge', 'db.r6g.large, db.r6g.xlarge'],
      ['serverless v2', 'none', 'none'],
      ['cluster parameter group', expect.any(String), expect.any(String)],
      ['IAM authentication', 'false', 'false'],
      ['log exports', 'none', 'none'],
      ['deletion protection', 'false', 'false'],
      ['encrypted', 'true', 'true'],
      ['port', '5432', '5432'],
      ['tags', 'Environment=prod', 'Environment=prod'],
    ]);
    expect(rows[3]?.[1]).toBe(rows[3]?.[2]);
  });

  it('shows the retention policy of both sides and why each snapshot still there is kept', async () => {
    // Prepare
    const html = await readFile(join(dir, 'demo-report.html'), 'utf8');
    const marks = [
      ...html.matchAll(
        /<g class="snapshot-mark"[^>]*data-role="(\w[\w-]*)" data-deleted="(\w+)"><title>([^<]*)<\/title>/g,
      ),
    ];
    const present = marks.filter((m) => m[1] !== 'unmanaged' && m[2] === 'false');
    // Assess
    expect(html).toMatch(/KeepDaily<\/dt>\s*<dd>4<\/dd>/);
    expect(html).toMatch(/Destination KeepWeekly<\/dt>\s*<dd>4<\/dd>/);
    expect(html).toContain('(Europe/Berlin)');
    expect(present.length).toBeGreaterThan(0);
    // A snapshot without a reason is one the policy no longer keeps at the end: the next run deletes it.
    const end = Date.parse(result.to);
    for (const [, , , title] of present) {
      const dataAt = /data at (\S+) (\S+)/.exec(title ?? '');
      if (/kept: /.test(title ?? '')) expect(title).toMatch(/kept: .*(within RetentionDays \(\d\)|newest)/);
      else expect(end - Date.parse(`${dataAt?.[1]}T${dataAt?.[2]}Z`)).toBeGreaterThanOrEqual(2 * 86_400_000);
    }
    expect(present.some(([, , , title]) => /daily \d{4}-\d\d-\d\d/.test(title ?? ''))).toBe(true);
  });

  it('writes a self-contained report: no script, no external resource', async () => {
    // Act
    const html = await readFile(join(dir, 'demo-report.html'), 'utf8');
    // Assess
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html.match(/class="snapshot-mark"/g)?.length).toBe(result.snapshots);
  });

  it('renders in headless Chromium with one drawn timeline mark per snapshot', async (context) => {
    // Prepare
    const chromium = findChromium();
    if (!chromium) {
      context.skip('Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)');
      return;
    }
    const html = await readFile(join(dir, 'demo-report.html'), 'utf8');
    // Act
    const page = await renderInChromium(chromium, html);
    // Assess
    expect(result.snapshots).toBeGreaterThan(4 * 3 * DAYS);
    expect(page.visibleMarks).toBe(result.snapshots);
    expect(page.marks).toBe(result.snapshots);
    expect(page.recoveryLines).toBe(4);
    expect(page.dom).toContain('newest snapshot of each cluster present');
  });
});

describe('demo where the tool runs into the snapshot quota', () => {
  it('reports the failed executions by error name and exits 1', async () => {
    // Prepare: moto counts the three automated snapshots and the hand-made one, leaving room for one round
    const dir = await mkdtemp(join(tmpdir(), 'demo-quota-'));
    const lines: string[] = [];
    try {
      // Act
      const result = await runDemo({
        days: 1,
        out: join(dir, 'demo-report.html'),
        io: { write: (line) => lines.push(line) },
        onProgress: () => {},
        emulatorEnv: { MOTO_RDS_SNAPSHOT_LIMIT: '6' },
      });
      // Assess
      expect(result.exitCode).toBe(1);
      expect(result.executions.failed.length).toBeGreaterThan(0);
      expect(result.executions.failed.join('\n')).toContain('SnapshotQuotaExceeded');
      expect(result.checks.find((c) => c.name === 'every execution succeeded')?.ok).toBe(false);
      expect(lines.join('\n')).toMatch(/FAIL {2}every execution succeeded/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
