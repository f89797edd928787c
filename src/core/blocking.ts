/**
 * Notes that mean a snapshot can never reach the destination as configured. A run still does what it
 * can, then fails with the error named here, so the alarm fires instead of DR copies silently not happening.
 */
import { ToolError } from './errors.js';
import type { Note } from './plan.js';

const BLOCKING: Readonly<Record<string, 'EncryptionKeyRequired' | 'KmsKeyNotAccessible'>> = {
  'encryption-key-required': 'EncryptionKeyRequired',
  'kms-key-source-required': 'EncryptionKeyRequired',
  'share-impossible': 'KmsKeyNotAccessible',
};

/** The error for the first blocking note of a plan, or undefined when nothing blocks. */
export function blockingError(notes: readonly Note[]): ToolError | undefined {
  const note = notes.find((n) => n.level === 'warn' && BLOCKING[n.code] !== undefined);
  if (!note) return undefined;
  return new ToolError(BLOCKING[note.code] ?? 'EncryptionKeyRequired', note.message, {
    details: { clusterId: note.clusterId, snapshotId: note.snapshotId, code: note.code },
  });
}
