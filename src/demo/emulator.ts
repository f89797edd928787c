/**
 * The demo's AWS emulator: starts moto's server on a free loopback port (or uses the endpoint given),
 * checks that it really is moto before touching it, and stops it afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The account moto acts as when a request does not name one (`x-moto-account-id`). */
export const EMULATOR_DEFAULT_ACCOUNT = '123456789012';

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** True when the demo started the server (and stops it). */
  readonly embedded: boolean;
  /** Clears every region and account of the emulator. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** moto is not installed: the CLI prints the message and exits 2. */
export class EmulatorMissingError extends Error {
  readonly exitCode = 2;
  constructor(detail: string) {
    super(
      `The demo needs moto, the AWS emulator, and it is not installed (${detail}).\n` +
        `Install it with:  pip install 'moto[server]'\n` +
        'or point the demo at a running moto server with AWS_ENDPOINT_URL=http://127.0.0.1:5000',
    );
    this.name = 'EmulatorMissing';
  }
}

/** The endpoint answers but is not a moto server: the demo refuses to create its estate there. */
export class NotAnEmulatorError extends Error {
  readonly exitCode = 2;
  constructor(endpoint: string, detail: string) {
    super(
      `${endpoint} is not a moto server (${detail}). The demo creates and deletes resources, so it runs ` +
        'only against moto: unset AWS_ENDPOINT_URL to let it start its own.',
    );
    this.name = 'NotAnEmulator';
  }
}

export interface StartOptions {
  /** An emulator already running (AWS_ENDPOINT_URL); otherwise one is started. */
  readonly endpoint?: string | undefined;
  /** Extra environment for the started server (e.g. MOTO_RDS_SNAPSHOT_LIMIT). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** How long to wait for a started server to answer. */
  readonly startTimeoutMs?: number | undefined;
}

export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
  if (options.endpoint) {
    const endpoint = options.endpoint.replace(/\/+$/, '');
    await assertMoto(endpoint);
    return { endpoint, embedded: false, reset: () => resetMoto(endpoint), stop: async () => {} };
  }
  const port = await freePort();
  const env = { ...process.env, ...options.env };
  const child = await launch(port, env);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { endpoint, embedded: true, reset: () => resetMoto(endpoint), stop: () => stopChild(child) };
}

/** `moto_server`, else `python3 -m moto.server`: whichever exists. */
async function launch(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const args = ['-H', '127.0.0.1', '-p', String(port)];
  const candidates: [string, string[]][] = [
    ['moto_server', args],
    ['python3', ['-m', 'moto.server', ...args]],
  ];
  const problems: string[] = [];
  for (const [command, commandArgs] of candidates) {
    const child = spawn(command, commandArgs, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const outcome = await new Promise<'spawned' | string>((resolve) => {
      child.once('spawn', () => resolve('spawned'));
      child.once('error', (error) =>
        resolve(`${command}: ${(error as NodeJS.ErrnoException).code ?? error.message}`),
      );
    });
    if (outcome === 'spawned') return child;
    problems.push(outcome);
  }
  throw new EmulatorMissingError(problems.join('; '));
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      if (/No module named moto|ModuleNotFoundError/.test(stderr)) {
        throw new EmulatorMissingError('python3 has no module moto');
      }
      throw new Error(
        `moto server exited with code ${exited}: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
      );
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet: poll again.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto server did not answer on ${endpoint} within ${Math.round(timeoutMs / 1000)} s`);
}

// `/moto-api/config` is moto's own, read-only and cheap (its `data.json` fails on some states), so it tells
// moto apart from anything else without changing a thing there.
async function assertMoto(endpoint: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new NotAnEmulatorError(endpoint, `no answer: ${(error as Error).message}`);
  }
  if (!response.ok) throw new NotAnEmulatorError(endpoint, `/moto-api/ answered HTTP ${response.status}`);
}

async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
