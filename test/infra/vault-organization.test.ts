// A vault for a whole organization (destination-lambdas with SourceOrganizationId), proven on the synthesized
// policies with the IAM simulator: a member account's roles cannot delete, alter, unshare or re-tag the vault's
// copies, nor shorten its retention; the vault's functions cannot copy a snapshot, nor use a key, owned outside the
// organization; an account outside it cannot write into the shapes bucket.
import { describe, expect, it } from 'vitest';
import { shapeBucketName, shapeObjectKey } from '../../src/core/model/shape-carrier.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { synthesizeTemplates } from '../../src/infra/templates/index.js';
import { evaluate, resourceExists } from './support/cfn-eval.js';
import { allows, decide, decideS3, type Statement } from './support/iam-simulator.js';
import { resourcesOf, roleArn, roleStatements, type Templates } from './support/role-policies.js';

const { templates } = synthesizeTemplates();
const all = templates as unknown as Templates;

const ORGANIZATION = 'o-a1b2c3d4e5';
const VAULT = '999988887777';
const MEMBER = '111122223333';
const OUTSIDER = '444455556666';
const REGION = 'us-east-1';
const BUCKET = shapeBucketName(VAULT, REGION);

/** The vault's destination functions, deployed for the organization (or, `organization: ''`, as before). */
function vaultFunctions(organization = ORGANIZATION): Statement[] {
  return roleStatements(
    all,
    'Destination',
    'LambdaRole',
    { account: VAULT, region: REGION },
    { SourceOrganizationId: organization },
    { SourceOrganizationId: organization },
  );
}

/** Every role a member account's source stacks deploy, with DestinationAccounts naming the vault. */
const memberRoles = (['LambdaRole', 'StateMachineRole', 'EventsRole'] as const).map((role) => ({
  role,
  statements: roleStatements(
    all,
    'Source',
    role,
    { account: MEMBER, region: REGION },
    { ClusterNamePattern: 'prod', DestinationAccount: VAULT },
    { DestinationAccounts: VAULT },
  ),
}));

const snapshotOf = (account: string) =>
  `arn:aws:rds:${REGION}:${account}:cluster-snapshot:prod-db-2026-03-04-05-06`;
const keyOf = (account: string) =>
  `arn:aws:kms:${REGION}:${account}:key/7c6d5e4f-1111-2222-3333-444455556666`;
/** The organization of each account, as IAM puts it in aws:ResourceOrgID (absent for an account in none). */
const orgOf = (account: string): Record<string, string> =>
  account === OUTSIDER ? {} : { 'aws:ResourceOrgID': ORGANIZATION };

