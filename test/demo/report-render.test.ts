// The report renderer over hand-made data: one mark per snapshot, lanes and rows that never overlap, escaping.
import { describe, expect, it } from 'vitest';
import { recoveryPointFromCopies } from '../../src/report/classify.js';
import type { ReportData, ReportSnapshot } from '../../src/report/model.js';
import { lanesOf, packRows, renderReport } from '../../src/report/render.js';

function snapshot(overrides: Partial<ReportSnapshot> & Pick<ReportSnapshot, 'id'>): ReportSnapshot {
  return {
    region: 'us-east-1',
    accountId: '123456789012',
    clusterId: 'prod-orders',
    role: 'backup',
    pointInTime: '2025-01-01T00:00:00.000Z',
    createdAt: '2025-01-01T00:00:00.000Z',
    status: 'available',
    ...overrides,
  };
}

function data(snapshots: ReportSnapshot[], overrides: Partial<ReportData> = {}): ReportData {
  return {
    title: 'Report',
    generatedAt: '2025-01-03T00:00:00.000Z',
    from: '2025-01-01T00:00:00.000Z',
    to: '2025-01-03T00:00:00.000Z',
    sourceRegion: 'us-east-1',
    destinationRegion: 'us-west-2',
    snapshots,
    recoveryPoints: [],
    rows: [],
    ...overrides,
  };
}

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe('renderReport', () => {
  it('draws exactly one timeline mark per snapshot, deleted or not', () => {
    // Prepare
    const snapshots = [
      snapshot({ id: 'a', deletedAt: '2025-01-02T00:00:00.000Z' }),
      snapshot({ id: 'b', createdAt: '2025-01-01T08:00:00.000Z' }),
      snapshot({ id: 'a', region: 'us-west-2', role: 'dr-copy', sharedAt: '2025-01-01T00:02:00.000Z' }),
      snapshot({ id: 'manual', role: 'unmanaged' }),
    ];
    // Act
    const html = renderReport(data(snapshots));
    // Assess
    expect(count(html, /class="snapshot-mark"/g)).toBe(4);
    expect(count(html, /data-deleted="true"/g)).toBe(1);
    expect(count(html, /<circle /g)).toBe(1);
  });

  it('escapes names, settings and check details so data cannot inject markup', () => {
    // Prepare
    const hostile = '<img src=x onerror=alert(1)>';
    const report = data([snapshot({ id: hostile, clusterId: `c"${hostile}` })], {
      title: hostile,
      settings: { Pattern: hostile },
      checks: [{ name: hostile, ok: false, detail: hostile }],
      apiCalls: [{ kind: hostile, count: 1 }],
      rows: [
        {
          region: 'us-east-1',
          accountId: '1',
          clusterId: hostile,
          taken: 1,
          copied: 0,
          shared: 0,
          deleted: undefined,
          kept: 1,
        },
      ],
    });
    // Act
    const html = renderReport(report);
    // Assess
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('marks failed checks as FAIL and passed ones as PASS', () => {
    // Prepare
    const report = data([], {
      checks: [
        { name: 'one', ok: true, detail: 'fine' },
        { name: 'two', ok: false, detail: 'broken' },
      ],
    });
    // Act
    const html = renderReport(report);
    // Assess
    expect(html).toMatch(/class="check pass" data-ok="true"><span class="badge">PASS<\/span> <strong>one/);
    expect(html).toMatch(/class="check fail" data-ok="false"><span class="badge">FAIL<\/span> <strong>two/);
  });

  it('says so when there is nothing to draw instead of an empty chart', () => {
    // Act
    const html = renderReport(data([]));
    // Assess
    expect(html).toContain('No snapshots in this period.');
    expect(html).toContain('No copy has reached the destination yet');
    expect(count(html, /class="snapshot-mark"/g)).toBe(0);
  });

  it('draws one recovery point line per series, and the target line when given', () => {
    // Prepare
    const report = data([], {
      targetRecoveryPointHours: 8,
      recoveryPoints: [
        {
          clusterId: 'a',
          region: 'us-west-2',
          samples: [
            { at: '2025-01-01T08:00:00.000Z', ageHours: 8 },
            { at: '2025-01-01T08:00:00.000Z', ageHours: 0 },
          ],
        },
        { clusterId: 'b', region: 'us-west-2', samples: [{ at: '2025-01-01T08:00:00.000Z', ageHours: 1 }] },
        { clusterId: 'empty', region: 'us-west-2', samples: [] },
      ],
    });
    // Act
    const html = renderReport(report);
    // Assess
    expect(count(html, /class="rp-line"/g)).toBe(2);
    expect(html).toContain('backup interval 8 h');
  });

  it('keeps two clusters with the same recovery point apart: another dash and colour on top, each in the legend', () => {
    // Prepare
    const samples = [
      { at: '2025-01-01T08:00:00.000Z', ageHours: 8 },
      { at: '2025-01-01T08:00:00.000Z', ageHours: 0 },
    ];
    const report = data([], {
      recoveryPoints: [
        { clusterId: 'a', region: 'us-west-2', samples },
        { clusterId: 'b', region: 'us-west-2', samples },
      ],
    });
    // Act
    const html = renderReport(report);
    // Assess
    const lines = [...html.matchAll(/<polyline class="rp-line"[^>]*>/g)].map((m) => m[0]);
    const colour = (tag: string | undefined) => /stroke="(#[0-9a-f]+)"/.exec(tag ?? '')?.[1];
    expect(lines).toHaveLength(2);
    expect(colour(lines[0])).not.toBe(colour(lines[1]));
    expect(lines[0]).not.toContain('stroke-dasharray');
    expect(lines[1]).toContain('stroke-dasharray');
    const swatches = [...html.matchAll(/<svg class="swatch"[^>]*><line [^>]*stroke="(#[0-9a-f]+)"/g)].map(
      (m) => m[1],
    );
    expect(swatches).toEqual([colour(lines[0]), colour(lines[1])]);
    expect(html).toContain('b (us-west-2) <span class="same">(the same line as a (us-west-2))</span>');
  });

  it('never draws a recovery point below zero for copies whose data is after the sampled time', () => {
    // Act
    const samples = recoveryPointFromCopies(
      [
        { pointInTime: '2025-01-01T00:00:00.000Z', availableAt: '2025-01-01T01:00:00.000Z' },
        { pointInTime: '2025-01-09T00:00:00.000Z', availableAt: '2025-01-01T02:00:00.000Z' },
      ],
      new Date('2025-01-01T03:00:00.000Z'),
    );
    // Assess
    expect(samples.map((s) => s.ageHours).filter((h) => h < 0)).toEqual([]);
  });

  it('shows an unknown deletion count as a dash, not as zero', () => {
    // Prepare
    const row = {
      region: 'us-east-1',
      accountId: '1',
      clusterId: 'c',
      taken: 3,
      copied: 0,
      shared: 0,
      kept: 3,
    };
    // Act
    const html = renderReport(data([], { rows: [{ ...row, deleted: undefined }] }));
    // Assess
    expect(html).toMatch(/<td class="n">0<\/td><td class="n">—<\/td><td class="n">3<\/td>/);
  });
});

describe('lanesOf', () => {
  it('groups by cluster, then the source region before the others, then account', () => {
    // Prepare
    const snapshots = [
      snapshot({ id: '1', clusterId: 'b', region: 'us-west-2' }),
      snapshot({ id: '2', clusterId: 'b', region: 'us-east-1' }),
      snapshot({ id: '3', clusterId: 'a', region: 'us-west-2' }),
      snapshot({ id: '4', clusterId: 'a', region: 'us-west-2', accountId: '222222222222' }),
      snapshot({ id: '5', clusterId: 'a', region: 'eu-west-1' }),
    ];
    // Act
    const lanes = lanesOf({ snapshots, sourceRegion: 'us-west-2' });
    // Assess
    expect(lanes.map((l) => `${l.clusterId} ${l.region} ${l.accountId}`)).toEqual([
      'a us-west-2 123456789012',
      'a us-west-2 222222222222',
      'a eu-west-1 123456789012',
      'b us-west-2 123456789012',
      'b us-east-1 123456789012',
    ]);
  });
});

describe('packRows', () => {
  it('never puts two snapshots whose lives overlap on the same row, and reuses rows freed by deletions', () => {
    // Prepare: a new snapshot every 8 hours, each kept 24 hours, over 4 days
    const to = '2025-01-05T00:00:00.000Z';
    const snapshots = Array.from({ length: 12 }, (_, i) => {
      const created = Date.parse('2025-01-01T00:00:00.000Z') + i * 8 * 3_600_000;
      const deleted = created + 24 * 3_600_000 + 60_000;
      return snapshot({
        id: `s${i}`,
        createdAt: new Date(created).toISOString(),
        deletedAt: deleted < Date.parse(to) ? new Date(deleted).toISOString() : undefined,
      });
    });
    // Act
    const rows = packRows(snapshots, to);
    // Assess
    for (const a of snapshots) {
      for (const b of snapshots) {
        if (a === b || rows.get(a) !== rows.get(b)) continue;
        const [aStart, aEnd] = [Date.parse(a.createdAt), Date.parse(a.deletedAt ?? to)];
        const [bStart, bEnd] = [Date.parse(b.createdAt), Date.parse(b.deletedAt ?? to)];
        expect(aEnd < bStart || bEnd < aStart).toBe(true);
      }
    }
    expect(new Set(rows.values()).size).toBe(4);
  });
});
