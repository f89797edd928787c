// A vault for an organization sets apart the imports AWS refused (a snapshot shared from outside the
// organization), each with a warning naming the snapshot and its owner, instead of failing the run.
import { describe, expect, it } from 'vitest';
import { type DestinationConfig, parseConfig } from '../../../src/config/schema.js';
import { isRefusedImport, separateRefusedImports } from '../../../src/core/plan/destination-refusals.js';
import type { Action, ActionResult } from '../../../src/core/plan/plan.js';

const DST = 'us-west-2';
const ORG = 'o-a1b2c3d4e5';
const OUTSIDER = '999999999999';
const ARN = `arn:aws:rds:${DST}:${OUTSIDER}:cluster-snapshot:prod-2025-03-01-00-00`;

function vault(extra: Record<string, unknown> = {}): DestinationConfig {
  return parseConfig({ Destination: { Region: DST, SnapshotPattern: 'prod', ...extra } })
    .Destination as DestinationConfig;
}

function copy(purpose: 'import' | 'dr-copy' | 'share'): Action {
  return {
    kind: 'copy',
    purpose,
    sourceArn: ARN,
    sourceRegion: DST,
    targetRegion: DST,
    targetId: `prod-2025-03-01-00-00-${OUTSIDER}`,
    kmsKeyId: undefined,
    clusterId: 'prod',
    tags: {},
    reason: 'shared with this account',
  };
}

const DENIED =
  'User: arn:aws:sts::111111111111:assumed-role/vault is not authorized to perform rds:CopyDBClusterSnapshot';

function refused(action: Action = copy('import')): ActionResult {
  return { action, ok: false, error: 'AccessDenied', message: DENIED };
}

describe('separateRefusedImports, in a vault for an organization', () => {
  it('sets a refused import apart with a warning naming the snapshot, its owner, AWS reason and what to check', () => {
    // Prepare
    const other: ActionResult = { action: copy('import'), ok: true };

    // Act
    const {
      results,
      refused: set,
      notes,
    } = separateRefusedImports([refused(), other], vault({ SourceOrganizationId: ORG }));

    // Assess
    expect(results).toEqual([other]);
    expect(set).toEqual([refused()]);
    expect(notes).toEqual([
      {
        level: 'warn',
        code: 'copy-refused',
        message:
          `${ARN}, shared by ${OUTSIDER}, was not copied: AWS refused it (${DENIED}). ` +
          `This vault copies only snapshots owned in organization ${ORG} ` +
          '(its role denies the others, aws:ResourceOrgID): a snapshot of an account outside it is never copied; ' +
          "for an account of the organization, check that the snapshot's key is a key of that account and its policy admits this account",
        clusterId: 'prod',
        snapshotId: ARN,
      },
    ]);
  });

  it('names the error when AWS gave no message with it', () => {
    // Act
    const { notes } = separateRefusedImports(
      [{ action: copy('import'), ok: false, error: 'AccessDenied' }],
      vault({ SourceOrganizationId: ORG }),
    );

    // Assess
    expect(notes.map((n) => n.message)).toEqual([
      expect.stringContaining('was not copied: AWS refused it (AccessDenied). '),
    ]);
  });

  it('keeps as failures a refused copy that is not an import, and an import that failed for another reason', () => {
    // Prepare
    const drCopy = refused(copy('dr-copy'));
    const throttled: ActionResult = {
      action: copy('import'),
      ok: false,
      error: 'Throttled',
      message: 'slow down',
    };
    const unnamed: ActionResult = { action: copy('import'), ok: false };

    // Act
    const separated = separateRefusedImports(
      [drCopy, throttled, unnamed],
      vault({ SourceOrganizationId: ORG }),
    );

    // Assess
    expect(separated).toEqual({ results: [drCopy, throttled, unnamed], refused: [], notes: [] });
  });
});

describe('isRefusedImport', () => {
  it('is true only for an import AWS refused in a vault for an organization', () => {
    // Prepare
    const org = vault({ SourceOrganizationId: ORG });

    // Act / Assess
    expect(isRefusedImport(refused(), org)).toBe(true);
    expect(isRefusedImport(refused(copy('share')), org)).toBe(false);
    expect(isRefusedImport({ action: copy('import'), ok: true }, org)).toBe(false);
  });

  it('is false in a vault for one source account, where a refused import is a failure of the run', () => {
    // Act
    const separated = separateRefusedImports([refused()], vault({ SourceAccount: '222222222222' }));

    // Assess
    expect(isRefusedImport(refused(), vault())).toBe(false);
    expect(separated).toEqual({ results: [refused()], refused: [], notes: [] });
  });
});
