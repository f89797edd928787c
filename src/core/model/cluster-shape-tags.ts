/**
 * A cluster's shape written into a snapshot's tags and read back. Tag values take only letters, digits,
 * spaces and `_ . : / = + - @` and at most 256 characters, so the shape is written as compact JSON (short
 * keys, below), in UTF-8, in base64url, cut into parts of 256 characters: `SnapshotTool:Shape:1`,
 * `SnapshotTool:Shape:2`... A header tag, `SnapshotTool:Shape` = `v1 parts=3 check=<hash>`, names the
 * format's version, the number of parts and a hash of their text, so a lost or mixed part is noticed.
 * RDS allows 50 tags on a snapshot, the tool's own included: the shape takes at most SHAPE_TAG_BUDGET of them,
 * leaves out the cluster's own tags (and says so) when that is what makes it fit, and is not recorded at all
 * rather than crowd out a tag the tool needs.
 */

import { fromBase64Url, toBase64Url } from './base64url.js';
import type { ClusterShape, InstanceShape } from './cluster-shape.js';
import type { Tags } from './model.js';
import { shortHash } from './naming.js';
import { MAX_TAG_VALUE_LENGTH, MAX_TAGS_PER_RESOURCE, TAG } from './tags.js';

/** The most tags a shape takes on a snapshot: the header and up to 11 parts (2,816 characters of base64url). */
export const SHAPE_TAG_BUDGET = 12;

/**
 * Tags the tool may add to a snapshot after taking it, or to its copies beyond the snapshot's own: SharedWith,
 * RestoreVerified, RestoreMinutes, and a copy's CopiedBy and SourceSnapshot (it drops CreatedBy).
 */
export const TAGS_ADDED_LATER = 4;

/** The only version of the format this tool writes; shapeFromTags refuses the others by name. */
export const SHAPE_FORMAT_VERSION = 1;

/** The tag holding part `n` (from 1) of the encoded shape. */
export function shapePartKey(n: number): string {
  return `${TAG.Shape}:${n}`;
}

/** True for the shape's header and its parts. */
export function isShapeTag(key: string): boolean {
  return key === TAG.Shape || key.startsWith(`${TAG.Shape}:`);
}

/** The tags without the shape's. */
export function withoutShapeTags(tags: Tags): Tags {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !isShapeTag(key)));
}

/**
 * How many tags a snapshot that already carries `tags` has left for the shape: SHAPE_TAG_BUDGET at most,
 * keeping TAGS_ADDED_LATER free under RDS's 50.
 */
export function shapeTagRoom(tags: Tags): number {
  const used = Object.keys(withoutShapeTags(tags)).length;
  return Math.max(0, Math.min(SHAPE_TAG_BUDGET, MAX_TAGS_PER_RESOURCE - TAGS_ADDED_LATER - used));
}