describe("a member account's roles have no power over the organization vault's copies", () => {
  it.each([
    'rds:DeleteDBClusterSnapshot',
    'rds:ModifyDBClusterSnapshotAttribute',
    'rds:AddTagsToResource',
    'rds:RemoveTagsFromResource',
    'rds:CopyDBClusterSnapshot',
    'rds:RestoreDBClusterFromSnapshot',
  ])('none may %s a vault copy, whatever its tags', async (action) => {
    // Act / Assess
    for (const { role, statements } of memberRoles) {
      for (const tags of [{}, { [TAG.CopiedBy]: TOOL_TAG_VALUE }, { [TAG.CreatedBy]: TOOL_TAG_VALUE }]) {
        const context = {
          ...orgOf(VAULT),
          ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
        };
        expect(
          await allows(statements, { action, resource: snapshotOf(VAULT), context }),
          `${role} ${JSON.stringify(tags)}`,
        ).toBe(false);
      }
    }
  });

  it.each([
    [
      'states:StartExecution',
      `arn:aws:states:${REGION}:${VAULT}:stateMachine:AuroraSnapshotTool-Destination-x`,
    ],
    ['scheduler:UpdateSchedule', `arn:aws:scheduler:${REGION}:${VAULT}:schedule/default/vault`],
    ['cloudformation:UpdateStack', `arn:aws:cloudformation:${REGION}:${VAULT}:stack/vault/1`],
    [
      'lambda:UpdateFunctionConfiguration',
      `arn:aws:lambda:${REGION}:${VAULT}:function:CopySnapshotsDestAurora`,
    ],
    ['lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${VAULT}:function:DeleteOldSnapshotsDestAurora`],
    ['kms:ScheduleKeyDeletion', keyOf(VAULT)],
  ])('cannot shorten the retention or delete through the vault’s machinery: %s', async (action, resource) => {
    // Act / Assess
    for (const { role, statements } of memberRoles) {
      expect(await allows(statements, { action, resource, context: orgOf(VAULT) }), role).toBe(false);
    }
  });

  it('finds no member principal in any resource policy of the vault but the put of a shape', () => {
    // Prepare: every resource policy the vault's templates make, resolved for the organization.
    const grants: string[] = [];
    for (const name of ['destination-lambdas', 'destination-cluster'] as const) {
      const template = templates[name];
      const deployment = {
        region: REGION,
        accountId: VAULT,
        parameters: { SourceOrganizationId: ORGANIZATION, SnapshotPattern: 'prod' },
      };
      for (const [id, resource] of resourcesOf(template)) {
        const document = resource.Properties.PolicyDocument;
        if (!document || resource.Type === 'AWS::IAM::Policy' || !resourceExists(template, id, deployment))
          continue;
        const statements = (evaluate(template, document, deployment) as { Statement: Statement[] }).Statement;
        for (const statement of statements.filter(
          (s) => s.Effect === 'Allow' && (s.Principal as { AWS?: unknown } | undefined)?.AWS !== undefined,
        )) {
          grants.push(
            `${id}: ${[statement.Action].flat().join(',')} to ${JSON.stringify(statement.Principal)}`,
          );
        }
      }
    }

    // Assess: the only Allow to an account's principals (services aside: CloudWatch publishing the alarms) is the
    // shapes bucket's put, which the bucket policy confines to the organization and each account's own prefix.
    expect(grants).toEqual([
      expect.stringMatching(/^ShapesPolicy[A-Z0-9]+: s3:PutObject to \{"AWS":"\*"\}$/),
    ]);
  });
});

describe("the organization vault's functions copy only what the organization owns", () => {
  it('may copy a member’s shared snapshot, and never one owned outside the organization', async () => {
    // Act / Assess
    const functions = vaultFunctions();
    const copy = (owner: string, context: Record<string, string>) =>
      decide(functions, {
        action: 'rds:CopyDBClusterSnapshot',
        resource: snapshotOf(owner),
        context: { 'aws:ResourceAccount': owner, ...context },
      });
    expect(await copy(MEMBER, orgOf(MEMBER))).toBe('Allowed');
    expect(await copy(OUTSIDER, {})).toBe('ExplicitlyDenied');
    expect(await copy(OUTSIDER, { 'aws:ResourceOrgID': 'o-zzzzzzzzzz' })).toBe('ExplicitlyDenied');
    // Its own copies, the target of every copy, stay its own.
    expect(await copy(VAULT, orgOf(VAULT))).toBe('Allowed');
  });

  it('without SourceOrganizationId, copies what any account shares, as before (the job names SourceAccount)', async () => {
    // Act / Assess
    expect(
      await allows(vaultFunctions(''), {
        action: 'rds:CopyDBClusterSnapshot',
        resource: snapshotOf(OUTSIDER),
        context: { 'aws:ResourceAccount': OUTSIDER },
      }),
    ).toBe(true);
  });

  it.each(['kms:Decrypt', 'kms:CreateGrant', 'kms:ReEncryptFrom', 'kms:DescribeKey'])(
    'uses a member’s key through RDS (%s), and never a key owned outside, even one whose policy admits the vault',
    async (action) => {
      // Prepare: each key's policy admits the vault account, as the sharing guide asks.
      const keyPolicy = (owner: string): Statement[] => [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${VAULT}:root` }, Action: 'kms:*', Resource: '*' },
      ];
      const use = (owner: string) =>
        decide(
          vaultFunctions(),
          {
            action,
            resource: keyOf(owner),
            principal: roleArn(VAULT, 'LambdaRole'),
            context: {
              'kms:ViaService': `rds.${REGION}.amazonaws.com`,
              'kms:GrantIsForAWSResource': 'true',
              'aws:ResourceAccount': owner,
              ...orgOf(owner),
            },
          },
          { keyPolicy: keyPolicy(owner) },
        );

      // Act / Assess
      expect(await use(MEMBER)).toBe('Allowed');
      expect(await use(OUTSIDER)).toBe('ExplicitlyDenied');
    },
  );
});

describe("the organization vault's shapes bucket", () => {
  const object = (key: string) => `arn:aws:s3:::${BUCKET}/${key}`;
  const ownKey = (account: string) => shapeObjectKey(account, 'prod-db-2026-03-04-05-06');
  const admin: Statement[] = [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }];

  function bucketPolicy(): Statement[] {
    const template = templates['destination-lambdas'];
    const found = resourcesOf(template).find(([, r]) => r.Type === 'AWS::S3::BucketPolicy');
    if (!found) throw new Error('destination-lambdas has no bucket policy');
    const document = evaluate(template, found[1].Properties.PolicyDocument, {
      region: REGION,
      accountId: VAULT,
      parameters: { SourceOrganizationId: ORGANIZATION },
    }) as { Statement: Statement[] };
    return JSON.parse(
      JSON.stringify(document.Statement).replaceAll(
        /<ShapesBucket[A-Za-z0-9]*\.Arn>/g,
        `arn:aws:s3:::${BUCKET}`,
      ),
    );
  }

  const s3 = (statements: Statement[], principal: string, action: string, resource: string, org?: string) =>
    decideS3(
      statements,
      { action, resource, principal, bucketOwner: VAULT, context: org ? { 'aws:PrincipalOrgID': org } : {} },
      bucketPolicy(),
    );

  it('is made for the organization alone, without SourceAccounts', () => {
    // Act / Assess
    const template = templates['destination-lambdas'];
    const found = resourcesOf(template).find(([, r]) => r.Type === 'AWS::S3::Bucket');
    if (!found) throw new Error('destination-lambdas has no bucket');
    expect(resourceExists(template, found[0], { parameters: { SourceOrganizationId: ORGANIZATION } })).toBe(
      true,
    );
  });

  it("lets a member's source functions put a shape under their own prefix only", async () => {
    // Prepare
    const member = roleStatements(
      all,
      'Source',
      'LambdaRole',
      { account: MEMBER, region: REGION },
      {},
      { DestinationAccounts: VAULT },
    );
    const principal = roleArn(MEMBER, 'LambdaRole');

    // Act / Assess
    expect(await s3(member, principal, 's3:PutObject', object(ownKey(MEMBER)), ORGANIZATION)).toBe('Allowed');
    expect(await s3(member, principal, 's3:PutObject', object(ownKey(OUTSIDER)), ORGANIZATION)).not.toBe(
      'Allowed',
    );
  });

  it.each(['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:PutBucketPolicy', 's3:DeleteBucket'])(
    'lets no one outside the organization %s, even an administrator with s3:*',
    async (action) => {
      // Act / Assess
      const resource = action.includes('Object') ? object(ownKey(OUTSIDER)) : `arn:aws:s3:::${BUCKET}`;
      expect(await s3(admin, `arn:aws:iam::${OUTSIDER}:role/admin`, action, resource)).not.toBe('Allowed');
      expect(
        await s3(admin, `arn:aws:iam::${OUTSIDER}:role/admin`, action, resource, 'o-zzzzzzzzzz'),
      ).not.toBe('Allowed');
    },
  );

  it.each([
    's3:GetObject',
    's3:DeleteObject',
    's3:DeleteObjectVersion',
    's3:PutBucketPolicy',
    's3:PutLifecycleConfiguration',
  ])("denies a member's administrator %s", async (action) => {
    // Act / Assess
    const resource = action.includes('Object') ? object(ownKey(MEMBER)) : `arn:aws:s3:::${BUCKET}`;
    expect(await s3(admin, `arn:aws:iam::${MEMBER}:role/admin`, action, resource, ORGANIZATION)).toBe(
      'ExplicitlyDenied',
    );
  });

  it("leaves the vault's own functions as they were: they read the shapes, and the organization's deny is not theirs", async () => {
    // Act / Assess
    const principal = roleArn(VAULT, 'LambdaRole');
    expect(await s3(vaultFunctions(), principal, 's3:GetObject', object(ownKey(MEMBER)), ORGANIZATION)).toBe(
      'Allowed',
    );
  });
});
