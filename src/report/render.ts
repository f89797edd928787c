/**
 * Renders a ReportData as one self-contained HTML page: inline CSS and SVG, no script, no network,
 * so it opens from a file, an e-mail attachment or a CI artifact alike.
 */
import type { DrillStatusReport } from '../core/drill/index.js';
import type {
  ApiCallCount,
  ClusterRow,
  DestinationStateRow,
  RecoveryObjectiveRow,
  ReportCheck,
  ReportData,
  ReportDestination,
  ReportSnapshot,
  SnapshotRole,
} from './model.js';
import { dayTicks, esc, formatHours, formatTime, round, timeScale } from './svg.js';

const ROLE_STYLE: Readonly<Record<SnapshotRole, { color: string; label: string }>> = {
  backup: { color: '#2563eb', label: 'snapshot taken' },
  'dr-copy': { color: '#059669', label: 'copy in the destination region' },
  share: { color: '#7c3aed', label: 're-encrypted copy for sharing' },
  import: { color: '#d97706', label: 'copy imported by the other account' },
  unmanaged: { color: '#6b7280', label: 'not the tool’s (never deleted)' },
};

/** Dash patterns of the recovery-point lines, in order: solid, dashed, dotted, dash-dot. */
const SERIES_DASHES = ['', '7 5', '2 4', '9 4 2 4'];

const SERIES_COLORS = [
  '#2563eb',
  '#dc2626',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#be185d',
  '#4d7c0f',
];

const WIDTH = 1100;
const LABEL_WIDTH = 210;
const PLOT_LEFT = LABEL_WIDTH + 10;
const PLOT_WIDTH = WIDTH - PLOT_LEFT - 20;
const AXIS_HEIGHT = 26;
const ROW_PITCH = 7;
const BAR_HEIGHT = 5;
const LANE_PADDING = 8;
const LABEL_LINE = 14;

