// The shape object a source account leaves for a vault: where it goes, its text, and what the vault accepts of it.
import { describe, expect, it } from 'vitest';
import type { ClusterShape } from '../../../src/core/model/cluster-shape.js';
import { SHAPE_TAG_BUDGET, shapeToTags } from '../../../src/core/model/cluster-shape-tags.js';
import type { SnapshotInfo } from '../../../src/core/model/model.js';
import {
  carriedShapeTags,
  MAX_SHAPE_OBJECT_BYTES,
  shapeBucketName,
  shapeObjectBody,
  shapeObjectKey,
  shapeTagsOf,
} from '../../../src/core/model/shape-carrier.js';

const ARN = 'arn:aws:rds:us-east-1:111122223333:cluster-snapshot:prod-db-2026-03-04-05-06';
const SHARED: SnapshotInfo = {
  id: ARN,
  arn: ARN,
  clusterId: 'prod-db',
  region: 'us-east-1',
  accountId: '111122223333',
  type: 'shared',
  status: 'available',
  createTime: undefined,
  encrypted: true,
  kmsKeyId: undefined,
  engine: 'aurora-postgresql',
  tags: {},
};
const SHAPE: ClusterShape = {
  version: 1,
  clusterId: 'prod-db',
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
  instances: [{ id: 'prod-db-1', instanceClass: 'db.r6g.large', writer: true }],
  iamDatabaseAuthentication: true,
  logExports: ['postgresql'],
  deletionProtection: true,
  tags: { team: 'payments' },
};

function tagsOf(shape: ClusterShape) {
  const encoded = shapeToTags(shape);
  if (!encoded.ok) throw new Error(encoded.reason);
  return encoded.tags;
}

describe('where the shape goes', () => {
  it('is the vault account’s bucket of the region, under the source account’s prefix, by snapshot identifier', () => {
    // Act / Assess
    expect(shapeBucketName('999988887777', 'ap-southeast-4')).toBe(
      'aurora-snapshot-tool-shapes-999988887777-ap-southeast-4',
    );
    expect(shapeBucketName('999988887777', 'ap-southeast-4').length).toBeLessThanOrEqual(63);
    expect(shapeObjectKey('111122223333', 'prod-db-2026-03-04-05-06')).toBe(
      'shapes/111122223333/prod-db-2026-03-04-05-06.json',
    );
  });
});

describe('the object', () => {
  it('is the shape tags as JSON, keys sorted, and nothing else of the snapshot’s tags', () => {
    // Prepare
    const tags = tagsOf(SHAPE);

    // Act
    const body = shapeObjectBody(shapeTagsOf({ CreatedBy: 'Snapshot Tool for Aurora', ...tags, team: 'x' }));

    // Assess
    expect(JSON.parse(body)).toEqual(tags);
    expect(Object.keys(JSON.parse(body))).toEqual(Object.keys(tags).sort());
  });
  it('is the same text whatever the order the tags come in', () => {
    // Prepare
    const tags = {
      'SnapshotTool:Shape:2': 'b',
      'SnapshotTool:Shape': 'v1 parts=2 check=x',
      'SnapshotTool:Shape:1': 'a',
    };

    // Act
    const body = shapeObjectBody(tags);

    // Assess
    expect(body).toBe(
      '{"SnapshotTool:Shape":"v1 parts=2 check=x","SnapshotTool:Shape:1":"a","SnapshotTool:Shape:2":"b"}',
    );
  });
});

