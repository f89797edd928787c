/**
 * `status --organization`: every protected cluster of every account under the configured organizational
 * units and of every region, read through each account's status reader role, as text, `--json` or the report
 * page (`--html`, one section per account).
 */
import { readFile } from 'node:fs/promises';
import { accountsUnder, organizationsApi, readFleet, stsAssumeReader } from '../aws/fleet-reader.js';
import { storeOptionsFromEnv } from '../aws/store-factory.js';
import { parseConfigText } from '../config/load.js';
import { recoveryPointObjectiveHours } from '../config/objective.js';
import { parseConfig, type SourceConfig } from '../config/schema.js';
import { backupPolicyOf } from '../config/to-core.js';
import {
  type FleetInput,
  type FleetPolicy,
  type FleetReport,
  fleetReport,
  memberRegions,
  vaultRegions,
} from '../core/fleet/index.js';
import { ConfigError, type ConfigIssue } from '../core/model/errors.js';
import { formatHours } from '../core/policy/point-in-time.js';
import type { CommandContext } from './io.js';

/**
 * What `status --organization` reads of the organization configuration's `Organization` block. The block's
 * full schema is the org deploy's (src/config/organization.ts); until then this is the part the fleet needs.
 */
export interface FleetOrganization {
  /** Organizational unit ids (`ou-...`) or the root (`r-...`): every account under them, child units too. */
  readonly OrganizationalUnits: readonly string[];
  /** The regions where the stack instances (and their reader roles) are. */
  readonly Regions: readonly string[];
  /** The account every member shares its copies into; its reader role is read too. */
  readonly VaultAccount?: string | undefined;
}

/** The organization configuration as `status --organization` needs it. */
export interface FleetConfig {
  readonly organization: FleetOrganization;
  /** The Source block (its Region the first of Organization.Regions when the file leaves it out). */
  readonly source: SourceConfig;
}

const UNIT_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;

function listOf(
  value: unknown,
  parameter: string,
  pattern: RegExp,
  accepted: string,
  issues: ConfigIssue[],
): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({ parameter, value, message: `is required: a list of ${accepted}` });
    return [];
  }
  const good: string[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string' && pattern.test(item)) good.push(item);
    else issues.push({ parameter: `${parameter}[${i}]`, value: item, message: `must be ${accepted}` });
  });
  return good;
}

/** The Organization and Source blocks of a parsed file; every problem named before any AWS call. */
export function fleetConfigOf(input: unknown): FleetConfig {
  const file = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const block = file.Organization;
  if (typeof block !== 'object' || block === null || Array.isArray(block)) {
    throw new ConfigError([
      {
        parameter: 'Organization',
        value: block,
        message:
          'is required by status --organization: a block with OrganizationalUnits, Regions and optionally VaultAccount',
      },
    ]);
  }
  const org = block as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  const units = listOf(
    org.OrganizationalUnits,
    'Organization.OrganizationalUnits',
    UNIT_ID,
    'organizational unit ids (ou-xxxx-xxxxxxxx) or the root id (r-xxxx)',
    issues,
  );
  const regions = listOf(
    org.Regions,
    'Organization.Regions',
    REGION,
    'region names such as eu-west-1',
    issues,
  );
  const vault = org.VaultAccount;
  if (vault !== undefined && (typeof vault !== 'string' || !ACCOUNT.test(vault))) {
    issues.push({
      parameter: 'Organization.VaultAccount',
      value: vault,
      message: 'must be a 12-digit account id',
    });
  }
  const source = file.Source;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    issues.push({
      parameter: 'Source',
      value: source,
      message: 'is required by status --organization: the policy every member account runs',
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const given = source as Record<string, unknown>;
  if (given.Region !== undefined && !regions.includes(String(given.Region))) {
    throw new ConfigError([
      {
        parameter: 'Source.Region',
        value: given.Region,
        message: `must be one of Organization.Regions (${regions.join(', ')}) or left out`,
      },
    ]);
  }
  // The policy is checked as it runs in each region (region rules apply), and kept as it runs in the first.
  const [parsed] = regions.map(
    (region) => parseConfig({ Source: { ...given, Region: region } }).Source as SourceConfig,
  );
  if (parsed === undefined) throw new Error('unreachable: Organization.Regions was checked non-empty');
  return {
    organization: {
      OrganizationalUnits: units,
      Regions: regions,
      ...(typeof vault === 'string' ? { VaultAccount: vault } : {}),
    },
    source: parsed,
  };
}

export async function loadFleetConfig(path: string): Promise<FleetConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      {
        parameter: '--config',
        value: path,
        message: code === 'ENOENT' ? 'file not found' : `cannot be read (${code})`,
      },
    ]);
  }
  return fleetConfigOf(parseConfigText(text, path));
}

