// The layer that refuses AssumeRole of a role that does not exist, as AWS does and moto does not: the organization demo's (src/demo/role-checking-layer.ts).
export * from '../../src/demo/role-checking-layer.js';
