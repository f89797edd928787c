// The core: the tool's decisions, pure and with the clock injected; it imports nothing else of src/.

export * from './copies/index.js';
export * from './drill/index.js';
export * from './model/index.js';
export * from './plan/index.js';
export * from './policy/index.js';