/** The page. Every snapshot of `data.snapshots` is drawn as exactly one `.snapshot-mark` element. */
export function renderReport(data: ReportData): string {
  const sections = [
    header(data),
    data.notes && data.notes.length > 0 ? notesSection(data.notes) : '',
    data.checks && data.checks.length > 0 ? checksSection(data.checks) : '',
    timelineSection(data),
    recoveryPointSection(data),
    data.objectives && data.objectives.length > 0 ? objectivesSection(data.objectives) : '',
    tableSection(data.rows),
    data.restoreDrills ? drillsSection(data.restoreDrills) : '',
    data.apiCalls && data.apiCalls.length > 0 ? apiCallsSection(data.apiCalls) : '',
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${sections.filter((s) => s !== '').join('\n')}
<footer>Generated ${esc(formatTime(data.generatedAt))} UTC by aurora-snapshot-tool. Times are UTC.</footer>
</main>
</body>
</html>
`;
}

function header(data: ReportData): string {
  const settings = Object.entries(data.settings ?? {})
    .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
    .join('');
  const regions =
    (data.destinations?.length ?? 0) > 1
      ? `${esc(data.sourceRegion)} → ${esc((data.destinations ?? []).map((d) => d.id).join(', '))}`
      : data.destinationRegion
        ? `${esc(data.sourceRegion)} → ${esc(data.destinationRegion)}`
        : esc(data.sourceRegion);
  return `<header>
<h1>${esc(data.title)}</h1>
${data.subtitle ? `<p class="subtitle">${esc(data.subtitle)}</p>` : ''}
<p class="meta">${regions} · ${esc(formatTime(data.from))} to ${esc(formatTime(data.to))} UTC · ${data.snapshots.length} snapshots</p>
${settings ? `<dl class="settings">${settings}</dl>` : ''}
</header>`;
}

function notesSection(notes: readonly string[]): string {
  return `<section id="notes">${notes.map((n) => `<p class="note">${esc(n)}</p>`).join('')}</section>`;
}

function checksSection(checks: readonly ReportCheck[]): string {
  const items = checks
    .map(
      (c) =>
        `<li class="check ${c.ok ? 'pass' : 'fail'}" data-ok="${c.ok}"><span class="badge">${c.ok ? 'PASS' : 'FAIL'}</span> <strong>${esc(c.name)}</strong> <span class="detail">${esc(c.detail)}</span></li>`,
    )
    .join('\n');
  return `<section id="checks"><h2>Checks</h2><ul class="checks">${items}</ul></section>`;
}

interface Lane {
  readonly key: string;
  readonly clusterId: string;
  readonly region: string;
  readonly accountId: string;
  readonly snapshots: readonly ReportSnapshot[];
}

/** Lanes: one per cluster, region and account; the source region first within a cluster. */
export function lanesOf(data: Pick<ReportData, 'snapshots' | 'sourceRegion'>): Lane[] {
  const groups = new Map<string, ReportSnapshot[]>();
  for (const s of data.snapshots) {
    const key = `${s.clusterId}\u0000${s.region}\u0000${s.accountId}`;
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  }
  const lanes = [...groups.entries()].map(([key, snapshots]) => {
    const first = snapshots[0] as ReportSnapshot;
    return { key, clusterId: first.clusterId, region: first.region, accountId: first.accountId, snapshots };
  });
  const regionRank = (r: string) => (r === data.sourceRegion ? 0 : 1);
  return lanes.sort(
    (a, b) =>
      a.clusterId.localeCompare(b.clusterId) ||
      regionRank(a.region) - regionRank(b.region) ||
      a.region.localeCompare(b.region) ||
      a.accountId.localeCompare(b.accountId),
  );
}

/** Packs bars into rows so that overlapping lives never share a row (first row free wins). */
export function packRows(snapshots: readonly ReportSnapshot[], to: string): Map<ReportSnapshot, number> {
  const ordered = [...snapshots].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  const rowEnds: number[] = [];
  const placed = new Map<ReportSnapshot, number>();
  for (const s of ordered) {
    const start = Date.parse(s.createdAt);
    const end = Date.parse(s.deletedAt ?? to);
    let row = rowEnds.findIndex((rowEnd) => rowEnd < start);
    if (row === -1) {
      row = rowEnds.length;
      rowEnds.push(end);
    } else {
      rowEnds[row] = end;
    }
    placed.set(s, row);
  }
  return placed;
}

export function timelineSection(data: ReportData): string {
  const from = new Date(data.from);
  const to = new Date(data.to);
  const x = timeScale(from, to, PLOT_LEFT, PLOT_WIDTH);
  const lanes = lanesOf(data);
  let y = AXIS_HEIGHT;
  const body: string[] = [];
  for (const [index, lane] of lanes.entries()) {
    const rows = packRows(lane.snapshots, data.to);
    const rowCount = Math.max(1, ...[...rows.values()].map((r) => r + 1));
    const newCluster = index === 0 || lanes[index - 1]?.clusterId !== lane.clusterId;
    // Tall enough for its labels (cluster, region, account) even when it holds a single snapshot.
    const labelHeight = (newCluster ? 3 : 2) * LABEL_LINE + 8;
    const height = Math.max(labelHeight, rowCount * ROW_PITCH + LANE_PADDING * 2);
    const labelTop = y + (newCluster ? LABEL_LINE : 0);
    body.push(
      `<g class="lane" data-cluster="${esc(lane.clusterId)}" data-region="${esc(lane.region)}" data-account="${esc(lane.accountId)}">`,
      `<rect class="lane-bg" x="0" y="${y}" width="${WIDTH}" height="${height}" fill="${index % 2 === 0 ? '#f8fafc' : '#ffffff'}"/>`,
      newCluster
        ? `<line x1="0" x2="${WIDTH}" y1="${y}" y2="${y}" stroke="#cbd5e1"/><text class="lane-cluster" x="8" y="${y + 15}">${esc(lane.clusterId)}</text>`
        : '',
      `<text class="lane-label" x="8" y="${labelTop + 15}">${esc(laneLabel(lane, data))}</text>`,
      `<text class="lane-label" x="8" y="${labelTop + 15 + LABEL_LINE}">account ${esc(lane.accountId)}</text>`,
    );
    for (const s of lane.snapshots) {
      body.push(snapshotMark(s, x, y + LANE_PADDING + (rows.get(s) ?? 0) * ROW_PITCH, data.to));
    }
    body.push('</g>');
    y += height;
    // After a cluster's last lane: one row per destination, with a tick per snapshot it received.
    if (lanes[index + 1]?.clusterId !== lane.clusterId) {
      for (const destination of data.destinations ?? []) {
        const received = receivedBy(data, destination, lane.clusterId);
        const state = data.destinationStates?.find(
          (d) => d.clusterId === lane.clusterId && d.id === destination.id,
        );
        const height = 2 * LABEL_LINE + 8;
        body.push(
          `<g class="destination-lane" data-cluster="${esc(lane.clusterId)}" data-destination="${esc(destination.id)}" data-lagging="${state?.lagging === true}">`,
          `<rect class="lane-bg" x="0" y="${y}" width="${WIDTH}" height="${height}" fill="${state?.lagging ? '#fef2f2' : '#f0f9ff'}"/>`,
          `<text class="lane-label" x="8" y="${y + 15}">destination ${esc(destination.id)}</text>`,
          `<text class="lane-label" x="8" y="${y + 15 + LABEL_LINE}">${esc(destinationCaption(destination, state))}</text>`,
          ...received.map((s) => deliveryMark(s, destination, x, y + height / 2 - BAR_HEIGHT / 2, data.to)),
          '</g>',
        );
        y += height;
      }
    }
  }
  const height = y + 6;
  const grid = dayTicks(from, to)
    .map((t) => {
      const tx = x(t);
      return `<line class="grid" x1="${tx}" x2="${tx}" y1="${AXIS_HEIGHT - 4}" y2="${height}"/><text class="tick" x="${tx}" y="${AXIS_HEIGHT - 9}">${esc(tickLabel(t))}</text>`;
    })
    .join('');
  const legend = (Object.keys(ROLE_STYLE) as SnapshotRole[])
    .filter((role) => data.snapshots.some((s) => s.role === role))
    .map(
      (role) =>
        `<span class="key"><i style="background:${ROLE_STYLE[role].color}"></i>${esc(ROLE_STYLE[role].label)}</span>`,
    )
    .join('');
  const empty =
    lanes.length === 0
      ? `<text x="${PLOT_LEFT}" y="${AXIS_HEIGHT + 20}">No snapshots in this period.</text>`
      : '';
  return `<section id="timeline"><h2>Snapshot timeline</h2>
<p class="hint">One bar per snapshot, from the moment it appeared to its deletion (red end) or the end of the period; a dot marks the moment it was shared with another account. Hover a bar for its name.</p>
<p class="legend">${legend}<span class="key"><i class="end"></i>deleted</span><span class="key"><i class="dot"></i>shared</span></p>
<svg class="timeline" role="img" aria-label="Snapshot timeline" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${Math.max(height, AXIS_HEIGHT + 30)}" viewBox="0 0 ${WIDTH} ${Math.max(height, AXIS_HEIGHT + 30)}">
${body.join('\n')}
${grid}${empty}
</svg></section>`;
}

/** The snapshots `destination` received for `clusterId`: its copies (shared with its account), or the shares in place. */
export function receivedBy(
  data: Pick<ReportData, 'snapshots' | 'sourceRegion'>,
  destination: ReportDestination,
  clusterId: string,
): ReportSnapshot[] {
  const account = destination.account;
  const sharedWithAccount = (s: ReportSnapshot) =>
    account !== undefined && (s.sharedWith ?? '').split(/\s+/).includes(account);
  return data.snapshots.filter(
    (s) =>
      s.clusterId === clusterId &&
      s.region === destination.region &&
      (destination.kind === 'share'
        ? (s.role === 'backup' || s.role === 'share') && sharedWithAccount(s)
        : s.role === 'dr-copy' && (account === undefined || sharedWithAccount(s))),
  );
}

function destinationCaption(destination: ReportDestination, state: DestinationStateRow | undefined): string {
  const what =
    destination.kind === 'copy'
      ? `copies in ${destination.region}`
      : destination.kind === 'share'
        ? `shared in place with ${destination.account}`
        : `copies in ${destination.region} shared with ${destination.account}`;
  if (state === undefined) return what;
  const point =
    state.recoveryPointHours === undefined
      ? 'no copy yet'
      : `recovery point ${formatHours(state.recoveryPointHours)}`;
  return `${what}; ${point}${state.lagging ? `; LAGGING ${formatHours(state.lagHours)}` : ''}`;
}

/** A thin bar for a snapshot a destination received: from when it arrived (or was shared) to its deletion. */
function deliveryMark(
  s: ReportSnapshot,
  destination: ReportDestination,
  x: (t: string) => number,
  y: number,
  to: string,
): string {
  const x1 = x(destination.account !== undefined && s.sharedAt ? s.sharedAt : s.createdAt);
  const x2 = Math.max(x1 + 2, x(s.deletedAt ?? to));
  return `<rect class="delivery-mark" data-snapshot-id="${esc(s.id)}" x="${x1}" y="${y}" width="${round(x2 - x1)}" height="${BAR_HEIGHT}" rx="1.5" fill="${ROLE_STYLE[s.role].color}" fill-opacity="0.45"><title>${esc(`${s.id}: data at ${formatTime(s.pointInTime)}`)}</title></rect>`;
}

function laneLabel(
  lane: Lane,
  data: Pick<ReportData, 'sourceRegion' | 'destinationRegion' | 'destinations'>,
): string {
  const side =
    lane.region === data.sourceRegion
      ? ' (source)'
      : lane.region === data.destinationRegion || data.destinations?.some((d) => d.region === lane.region)
        ? ' (destination)'
        : '';
  return `${lane.region}${side}`;
}

function snapshotMark(s: ReportSnapshot, x: (t: string) => number, y: number, to: string): string {
  const x1 = x(s.createdAt);
  const x2 = Math.max(x1 + 2, x(s.deletedAt ?? to));
  const { color } = ROLE_STYLE[s.role];
  const title = [
    s.id,
    `${s.role}, ${s.status}`,
    `data at ${formatTime(s.pointInTime)}`,
    `appeared ${formatTime(s.createdAt)}`,
    s.sharedAt ? `shared with ${s.sharedWith ?? 'another account'} ${formatTime(s.sharedAt)}` : undefined,
    s.deletedAt ? `deleted ${formatTime(s.deletedAt)}` : 'still present',
    s.keptBecause ? `kept: ${s.keptBecause}` : undefined,
    s.expiresAt ? `kept at least until ${formatTime(s.expiresAt)}` : undefined,
  ]
    .filter((line) => line !== undefined)
    .join('\n');
  const parts = [
    `<g class="snapshot-mark" data-snapshot-id="${esc(s.id)}" data-region="${esc(s.region)}" data-role="${s.role}" data-deleted="${s.deletedAt ? 'true' : 'false'}">`,
    `<title>${esc(title)}</title>`,
    `<rect x="${x1}" y="${y}" width="${round(x2 - x1)}" height="${BAR_HEIGHT}" rx="1.5" fill="${color}" fill-opacity="0.85"/>`,
  ];
  if (s.deletedAt)
    parts.push(
      `<rect x="${round(x2 - 2)}" y="${y - 1}" width="2" height="${BAR_HEIGHT + 2}" fill="#dc2626"/>`,
    );
  if (s.sharedAt)
    parts.push(
      `<circle cx="${x(s.sharedAt)}" cy="${y + BAR_HEIGHT / 2}" r="2" fill="#facc15" stroke="#713f12" stroke-width="0.6"/>`,
    );
  parts.push('</g>');
  return parts.join('');
}

function tickLabel(t: Date): string {
  const iso = t.toISOString();
  return iso.slice(11, 16) === '00:00' ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

const RP_HEIGHT = 260;
const RP_TOP = 16;
const RP_BOTTOM = 30;

export function recoveryPointSection(data: ReportData): string {
  const series = data.recoveryPoints.filter((s) => s.samples.length > 0);
  if (series.length === 0) {
    return `<section id="recovery-point"><h2>Recovery point</h2><p class="hint">No copy has reached the destination yet, so there is no recovery point to draw.</p></section>`;
  }
  const from = new Date(data.from);
  const to = new Date(data.to);
  const x = timeScale(from, to, PLOT_LEFT, PLOT_WIDTH);
  const maxAge = Math.max(
    data.targetRecoveryPointHours ?? 0,
    ...series.flatMap((s) => s.samples.map((p) => p.ageHours)),
  );
  const top = niceCeiling(maxAge * 1.1);
  const plotHeight = RP_HEIGHT - RP_TOP - RP_BOTTOM;
  const y = (hours: number) => round(RP_TOP + plotHeight - (Math.min(hours, top) / top) * plotHeight);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => round(top * f));
  const parts: string[] = [];
  for (const tick of yTicks) {
    parts.push(
      `<line class="grid" x1="${PLOT_LEFT}" x2="${PLOT_LEFT + PLOT_WIDTH}" y1="${y(tick)}" y2="${y(tick)}"/><text class="ytick" x="${PLOT_LEFT - 6}" y="${y(tick) + 4}">${esc(`${tick} h`)}</text>`,
    );
  }
  for (const t of dayTicks(from, to)) {
    parts.push(`<text class="tick" x="${x(t)}" y="${RP_HEIGHT - 10}">${esc(tickLabel(t))}</text>`);
  }
  if (data.targetRecoveryPointHours !== undefined) {
    const ty = y(data.targetRecoveryPointHours);
    parts.push(
      `<line class="target" x1="${PLOT_LEFT}" x2="${PLOT_LEFT + PLOT_WIDTH}" y1="${ty}" y2="${ty}"/><text class="target-label" x="${PLOT_LEFT + PLOT_WIDTH}" y="${ty - 4}">backup interval ${esc(data.targetRecoveryPointHours)} h</text>`,
    );
  }
  const legend: string[] = [];
  const drawn = new Map<string, string>();
  for (const [i, s] of series.entries()) {
    const color = SERIES_COLORS[i % SERIES_COLORS.length] as string;
    // Clusters on one schedule often share the very same line: each later line is dashed differently and
    // drawn over the earlier ones, so every colour shows, and the legend shows each line's colour and dash.
    const dash = SERIES_DASHES[i % SERIES_DASHES.length] as string;
    const samples = [...s.samples].sort((a, b) => a.at.localeCompare(b.at));
    const points = samples.map((p) => `${x(p.at)},${y(p.ageHours)}`).join(' ');
    const name = `${s.clusterId} (${s.region})`;
    const same = drawn.get(points);
    if (same === undefined) drawn.set(points, name);
    parts.push(
      `<polyline class="rp-line" data-cluster="${esc(s.clusterId)}" data-region="${esc(s.region)}" points="${points}" fill="none" stroke="${color}" stroke-width="2.2"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linejoin="round"><title>${esc(`${s.clusterId} in ${s.region}`)}</title></polyline>`,
    );
    legend.push(
      `<span class="key"><svg class="swatch" width="26" height="8" aria-hidden="true"><line x1="0" x2="26" y1="4" y2="4" stroke="${color}" stroke-width="2.2"${dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>${esc(name)}${same === undefined ? '' : ` <span class="same">(the same line as ${esc(same)})</span>`}</span>`,
    );
  }
  return `<section id="recovery-point"><h2>Recovery point</h2>
<p class="hint">Age of the data in the newest available copy, per cluster: what a restore would lose at that moment.</p>
<p class="legend">${legend.join('')}</p>
<svg class="recovery-point" role="img" aria-label="Recovery point over time" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${RP_HEIGHT}" viewBox="0 0 ${WIDTH} ${RP_HEIGHT}">
${parts.join('\n')}
</svg></section>`;
}

/** 1, 2, 4, 6, 8, 12, 16, 24 hours... a ceiling that gives round tick labels. */
function niceCeiling(value: number): number {
  for (const step of [1, 2, 4, 8, 12, 16, 24, 32, 48, 72, 96, 168]) if (value <= step) return step;
  return Math.ceil(value / 168) * 168;
}

function tableSection(rows: readonly ClusterRow[]): string {
  const sorted = [...rows].sort(
    (a, b) =>
      a.clusterId.localeCompare(b.clusterId) ||
      a.region.localeCompare(b.region) ||
      a.accountId.localeCompare(b.accountId),
  );
  const body = sorted
    .map(
      (r) =>
        `<tr data-cluster="${esc(r.clusterId)}" data-region="${esc(r.region)}"><td>${esc(r.clusterId)}</td><td>${esc(r.region)}</td><td>${esc(r.accountId)}</td><td class="n">${r.taken}</td><td class="n">${r.copied}</td><td class="n">${r.shared}</td><td class="n">${r.deleted ?? '—'}</td><td class="n">${r.kept}</td><td class="n">${esc(formatHours(r.worstRecoveryPointHours))}</td></tr>`,
    )
    .join('\n');
  return `<section id="summary"><h2>Per region and cluster</h2>
<table class="summary"><thead><tr><th>Cluster</th><th>Region</th><th>Account</th><th>Taken</th><th>Copied</th><th>Shared</th><th>Deleted</th><th>Kept</th><th>Worst recovery point</th></tr></thead>
<tbody>
${body}
</tbody></table></section>`;
}

/** Per cluster, the recovery point beside the restore time the last drill measured. */
function objectivesSection(rows: readonly RecoveryObjectiveRow[]): string {
  const body = [...rows]
    .sort((a, b) => a.clusterId.localeCompare(b.clusterId))
    .map((r) => {
      const point = r.recoveryPoint;
      const time = r.restoreTime;
      return `<tr data-cluster="${esc(r.clusterId)}"><td>${esc(r.clusterId)}</td><td class="n">${point ? esc(formatHours(point.ageHours)) : '—'}</td><td>${point ? esc(`${point.id} (${point.region})`) : '—'}</td><td class="n" data-restore-minutes="${time?.minutes ?? ''}">${time ? esc(`${time.minutes} min`) : 'not measured'}</td><td>${time ? esc(`${formatTime(time.drilledAt)} on ${time.snapshotId} (${time.region})`) : '—'}</td></tr>`;
    })
    .join('\n');
  return `<section id="recovery-objectives"><h2>Recovery point and restore time</h2>
<p class="hint">Per cluster: how old the data of the best copy is (what a restore now would lose), and how long the last successful restore drill took until its cluster and instance were available (SnapshotTool:RestoreMinutes).</p>
<table class="summary"><thead><tr><th>Cluster</th><th>Recovery point</th><th>Copy</th><th>Restore time</th><th>Measured by the drill of</th></tr></thead>
<tbody>
${body}
</tbody></table></section>`;
}

function drillsSection(drills: DrillStatusReport): string {
  const body = drills.clusters
    .map((c) => {
      const last = c.lastDrill;
      const warning = c.overdue
        ? `<span class="badge warn">WARNING</span> no successful drill within ${esc(formatHours(2 * drills.periodHours))} (2 × the drill period)`
        : '';
      return `<tr data-cluster="${esc(c.clusterId)}" data-overdue="${c.overdue}"><td>${esc(c.clusterId)}</td><td>${last ? esc(formatTime(last.at)) : '—'}</td><td>${last ? esc(last.snapshotId) : '—'}</td><td class="n">${last?.minutes ?? '—'}</td><td>${warning}</td></tr>`;
    })
    .join('\n');
  return `<section id="restore-drills"><h2>Restore drills</h2>
<p class="hint">In ${esc(drills.region)}, on <code>${esc(drills.schedule)}</code> (every ${esc(formatHours(drills.periodHours))}): the last successful restore of each cluster's newest copy, from the SnapshotTool:RestoreVerified tags.</p>
<table class="summary"><thead><tr><th>Cluster</th><th>Last successful drill</th><th>Snapshot</th><th>Minutes</th><th></th></tr></thead>
<tbody>
${body}
</tbody></table></section>`;
}

function apiCallsSection(calls: readonly ApiCallCount[]): string {
  const sorted = [...calls].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  const total = sorted.reduce((sum, c) => sum + c.count, 0);
  const rows = sorted.map((c) => `<tr><td>${esc(c.kind)}</td><td class="n">${c.count}</td></tr>`).join('\n');
  return `<section id="api-calls"><h2>API calls</h2>
<table class="calls"><thead><tr><th>Call</th><th>Count</th></tr></thead>
<tbody>
${rows}
</tbody><tfoot><tr><td>Total</td><td class="n">${total}</td></tr></tfoot></table></section>`;
}

/** The page's style sheet (the fleet page uses it too). */
export const CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #f1f5f9; color: #0f172a; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 20px; }
header, section { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 14px 18px; margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; }
.subtitle { margin: 0 0 4px; color: #334155; }
.meta, .hint, footer { color: #64748b; margin: 0 0 6px; font-size: 13px; }
.settings { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 8px 0 0; font-size: 12px; }
.settings div { display: flex; gap: 6px; }
.settings dt { color: #64748b; }
.settings dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.checks { list-style: none; padding: 0; margin: 0; }
.check { padding: 3px 0; }
.badge { display: inline-block; min-width: 38px; text-align: center; border-radius: 4px; font-size: 11px; font-weight: 700; color: #fff; padding: 1px 4px; }
.pass .badge { background: #16a34a; }
.fail .badge { background: #dc2626; }
.badge.warn { background: #d97706; }
.detail { color: #475569; }
.note { margin: 0 0 8px; padding: 6px 10px; border-left: 4px solid #f59e0b; background: #fffbeb; }
.swatch { vertical-align: middle; margin-right: 4px; }
.same { color: #64748b; }
.legend { margin: 0 0 6px; font-size: 12px; }
.key { margin-right: 14px; white-space: nowrap; }
.key i { display: inline-block; width: 14px; height: 6px; border-radius: 2px; margin-right: 5px; vertical-align: middle; }
.key i.end { width: 3px; height: 9px; background: #dc2626; }
.key i.dot { width: 7px; height: 7px; border-radius: 50%; background: #facc15; border: 1px solid #713f12; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-size: 11px; fill: #334155; }
.lane-cluster { font-weight: 700; font-size: 12px; fill: #0f172a; }
.lane-label { fill: #64748b; }
.tick { text-anchor: middle; fill: #64748b; }
.ytick { text-anchor: end; fill: #64748b; }
.grid { stroke: #e2e8f0; stroke-width: 1; }
.target { stroke: #f59e0b; stroke-dasharray: 5 4; stroke-width: 1.2; }
.target-label { text-anchor: end; fill: #b45309; }
.snapshot-mark:hover rect { fill-opacity: 1; stroke: #0f172a; stroke-width: 0.5; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 5px 8px; border-bottom: 1px solid #e2e8f0; text-align: left; }
th { color: #475569; font-weight: 600; background: #f8fafc; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: 700; }
table.calls { width: auto; min-width: 420px; }
footer { text-align: center; }
`;
