// Typed access to asl-validator (a CommonJS package without type declarations) for the definition tests.
import { createRequire } from 'node:module';
import type { StateMachineDefinition } from '../../src/state-machines/asl.js';

interface ValidationResult {
  isValid: boolean;
  errors: { message?: string; path?: string }[];
  errorsText: (separator?: string) => string;
}

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => ValidationResult;

/** Validates a definition; `errors` is empty when it is valid. */
export function validateDefinition(definition: StateMachineDefinition): { isValid: boolean; errors: string } {
  const result = aslValidator(JSON.parse(JSON.stringify(definition)), { checkPaths: true, checkArn: true });
  return { isValid: result.isValid, errors: result.isValid ? '' : result.errorsText('\n') };
}
