// The committed baseline of mutation results: saved gzipped from StrykerJS's incremental report, put back where
// StrykerJS reads it on a fresh clone, and never over a report a run has already left.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BASELINE, INCREMENTAL, restoreBaseline, saveBaseline } from '../../scripts/mutate.js';

describe('the baseline of mutation results', () => {
  const roots: string[] = [];
  const root = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mutation-baseline-'));
    roots.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is saved gzipped from the incremental report and put back on a clone that has none', () => {
    // Prepare
    const here = root();
    const report = '{"files":{"src/core/model/tags.ts":{"mutants":[]}}}';
    mkdirSync(join(here, 'reports'));
    writeFileSync(join(here, INCREMENTAL), report);
    // Act
    saveBaseline(here);
    rmSync(join(here, 'reports'), { recursive: true });
    const restored = restoreBaseline(here);
    // Assess
    expect(gunzipSync(readFileSync(join(here, BASELINE))).toString()).toBe(report);
    expect(restored).toBe(true);
    expect(readFileSync(join(here, INCREMENTAL), 'utf8')).toBe(report);
  });

  it('leaves a report a run has left where it is, and does nothing without a baseline', () => {
    // Prepare
    const withReport = root();
    mkdirSync(join(withReport, 'reports'));
    writeFileSync(join(withReport, INCREMENTAL), 'older');
    saveBaseline(withReport);
    writeFileSync(join(withReport, INCREMENTAL), 'newer');
    const without = root();
    // Act / Assess
    expect(restoreBaseline(withReport)).toBe(false);
    expect(readFileSync(join(withReport, INCREMENTAL), 'utf8')).toBe('newer');
    expect(restoreBaseline(without)).toBe(false);
    expect(existsSync(join(without, INCREMENTAL))).toBe(false);
  });

  it('is not saved when no run has left a report, and says what to run', () => {
    // Act / Assess
    expect(() => saveBaseline(root())).toThrow(
      'no reports/stryker-incremental.json: run npm run mutate -- --incremental first',
    );
  });
});
