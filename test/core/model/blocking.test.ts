// Blocking notes: the warnings that mean a snapshot can never reach the destination as configured, and the
// error a run fails with after doing what it can.
import { describe, expect, it } from 'vitest';
import { blockingError } from '../../../src/core/model/blocking.js';
import { ToolError } from '../../../src/core/model/errors.js';
import type { Note } from '../../../src/core/plan/plan.js';

const warn = (code: string, snapshotId = `snap-${code}`): Note => ({
  level: 'warn',
  code,
  message: `message of ${code}`,
  clusterId: 'prod',
  snapshotId,
});

// Mutation gap 7: half of blocking.ts's mutants survived. Each blocking code, its error name, the details,
// the level and the order are pinned here.
describe('blockingError', () => {
  it.each([
    ['encryption-key-required', 'EncryptionKeyRequired'],
    ['kms-key-source-required', 'EncryptionKeyRequired'],
    ['share-impossible', 'KmsKeyNotAccessible'],
  ])('turns a %s warning into %s with the note message and where it applies', (code, name) => {
    // Act
    const error = blockingError([warn(code)]);

    // Assess
    expect(error).toBeInstanceOf(ToolError);
    expect(error?.name).toBe(name);
    expect(error?.message).toBe(`message of ${code}`);
    expect(error?.details).toEqual({ clusterId: 'prod', snapshotId: `snap-${code}`, code });
  });

  it('is undefined when no note blocks: none, other warnings, or a blocking code at info level', () => {
    // Prepare
    const others = [
      warn('name-taken'),
      warn('copy-failed'),
      warn('quota-near'),
      { ...warn('encryption-key-required'), level: 'info' as const },
      { ...warn('share-impossible'), level: 'info' as const },
    ];

    // Act / Assess
    expect(blockingError([])).toBeUndefined();
    expect(blockingError(others)).toBeUndefined();
    expect(blockingError([warn('toString'), warn('constructor')])).toBeUndefined();
  });

  it('names the first blocking warning, past the notes that do not block', () => {
    // Prepare
    const notes = [
      warn('name-taken'),
      { ...warn('encryption-key-required', 'info-only'), level: 'info' as const },
      warn('share-impossible', 'first-blocking'),
      warn('encryption-key-required', 'second-blocking'),
    ];

    // Act
    const error = blockingError(notes);

    // Assess
    expect(error?.name).toBe('KmsKeyNotAccessible');
    expect(error?.details).toMatchObject({ snapshotId: 'first-blocking', code: 'share-impossible' });
  });
});
