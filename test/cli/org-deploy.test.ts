// org deploy on moto: an organization of two units and a vault account, the StackSet the command creates (what
// CloudFormation received), the stack instances that became stacks in each member account and region, and a
// second run that adds only what is not covered yet.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actAsAccount } from '../../src/aws/clients.js';
import type { StackInstance } from '../../src/aws/organization.js';
import { VERSION } from '../../src/package-info.js';
import { runCli } from '../support/cli.js';
import {
  failRequest,
  forward,
  identify,
  listenOnLoopback,
  readBody,
  send,
  stopServer,
} from '../support/http-forward.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { createOrganization, type TestOrganization } from '../support/organization.js';

const STAND_IN = new URL('../fixtures/account-stand-in.yaml', import.meta.url).pathname;
const HOME = 'us-east-1';

let moto: MotoServer;
let proxy: Server;
let endpoint: string;
/** The CloudFormation requests moto received through the proxy: action and form. */
let received: { action: string; form: URLSearchParams }[] = [];
let org: TestOrganization;

beforeAll(async () => {
  moto = await startMoto();
  const upstream = new URL(moto.endpoint);
  proxy = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const call = identify(req, body);
      if (call.form.get('Version') === '2010-05-15' && call.action)
        received.push({ action: call.action, form: call.form });
      send(res, await forward(upstream, req, body));
    })().catch((error: unknown) => failRequest(res, 'recorder', error));
  });
  endpoint = await listenOnLoopback(proxy);
});
afterAll(async () => {
  await stopServer(proxy);
  await moto.stop();
});
beforeEach(async () => {
  await moto.reset();
  received = [];
  org = await createOrganization(moto.endpoint, {
    units: { Databases: ['orders', 'billing'], Analytics: ['reports'] },
    atRoot: ['vault'],
  });
  const s3 = new S3Client({
    region: HOME,
    endpoint: moto.endpoint,
    credentials: moto.credentials,
    forcePathStyle: true,
  });
  await s3.send(new CreateBucketCommand({ Bucket: `acme-tool-${HOME}` }));
  s3.destroy();
});

function orgFile(organization: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'org-')), 'org.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      Organization: {
        OrganizationalUnits: [org.units.Databases, org.units.Analytics],
        Regions: [HOME, 'eu-west-1'],
        CodeBucket: 'acme-tool-{region}',
        VaultAccount: org.accounts.vault,
        StatusAccount: org.management,
        ...organization,
      },
      Source: { ClusterNamePattern: 'ALL_CLUSTERS', ClusterTags: { backup: 'daily' } },
    }),
  );
  return file;
}

const deploy = (file: string, ...args: string[]) =>
  runCli(['org', 'deploy', '--config', file, '--template', STAND_IN, ...args], {
    ...process.env,
    ...moto.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: HOME,
  });

const calls = (action: string) => received.filter((r) => r.action === action).map((r) => r.form);
const members = (form: URLSearchParams, list: string) =>
  [...form.entries()].filter(([key]) => key.startsWith(`${list}.member.`)).map(([, value]) => value);
const pairs = (instances: readonly StackInstance[]) =>
  instances.map((i) => `${i.account} ${i.region} ${i.organizationalUnit} ${i.status}`).sort();

