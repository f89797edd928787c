// What the guides' command lines say: shell words, and whether the parameter values an `aws cloudformation deploy` gives are the template's, with values it accepts.

export interface ParameterDef {
  Default?: string;
  AllowedPattern?: string;
  AllowedValues?: string[];
}

type Template = Record<string, unknown>;

export function parametersOf(template: Template): Record<string, ParameterDef> {
  return (template.Parameters ?? {}) as Record<string, ParameterDef>;
}

export function accepts(def: ParameterDef, value: string): boolean {
  return def.AllowedValues
    ? def.AllowedValues.includes(value)
    : new RegExp(def.AllowedPattern as string).test(value);
}

/** Whether deploying the template needs CAPABILITY_IAM (it creates IAM resources). */
export function needsIam(template: Template): boolean {
  return Object.values(template.Resources as Record<string, { Type: string }>).some((r) =>
    r.Type.startsWith('AWS::IAM::'),
  );
}

/** Whether the template names an IAM resource (a role with a RoleName): CloudFormation then asks for CAPABILITY_NAMED_IAM. */
export function needsNamedIam(template: Template): boolean {
  return Object.values(template.Resources as Record<string, { Type: string; Properties?: object }>).some(
    (r) => r.Type === 'AWS::IAM::Role' && r.Properties !== undefined && 'RoleName' in r.Properties,
  );
}

/** Checks a set of parameter values against a template: known names, accepted values, required ones given. */
export function problemsWith(name: string, template: Template, values: Record<string, string>): string[] {
  const params = parametersOf(template);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const def = params[key];
    if (!def) problems.push(`${key} is not a parameter of ${name}`);
    else if (!accepts(def, value)) problems.push(`${key}=${JSON.stringify(value)} is refused by ${name}`);
  }
  for (const [key, def] of Object.entries(params)) {
    if (def.Default === undefined && !(key in values))
      problems.push(`${key} (required) is missing for ${name}`);
  }
  return problems;
}

/** Words of a shell command line (quotes removed, backslash-newlines joined). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let inWord = false;
  for (const ch of command.replace(/\\\n/g, ' ')) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The `--parameter-overrides Key=value ...` of a deploy command, as a map. */
export function parameterOverrides(words: readonly string[]): Record<string, string> {
  const start = words.indexOf('--parameter-overrides');
  const overrides = start < 0 ? [] : words.slice(start + 1).filter((w) => !w.startsWith('--'));
  return Object.fromEntries(overrides.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
}
