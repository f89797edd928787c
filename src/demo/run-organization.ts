/**
 * `aurora-snapshot-tool demo --organization`: an organization on moto (a management account, a vault account,
 * three members in two organizational units, two regions), protected with `org deploy`; each member's deployed
 * state machine run at its stack's scheduled times on a virtual clock, the vault's job for the whole
 * organization after them, an account joining a unit halfway; then a summary per account, checks, and the
 * `status --organization --html` page.
 */
import { readFile } from 'node:fs/promises';
import { DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { actAsAccount, silenceNodeVersionWarning } from '../aws/clients.js';
import { createSnapshotStore } from '../aws/store-factory.js';
import { fleetConfigOf, fleetStatus } from '../cli/fleet.js';
import {
  ACCOUNT_TEMPLATE,
  deployOrganization,
  formatInstances,
  instanceFailed,
} from '../cli/organization.js';
import { parseOrgConfig } from '../config/organization.js';
import type { FleetReport } from '../core/fleet/index.js';
import type { SnapshotStore } from '../core/model/ports.js';
import { TAG, TOOL_TAG_VALUE } from '../core/model/tags.js';
import { formatHours } from '../core/policy/point-in-time.js';
import { runsBetween } from '../core/policy/schedule.js';
import { setClock, setStoreFactory } from '../handlers/runtime.js';
import type { ReportCheck } from '../report/model.js';
import { DEFAULT_POLL_SECONDS, destinationStateMachineDefinition } from '../state-machines/index.js';
import { addAccount, type EmulatedOrganization } from './emulated-organization.js';
import { type Emulator, EmulatorMissingError, NotAnEmulatorError, startEmulator } from './emulator.js';
import {
  type ExecutionOutcome,
  type LocalStateMachine,
  localStateMachine,
  VirtualClock,
} from './executor.js';
import { functionArn } from './functions.js';
import { startAwsHonestLayer } from './honest-layer.js';
import {
  type AccountStackSet,
  deployedStateMachine,
  memberSchedule,
  readStackSet,
  simulateAutomaticDeployment,
} from './member-stacks.js';
import {
  type ClusterPlace,
  type MemberSnapshot,
  type MemberStack,
  organizationChecks,
  type VaultCopy,
} from './organization-checks.js';
import {
  BACKUP_TAG,
  buildOrganization,
  clustersOf,
  createMemberClusters,
  deployVaultStatusReaders,
  JOINING_ACCOUNT,
  ORG_REGIONS,
  ORG_UNITS,
  organizationConfig,
  publishStandInBundles,
  VAULT_NAME,
  VAULT_RETENTION_DAYS,
  VAULT_SCHEDULE,
  vaultJobInput,
} from './organization-estate.js';
import { progressBar } from './progress.js';
import { startRoleCheckingLayer } from './role-checking-layer.js';
import { scopedEnv } from './scoped-env.js';
import { startSharedCopyLayer } from './shared-copy-layer.js';
import { startVirtualTimeLayer } from './virtual-time-layer.js';

export interface OrganizationDemoOptions {
  /** Days to simulate (2 to 365: an account joins halfway and is protected at its next scheduled run). */
  readonly days: number;
  /** Where to write the `status --organization --html` page. */
  readonly out: string;
  /** A running moto server (AWS_ENDPOINT_URL); the demo starts its own when absent. */
  readonly endpoint?: string | undefined;
  /** Where the demo prints; `error` (when given) receives the problems. */
  readonly io: { write(line: string): void; error?(line: string): void };
  /** Virtual start of the period (default: today 00:00 UTC). */
  readonly start?: Date | undefined;
  /** Called after each execution; when absent a progress bar is drawn on a terminal's stderr. */
  readonly onProgress?: ((progress: { done: number; total: number; at: string }) => void) | undefined;
}

/** One account as the demo sums it up at the end. */
export interface AccountSummary {
  readonly accountId: string;
  readonly name: string;
  readonly role: 'management' | 'vault' | 'member';
  /** The organizational unit (`Name (ou-...)`), or `root`. */
  readonly unit: string;
  /** Member: its account stack per region and how it came. */
  readonly stacks: readonly { region: string; status: string; by: 'org deploy' | 'automatic deployment' }[];
  /** Member: the tagged clusters, the tool's backups kept, and their copies in the vault. */
  readonly protectedClusters: readonly string[];
  readonly backups: number;
  readonly vaultCopies: number;
  /** Member: the untagged clusters (as `status --organization` names them). */
  readonly notProtected: readonly string[];
  /** Member: when it joined a unit during the period. */
  readonly joinedAt?: string | undefined;
}

export interface OrganizationDemoResult {
  /** 0 all checks passed, 1 a check failed, 2 the demo could not run (moto missing, bad --days). */
  readonly exitCode: 0 | 1 | 2;
  readonly checks: ReportCheck[];
  readonly organizationId?: string | undefined;
  readonly accounts: AccountSummary[];
  readonly executions: { readonly member: number; readonly vault: number; readonly failed: string[] };
  readonly from: string;
  readonly to: string;
  /** The page written, when the demo ran. */
  readonly report?: string | undefined;
  readonly elapsedMs: number;
}

const DAY_MS = 86_400_000;
const CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };

