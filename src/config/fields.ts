/**
 * The zod schema of each parameter in a block, built from its entry in the parameter table: the parser of
 * its type, then its default in that block, or optional, or required.
 */
import type * as z from 'zod';
import { destinations } from './destinations.js';
import {
  type Block,
  type BlockEntry,
  blockParameters,
  type DefaultIn,
  defaultIn,
  type ParameterEntry,
  type ParameterType,
  requiredIn,
} from './parameters.js';
import {
  accountId,
  booleanParam,
  callAs,
  clusterTags,
  codeBucket,
  codePrefix,
  cron,
  excludePattern,
  instanceClass,
  integerParam,
  kmsKey,
  logLevel,
  organizationalUnits,
  organizationId,
  ownKmsKey,
  parameterGroups,
  pattern,
  region,
  regions,
  securityGroups,
  sharedKeyArn,
  stackSetName,
  subnetGroup,
  tags,
  timeZone,
} from './rules.js';

/** The parser of each type but whole numbers (whose parser is built from the entry's bounds and unit). */
const PARSERS = {
  boolean: () => booleanParam,
  region: () => region,
  account: () => accountId,
  organizationId: () => organizationId,
  pattern: () => pattern,
  excludePattern: () => excludePattern,
  clusterTags: () => clusterTags,
  tags: () => tags,
  kmsKey: () => kmsKey,
  ownKmsKey: () => ownKmsKey,
  sharedKeyArn: () => sharedKeyArn,
  cron: () => cron,
  timeZone: () => timeZone,
  logLevel: () => logLevel,
  destinations: () => destinations,
  securityGroups: () => securityGroups,
  subnetGroup: () => subnetGroup,
  instanceClass: () => instanceClass,
  parameterGroups: () => parameterGroups,
  stackSetName: () => stackSetName,
  organizationalUnits: () => organizationalUnits,
  regions: () => regions,
  codeBucket: () => codeBucket,
  codePrefix: () => codePrefix,
  callAs: () => callAs,
} as const satisfies Record<Exclude<ParameterType, 'integer'>, () => z.ZodType>;

type Parser<T extends ParameterType> = T extends keyof typeof PARSERS
  ? ReturnType<(typeof PARSERS)[T]>
  : ReturnType<typeof integerParam>;

type FieldOf<E, B extends Block> = E extends { readonly type: infer T extends ParameterType }
  ? [DefaultIn<E, B>] extends [never]
    ? E extends { readonly appliesTo: { readonly [K in B]: { readonly required: false } } }
      ? z.ZodOptional<Parser<T>>
      : E extends { readonly required: true }
        ? Parser<T>
        : z.ZodOptional<Parser<T>>
    : z.ZodDefault<Parser<T>>
  : never;

/** The schema shape of a block: one field per parameter that applies to it. */
export type ShapeOf<B extends Block> = { -readonly [E in BlockEntry<B> as E['name']]: FieldOf<E, B> };

/** The schema of one parameter in `block`. */
function fieldOf(entry: ParameterEntry, block: Block): z.ZodType {
  const parser: z.ZodType =
    entry.type === 'integer' ? integerParam(entry.min, entry.max, entry.unit) : PARSERS[entry.type]();
  const value = defaultIn(entry, block);
  if (value !== undefined) return parser.default(value as never);
  if (requiredIn(entry, block)) return parser;
  const optional = parser.optional();
  return entry.schemaDescription === undefined ? optional : optional.describe(entry.schemaDescription);
}

/** The shape of `block`'s schema, its fields in the block's order (the order of the parsed block's keys). */
export function shapeOf<B extends Block>(block: B): ShapeOf<B> {
  return Object.fromEntries(
    blockParameters(block).map((entry) => [entry.name, fieldOf(entry, block)]),
  ) as ShapeOf<B>;
}
