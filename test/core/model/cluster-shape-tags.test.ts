// A cluster's shape in a snapshot's tags: written within RDS's tag rules and budget, read back whole, never a throw on garbage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../src/core/model/base64url.js';
import type { ClusterShape } from '../../../src/core/model/cluster-shape.js';
import {
  isShapeTag,
  SHAPE_TAG_BUDGET,
  shapeFromTags,
  shapePartKey,
  shapeTagRoom,
  shapeToTags,
  TAGS_ADDED_LATER,
  withoutShapeTags,
} from '../../../src/core/model/cluster-shape-tags.js';
import type { Tags } from '../../../src/core/model/model.js';
import { shortHash } from '../../../src/core/model/naming.js';
import { MAX_TAGS_PER_RESOURCE, TAG } from '../../../src/core/model/tags.js';

/** What RDS accepts in a tag key or value (AWS's documented pattern). */
const AWS_TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

const PROD: ClusterShape = {
  version: 1,
  clusterId: 'prod-db',
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
  instances: [
    {
      id: 'prod-db-1',
      instanceClass: 'db.r6g.large',
      writer: true,
      promotionTier: 0,
      parameterGroup: 'prod-pg15',
      performanceInsights: true,
    },
    {
      id: 'prod-db-2',
      instanceClass: 'db.r6g.large',
      writer: false,
      promotionTier: 1,
      parameterGroup: 'prod-pg15',
    },
    { id: 'prod-db-3', instanceClass: 'db.r6g.xlarge', writer: false, promotionTier: 2 },
  ],
  serverlessV2: { min: 0.5, max: 16 },
  clusterParameterGroup: 'prod-cluster-pg15',
  iamDatabaseAuthentication: true,
  logExports: ['postgresql'],
  deletionProtection: true,
  port: 5432,
  dbSubnetGroup: 'prod-subnets',
  vpcSecurityGroupIds: ['sg-0123456789abcdef0'],
  tags: { team: 'payments', 'cost-center': '4711', 'Ünïcode name': 'wert mit Leerzeichen' },
};

/** A tag key or value RDS accepts: letters (any script), digits, spaces and _.:/=+-@. */
const tagText = (max: number) =>
  fc
    .array(fc.constantFrom(...'abcXYZ019 _.:/=+-@éßж日本'), { minLength: 1, maxLength: max })
    .map((chars) => chars.join(''));

const identifier = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/);

const instanceArb = fc.record(
  {
    id: identifier,
    instanceClass: fc.constantFrom('db.r6g.large', 'db.r6g.xlarge', 'db.serverless', 'db.t4g.medium'),
    writer: fc.boolean(),
    promotionTier: fc.integer({ min: 0, max: 15 }),
    parameterGroup: identifier,
    performanceInsights: fc.boolean(),
  },
  { requiredKeys: ['id', 'instanceClass', 'writer'] },
);

const shapeArb: fc.Arbitrary<ClusterShape> = fc
  .record(
    {
      clusterId: identifier,
      engine: fc.constantFrom('aurora-postgresql', 'aurora-mysql'),
      engineVersion: fc.constantFrom('15.4', '16.6', '8.0.mysql_aurora.3.05.2'),
      instances: fc.array(instanceArb, { maxLength: 6 }),
      serverlessV2: fc.record({ min: fc.constantFrom(0, 0.5, 1, 2.5), max: fc.constantFrom(1, 16, 256) }),
      clusterParameterGroup: identifier,
      iamDatabaseAuthentication: fc.boolean(),
      logExports: fc.uniqueArray(fc.constantFrom('postgresql', 'audit', 'error', 'general', 'slowquery')),
      deletionProtection: fc.boolean(),
      backtrackWindowSeconds: fc.integer({ min: 0, max: 259_200 }),
      port: fc.integer({ min: 1150, max: 65_535 }),
      dbSubnetGroup: identifier,
      vpcSecurityGroupIds: fc.array(fc.stringMatching(/^sg-[0-9a-f]{17}$/), { maxLength: 3 }),
      tags: fc.dictionary(tagText(20), tagText(40), { maxKeys: 5 }),
    },
    {
      requiredKeys: [
        'clusterId',
        'engine',
        'engineVersion',
        'instances',
        'iamDatabaseAuthentication',
        'logExports',
        'deletionProtection',
        'tags',
      ],
    },
  )
  // Plain objects, as a shape read from AWS is (fast-check's records have no prototype).
  .map((fields) => JSON.parse(JSON.stringify({ version: 1, ...fields })) as ClusterShape);

