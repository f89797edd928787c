// Restore drills: which snapshot a drill restores, the names and tags of what it creates, how far it has got, and what its clean-up may delete.
export * from './drill-choice.js';
export * from './drill-cleanup.js';
export * from './drill-engine.js';
export * from './drill-names.js';
export * from './drill-progress.js';
