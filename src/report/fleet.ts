/**
 * The report page of `status --organization --html`: the organization's totals, then one section per
 * account with its clusters (newest backup, recovery point per destination and in the vault, last drill,
 * what is failing), the clusters no policy covers, what could not be read, and the timeline and recovery
 * point of each of its regions drawn as the single-account page draws them.
 */
import { writeFile } from 'node:fs/promises';
import type { SourceConfig } from '../config/schema.js';
import {
  type FleetAccount,
  type FleetInput,
  type FleetReport,
  policyIn,
  regionObservation,
  type UnreadPlace,
} from '../core/fleet/index.js';
import { statusReport } from '../core/plan/status.js';
import { formatHours } from '../core/policy/point-in-time.js';
import { reportDataFromStatus } from './live.js';
import type { ReportData } from './model.js';
import { CSS, recoveryPointSection, timelineSection } from './render.js';
import { esc, formatTime } from './svg.js';

/** The single-account report data of each region of an account where the policy runs. */
export function accountRegionData(input: FleetInput, accountId: string, source: SourceConfig): ReportData[] {
  const reads = input.reads.filter((r) => r.accountId === accountId);
  return reads
    .filter((r) => input.fleet.regions.includes(r.region))
    .sort((a, b) => a.region.localeCompare(b.region))
    .map((read) => {
      const observation = regionObservation(input.fleet, read, reads, input.now);
      const status = statusReport(observation, policyIn(input.fleet, read.region));
      return reportDataFromStatus({
        status,
        observation,
        config: { ...source, Region: read.region as SourceConfig['Region'] },
      });
    });
}

function unreadItems(places: readonly UnreadPlace[]): string {
  return places
    .map(
      (u) =>
        `<p class="note unread" data-account="${esc(u.accountId)}" data-region="${esc(u.region ?? '')}"><strong>${esc(u.accountId)} ${esc(u.region ?? 'every region')}: not read</strong> (${esc(u.code)}) ${esc(u.reason)}</p>`,
    )
    .join('');
}

function age(point: { id: string; region: string; ageHours: number } | undefined): string {
  return point
    ? `${esc(formatHours(point.ageHours))} <span class="same">${esc(point.id)} (${esc(point.region)})</span>`
    : '—';
}

