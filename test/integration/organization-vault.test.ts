// A vault for a whole organization on moto: the copy function copies what any member account shared (under the
// vault's key, which KmsKeyDestination may name by alias), and a snapshot shared from outside the organization,
// which the vault's role refuses (its OnlyTheOrganization denies, proven on the template in
// test/infra/vault-organization.test.ts, answered here as AWS answers them: AccessDenied), is reported by name
// with the reason while the members' snapshots are copied. moto cannot copy what another account shared
// (test/support/shared-copy-layer.ts does) and returns foreign tags (moto's honest layer hides them).
import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeFactoryFromEnv } from '../../src/aws/store-factory.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { handler as copyShared } from '../../src/handlers/copy-snapshots-dest.js';
import { handler as deleteOld } from '../../src/handlers/delete-old-snapshots-dest.js';
import { setStoreFactory } from '../../src/handlers/runtime.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { createEstate, type Estate } from '../support/estate.js';
import { rdsError, startLayer } from '../support/http-forward.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { type SharedCopyLayer, startSharedCopyLayer } from '../support/shared-copy-layer.js';

const REGION = 'us-east-1';
const ORGANIZATION = 'o-a1b2c3d4e5';
const VAULT = '999988887777';
const MEMBER_A = '111122223333';
const MEMBER_B = '222233334444';
const OUTSIDER = '444455556666';
const MEMBERS = new Set([VAULT, MEMBER_A, MEMBER_B]);

let moto: MotoServer;
let copies: SharedCopyLayer;
let iam: { endpoint: string; refusedCopies: string[]; stop(): Promise<void> };
let output: CapturedOutput;

/**
 * AWS's answer to the vault's role: CopyDBClusterSnapshot of a snapshot whose owner is outside the organization is
 * denied (aws:ResourceOrgID), as the role's policy says; everything else goes on to the shared-copy layer.
 */
async function startOrganizationIam(target: string) {
  const refusedCopies: string[] = [];
  const layer = await startLayer(target, 'organization IAM', async ({ action, form }, _req, pass) => {
    const source = form.get('SourceDBClusterSnapshotIdentifier') ?? '';
    if (action === 'CopyDBClusterSnapshot' && !MEMBERS.has(source.split(':')[4] ?? '')) {
      refusedCopies.push(source);
      return rdsError(
        403,
        'AccessDenied',
        `User: arn:aws:sts::${VAULT}:assumed-role/tool-lambda/CopySnapshotsDestAurora is not authorized to perform: rds:CopyDBClusterSnapshot on resource: ${source} with an explicit deny in an identity-based policy`,
      );
    }
    return pass();
  });
  return { endpoint: layer.endpoint, refusedCopies, stop: layer.stop };
}

beforeAll(async () => {
  moto = await startMoto();
  copies = await startSharedCopyLayer(moto.endpoint);
  iam = await startOrganizationIam(copies.endpoint);
});

afterAll(async () => {
  await iam?.stop();
  await copies?.stop();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  iam.refusedCopies.length = 0;
  setStoreFactory(
    storeFactoryFromEnv({
      ...moto.env,
      AWS_ENDPOINT_URL: iam.endpoint,
      AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT: VAULT,
      AWS_MAX_ATTEMPTS: '1',
    }),
  );
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  setStoreFactory(undefined);
});

/** `<cluster>-YYYY-MM-DD-HH-MM`, `minutesAgo` before now (moto's clock is the real one). */
function toolName(clusterId: string, minutesAgo: number): string {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const stamp = at.toISOString().slice(0, 16).replace('T', '-').replace(':', '-');
  return `${clusterId}-${stamp}`;
}

/** A backup of `clusterId` in `account` (under `kmsKeyId` when given), shared with the vault; returns its ARN. */
async function sharedBackup(
  account: string,
  clusterId: string,
  minutesAgo: number,
  kmsKeyId?: string,
): Promise<string> {
  const estate: Estate = createEstate({ endpoint: moto.endpoint, accountId: account });
  const existing = await estate.clients(REGION).rds.send(new DescribeDBClustersCommand({}));
  if (!existing.DBClusters?.some((c) => c.DBClusterIdentifier === clusterId)) {
    await estate.createCluster(REGION, clusterId, kmsKeyId === undefined ? {} : { kmsKeyId });
  }
  const made = await estate.createSnapshot(REGION, {
    clusterId,
    snapshotId: toolName(clusterId, minutesAgo),
    tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE },
  });
  await estate.shareSnapshot(REGION, made.id, VAULT);
  return made.arn;
}

function event(extra: Record<string, unknown> = {}) {
  return {
    config: {
      Destination: {
        Region: REGION,
        SnapshotPattern: '^prod',
        SourceOrganizationId: ORGANIZATION,
        RetentionDays: 7,
        LogLevel: 'INFO',
        ...extra,
      },
    },
  };
}