export async function runOrganizationDemo(options: OrganizationDemoOptions): Promise<OrganizationDemoResult> {
  const started = Date.now();
  const problem = (line: string) => (options.io.error ?? options.io.write)(line);
  if (!Number.isInteger(options.days) || options.days < 2 || options.days > 365) {
    const message = `--days must be a whole number from 2 to 365 with --organization (got ${options.days}): an account joins a unit halfway through the period and is protected at its next scheduled run`;
    problem(message);
    return notRun('days', message, started);
  }
  let emulator: Emulator;
  try {
    emulator = await startEmulator({ endpoint: options.endpoint });
  } catch (error) {
    if (error instanceof EmulatorMissingError || error instanceof NotAnEmulatorError) {
      problem(error.message);
      return notRun('emulator', error.message, started);
    }
    throw error;
  }
  silenceNodeVersionWarning();
  // org deploy and status --organization take their credentials from the SDK's chain, as they do for a user.
  const restoreEnv = scopedEnv({
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
  });
  const layers: { stop(): Promise<void> }[] = [];
  try {
    await emulator.reset();
    // What AWS does and moto does not, in front of it: foreign tags hidden and the unit of each stack instance
    // named; a snapshot another account shared copied; AssumeRole of a missing role refused.
    const honest = await startAwsHonestLayer(emulator.endpoint);
    layers.push(honest);
    const copies = await startSharedCopyLayer(honest.endpoint, { record: false });
    layers.push(copies);
    const roles = await startRoleCheckingLayer(copies.endpoint);
    layers.push(roles);
    // And snapshots dated on the virtual clock, as AWS would date them at the simulated times.
    const from = options.start ?? new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const clock = new VirtualClock(from);
    const time = await startVirtualTimeLayer(roles.endpoint, () => clock.now());
    layers.push(time);
    return await simulate(options, emulator, time.endpoint, clock, started);
  } finally {
    setClock(undefined);
    setStoreFactory(undefined);
    for (const layer of layers.reverse()) await layer.stop();
    await emulator.stop();
    restoreEnv();
  }
}

function notRun(name: string, detail: string, started: number): OrganizationDemoResult {
  return {
    exitCode: 2,
    checks: [{ name, ok: false, detail }],
    accounts: [],
    executions: { member: 0, vault: 0, failed: [] },
    from: '',
    to: '',
    elapsedMs: Date.now() - started,
  };
}

