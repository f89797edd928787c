// Keys named by an alias (KmsKeySource, KmsKeyDestination, Destination<N>KmsKey = alias/<name>), in the IAM simulator. AWS authorizes a request that names a key by alias on the key the alias points to (an IAM policy names a KMS key by its key ARN only), and the functions look the alias up with kms:DescribeKey before they use the key ARN it finds: the source functions could already describe the account's keys; the destination functions may now describe their own account's keys of their region, and nothing more. Neither may use a key directly.
import { describe, expect, it } from 'vitest';
import { synthesizeTemplates } from '../../src/infra/templates/index.js';
import { allows, decide, type Statement } from './support/iam-simulator.js';
import { roleArn, roleStatements, type Templates } from './support/role-policies.js';

const { templates } = synthesizeTemplates();
const all = templates as unknown as Templates;

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '111122223333';
const ORGANIZATION = 'o-a1b2c3d4e5';
const SOURCE_REGION = 'eu-west-1';
const DR_REGION = 'us-west-2';
const ELSEWHERE = 'ap-south-1';

/** The key an alias names in `region` of `account`: what IAM authorizes the request on. */
const keyIn = (region: string, account = ACCOUNT) =>
  `arn:aws:kms:${region}:${account}:key/0b3a2c5e-1111-2222-3333-444455556666`;

/** The source functions' role (source-roles, as account.yaml holds it too), with source-roles' own parameters. */
function sourceFunctions(shared: Record<string, string> = {}): Statement[] {
  return roleStatements(
    all,
    'Source',
    'LambdaRole',
    { account: ACCOUNT, region: SOURCE_REGION },
    { ClusterNamePattern: 'orders' },
    shared,
  );
}

/** The destination functions' role in DR_REGION (destination-lambdas), for a vault of ORGANIZATION or not. */
function destinationFunctions(organization = ''): Statement[] {
  return roleStatements(
    all,
    'Destination',
    'LambdaRole',
    { account: ACCOUNT, region: DR_REGION },
    { SnapshotPattern: 'orders', SourceOrganizationId: organization },
    { SourceOrganizationId: organization },
  );
}

describe('the source functions, with KmsKeySource and KmsKeyDestination named by alias', () => {
  it('find the keys the aliases name in the source region and in DestinationRegion (kms:DescribeKey)', async () => {
    // Act / Assess
    for (const role of [sourceFunctions(), sourceFunctions({ DestinationRegions: DR_REGION })]) {
      expect(await allows(role, { action: 'kms:DescribeKey', resource: keyIn(SOURCE_REGION) })).toBe(true);
      expect(await allows(role, { action: 'kms:DescribeKey', resource: keyIn(DR_REGION) })).toBe(true);
    }
  });

  it('then use those keys only through RDS, as keys named by ARN', async () => {
    // Prepare
    const role = sourceFunctions({ DestinationRegions: DR_REGION });
    const viaRds = (region: string) => ({ 'kms:ViaService': `rds.${region}.amazonaws.com` });
    // Act / Assess
    for (const region of [SOURCE_REGION, DR_REGION]) {
      expect(
        await allows(role, { action: 'kms:ReEncryptTo', resource: keyIn(region), context: viaRds(region) }),
      ).toBe(true);
      expect(
        await allows(role, {
          action: 'kms:CreateGrant',
          resource: keyIn(region),
          context: { ...viaRds(region), 'kms:GrantIsForAWSResource': 'true' },
        }),
      ).toBe(true);
      expect(await allows(role, { action: 'kms:Encrypt', resource: keyIn(region) })).toBe(false);
    }
  });

  it('find no key in a region DestinationRegions does not name, nor a key of another account', async () => {
    // Prepare
    const confined = sourceFunctions({ DestinationRegions: DR_REGION });
    // Act / Assess
    expect(await decide(confined, { action: 'kms:DescribeKey', resource: keyIn(ELSEWHERE) })).toBe(
      'ExplicitlyDenied',
    );
    expect(
      await allows(sourceFunctions(), {
        action: 'kms:DescribeKey',
        resource: keyIn(SOURCE_REGION, OTHER_ACCOUNT),
        principal: roleArn(ACCOUNT, 'LambdaRole'),
      }),
    ).toBe(false);
  });
});

describe('the destination functions, with KmsKeyDestination named by alias', () => {
  it("find the key the alias names among their account's keys of their region (kms:DescribeKey), and use it only through RDS", async () => {
    // Prepare
    const role = destinationFunctions();
    // Act / Assess
    expect(await allows(role, { action: 'kms:DescribeKey', resource: keyIn(DR_REGION) })).toBe(true);
    // Only the statement made for it allows the look-up: its other key rights are through RDS alone.
    const before = role.filter((statement) => statement.Sid !== 'FindTheKeyOfTheCopies');
    expect(await allows(before, { action: 'kms:DescribeKey', resource: keyIn(DR_REGION) })).toBe(false);
    expect(await allows(role, { action: 'kms:Encrypt', resource: keyIn(DR_REGION) })).toBe(false);
    expect(await allows(role, { action: 'kms:Decrypt', resource: keyIn(DR_REGION) })).toBe(false);
  });

  it("describe no key of another region, nor another account's key (which they use only through RDS)", async () => {
    // Prepare
    const role = destinationFunctions();
    const everyAccount: Statement[] = [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    ];
    // Act / Assess
    expect(await allows(role, { action: 'kms:DescribeKey', resource: keyIn(SOURCE_REGION) })).toBe(false);
    expect(
      await allows(
        role,
        {
          action: 'kms:DescribeKey',
          resource: keyIn(DR_REGION, OTHER_ACCOUNT),
          principal: roleArn(ACCOUNT, 'LambdaRole'),
        },
        { keyPolicy: everyAccount },
      ),
    ).toBe(false);
  });

  it("in an organization's vault, still find the vault's own key", async () => {
    // Prepare
    const role = destinationFunctions(ORGANIZATION);
    // Act
    const decision = await decide(role, {
      action: 'kms:DescribeKey',
      resource: keyIn(DR_REGION),
      context: { 'aws:ResourceAccount': ACCOUNT, 'aws:ResourceOrgID': ORGANIZATION },
    });
    // Assess
    expect(decision).toBe('Allowed');
  });
});
