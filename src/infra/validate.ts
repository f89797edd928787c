/**
 * Validation of the constructs' props with the one configuration schema, so a CDK app fails at synthesis
 * with the same messages as the CLI, naming the prop. Values that are CDK tokens (CloudFormation
 * parameters, pseudo parameters) are only known at deployment and are left to the functions.
 */
import { Token } from 'aws-cdk-lib';
import type { z } from 'zod';
import { parseConfig, toConfigIssues } from '../config/schema.js';
import { ConfigError, type ConfigIssue, isToolError } from '../core/errors.js';

/** One configuration parameter and the construct prop it comes from. */
export interface BlockField {
  /** The seed's parameter name, e.g. `BackupInterval`. */
  readonly parameter: string;
  /** The construct prop name, e.g. `backupInterval`. */
  readonly prop: string;
  readonly value: unknown;
}

/**
 * Validates a configuration block given as construct props and returns the block the functions receive
 * (the seed's parameter names; defaults filled in when nothing is a token).
 * @throws ConfigError whose issues name the props.
 */
export function validateBlock(
  side: 'Source' | 'Destination',
  schema: z.ZodType,
  fields: readonly BlockField[],
): Record<string, unknown> {
  const given = fields.filter((f) => f.value !== undefined);
  const tokens = new Set(given.filter((f) => isToken(f.value)).map((f) => f.parameter));
  const literal = Object.fromEntries(
    given.filter((f) => !tokens.has(f.parameter)).map((f) => [f.parameter, f.value]),
  );
  const propOf = (parameter: string): string =>
    fields.find((f) => f.parameter === parameter)?.prop ?? parameter;
  const rename = (issues: readonly ConfigIssue[]): ConfigIssue[] =>
    issues.map((issue) => {
      const path = issue.parameter.split('.');
      if (path[0] === side) path.shift();
      const [first, ...rest] = path;
      return { ...issue, parameter: [propOf(first ?? ''), ...rest].join('.') };
    });

  if (tokens.size === 0) {
    // Whole-block rules (DestinationRegion against Region, key regions...) need every value.
    try {
      const parsed = parseConfig({ [side]: literal });
      return { ...(parsed[side] as Record<string, unknown>) };
    } catch (error) {
      if (isToolError(error, 'ConfigError')) throw new ConfigError(rename((error as ConfigError).issues));
      throw error;
    }
  }
  const result = schema.safeParse(literal);
  if (!result.success) {
    const issues = toConfigIssues(result.error, literal).filter(
      (issue) => !tokens.has(issue.parameter.split('.')[0] ?? ''),
    );
    if (issues.length > 0) throw new ConfigError(rename(issues));
  }
  return Object.fromEntries(given.map((f) => [f.parameter, f.value]));
}

function isToken(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}
