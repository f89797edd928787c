// Restoring a lost cluster on disaster day: which copy, the restore as a list of API requests mapped into the recovery region, the refusals made before anything is created, the expected time, and carrying it out.
export * from './copy-shape.js';
export * from './engine-versions.js';
export * from './recovery-port.js';
export * from './restore-choice.js';
export * from './restore-engine.js';
export * from './restore-names.js';
export * from './restore-plan.js';
export * from './restore-requests.js';
export * from './restore-time.js';
