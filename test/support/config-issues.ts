import { expect } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError, type ConfigIssue } from '../../src/core/model/errors.js';

/** The issues parseConfig reports for `input`; fails the test when it accepts it or throws anything else. */
export function configIssues(input: unknown): ConfigIssue[] {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(input)}`);
}
