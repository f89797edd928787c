// Copies: the destinations of a source job, how each snapshot fans out to them, the copy limit, the regions, the origin of shared snapshots, and when to look again at copies in progress.
export * from './copy-limit.js';
export * from './destinations.js';
export * from './fan-out.js';
export * from './follow.js';
export * from './progress-estimate.js';
export * from './regions.js';
export * from './shared-origin.js';
