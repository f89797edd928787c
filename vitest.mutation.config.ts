// The tests the mutation run (`npm run mutate`) executes: the unit tests and the demo tests that need no
// emulator, so each mutant costs seconds. Tests that start moto, spawn a child process or bundle a Lambda are
// left to `npm test`: they exercise src/aws, src/handlers and src/infra, not the pure core that is mutated.
import { defineConfig } from 'vitest/config';
import { QuickFirstSequencer } from './test/mutation/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/demo/**/*.test.ts'],
    exclude: [
      // starts moto and bundles the handlers with esbuild
      'test/unit/handler-package.test.ts',
      // runs dependency-cruiser in a child process over the source tree; imports no mutated code
      'test/unit/architecture.test.ts',
      // runs tsc in a child process over the project; imports no mutated code (the TypeScript checker of the
      // mutation run is what types each mutant)
      'test/unit/typecheck.test.ts',
      // plans over 250,000 snapshots (seconds per mutant; it guards the call stack, not a decision)
      'test/core/plan/source-planner-large.test.ts',
      // start moto (the demo end to end, the emulator handling, status --html on a live account)
      'test/demo/demo.test.ts',
      'test/demo/emulator.test.ts',
      'test/demo/status-html.test.ts',
    ],
    setupFiles: ['test/support/setup.ts', 'test/mutation/fixed-seed.ts'],
    // a mutant's quick example tests before its property tests and demos: the first failure ends its run
    sequence: { sequencer: QuickFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Stryker runs the tests that cover each mutant in one long-lived worker: without isolation the SDK, the
    // CDK and the product are imported once for the run instead of once per mutant (the first run's overhead
    // fell from 87 s to 6 s). A mutant is switched on at run time, so sharing modules is safe; test/support/
    // setup.ts puts back what a file changes (the handlers' clock and stores, the environment).
    isolate: false,
  },
});