export function fleetPolicyOf(config: FleetConfig, now: Date): FleetPolicy {
  return {
    policy: backupPolicyOf(config.source),
    regions: config.organization.Regions,
    vaultAccount: config.organization.VaultAccount,
    objectiveHours: recoveryPointObjectiveHours(config.source, undefined, now),
  };
}

/** Lines for people: totals, then each account with its clusters, problems, unprotected and unread places. */
export function formatFleet(report: FleetReport): string[] {
  const t = report.totals;
  const lines = [
    `Organization at ${report.at}: ${t.accounts} accounts (${t.accountsRead} read in full), regions ${report.regions.join(', ')}` +
      `${report.vaultAccount ? `, vault ${report.vaultAccount}` : ''}, recovery point objective ${formatHours(report.objectiveHours)}`,
    `  ${t.protectedClusters} protected clusters, ${t.failingClusters} failing, ${t.unprotectedClusters} Aurora clusters no policy covers, ${t.placesUnread} places not read`,
  ];
  for (const u of report.vaultUnread) {
    lines.push(`  vault ${u.accountId}${u.region ? ` ${u.region}` : ''} NOT READ: ${u.code}: ${u.reason}`);
  }
  for (const account of report.accounts) {
    lines.push('', `Account ${account.accountId}${account.name ? ` (${account.name})` : ''}`);
    for (const u of account.unread) {
      lines.push(`  ${u.region ?? 'every region'} NOT READ: ${u.code}: ${u.reason}`);
    }
    for (const c of account.clusters) {
      const latest = c.latestSnapshot ? `${c.latestSnapshot.id} (${c.latestSnapshot.status})` : 'none';
      const point = c.recoveryPoint
        ? `${formatHours(c.recoveryPoint.ageHours)} (${c.recoveryPoint.region})`
        : 'none';
      lines.push(
        `  ${c.region} ${c.clusterId}: ${c.problems.length > 0 ? 'FAILING' : 'ok'}, newest backup ${latest}, recovery point ${point}`,
      );
      for (const d of c.destinations) {
        lines.push(
          `    destination ${d.id}: ${d.latestCopy ? `${d.latestCopy.id} (recovery point ${formatHours(d.latestCopy.ageHours)})` : 'nothing yet'}${d.lagging ? `, lagging ${formatHours(d.lagHours)}` : ''}`,
        );
      }
      if (report.vaultAccount) {
        lines.push(
          `    vault ${report.vaultAccount}: ${c.vault ? `${c.vault.id} in ${c.vault.region} (recovery point ${formatHours(c.vault.ageHours)})` : 'no copy'}`,
        );
      }
      lines.push(
        `    last drill: ${c.lastDrill ? `${c.lastDrill.at} on ${c.lastDrill.snapshotId}${c.lastDrill.minutes === undefined ? '' : ` (${c.lastDrill.minutes} min)`}` : 'none'}`,
      );
      for (const p of c.problems) lines.push(`    failing: ${p.code}: ${p.message}`);
    }
    for (const u of account.unprotected)
      lines.push(`  ${u.region} ${u.clusterId}: NOT PROTECTED: ${u.reason}`);
  }
  return lines;
}

export interface FleetStatusOptions {
  readonly config: string;
  readonly html?: string | undefined;
  readonly now?: Date | undefined;
}

/** Reads the organization and builds the report (and the reads, which the page draws). */
export async function fleetStatus(
  config: FleetConfig,
  env: NodeJS.ProcessEnv,
  now: () => Date,
): Promise<{ report: FleetReport; input: FleetInput }> {
  const options = storeOptionsFromEnv(env);
  const { accountId: _emulatorAccount, ...clientOptions } = options;
  const accounts = await accountsUnder(
    organizationsApi(clientOptions),
    config.organization.OrganizationalUnits,
  );
  const at = now();
  const fleet = fleetPolicyOf(config, at);
  const reads = await readFleet({
    accounts,
    regions: memberRegions(fleet),
    vaultAccount: fleet.vaultAccount,
    vaultRegions: vaultRegions(fleet),
    assume: stsAssumeReader(clientOptions),
  });
  // The vault is read for its copies; it is reported as a member only when it is under the units too.
  const input: FleetInput = { now: at, fleet, accounts, ...reads };
  return { report: fleetReport(input), input };
}

/** The command: text, `--json` and `--html`; exit 0 as `status` does, failing clusters and unread places reported. */
export async function fleetStatusCommand(
  options: FleetStatusOptions,
  { io, env }: CommandContext,
): Promise<number> {
  const config = await loadFleetConfig(options.config);
  const fixed = options.now;
  const { report, input } = await fleetStatus(config, env, () =>
    fixed === undefined ? new Date() : new Date(fixed.getTime()),
  );
  for (const line of formatFleet(report)) io.info(line);
  if (options.html !== undefined) {
    const { writeFleetReport } = await import('../report/fleet.js');
    await writeFleetReport(options.html, report, input, config.source);
    io.info(`Report written to ${options.html}`);
  }
  io.result(report);
  return 0;
}
