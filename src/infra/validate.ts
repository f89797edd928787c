/**
 * Validation of the constructs' props with the one configuration schema, so a CDK app fails at synthesis
 * with the same messages as the CLI, naming the prop. Values that are CDK tokens (CloudFormation
 * parameters, pseudo parameters) are only known at deployment and are left to the functions.
 */
import { Token } from 'aws-cdk-lib';
import type { z } from 'zod';
import { parseConfig, toConfigIssues } from '../config/schema.js';
import { ConfigError, type ConfigIssue, isToolError } from '../core/model/errors.js';

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
  side: 'Source' | 'Destination' | 'RestoreDrill',
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
  // `Source.Destinations[1].Account` becomes `destinations[1].account`: the prop, then camelCased fields.
  const rename = (issues: readonly ConfigIssue[]): ConfigIssue[] =>
    issues.map((issue) => {
      const path = issue.parameter.split('.');
      if (path[0] === side) path.shift();
      const [first = '', ...rest] = path;
      const [, name = first, index = ''] = /^([^[]*)(\[.*)?$/.exec(first) ?? [];
      const fields = rest.map((field) => (index ? camelCase(field) : field));
      return { ...issue, parameter: [`${propOf(name)}${index}`, ...fields].join('.') };
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
      (issue) => !tokens.has(issue.parameter.split('.')[0]?.replace(/\[.*$/, '') ?? ''),
    );
    if (issues.length > 0) throw new ConfigError(rename(issues));
  }
  return Object.fromEntries(given.map((f) => [f.parameter, f.value]));
}

/** A token, or a list or object holding one (a destinations item whose region is a parameter). */
function isToken(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(isToken);
  if (value && typeof value === 'object') return Object.values(value).some(isToken);
  return false;
}

function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Every prop a construct accepts, as a record so the compiler checks the list against the props type. */
export type AcceptedProps<P> = Readonly<Record<keyof P, true>>;

/**
 * Refuses props the construct does not know. A plain-JavaScript app has no type checker: a misspelt
 * optional prop (`retentionDay`) would otherwise be ignored and its default used without a word.
 * @throws ConfigError with one issue per unknown prop, naming it and listing the accepted ones.
 */
export function refuseUnknownProps<P>(construct: string, props: P, accepted: AcceptedProps<P>): void {
  if (typeof props !== 'object' || props === null) return;
  const known = Object.keys(accepted).sort();
  const unknown = Object.keys(props).filter((key) => !Object.hasOwn(accepted, key));
  if (unknown.length === 0) return;
  throw new ConfigError(
    unknown.map((prop) => {
      const near = closest(prop, known);
      return {
        parameter: prop,
        value: shown((props as Record<string, unknown>)[prop]),
        message: `is not a prop of ${construct}${near ? ` (did you mean ${near}?)` : ''}; accepted: ${known.join(', ')}`,
      };
    }),
  );
}

/** Primitives as given; objects (roles, topics...) by kind only, since they may be large or circular. */
function shown(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '<function>' : value;
  return Array.isArray(value) ? '<array>' : '<object>';
}

/** The accepted prop within two edits (case ignored) of a misspelt one, if exactly one is. */
function closest(prop: string, known: readonly string[]): string | undefined {
  const near = known.filter((k) => editDistance(prop.toLowerCase(), k.toLowerCase()) <= 2);
  return near.length === 1 ? near[0] : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