export type ShapeEncoding =
  | {
      readonly ok: true;
      readonly tags: Tags;
      /** True when the cluster's own tags were left out to fit. */
      readonly tagsOmitted: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/** The tags that record `shape` in at most `maxTags` tags (the header included). */
export function shapeToTags(shape: ClusterShape, maxTags: number = SHAPE_TAG_BUDGET): ShapeEncoding {
  const full = encode(shape);
  if (full.length + 1 <= maxTags) return { ok: true, tags: tagsOf(full), tagsOmitted: false };
  if (Object.keys(shape.tags).length > 0) {
    const lean = encode({ ...shape, tags: {}, tagsOmitted: true });
    if (lean.length + 1 <= maxTags) return { ok: true, tags: tagsOf(lean), tagsOmitted: true };
    return {
      ok: false,
      reason: `the shape of ${shape.clusterId} needs ${lean.length + 1} tags even without the cluster's tags, more than the ${maxTags} the snapshot has room for`,
    };
  }
  return {
    ok: false,
    reason: `the shape of ${shape.clusterId} needs ${full.length + 1} tags, more than the ${maxTags} the snapshot has room for`,
  };
}

export type ShapeReading =
  | { readonly shape: ClusterShape; readonly code?: undefined; readonly reason?: undefined }
  | {
      readonly shape: undefined;
      /** `absent`: no shape tags; `unsupported-version`: written by another version of the format; `corrupt`: anything else. */
      readonly code: 'absent' | 'unsupported-version' | 'corrupt';
      readonly reason: string;
    };

const HEADER = /^v(\d+) parts=(\d+) check=([0-9a-z]+)$/;

/** The most parts a snapshot can hold: its tags but the header. */
const MAX_SHAPE_PARTS = MAX_TAGS_PER_RESOURCE - 1;

/** The shape recorded in `tags`, or why there is none. Never throws, whatever the tags hold. */
export function shapeFromTags(tags: Tags): ShapeReading {
  try {
    return read(tags);
  } catch (error) {
    // read() checks what it meets; this is the last guard of the promise above.
    return corrupt(
      `the shape tags cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function read(tags: Tags): ShapeReading {
  const header = tags[TAG.Shape];
  if (header === undefined) {
    const parts = Object.keys(tags).filter(isShapeTag);
    return parts.length === 0
      ? { shape: undefined, code: 'absent', reason: 'the snapshot records no cluster shape' }
      : corrupt(`${parts.sort().join(', ')} without the ${TAG.Shape} tag`);
  }
  const match = HEADER.exec(header);
  if (match === null)
    return corrupt(`${TAG.Shape} is ${JSON.stringify(header)}, not "v<version> parts=<n> check=<hash>"`);
  // The pattern's three groups are not optional: each is a string when it matches.
  const [, version, count, check] = match as RegExpExecArray & [string, string, string, string];
  if (Number(version) !== SHAPE_FORMAT_VERSION) {
    return {
      shape: undefined,
      code: 'unsupported-version',
      reason: `the shape is in format v${version}; this version of the tool reads v${SHAPE_FORMAT_VERSION}`,
    };
  }
  const parts = Number(count);
  if (parts < 1 || parts > MAX_SHAPE_PARTS) return corrupt(`${TAG.Shape} names ${count} parts`);
  let text = '';
  for (let n = 1; n <= parts; n++) {
    const part = tags[shapePartKey(n)];
    if (part === undefined)
      return corrupt(`${shapePartKey(n)} is missing (${TAG.Shape} names ${parts} parts)`);
    text += part;
  }
  const extra = Object.keys(tags).filter(
    (key) => isShapeTag(key) && key !== TAG.Shape && !isPartWithin(key, parts),
  );
  if (extra.length > 0)
    return corrupt(`${extra.sort().join(', ')} beyond the ${parts} parts ${TAG.Shape} names`);
  if (shortHash(text) !== check) return corrupt('the parts do not match the check in the header');
  const bytes = fromBase64Url(text);
  if (bytes === undefined) return corrupt('the parts are not base64url');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return corrupt('the parts are not the UTF-8 text of a JSON document');
  }
  const shape = fromWire(json);
  return typeof shape === 'string' ? corrupt(shape) : { shape };
}

function isPartWithin(key: string, parts: number): boolean {
  const n = key.slice(TAG.Shape.length + 1);
  return /^[1-9]\d*$/.test(n) && Number(n) <= parts;
}

function corrupt(reason: string): ShapeReading {
  return { shape: undefined, code: 'corrupt', reason };
}

/** The base64url parts of a shape, each at most a tag value long. */
function encode(shape: ClusterShape): string[] {
  const text = toBase64Url(new TextEncoder().encode(JSON.stringify(toWire(shape))));
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += MAX_TAG_VALUE_LENGTH) {
    parts.push(text.slice(start, start + MAX_TAG_VALUE_LENGTH));
  }
  return parts;
}

function tagsOf(parts: readonly string[]): Tags {
  const tags: Record<string, string> = {
    [TAG.Shape]: `v${SHAPE_FORMAT_VERSION} parts=${parts.length} check=${shortHash(parts.join(''))}`,
  };
  parts.forEach((part, index) => {
    tags[shapePartKey(index + 1)] = part;
  });
  return tags;
}

// ---- the JSON written: short keys, so a cluster of 16 instances fits -----------------------------------
//
// cluster: c clusterId, e engine, ev engineVersion, i instances, s serverlessV2 ({ n: min, x: max }),
//   cpg clusterParameterGroup, iam iamDatabaseAuthentication, log logExports, dp deletionProtection,
//   bt backtrackWindowSeconds, p port, sn dbSubnetGroup, sg vpcSecurityGroupIds, t tags, to tagsOmitted
// instance: i id, c instanceClass, w writer, t promotionTier, pg parameterGroup, pi performanceInsights;
//   after the first, c, t, pg and pi are left out when they equal the previous instance's, and null when the
//   previous instance has one and this one has none (instances of a cluster mostly share class and group).
// Absent optional fields are left out. The format's version is in the header, not in the JSON.

type Wire = Record<string, unknown>;

function toWire(shape: ClusterShape): Wire {
  return {
    c: shape.clusterId,
    e: shape.engine,
    ev: shape.engineVersion,
    i: instancesToWire(shape.instances),
    s:
      shape.serverlessV2 === undefined ? undefined : { n: shape.serverlessV2.min, x: shape.serverlessV2.max },
    cpg: shape.clusterParameterGroup,
    iam: shape.iamDatabaseAuthentication,
    log: shape.logExports,
    dp: shape.deletionProtection,
    bt: shape.backtrackWindowSeconds,
    p: shape.port,
    sn: shape.dbSubnetGroup,
    sg: shape.vpcSecurityGroupIds,
    t: shape.tags,
    to: shape.tagsOmitted,
  };
}

const CARRIED = [
  ['c', 'instanceClass'],
  ['t', 'promotionTier'],
  ['pg', 'parameterGroup'],
  ['pi', 'performanceInsights'],
] as const;

function instancesToWire(instances: readonly InstanceShape[]): Wire[] {
  return instances.map((instance, index) => {
    const previous = instances[index - 1];
    const item: Wire = { i: instance.id, w: instance.writer };
    for (const [key, field] of CARRIED) {
      const value = instance[field];
      if (previous === undefined) item[key] = value;
      else if (value !== previous[field]) item[key] = value ?? null;
    }
    return item;
  });
}

/** The instances of a parsed document: each field carried from the previous instance when left out. */
function instancesFromWire(list: readonly unknown[], w: WireReader): InstanceShape[] {
  const instances: InstanceShape[] = [];
  let previous: Record<string, unknown> = {};
  list.forEach((item: unknown, index) => {
    if (!isRecord(item)) {
      w.fail(`instance ${index} is not an object`);
      return;
    }
    const full: Record<string, unknown> = { ...previous, ...item };
    for (const [key] of CARRIED) if (full[key] === null) delete full[key];
    previous = full;
    const r = new WireReader(full, `instance ${index}`, w);
    const promotionTier = r.optionalNumber('t');
    const parameterGroup = r.optionalString('pg');
    const performanceInsights = r.optionalBoolean('pi');
    instances.push({
      id: r.string('i'),
      instanceClass: r.string('c'),
      writer: r.boolean('w'),
      ...(promotionTier === undefined ? {} : { promotionTier }),
      ...(parameterGroup === undefined ? {} : { parameterGroup }),
      ...(performanceInsights === undefined ? {} : { performanceInsights }),
    });
  });
  return instances;
}

/** The shape in a parsed document, or what is wrong with it. */
function fromWire(json: unknown): ClusterShape | string {
  if (!isRecord(json)) return 'the shape is not a JSON object';
  const w = new WireReader(json, 'shape');
  const list = json.i;
  let instances: InstanceShape[] = [];
  if (Array.isArray(list)) instances = instancesFromWire(list, w);
  else w.fail('i (instances) is not a list');
  const serverless = json.s;
  let serverlessV2: { min: number; max: number } | undefined;
  if (serverless !== undefined) {
    if (isRecord(serverless)) {
      const r = new WireReader(serverless, 's (serverlessV2)', w);
      serverlessV2 = { min: r.number('n'), max: r.number('x') };
    } else w.fail('s (serverlessV2) is not an object');
  }
  const tags = json.t;
  if (!isRecord(tags) || !Object.values(tags).every((value) => typeof value === 'string')) {
    w.fail('t (tags) is not a mapping of strings');
  }
  const clusterParameterGroup = w.optionalString('cpg');
  const backtrackWindowSeconds = w.optionalNumber('bt');
  const port = w.optionalNumber('p');
  const dbSubnetGroup = w.optionalString('sn');
  const vpcSecurityGroupIds = w.optionalStrings('sg');
  const tagsOmitted = w.optionalBoolean('to');
  const shape: ClusterShape = {
    version: 1,
    clusterId: w.string('c'),
    engine: w.string('e'),
    engineVersion: w.string('ev'),
    instances,
    ...(serverlessV2 === undefined ? {} : { serverlessV2 }),
    ...(clusterParameterGroup === undefined ? {} : { clusterParameterGroup }),
    iamDatabaseAuthentication: w.boolean('iam'),
    logExports: w.strings('log'),
    deletionProtection: w.boolean('dp'),
    ...(backtrackWindowSeconds === undefined ? {} : { backtrackWindowSeconds }),
    ...(port === undefined ? {} : { port }),
    ...(dbSubnetGroup === undefined ? {} : { dbSubnetGroup }),
    ...(vpcSecurityGroupIds === undefined ? {} : { vpcSecurityGroupIds }),
    tags: isRecord(tags) ? (tags as Record<string, string>) : {},
    ...(tagsOmitted === undefined ? {} : { tagsOmitted }),
  };
  return w.problems.length === 0 ? shape : `the shape is not as written: ${w.problems.join('; ')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the fields of one object of the document, collecting what is wrong instead of throwing. */
class WireReader {
  readonly problems: string[];

  constructor(
    private readonly object: Record<string, unknown>,
    private readonly where: string,
    parent?: WireReader,
  ) {
    this.problems = parent?.problems ?? [];
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }

  /**
   * The value at `key`, with a problem recorded when `is` refuses it. A shape with problems is never
   * returned, so what is given back then is never used.
   */
  private field<T>(key: string, is: (value: unknown) => value is T, what: string): T {
    const value = this.object[key];
    if (!is(value)) this.fail(`${this.where}: ${key} is not ${what}`);
    return value as T;
  }

  string(key: string): string {
    return this.field(key, (value): value is string => typeof value === 'string', 'a string');
  }

  number(key: string): number {
    // Number.isFinite is false for anything but a finite number.
    return this.field(key, (value): value is number => Number.isFinite(value), 'a number');
  }

  boolean(key: string): boolean {
    return this.field(key, (value): value is boolean => typeof value === 'boolean', 'true or false');
  }

  strings(key: string): string[] {
    return this.field(
      key,
      (value): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string'),
      'a list of strings',
    );
  }

  optionalString(key: string): string | undefined {
    return this.object[key] === undefined ? undefined : this.string(key);
  }

  optionalNumber(key: string): number | undefined {
    return this.object[key] === undefined ? undefined : this.number(key);
  }

  optionalBoolean(key: string): boolean | undefined {
    return this.object[key] === undefined ? undefined : this.boolean(key);
  }

  optionalStrings(key: string): string[] | undefined {
    return this.object[key] === undefined ? undefined : this.strings(key);
  }
}
