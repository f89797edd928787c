// A vault's imports carry the shape the source account left for them; its other copies are left as they are.
import { describe, expect, it } from 'vitest';
import { shapeObjectBody } from '../../../src/core/model/shape-carrier.js';
import {
  importsToShape,
  ownerOf,
  recordCarriedShapes,
  type ShapeObjectRead,
} from '../../../src/core/plan/destination-shape.js';
import type { Action, Plan } from '../../../src/core/plan/plan.js';
import { prodShape, shapeTags } from '../../support/cluster-shapes.js';
import { snapshot } from '../../support/snapshot-builder.js';

const ARN = 'arn:aws:rds:us-east-1:111122223333:cluster-snapshot:prod-db-2026-03-04-05-06';
const SHARED = snapshot(ARN, {
  arn: ARN,
  clusterId: 'prod-db',
  accountId: '111122223333',
  type: 'shared',
  encrypted: true,
  engine: 'aurora-postgresql',
});
const SHAPE_TAGS = shapeTags(prodShape());

function copy(purpose: 'import' | 'dr-copy' | 'share'): Action {
  return {
    kind: 'copy',
    purpose,
    sourceArn: ARN,
    sourceRegion: 'us-east-1',
    targetRegion: 'us-east-1',
    targetId: 'prod-db-2026-03-04-05-06',
    kmsKeyId: undefined,
    clusterId: 'prod-db',
    tags: { team: 'vault' },
    reason: 'shared with this account',
  };
}

describe('importsToShape', () => {
  it('looks for the shape of the imports only, not of the copies the vault makes of its own snapshots', () => {
    // Prepare
    const plan: Plan = { actions: [copy('dr-copy'), copy('import'), copy('share')], notes: [] };

    // Act
    const imports = importsToShape(plan);

    // Assess
    expect(imports).toEqual([copy('import')]);
  });
});

describe('ownerOf', () => {
  it("is the account in a snapshot's ARN, and no account for a name that is not an ARN", () => {
    // Act / Assess
    expect(ownerOf(ARN)).toBe('111122223333');
    expect(ownerOf('prod-db-2026-03-04-05-06')).toBe('');
  });
});

describe('recordCarriedShapes', () => {
  it('writes the shape tags on an import, and leaves a copy of another purpose as it is', () => {
    // Prepare: a read and a shared snapshot under the ARN of both copies.
    const plan: Plan = { actions: [copy('import'), copy('dr-copy')], notes: [] };
    const reads = new Map<string, ShapeObjectRead>([[ARN, { ok: true, body: shapeObjectBody(SHAPE_TAGS) }]]);

    // Act
    const carried = recordCarriedShapes(plan, new Map([[ARN, SHARED]]), reads);

    // Assess
    expect(carried.actions).toEqual([
      { ...copy('import'), tags: { team: 'vault', ...SHAPE_TAGS } },
      copy('dr-copy'),
    ]);
    expect(carried.notes).toEqual([]);
  });
});
