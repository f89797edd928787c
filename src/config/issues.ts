/** The zod issues of a refused configuration, as issues that name the parameter, the value and what is accepted. */
import type * as z from 'zod';
import type { ConfigIssue } from '../core/model/errors.js';
import { DEFAULTS } from './rules.js';

/** The value at `path` in the input as given (undefined where the path leads nowhere). */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Turns zod issues into issues that name the parameter, the value and what is accepted. */
export function toConfigIssues(
  error: z.ZodError,
  input: unknown,
  prefix: readonly string[] = [],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({
          parameter: formatPath([...prefix, ...issue.path, key]),
          value: valueAt(input, [...issue.path, key]),
          message: 'is not a known parameter (check its spelling; names are case-sensitive)',
        });
      }
      continue;
    }
    const value = valueAt(input, issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
      message = value === undefined ? 'is required' : `has the wrong type (${describeType(value)})`;
    }
    const path = [...prefix, ...issue.path];
    // A parameter with a default is at [block, name]. Left out, it takes that default, which its own type
    // accepts: only a rule between parameters (a custom issue) can break there.
    const [, key] = issue.path;
    if (value === undefined && typeof key === 'string' && Object.hasOwn(DEFAULTS, key)) {
      // A rule broken by a parameter left out: the value it broke with is the default, not nothing.
      issues.push({
        parameter: formatPath(path),
        message: `${message} (not set: the default ${String(DEFAULTS[key as keyof typeof DEFAULTS])} applies)`,
      });
      continue;
    }
    if (path.length === 0) {
      // The whole document is wrong (a list, an empty file): say what it must be.
      message = `must be a mapping with a Source or a Destination block, not ${describeType(value)}`;
    }
    issues.push({ parameter: path.length === 0 ? 'configuration' : formatPath(path), value, message });
  }
  return issues;
}

/** `Source.Destinations[1].Account`: list indexes in brackets, as the user writes them. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}
