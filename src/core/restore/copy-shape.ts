/**
 * How the cluster's shape recorded on a copy is read: one reader for the restore command and the restore
 * drill, so a drill restores exactly what the command would.
 */
import { shapeFromTags } from '../model/cluster-shape-tags.js';
import type { ShapeDecoder } from './recovery-port.js';

/** The shape a copy carries (the SnapshotTool:Shape tags), or why there is none. Never throws. */
export const readCopyShape: ShapeDecoder = shapeFromTags;
