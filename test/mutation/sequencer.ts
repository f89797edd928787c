// The order in which a mutant's covering test files run in the mutation run (vitest.mutation.config.ts). The
// run stops at the first failing test (bail), so a mutant one quick example test kills should not wait for the
// property tests and the demos first; Vitest's default order is the opposite (the slowest file first). Each
// file keeps every test that covers the mutant: the order changes only how soon a kill is seen.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { compareIds } from '../../src/core/model/order.js';

/** The rank of a test file: the core's example tests, then the other unit tests, the properties, the demos. */
export function mutationRank(file: string): number {
  const path = relative(process.cwd(), file).split('\\').join('/');
  if (path.startsWith('test/core/')) {
    return 0;
  }
  if (path.startsWith('test/unit/property-')) {
    return 2;
  }
  if (path.startsWith('test/unit/')) {
    return 1;
  }
  return 3;
}

export class QuickFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort(
      (a, b) => mutationRank(a.moduleId) - mutationRank(b.moduleId) || compareIds(a.moduleId, b.moduleId),
    );
  }
}
