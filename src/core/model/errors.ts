/**
 * Typed errors of the tool. Each has a stable `name` so callers, and the Step Functions
 * state machines (which match on `Error`), can branch on it; messages say what to do next.
 */

/**
 * Every name a ToolError can carry: what the handlers throw and the state machines branch on. Declared
 * as data so that the state machines' error contract is tested against each of them.
 */
export const TOOL_ERROR_NAMES = [
  'ConfigError',
  'SnapshotQuotaExceeded',
  'SnapshotAlreadyExists',
  'SnapshotNotFound',
  'SnapshotNotReady',
  'SnapshotFailed',
  'SnapshotTimedOut',
  'CopyLimitReached',
  'KmsKeyNotAccessible',
  'EncryptionKeyRequired',
  'ThrottlingError',
  'TransientAwsError',
  'AccessDenied',
  'ServiceLinkedRoleMissing',
  'CredentialsError',
  'EndpointUnreachable',
  'AwsRequestError',
  'RestoreNotReady',
  'RestoreFailed',
  'RestoreTimedOut',
  'ResourceAlreadyExists',
  'ResourceNotFound',
  'ResourceBusy',
] as const;

export type ToolErrorName = (typeof TOOL_ERROR_NAMES)[number];

export class ToolError extends Error {
  /** Extra data that helps a caller act (snapshot id, cluster, region...). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    name: ToolErrorName,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.details = options.details ?? {};
  }
}

/** One problem found in a configuration: which parameter, the value given, and what is accepted. */
export interface ConfigIssue {
  /** Dotted path of the parameter, e.g. `Source.BackupInterval`. */
  readonly parameter: string;
  /** The value given; left out when the problem is not one value (a file that is not YAML). */
  readonly value?: unknown;
  readonly message: string;
}

export class ConfigError extends ToolError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super('ConfigError', issues.map(formatConfigIssue).join('\n'), { details: { issues } });
    this.issues = issues;
  }
}

export function formatConfigIssue(issue: ConfigIssue): string {
  if (!('value' in issue)) return `${issue.parameter}: ${issue.message}`;
  const shown = issue.value === undefined ? '(missing)' : JSON.stringify(issue.value);
  return `${issue.parameter}: ${issue.message} (got ${shown})`;
}

export function isToolError(error: unknown, name?: ToolErrorName): error is ToolError {
  return error instanceof ToolError && (name === undefined || error.name === name);
}
