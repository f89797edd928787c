/**
 * What the loopback layers in front of the emulator share (the organization demo's and the tests' proxies): reading
 * a request, naming its AWS action and region, forwarding it, and answering with RDS-style errors.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Upstream {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** The Query-protocol action of a request and the region of its signature (`unknown` when unsigned). */
export interface AwsCall {
  readonly action: string | undefined;
  readonly region: string;
  readonly form: URLSearchParams;
}

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function identify(req: IncomingMessage, body: Buffer): AwsCall {
  const region = CREDENTIAL_SCOPE.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'unknown';
  const form = new URLSearchParams(body.toString('utf8'));
  const target = req.headers['x-amz-target'];
  const action =
    typeof target === 'string' && target.includes('.')
      ? target.slice(target.lastIndexOf('.') + 1)
      : (form.get('Action') ??
        new URL(req.url ?? '/', 'http://proxy').searchParams.get('Action') ??
        undefined);
  return { action, region, form };
}

export function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host, 'content-length': String(body.length) },
      },
      (response) => {
        readBody(response).then(
          (data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }),
          reject,
        );
      },
    );
    upstream.once('error', reject);
    upstream.end(body);
  });
}

export function send(res: ServerResponse, answer: Upstream): void {
  const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
  delete headers['transfer-encoding'];
  delete headers.connection;
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/** An RDS Query-protocol error answer, as RDS writes it. */
export function rdsError(status: number, code: string, message: string): Upstream {
  const body = Buffer.from(
    `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>` +
      `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>reliability-proxy</RequestId></ErrorResponse>`,
  );
  return { status, headers: { 'content-type': 'text/xml' }, body };
}

/** Answers a proxy's own failure: 502 naming the proxy while nothing was sent, else the connection is cut. */
export function failRequest(res: ServerResponse, proxy: string, error: unknown): void {
  if (!res.headersSent) {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`${proxy}: ${String(error)}`);
  } else {
    res.destroy();
  }
}

/** Starts `server` on a free loopback port and returns its endpoint (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops `server`: ends the connections it holds open (kept-alive SDK sockets) and waits until it is closed. */
export function stopServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A loopback layer in front of an emulator, as the demo and the tests start them. */
export interface Layer {
  readonly endpoint: string;
  readonly server: Server;
  stop(): Promise<void>;
}

/**
 * A loopback layer in front of `target`: `handle` answers each request itself, or passes it on (`pass`
 * forwards it as it is then, headers included) and returns that answer or what it makes of it. `name` says
 * which layer failed when it does.
 */
export async function startLayer(
  target: string,
  name: string,
  handle: (call: AwsCall, req: IncomingMessage, pass: () => Promise<Upstream>) => Promise<Upstream>,
): Promise<Layer> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      send(res, await handle(identify(req, body), req, () => forward(upstream, req, body)));
    })().catch((error: unknown) => failRequest(res, name, error));
  });
  return { endpoint: await listenOnLoopback(server), server, stop: () => stopServer(server) };
}

/**
 * A layer that forwards every request to `target` and answers with what it got back, or with what `rewrite`
 * makes of it (undefined: unchanged).
 */
export function startAnswerLayer(
  target: string,
  name: string,
  rewrite: (
    call: AwsCall,
    req: IncomingMessage,
    answer: Upstream,
  ) => Promise<Upstream | undefined> | Upstream | undefined,
): Promise<Layer> {
  return startLayer(target, name, async (call, req, pass) => {
    const answer = await pass();
    return (await rewrite(call, req, answer)) ?? answer;
  });
}
