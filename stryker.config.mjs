// Mutation testing of the pure core, the configuration schema, the AWS error classification and the handlers'
// decisions: `npm run mutate` (all files) or
// `npm run mutate -- --concurrency 1 --mutate src/core/model/naming.ts` (one file), on Node 22 (scripts/mutate.ts).
// Not part of `npm test`; see docs/testing.md.
import { existsSync } from 'node:fs';

// A mutant that does not compile is no test's merit: with the TypeScript checker it counts as a compile
// error, not as killed. The checker is a devDependency; a run without it says so rather than fail.
const TYPESCRIPT_CHECKER = '@stryker-mutator/typescript-checker';
const typescriptChecker = existsSync(
  new URL(`./node_modules/${TYPESCRIPT_CHECKER}/package.json`, import.meta.url),
);
if (!typescriptChecker) {
  console.warn(
    `${TYPESCRIPT_CHECKER} is not installed: this run counts mutants that do not compile as killed (npm install --save-dev ${TYPESCRIPT_CHECKER}@^10.1.1)`,
  );
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner', ...(typescriptChecker ? [TYPESCRIPT_CHECKER] : [])],
  // The checker compiles the mutated files and what they import (tsconfig.mutation.json), not the tests, the
  // CDK app and the scripts: a mutant of src/core/model/order.ts re-checked 6,477 files, about 8 s a mutant;
  // now 2,511, the SDK's declarations most of them. A mutant that compiles there but breaks a test's types is
  // run against the tests, as a mutant that compiles is.
  // TypeScript 7's native compiler (`@typescript/native`, through StrykerJS's `experimentalNativePreview`)
  // checked those files in 5.6 s where TypeScript 5.9 took 17.6 s; `typescript` (5.9) stays installed for the tools
  // that use its JavaScript API (StrykerJS reads the tsconfig with it, dependency-cruiser parses with it).
  ...(typescriptChecker
    ? {
        checkers: ['typescript'],
        tsconfigFile: 'tsconfig.mutation.json',
        typescriptChecker: { experimentalNativePreview: true },
      }
    : {}),
  coverageAnalysis: 'perTest',
  // A static mutant changes code that runs once, when its module loads (a table of values, a schema built from
  // the parameter table): no test can be said to cover it, so Stryker would re-run every test for each one,
  // about 75 s, 97% of a run's time. They are left out of the run and counted apart, per file, in the summary
  // (scripts/mutation-table.ts "static, not run"); decisions are written in functions, not module-level
  // tables, so that they are not static (the schedule's field specs, the AWS error codes).
  ignoreStatic: true,
  mutate: [
    'src/core/**/*.ts',
    'src/config/**/*.ts',
    // The decisions outside the core whose mistakes cost data: an AWS error classified as retryable or as a
    // failure, and what a handler reads from its event, reports as failed or started, and counts as metrics.
    // Line ranges leave out the I/O glue around them (the logger, the SDK clients, EMF output).
    'src/aws/errors.ts',
    'src/handlers/metrics.ts:1-271',
    'src/handlers/runtime.ts:116-171',
    'src/handlers/runtime.ts:292-332',
    'src/handlers/runtime.ts:390-449',
    'src/handlers/drill-runtime.ts:49-71',
    'src/handlers/drill-runtime.ts:97-125',
  ],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // `// @ts-nocheck` atop each file a mutant may reach, but not atop a generated file: a test compares
  // src/infra/settings.generated.ts with what its generator writes
  disableTypeChecks: '{src,test}/**/!(*.generated).ts',
  tempDirName: '.stryker-tmp',
  // other sandboxes (a narrowed run beside a full one) and reports are not copied into a sandbox
  ignorePatterns: ['.stryker-tmp*', 'reports', 'coverage', 'cdk.out', 'dist'],
  concurrency: 2,
  timeoutMS: 30_000,
  // the first run of every unit test, which maps tests to mutants, takes minutes on two busy cores
  dryRunTimeoutMinutes: 20,
  // break: the run fails (exit code 1) when the score of the mutated files is under it
  thresholds: { high: 95, low: 90, break: 99.5 },
  cleanTempDir: 'always',
};