function written(shape: ClusterShape, maxTags?: number): Tags {
  const encoding = shapeToTags(shape, maxTags);
  if (!encoding.ok) throw new Error(`expected the shape to fit: ${encoding.reason}`);
  return encoding.tags;
}

describe('shapeToTags and shapeFromTags', () => {
  it('read back exactly the shape written, field by field', () => {
    // Act
    const reading = shapeFromTags(written(PROD));

    // Assess
    expect(reading.reason).toBeUndefined();
    expect(reading.shape).toStrictEqual(PROD);
  });

  it('read back every shape written, whatever its fields (property)', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        // Act
        const encoding = shapeToTags(shape);

        // Assess
        expect(encoding.ok).toBe(true);
        if (!encoding.ok) return;
        expect(encoding.tagsOmitted).toBe(false);
        expect(shapeFromTags(encoding.tags).shape).toStrictEqual(shape);
      }),
      { numRuns: 300, seed: 2701 },
    );
  });

  it('write only keys and values RDS accepts, within its lengths and the budget (property)', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        // Act
        const tags = written(shape);

        // Assess
        const entries = Object.entries(tags);
        expect(entries.length).toBeGreaterThanOrEqual(2);
        expect(entries.length).toBeLessThanOrEqual(SHAPE_TAG_BUDGET);
        for (const [key, value] of entries) {
          expect(key).toMatch(AWS_TAG_PATTERN);
          expect(value).toMatch(AWS_TAG_PATTERN);
          expect(key.length).toBeGreaterThanOrEqual(1);
          expect(key.length).toBeLessThanOrEqual(128);
          expect(value.length).toBeLessThanOrEqual(256);
          expect(key.toLowerCase().startsWith('aws:')).toBe(false);
          expect(isShapeTag(key)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 2702 },
    );
  });

  it('name the format version, the parts and a check in the SnapshotTool:Shape header', () => {
    // Act
    const tags = written(PROD);

    // Assess
    const parts = Object.keys(tags).filter((key) => key !== TAG.Shape);
    expect(tags[TAG.Shape]).toMatch(new RegExp(`^v1 parts=${parts.length} check=[0-9a-z]+$`));
    expect(parts.sort()).toEqual(parts.map((_, i) => shapePartKey(i + 1)).sort());
    expect(parts.map((key) => tags[key]?.length).slice(0, -1)).toEqual(parts.slice(0, -1).map(() => 256));
  });

  it('never write an empty part, whatever the length of the encoded shape', () => {
    for (let length = 0; length <= 200; length++) {
      // Prepare: every length of text modulo a part's 256 characters, an exact multiple among them.
      const shape = { ...PROD, tags: { note: 'x'.repeat(length) } };

      // Act
      const tags = written(shape, MAX_TAGS_PER_RESOURCE);

      // Assess
      const parts = Object.keys(tags).length - 1;
      for (let n = 1; n <= parts; n++) expect(tags[shapePartKey(n)]?.length).toBeGreaterThan(0);
      expect(shapeFromTags(tags).shape).toStrictEqual(shape);
    }
  });

  it('read back a shape written in ten parts or more', () => {
    // Prepare
    const shape = {
      ...PROD,
      tags: Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`label-${n}`, 'v'.repeat(256)])),
    };
    const tags = written(shape, MAX_TAGS_PER_RESOURCE);

    // Act
    const reading = shapeFromTags(tags);

    // Assess
    expect(tags[shapePartKey(10)]).toBeDefined();
    expect(reading.reason).toBeUndefined();
    expect(reading.shape).toStrictEqual(shape);
  });

  it('fit a cluster of 16 instances with long names in the budget', () => {
    // Prepare: Aurora's largest cluster, every name near RDS's 63 characters.
    const long = (n: number) =>
      `orders-payments-production-eu-central-aurora-instance-${String(n).padStart(2, '0')}`;
    const shape: ClusterShape = {
      ...PROD,
      clusterId: 'orders-payments-production-eu-central-aurora-cluster-primary',
      instances: Array.from({ length: 16 }, (_, n) => ({
        id: long(n),
        instanceClass: 'db.r6g.16xlarge',
        writer: n === 0,
        promotionTier: n % 16,
        parameterGroup: 'orders-payments-production-aurora-postgresql15-instance',
        performanceInsights: true,
      })),
      tags: {},
    };

    // Act
    const encoding = shapeToTags(shape);

    // Assess
    expect(encoding.ok).toBe(true);
    expect(encoding.ok && shapeFromTags(encoding.tags).shape).toStrictEqual(shape);
  });
});