/** A member account the jobs run in, from when it has its stacks. */
interface Member {
  readonly name: string;
  readonly accountId: string;
  readonly unit: string;
  readonly by: 'org deploy' | 'automatic deployment';
  readonly joinedAt?: Date | undefined;
}

type Event =
  | { readonly at: Date; readonly kind: 'join' }
  | { readonly at: Date; readonly kind: 'member' }
  | { readonly at: Date; readonly kind: 'vault' };

const ORDER = { join: 0, member: 1, vault: 2 } as const;

async function simulate(
  options: OrganizationDemoOptions,
  emulator: Emulator,
  endpoint: string,
  clock: VirtualClock,
  started: number,
): Promise<OrganizationDemoResult> {
  const say = (...lines: readonly string[]) => {
    for (const line of lines) options.io.write(line);
  };
  const from = clock.now();
  const to = new Date(from.getTime() + options.days * DAY_MS);
  const joinAt = new Date(from.getTime() + Math.floor(options.days / 2) * DAY_MS);
  const [home] = ORG_REGIONS;

  // The organization, its clusters, the code in both regions.
  const org = await buildOrganization(endpoint);
  const vault = org.accounts[VAULT_NAME] ?? '';
  const members: Member[] = Object.entries(ORG_UNITS).flatMap(([unit, names]) =>
    names.map((name) => ({ name, accountId: org.accounts[name] ?? '', unit, by: 'org deploy' as const })),
  );
  for (const member of members) await createMemberClusters(endpoint, member.accountId, member.name);
  const published = await publishStandInBundles(endpoint, org.id);
  say(
    `On ${emulator.embedded ? 'an embedded' : 'the'} moto server (${emulator.endpoint}): organization ${org.id}, ` +
      `management ${org.management}, vault ${vault} (at the root), ${Object.entries(ORG_UNITS)
        .map(
          ([unit, names]) =>
            `${unit} ${org.units[unit]} (${names.map((n) => `${n} ${org.accounts[n]}`).join(', ')})`,
        )
        .join(', ')}; regions ${ORG_REGIONS.join(', ')}.`,
    `Clusters: in each member and region <member>-db tagged ${BACKUP_TAG.Key}=${BACKUP_TAG.Value} (the policy's ClusterTags), and <member>-scratch without it.`,
    "Between the tool and moto, layers do what AWS does and moto does not: hide another account's snapshot tags, name the unit of " +
      'each stack instance, copy a snapshot another account shared, refuse AssumeRole of a missing role, and date snapshots on the virtual clock.',
    `Code: stand-in bundles published to ${published.map((p) => p.bucket).join(' and ')}, readable by ${org.id}: ` +
      'moto stores Lambda code but never runs it; the demo runs the real handlers in this process.',
    '',
  );

  // org deploy, from the management account, with the CLI's own function.
  const configInput = organizationConfig(org);
  const config = parseOrgConfig(configInput);
  const deployed = await deployOrganization({
    config,
    region: home,
    template: await readFile(ACCOUNT_TEMPLATE, 'utf8'),
    wait: true,
    endpoint,
    operationWait: { intervalMs: 200, timeoutMs: 120_000 },
  });
  say(
    `org deploy: ${deployed.created ? 'created' : 'updated'} StackSet ${deployed.stackSet} (service-managed, automatic deployment on) ` +
      `over ${config.Organization.OrganizationalUnits.join(', ')} in ${config.Organization.Regions.join(', ')}; stack instances:`,
    ...formatInstances(deployed.instances),
  );
  await deployVaultStatusReaders(endpoint, org);
  say(
    `Vault ${vault}: the status reader stack in ${ORG_REGIONS.join(' and ')}, trusting ${org.management}.`,
    '',
  );
  const stacks: MemberStack[] = deployed.instances.map((i) => ({
    accountId: i.account,
    region: i.region,
    status: i.status,
    ok: !instanceFailed(i) && i.status === 'CURRENT',
  }));

  // What each member's stack runs: the StackSet's schedule resolved for the region, and the state machine the
  // stack made in the member account.
  const stackSet = await readStackSet(endpoint, home, deployed.stackSet);
  // One StackSet: every member stack has the same schedule; the input names each stack's region.
  const schedule = memberSchedule(stackSet, home, org.management);
  const machines = new Map<string, LocalStateMachine>();
  const machineOf = async (account: string, region: string) => {
    const key = `${account} ${region}`;
    let machine = machines.get(key);
    if (!machine) {
      const { definition } = await deployedStateMachine(endpoint, account, region);
      machine = localStateMachine(definition, clock, DEFAULT_POLL_SECONDS);
      machines.set(key, machine);
    }
    return machine;
  };
  const vaultMachines = new Map(
    ORG_REGIONS.map((region) => {
      const arn = (name: Parameters<typeof functionArn>[0]) => functionArn(name, region, vault);
      const definition = destinationStateMachineDefinition({
        copy: arn('CopySnapshotsDestAurora'),
        check: arn('CheckSnapshotStatus'),
        deleteOld: arn('DeleteOldSnapshotsDestAurora'),
      });
      return [region, localStateMachine(definition, clock, DEFAULT_POLL_SECONDS)] as const;
    }),
  );

  // The handlers act as the account whose job runs, on the virtual clock.
  let actingAs = org.management;
  const stores = new Map<string, SnapshotStore>();
  setClock(clock);
  setStoreFactory((region) => {
    const key = `${actingAs} ${region}`;
    let store = stores.get(key);
    if (!store) {
      store = createSnapshotStore({
        region,
        endpoint,
        accountId: actingAs,
        credentials: CREDENTIALS,
        // moto has no quota API; AWS's default quota is what the tool would read.
        manualSnapshotQuota: 100,
      });
      stores.set(key, store);
    }
    return store;
  });

  const before = new Date(from.getTime() - 1);
  const last = new Date(to.getTime() - 1);
  const events: Event[] = [
    { at: joinAt, kind: 'join' as const },
    ...runsBetween(schedule.cron, before, last, undefined, schedule.zone).map((at) => ({
      at,
      kind: 'member' as const,
    })),
    ...runsBetween(VAULT_SCHEDULE, before, last).map((at) => ({ at, kind: 'vault' as const })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || ORDER[a.kind] - ORDER[b.kind]);
  const memberRuns = events.filter((e) => e.kind === 'member');
  const vaultRuns = events.filter((e) => e.kind === 'vault').length;
  const total =
    memberRuns.reduce((n, e) => n + (members.length + (e.at >= joinAt ? 1 : 0)) * ORG_REGIONS.length, 0) +
    vaultRuns * ORG_REGIONS.length;
  say(
    `Simulating ${from.toISOString().slice(0, 16).replace('T', ' ')} to ${to.toISOString().slice(0, 16).replace('T', ' ')} UTC on a virtual clock:`,
    `  each member's own state machine (its definition read back from the emulator's Step Functions) at every time of its stack's schedule ` +
      `(cron(${schedule.cron}) ${schedule.zone}), with the input the schedule gives it (the StackSet's template resolved with its ` +
      'parameters: moto makes no Scheduler schedules), run by aws-local-stepfunctions with the real handlers acting as that member;',
    `  the vault's destination job in each region at cron(${VAULT_SCHEDULE}) UTC, SourceOrganizationId ${org.id}, RetentionDays ${VAULT_RETENTION_DAYS}: ` +
      "the definition of src/state-machines with the input the vault's stack would give it (that stack is not deployed here).",
  );

  const bar = options.onProgress ? undefined : progressBar(total);
  const failed: string[] = [];
  let done = 0;
  const finished = (outcome: ExecutionOutcome, label: string, at: Date) => {
    if (outcome.status === 'FAILED')
      failed.push(`${label} at ${at.toISOString()}: ${outcome.error}: ${outcome.cause}`);
    done++;
    const progress = { done, total, at: at.toISOString() };
    if (options.onProgress) options.onProgress(progress);
    else bar?.update(done, { at: progress.at.slice(0, 16).replace('T', ' ') });
  };
  const joinLines: string[] = [];
  for (const event of events) {
    clock.set(event.at);
    if (event.kind === 'join') {
      const joined = await join(endpoint, org, stackSet);
      members.push({ ...joined.member, joinedAt: event.at });
      stacks.push(...joined.stacks);
      joinLines.push(
        `  ${event.at.toISOString().slice(0, 16).replace('T', ' ')}: account ${joined.member.accountId} (${joined.member.name}) joins ${JOINING_ACCOUNT.unit} with its clusters; ` +
          `AWS's automatic deployment would give it the account stack: simulated (moto has none) by creating it from the StackSet's template and parameters, ` +
          `${joined.stacks.map((s) => `${s.region} ${s.status}`).join(', ')}.`,
      );
    } else if (event.kind === 'member') {
      for (const member of members) {
        for (const region of ORG_REGIONS) {
          const machine = await machineOf(member.accountId, region);
          actingAs = member.accountId;
          const input = memberSchedule(stackSet, region, member.accountId).input;
          finished(await machine.run(input), `${member.name} ${member.accountId} ${region}`, event.at);
        }
      }
    } else {
      for (const [region, machine] of vaultMachines) {
        actingAs = vault;
        finished(await machine.run(vaultJobInput(org, region)), `vault ${vault} ${region}`, event.at);
      }
    }
  }
  bar?.stop();
  actingAs = org.management;
  say(...joinLines);
  say(
    `Executions: ${done - vaultRuns * ORG_REGIONS.length} member + ${vaultRuns * ORG_REGIONS.length} vault, ${failed.length === 0 ? 'all succeeded' : `${failed.length} FAILED`} (${((Date.now() - started) / 1000).toFixed(1)} s).`,
    '',
  );

  // What the accounts hold at the end, read back from the emulator.
  const memberSnapshots: MemberSnapshot[] = [];
  for (const member of members) memberSnapshots.push(...(await snapshotsOf(endpoint, member.accountId)));
  const vaultCopies = await vaultCopiesOf(endpoint, vault);

  // status --organization, from the management account, with the CLI's own functions, and its page.
  const fleetConfig = fleetConfigOf(configInput);
  const { report, input } = await fleetStatus(
    fleetConfig,
    { ...process.env, AWS_ENDPOINT_URL: endpoint },
    () => clock.now(),
  );
  const { writeFleetReport } = await import('../report/fleet.js');
  await writeFleetReport(options.out, report, input, fleetConfig.source);

  const tagged: ClusterPlace[] = [];
  const untagged: ClusterPlace[] = [];
  for (const member of members) {
    for (const region of ORG_REGIONS) {
      const clusters = clustersOf(member.name);
      tagged.push({ accountId: member.accountId, region, clusterId: clusters.tagged });
      untagged.push({ accountId: member.accountId, region, clusterId: clusters.untagged });
    }
  }
  const checks = organizationChecks({
    expectedStacks: members.flatMap((m) => ORG_REGIONS.map((region) => ({ accountId: m.accountId, region }))),
    stacks,
    tagged,
    untagged,
    memberSnapshots,
    vaultCopies,
    executions: { total: done, failed },
    fleet: fleetView(report),
  });

  const accounts = summaries(org, members, stacks, memberSnapshots, vaultCopies, report);
  say(...summaryLines(accounts, report, vaultCopies));
  say('', 'Checks:');
  for (const check of checks) say(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
  for (const failure of failed.slice(0, 5)) say(`  ${failure}`);
  say(
    '',
    `status --organization --html: ${options.out} (one section per member account). In an organization of your own: ` +
      '`aurora-snapshot-tool status --organization --config org.yaml --html fleet.html` (docs/organization.md).',
  );
  return {
    exitCode: checks.every((c) => c.ok) ? 0 : 1,
    checks,
    organizationId: org.id,
    accounts,
    executions: {
      member: done - vaultRuns * ORG_REGIONS.length,
      vault: vaultRuns * ORG_REGIONS.length,
      failed,
    },
    from: from.toISOString(),
    to: to.toISOString(),
    report: options.out,
    elapsedMs: Date.now() - started,
  };
}

/** The account that joins a unit: created, moved into it, its clusters made, its stacks as AWS would make them. */
async function join(
  endpoint: string,
  org: EmulatedOrganization,
  stackSet: AccountStackSet,
): Promise<{ member: Member; stacks: MemberStack[] }> {
  const accountId = await addAccount(endpoint, org, JOINING_ACCOUNT.name, JOINING_ACCOUNT.unit);
  await createMemberClusters(endpoint, accountId, JOINING_ACCOUNT.name);
  const made = await simulateAutomaticDeployment(endpoint, stackSet, accountId, ORG_REGIONS);
  return {
    member: { name: JOINING_ACCOUNT.name, accountId, unit: JOINING_ACCOUNT.unit, by: 'automatic deployment' },
    stacks: made.map((s) => ({
      accountId,
      region: s.region,
      status: s.status,
      ok: s.status === 'CREATE_COMPLETE',
    })),
  };
}

type TagList =
  | readonly { readonly Key?: string | undefined; readonly Value?: string | undefined }[]
  | undefined;
const tagOf = (tags: TagList, key: string) => tags?.find((t) => t.Key === key)?.Value;

/** The manual snapshots of an account in every region (as that account: its own tags are visible). */
async function listManual(endpoint: string, accountId: string, region: string) {
  const rds = actAsAccount(
    new RDSClient({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 2 }),
    accountId,
  );
  try {
    const out = await rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }));
    return out.DBClusterSnapshots ?? [];
  } finally {
    rds.destroy();
  }
}

