// The tests the mutation run (`npm run mutate`) executes: the unit tests and the demo tests that need no
// emulator, so each mutant costs seconds. Tests that start moto, spawn a child process or bundle a Lambda are
// left to `npm test`: they exercise src/aws, src/handlers and src/infra, not the pure core that is mutated.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/demo/**/*.test.ts'],
    exclude: [
      // starts moto and bundles the handlers with esbuild
      'test/unit/handler-package.test.ts',
      // runs dependency-cruiser in a child process over the source tree; imports no mutated code
      'test/unit/architecture.test.ts',
      // plans over 250,000 snapshots (seconds per mutant; it guards the call stack, not a decision)
      'test/core/plan/source-planner-large.test.ts',
      // start moto (the demo end to end, the emulator handling, status --html on a live account)
      'test/demo/demo.test.ts',
      'test/demo/emulator.test.ts',
      'test/demo/status-html.test.ts',
    ],
    setupFiles: ['test/support/setup.ts', 'test/mutation/fixed-seed.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
