// The layer that copies a snapshot another account shared, as AWS does and moto cannot: the organization demo's (src/demo/shared-copy-layer.ts).
export * from '../../src/demo/shared-copy-layer.js';
