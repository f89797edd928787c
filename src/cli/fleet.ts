/**
 * `status --organization`: every protected cluster of every account under the configured organizational
 * units and of every region, read through each account's status reader role, as text, `--json` or the report
 * page (`--html`, one section per account).
 */
import { accountsUnder, organizationsApi, readFleet, stsAssumeReader } from '../aws/fleet-reader.js';
import { storeOptionsFromEnv } from '../aws/store-factory.js';
import { recoveryPointObjectiveHours } from '../config/objective.js';
import {
  loadOrgConfigFile,
  type OrganizationBlock,
  type OrgConfig,
  parseOrgConfig,
} from '../config/organization.js';
import type { SourceConfig } from '../config/schema.js';
import { backupPolicyOf } from '../config/to-core.js';
import {
  type FleetInput,
  type FleetPolicy,
  type FleetReport,
  fleetReport,
  memberRegions,
  vaultRegions,
} from '../core/fleet/index.js';
import { formatHours } from '../core/policy/point-in-time.js';
import type { CommandContext } from './io.js';

/** The organization configuration as `status --organization` needs it (the file `org deploy` reads). */
export interface FleetConfig {
  readonly organization: OrganizationBlock;
  /** The Source block as the members run it (in the first of Organization.Regions; the others differ only in Region). */
  readonly source: SourceConfig;
}

/** The Organization and Source blocks of a parsed file (src/config/organization.ts); every problem named before any AWS call. */
export function fleetConfigOf(input: unknown): FleetConfig {
  return fleetConfigFrom(parseOrgConfig(input));
}

function fleetConfigFrom(config: OrgConfig): FleetConfig {
  const source = config.sources[config.Organization.Regions[0] ?? ''];
  if (source === undefined) throw new Error('unreachable: Organization.Regions is checked non-empty');
  return { organization: config.Organization, source };
}

export async function loadFleetConfig(path: string): Promise<FleetConfig> {
  return fleetConfigFrom(await loadOrgConfigFile(path));
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
