/**
 * The per-file table of a mutation run, from its JSON report (default reports/mutation/mutation.json), and
 * the saved summary of the last full run (docs/mutation/last-run.json and .md).
 *
 * - `tsx scripts/mutation-table.ts [--survivors] [reports...]` prints the table as Markdown; `--survivors`
 *   also lists each surviving or uncovered mutant. Given several reports (narrowed runs), a file's row comes
 *   from the last report that holds it, and the "run" column names that report (its file name without
 *   `.json`: save each run's report as e.g. `runs/P.json`).
 * - `tsx scripts/mutation-table.ts --save` writes the summary of the last `npm run mutate` from its report
 *   and reports/mutation/run.json (the commit, the start, the Node version): every file's figures and every
 *   surviving mutant. It refuses a narrowed run and a run on uncommitted code, whose summary would describe
 *   no commit. test/mutation/summary.test.ts checks the saved summary against itself and the commit.
 *
 * Score as Stryker computes it: (killed + timed out) / (killed + timed out + survived + no coverage). Mutants
 * that do not compile (with the TypeScript checker), mutants disabled by a `// Stryker disable` comment
 * and static mutants (left out of the run: stryker.config.mjs `ignoreStatic`)
 * (each with its reason in the code) are counted apart, not scored.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunFacts } from './mutate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SUMMARY_JSON = join('docs', 'mutation', 'last-run.json');
export const SUMMARY_MD = join('docs', 'mutation', 'last-run.md');

interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}
export interface Report {
  readonly files: Record<string, { readonly source?: string; readonly mutants: readonly Mutant[] }>;
  readonly config?: { readonly mutate?: readonly string[]; readonly checkers?: readonly string[] };
  readonly thresholds?: { readonly break?: number | null };
  readonly framework?: { readonly version?: string };
}

export interface FileFigures {
  readonly file: string;
  /** sha256 of the source the run mutated, to compare with the file at the run's commit. */
  readonly sha256: string;
  readonly mutants: number;
  readonly killed: number;
  readonly timedOut: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly compileErrors: number;
  readonly disabled: number;
  /** Static mutants: code run once when its module loads, left out of the run (`ignoreStatic`). */
  readonly static: number;
  /** Percent, two decimals; null when no mutant is scored. */
  readonly score: number | null;
}

export interface Survivor {
  /** file:line:column */
  readonly at: string;
  readonly status: 'Survived' | 'NoCoverage';
  readonly mutator: string;
  readonly replacement: string;
}