function accountSection(account: FleetAccount, report: FleetReport, regions: readonly ReportData[]): string {
  const rows = account.clusters
    .map((c) => {
      const destinations = c.destinations
        .map(
          (d) =>
            `<div data-destination="${esc(d.id)}">${esc(d.id)}: ${d.latestCopy ? esc(formatHours(d.latestCopy.ageHours)) : 'nothing yet'}${d.lagging ? ` <span class="badge warn">LAGGING</span> ${esc(formatHours(d.lagHours))}` : ''}</div>`,
        )
        .join('');
      const problems = c.problems
        .map((p) => `<div class="problem" data-code="${esc(p.code)}">${esc(p.message)}</div>`)
        .join('');
      const drill = c.lastDrill
        ? `${esc(formatTime(c.lastDrill.at))}${c.lastDrill.minutes === undefined ? '' : ` (${c.lastDrill.minutes} min)`}`
        : '—';
      return `<tr class="fleet-cluster ${c.problems.length > 0 ? 'fail' : 'pass'}" data-cluster="${esc(c.clusterId)}" data-region="${esc(c.region)}" data-failing="${c.problems.length > 0}"><td>${esc(c.clusterId)}</td><td>${esc(c.region)}</td><td>${c.latestSnapshot ? `${esc(c.latestSnapshot.id)} <span class="same">${esc(c.latestSnapshot.status)}</span>` : '—'}</td><td>${age(c.recoveryPoint)}</td><td>${destinations || '—'}</td>${report.vaultAccount ? `<td>${age(c.vault)}</td>` : ''}<td>${drill}</td><td>${problems ? `<span class="badge">FAILING</span>${problems}` : '<span class="badge">OK</span>'}</td></tr>`;
    })
    .join('\n');
  const unprotected = account.unprotected
    .map(
      (u) =>
        `<tr class="unprotected" data-cluster="${esc(u.clusterId)}" data-region="${esc(u.region)}" data-code="${esc(u.code)}"><td>${esc(u.clusterId)}</td><td>${esc(u.region)}</td><td>${esc(u.reason)}</td></tr>`,
    )
    .join('\n');
  // The single-account sections carry page-wide ids: inside an account they are told apart by their account.
  const drawings = regions
    .map(
      (data) =>
        `<div class="region" data-region="${esc(data.sourceRegion)}"><h3>${esc(data.sourceRegion)}</h3>${timelineSection(data).replace(/^<section id="[^"]*"/, '<section')}${recoveryPointSection(data).replace(/^<section id="[^"]*"/, '<section')}</div>`,
    )
    .join('\n');
  return `<section class="account" id="account-${esc(account.accountId)}" data-account="${esc(account.accountId)}">
<h2>Account ${esc(account.accountId)}${account.name ? ` · ${esc(account.name)}` : ''}</h2>
<p class="meta">Regions read: ${esc(account.regions.join(', ') || 'none')} · ${account.clusters.length} protected · ${account.clusters.filter((c) => c.problems.length > 0).length} failing · ${account.unprotected.length} not protected</p>
${unreadItems(account.unread)}
${
  rows
    ? `<table class="summary fleet"><thead><tr><th>Cluster</th><th>Region</th><th>Newest backup</th><th>Recovery point</th><th>Destinations</th>${report.vaultAccount ? '<th>Vault</th>' : ''}<th>Last drill</th><th>State</th></tr></thead>
<tbody>
${rows}
</tbody></table>`
    : ''
}
${
  unprotected
    ? `<h3>Aurora clusters no policy covers</h3><table class="summary unprotected"><thead><tr><th>Cluster</th><th>Region</th><th>Why</th></tr></thead><tbody>
${unprotected}
</tbody></table>`
    : ''
}
${drawings}
</section>`;
}

/** The page: totals, then one section per account. */
export function renderFleetReport(
  report: FleetReport,
  regionData: ReadonlyMap<string, readonly ReportData[]>,
): string {
  const t = report.totals;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aurora snapshots: organization</title>
<style>${CSS}${FLEET_CSS}</style>
</head>
<body>
<main>
<header>
<h1>Aurora snapshots: organization</h1>
<p class="subtitle">${t.accounts} accounts · regions ${esc(report.regions.join(', '))}${report.vaultAccount ? ` · vault ${esc(report.vaultAccount)}` : ''} · recovery point objective ${esc(formatHours(report.objectiveHours))}</p>
<dl class="settings totals">${Object.entries({
    'Protected clusters': t.protectedClusters,
    Failing: t.failingClusters,
    'Not protected': t.unprotectedClusters,
    'Accounts read in full': `${t.accountsRead} of ${t.accounts}`,
    'Places not read': t.placesUnread,
  })
    .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(String(v))}</dd></div>`)
    .join('')}</dl>
${unreadItems(report.vaultUnread)}
</header>
${report.accounts.map((a) => accountSection(a, report, regionData.get(a.accountId) ?? [])).join('\n')}
<footer>Generated ${esc(formatTime(report.at))} UTC by aurora-snapshot-tool. Times are UTC.</footer>
</main>
</body>
</html>
`;
}

/** `status --organization --html FILE`. */
export async function writeFleetReport(
  file: string,
  report: FleetReport,
  input: FleetInput,
  source: SourceConfig,
): Promise<void> {
  const regionData = new Map(
    report.accounts.map((a) => [a.accountId, accountRegionData(input, a.accountId, source)]),
  );
  await writeFile(file, renderFleetReport(report, regionData), 'utf8');
}

const FLEET_CSS = `
.account h3 { font-size: 14px; margin: 12px 0 6px; }
.account .region section { border: none; padding: 0; margin: 0 0 8px; }
tr.fleet-cluster.fail .badge { background: #dc2626; }
tr.fleet-cluster.pass .badge { background: #16a34a; }
.problem { color: #b91c1c; font-size: 12px; }
.unread { border-left-color: #dc2626; background: #fef2f2; }
`;
