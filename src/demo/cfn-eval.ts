/**
 * A small evaluator of the CloudFormation intrinsic functions the templates use: what a deployment resolves to
 * (the tests' template checks, and the organization demo's schedule input, which moto's CloudFormation does not
 * make: it creates no Scheduler schedules).
 */

export interface Deployment {
  /** Parameter values given (defaults are taken from the template). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Values of Fn::ImportValue by export name. */
  readonly imports?: Readonly<Record<string, string>>;
  readonly region?: string;
  readonly accountId?: string;
  readonly stackName?: string;
  /** @default aws (aws-cn, aws-us-gov) */
  readonly partition?: string;
}

const URL_SUFFIX: Record<string, string> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

type Template = Record<string, unknown>;
type Json = unknown;

/** Resolves `value` (an expression of `template`) for `deployment`. */
export function evaluate(template: Template, value: Json, deployment: Deployment = {}): Json {
  const params = (template.Parameters ?? {}) as Record<string, { Default?: string }>;
  const conditions = (template.Conditions ?? {}) as Record<string, Json>;
  const pseudo: Record<string, string> = {
    'AWS::Region': deployment.region ?? 'us-east-1',
    'AWS::AccountId': deployment.accountId ?? '123456789012',
    'AWS::Partition': deployment.partition ?? 'aws',
    'AWS::StackName': deployment.stackName ?? 'stack',
    'AWS::StackId': `arn:${deployment.partition ?? 'aws'}:cloudformation:${deployment.region ?? 'us-east-1'}:${deployment.accountId ?? '123456789012'}:stack/${deployment.stackName ?? 'stack'}/6f0e4a10-8d6b-11ef-9c3b-0a1b2c3d4e5f`,
    'AWS::URLSuffix': URL_SUFFIX[deployment.partition ?? 'aws'] ?? 'amazonaws.com',
  };
  const ref = (name: string): string => {
    if (name in pseudo) return pseudo[name] as string;
    const given = deployment.parameters?.[name];
    if (given !== undefined) return given;
    const spec = params[name];
    if (spec?.Default !== undefined) return spec.Default;
    if (spec) throw new Error(`parameter ${name} has no value and no default`);
    return `<resource ${name}>`;
  };
  const condition = (name: string): boolean => {
    if (!(name in conditions)) throw new Error(`unknown condition ${name}`);
    return Boolean(ev(conditions[name]));
  };
  const ev = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(ev);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, Json>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0] as [string, Json];
      const args = arg as Json[];
      switch (fn) {
        case 'Ref':
          return ref(arg as string);
        case 'Fn::Join':
          return (ev(args[1]) as string[]).join(args[0] as string);
        case 'Fn::Sub': {
          const [text, variables] =
            typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, Json>]);
          return text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
            if (bang) return `\${${name}}`;
            if (name in variables) return String(ev(variables[name]));
            if (name.includes('.')) return `<${name}>`;
            return ref(name);
          });
        }
        case 'Fn::Split':
          return String(ev(args[1])).split(args[0] as string);
        case 'Fn::Select':
          return (ev(args[1]) as Json[])[Number(ev(args[0]))];
        case 'Fn::ImportValue': {
          const name = String(ev(arg));
          const imported = deployment.imports?.[name];
          if (imported === undefined) throw new Error(`no export ${name}`);
          return imported;
        }
        case 'Fn::If':
          return condition(args[0] as string) ? ev(args[1]) : ev(args[2]);
        case 'Fn::Equals':
          return ev(args[0]) === ev(args[1]);
        case 'Fn::Not':
          return !ev(args[0]);
        case 'Fn::And':
          return args.every((a) => Boolean(ev(a)));
        case 'Fn::Or':
          return args.some((a) => Boolean(ev(a)));
        case 'Fn::Contains':
          return (ev(args[0]) as Json[]).includes(ev(args[1]));
        case 'Condition':
          return condition(arg as string);
        case 'Fn::GetAtt':
          return `<${(args as string[]).join('.')}>`;
        default:
          if (fn.startsWith('Fn::')) throw new Error(`${fn} is not evaluated here`);
      }
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, ev(x)]));
  };
  return ev(value);
}

/** Whether a resource with a Condition exists in `deployment`. */
export function resourceExists(template: Template, logicalId: string, deployment: Deployment = {}): boolean {
  const resource = (template.Resources as Record<string, { Condition?: string }>)[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId}`);
  if (!resource.Condition) return true;
  return Boolean(evaluate(template, { Condition: resource.Condition }, deployment));
}
