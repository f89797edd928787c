/**
 * How the cluster's shape recorded on a copy is read: one reader for the restore command and the restore
 * drill, so a drill restores exactly what the command would.
 */
import type { ShapeDecoder } from './recovery-port.js';

/**
 * The shape a copy carries, or why there is none. Until the shape codec (`shapeFromTags` in src/core/model/)
 * is merged no copy's shape is read. Merge point: `export const readCopyShape: ShapeDecoder = shapeFromTags;`
 */
export const readCopyShape: ShapeDecoder = () => ({
  shape: undefined,
  reason: 'this version of the tool reads no recorded cluster shape',
});