const vault = () => createEstate({ endpoint: moto.endpoint, accountId: VAULT });

describe('the copy function of a vault for an organization', () => {
  it("copies every member's shared snapshot, and names the outsider's it could not copy with AWS's reason, without failing", async () => {
    // Prepare
    const a = await sharedBackup(MEMBER_A, 'prod-a', 30);
    const b = await sharedBackup(MEMBER_B, 'prod-b', 20);
    const outside = await sharedBackup(OUTSIDER, 'prod-x', 10);

    // Act
    const result = await copyShared(event());

    // Assess: what the vault owns, what AWS was asked, what the function returned and logged.
    const owned = await vault().snapshots(REGION);
    const sources = owned.map((s) => Object.fromEntries((s.TagList ?? []).map((t) => [t.Key, t.Value])));
    expect(sources.map((t) => t[TAG.SourceSnapshot]).sort()).toEqual([a, b].sort());
    expect(sources.map((t) => t[TAG.SourceAccount]).sort()).toEqual([MEMBER_A, MEMBER_B]);
    expect(iam.refusedCopies).toEqual([outside]);
    expect(result.copied.sort()).toEqual(owned.map((s) => s.DBClusterSnapshotIdentifier).sort());
    expect(result.refused).toEqual([
      { snapshotArn: outside, reason: expect.stringContaining('AccessDenied') },
    ]);
    const warning = output.logs().find((line) => line.code === 'copy-refused');
    expect(warning?.message).toContain(outside);
    expect(warning?.message).toContain(`shared by ${OUTSIDER}`);
    expect(warning?.message).toContain(ORGANIZATION);
  });

  it('copies the snapshots of two members whose clusters share a name and a schedule, each named after its owner', async () => {
    // Prepare: one organization-wide schedule, two members with a cluster called prod-db: the same snapshot name
    const a = await sharedBackup(MEMBER_A, 'prod-db', 30);
    const b = await sharedBackup(MEMBER_B, 'prod-db', 30);
    const name = a.slice(a.lastIndexOf(':') + 1);
    expect(b.slice(b.lastIndexOf(':') + 1)).toBe(name);

    // Act
    const result = await copyShared(event());
    const again = await copyShared(event());

    // Assess: two copies, one per owner, and nothing copied twice
    const owned = await vault().snapshots(REGION);
    const bySource = Object.fromEntries(
      owned.map((s) => [
        (s.TagList ?? []).find((t) => t.Key === TAG.SourceSnapshot)?.Value,
        s.DBClusterSnapshotIdentifier,
      ]),
    );
    expect(bySource).toEqual({ [a]: `${name}-${MEMBER_A}`, [b]: `${name}-${MEMBER_B}` });
    expect(result.copied.sort()).toEqual([`${name}-${MEMBER_A}`, `${name}-${MEMBER_B}`].sort());
    expect(again.copied).toEqual([]);
  });

  it('copies a member’s snapshot even when more outsider snapshots than copy slots are newer', async () => {
    // Prepare: six newer snapshots from outside: the first round's five slots all go to refused copies.
    const member = await sharedBackup(MEMBER_A, 'prod-a', 60);
    const outside: string[] = [];
    for (let i = 0; i < 6; i++) outside.push(await sharedBackup(OUTSIDER, `prod-x${i}`, 10 + i));

    // Act
    const result = await copyShared(event());

    // Assess
    const owned = await vault().snapshots(REGION);
    expect(owned.map((s) => (s.TagList ?? []).find((t) => t.Key === TAG.SourceSnapshot)?.Value)).toEqual([
      member,
    ]);
    expect(result.refused?.map((r) => r.snapshotArn).sort()).toEqual(outside.sort());
    expect(new Set(iam.refusedCopies).size).toBe(6);
  });

  it('copies nothing from outside and fails nothing when only outsiders share', async () => {
    // Prepare
    const outside = await sharedBackup(OUTSIDER, 'prod-x', 10);

    // Act
    const result = await copyShared(event());

    // Assess
    expect(result.started).toBe(false);
    expect(result.refused?.map((r) => r.snapshotArn)).toEqual([outside]);
    expect(await vault().snapshots(REGION)).toEqual([]);
  });

  it('fails the run for a refused copy when the vault serves one SourceAccount (no organization)', async () => {
    // Prepare: the vault of one account, whose share AWS refuses: a broken setup, not a stranger.
    await sharedBackup(OUTSIDER, 'prod-x', 10);

    // Act / Assess
    await expect(
      copyShared(event({ SourceOrganizationId: undefined, SourceAccount: OUTSIDER })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe("the vault's key named by alias (KmsKeyDestination = alias/<name>)", () => {
  it("copies an encrypted member's snapshot with the key the alias names in the vault's region", async () => {
    // Prepare: the member's cluster under its own key; the vault's alias names the vault's key.
    const memberKey = await createEstate({ endpoint: moto.endpoint, accountId: MEMBER_A }).createKey(REGION);
    const shared = await sharedBackup(MEMBER_A, 'prod-a', 30, memberKey.arn);
    const vaultKey = await vault().createKey(REGION, 'vault copies');
    await vault().createAlias(REGION, 'alias/vault-copies', vaultKey.keyId);
    const from = copies.requests().length;

    // Act
    const result = await copyShared(event({ KmsKeyDestination: 'alias/vault-copies' }));

    // Assess: RDS was asked, as the vault, for a copy of the member's snapshot under the vault's key ARN.
    const asked = copies
      .requests()
      .slice(from)
      .filter((request) => request.action === 'CopyDBClusterSnapshot');
    expect(
      asked.map((r) => [r.account, r.form.get('SourceDBClusterSnapshotIdentifier'), r.form.get('KmsKeyId')]),
    ).toEqual([[VAULT, shared, vaultKey.arn]]);
    expect(result.copied).toHaveLength(1);
  });

  it('fails with ConfigError naming the parameter, the alias, the vault account and the region when the alias is missing, and copies nothing', async () => {
    // Prepare: the alias exists in the member account only.
    const member = createEstate({ endpoint: moto.endpoint, accountId: MEMBER_A });
    const memberKey = await member.createKey(REGION);
    await member.createAlias(REGION, 'alias/vault-copies', memberKey.keyId);
    await sharedBackup(MEMBER_A, 'prod-a', 30, memberKey.arn);
    const from = copies.requests().length;

    // Act
    const error = await copyShared(event({ KmsKeyDestination: 'alias/vault-copies' })).catch(
      (failure: unknown) => failure,
    );

    // Assess
    expect(error).toMatchObject({
      name: 'ConfigError',
      issues: [
        {
          parameter: 'Destination.KmsKeyDestination',
          value: 'alias/vault-copies',
          message: expect.stringContaining(
            `names no KMS key in account ${VAULT}, region ${REGION}: the alias alias/vault-copies does not exist there`,
          ),
        },
      ],
    });
    expect(
      copies
        .requests()
        .slice(from)
        .filter((request) => request.action === 'CopyDBClusterSnapshot'),
    ).toEqual([]);
    expect(await vault().snapshots(REGION)).toEqual([]);
  });
});

describe('the retention of a vault for an organization', () => {
  it("deletes its expired copies of any member's snapshots, and neither the vault's other snapshots nor the newest copy of each cluster", async () => {
    // Prepare: in the vault, the tool's copies of two members' clusters (one expired each, one newest each), and
    // old snapshots that are not the tool's copies of the pattern: its own backup, another tool's copy, the tool's
    // copy of a cluster the pattern does not match.
    const own = vault();
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const copy = async (
      id: string,
      cluster: string,
      account: string,
      days: number,
      copiedBy = TOOL_TAG_VALUE,
    ) => {
      await own.createSnapshot(REGION, {
        clusterId: 'vault-stand-in',
        snapshotId: id,
        tags: {
          [TAG.CopiedBy]: copiedBy,
          [TAG.PointInTime]: daysAgo(days).toISOString(),
          [TAG.SourceCluster]: cluster,
          [TAG.SourceAccount]: account,
          [TAG.SourceRegion]: REGION,
        },
      });
    };
    await own.createCluster(REGION, 'vault-stand-in');
    await copy('prod-a-old', 'prod-a', MEMBER_A, 30);
    await copy('prod-a-new', 'prod-a', MEMBER_A, 1);
    await copy('prod-b-old', 'prod-b', MEMBER_B, 30);
    await copy('prod-b-new', 'prod-b', MEMBER_B, 2);
    await copy('prod-c-only', 'prod-c', OUTSIDER, 40);
    await copy('prod-a-other-tool', 'prod-a', MEMBER_A, 30, 'another tool');
    await copy('billing-old', 'billing', MEMBER_A, 30);
    await own.createSnapshot(REGION, { clusterId: 'vault-stand-in', snapshotId: 'prod-vault-manual' });

    // Act
    await deleteOld(event({ RetentionDays: 7, DeleteOldSnapshots: true }));

    // Assess: only the expired copies of the members' clusters that have a newer copy went.
    expect(await own.snapshotIds(REGION)).toEqual(
      [
        'billing-old',
        'prod-a-new',
        'prod-a-other-tool',
        'prod-b-new',
        'prod-c-only',
        'prod-vault-manual',
      ].sort(),
    );
  });
});
