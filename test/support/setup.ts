// Test setup shared by every test file: Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions
// uses; the product's own polyfill (the demo needs it too) is loaded before any test.
import '../../src/demo/promise-polyfill.js';
import { afterAll } from 'vitest';
import { setRestoreStoreFactory } from '../../src/handlers/drill-runtime.js';
import { setClock, setStoreFactory } from '../../src/handlers/runtime.js';

// The files of a worker share one module graph (vitest.config.ts: isolate false): what a file injects into
// the handlers' runtime ends with the file, so the next file starts from the defaults a Lambda container has.
afterAll(() => {
  setClock(undefined);
  setStoreFactory(undefined);
  setRestoreStoreFactory(undefined);
});
