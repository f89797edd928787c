/**
 * The organization demo's estate on the emulator: an organization (management account, a vault account at the
 * root, three members in two organizational units), a tagged and an untagged Aurora cluster in each member and
 * region, the code buckets of both regions with stand-in bundles, the organization configuration that `org
 * deploy` and `status --organization` read, and the vault's status reader stacks.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { type BucketLocationConstraint, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { actAsAccount, silenceNodeVersionWarning } from '../aws/clients.js';
import { publishToRegions } from '../aws/publish.js';
import { ALL_FUNCTIONS } from '../handlers/names.js';
import { createOrganization, type EmulatedOrganization } from './emulated-organization.js';

/** The regions every member gets the account stack in; the StackSet is managed from the first. */
export const ORG_REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** The organizational units by name, and the members created in each. */
export const ORG_UNITS: Readonly<Record<string, readonly string[]>> = {
  Databases: ['orders', 'billing'],
  Analytics: ['reports'],
};

/** The account that joins a unit halfway through the period. */
export const JOINING_ACCOUNT = { name: 'payments', unit: 'Analytics' } as const;

export const VAULT_NAME = 'vault';

/** The tag that selects a cluster (the policy's `ClusterTags`). */
export const BACKUP_TAG = { Key: 'backup', Value: 'daily' } as const;

/** The code bucket of each region, as `publish --regions` names them. */
export const CODE_BUCKET = 'demo-aurora-snapshot-tool-{region}';

/** When the vault's destination job runs (UTC): after the members' 01:00 backups. */
export const VAULT_SCHEDULE = '0 3 * * ? *';
export const VAULT_RETENTION_DAYS = 7;
export const MEMBER_RETENTION_DAYS = 3;

/** The stack name of the vault's status reader (docs/deployment.md). */
export const STATUS_READER_STACK = 'snapshot-tool-status-reader';

const CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };

/** A member's tagged cluster (protected) and untagged one (left alone, and named by status). */
export function clustersOf(member: string): { tagged: string; untagged: string } {
  return { tagged: `${member}-db`, untagged: `${member}-scratch` };
}

/** Builds the organization in the management account: the units, their members, and the vault at the root. */
export function buildOrganization(endpoint: string): Promise<EmulatedOrganization> {
  return createOrganization(endpoint, { units: ORG_UNITS, atRoot: [VAULT_NAME] });
}

/** The tagged and the untagged cluster of a member, in each region, created as that member. */
export async function createMemberClusters(endpoint: string, account: string, member: string): Promise<void> {
  silenceNodeVersionWarning();
  const { tagged, untagged } = clustersOf(member);
  for (const region of ORG_REGIONS) {
    const rds = actAsAccount(
      new RDSClient({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 2 }),
      account,
    );
    try {
      for (const [id, tags] of [
        [tagged, [BACKUP_TAG]],
        [untagged, []],
      ] as const) {
        await rds.send(
          new CreateDBClusterCommand({
            DBClusterIdentifier: id,
            Engine: 'aurora-postgresql',
            EngineVersion: '16.4',
            MasterUsername: 'postgres',
            MasterUserPassword: 'demo-password-1',
            Tags: [...tags],
          }),
        );
      }
    } finally {
      rds.destroy();
    }
  }
}

/**
 * The code bucket of each region, made in the management account, holding stand-in bundles readable by the
 * organization: the emulator stores a function's code but never runs it (the demo runs the real handlers in
 * this process), so the six zips only need to exist for the stacks to be created.
 */
export async function publishStandInBundles(
  endpoint: string,
  organizationId: string,
): Promise<{ bucket: string; keys: number }[]> {
  silenceNodeVersionWarning();
  for (const region of ORG_REGIONS) {
    const s3 = new S3Client({ region, endpoint, credentials: CREDENTIALS, forcePathStyle: true });
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: CODE_BUCKET.replace('{region}', region),
          ...(region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      );
    } finally {
      s3.destroy();
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'aurora-snapshot-tool-demo-bundles-'));
  try {
    for (const name of ALL_FUNCTIONS) await writeFile(join(dir, `${name}.zip`), `stand-in bundle of ${name}`);
    const published = await publishToRegions({
      bucket: CODE_BUCKET,
      regions: ORG_REGIONS,
      dir,
      endpoint,
      organizationId,
    });
    return published.map((p) => ({ bucket: p.bucket, keys: p.uploaded.length }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The organization configuration (org.yaml) of the demo, as a user would write it. */
export function organizationConfig(org: EmulatedOrganization): Record<string, unknown> {
  return {
    Organization: {
      OrganizationalUnits: Object.keys(ORG_UNITS).map((unit) => org.units[unit]),
      Regions: [...ORG_REGIONS],
      CodeBucket: CODE_BUCKET,
      VaultAccount: org.accounts[VAULT_NAME],
      StatusAccount: org.management,
    },
    Source: {
      ClusterNamePattern: 'ALL_CLUSTERS',
      ClusterTags: { [BACKUP_TAG.Key]: BACKUP_TAG.Value },
      BackupSchedule: '0 1 * * ? *',
      RetentionDays: MEMBER_RETENTION_DAYS,
      // The functions' JSON logs would bury the demo's own output; it prints each failed execution itself.
      LogLevel: 'CRITICAL',
    },
  };
}

/** The vault's destination job in `region`: every member's shared snapshots, for the whole organization. */
export function vaultJobInput(
  org: EmulatedOrganization,
  region: string,
): { Destination: Record<string, unknown> } {
  return {
    Destination: {
      Region: region,
      SnapshotPattern: 'ALL_CLUSTERS',
      SourceOrganizationId: org.id,
      SourceRegion: region,
      RetentionDays: String(VAULT_RETENTION_DAYS),
      Schedule: VAULT_SCHEDULE,
      LogLevel: 'CRITICAL',
    },
  };
}

/** The status reader template of this package (the published package ships cloudformation/). */
const STATUS_READER_TEMPLATE = new URL('../../cloudformation/status-reader.yaml', import.meta.url);

/** The vault's status reader stack in each region, trusting the management account (docs/deployment.md). */
export async function deployVaultStatusReaders(endpoint: string, org: EmulatedOrganization): Promise<void> {
  const template = await readFile(STATUS_READER_TEMPLATE, 'utf8');
  for (const region of ORG_REGIONS) {
    const cfn = actAsAccount(
      new CloudFormationClient({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 2 }),
      org.accounts[VAULT_NAME],
    );
    try {
      await cfn.send(
        new CreateStackCommand({
          StackName: STATUS_READER_STACK,
          TemplateBody: template,
          Parameters: [{ ParameterKey: 'StatusAccount', ParameterValue: org.management }],
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      );
    } finally {
      cfn.destroy();
    }
  }
}
