import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    // One moto server per worker, started on first use (test/support/moto-broker.ts); the Lambda bundles built
    // once for the run (test/support/bundle-cache.ts).
    globalSetup: ['test/support/moto-broker.ts', 'test/support/bundle-cache.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker imports the SDK, the CDK and the product once for all its files instead of once per file:
    // importing was a third of the suite's worker time. Files share no state but what setup.ts resets after
    // each (the handlers' injected clock and stores), the keyed client caches, and the worker's moto, which a
    // file empties when it starts using it (the files of a worker run one after another).
    isolate: false,
    // Vitest's default (one fewer than the cores) is a single worker on two cores. The tests wait on moto,
    // child processes (tsc, cfn-lint, npm, Node 22) and the network as much as they compute: on two cores a
    // worker per core left a quarter of the CPU idle, and three workers ran the suite 16% faster (four, slower).
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