async function snapshotsOf(endpoint: string, accountId: string): Promise<MemberSnapshot[]> {
  const found: MemberSnapshot[] = [];
  for (const region of ORG_REGIONS) {
    for (const s of await listManual(endpoint, accountId, region)) {
      found.push({
        accountId,
        region,
        clusterId: s.DBClusterIdentifier ?? '',
        id: s.DBClusterSnapshotIdentifier ?? '',
        byTool: tagOf(s.TagList, TAG.CreatedBy) === TOOL_TAG_VALUE,
        status: s.Status ?? '',
      });
    }
  }
  return found;
}

async function vaultCopiesOf(endpoint: string, vault: string): Promise<VaultCopy[]> {
  const found: VaultCopy[] = [];
  for (const region of ORG_REGIONS) {
    for (const s of await listManual(endpoint, vault, region)) {
      if (tagOf(s.TagList, TAG.CopiedBy) !== TOOL_TAG_VALUE) continue;
      found.push({
        id: s.DBClusterSnapshotIdentifier ?? '',
        region,
        sourceAccount: tagOf(s.TagList, TAG.SourceAccount) ?? '',
        sourceCluster: tagOf(s.TagList, TAG.SourceCluster) ?? '',
      });
    }
  }
  return found;
}

function fleetView(report: FleetReport) {
  return {
    protectedClusters: report.accounts.flatMap((a) =>
      a.clusters.map((c) => ({
        accountId: c.accountId,
        region: c.region,
        clusterId: c.clusterId,
        inVault: c.vault !== undefined,
        problems: c.problems.map((p) => p.code),
      })),
    ),
    unprotected: report.accounts.flatMap((a) =>
      a.unprotected.map((u) => ({ accountId: u.accountId, region: u.region, clusterId: u.clusterId })),
    ),
    unread: [...report.accounts.flatMap((a) => a.unread), ...report.vaultUnread].map(
      (u) => `${u.accountId} ${u.region ?? 'every region'}: ${u.code}`,
    ),
  };
}

