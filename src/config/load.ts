/** Reads a configuration file (YAML or JSON) and validates it with the one schema. */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/model/errors.js';
import { type Config, parseConfig } from './schema.js';

/** Loads and validates `path`; every problem (unreadable file, bad YAML, bad value) is a ConfigError. */
export async function loadConfigFile(path: string): Promise<Config> {
  return parseConfig(await readConfigFile(path));
}

/** The parsed YAML or JSON of `path`, not yet validated; an unreadable file or bad YAML is a ConfigError. */
export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      {
        parameter: '--config',
        value: path,
        message:
          code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? (error as Error).message})`,
      },
    ]);
  }
  return parseConfigText(text, path);
}

/** Parses YAML (a superset of JSON); YAML 1.2 core schema, so TRUE/FALSE stay strings for the schema to read. */
export function parseConfigText(text: string, source = '--config'): unknown {
  try {
    // yaml's defaults: YAML 1.2 core schema, repeated keys refused, errors with their line and column.
    return parseYaml(text);
  } catch (error) {
    // Stryker disable next-line StringLiteral: equivalent, unreachable: split returns at least one part, so [0] is never undefined
    const message = (error as Error).message.split('\n')[0] ?? 'invalid YAML';
    throw new ConfigError([{ parameter: source, message: `is not valid YAML or JSON: ${message}` }]);
  }
}
