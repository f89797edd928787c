// Shared by the state-machine test files: after their executions, every AWS call each function made is simulated against that function's role in the committed templates.
import { describe, expect, it } from 'vitest';
import { destinationRegionsOf, functionRole, refusedCalls } from '../infra/support/call-authorization.js';
import type { Statement } from '../infra/support/iam-simulator.js';
import { committedTemplates } from '../infra/support/role-policies.js';
import { recordedCalls } from '../support/api-recorder.js';

/**
 * Declares, at the end of a test file, the check of the calls recorded by the executions before it.
 *
 * @param expected `<function> <action>` pairs the executions must have made successfully (the check
 *   is only as good as the calls it sees)
 * @param withoutAction permissions removed one at a time, each with a call it must then find refused
 */
export function describeRecordedCallsAllowed(
  expected: readonly string[],
  withoutAction: readonly (readonly [action: string, refusedCall: string])[],
): void {
  describe('IAM: every AWS call the functions made in the executions above, simulated against their role', () => {
    const roleOf = functionRole(committedTemplates());

    it("is allowed by the function's role in the committed templates, on the resource it touched", async () => {
      // The source roles confined to the regions the executions copied to (source-roles DestinationRegions),
      // as a deployment that lists its destinations has them.
      const confined = functionRole(committedTemplates(), destinationRegionsOf(recordedCalls()));
      // Prepare
      const made = new Set(
        recordedCalls()
          .filter((call) => call.error === undefined)
          .map((call) => `${call.fn.name} ${call.action}`),
      );
      // Act
      const refused = await refusedCalls(recordedCalls(), roleOf);
      const refusedConfined = await refusedCalls(recordedCalls(), confined);
      // Assess
      expect([...made]).toEqual(expect.arrayContaining([...expected]));
      expect(refused).toEqual([]);
      expect(refusedConfined).toEqual([]);
    });

    it.each(withoutAction.map(([action, call]) => [action, call] as const))(
      'would be refused on a role without %s (the check can fail)',
      async (action, call) => {
        // Prepare
        const without = (statement: Statement): boolean => ![statement.Action ?? []].flat().includes(action);
        // Act
        const refused = await refusedCalls(recordedCalls(), (fn) => roleOf(fn).filter(without));
        // Assess
        expect(refused.map((verdict) => verdict.call).join('\n')).toContain(call);
      },
    );
  });
}
