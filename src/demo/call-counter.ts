/**
 * A counting pass-through proxy in front of the emulator: every AWS request the tool sends during the
 * simulation crosses it, so the demo can report the calls by kind as they went over the wire
 * (retries included), whatever client or middleware made them.
 */
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';

export interface CallCounter {
  /** The endpoint to give the tool instead of the emulator's. */
  readonly endpoint: string;
  /** Counts by `service:Operation`, since the last reset. */
  counts(): Map<string, number>;
  /** Counts by account id (the x-moto-account-id header, else `default`). */
  countsByAccount(): Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/** The operation a request names: the query protocol's `Action`, else the JSON protocol's target. */
export function operationOf(headers: IncomingMessage['headers'], body: string, url: string): string {
  const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''))?.[1];
  const target = headers['x-amz-target'];
  let action: string | undefined;
  if (typeof target === 'string') action = target.split('.').pop();
  if (!action) action = new URLSearchParams(body).get('Action') ?? undefined;
  if (!action) action = new URL(url, 'http://localhost').searchParams.get('Action') ?? undefined;
  return `${service ?? 'unknown'}:${action ?? 'unknown'}`;
}

export async function startCallCounter(upstream: string): Promise<CallCounter> {
  const target = new URL(upstream);
  const counts = new Map<string, number>();
  const byAccount = new Map<string, number>();
  // One pooled connection set to the emulator: a new TCP connection per call would cost more than the call.
  const agent = new Agent({ keepAlive: true });
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bump(counts, operationOf(req.headers, body.toString('utf8'), req.url ?? '/'));
      const account = req.headers['x-moto-account-id'];
      bump(byAccount, typeof account === 'string' ? account : 'default');
      const forward = request(
        {
          hostname: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
          agent,
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`call counter: upstream ${upstream} failed: ${error.message}`);
      });
      forward.end(body);
    });
  });
  // Keep-alive sockets from the SDK would hold close() open; the demo ends them itself.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => new Map(counts),
    countsByAccount: () => new Map(byAccount),
    reset() {
      counts.clear();
      byAccount.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