describe('a shape too large for the tags', () => {
  /** A cluster with RDS's most tags (50), each with the longest key and value. */
  const manyTags: Tags = Object.fromEntries(
    Array.from({ length: 50 }, (_, n) => [
      `k${String(n).padStart(2, '0')}${'k'.repeat(125)}`,
      'v'.repeat(256),
    ]),
  );

  it("leaves the cluster's own tags out and says so when that makes it fit", () => {
    // Prepare
    const shape = { ...PROD, tags: manyTags };

    // Act
    const encoding = shapeToTags(shape);

    // Assess
    expect(encoding).toMatchObject({ ok: true, tagsOmitted: true });
    if (!encoding.ok) return;
    expect(Object.keys(encoding.tags).length).toBeLessThanOrEqual(SHAPE_TAG_BUDGET);
    expect(shapeFromTags(encoding.tags).shape).toStrictEqual({ ...PROD, tags: {}, tagsOmitted: true });
  });

  /** How many tags `shape` takes when room is no limit. */
  const tagCount = (shape: ClusterShape) => Object.keys(written(shape, MAX_TAGS_PER_RESOURCE)).length;

  it('records nothing, with the reason, rather than take more tags than it has room for', () => {
    // Prepare: room for two tags only, as on a snapshot the configured tags nearly fill.
    const shape = { ...PROD, tags: manyTags };
    const lean = tagCount({ ...PROD, tags: {}, tagsOmitted: true });

    // Act
    const encoding = shapeToTags(shape, 2);

    // Assess
    expect(encoding).toEqual({
      ok: false,
      reason: `the shape of prod-db needs ${lean} tags even without the cluster's tags, more than the 2 the snapshot has room for`,
    });
  });

  it('says how many tags a shape without cluster tags needs when it does not fit', () => {
    // Prepare
    const shape = { ...PROD, tags: {} };
    const needed = tagCount(shape);

    // Act
    const encoding = shapeToTags(shape, 1);

    // Assess
    expect(encoding).toEqual({
      ok: false,
      reason: `the shape of prod-db needs ${needed} tags, more than the 1 the snapshot has room for`,
    });
  });

  it("keeps the cluster's tags when the shape needs exactly the tags it has room for", () => {
    // Prepare
    const needed = tagCount(PROD);

    // Act
    const encoding = shapeToTags(PROD, needed);

    // Assess
    expect(encoding).toEqual({ ok: true, tags: written(PROD, MAX_TAGS_PER_RESOURCE), tagsOmitted: false });
  });

  it("leaves the cluster's tags out when without them the shape needs exactly the tags it has room for", () => {
    // Prepare
    const lean = tagCount({ ...PROD, tags: {}, tagsOmitted: true });

    // Act
    const fits = shapeToTags({ ...PROD, tags: manyTags }, lean);
    const short = shapeToTags({ ...PROD, tags: manyTags }, lean - 1);

    // Assess
    expect(fits).toMatchObject({ ok: true, tagsOmitted: true });
    expect(fits.ok && Object.keys(fits.tags).length).toBe(lean);
    expect(short).toEqual({
      ok: false,
      reason: `the shape of prod-db needs ${lean} tags even without the cluster's tags, more than the ${lean - 1} the snapshot has room for`,
    });
  });
});

