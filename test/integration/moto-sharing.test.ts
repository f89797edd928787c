// The worker's moto server as test files get it: empty at the start of each file, and never emptied under a file
// that still uses it.
import { describe, expect, it } from 'vitest';
import { createEstate } from '../support/estate.js';
import { MOTO_BROKER_ENV, startMoto } from '../support/moto.js';

const automated = (endpoint: string) => createEstate({ endpoint }).snapshotIds('us-east-1', 'automated');

describe('startMoto under npm test', () => {
  it('runs with a broker, so files share their worker’s server', () => {
    // Assess: without it every file would start its own server, as before.
    expect(process.env[MOTO_BROKER_ENV]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('hands a file the server empty, whatever an earlier file of the worker left on it', async () => {
    // Prepare: an earlier file's cluster (moto makes an automated snapshot with it).
    const earlier = await startMoto();
    await createEstate({ endpoint: earlier.endpoint }).createCluster('us-east-1', 'left-behind');
    await earlier.stop();

    // Act
    const next = await startMoto();

    // Assess
    try {
      expect(await automated(next.endpoint)).toEqual([]);
    } finally {
      await next.stop();
    }
  });

  it('gives a second server of the same file a private one, leaving the first its state', async () => {
    // Prepare
    const first = await startMoto();
    await createEstate({ endpoint: first.endpoint }).createCluster('us-east-1', 'kept');

    // Act
    const second = await startMoto();

    // Assess
    try {
      expect(await automated(first.endpoint)).toHaveLength(1);
      expect(await automated(second.endpoint)).toEqual([]);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
