// Vitest sequencer: the end-to-end files that take the longest start first, each on a worker of its own,
// while the other workers go through the rest; started last (as on a clean clone, where Vitest has no
// durations yet and orders by file size), one of them would be the tail the whole run waits for.
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

/** The longest files of `npm test`, longest first (durations on two cores). */
export const SLOW_FILES: readonly string[] = [
  // packs the repository, installs it into a new project and runs it on Node 22 (about a minute)
  'test/package/consumer.test.ts',
  // a simulated week of throttled passes
  'test/reliability/throttling-week.test.ts',
  // bundles the six functions with esbuild and runs them on Node 22
  'test/unit/handler-package.test.ts',
  // `npm run bench` at its smallest sizes
  'test/bench/bench-smoke.test.ts',
  // the CDK app synthesized and linted
  'test/infra/cfn-lint.test.ts',
  // the demo end to end, with Chromium when installed
  'test/demo/demo.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const index = SLOW_FILES.findIndex((file) => spec.moduleId.endsWith(file));
      return index === -1 ? SLOW_FILES.length : index;
    };
    // Array.prototype.sort is stable: the rest keep Vitest's own order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
