// Copies: the destinations of a source job, how each snapshot fans out to them, the copy limit, the regions, and the origin of shared snapshots.
export * from './copy-limit.js';
export * from './destinations.js';
export * from './fan-out.js';
export * from './regions.js';
export * from './shared-origin.js';
