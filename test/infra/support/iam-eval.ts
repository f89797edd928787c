// A small IAM evaluator (Allow/Deny, wildcards, the condition operators the templates use), to try requests against the policies.

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
  readonly Sid?: string;
}

export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request, e.g. `aws:ResourceTag/CreatedBy`. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function glob(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value);
}

function conditionHolds(operator: string, key: string, expected: string[], request: Request): boolean {
  const actual = request.context?.[key];
  const values = actual === undefined ? [] : typeof actual === 'string' ? [actual] : [...actual];
  if (values.length === 0) return false;
  switch (operator) {
    case 'StringEquals':
      return values.every((v) => expected.includes(v));
    case 'StringLike':
      return values.every((v) => expected.some((e) => glob(e, v)));
    case 'Bool':
      return values.every((v) => expected.map(String).includes(v));
    case 'ForAnyValue:StringEquals':
      return values.some((v) => expected.includes(v));
    default:
      throw new Error(`condition operator ${operator} is not evaluated here`);
  }
}

export function statementMatches(statement: Statement, request: Request): boolean {
  if (statement.NotAction) throw new Error('NotAction is not evaluated here');
  const actionOk = list(statement.Action).some((a) => glob(a, request.action, true));
  const resourceOk = list(statement.Resource).some((r) => glob(r, request.resource));
  if (!actionOk || !resourceOk) return false;
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      if (!conditionHolds(operator, key, list(expected as string | string[]).map(String), request))
        return false;
    }
  }
  return true;
}

/** True when some statement allows the request and none denies it. */
export function allows(statements: readonly Statement[], request: Request): boolean {
  const matching = statements.filter((s) => statementMatches(s, request));
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}