export interface Summary {
  readonly started: string;
  readonly commit: string;
  readonly node: string;
  readonly stryker: string;
  readonly checkers: readonly string[];
  readonly breakThreshold: number | null;
  readonly totals: Omit<FileFigures, 'file' | 'sha256'>;
  readonly files: readonly FileFigures[];
  readonly survivors: readonly Survivor[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** (killed + timed out) / scored, in percent with two decimals. */
/** Stryker's reason for a static mutant it did not run (`ignoreStatic`). */
const isStatic = (m: Mutant) => m.status === 'Ignored' && /^Static mutant/.test(m.statusReason ?? '');

export function scoreOf(f: { killed: number; timedOut: number; mutants: number }): number | null {
  return f.mutants === 0 ? null : Math.round((10_000 * (f.killed + f.timedOut)) / f.mutants) / 100;
}

function figuresOf(file: string, source: string, mutants: readonly Mutant[]): FileFigures {
  const count = (status: string) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timedOut = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const scored = killed + timedOut + survived + noCoverage;
  return {
    file,
    sha256: sha256(source),
    mutants: scored,
    killed,
    timedOut,
    survived,
    noCoverage,
    compileErrors: count('CompileError'),
    disabled: mutants.filter((m) => m.status === 'Ignored' && !isStatic(m)).length,
    static: mutants.filter(isStatic).length,
    score: scoreOf({ killed, timedOut, mutants: scored }),
  };
}

function survivorsOf(file: string, mutants: readonly Mutant[]): Survivor[] {
  return mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .map((m) => ({
      at: `${file}:${m.location.start.line}:${m.location.start.column}`,
      status: m.status as Survivor['status'],
      mutator: m.mutatorName,
      replacement: m.replacement ?? '',
    }));
}

/** The summary of a run: its report's figures per file and in total, and every survivor. */
export function summarize(report: Report, facts: Pick<RunFacts, 'started' | 'commit' | 'node'>): Summary {
  const names = Object.keys(report.files).sort((a, b) => a.localeCompare(b));
  const files = names.map((name) => {
    const { source, mutants } = report.files[name] as Report['files'][string];
    return figuresOf(name, source ?? '', mutants);
  });
  const sum = (key: keyof Omit<FileFigures, 'file' | 'sha256' | 'score'>) =>
    files.reduce((total, f) => total + f[key], 0);
  const totals = {
    mutants: sum('mutants'),
    killed: sum('killed'),
    timedOut: sum('timedOut'),
    survived: sum('survived'),
    noCoverage: sum('noCoverage'),
    compileErrors: sum('compileErrors'),
    disabled: sum('disabled'),
    static: sum('static'),
  };
  return {
    started: facts.started,
    commit: facts.commit,
    node: facts.node,
    stryker: report.framework?.version ?? 'unknown',
    checkers: report.config?.checkers ?? [],
    breakThreshold: report.thresholds?.break ?? null,
    totals: { ...totals, score: scoreOf(totals) },
    files,
    survivors: names.flatMap((name) =>
      survivorsOf(name, (report.files[name] as Report['files'][string]).mutants),
    ),
  };
}

const percent = (score: number | null) => (score === null ? 'n/a' : score.toFixed(2));

/** The Markdown page of a saved summary (docs/mutation/last-run.md), written from its JSON only. */
export function renderSummary(s: Summary): string {
  const t = s.totals;
  const checker =
    s.checkers.length > 0
      ? `checkers: ${s.checkers.join(', ')} (a mutant that does not compile is a compile error, not scored)`
      : 'no checker: a mutant that does not compile counted as killed';
  const lines = [
    '# The last full mutation run',
    '',
    "Written by `npx tsx scripts/mutation-table.ts --save` from the run's report (`npm run mutate`, every file that",
    '`stryker.config.mjs` mutates); not edited by hand. test/mutation/summary.test.ts checks it.',
    '',
    `- Started: ${s.started}`,
    `- Commit: ${s.commit} (every file below is that commit's)`,
    `- Node ${s.node}, StrykerJS ${s.stryker}, ${checker}`,
    `- Break threshold: ${s.breakThreshold ?? 'none'}`,
    `- Score: ${percent(t.score)}% of ${t.mutants} mutants (${t.killed} killed, ${t.timedOut} timed out, ${t.survived} survived, ${t.noCoverage} without coverage); not scored: ${t.compileErrors} compile errors, ${t.disabled} disabled, ${t.static} static (not run)`,
    '',
    '| file | mutants | killed | timed out | survived | no coverage | compile errors | disabled | static (not run) | score % |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...s.files.map(
      (f) =>
        `| ${f.file} | ${f.mutants} | ${f.killed} | ${f.timedOut} | ${f.survived} | ${f.noCoverage} | ${f.compileErrors} | ${f.disabled} | ${f.static} | ${percent(f.score)} |`,
    ),
    '',
    '## Surviving mutants',
    '',
    ...(s.survivors.length === 0
      ? ['None.']
      : s.survivors.map(
          (m) => `- \`${m.at}\` ${m.status} ${m.mutator} → \`${JSON.stringify(m.replacement)}\``,
        )),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * What is wrong with a saved summary: figures that do not add up, survivors not counted, a commit not in
 * this history, a file whose source differs from that commit's. Empty when it is consistent.
 */
export function problemsOf(s: Summary, git: (...args: string[]) => string): string[] {
  const problems: string[] = [];
  const numbers = [
    'mutants',
    'killed',
    'timedOut',
    'survived',
    'noCoverage',
    'compileErrors',
    'disabled',
    'static',
  ] as const;
  for (const f of s.files) {
    if (f.killed + f.timedOut + f.survived + f.noCoverage !== f.mutants) {
      problems.push(`${f.file}: killed + timed out + survived + no coverage is not ${f.mutants}`);
    }
    if (f.score !== scoreOf(f)) problems.push(`${f.file}: score ${f.score} is not ${scoreOf(f)}`);
    const listed = s.survivors.filter((m) => m.at.startsWith(`${f.file}:`)).length;
    if (listed !== f.survived + f.noCoverage) {
      problems.push(`${f.file}: ${listed} survivors listed, ${f.survived + f.noCoverage} counted`);
    }
  }
  for (const key of numbers) {
    const sum = s.files.reduce((total, f) => total + f[key], 0);
    if (sum !== s.totals[key]) problems.push(`totals: ${key} ${s.totals[key]} is not the files' sum ${sum}`);
  }
  if (s.totals.score !== scoreOf(s.totals))
    problems.push(`totals: score ${s.totals.score} is not ${scoreOf(s.totals)}`);
  const unknown = s.survivors.filter((m) => !s.files.some((f) => m.at.startsWith(`${f.file}:`)));
  for (const m of unknown) problems.push(`survivor ${m.at} is in no file of the summary`);
  try {
    git('merge-base', '--is-ancestor', s.commit, 'HEAD');
  } catch {
    return [...problems, `commit ${s.commit} is not in this branch's history`];
  }
  for (const f of s.files) {
    let source: string;
    try {
      source = git('show', `${s.commit}:${f.file}`);
    } catch {
      problems.push(`${f.file} is not in commit ${s.commit}`);
      continue;
    }
    if (sha256(source) !== f.sha256)
      problems.push(`${f.file}: the run mutated other code than commit ${s.commit}'s`);
  }
  return problems;
}

/** The table of one or several reports, for a narrowed run or runs (prints; saves nothing). */
function printTable(args: readonly string[]): void {
  const showSurvivors = args.includes('--survivors');
  const given = args.filter((a) => !a.startsWith('--'));
  const reports = given.length > 0 ? given : ['reports/mutation/mutation.json'];
  const several = reports.length > 1;
  /** Each mutated file with its figures, from the last report that holds it. */
  const latest = new Map<string, { figures: FileFigures; survivors: Survivor[]; report: string }>();
  for (const path of reports) {
    const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
    for (const [name, { source, mutants }] of Object.entries(report.files)) {
      latest.set(name, {
        figures: figuresOf(name, source ?? '', mutants),
        survivors: survivorsOf(name, mutants),
        report: path,
      });
    }
  }
  const rows = [
    `| file | mutants | killed | timed out | survived | no coverage | compile errors | disabled | static (not run) | score %${several ? ' | run' : ''} |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:${several ? '|---' : ''}|`,
  ];
  const survivors: string[] = [];
  for (const [, { figures: f, survivors: s, report }] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
    // The run's name: its report's file name without `.json` (name reports after the run, e.g. `runs/P.json`).
    const run = several ? ` ${report.replace(/^.*\//, '').replace(/\.json$/, '')} |` : '';
    rows.push(
      `| ${f.file} | ${f.mutants} | ${f.killed} | ${f.timedOut} | ${f.survived} | ${f.noCoverage} | ${f.compileErrors} | ${f.disabled} | ${f.static} | ${percent(f.score)} |${run}`,
    );
    survivors.push(...s.map((m) => `${m.at} ${m.status} ${m.mutator} → ${JSON.stringify(m.replacement)}`));
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  if (showSurvivors) process.stdout.write(`\n${survivors.join('\n')}\n`);
}

/** Writes docs/mutation/last-run.json and .md from the last `npm run mutate`, if it was a full run. */
function save(): void {
  const reportPath = join(ROOT, 'reports', 'mutation', 'mutation.json');
  const factsPath = join(ROOT, 'reports', 'mutation', 'run.json');
  if (!existsSync(reportPath) || !existsSync(factsPath)) {
    throw new Error(
      'no run to save: run `npm run mutate` (it writes reports/mutation/mutation.json and run.json)',
    );
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  const facts = JSON.parse(readFileSync(factsPath, 'utf8')) as RunFacts;
  if (facts.args.some((a) => a === '--mutate' || a.startsWith('--mutate=') || a === '-m')) {
    throw new Error(
      `the last run was narrowed (${facts.args.join(' ')}): only a full \`npm run mutate\` is saved`,
    );
  }
  if (facts.uncommitted.length > 0) {
    throw new Error(
      `the last run started with uncommitted changes (${facts.uncommitted.join(', ')}): commit, run again, then save`,
    );
  }
  const summary = summarize(report, facts);
  mkdirSync(join(ROOT, 'docs', 'mutation'), { recursive: true });
  writeFileSync(join(ROOT, SUMMARY_JSON), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(ROOT, SUMMARY_MD), renderSummary(summary));
  console.log(
    `${SUMMARY_JSON} and ${SUMMARY_MD}: score ${percent(summary.totals.score)}% at ${facts.commit}`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const args = process.argv.slice(2);
    if (args.includes('--save')) save();
    else printTable(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

/** `git` in the repository, for problemsOf. */
export const gitHere = (...args: string[]) =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
