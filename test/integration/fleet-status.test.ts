// `status --organization` on moto: an organization of a management account, a vault and three members in two
// organizational units (one nested), over two regions. Each member has its status reader roles (created here
// with IAM, as the account stack would), tagged and untagged clusters, the tool's backups and DR copies; one
// member has no reader role. The command, run as a user would, shows every protected cluster, names the
// untagged ones and the account it could not read, as text, JSON and the report page.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DeleteDBClusterCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actAsAccount } from '../../src/aws/clients.js';
import { STATUS_READER_ROLE } from '../../src/aws/fleet-reader.js';
import type { FleetReport } from '../../src/core/fleet/index.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { findChromium, renderInChromium } from '../../src/report/chromium.js';
import { runCli } from '../support/cli.js';
import { createEstate } from '../support/estate.js';
import { stopServer } from '../support/http-forward.js';
import { MOTO_CREDENTIALS, MOTO_DEFAULT_ACCOUNT, type MotoServer, startMoto } from '../support/moto.js';
import { organizationsCall } from '../support/organization.js';
import { startRoleCheckingLayer } from '../support/role-checking-layer.js';

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const NOW = new Date(Date.now() - 60_000);

describe('status --organization against moto', () => {
  let moto: MotoServer;
  let layer: Awaited<ReturnType<typeof startRoleCheckingLayer>>;
  let dir: string;
  const accounts: Record<'vault' | 'payments' | 'orders' | 'lab', string> = {
    vault: '',
    payments: '',
    orders: '',
    lab: '',
  };
  let text: { code: number; stdout: string; stderr: string };
  let json: { code: number; stdout: string; stderr: string };
  let report: FleetReport;
  let html: string;

  beforeAll(async () => {
    // Prepare: the organization (management: moto's default account)
    moto = await startMoto();
    const org = <T = unknown>(action: string, input: Record<string, unknown>) =>
      organizationsCall<T>(moto.endpoint, action, input);
    await org('CreateOrganization', { FeatureSet: 'ALL' });
    const { Roots } = await org<{ Roots: { Id: string }[] }>('ListRoots', {});
    const root = Roots[0]?.Id ?? '';
    const unit = async (parent: string, name: string) =>
      (
        await org<{ OrganizationalUnit: { Id: string } }>('CreateOrganizationalUnit', {
          ParentId: parent,
          Name: name,
        })
      ).OrganizationalUnit.Id;
    const production = await unit(root, 'production');
    const teams = await unit(production, 'teams');
    const sandbox = await unit(root, 'sandbox');
    const account = async (name: string, parent: string) => {
      const { CreateAccountStatus } = await org<{ CreateAccountStatus: { AccountId: string } }>(
        'CreateAccount',
        {
          AccountName: name,
          Email: `${name}@example.com`,
        },
      );
      await org('MoveAccount', {
        AccountId: CreateAccountStatus.AccountId,
        SourceParentId: root,
        DestinationParentId: parent,
      });
      return CreateAccountStatus.AccountId;
    };
    accounts.vault = await account('vault', root);
    accounts.payments = await account('payments', production);
    accounts.orders = await account('orders', teams);
    accounts.lab = await account('lab', sandbox);

    // The reader roles, one per region, in every member but lab, and in the vault.
    for (const id of [accounts.payments, accounts.orders, accounts.vault]) {
      const iam = actAsAccount(
        new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS }),
        id,
      );
      for (const region of REGIONS) {
        await iam.send(
          new CreateRoleCommand({
            RoleName: STATUS_READER_ROLE(region),
            AssumeRolePolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: `arn:aws:iam::${MOTO_DEFAULT_ACCOUNT}:root` },
                  Action: 'sts:AssumeRole',
                },
              ],
            }),
          }),
        );
      }
      iam.destroy();
    }

    // Clusters: tagged ones with the tool's backups, DR copies in the other region and vault copies; untagged ones.
    const at = new Date(NOW.getTime() - 3 * 3_600_000);
    const stamp = at.toISOString().slice(0, 16).replace(/[T:]/g, '-');
    const backupTags = (clusterId: string, region: string, owner: string, shared: boolean) => ({
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
      [TAG.Purpose]: 'backup',
      [TAG.PointInTime]: at.toISOString(),
      [TAG.SourceCluster]: clusterId,
      [TAG.SourceRegion]: region,
      [TAG.SourceAccount]: owner,
      ...(shared ? { [TAG.SharedWith]: accounts.vault } : {}),
    });
    const copyTags = (clusterId: string, region: string, owner: string) => ({
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.Purpose]: 'dr-copy',
      [TAG.PointInTime]: at.toISOString(),
      [TAG.SourceCluster]: clusterId,
      [TAG.SourceRegion]: region,
      [TAG.SourceAccount]: owner,
    });
    // Copies go to the vault in us-east-1: shared in place there, copied to us-east-1 and shared from eu-west-1.
    const protect = async (owner: string, region: string, clusterId: string) => {
      const estate = createEstate({ endpoint: moto.endpoint, accountId: owner });
      await estate.createCluster(region, clusterId, { tags: { backup: 'daily' } });
      await estate.createSnapshot(region, {
        clusterId,
        snapshotId: `${clusterId}-${stamp}`,
        tags: backupTags(clusterId, region, owner, region === 'us-east-1'),
      });
      if (region !== 'us-east-1') {
        // The DR copy in us-east-1 (made from a stand-in cluster, deleted after: moto's copy needs the job).
        const stand = `${clusterId}-stand-in`;
        await estate.createCluster('us-east-1', stand, {});
        await estate.createSnapshot('us-east-1', {
          clusterId: stand,
          snapshotId: `${clusterId}-${stamp}`,
          tags: { ...copyTags(clusterId, region, owner), [TAG.SharedWith]: accounts.vault },
        });
        await estate
          .clients('us-east-1')
          .rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: stand, SkipFinalSnapshot: true }));
      }
      // ...and the vault's own copy of what was shared with it.
      const vault = createEstate({ endpoint: moto.endpoint, accountId: accounts.vault });
      const vaultStand = `${owner}-${clusterId}`;
      await vault.createCluster('us-east-1', vaultStand, {});
      await vault.createSnapshot('us-east-1', {
        clusterId: vaultStand,
        snapshotId: `${owner}-${clusterId}-${stamp}`,
        tags: copyTags(clusterId, region, owner),
      });
    };
    await protect(accounts.payments, 'us-east-1', 'payments-db');
    await protect(accounts.payments, 'eu-west-1', 'ledger');
    await protect(accounts.orders, 'us-east-1', 'orders-db');
    await createEstate({ endpoint: moto.endpoint, accountId: accounts.payments }).createCluster(
      'us-east-1',
      'scratch',
      {},
    );
    await createEstate({ endpoint: moto.endpoint, accountId: accounts.orders }).createCluster(
      'eu-west-1',
      'analytics',
      { tags: { backup: 'weekly' } },
    );
    await createEstate({ endpoint: moto.endpoint, accountId: accounts.lab }).createCluster(
      'us-east-1',
      'lab-db',
      {
        tags: { backup: 'daily' },
      },
    );

    layer = await startRoleCheckingLayer(moto.endpoint);
    dir = await mkdtemp(join(tmpdir(), 'fleet-status-'));
    const config = join(dir, 'org.yaml');
    await writeFile(
      config,
      [
        'Organization:',
        `  OrganizationalUnits: [${production}, ${sandbox}]`,
        `  Regions: [${REGIONS.join(', ')}]`,
        '  CodeBucket: acme-tool-{region}',
        `  VaultAccount: '${accounts.vault}'`,
        'Source:',
        '  ClusterNamePattern: ALL_CLUSTERS',
        '  ClusterTags: { backup: daily }',
        "  BackupSchedule: '0 */8 * * ? *'",
        '  BackupInterval: 8',
        '  ShareSnapshots: TRUE',
        '  Destinations:',
        '    - Region: us-east-1',
        `      Account: '${accounts.vault}'`,
        '',
      ].join('\n'),
      'utf8',
    );
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: layer.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
    };
    const now = ['--now', NOW.toISOString()];
    // Act
    text = await runCli(['status', '--organization', '--config', config, ...now], env);
    json = await runCli(['status', '--organization', '--config', config, '--json', ...now], env);
    report = JSON.parse(json.stdout) as FleetReport;
    const out = join(dir, 'fleet.html');
    const page = await runCli(['status', '--organization', '--config', config, '--html', out, ...now], env);
    expect(page.stderr + text.stderr).toBe('');
    expect(page.code).toBe(0);
    html = await readFile(out, 'utf8');
  }, 180_000);

  afterAll(async () => {
    if (layer) await stopServer(layer.server);
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows every protected cluster of every member account and region, with its backup, recovery point and vault copy', () => {
    // Assess
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const clusters = report.accounts.flatMap((a) => a.clusters);
    expect(clusters.map((c) => [c.accountId, c.region, c.clusterId]).sort()).toEqual(
      [
        [accounts.orders, 'us-east-1', 'orders-db'],
        [accounts.payments, 'eu-west-1', 'ledger'],
        [accounts.payments, 'us-east-1', 'payments-db'],
      ].sort(),
    );
    for (const cluster of clusters) {
      expect(cluster.latestSnapshot?.ageHours).toBeCloseTo(3, 5);
      expect(cluster.vault?.region).toBe('us-east-1');
      expect(cluster.destinations.map((d) => [d.id, d.latestCopy?.id])).toEqual([
        [`${accounts.vault}@us-east-1`, cluster.latestSnapshot?.id],
      ]);
      expect(cluster.problems).toEqual([]);
    }
  });

  it('names the Aurora clusters no policy covers, with the tag each lacks', () => {
    // Assess
    const unprotected = report.accounts.flatMap((a) => a.unprotected);
    expect(unprotected.map((u) => [u.accountId, u.region, u.clusterId, u.reason]).sort()).toEqual(
      [
        [
          accounts.orders,
          'eu-west-1',
          'analytics',
          'cluster analytics has tag backup="weekly", not "daily" (ClusterTags)',
        ],
        [accounts.payments, 'us-east-1', 'scratch', 'cluster scratch has no tag backup (ClusterTags)'],
      ].sort(),
    );
    expect(text.stdout).toContain(
      'us-east-1 scratch: NOT PROTECTED: cluster scratch has no tag backup (ClusterTags)',
    );
  });

  it('names the account whose reader role cannot be assumed, and reads the others, the nested unit included', () => {
    // Assess
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual(
      [accounts.payments, accounts.orders, accounts.lab].sort(),
    );
    const lab = report.accounts.find((a) => a.accountId === accounts.lab);
    expect(lab?.unread).toHaveLength(1);
    expect(lab?.unread[0]?.code).toBe('AccessDenied');
    expect(lab?.unread[0]?.reason).toContain(
      `could not assume arn:aws:iam::${accounts.lab}:role/AuroraSnapshotTool-StatusReader-`,
    );
    expect(report.totals).toMatchObject({
      accounts: 3,
      accountsRead: 2,
      protectedClusters: 3,
      unprotectedClusters: 2,
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `Account ${accounts.lab} \\(lab\\)\\n  every region NOT READ: AccessDenied: could not assume`,
      ),
    );
    // What STS received: each member's and the vault's role of each region, the one per region name.
    for (const id of [accounts.payments, accounts.orders, accounts.lab, accounts.vault]) {
      for (const region of REGIONS) {
        expect(layer.assumed).toContain(`arn:aws:iam::${id}:role/AuroraSnapshotTool-StatusReader-${region}`);
      }
    }
  });

  it('writes one page with one section per account, each cluster row and the unread account in it', () => {
    // Assess
    const sections = [...html.matchAll(/<section class="account" id="account-(\d{12})"/g)].map((m) => m[1]);
    expect(sections.sort()).toEqual([accounts.payments, accounts.orders, accounts.lab].sort());
    expect(html.match(/<tr class="fleet-cluster pass"/g)).toHaveLength(3);
    expect(html).toMatch(
      /<tr class="unprotected" data-cluster="scratch" data-region="us-east-1" data-code="tags-mismatch">/,
    );
    expect(html).toContain(`<p class="note unread" data-account="${accounts.lab}" data-region="">`);
    // Each protected region draws its backup in the timeline.
    expect(html.match(/class="snapshot-mark"/g)?.length).toBeGreaterThanOrEqual(3);
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
    expect(page.marks).toBeGreaterThan(0);
    expect(page.visibleMarks).toBe(page.marks);
  });
});