describe('shapeTagRoom', () => {
  it('is the budget on a snapshot with few tags', () => {
    // Act
    const room = shapeTagRoom({ a: '1', b: '2' });

    // Assess
    expect(room).toBe(SHAPE_TAG_BUDGET);
  });

  it(`keeps ${TAGS_ADDED_LATER} tags free under RDS's 50 for the tags the tool adds later`, () => {
    // Prepare: 40 tags already.
    const tags = Object.fromEntries(Array.from({ length: 40 }, (_, n) => [`t${n}`, 'x']));

    // Act
    const room = shapeTagRoom(tags);

    // Assess
    expect(room).toBe(MAX_TAGS_PER_RESOURCE - TAGS_ADDED_LATER - 40);
  });

  it('is zero, never negative, on a snapshot already full, and does not count shape tags', () => {
    // Prepare
    const full = Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`t${n}`, 'x']));

    // Act
    const room = shapeTagRoom(full);
    const withShape = shapeTagRoom({ ...written(PROD), a: '1' });

    // Assess
    expect(room).toBe(0);
    expect(withShape).toBe(SHAPE_TAG_BUDGET);
  });
});

describe('shapeFromTags on what it was not written for', () => {
  const good = written(PROD);
  const parts = Number(/parts=(\d+)/.exec(good[TAG.Shape] ?? '')?.[1]);

  it('says a snapshot without shape tags records none', () => {
    // Act
    const reading = shapeFromTags({ [TAG.CreatedBy]: 'Snapshot Tool for Aurora' });

    // Assess
    expect(reading).toEqual({
      shape: undefined,
      code: 'absent',
      reason: 'the snapshot records no cluster shape',
    });
  });

  it.each([
    ['a missing part', () => withoutKey(good, shapePartKey(parts)), `${shapePartKey(parts)} is missing`],
    ['parts without the header', () => withoutKey(good, TAG.Shape), 'without the SnapshotTool:Shape tag'],
    [
      'a header of another form',
      () => ({ ...good, [TAG.Shape]: 'hello' }),
      'not "v<version> parts=<n> check=<hash>"',
    ],
    ['zero parts', () => ({ ...good, [TAG.Shape]: 'v1 parts=0 check=abc' }), 'names 0 parts'],
    ['a part too many', () => ({ ...good, [shapePartKey(parts + 1)]: 'QQ' }), 'beyond the'],
    ['an odd part key', () => ({ ...good, [`${TAG.Shape}:x`]: 'QQ' }), 'beyond the'],
    [
      'a part changed',
      () => ({ ...good, [shapePartKey(1)]: `B${good[shapePartKey(1)]?.slice(1)}` }),
      'check',
    ],
    ['two parts swapped', () => swapped(good), 'check'],
  ])('gives no shape and the reason for %s', (_, tags, reason) => {
    // Act
    const reading = shapeFromTags(tags());

    // Assess
    expect(reading.shape).toBeUndefined();
    expect(reading.code).toBe('corrupt');
    expect(reading.reason).toContain(reason);
  });

  it('names the parts found without the header, in order', () => {
    // Prepare
    const tags = { [shapePartKey(2)]: 'QQ', [shapePartKey(1)]: 'QQ' };

    // Act
    const reading = shapeFromTags(tags);

    // Assess
    expect(reading).toEqual({
      shape: undefined,
      code: 'corrupt',
      reason: 'SnapshotTool:Shape:1, SnapshotTool:Shape:2 without the SnapshotTool:Shape tag',
    });
  });

  it('names the parts beyond those the header names, in order', () => {
    // Prepare
    const tags = { ...good, [`${TAG.Shape}:x`]: 'QQ', [shapePartKey(parts + 1)]: 'QQ' };

    // Act
    const reading = shapeFromTags(tags);

    // Assess
    expect(reading).toEqual({
      shape: undefined,
      code: 'corrupt',
      reason: `${shapePartKey(parts + 1)}, SnapshotTool:Shape:x beyond the ${parts} parts SnapshotTool:Shape names`,
    });
  });

  it.each([
    ['a leading zero', '01'],
    ['a fraction after the number', '1.0'],
  ])('counts a part key with %s as beyond the parts', (_, suffix) => {
    // Act
    const reading = shapeFromTags({ ...good, [`${TAG.Shape}:${suffix}`]: 'QQ' });

    // Assess
    expect(reading).toEqual({
      shape: undefined,
      code: 'corrupt',
      reason: `SnapshotTool:Shape:${suffix} beyond the ${parts} parts SnapshotTool:Shape names`,
    });
  });

  it.each([
    [49, 'SnapshotTool:Shape:1 is missing (SnapshotTool:Shape names 49 parts)'],
    [50, 'SnapshotTool:Shape names 50 parts'],
  ])(
    'refuses a header naming more parts than the 49 a snapshot has room for beside it (%i)',
    (count, reason) => {
      // Act
      const reading = shapeFromTags({ [TAG.Shape]: `v1 parts=${count} check=abc` });

      // Assess
      expect(reading).toEqual({ shape: undefined, code: 'corrupt', reason });
    },
  );

  it('refuses bytes that are not UTF-8 inside a text of the document', () => {
    // Prepare: the document is JSON once each bad byte is replaced, as a lenient decoder would.
    const [before = '', after = ''] = JSON.stringify({ ...wire(), c: '#' }).split('#');
    const utf8 = new TextEncoder();
    const bytes = new Uint8Array([...utf8.encode(before), 0xff, ...utf8.encode(after)]);

    // Act
    const reading = shapeFromTags(single(toBase64Url(bytes)));

    // Assess
    expect(reading).toEqual({
      shape: undefined,
      code: 'corrupt',
      reason: 'the parts are not the UTF-8 text of a JSON document',
    });
  });

  it('gives the reason, without throwing, when the tags themselves throw on reading', () => {
    // Prepare
    const tags: Tags = Object.defineProperty({}, TAG.Shape, {
      enumerable: true,
      get: () => {
        throw new Error('the tags are gone');
      },
    });

    // Act
    const reading = shapeFromTags(tags);

    // Assess
    expect(reading).toEqual({
      shape: undefined,
      code: 'corrupt',
      reason: 'the shape tags cannot be read: the tags are gone',
    });
  });

  it('names the version it cannot read', () => {
    // Act
    const reading = shapeFromTags({ ...good, [TAG.Shape]: good[TAG.Shape]?.replace('v1', 'v2') ?? '' });

    // Assess
    expect(reading).toEqual({
      shape: undefined,
      code: 'unsupported-version',
      reason: 'the shape is in format v2; this version of the tool reads v1',
    });
  });

  const notAsWritten = 'the shape is not as written: ';

  it.each([
    ['bad base64url', '@@@@', 'the parts are not base64url'],
    [
      'not UTF-8',
      toBase64Url(new Uint8Array([0xff, 0xfe, 0x7b])),
      'the parts are not the UTF-8 text of a JSON document',
    ],
    [
      'not JSON',
      toBase64Url(new TextEncoder().encode('{not json')),
      'the parts are not the UTF-8 text of a JSON document',
    ],
    ['a JSON list', encoded([]), 'the shape is not a JSON object'],
    ['a JSON null', encoded(null), 'the shape is not a JSON object'],
    [
      'a field of the wrong type',
      encoded({ ...wire(), iam: 'yes' }),
      `${notAsWritten}shape: iam is not true or false`,
    ],
    [
      'two fields of the wrong type',
      encoded({ ...wire(), iam: 'yes', dp: 1 }),
      `${notAsWritten}shape: iam is not true or false; shape: dp is not true or false`,
    ],
    [
      'an instance of the wrong type',
      encoded({ ...wire(), i: [{ i: 'x', c: 1, w: true }] }),
      `${notAsWritten}instance 0: c is not a string`,
    ],
    [
      'an instance that is null',
      encoded({ ...wire(), i: [null] }),
      `${notAsWritten}instance 0 is not an object`,
    ],
    [
      'instances that are not a list',
      encoded({ ...wire(), i: {} }),
      `${notAsWritten}i (instances) is not a list`,
    ],
    [
      'tags that are not strings',
      encoded({ ...wire(), t: { a: 1 } }),
      `${notAsWritten}t (tags) is not a mapping of strings`,
    ],
    [
      'a null where a value may be absent',
      encoded({ ...wire(), p: null }),
      `${notAsWritten}shape: p is not a number`,
    ],
    [
      'serverless capacity of the wrong type',
      encoded({ ...wire(), s: 4 }),
      `${notAsWritten}s (serverlessV2) is not an object`,
    ],
    [
      'a serverless minimum of the wrong type',
      encoded({ ...wire(), s: { n: 'half', x: 16 } }),
      `${notAsWritten}s (serverlessV2): n is not a number`,
    ],
    [
      'log exports that are not a list',
      encoded({ ...wire(), log: 'postgresql' }),
      `${notAsWritten}shape: log is not a list of strings`,
    ],
    [
      'log exports that are not strings',
      encoded({ ...wire(), log: [1] }),
      `${notAsWritten}shape: log is not a list of strings`,
    ],
  ])('gives no shape and the reason for %s', (_, text, reason) => {
    // Act
    const reading = shapeFromTags(single(text));

    // Assess
    expect(reading).toEqual({ shape: undefined, code: 'corrupt', reason });
  });

  it('never throws, whatever the shape tags hold (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(
            fc.constant(TAG.Shape),
            fc.integer({ min: 0, max: 12 }).map((n) => shapePartKey(n)),
            fc.string(),
          ),
          fc.oneof(
            fc.string(),
            fc.constantFrom('v1 parts=1 check=0', 'v1 parts=2 check=zz', ...Object.values(good)),
          ),
        ),
        (tags) => {
          // Act
          const reading = shapeFromTags(tags);

          // Assess
          expect(reading.shape === undefined ? typeof reading.reason : 'shape').toMatch(/string|shape/);
        },
      ),
      { numRuns: 500, seed: 2703 },
    );
  });
});

