// The whole organization on moto: a management account, a vault account and three members in two units, over two
// regions. org deploy makes the account stack in every member and region; each stack's schedule input starts the
// real source state machine (aws-local-stepfunctions, the real handlers, acting as that member): every tagged
// cluster gets its backup, shared into the vault, and nothing untagged is touched. An account that joins a unit
// gets the stack AWS's automatic deployment makes, and its tagged cluster is protected the same way.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackSetCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeDBClusterSnapshotAttributesCommand } from '@aws-sdk/client-rds';
import { type BucketLocationConstraint, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { actAsAccount } from '../../src/aws/clients.js';
import type { StackInstance } from '../../src/aws/organization.js';
import { publishToRegions } from '../../src/aws/publish.js';
import { EMULATOR_ACCOUNT_ENV } from '../../src/aws/store-factory.js';
import type { FleetReport } from '../../src/core/fleet/index.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { handler as check } from '../../src/handlers/check-snapshot-status.js';
import { handler as copyShared } from '../../src/handlers/copy-snapshots-dest.js';
import { handler as deleteOld } from '../../src/handlers/delete-old-snapshots.js';
import { handler as deleteOldDest } from '../../src/handlers/delete-old-snapshots-dest.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { handler as share } from '../../src/handlers/share-snapshots.js';
import { handler as take } from '../../src/handlers/take-snapshots.js';
import { destinationStateMachineDefinition } from '../../src/state-machines/destination.js';
import { sourceStateMachineDefinition } from '../../src/state-machines/source.js';
import { evaluate } from '../infra/support/cfn-eval.js';
import { execute, type LambdaHandler } from '../state-machine/execute.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { runCli } from '../support/cli.js';
import { restoreEnvironment } from '../support/environment.js';
import { createEstate } from '../support/estate.js';
import { stopServer } from '../support/http-forward.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { addAccount, createOrganization, type TestOrganization } from '../support/organization.js';
import { startRoleCheckingLayer } from '../support/role-checking-layer.js';
import { type SharedCopyLayer, startSharedCopyLayer } from '../support/shared-copy-layer.js';

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const MEMBERS = { Databases: ['orders', 'billing'], Analytics: ['reports'] } as const;
const STACK_SET = 'AuroraSnapshotTool';

let moto: MotoServer;
/** moto behind the layers AWS's behaviour needs: copies of shared snapshots, AssumeRole of existing roles only. */
let copies: SharedCopyLayer;
let roles: Awaited<ReturnType<typeof startRoleCheckingLayer>>;
let endpoint: string;
let org: TestOrganization;
let output: CapturedOutput | undefined;
const savedEnv = { ...process.env };

/** The four source functions of an account and region, behind the ARNs the definition names. */
function functionsOf(account: string, region: string) {
  const arn = (name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;
  const fns = {
    take: arn('TakeSnapshotsAurora'),
    check: arn('CheckSnapshotStatus'),
    share: arn('ShareSnapshotsAurora'),
    deleteOld: arn('DeleteOldSnapshotsAurora'),
  };
  const handlers: Record<string, LambdaHandler> = {
    [fns.take]: take,
    [fns.check]: check,
    [fns.share]: share,
    [fns.deleteOld]: deleteOld,
  };
  return { definition: sourceStateMachineDefinition(fns), handlers };
}

/**
 * The input the account stack's schedule starts its state machine with, in `region`: the schedule's Target.Input
 * of the StackSet's template resolved with the StackSet's parameters (moto's CloudFormation makes no
 * Scheduler schedules; test/infra/moto-cloudformation.test.ts reads schedules the same way).
 */
async function scheduleInput(region: string): Promise<Record<string, unknown>> {
  const cfn = new CloudFormationClient({
    region: REGIONS[0],
    endpoint: moto.endpoint,
    credentials: moto.credentials,
  });
  const { StackSet } = await cfn.send(new DescribeStackSetCommand({ StackSetName: STACK_SET }));
  cfn.destroy();
  const body = parseYaml(StackSet?.TemplateBody ?? '') as {
    Resources: Record<string, { Type: string; Properties: never }>;
  };
  const schedules = Object.values(body.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
  expect(schedules).toHaveLength(1);
  const target = (schedules[0] as unknown as { Properties: { Target: { Input: never } } }).Properties.Target;
  const parameters = Object.fromEntries(
    (StackSet?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
  );
  return JSON.parse(evaluate(body, target.Input, { region, parameters }) as string) as Record<
    string,
    unknown
  >;
}

/** The state machines of an account and region (Step Functions' JSON API, as that account). */
async function stateMachinesOf(account: string, region: string): Promise<string[]> {
  const response = await fetch(`${moto.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AWSStepFunctions.ListStateMachines',
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/states/aws4_request, SignedHeaders=host, Signature=0`,
      'x-moto-account-id': account,
    },
    body: '{}',
  });
  const listed = (await response.json()) as { stateMachines?: { stateMachineArn: string }[] };
  return (listed.stateMachines ?? []).map((m) => m.stateMachineArn);
}

/** Runs the job of the account stack of `account` in `region`, as its schedule starts it. */
async function runJob(account: string, region: string) {
  expect(await stateMachinesOf(account, region), `the state machine of ${account} in ${region}`).toHaveLength(
    1,
  );
  const input = await scheduleInput(region);
  process.env[EMULATOR_ACCOUNT_ENV] = account;
  const { definition, handlers } = functionsOf(account, region);
  return execute(definition, input, handlers);
}

/**
 * The vault's destination job in `region` for the whole organization (SourceOrganizationId): the destination
 * machine and its real handlers, acting as the vault account.
 */
async function runVaultJob(region: string) {
  const vault = org.accounts.vault ?? '';
  const arn = (name: string) => `arn:aws:lambda:${region}:${vault}:function:${name}`;
  const fns = {
    copy: arn('CopySnapshotsDestAurora'),
    check: arn('CheckSnapshotStatus'),
    deleteOld: arn('DeleteOldSnapshotsDestAurora'),
  };
  process.env[EMULATOR_ACCOUNT_ENV] = vault;
  return execute(
    destinationStateMachineDefinition(fns),
    {
      Destination: {
        Region: region,
        SnapshotPattern: 'ALL_CLUSTERS',
        SourceOrganizationId: org.id,
        SourceRegion: region,
        RetentionDays: '30',
      },
    },
    { [fns.copy]: copyShared, [fns.check]: check, [fns.deleteOld]: deleteOldDest },
  );
}

/** The vault's status-reader stack in each region, trusting the management account (docs/deployment.md). */
async function vaultStatusReaders(): Promise<void> {
  const template = readFileSync(new URL('../../cloudformation/status-reader.yaml', import.meta.url), 'utf8');
  for (const region of REGIONS) {
    const cfn = actAsAccount(
      new CloudFormationClient({ region, endpoint: moto.endpoint, credentials: moto.credentials }),
      org.accounts.vault ?? '',
    );
    await cfn.send(
      new CreateStackCommand({
        StackName: 'snapshot-tool-status-reader',
        TemplateBody: template,
        Parameters: [{ ParameterKey: 'StatusAccount', ParameterValue: org.management }],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    cfn.destroy();
  }
}

/** `status --organization` from the management account, as JSON. */
async function fleetStatus(): Promise<FleetReport> {
  const result = await runCli(['status', '--organization', '--config', orgFile(), '--json'], {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGIONS[0],
  });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as FleetReport;
}

/** The vault's copies in `region`, as `<source cluster>@<source account>`. */
async function vaultCopies(region: string): Promise<string[]> {
  const estate = createEstate({ endpoint: moto.endpoint, accountId: org.accounts.vault ?? '' });
  const tag = (
    s: { TagList?: { Key?: string | undefined; Value?: string | undefined }[] | undefined },
    key: string,
  ) => s.TagList?.find((t) => t.Key === key)?.Value;
  return (await estate.snapshots(region))
    .filter((s) => tag(s, TAG.CopiedBy) === TOOL_TAG_VALUE)
    .map((s) => `${tag(s, TAG.SourceCluster)}@${tag(s, TAG.SourceAccount)}`)
    .sort();
}

/** The tool's snapshots of an account and region, by cluster, with the accounts each is shared with. */
async function backupsOf(account: string, region: string): Promise<Record<string, string[]>> {
  const estate = createEstate({ endpoint: moto.endpoint, accountId: account });
  const snapshots = (await estate.snapshots(region)).filter((s) =>
    (s.TagList ?? []).some((t) => t.Key === TAG.CreatedBy && t.Value === TOOL_TAG_VALUE),
  );
  const byCluster: Record<string, string[]> = {};
  for (const snapshot of snapshots) {
    const attributes = await estate.clients(region).rds.send(
      new DescribeDBClusterSnapshotAttributesCommand({
        DBClusterSnapshotIdentifier: snapshot.DBClusterSnapshotIdentifier,
      }),
    );
    const restore = attributes.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes?.find(
      (a) => a.AttributeName === 'restore',
    );
    byCluster[snapshot.DBClusterIdentifier ?? ''] = restore?.AttributeValues ?? [];
  }
  return byCluster;
}

function orgFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'org-')), 'org.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      Organization: {
        OrganizationalUnits: [org.units.Databases, org.units.Analytics],
        Regions: [...REGIONS],
        CodeBucket: 'acme-tool-{region}',
        VaultAccount: org.accounts.vault,
        StatusAccount: org.management,
      },
      Source: { ClusterNamePattern: 'ALL_CLUSTERS', ClusterTags: { backup: 'daily' } },
    }),
  );
  return file;
}

