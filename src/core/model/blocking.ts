/**
 * Notes that mean a snapshot can never reach the destination as configured. A run still does what it
 * can, then fails with the error named here, so the alarm fires instead of DR copies silently not happening.
 */

import type { Note } from '../plan/plan.js';
import { ToolError } from './errors.js';

const BLOCKING: ReadonlyMap<string, 'EncryptionKeyRequired' | 'KmsKeyNotAccessible'> = new Map([
  ['encryption-key-required', 'EncryptionKeyRequired'],
  ['kms-key-source-required', 'EncryptionKeyRequired'],
  ['share-impossible', 'KmsKeyNotAccessible'],
]);

/** The error for the first blocking note of a plan (a warning with a blocking code), or undefined. */
export function blockingError(notes: readonly Note[]): ToolError | undefined {
  for (const note of notes) {
    const name = note.level === 'warn' ? BLOCKING.get(note.code) : undefined;
    if (name === undefined) continue;
    return new ToolError(name, note.message, {
      details: { clusterId: note.clusterId, snapshotId: note.snapshotId, code: note.code },
    });
  }
  return undefined;
}
