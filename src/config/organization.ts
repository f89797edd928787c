/**
 * The organization configuration (org.yaml) of `org deploy`: the Organization block (from the parameter table)
 * and the Source block every member account runs, checked once for each region of `Organization.Regions`, and
 * the account template's parameters that deploy it.
 */
import * as z from 'zod';
import { ConfigError, type ConfigIssue } from '../core/model/errors.js';
import { shapeOf } from './fields.js';
import { toConfigIssues, valueAt } from './issues.js';
import { readConfigFile } from './load.js';
import { blockParameters, type ParameterValue, REGION_PLACEHOLDER, templateSpecIn } from './parameters.js';
import { booleanParam } from './rules.js';
import { parseConfig, type SourceConfig } from './schema.js';

export const OrganizationSchema = z.strictObject(shapeOf('organization'));
export type OrganizationBlock = z.output<typeof OrganizationSchema>;

/** The file: the Organization block, and a Source block read per region below. */
const OrgFileSchema = z.strictObject({
  Organization: OrganizationSchema,
  Source: z.record(z.string(), z.unknown()),
});

export interface OrgConfig {
  readonly Organization: OrganizationBlock;
  /** The Source block as every member runs it, validated for each region of `Organization.Regions`. */
  readonly sources: Readonly<Record<string, SourceConfig>>;
}

/** Whether the Source block names where its snapshots go itself (DestinationAccount or Destinations). */
function namesDestination(source: Readonly<Record<string, unknown>>): boolean {
  return source.DestinationAccount !== undefined || source.Destinations !== undefined;
}

/** The Source block of one region: its own Region, and the vault as its destination account when it names none. */
function sourceIn(
  source: Readonly<Record<string, unknown>>,
  org: OrganizationBlock,
  region: string,
): Record<string, unknown> {
  return {
    ...source,
    Region: region,
    ...(org.VaultAccount !== undefined && !namesDestination(source)
      ? { DestinationAccount: org.VaultAccount, ShareSnapshots: source.ShareSnapshots ?? true }
      : {}),
  };
}

/**
 * The Source issues of every region: one that every region has is said once; one that only some have names
 * them.
 */
function regionIssues(found: ReadonlyMap<string, readonly ConfigIssue[]>): ConfigIssue[] {
  const seen = new Map<string, { issue: ConfigIssue; regions: string[] }>();
  for (const [region, issues] of found) {
    for (const issue of issues) {
      const key = `${issue.parameter}\n${issue.message}`;
      const entry = seen.get(key) ?? { issue, regions: [] };
      entry.regions.push(region);
      seen.set(key, entry);
    }
  }
  return [...seen.values()].map(({ issue, regions }) =>
    regions.length === found.size
      ? issue
      : { ...issue, message: `${issue.message} (in ${regions.join(', ')} of Organization.Regions)` },
  );
}

/** Validates an organization configuration; throws ConfigError naming every bad parameter. */
export function parseOrgConfig(input: unknown): OrgConfig {
  const result = OrgFileSchema.safeParse(input);
  if (!result.success) throw new ConfigError(orgIssues(result.error, input));
  const { Organization: org, Source: source } = result.data;
  const issues: ConfigIssue[] = [];
  if (org.Regions.length > 1 && !org.CodeBucket.includes(REGION_PLACEHOLDER)) {
    issues.push({
      parameter: 'Organization.CodeBucket',
      value: org.CodeBucket,
      message: `must contain ${REGION_PLACEHOLDER} when Regions names more than one region (${org.Regions.join(', ')}): Lambda reads code only from a bucket of its own region, so each region has its own bucket (publish --regions)`,
    });
  }
  if (source.Region !== undefined && !org.Regions.includes(String(source.Region))) {
    issues.push({
      parameter: 'Source.Region',
      value: source.Region,
      message: `must be one of Organization.Regions (${org.Regions.join(', ')}), or left out: the Source block runs in each of them`,
    });
  }
  // ShareSnapshots read as the Source block reads it (any case, spaces around): FALSE in any spelling is refused.
  if (
    org.VaultAccount !== undefined &&
    !namesDestination(source) &&
    booleanParam.safeParse(source.ShareSnapshots).data === false
  ) {
    issues.push({
      parameter: 'Source.ShareSnapshots',
      value: source.ShareSnapshots,
      message: `must be TRUE (or left out) with Organization.VaultAccount (${org.VaultAccount}): the members share their snapshots into the vault`,
    });
  }
  issues.push(...keyIssues(source));
  if (issues.length > 0) throw new ConfigError(issues);
  const sources: Record<string, SourceConfig> = {};
  const found = new Map<string, readonly ConfigIssue[]>();
  for (const region of org.Regions) {
    try {
      const parsed = parseConfig({ Source: sourceIn(source, org, region) }).Source;
      if (parsed) sources[region] = parsed;
      found.set(region, []);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      found.set(region, error.issues);
    }
  }
  issues.push(...regionIssues(found));
  if (issues.length > 0) throw new ConfigError(issues);
  return { Organization: org, sources };
}

/** A key named by ARN (key or alias) or key id: one account's key (and one region's, but a key id). */
const ONE_ACCOUNTS_KEY = /^(arn:|[0-9a-f]{8}-[0-9a-f]{4}-|mrk-)/;

