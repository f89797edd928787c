// Mutation testing of the pure core and the configuration schema: `npm run mutate` (all files) or
// `npm run mutate -- --mutate src/core/naming.ts` (one file). Not part of `npm test`; see docs/testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  mutate: ['src/core/**/*.ts', 'src/config/**/*.ts'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  // other sandboxes (a narrowed run beside a full one) and reports are not copied into a sandbox
  ignorePatterns: ['.stryker-tmp*', 'reports', 'coverage', 'cdk.out', 'dist'],
  concurrency: 2,
  timeoutMS: 30_000,
  thresholds: { high: 95, low: 90, break: null },
  cleanTempDir: 'always',
};
