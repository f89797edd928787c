// Test setup shared by every test file: Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions
// uses; the product's own polyfill (the demo needs it too) is loaded before any test.
import '../../src/demo/promise-polyfill.js';
import { afterAll, beforeAll } from 'vitest';
import { restoreEnvironment } from './environment.js';
import { hasLoadedFile } from './loaded-modules.js';
import { restoreClassMocks } from './mockable-clients.js';

const RUNTIME = new URL('../../src/handlers/runtime.ts', import.meta.url);
const DRILL_RUNTIME = new URL('../../src/handlers/drill-runtime.ts', import.meta.url);

// The files of a worker share one module graph and one process (vitest.config.ts: isolate false): what a file
// injects into the handlers' runtime, and what it sets in the environment (an endpoint of its own moto, a retry
// count), ends with the file, so the next file starts from the defaults a Lambda container has, whatever order
// the files run in. The handlers' runtime is imported here only when the file loaded it (test/support/
// loaded-modules.ts): the SDK it brings costs a second a file where nothing else needs it.
let environmentAtStart: NodeJS.ProcessEnv = {};

beforeAll(() => {
  environmentAtStart = { ...process.env };
});

afterAll(async () => {
  restoreEnvironment(environmentAtStart);
  if (hasLoadedFile(RUNTIME)) {
    const { setClock, setStoreFactory } = await import('../../src/handlers/runtime.js');
    setClock(undefined);
    setStoreFactory(undefined);
  }
  if (hasLoadedFile(DRILL_RUNTIME)) {
    const { setRestoreStoreFactory } = await import('../../src/handlers/drill-runtime.js');
    setRestoreStoreFactory(undefined);
  }
});

// A class-wide aws-sdk-client-mock left by a file would answer every later file's calls with nothing: put back
// here, and the file that left it fails, named.
afterAll(async () => {
  const left = await restoreClassMocks();
  if (left.length > 0) {
    throw new Error(
      `this file left ${left.join(', ')} mocked (aws-sdk-client-mock): restore it in afterAll (mock.restore())`,
    );
  }
});
