// The worker's moto server as test files get it: empty at the start of each file, and never emptied under a file
// that still uses it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createEstate } from '../support/estate.js';
import { MOTO_BROKER_ENV, resetMoto, startMoto } from '../support/moto.js';

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

// A worker's server is emptied before each file: a connection dropped on the way (a kept-alive socket the server
// had just closed) must not fail the file, and an HTTP error must still.
describe('resetMoto', () => {
  async function serve(
    answers: Array<'drop' | number>,
  ): Promise<{ endpoint: string; close: () => void; asked: () => number }> {
    let asked = 0;
    const server = createServer((request, response) => {
      const answer = answers[asked++] ?? 200;
      if (answer === 'drop') {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close(), asked: () => asked };
  }

  it('asks again once when the connection drops before an answer', async () => {
    // Prepare
    const server = await serve(['drop', 200]);
    try {
      // Act
      await resetMoto(server.endpoint);

      // Assess
      expect(server.asked()).toBe(2);
    } finally {
      server.close();
    }
  });

  it('fails on an HTTP error without asking again, and when the connection drops twice', async () => {
    // Prepare
    const refusing = await serve([500]);
    const dropping = await serve(['drop', 'drop']);
    try {
      // Act / Assess
      await expect(resetMoto(refusing.endpoint)).rejects.toThrow('moto reset failed: HTTP 500');
      expect(refusing.asked()).toBe(1);
      await expect(resetMoto(dropping.endpoint)).rejects.toThrow();
      expect(dropping.asked()).toBe(2);
    } finally {
      refusing.close();
      dropping.close();
    }
  });
});
