/**
 * The reader of a copy's recorded cluster shape that the restore and drill commands share (the core's
 * readCopyShape), replaceable in tests until the shape codec is merged.
 */
import { readCopyShape, type ShapeDecoder } from '../core/restore/index.js';

let decodeShape: ShapeDecoder = readCopyShape;

/** Replaces how a copy's shape is read; undefined restores the default. */
export function setShapeDecoder(decoder: ShapeDecoder | undefined): void {
  decodeShape = decoder ?? readCopyShape;
}

/** The reader the commands use now. */
export function shapeDecoder(): ShapeDecoder {
  return decodeShape;
}
