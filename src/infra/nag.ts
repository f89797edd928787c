/**
 * cdk-nag acknowledgments with their reasons, in one place per finding: each names the exact finding
 * (rule and resource), so a new wildcard elsewhere is still reported.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges `rule` for each of `findings` (e.g. `Resource::*`) on `scope` and its children. */
export function acknowledge(
  scope: IConstruct,
  rule: string,
  findings: readonly string[],
  reason: string,
): void {
  const validations = Validations.of(scope);
  if (findings.length === 0) {
    validations.acknowledge({ id: rule, reason });
    return;
  }
  for (const finding of findings) validations.acknowledge({ id: `${rule}[${finding}]`, reason });
}
