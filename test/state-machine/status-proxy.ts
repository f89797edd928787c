// A loopback proxy in front of moto that reports chosen snapshots as still `creating` for a number of polls (moto makes them available at once).
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stopServer } from '../support/http-forward.js';

export interface StatusProxy {
  /** Give it to the SDK as the endpoint (`AWS_ENDPOINT_URL`). */
  readonly endpoint: string;
  /**
   * The next `polls` lookups of a snapshot whose identifier matches `pattern`
   * (DescribeDBClusterSnapshots with DBClusterSnapshotIdentifier) report `status` instead of `available`,
   * with PercentProgress `progress` (default 0: no progress).
   */
  hold(pattern: RegExp, polls: number, status?: string, progress?: number): void;
  /** Lookups answered with a held status so far. */
  held(): number;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startStatusProxy(target: string): Promise<StatusProxy> {
  const upstream = new URL(target);
  const holds: { pattern: RegExp; remaining: number; status: string; progress: number }[] = [];
  let heldCount = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const form = new URLSearchParams(body.toString('utf8'));
      const identifier =
        form.get('Action') === 'DescribeDBClusterSnapshots' ? form.get('DBClusterSnapshotIdentifier') : null;
      const hold = identifier ? holds.find((h) => h.remaining > 0 && h.pattern.test(identifier)) : undefined;
      const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
        (resolve, reject) => {
          const forwarded = httpRequest(
            {
              host: upstream.hostname,
              port: upstream.port,
              method: req.method,
              path: req.url,
              headers: { ...req.headers, host: upstream.host },
            },
            (response) => {
              readBody(response).then(
                (data) =>
                  resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }),
                reject,
              );
            },
          );
          forwarded.on('error', reject);
          forwarded.end(body);
        },
      );
      let data = answer.body;
      if (hold && answer.status === 200) {
        const text = data.toString('utf8');
        if (text.includes('<Status>available</Status>')) {
          hold.remaining -= 1;
          heldCount += 1;
          data = Buffer.from(
            text
              .replaceAll('<Status>available</Status>', `<Status>${hold.status}</Status>`)
              .replaceAll(
                /<PercentProgress>\d+<\/PercentProgress>/g,
                `<PercentProgress>${hold.progress}</PercentProgress>`,
              ),
          );
        }
      }
      const headers = { ...answer.headers, 'content-length': String(data.length) };
      delete headers['transfer-encoding'];
      res.writeHead(answer.status, headers);
      res.end(data);
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`status proxy: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    hold(pattern, polls, status = 'creating', progress = 0) {
      holds.push({ pattern, remaining: polls, status, progress });
    },
    held: () => heldCount,
    stop: () => stopServer(server),
  };
}