describe('carriedShapeTags', () => {
  it('gives back the tags of the shape of the shared snapshot’s cluster', () => {
    // Prepare
    const tags = tagsOf(SHAPE);

    // Act / Assess
    expect(carriedShapeTags(shapeObjectBody(tags), SHARED)).toEqual({ ok: true, tags });
  });

  it('accepts the shape when RDS does not say the engine', () => {
    // Act / Assess
    const { engine: _engine, ...unknownEngine } = SHARED;
    expect(carriedShapeTags(shapeObjectBody(tagsOf(SHAPE)), unknownEngine).ok).toBe(true);
  });

  it('accepts a shape of exactly as many tags as a shape may take', () => {
    // Prepare: seven cluster tags of 256 characters fill the header and eleven parts.
    const notes = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`note-${i}`, 'x'.repeat(256)]));
    const tags = tagsOf({ ...SHAPE, tags: notes });
    expect(Object.keys(tags)).toHaveLength(SHAPE_TAG_BUDGET);

    // Act / Assess
    expect(carriedShapeTags(shapeObjectBody(tags), SHARED)).toEqual({ ok: true, tags });
  });

  it('reads an object of exactly the largest size a shape object may have', () => {
    // Prepare: JSON allows the spaces after the object.
    const tags = tagsOf(SHAPE);
    const body = shapeObjectBody(tags).padEnd(MAX_SHAPE_OBJECT_BYTES, ' ');
    expect(body).toHaveLength(MAX_SHAPE_OBJECT_BYTES);

    // Act / Assess
    expect(carriedShapeTags(body, SHARED)).toEqual({ ok: true, tags });
  });

  it.each([
    [
      'another cluster’s shape',
      shapeObjectBody(tagsOf({ ...SHAPE, clusterId: 'other-db' })),
      `the shape object is the shape of cluster other-db, but ${ARN} is a snapshot of prod-db`,
    ],
    [
      'another engine',
      shapeObjectBody(tagsOf({ ...SHAPE, engine: 'aurora-mysql' })),
      `the shape object is the shape of an aurora-mysql cluster, but ${ARN} is aurora-postgresql`,
    ],
    [
      'tags other than the shape’s',
      JSON.stringify({ ...tagsOf(SHAPE), CopiedBy: 'someone', RestoreVerified: 'yes' }),
      'the shape object holds CopiedBy, RestoreVerified, which are not shape tags with text values',
    ],
    [
      'a value that is not text',
      JSON.stringify({ ...tagsOf(SHAPE), 'SnapshotTool:Shape:1': 42 }),
      'the shape object holds SnapshotTool:Shape:1, which are not shape tags with text values',
    ],
    ['text that is not JSON', 'not json', 'the shape object is not JSON'],
    ['a JSON list', '[]', 'the shape object is not a JSON object of tags'],
    ['null', 'null', 'the shape object is not a JSON object of tags'],
    [
      'more parts than a shape has',
      JSON.stringify(
        Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`SnapshotTool:Shape:${i + 1}`, 'x'])),
      ),
      "the shape object holds 13 tags, more than a shape's 12",
    ],
    [
      'an empty object',
      '{}',
      'the shape object cannot be read (absent): the snapshot records no cluster shape',
    ],
  ])('refuses %s, saying why', (_what, body, reason) => {
    // Act / Assess
    expect(carriedShapeTags(body, SHARED)).toEqual({ ok: false, reason });
  });

  it('refuses a part that does not match the check, as shapeFromTags reads it', () => {
    // Prepare
    const tags = tagsOf(SHAPE);
    const tampered = { ...tags, 'SnapshotTool:Shape:1': `${tags['SnapshotTool:Shape:1']?.slice(0, -1)}A` };

    // Act
    const carried = carriedShapeTags(JSON.stringify(tampered), SHARED);

    // Assess
    expect(carried.ok).toBe(false);
    expect(carried.ok ? '' : carried.reason).toMatch(/^the shape object cannot be read \(corrupt\): /);
  });

  it('refuses an object larger than a shape can be, without parsing it', () => {
    // Act / Assess
    expect(carriedShapeTags(' '.repeat(MAX_SHAPE_OBJECT_BYTES + 1), SHARED)).toEqual({
      ok: false,
      reason: `the shape object is ${MAX_SHAPE_OBJECT_BYTES + 1} characters long, more than a shape's ${MAX_SHAPE_OBJECT_BYTES}`,
    });
  });
});
