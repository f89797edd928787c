// What AWS authorizes for each recorded API call (actions, resource ARNs, request context, as the RDS and KMS authorization references describe), and whether the calling function's role allows all of it, in the IAM simulator.
import { DESTINATION_FUNCTIONS, DRILL_FUNCTIONS } from '../../../src/handlers/names.js';
import type { CallingFunction, RecordedCall } from '../../support/api-recorder.js';
import { decide, type Statement } from './iam-simulator.js';
import { committedTemplates, drillRoleStatements, roleStatements, type Templates } from './role-policies.js';

export interface Authorization {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

type Tag = { Key?: string; Value?: string };

function requestTags(tags: unknown): Record<string, string | string[]> {
  const list = (tags ?? []) as Tag[];
  if (list.length === 0) return {};
  return {
    ...Object.fromEntries(list.map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])),
    'aws:TagKeys': list.map((t) => t.Key ?? ''),
  };
}

function resourceTags(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

type RdsType = 'cluster' | 'cluster-snapshot' | 'db' | 'subgrp' | 'cluster-pg' | 'pg' | 'og';

function rdsArn(call: RecordedCall, type: RdsType, idOrArn: string): string {
  if (idOrArn.startsWith('arn:')) return idOrArn;
  return `arn:aws:rds:${call.region}:${call.fn.account}:${type}:${idOrArn}`;
}

function keyArn(call: RecordedCall, keyId: string): string {
  if (keyId.startsWith('arn:')) return keyId;
  return `arn:aws:kms:${call.region}:${call.fn.account}:key/${keyId}`;
}

/** RDS uses a key for the caller: kms:ViaService is RDS in the key's region, and grants are for an AWS resource. */
function keyThroughRds(key: string): Authorization[] {
  const region = key.split(':')[3] ?? '';
  const viaRds = { 'kms:ViaService': `rds.${region}.amazonaws.com` };
  return [
    { action: 'kms:CreateGrant', resource: key, context: { ...viaRds, 'kms:GrantIsForAWSResource': 'true' } },
    { action: 'kms:DescribeKey', resource: key, context: viaRds },
    { action: 'kms:Decrypt', resource: key, context: viaRds },
    { action: 'kms:GenerateDataKey', resource: key, context: viaRds },
  ];
}

/**
 * The groups RDS gives a cluster or instance that names none: the engine's default parameter groups
 * (`default.aurora-postgresql16`, `default.aurora-mysql8.0`) and option group (`default:aurora-postgresql-16`).
 */
function defaultGroups(engine: string, version: string): { parameterGroup: string; optionGroup: string } {
  const major =
    engine === 'aurora-mysql' ? (/^\d+\.\d+/.exec(version)?.[0] ?? version) : version.split('.')[0];
  return {
    parameterGroup: `default.${engine}${major}`,
    optionGroup: `default:${engine}-${String(major).replace('.', '-')}`,
  };
}

/** The tagging RDS authorizes when a create or copy carries Tags (tag-on-create needs rds:AddTagsToResource). */
function tagOnCreate(resource: string, tags: unknown): Authorization[] {
  if (((tags ?? []) as Tag[]).length === 0) return [];
  return [
    {
      action: 'rds:AddTagsToResource',
      resource,
      context: { ...requestTags(tags), 'rds:TagsFromRequest': 'true' },
    },
  ];
}

/**
 * What AWS authorizes for `call`, or undefined for a call this table does not know (the check then fails
 * until the table learns it). Calls that need no permission (sts:GetCallerIdentity) authorize nothing.
 */
export function authorizationsOf(call: RecordedCall): Authorization[] | undefined {
  const input = call.input as Record<string, unknown>;
  const before = (idOrArn: unknown) => call.before[String(idOrArn)];
  switch (`${call.service}:${call.action}`) {
    case 'sts:GetCallerIdentity':
      return [];
    case 'rds:DescribeDBClusters':
    case 'rds:DescribeDBClusterSnapshots':
    case 'rds:DescribeAccountAttributes':
    case 'rds:DescribeDBInstances':
    case 'rds:DescribeOrderableDBInstanceOptions':
    // The restore plan's region facts, listed whole (no name given).
    case 'rds:DescribeDBSubnetGroups':
    case 'rds:DescribeDBClusterParameterGroups':
    case 'rds:DescribeDBParameterGroups':
    case 'rds:DescribeDBEngineVersions':
      return [{ action: `rds:${call.action}`, resource: '*', context: {} }];
    // A list call: EC2 authorizes it on every resource.
    case 'ec2:DescribeSecurityGroups':
      return [{ action: 'ec2:DescribeSecurityGroups', resource: '*', context: {} }];
    case 'rds:RestoreDBClusterFromSnapshot': {
      // On the new cluster, the snapshot, the subnet group and the cluster parameter and option groups
      // (named, or the engine's defaults); the snapshot's key (or the one given) through RDS.
      const snapshotId = String(input.SnapshotIdentifier);
      const snapshot = before(snapshotId);
      const cluster = rdsArn(call, 'cluster', String(input.DBClusterIdentifier));
      const groups = defaultGroups(
        String(input.Engine ?? snapshot?.engine),
        String(input.EngineVersion ?? snapshot?.engineVersion),
      );
      const context = requestTags(input.Tags);
      const key = (input.KmsKeyId as string | undefined) ?? snapshot?.kmsKeyId;
      const on = (resource: string, extra: Record<string, string> = {}): Authorization => ({
        action: 'rds:RestoreDBClusterFromSnapshot',
        resource,
        context: { ...extra, ...context },
      });
      return [
        on(cluster),
        on(snapshot?.arn ?? rdsArn(call, 'cluster-snapshot', snapshotId), resourceTags(snapshot?.tags)),
        on(rdsArn(call, 'subgrp', String(input.DBSubnetGroupName ?? 'default'))),
        on(rdsArn(call, 'cluster-pg', String(input.DBClusterParameterGroupName ?? groups.parameterGroup))),
        on(rdsArn(call, 'og', String(input.OptionGroupName ?? groups.optionGroup))),
        ...tagOnCreate(cluster, input.Tags),
        ...(key ? keyThroughRds(keyArn(call, key)) : []),
      ];
    }
    case 'rds:CreateDBInstance': {
      // On the new instance, its cluster and that cluster's subnet group, its parameter and option groups.
      const cluster = before(`cluster:${String(input.DBClusterIdentifier)}`);
      const db = rdsArn(call, 'db', String(input.DBInstanceIdentifier));
      const groups = defaultGroups(String(input.Engine), String(cluster?.engineVersion));
      const context = requestTags(input.Tags);
      const on = (resource: string): Authorization => ({ action: 'rds:CreateDBInstance', resource, context });
      return [
        on(db),
        on(cluster?.arn ?? rdsArn(call, 'cluster', String(input.DBClusterIdentifier))),
        on(rdsArn(call, 'subgrp', String(input.DBSubnetGroupName ?? cluster?.subnetGroup ?? 'default'))),
        on(rdsArn(call, 'pg', String(input.DBParameterGroupName ?? groups.parameterGroup))),
        on(rdsArn(call, 'og', String(input.OptionGroupName ?? groups.optionGroup))),
        ...tagOnCreate(db, input.Tags),
      ];
    }
    case 'rds:DeleteDBInstance': {
      const id = String(input.DBInstanceIdentifier);
      const found = before(`db:${id}`);
      return [
        {
          action: 'rds:DeleteDBInstance',
          resource: found?.arn ?? rdsArn(call, 'db', id),
          context: resourceTags(found?.tags),
        },
      ];
    }
    case 'rds:DeleteDBCluster': {
      const id = String(input.DBClusterIdentifier);
      const found = before(`cluster:${id}`);
      const final = input.FinalDBSnapshotIdentifier;
      return [
        {
          action: 'rds:DeleteDBCluster',
          resource: found?.arn ?? rdsArn(call, 'cluster', id),
          context: resourceTags(found?.tags),
        },
        // Only a final snapshot is a cluster-snapshot resource of the delete.
        ...(input.SkipFinalSnapshot === true || final === undefined
          ? []
          : [
              {
                action: 'rds:DeleteDBCluster',
                resource: rdsArn(call, 'cluster-snapshot', String(final)),
                context: {},
              },
            ]),
      ];
    }
    case 'rds:ListTagsForResource':
      return [{ action: 'rds:ListTagsForResource', resource: String(input.ResourceName), context: {} }];
    case 'rds:CreateDBClusterSnapshot': {
      const snapshot = rdsArn(call, 'cluster-snapshot', String(input.DBClusterSnapshotIdentifier));
      const context = requestTags(input.Tags);
      return [
        {
          action: 'rds:CreateDBClusterSnapshot',
          resource: rdsArn(call, 'cluster', String(input.DBClusterIdentifier)),
          context,
        },
        { action: 'rds:CreateDBClusterSnapshot', resource: snapshot, context },
        ...tagOnCreate(snapshot, input.Tags),
      ];
    }
    case 'rds:CopyDBClusterSnapshot': {
      const sourceId = String(input.SourceDBClusterSnapshotIdentifier);
      const source = before(sourceId);
      const target = rdsArn(call, 'cluster-snapshot', String(input.TargetDBClusterSnapshotIdentifier));
      const keys = [
        ...(input.KmsKeyId ? [keyArn(call, String(input.KmsKeyId))] : []),
        ...(source?.kmsKeyId ? [keyArn(call, source.kmsKeyId)] : []),
      ];
      return [
        {
          action: 'rds:CopyDBClusterSnapshot',
          resource: source?.arn ?? rdsArn(call, 'cluster-snapshot', sourceId),
          context: resourceTags(source?.tags),
        },
        { action: 'rds:CopyDBClusterSnapshot', resource: target, context: requestTags(input.Tags) },
        ...tagOnCreate(target, input.Tags),
        ...[...new Set(keys)].flatMap(keyThroughRds),
      ];
    }
    case 'rds:ModifyDBClusterSnapshotAttribute':
    case 'rds:DeleteDBClusterSnapshot': {
      const id = String(input.DBClusterSnapshotIdentifier);
      return [
        {
          action: `rds:${call.action}`,
          resource: before(id)?.arn ?? rdsArn(call, 'cluster-snapshot', id),
          context: resourceTags(before(id)?.tags),
        },
      ];
    }
    case 'rds:AddTagsToResource':
      return [
        {
          action: 'rds:AddTagsToResource',
          resource: String(input.ResourceName),
          context: {
            ...resourceTags(before(input.ResourceName)?.tags),
            ...requestTags(input.Tags),
            'rds:TagsFromRequest': 'true',
          },
        },
      ];
    case 'rds:RemoveTagsFromResource':
      return [
        {
          action: 'rds:RemoveTagsFromResource',
          resource: String(input.ResourceName),
          context: {
            ...resourceTags(before(input.ResourceName)?.tags),
            'aws:TagKeys': (input.TagKeys ?? []) as string[],
          },
        },
      ];
    case 'kms:DescribeKey': {
      const arn = (call.output?.KeyMetadata as { Arn?: string } | undefined)?.Arn;
      return [{ action: 'kms:DescribeKey', resource: arn ?? keyArn(call, String(input.KeyId)), context: {} }];
    }
    default:
      return undefined;
  }
}

/** The side whose role a function runs as: a shared one, or the restore drill's own. */
export function sideOf(fn: CallingFunction): 'Source' | 'Destination' | 'Drill' {
  if ((DRILL_FUNCTIONS as readonly string[]).includes(fn.name)) return 'Drill';
  return (DESTINATION_FUNCTIONS as readonly string[]).includes(fn.name) ? 'Destination' : 'Source';
}

export interface CallVerdict {
  readonly call: string;
  readonly denied: readonly string[];
}

/**
 * The regions other than its own that the source functions of each account and region called: the
 * destination regions source-roles' DestinationRegions would list for those executions.
 */
export function destinationRegionsOf(calls: readonly RecordedCall[]): Map<string, string[]> {
  const regions = new Map<string, Set<string>>();
  for (const call of calls) {
    if (sideOf(call.fn) !== 'Source' || call.region === call.fn.region) continue;
    const key = `${call.fn.account}|${call.fn.region}`;
    regions.set(key, new Set([...(regions.get(key) ?? []), call.region]));
  }
  return new Map([...regions].map(([key, set]) => [key, [...set].sort()]));
}

/**
 * Role statements of a function, from `templates`, in the function's account and region. With
 * `destinationRegions` (see destinationRegionsOf), the source roles are deployed with DestinationRegions
 * set to them: every write and key use elsewhere is denied.
 */
export function functionRole(
  templates: Templates,
  destinationRegions?: ReadonlyMap<string, readonly string[]>,
): (fn: CallingFunction) => Statement[] {
  const cache = new Map<string, Statement[]>();
  return (fn) => {
    const side = sideOf(fn);
    const key = `${side}|${fn.account}|${fn.region}`;
    let statements = cache.get(key);
    if (!statements) {
      const regions = destinationRegions?.get(`${fn.account}|${fn.region}`);
      statements =
        side === 'Drill'
          ? drillRoleStatements(templates, { account: fn.account, region: fn.region })
          : roleStatements(
              templates,
              side,
              'LambdaRole',
              { account: fn.account, region: fn.region },
              { ClusterNamePattern: 'x', SnapshotPattern: 'x' },
              side === 'Source' && regions?.length ? { DestinationRegions: regions.join(',') } : {},
            );
      cache.set(key, statements);
    }
    return statements;
  };
}

/**
 * Every successful recorded call whose authorizations the function's role does not all allow, with the
 * requests that were refused (a call AWS would answer AccessDenied), and calls the table does not know.
 */
export async function refusedCalls(
  calls: readonly RecordedCall[],
  roleOf: (fn: CallingFunction) => readonly Statement[] = functionRole(committedTemplates()),
): Promise<CallVerdict[]> {
  const verdicts: CallVerdict[] = [];
  const seen = new Set<string>();
  for (const call of calls) {
    if (call.error !== undefined) continue;
    const label = `${call.fn.name} ${call.service}:${call.action} in ${call.region}`;
    const authorizations = authorizationsOf(call);
    if (!authorizations) {
      if (!seen.has(label))
        verdicts.push({ call: label, denied: ['(no authorization known for this call)'] });
      seen.add(label);
      continue;
    }
    const denied: string[] = [];
    for (const request of authorizations) {
      const key = JSON.stringify([call.fn.name, call.fn.account, call.fn.region, request]);
      if (seen.has(key)) continue;
      seen.add(key);
      const decision = await decide(roleOf(call.fn), {
        action: request.action,
        resource: request.resource,
        context: request.context,
        principal: `arn:aws:iam::${call.fn.account}:role/tool-lambda`,
      });
      if (decision !== 'Allowed') denied.push(`${request.action} on ${request.resource}: ${decision}`);
    }
    if (denied.length > 0) verdicts.push({ call: label, denied });
  }
  return verdicts;
}