function summaries(
  org: EmulatedOrganization,
  members: readonly Member[],
  stacks: readonly MemberStack[],
  snapshots: readonly MemberSnapshot[],
  copies: readonly VaultCopy[],
  report: FleetReport,
): AccountSummary[] {
  const none = { stacks: [], protectedClusters: [], backups: 0, vaultCopies: 0, notProtected: [] };
  const vault = org.accounts[VAULT_NAME] ?? '';
  return [
    { accountId: org.management, name: 'management', role: 'management', unit: 'root', ...none },
    { accountId: vault, name: VAULT_NAME, role: 'vault', unit: 'root', ...none, vaultCopies: copies.length },
    ...members.map((m): AccountSummary => {
      const account = report.accounts.find((a) => a.accountId === m.accountId);
      return {
        accountId: m.accountId,
        name: m.name,
        role: 'member',
        unit: `${m.unit} (${org.units[m.unit]})`,
        stacks: stacks
          .filter((s) => s.accountId === m.accountId)
          .map((s) => ({ region: s.region, status: s.status, by: m.by })),
        protectedClusters: [...new Set(account?.clusters.map((c) => c.clusterId) ?? [])],
        backups: snapshots.filter((s) => s.accountId === m.accountId && s.byTool).length,
        vaultCopies: copies.filter((c) => c.sourceAccount === m.accountId).length,
        notProtected: [...new Set(account?.unprotected.map((u) => u.clusterId) ?? [])],
        ...(m.joinedAt ? { joinedAt: m.joinedAt.toISOString() } : {}),
      };
    }),
  ];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A short summary per account, then what status --organization said in total. */
export function summaryLines(
  accounts: readonly AccountSummary[],
  report: FleetReport,
  copies: readonly VaultCopy[],
): string[] {
  const byRegion = ORG_REGIONS.map((r) => `${r} ${copies.filter((c) => c.region === r).length}`).join(', ');
  const lines: string[] = ['Accounts:'];
  for (const a of accounts.filter((x) => x.role !== 'member')) {
    lines.push(
      a.role === 'management'
        ? `  ${a.accountId}  management: the organization, the StackSet, status --organization`
        : `  ${a.accountId}  vault (root): ${a.vaultCopies} copies kept (${byRegion}) under its own account, RetentionDays ${VAULT_RETENTION_DAYS}`,
    );
  }
  lines.push(
    ...table(
      ['Account', 'Name', 'Unit', 'Stacks', 'Protected', 'Backups', 'In vault', 'Not protected (untouched)'],
      accounts
        .filter((a) => a.role === 'member')
        .map((a) => [
          a.accountId,
          a.name,
          a.unit,
          `${a.stacks.filter((s) => s.status === 'CURRENT' || s.status === 'CREATE_COMPLETE').length}/${ORG_REGIONS.length} ${a.joinedAt ? 'automatic (simulated)' : 'org deploy'}`,
          a.protectedClusters.join(', ') || 'none',
          String(a.backups),
          String(a.vaultCopies),
          a.notProtected.join(', ') || 'none',
        ]),
    ).map((l) => `  ${l}`),
  );
  const t = report.totals;
  lines.push(
    `status --organization: ${t.accounts} accounts, ${t.protectedClusters} protected clusters, ${t.failingClusters} failing, ` +
      `${t.unprotectedClusters} Aurora clusters no policy covers, ${t.placesUnread} places not read; recovery point objective ${formatHours(report.objectiveHours)}.`,
  );
  for (const a of report.accounts) {
    for (const u of a.unprotected)
      lines.push(`  not protected: ${u.clusterId} in ${u.accountId} ${u.region}: ${u.reason}`);
  }
  return lines;
}
