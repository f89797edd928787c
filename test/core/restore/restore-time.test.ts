// The expected time of a restore: which recorded drills count.
import { describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../../src/core/model/tags.js';
import { expectedRestoreTime } from '../../../src/core/restore/index.js';
import { snapshot } from '../../support/snapshot-builder.js';

const drilled = (id: string, on: string | undefined, minutes: string) =>
  snapshot(id, {
    tags: {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.SourceCluster]: 'prod-db',
      ...(on === undefined ? {} : { [TAG.RestoreVerified]: on }),
      [TAG.RestoreMinutes]: minutes,
    },
  });

describe('expectedRestoreTime', () => {
  it('counts no minutes without a readable time of the drill that took them', () => {
    // Act
    const expected = expectedRestoreTime(
      [drilled('a', undefined, '12'), drilled('b', 'last week', '14')],
      'prod-db',
    );

    // Assess
    expect(expected.known).toBe(false);
  });

  it('counts no negative or infinite minutes, and a drill of 0 minutes', () => {
    // Prepare
    const snapshots = [
      drilled('a', '2026-07-01T03:20:00.000Z', '0'),
      drilled('b', '2026-07-02T03:20:00.000Z', '-5'),
      drilled('c', '2026-07-03T03:20:00.000Z', 'Infinity'),
    ];

    // Act
    const expected = expectedRestoreTime(snapshots, 'prod-db');

    // Assess
    expect(expected).toEqual({
      known: true,
      minutes: 0,
      drills: 1,
      lowest: 0,
      highest: 0,
      text: 'about 0 minutes (the last drill of prod-db, on 2026-07-01T03:20:00.000Z)',
    });
  });

  it('counts no drill whose minutes tag was emptied or edited by hand, and reads decimal minutes as written', () => {
    // Prepare: Number('') and Number(' ') are 0, Number('0x1f') is 31, Number('1e1') is 10
    const edited = ['', ' ', '0x1f', '1e1', '12 minutes'].map((minutes, i) =>
      drilled(`e${i}`, `2026-07-1${i}T03:20:00.000Z`, minutes),
    );

    // Act
    const none = expectedRestoreTime(edited, 'prod-db');
    const decimal = expectedRestoreTime(
      [...edited, drilled('d', '2026-07-01T03:20:00.000Z', '7.25')],
      'prod-db',
    );

    // Assess
    expect(none.known).toBe(false);
    expect(decimal).toMatchObject({ known: true, minutes: 7.25, drills: 1 });
  });
});
