// `npm run test:quick`: the unit tests of the pure core and of the configuration schema, for the edit loop
// (seconds: no moto, no child process, no CDK). `npm test` runs them too, with everything else.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/unit/schema-*.test.ts'],
    exclude: [
      // plans over 250,000 snapshots: it guards the call stack, not a decision
      'test/core/plan/source-planner-large.test.ts',
      // synthesizes the CDK constructs for every parameter
      'test/unit/schema-every-parameter.test.ts',
    ],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // These files share no state worth a fresh module graph each (pure code), and importing it once per
    // worker instead of once per file makes the loop three times faster. `npm test` runs them isolated.
    isolate: false,
  },
});
