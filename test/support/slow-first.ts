// Vitest sequencer: the end-to-end files that take the longest start first, each on a worker of its own,
// while the other workers go through the rest; started last (as on a clean clone, where Vitest has no
// durations yet and orders by file size), one of them would be the tail the whole run waits for.
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

/** The longest files of `npm test`, longest first (their durations on two cores: from Vitest's JSON report). */
export const SLOW_FILES: readonly string[] = [
  // packs the repository, installs it into a new project and runs it on Node 22
  'test/package/consumer.test.ts',
  // `npm run bench` at its smallest sizes
  'test/bench/bench-smoke.test.ts',
  // tsc over the whole project, in a child process (one core for about 20 s)
  'test/unit/typecheck.test.ts',
  // synthesizes the CDK app of a configuration file, with cdk-nag
  'test/infra/infra-app.test.ts',
  // nine histories of six runs each, one killed
  'test/reliability/crash-fan-out.test.ts',
  // bundles the ten functions with esbuild and runs them on Node 22
  'test/unit/handler-package.test.ts',
  // cfn-lint over the templates and the synthesized stacks
  'test/infra/cfn-lint.test.ts',
  'test/infra/constructs.test.ts',
  'test/reliability/crash-recovery.test.ts',
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
