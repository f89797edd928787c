// The statements each role of the templates has once deployed, resolved for an account and region; and every policy document of a set of templates, for checks on their text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../../src/handlers/names.js';
import { EXPORTS, TEMPLATE_NAMES, type TemplateName } from '../../../src/infra/templates/stacks.js';
import { type Deployment, evaluate, resourceExists } from './cfn-eval.js';
import type { Statement } from './iam-simulator.js';

export type Templates = Record<TemplateName, Record<string, unknown>>;
export type Side = 'Source' | 'Destination';
export type RoleName = 'LambdaRole' | 'StateMachineRole' | 'EventsRole';

const CLOUDFORMATION = join(import.meta.dirname, '..', '..', '..', 'cloudformation');

/** The committed templates (cloudformation/*.yaml): what users deploy; a test fails when they are stale. */
export function committedTemplates(): Templates {
  return Object.fromEntries(
    TEMPLATE_NAMES.map((name) => [
      name,
      parse(readFileSync(join(CLOUDFORMATION, `${name}.yaml`), 'utf8'), { version: '1.1' }),
    ]),
  ) as Templates;
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
}

export function resourcesOf(template: Record<string, unknown>): [string, Resource][] {
  return Object.entries(template.Resources as Record<string, Resource>);
}

/** The role ARNs the cluster stacks import, by role: `arn:aws:iam::<account>:role/tool-<kind>`. */
export function roleArn(account: string, role: RoleName, partition = 'aws'): string {
  const kind = role === 'LambdaRole' ? 'lambda' : role === 'EventsRole' ? 'events' : 'states';
  return `arn:${partition}:iam::${account}:role/tool-${kind}`;
}

/** The values of the shared stacks' exports in one account and region. */
export function importsFor(side: Side, account: string, region: string): Record<string, string> {
  return {
    [EXPORTS.role(side, 'LambdaRole')]: roleArn(account, 'LambdaRole'),
    [EXPORTS.role(side, 'StateMachineRole')]: roleArn(account, 'StateMachineRole'),
    [EXPORTS.role(side, 'EventsRole')]: roleArn(account, 'EventsRole'),
    ...Object.fromEntries(
      [...SOURCE_FUNCTIONS, ...DESTINATION_FUNCTIONS].map((fn) => [
        EXPORTS.function(fn),
        `arn:aws:lambda:${region}:${account}:function:${fn}`,
      ]),
    ),
  };
}

export interface Where {
  readonly account: string;
  readonly region: string;
  readonly partition?: string;
}

/**
 * The statements a role has once the stacks are deployed in `where`: its inline policies and the
 * AWS::IAM::Policy resources the shared stack attaches to it (for the shared stack's parameters, `shared`),
 * plus every AWS::IAM::Policy a cluster stack attaches to it, for the given cluster parameters.
 */
export function roleStatements(
  templates: Templates,
  side: Side,
  role: RoleName,
  where: Where,
  cluster: Deployment['parameters'] = {},
  shared: Deployment['parameters'] = {},
): Statement[] {
  const sharedName: TemplateName = side === 'Source' ? 'source-roles' : 'destination-lambdas';
  const clusterTemplate: TemplateName = side === 'Source' ? 'source-cluster' : 'destination-cluster';
  const deployment: Deployment = {
    region: where.region,
    accountId: where.account,
    imports: importsFor(side, where.account, where.region),
    ...(where.partition ? { partition: where.partition } : {}),
  };
  const statements: Statement[] = [];
  const found = resourcesOf(templates[sharedName]).find(
    ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(`Roles${role}`),
  );
  if (!found) throw new Error(`${sharedName} has no ${role}`);
  for (const policy of (found[1].Properties.Policies ?? []) as { PolicyDocument: unknown }[]) {
    const document = evaluate(templates[sharedName], policy.PolicyDocument, deployment) as {
      Statement: Statement[];
    };
    statements.push(...document.Statement);
  }
  const sharedDeployment: Deployment = { ...deployment, parameters: shared };
  for (const [id, r] of resourcesOf(templates[sharedName])) {
    if (r.Type !== 'AWS::IAM::Policy' || !resourceExists(templates[sharedName], id, sharedDeployment))
      continue;
    const attached = JSON.stringify(r.Properties.Roles);
    if (!attached.includes(`"${found[0]}"`)) continue;
    const document = evaluate(templates[sharedName], r.Properties.PolicyDocument, sharedDeployment) as {
      Statement: Statement[];
    };
    statements.push(...document.Statement);
  }
  const clusterDeployment: Deployment = { ...deployment, parameters: cluster };
  const roleName = roleArn(where.account, role).split('/')[1] as string;
  for (const [id, r] of resourcesOf(templates[clusterTemplate])) {
    if (r.Type !== 'AWS::IAM::Policy' || !resourceExists(templates[clusterTemplate], id, clusterDeployment))
      continue;
    const attached = evaluate(templates[clusterTemplate], r.Properties.Roles, clusterDeployment) as string[];
    if (!attached.includes(roleName)) continue;
    const document = evaluate(templates[clusterTemplate], r.Properties.PolicyDocument, clusterDeployment) as {
      Statement: Statement[];
    };
    statements.push(...document.Statement);
  }
  return statements;
}

