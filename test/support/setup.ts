// Test setup shared by every test file: Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions
// uses; the product's own polyfill (the demo needs it too) is loaded before any test.
import '../../src/demo/promise-polyfill.js';