/**
 * Every member account runs the one Source block, in every region of Organization.Regions: a key named by ARN
 * or id is one account's, which no other member may use (the roles use only their own account's keys). An
 * alias name means that alias in each member account and region, so it is the only form accepted here.
 */
function keyIssues(source: Readonly<Record<string, unknown>>): ConfigIssue[] {
  const named: [string, unknown][] = [
    ['Source.KmsKeySource', source.KmsKeySource],
    ['Source.KmsKeyDestination', source.KmsKeyDestination],
  ];
  if (Array.isArray(source.Destinations)) {
    source.Destinations.forEach((item: unknown, i) => {
      named.push([`Source.Destinations[${i}].KmsKeyDestination`, valueAt(item, ['KmsKeyDestination'])]);
    });
  }
  return named.flatMap(([parameter, value]) =>
    typeof value === 'string' && ONE_ACCOUNTS_KEY.test(value)
      ? [
          {
            parameter,
            value,
            message:
              "must be an alias name (alias/<name>) in an organization configuration: a key ARN or id names one account's key, which the other member accounts cannot use; create the alias in each member account and region, for a key there (docs/deployment.md#key-policies)",
          },
        ]
      : [],
  );
}

/** zod's issues, the unknown or missing blocks said as such. */
function orgIssues(error: z.ZodError, input: unknown): ConfigIssue[] {
  return error.issues.flatMap((zodIssue): ConfigIssue[] => {
    // A key beside the blocks, whatever it is written like (`Source.Region:` at the top is no parameter of Source).
    if (zodIssue.code === 'unrecognized_keys' && zodIssue.path.length === 0) {
      return zodIssue.keys.map((key) => ({
        parameter: key,
        value: valueAt(input, [key]),
        message: 'is not a block of an organization configuration (Organization and Source only)',
      }));
    }
    return toConfigIssues(new z.ZodError([zodIssue]), input).map((issue) => {
      if (issue.parameter === 'configuration') {
        return { ...issue, message: 'must be a mapping with an Organization block and a Source block' };
      }
      if (issue.parameter === 'Organization' || issue.parameter === 'Source') {
        return {
          ...issue,
          message:
            issue.value === undefined ? 'is required in an organization configuration' : 'must be a mapping',
        };
      }
      return issue;
    });
  });
}

/** Loads and validates an organization configuration file (YAML or JSON). */
export async function loadOrgConfigFile(path: string): Promise<OrgConfig> {
  return parseOrgConfig(await readConfigFile(path));
}

/** The name of a destination slot's parameter in the account template (slot 1: the original's names). */
function slotParameter(n: number, field: 'Region' | 'Account' | 'KmsKey'): string {
  if (n === 1) {
    return { Region: 'DestinationRegion', Account: 'DestinationAccount', KmsKey: 'KmsKeyDestination' }[field];
  }
  return `Destination${n}${field}`;
}

/** A configuration value as a CloudFormation parameter carries it. */
function parameterText(value: SourceConfig[keyof SourceConfig]): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, string>)
      .map(([key, tagValue]) => `${key}=${tagValue}`)
      .join(',');
  }
  return String(value as ParameterValue);
}

/**
 * The account template's parameters for the organization: every Source parameter the template declares (as
 * the source-cluster template has them, `Destinations` in its slots), the code bucket pattern and prefix, the
 * destination regions and accounts the roles may reach, and the status account. One set for every region:
 * the Source block differs between regions only in `Region`, which the stack's own region gives.
 */
export function accountStackParameters(config: OrgConfig): Record<string, string> {
  const org = config.Organization;
  const first = org.Regions[0];
  const source = first === undefined ? undefined : config.sources[first];
  if (source === undefined) throw new Error('an organization configuration names at least one region');
  const parameters: Record<string, string> = {};
  for (const entry of blockParameters('source')) {
    if (templateSpecIn(entry, 'source') === undefined) continue;
    const value = source[entry.name as keyof SourceConfig];
    if (value !== undefined) parameters[entry.name] = parameterText(value);
  }
  const destinations = source.Destinations ?? [];
  destinations.forEach((destination, i) => {
    parameters[slotParameter(i + 1, 'Region')] = destination.Region;
    if (destination.Account !== undefined) parameters[slotParameter(i + 1, 'Account')] = destination.Account;
    if (destination.KmsKeyDestination !== undefined) {
      parameters[slotParameter(i + 1, 'KmsKey')] = destination.KmsKeyDestination;
    }
  });
  const regions = destinations.length > 0 ? destinations.map((d) => d.Region) : [source.DestinationRegion];
  const accounts = destinations.length > 0 ? destinations.map((d) => d.Account) : [source.DestinationAccount];
  const distinct = (items: readonly (string | undefined)[]) =>
    [...new Set(items.filter((item): item is string => item !== undefined))].join(',');
  return {
    ...parameters,
    DestinationRegions: distinct(regions),
    DestinationAccounts: distinct(accounts),
    CodeBucket: org.CodeBucket,
    CodePrefix: org.CodePrefix,
    StatusAccount: org.StatusAccount ?? '',
  };
}
