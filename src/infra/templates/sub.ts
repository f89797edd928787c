/**
 * Rewrites CDK's `Fn::Join` with an empty delimiter into `Fn::Sub`, the form people read and write in
 * templates (and cfn-lint's I1022 asks for): references become `${Name}` / `${Resource.Attribute}`, any
 * other expression becomes a named variable of the Sub (one per distinct expression).
 */

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function single(value: Json): [string, Json] | undefined {
  if (!isObject(value)) return undefined;
  const entries = Object.entries(value);
  return entries.length === 1 ? (entries[0] as [string, Json]) : undefined;
}

function joinToSub(parts: Json[]): Json {
  let text = '';
  const variables: Record<string, Json> = {};
  for (const part of parts) {
    const fn = single(part);
    if (typeof part === 'string') {
      // A literal `${` would start a substitution: Sub writes it `${!`.
      text += part.replaceAll('${', '${!');
    } else if (fn?.[0] === 'Fn::Sub' && typeof fn[1] === 'string') {
      // An inner Sub without variables is the same text: inline it.
      text += fn[1];
    } else if (fn?.[0] === 'Ref' && typeof fn[1] === 'string') {
      text += `\${${fn[1]}}`;
    } else if (
      fn?.[0] === 'Fn::GetAtt' &&
      Array.isArray(fn[1]) &&
      fn[1].every((x) => typeof x === 'string')
    ) {
      text += `\${${(fn[1] as string[]).join('.')}}`;
    } else {
      // The same expression twice (a function invoked from two states) is one variable.
      const same = Object.entries(variables).find(([, v]) => JSON.stringify(v) === JSON.stringify(part));
      const name = same?.[0] ?? `Part${Object.keys(variables).length + 1}`;
      variables[name] = part;
      text += `\${${name}}`;
    }
  }
  return Object.keys(variables).length === 0 ? { 'Fn::Sub': text } : { 'Fn::Sub': [text, variables] };
}

/** A copy of `value` with every `Fn::Join` on `''` rewritten as `Fn::Sub`, innermost first. */
export function joinsToSubs(value: Json): Json {
  if (Array.isArray(value)) return value.map(joinsToSubs);
  if (!isObject(value)) return value;
  const rewritten = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, joinsToSubs(v)]));
  const fn = single(rewritten);
  if (fn?.[0] === 'Fn::Join' && Array.isArray(fn[1]) && fn[1][0] === '' && Array.isArray(fn[1][1])) {
    return joinToSub(fn[1][1] as Json[]);
  }
  return rewritten;
}
