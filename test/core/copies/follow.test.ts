// Which copies a share pass must follow until available (re-encryptions to share, DR copies for a destination account), and when to look at them first.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../../src/config/schema.js';
import { backupPolicyOf } from '../../../src/config/to-core.js';
import { activeDestinations } from '../../../src/core/copies/fan-out.js';
import { followUp, mustFollow } from '../../../src/core/copies/follow.js';
import type { Action, ActionResult } from '../../../src/core/plan/plan.js';
import { snapshot } from '../../support/snapshot-builder.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const THIRD = 'eu-west-1';
const OTHER = '222222222222';
const CMK = 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222';

function targets(extra: Record<string, unknown>) {
  const source = parseConfig({
    Source: { Region: SRC, ClusterNamePattern: 'prod', ShareSnapshots: true, ...extra },
  }).Source as SourceConfig;
  return activeDestinations(backupPolicyOf(source));
}

type CopyAction = Extract<Action, { kind: 'copy' }>;

function copy(
  purpose: CopyAction['purpose'],
  targetRegion: string,
  targetId: string,
  sourceArn = '',
): CopyAction {
  return {
    kind: 'copy',
    purpose,
    sourceArn,
    sourceRegion: SRC,
    targetRegion,
    targetId,
    kmsKeyId: undefined,
    clusterId: 'prod',
    tags: {},
    reason: 'test',
  };
}

const ok = (action: Action): ActionResult => ({ action, ok: true });

describe('mustFollow', () => {
  it('follows a re-encryption made to be shared, whatever the destinations', () => {
    // Act / Assess
    expect(mustFollow(copy('share', SRC, 'prod-1-shared'), targets({ DestinationAccount: OTHER }))).toBe(
      true,
    );
    expect(mustFollow(copy('share', SRC, 'prod-1-shared'), [])).toBe(true);
  });

  it('follows a DR copy only into a region where a destination account receives it', () => {
    // Prepare
    const copyShare = targets({
      Destinations: [{ Region: DST, Account: OTHER, KmsKeyDestination: CMK }, { Region: THIRD }],
    });

    // Act / Assess
    expect(mustFollow(copy('dr-copy', DST, 'prod-1'), copyShare)).toBe(true);
    expect(mustFollow(copy('dr-copy', THIRD, 'prod-1'), copyShare)).toBe(false);
    expect(mustFollow(copy('dr-copy', DST, 'prod-1'), targets({ DestinationRegion: DST }))).toBe(false);
    // An account in the source region is a share in place, not a copy to follow.
    expect(mustFollow(copy('dr-copy', DST, 'prod-1'), targets({ DestinationAccount: OTHER }))).toBe(false);
  });

  it('never follows an import (the destination side copies it into its account)', () => {
    // Act / Assess
    expect(
      mustFollow(
        copy('import', DST, 'prod-1'),
        targets({ DestinationRegion: DST, DestinationAccount: OTHER }),
      ),
    ).toBe(false);
  });
});

describe('followUp', () => {
  it('lists the copies to follow that started, and sizes their first check from their sources', () => {
    // Prepare: a 2 TiB backup re-encrypted to share, a DR copy for this account alone, a failed re-encryption.
    const big = snapshot('prod-1', { allocatedStorageGiB: 2048 });
    const small = snapshot('prod-2', { allocatedStorageGiB: 20 });
    const results: ActionResult[] = [
      ok(copy('share', SRC, 'prod-1-shared', big.arn)),
      ok(copy('dr-copy', DST, 'prod-2', small.arn)),
      { action: copy('share', SRC, 'prod-3-shared', small.arn), ok: false, error: 'CopyLimitReached' },
    ];

    // Act
    const result = followUp(
      results,
      [big, small],
      targets({ Destinations: [{ Region: SRC, Account: OTHER }, { Region: DST }] }),
    );

    // Assess: only the re-encryption (the DR copy's region has no account here), after its 2 hours.
    expect(result).toEqual({
      follow: true,
      followRefs: [{ region: SRC, id: 'prod-1-shared' }],
      checkAfterSeconds: 7950,
    });
  });

  it('with nothing to follow, says so, and when the copies it started could first be done', () => {
    // Prepare
    const small = snapshot('prod-2', { allocatedStorageGiB: 20 });

    // Act
    const result = followUp(
      [ok(copy('dr-copy', DST, 'prod-2', small.arn))],
      [small],
      targets({ DestinationRegion: DST }),
    );
    const nothing = followUp([], [], []);

    // Assess: 20 GiB is 70 s at 1 TiB an hour: 108 s with the margin.
    expect(result).toEqual({ follow: false, followRefs: [], checkAfterSeconds: 108 });
    expect(nothing).toEqual({ follow: false, followRefs: [], checkAfterSeconds: 60 });
  });

  it('ignores what is not a copy, and a source of unknown size gets the shortest first check', () => {
    // Prepare
    const share: Action = {
      kind: 'share',
      region: SRC,
      snapshotId: 'prod-1',
      snapshotArn: 'arn',
      accountId: OTHER,
      clusterId: 'prod',
      reason: 'test',
    };

    // Act
    const result = followUp([ok(share), ok(copy('share', SRC, 'prod-9-shared', 'unknown-arn'))], [], []);

    // Assess
    expect(result).toEqual({
      follow: true,
      followRefs: [{ region: SRC, id: 'prod-9-shared' }],
      checkAfterSeconds: 60,
    });
  });
});
