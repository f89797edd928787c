// The backup policy: when backups are due (schedule, zone, interval), which clusters are selected, how long snapshots are kept, and what that costs in quota.
export * from './due.js';
export * from './point-in-time.js';
export * from './policy-foresight.js';
export * from './quota-foresight.js';
export * from './recovery-point.js';
export * from './retention.js';
export * from './retention-rules.js';
export * from './schedule.js';
export * from './selection.js';
export * from './zone.js';
