// The model: snapshots and clusters as the tool sees them, their names and tags, the errors, and the ports adapters implement.
export * from './base64url.js';
export * from './blocking.js';
export * from './cluster-shape.js';
export * from './cluster-shape-tags.js';
export * from './errors.js';
export * from './model.js';
export * from './naming.js';
export * from './order.js';
export * from './pattern.js';
export * from './ports.js';
export * from './shape-carrier.js';
export * from './snapshot-kind.js';
export * from './tags.js';
