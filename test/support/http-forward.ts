// The loopback proxies' shared plumbing lives with the organization demo's layers (src/demo/http-forward.ts).
export * from '../../src/demo/http-forward.js';
