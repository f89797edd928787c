/**
 * Prints the per-file table of a mutation run from its JSON report (default reports/mutation/mutation.json),
 * as Markdown, for docs/testing.md. `--survivors` also lists each surviving or uncovered mutant. Given
 * several reports (narrowed runs), a file's row comes from the last report that holds it, and the "run"
 * column names that report (its file name without `.json`: save each run's report as e.g. `runs/P.json`).
 *
 * Score as Stryker computes it: (killed + timed out) / (killed + timed out + survived + no coverage). Mutants
 * disabled by a `// Stryker disable` comment (each with its reason in the code) are counted apart, not scored.
 */
import { readFileSync } from 'node:fs';

interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}
interface Report {
  readonly files: Record<string, { readonly mutants: readonly Mutant[] }>;
}

const args = process.argv.slice(2);
const showSurvivors = args.includes('--survivors');
const given = args.filter((a) => !a.startsWith('--'));
const files = given.length > 0 ? given : ['reports/mutation/mutation.json'];
const several = files.length > 1;

/** Each mutated file with its mutants, from the last report that holds it. */
const latest = new Map<string, { mutants: readonly Mutant[]; report: string }>();
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  for (const [name, { mutants }] of Object.entries(report.files)) latest.set(name, { mutants, report: file });
}

const rows: string[] = [
  `| file | mutants | killed | timed out | survived | no coverage | disabled | score %${several ? ' | run' : ''} |`,
  `|---|---:|---:|---:|---:|---:|---:|---:${several ? '|---' : ''}|`,
];
const survivors: string[] = [];
for (const [name, { mutants, report }] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
  const count = (status: string) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const disabled = count('Ignored');
  const scored = killed + timeout + survived + noCoverage;
  const score = scored === 0 ? 'n/a' : ((100 * (killed + timeout)) / scored).toFixed(1);
  // The run's name: its report's file name without `.json` (name reports after the run, e.g. `runs/P.json`).
  const run = several ? ` ${report.replace(/^.*\//, '').replace(/\.json$/, '')} |` : '';
  rows.push(
    `| ${name} | ${scored} | ${killed} | ${timeout} | ${survived} | ${noCoverage} | ${disabled} | ${score} |${run}`,
  );
  for (const m of mutants) {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    const at = `${name}:${m.location.start.line}:${m.location.start.column}`;
    survivors.push(`${at} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '')}`);
  }
}
process.stdout.write(`${rows.join('\n')}\n`);
if (showSurvivors) process.stdout.write(`\n${survivors.join('\n')}\n`);