describe('org deploy', () => {
  it('creates a service-managed StackSet deployed automatically to the units, and a stack in each member account and region', async () => {
    // Act
    const run = await deploy(orgFile({}), '--json');

    // Assess: the StackSet as CloudFormation received it
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [created] = calls('CreateStackSet');
    expect(created?.get('StackSetName')).toBe('AuroraSnapshotTool');
    expect(created?.get('PermissionModel')).toBe('SERVICE_MANAGED');
    expect(created?.get('AutoDeployment.Enabled')).toBe('true');
    expect(created?.get('AutoDeployment.RetainStacksOnAccountRemoval')).toBe('true');
    expect(created?.get('CallAs')).toBe('SELF');
    expect(members(created ?? new URLSearchParams(), 'Capabilities')).toEqual(['CAPABILITY_NAMED_IAM']);
    expect(created?.get('TemplateURL')).toBe(
      `https://acme-tool-${HOME}.s3.${HOME}.amazonaws.com/templates/account-${VERSION}.yaml`,
    );
    const parameters = Object.fromEntries(
      [...(created?.entries() ?? [])]
        .filter(([key]) => /^Parameters\.member\.\d+\.ParameterKey$/.test(key))
        .map(([key, name]) => [name, created?.get(key.replace('ParameterKey', 'ParameterValue'))]),
    );
    expect(parameters).toMatchObject({
      ClusterTags: 'backup=daily',
      ShareSnapshots: 'TRUE',
      DestinationAccount: org.accounts.vault,
      DestinationAccounts: org.accounts.vault,
      CodeBucket: 'acme-tool-{region}',
      StatusAccount: org.management,
    });
    const instancesCalls = calls('CreateStackInstances');
    expect(instancesCalls).toHaveLength(1);
    expect(
      members(instancesCalls[0] ?? new URLSearchParams(), 'DeploymentTargets.OrganizationalUnitIds'),
    ).toEqual([org.units.Databases, org.units.Analytics]);
    expect(members(instancesCalls[0] ?? new URLSearchParams(), 'Regions')).toEqual([HOME, 'eu-west-1']);
    // Every region at once, a quarter of a region's accounts at a time, failures not stopping the others
    expect(
      Object.fromEntries(
        [...(instancesCalls[0]?.entries() ?? [])].filter(([key]) => key.startsWith('OperationPreferences.')),
      ),
    ).toEqual({
      'OperationPreferences.RegionConcurrencyType': 'PARALLEL',
      'OperationPreferences.MaxConcurrentPercentage': '25',
      'OperationPreferences.FailureTolerancePercentage': '10',
      'OperationPreferences.ConcurrencyMode': 'SOFT_FAILURE_TOLERANCE',
    });

    // Assess: the instances printed, one per member account and region, none in the vault at the root
    const result = JSON.parse(run.stdout) as { created: boolean; instances: StackInstance[] };
    expect(result.created).toBe(true);
    const { orders, billing, reports } = org.accounts;
    const { Databases, Analytics } = org.units;
    expect(pairs(result.instances)).toEqual(
      [
        `${orders} ${HOME} ${Databases} CURRENT`,
        `${orders} eu-west-1 ${Databases} CURRENT`,
        `${billing} ${HOME} ${Databases} CURRENT`,
        `${billing} eu-west-1 ${Databases} CURRENT`,
        `${reports} ${HOME} ${Analytics} CURRENT`,
        `${reports} eu-west-1 ${Analytics} CURRENT`,
      ].sort(),
    );

    // Assess: the template in the code bucket, and a member's stack made with the parameters
    const s3 = new S3Client({
      region: HOME,
      endpoint: moto.endpoint,
      credentials: moto.credentials,
      forcePathStyle: true,
    });
    const uploaded = await s3.send(
      new GetObjectCommand({ Bucket: `acme-tool-${HOME}`, Key: `templates/account-${VERSION}.yaml` }),
    );
    expect(await uploaded.Body?.transformToString()).toContain('Stand-in for the account template');
    s3.destroy();
    const iam = actAsAccount(
      new IAMClient({ region: HOME, endpoint: moto.endpoint, credentials: moto.credentials }),
      reports,
    );
    const role = await iam.send(
      new GetRoleCommand({ RoleName: 'AuroraSnapshotTool-StatusReader-eu-west-1' }),
    );
    iam.destroy();
    expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).toContain(
      `arn:aws:iam::${org.management}:root`,
    );
  });

  it('prints each instance for people: account, region, unit and status', async () => {
    // Act
    const run = await deploy(orgFile({ Regions: [HOME] }));
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created StackSet AuroraSnapshotTool');
    expect(run.stdout).toContain(
      `Deploying to ${org.units.Databases} in ${HOME}, ${org.units.Analytics} in ${HOME}.`,
    );
    expect(run.stdout).toContain('Stack instances (3):');
    expect(run.stdout).toContain(
      `  ${org.accounts.reports} ${HOME} ${org.units.Analytics} CURRENT (SUCCEEDED)`,
    );
  });

  it('on a second run updates the StackSet and adds only the region not covered yet, and a third adds nothing', async () => {
    // Prepare
    await deploy(orgFile({ Regions: [HOME] }));
    received = [];

    // Act
    const second = await deploy(orgFile({ Regions: [HOME, 'eu-west-1'] }), '--json');
    const creates = calls('CreateStackInstances');
    received = [];
    const third = await deploy(orgFile({ Regions: [HOME, 'eu-west-1'] }), '--json');

    // Assess
    expect(second.code).toBe(0);
    expect(creates).toHaveLength(1);
    expect(members(creates[0] ?? new URLSearchParams(), 'Regions')).toEqual(['eu-west-1']);
    const result = JSON.parse(second.stdout) as { created: boolean; instances: StackInstance[] };
    expect(result.created).toBe(false);
    expect(result.instances).toHaveLength(6);
    const updates = calls('UpdateStackSet');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.get('OperationPreferences.MaxConcurrentPercentage')).toBe('25');
    expect(updates[0]?.get('OperationPreferences.ConcurrencyMode')).toBe('SOFT_FAILURE_TOLERANCE');
    expect(calls('CreateStackInstances')).toEqual([]);
    expect((JSON.parse(third.stdout) as { instances: unknown[] }).instances).toHaveLength(6);
  });

  it('refuses a bad organization configuration before any request', async () => {
    // Act
    const run = await deploy(orgFile({ OrganizationalUnits: ['Databases'] }));
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'Organization.OrganizationalUnits: must be organizational unit ids such as ou-ab12-cdef3456 or the root id such as r-ab12 (not Databases)',
    );
    expect(received).toEqual([]);
  });

  it('names the missing bucket of the template', async () => {
    // Act
    const run = await deploy(orgFile({ CodeBucket: 'other-{region}' }));
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: ResourceNotFound: bucket other-${HOME} does not exist in ${HOME}`);
    expect(calls('CreateStackSet')).toEqual([]);
  });
});