describe('withoutShapeTags', () => {
  it('keeps every tag but the shape header and parts', () => {
    // Act
    const rest = withoutShapeTags({ ...written(PROD), team: 'db', 'SnapshotTool:Shaped': 'x' });

    // Assess
    expect(rest).toEqual({ team: 'db', 'SnapshotTool:Shaped': 'x' });
  });
});

describe('base64url', () => {
  it('round-trips every byte string (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        // Act
        const text = toBase64Url(bytes);

        // Assess
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
      { numRuns: 300, seed: 2704 },
    );
  });

  it("writes RFC 4648's test vectors without padding", () => {
    // Act
    const texts = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map((s) =>
      toBase64Url(new TextEncoder().encode(s)),
    );

    // Assess
    expect(texts).toEqual(['', 'Zg', 'Zm8', 'Zm9v', 'Zm9vYg', 'Zm9vYmE', 'Zm9vYmFy']);
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it.each([
    ['a character outside the alphabet', 'Zm9v+'],
    ['padding', 'Zg=='],
    ['a length no encoding has', 'Zm9vY'],
    ['unused bits that are not zero', 'Zh'],
  ])('refuses %s', (_, text) => {
    // Act
    const bytes = fromBase64Url(text);

    // Assess
    expect(bytes).toBeUndefined();
  });
});

