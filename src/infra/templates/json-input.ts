/**
 * The state machine input as a JSON text built by CloudFormation from the parameters: optional parameters
 * appear only when set (the state machines test presence, e.g. of Destination.SourceAccount), and
 * backslashes of regular expressions are doubled so the text stays valid JSON.
 */
import { type CfnCondition, Fn, Token } from 'aws-cdk-lib';

export interface InputField {
  readonly key: string;
  /** A string value (usually a parameter reference); quoted in the JSON. */
  readonly value: string;
  /** Present only when this condition holds. */
  readonly condition?: CfnCondition;
  /** The value may contain backslashes (a regular expression). */
  readonly regex?: boolean;
  /**
   * The value is a piece of the block's JSON text (`,"Key":value...`, or empty), inserted as is: `key` only
   * names it.
   */
  readonly fragment?: boolean;
}

/** `value` with each `\` doubled, at deployment time (CloudFormation has no replace; split and join do it). */
export function escapeBackslashes(value: string): string {
  return Fn.join('\\\\', Fn.split('\\', value));
}

/**
 * `{"<side>": {...}}` as a CloudFormation expression, with the keys of `beside` after the block (constants).
 * The other characters a JSON string must escape (quotes, control characters) are excluded by the
 * parameters' allowed patterns.
 */
export function jsonBlockInput(
  side: string,
  fields: readonly InputField[],
  beside: Readonly<Record<string, unknown>> = {},
): string {
  const required = fields.filter((f) => !f.condition && !f.fragment);
  const optional = fields.filter((f) => f.condition || f.fragment);
  if (required.length === 0) throw new Error('an input block needs at least one unconditional field');
  const quoted = (f: InputField): string => (f.regex ? escapeBackslashes(f.value) : f.value);
  const parts: string[] = [`{"${side}":{`];
  required.forEach((f, index) => {
    parts.push(`${index === 0 ? '' : ','}"${f.key}":"`, quoted(f), '"');
  });
  for (const f of optional) {
    if (f.fragment) {
      parts.push(f.value);
      continue;
    }
    const present = Fn.join('', [`,"${f.key}":"`, quoted(f), '"']);
    parts.push(Token.asString(Fn.conditionIf((f.condition as CfnCondition).logicalId, present, '')));
  }
  parts.push('}');
  for (const [key, value] of Object.entries(beside))
    parts.push(`,${JSON.stringify(key)}:${JSON.stringify(value)}`);
  parts.push('}');
  return Fn.join('', parts);
}
