// Test setup shared by every test file: Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions
// uses; the product's own polyfill (the demo needs it too) is loaded before any test.
import '../../src/demo/promise-polyfill.js';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll } from 'vitest';
import { setRestoreStoreFactory } from '../../src/handlers/drill-runtime.js';
import { setClock, setStoreFactory } from '../../src/handlers/runtime.js';
import { restoreEnvironment } from './environment.js';

// The files of a worker share one module graph and one process (vitest.config.ts: isolate false): what a file
// injects into the handlers' runtime, and what it sets in the environment (an endpoint of its own moto, a retry
// count), ends with the file, so the next file starts from the defaults a Lambda container has, whatever order
// the files run in.
let environmentAtStart: NodeJS.ProcessEnv = {};

beforeAll(() => {
  environmentAtStart = { ...process.env };
});

afterAll(() => {
  restoreEnvironment(environmentAtStart);
  setClock(undefined);
  setStoreFactory(undefined);
  setRestoreStoreFactory(undefined);
});

/**
 * aws-sdk-client-mock's `mockClient(RDSClient)` replaces the class's `send` for every instance: a file that
 * does not `.restore()` it would answer every later file's calls with nothing. Put back here, and the file
 * that left it fails, named.
 */
const MOCKABLE_CLIENTS = { RDSClient, KMSClient, STSClient, EC2Client, S3Client } as const;

afterAll(() => {
  const left: string[] = [];
  for (const [name, client] of Object.entries(MOCKABLE_CLIENTS)) {
    const send = client.prototype.send as { restore?: () => void };
    if (typeof send.restore === 'function') {
      send.restore();
      left.push(name);
    }
  }
  if (left.length > 0) {
    throw new Error(
      `this file left ${left.join(', ')} mocked (aws-sdk-client-mock): restore it in afterAll (mock.restore())`,
    );
  }
});
