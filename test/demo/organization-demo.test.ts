// `demo --organization` through the command line, as a user runs it: two simulated days of an organization on a
// private moto server (org deploy, the members' jobs, the vault's, an account joining a unit, status
// --organization), its checks, what it prints, and the page it writes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from '../support/cli.js';

const CHECKS = [
  'an account stack in every member and region',
  'every execution succeeded',
  'every tagged cluster has a backup and a vault copy',
  'no untagged cluster touched',
  'status --organization names every untagged cluster',
  'status --organization shows every tagged cluster in the vault',
];
const MEMBERS = ['orders', 'billing', 'reports', 'payments'];
const REGIONS = ['us-east-1', 'eu-west-1'];

describe('demo --organization --days 2', () => {
  let dir: string;
  let page: string;
  let run: CliRun;

  beforeAll(async () => {
    // Prepare: no AWS_ENDPOINT_URL, so the demo starts its own moto server
    dir = await mkdtemp(join(tmpdir(), 'demo-organization-'));
    page = join(dir, 'fleet.html');
    const { AWS_ENDPOINT_URL: _endpoint, ...env } = process.env;
    // Act
    run = await runCli(['demo', '--organization', '--days', '2', '--out', page], env);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes every check and exits 0', () => {
    // Assess
    const lines = run.stdout.split('\n');
    expect(run.stderr).toBe('');
    expect(lines.filter((line) => /^\s+FAIL\s/.test(line))).toEqual([]);
    for (const check of CHECKS)
      expect(lines.some((line) => line.startsWith(`  PASS  ${check}: `))).toBe(true);
    expect(run.code).toBe(0);
  });

  it('writes the status --organization page with one section per member account, the account that joined included', async () => {
    // Prepare
    const html = await readFile(page, 'utf8');
    const memberRow = new RegExp(`^\\s+(\\d{12})\\s+(?:${MEMBERS.join('|')})\\s`);
    const printed = run.stdout.split('\n').flatMap((line) => memberRow.exec(line)?.[1] ?? []);
    const sections = [...html.matchAll(/<section class="account" id="account-(\d{12})"/g)].map((m) => m[1]);

    // Assess
    expect(printed).toHaveLength(MEMBERS.length);
    expect([...sections].sort()).toEqual([...printed].sort());
    expect(run.stdout).toContain(`status --organization --html: ${page}`);
  });

  it('names every untagged cluster of every member in each region as covered by no policy', () => {
    // Assess
    const named = run.stdout
      .split('\n')
      .flatMap(
        (line) => /^\s+not protected: (\S+) in \d{12} (\S+): /.exec(line)?.slice(1, 3).join(' ') ?? [],
      );
    expect(named.sort()).toEqual(
      MEMBERS.flatMap((member) => REGIONS.map((region) => `${member}-scratch ${region}`)).sort(),
    );
  });

  it('says what it simulated: the automatic deployment of the account that joined, and the stand-in code', () => {
    // Assess
    expect(run.stdout).toMatch(/account \d{12} \(payments\) joins Analytics .*simulated \(moto has none\)/);
    expect(run.stdout).toContain('moto stores Lambda code but never runs it');
  });
});

describe('demo --organization with too few days', () => {
  it('refuses one day before starting anything, naming --days and what it accepts', async () => {
    // Act
    const run = await runCli(['demo', '--organization', '--days', '1'], {
      ...process.env,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });

    // Assess: the endpoint (nothing listens there) was never asked
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--days must be a whole number from 2 to 365 with --organization (got 1)');
    expect(run.stdout).toBe('');
  });
});