function withoutKey(tags: Tags, key: string): Tags {
  const { [key]: _dropped, ...rest } = tags;
  return rest;
}

function swapped(tags: Tags): Tags {
  return {
    ...tags,
    [shapePartKey(1)]: tags[shapePartKey(2)] ?? '',
    [shapePartKey(2)]: tags[shapePartKey(1)] ?? '',
  };
}

/** PROD as the writer puts it in JSON (short keys). */
function wire(): Record<string, unknown> {
  const tags = written(PROD);
  const count = Object.keys(tags).length - 1;
  const text = Array.from({ length: count }, (_, n) => tags[shapePartKey(n + 1)]).join('');
  return JSON.parse(new TextDecoder().decode(fromBase64Url(text))) as Record<string, unknown>;
}

function encoded(document: unknown): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(document)));
}

/** `text` as the parts of a shape, under a header whose check matches: what is tested is the content. */
function single(text: string): Tags {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 256) parts.push(text.slice(i, i + 256));
  const tags: Record<string, string> = {};
  parts.forEach((part, i) => {
    tags[shapePartKey(i + 1)] = part;
  });
  // The header's check is naming.ts's FNV-1a hash of the parts' text.
  tags[TAG.Shape] = `v1 parts=${parts.length} check=${shortHash(parts.join(''))}`;
  return tags;
}
