// Planning a pass: observe the regions, decide (take, share and copy, delete) into a plan that is data, apply it, and report the status.
export * from './apply-plan.js';
export * from './check-snapshots.js';
export * from './destination-planner.js';
export * from './observation.js';
export * from './observe.js';
export * from './pass.js';
export * from './plan.js';
export * from './source-context.js';
export * from './source-delete.js';
export * from './source-dr-copy.js';
export * from './source-planner.js';
export * from './source-share-copy.js';
export * from './source-share-in-place.js';
export * from './source-take.js';
export * from './status.js';
export * from './stuck-snapshots.js';
