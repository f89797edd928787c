// The demo's emulator handling: a missing moto says how to install it (exit 2), a non-moto endpoint is refused
// before anything is created there, and a started server answers and stops.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorMissingError, startEmulator } from '../../src/demo/emulator.js';
import { runDemo } from '../../src/demo/run.js';

describe('startEmulator', () => {
  it('reports moto missing, with the pip command, when neither moto_server nor python3 can be found', async () => {
    // Act
    const attempt = startEmulator({ env: { PATH: '/nonexistent' } });
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(EmulatorMissingError);
    await expect(attempt).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("pip install 'moto[server]'"),
    });
  });

  it('starts moto on a loopback port, answers, and is gone after stop', async () => {
    // Act
    const emulator = await startEmulator();
    const answer = await fetch(`${emulator.endpoint}/moto-api/config`);
    await emulator.stop();
    // Assess
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.embedded).toBe(true);
    expect(answer.ok).toBe(true);
    await expect(fetch(`${emulator.endpoint}/moto-api/config`)).rejects.toThrow();
  });
});

describe('startEmulator with an endpoint (AWS_ENDPOINT_URL)', () => {
  it('uses the running moto, clears it on reset, and leaves it running on stop', async () => {
    // Prepare
    const own = await startEmulator();
    try {
      await fetch(`${own.endpoint}/`, {
        method: 'POST',
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=a/20250101/us-east-1/kms/aws4_request',
          'x-amz-target': 'TrentService.CreateKey',
          'content-type': 'application/x-amz-json-1.1',
        },
        body: '{}',
      });
      const listKeys = async () => {
        const response = await fetch(`${own.endpoint}/`, {
          method: 'POST',
          headers: {
            authorization: 'AWS4-HMAC-SHA256 Credential=a/20250101/us-east-1/kms/aws4_request',
            'x-amz-target': 'TrentService.ListKeys',
            'content-type': 'application/x-amz-json-1.1',
          },
          body: '{}',
        });
        return ((await response.json()) as { Keys: unknown[] }).Keys.length;
      };
      // Act
      const given = await startEmulator({ endpoint: `${own.endpoint}/` });
      const before = await listKeys();
      await given.reset();
      const after = await listKeys();
      await given.stop();
      const stillThere = await fetch(`${own.endpoint}/moto-api/config`);
      // Assess
      expect(given.embedded).toBe(false);
      expect(given.endpoint).toBe(own.endpoint);
      expect([before, after]).toEqual([1, 0]);
      expect(stillThere.ok).toBe(true);
    } finally {
      await own.stop();
    }
  });
});

describe('runDemo against an endpoint that is not moto', () => {
  let server: Server;
  let endpoint: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses with exit code 2 after one read-only probe, creating nothing there', async () => {
    // Prepare
    const errors: string[] = [];
    // Act
    const result = await runDemo({
      days: 1,
      out: '/nonexistent/never-written.html',
      endpoint,
      io: { write: () => {}, error: (line) => errors.push(line) },
    });
    // Assess
    expect(result.exitCode).toBe(2);
    expect(result.checks).toEqual([expect.objectContaining({ ok: false })]);
    expect(errors.join('\n')).toContain('is not a moto server');
    expect(requests).toEqual(['GET /moto-api/config']);
  });

  it('refuses a period that is not a whole number of days with exit code 2', async () => {
    // Prepare
    const errors: string[] = [];
    // Act
    const result = await runDemo({
      days: 0.5,
      out: 'x.html',
      endpoint,
      io: { write: () => {}, error: (l) => errors.push(l) },
    });
    // Assess
    expect(result.exitCode).toBe(2);
    expect(errors.join('\n')).toContain('--days must be a whole number from 1 to 365');
  });
});