/** A tagged and an untagged cluster in each region of a member. */
async function clustersOf(name: string, account: string): Promise<void> {
  const estate = createEstate({ endpoint: moto.endpoint, accountId: account });
  for (const region of REGIONS) {
    await estate.createCluster(region, `${name}-db`, { tags: { backup: 'daily' } });
    await estate.createCluster(region, `${name}-scratch`);
  }
}

beforeAll(async () => {
  moto = await startMoto();
  copies = await startSharedCopyLayer(moto.endpoint);
  roles = await startRoleCheckingLayer(copies.endpoint);
  endpoint = roles.endpoint;
  // The handlers run in this process: moto's credentials behind the layers, one attempt per call.
  restoreEnvironment({ ...savedEnv, ...moto.env, AWS_ENDPOINT_URL: endpoint, AWS_MAX_ATTEMPTS: '1' });
  org = await createOrganization(moto.endpoint, { units: MEMBERS, atRoot: ['vault'] });
  // The code in every region, readable by the organization (stand-ins: moto stores the code, it does not run it).
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), `bundle of ${name}`);
  for (const region of REGIONS) {
    const s3 = new S3Client({
      region,
      endpoint: moto.endpoint,
      credentials: moto.credentials,
      forcePathStyle: true,
    });
    await s3.send(
      new CreateBucketCommand({
        Bucket: `acme-tool-${region}`,
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
    s3.destroy();
  }
  await publishToRegions({
    bucket: 'acme-tool-{region}',
    regions: REGIONS,
    dir,
    endpoint: moto.endpoint,
    organizationId: org.id,
  });
  await vaultStatusReaders();
  for (const [unit, names] of Object.entries(MEMBERS)) {
    expect(org.units[unit]).toBeDefined();
    for (const name of names) await clustersOf(name, org.accounts[name] ?? '');
  }
}, 120_000);

afterAll(async () => {
  if (roles) await stopServer(roles.server);
  await copies?.stop();
  await moto?.stop();
});

afterEach(() => {
  output?.restore();
  output = undefined;
  restoreEnvironment({ ...savedEnv, ...moto.env, AWS_ENDPOINT_URL: endpoint, AWS_MAX_ATTEMPTS: '1' });
});

describe('an organization protected by org deploy', () => {
  it('backs up every tagged cluster of every member in both regions into the vault, and no untagged one', async () => {
    // Prepare: the StackSet over both units and regions, from the management account
    const deployed = await runCli(['org', 'deploy', '--config', orgFile(), '--json'], {
      ...process.env,
      ...moto.env,
    });
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    const instances = (JSON.parse(deployed.stdout) as { instances: StackInstance[] }).instances;
    expect(instances.map((i) => `${i.account} ${i.region} ${i.status}`).sort()).toEqual(
      Object.values(MEMBERS)
        .flat()
        .flatMap((name) => REGIONS.map((region) => `${org.accounts[name]} ${region} CURRENT`))
        .sort(),
    );
    output = captureStdout();

    // Act: each member's schedule starts its job, in each region
    const outcomes = [];
    for (const name of Object.values(MEMBERS).flat()) {
      for (const region of REGIONS) outcomes.push(await runJob(org.accounts[name] ?? '', region));
    }

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'SUCCEEDED'));
    for (const name of Object.values(MEMBERS).flat()) {
      for (const region of REGIONS) {
        expect(await backupsOf(org.accounts[name] ?? '', region), `${name} in ${region}`).toEqual({
          [`${name}-db`]: [org.accounts.vault],
        });
      }
    }
    expect(await backupsOf(org.accounts.vault ?? '', REGIONS[0])).toEqual({});

    // Act, then Assess: the vault copies what each member shared, under its own account
    const vaultRuns = [];
    for (const region of REGIONS) vaultRuns.push(await runVaultJob(region));
    expect(vaultRuns.map((o) => `${o.status} ${o.error ?? ''} ${o.cause ?? ''}`.trim())).toEqual(
      vaultRuns.map(() => 'SUCCEEDED'),
    );
    for (const region of REGIONS) {
      expect(await vaultCopies(region), `the vault in ${region}`).toEqual(
        Object.values(MEMBERS)
          .flat()
          .map((name) => `${name}-db@${org.accounts[name]}`)
          .sort(),
      );
    }

    // Act, then Assess: status --organization, from the management account, through each member's reader role
    const report = await fleetStatus();
    const members = Object.values(MEMBERS).flat();
    const everywhere = (suffix: string) =>
      members
        .flatMap((name) => REGIONS.map((region) => `${name}${suffix}@${org.accounts[name]} ${region}`))
        .sort();
    const clusters = report.accounts.flatMap((a) => a.clusters);
    expect(clusters.map((c) => `${c.clusterId}@${c.accountId} ${c.region}`).sort()).toEqual(
      everywhere('-db'),
    );
    for (const cluster of clusters) {
      expect(cluster.latestSnapshot?.id, `${cluster.clusterId}'s backup`).toMatch(/^\w+-db-\d{4}-/);
      expect(cluster.vault?.id, `${cluster.clusterId}'s vault copy`).toBeDefined();
      expect(cluster.problems, `${cluster.clusterId}'s problems`).toEqual([]);
    }
    const unprotected = report.accounts.flatMap((a) => a.unprotected);
    expect(unprotected.map((u) => `${u.clusterId}@${u.accountId} ${u.region}`).sort()).toEqual(
      everywhere('-scratch'),
    );
    for (const u of unprotected)
      expect(u.reason).toBe(`cluster ${u.clusterId} has no tag backup (ClusterTags)`);
    expect([...report.accounts.flatMap((a) => a.unread), ...report.vaultUnread]).toEqual([]);
  });

  it('protects an account that joins a unit, through the automatic deployment of the StackSet', async () => {
    // Prepare: the StackSet exists (the test before, or this one alone); an account joins the Analytics unit
    const deployed = await runCli(['org', 'deploy', '--config', orgFile()], { ...process.env, ...moto.env });
    expect(deployed.code).toBe(0);
    const joined = await addAccount(moto.endpoint, org, 'payments', 'Analytics');
    await clustersOf('payments', joined);
    // moto does not implement automatic deployment: the test makes the stack AWS makes in the account that
    // joined, from the StackSet's own template and parameters (what CreateStackSet set AutoDeployment for).
    const cfn = new CloudFormationClient({
      region: REGIONS[0],
      endpoint: moto.endpoint,
      credentials: moto.credentials,
    });
    const { StackSet } = await cfn.send(new DescribeStackSetCommand({ StackSetName: STACK_SET }));
    cfn.destroy();
    for (const region of REGIONS) {
      const member = actAsAccount(
        new CloudFormationClient({ region, endpoint: moto.endpoint, credentials: moto.credentials }),
        joined,
      );
      await member.send(
        new CreateStackCommand({
          StackName: `StackSet-${STACK_SET}-joined`,
          TemplateBody: StackSet?.TemplateBody,
          Parameters: StackSet?.Parameters,
          Capabilities: StackSet?.Capabilities ?? ['CAPABILITY_NAMED_IAM'],
        }),
      );
      const stack = (
        await member.send(new DescribeStacksCommand({ StackName: `StackSet-${STACK_SET}-joined` }))
      ).Stacks?.[0];
      member.destroy();
      expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    }
    output = captureStdout();

    // Act: its jobs, then the vault's
    const outcomes = [];
    for (const region of REGIONS) outcomes.push(await runJob(joined, region));
    for (const region of REGIONS) outcomes.push(await runVaultJob(region));

    // Assess: backed up, in the vault, and in status --organization like the others
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'SUCCEEDED'));
    for (const region of REGIONS) {
      expect(await backupsOf(joined, region)).toEqual({ 'payments-db': [org.accounts.vault] });
      expect(await vaultCopies(region)).toContain(`payments-db@${joined}`);
    }
    const account = (await fleetStatus()).accounts.find((a) => a.accountId === joined);
    expect(
      account?.clusters
        .map((c) => `${c.clusterId} ${c.region} ${c.vault ? 'in the vault' : 'not in the vault'}`)
        .sort(),
    ).toEqual(REGIONS.map((region) => `payments-db ${region} in the vault`).sort());
    expect(account?.unprotected.map((u) => `${u.clusterId} ${u.region}`).sort()).toEqual(
      REGIONS.map((region) => `payments-scratch ${region}`).sort(),
    );
  });
});