/** The statements of the restore drill functions' role (restore-drill's own LambdaRole) in `where`. */
export function drillRoleStatements(templates: Templates, where: Where): Statement[] {
  const template = templates['restore-drill'];
  const found = resourcesOf(template).find(
    ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('RolesLambdaRole'),
  );
  if (!found) throw new Error('restore-drill has no LambdaRole');
  const deployment: Deployment = {
    region: where.region,
    accountId: where.account,
    ...(where.partition ? { partition: where.partition } : {}),
  };
  return ((found[1].Properties.Policies ?? []) as { PolicyDocument: unknown }[]).flatMap(
    (policy) =>
      (evaluate(template, policy.PolicyDocument, deployment) as { Statement: Statement[] }).Statement,
  );
}

/**
 * The restoring role of restore-role.yaml deployed in `where` with `parameters` (TrustedPrincipal is
 * required): its identity statements and its trust policy.
 */
export function restoringRole(
  templates: Templates,
  where: Where,
  parameters: Readonly<Record<string, string>>,
): { statements: Statement[]; trust: Statement[] } {
  const template = templates['restore-role'];
  const roles = resourcesOf(template).filter(([, r]) => r.Type === 'AWS::IAM::Role');
  if (roles.length !== 1) throw new Error(`restore-role has ${roles.length} roles, not one`);
  const [[, role]] = roles as [[string, Resource]];
  const deployment: Deployment = {
    region: where.region,
    accountId: where.account,
    parameters,
    ...(where.partition ? { partition: where.partition } : {}),
  };
  const resolved = evaluate(template, role.Properties, deployment) as {
    AssumeRolePolicyDocument: { Statement: Statement[] };
    Policies: { PolicyDocument: { Statement: Statement[] } }[];
  };
  return {
    statements: resolved.Policies.flatMap((p) => p.PolicyDocument.Statement),
    // Fn::If to AWS::NoValue leaves the key with no value: CloudFormation drops it.
    trust: resolved.AssumeRolePolicyDocument.Statement.map((statement) =>
      Object.fromEntries(Object.entries(statement).filter(([, v]) => v !== '<resource AWS::NoValue>')),
    ) as Statement[],
  };
}

export interface LocatedStatement {
  /** `<template>/<logical id>` */
  readonly where: string;
  /** `identity` (a role's or a policy's), `trust` (who may assume the role) or `resource` (key, topic). */
  readonly kind: 'identity' | 'trust' | 'resource';
  readonly statement: Statement;
}

/** Every policy document of every template, unevaluated (intrinsic functions left as they are). */
export function templateStatements(
  templates: Readonly<Record<string, Record<string, unknown>>>,
): LocatedStatement[] {
  const found: LocatedStatement[] = [];
  const add = (where: string, kind: LocatedStatement['kind'], document: unknown) => {
    for (const statement of ((document as { Statement?: Statement[] })?.Statement ?? []) as Statement[]) {
      found.push({ where, kind, statement });
    }
  };
  for (const [name, template] of Object.entries(templates)) {
    for (const [id, r] of resourcesOf(template)) {
      const where = `${name}/${id}`;
      if (r.Type === 'AWS::IAM::Role') {
        add(where, 'trust', r.Properties.AssumeRolePolicyDocument);
        for (const p of (r.Properties.Policies ?? []) as { PolicyDocument: unknown }[])
          add(where, 'identity', p.PolicyDocument);
      }
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
        add(where, 'identity', r.Properties.PolicyDocument);
      if (r.Type === 'AWS::SNS::TopicPolicy' || r.Type === 'AWS::SQS::QueuePolicy')
        add(where, 'resource', r.Properties.PolicyDocument);
      if (r.Type === 'AWS::KMS::Key') add(where, 'resource', r.Properties.KeyPolicy);
    }
  }
  return found;
}
