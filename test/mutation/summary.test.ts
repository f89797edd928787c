// The saved summary of the last full mutation run (docs/mutation/last-run.json and .md): its figures add up,
// it lists every survivor it counts, it names a commit of this history whose files are the ones mutated, its
// page is written from it, and docs/testing.md claims a run only when one is saved.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  gitHere,
  problemsOf,
  type Report,
  renderSummary,
  SUMMARY_JSON,
  SUMMARY_MD,
  type Summary,
  summarize,
} from '../../scripts/mutation-table.js';

const TESTING = readFileSync('docs/testing.md', 'utf8');
const PENDING = 'No full run is saved on the current configuration';

describe('the saved summary of the last full run', () => {
  const saved = existsSync(SUMMARY_JSON);

  it.runIf(saved)('adds up, lists every survivor, and names a commit whose files it mutated', () => {
    const summary = JSON.parse(readFileSync(SUMMARY_JSON, 'utf8')) as Summary;
    expect(problemsOf(summary, gitHere)).toEqual([]);
    expect(summary.node).toMatch(/^v22\./);
  });

  it.runIf(saved)('is shown by a page written from it, not by hand', () => {
    const summary = JSON.parse(readFileSync(SUMMARY_JSON, 'utf8')) as Summary;
    expect(readFileSync(SUMMARY_MD, 'utf8')).toBe(renderSummary(summary));
    expect(TESTING).not.toContain(PENDING);
  });

  it.runIf(!saved)('is pending, and the testing guide says so', () => {
    expect(TESTING).toContain(PENDING);
    expect(existsSync(SUMMARY_MD)).toBe(false);
  });
});

describe('the checks of a summary', () => {
  // Prepare: a run over a file of the current commit, two mutants killed, one surviving
  const file = 'src/core/model/tags.ts';
  const head = gitHere('rev-parse', 'HEAD').trim();
  const mutant = (status: string, line: number, statusReason?: string) => ({
    mutatorName: 'StringLiteral',
    replacement: '""',
    status,
    ...(statusReason !== undefined ? { statusReason } : {}),
    location: { start: { line, column: 3 } },
  });
  const report: Report = {
    files: {
      [file]: {
        source: gitHere('show', `HEAD:${file}`),
        mutants: [
          mutant('Killed', 1),
          mutant('Timeout', 2),
          mutant('Survived', 3),
          mutant('Ignored', 4, 'equivalent: the two branches return the same value'),
          mutant('Ignored', 5, 'Static mutant (and "ignoreStatic" was enabled)'),
        ],
      },
    },
    config: { checkers: ['typescript'] },
    thresholds: { break: 99.5 },
    framework: { version: '9.6.1' },
  };
  const summary = summarize(report, { started: '2026-01-01T00:00:00.000Z', commit: head, node: 'v22.23.5' });

  it('finds nothing wrong with a summary as written', () => {
    expect(summary.files[0]).toMatchObject({
      mutants: 3,
      killed: 1,
      timedOut: 1,
      survived: 1,
      disabled: 1,
      static: 1,
    });
    expect(summary.totals.score).toBe(66.67);
    expect(summary.survivors).toEqual([
      { at: `${file}:3:3`, status: 'Survived', mutator: 'StringLiteral', replacement: '""' },
    ]);
    expect(problemsOf(summary, gitHere)).toEqual([]);
  });

  it('finds a count changed by hand, a survivor left off, and a score not from the counts', () => {
    const [figures] = summary.files as [Summary['files'][number]];
    const edited: Summary = {
      ...summary,
      files: [{ ...figures, killed: figures.killed + 1, score: 50 }],
      survivors: [],
    };
    expect(problemsOf(edited, gitHere)).toEqual([
      `${file}: killed + timed out + survived + no coverage is not 3`,
      `${file}: score 50 is not 100`,
      `${file}: 0 survivors listed, 1 counted`,
      "totals: killed 1 is not the files' sum 2",
    ]);
  });

  it("finds a commit not in this history, and code other than the commit's", () => {
    expect(problemsOf({ ...summary, commit: '0'.repeat(40) }, gitHere)).toEqual([
      `commit ${'0'.repeat(40)} is not in this branch's history`,
    ]);
    const [figures] = summary.files as [Summary['files'][number]];
    expect(problemsOf({ ...summary, files: [{ ...figures, sha256: '0'.repeat(64) }] }, gitHere)).toEqual([
      `${file}: the run mutated other code than commit ${head}'s`,
    ]);
  });

  it('writes each survivor on the page with its place, mutator and replacement', () => {
    expect(renderSummary(summary)).toContain(`- \`${file}:3:3\` Survived StringLiteral → \`"\\"\\""\``);
    expect(renderSummary(summary)).toContain(`| ${file} | 3 | 1 | 1 | 1 | 0 | 0 | 1 | 1 | 66.67 |`);
  });
});
