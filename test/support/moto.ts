// moto's server (a real HTTP RDS/KMS/STS API for every region) on a free loopback port for a test file: the test
// worker's own server, emptied for the file, when the run has a moto broker (test/support/moto-broker.ts); else a
// private server started for the file.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { EMULATOR_DEFAULT_ACCOUNT } from '../../src/demo/emulator.js';
import { startAwsHonestLayer } from '../../src/demo/honest-layer.js';

export { withoutForeignTags } from '../../src/demo/honest-layer.js';

export const MOTO_INSTALL_LINE = "pip install 'moto[server]'";

/** Dummy credentials: the SDK signs every request, moto checks none of it. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** The account moto acts as unless a request carries `x-moto-account-id`. */
export const MOTO_DEFAULT_ACCOUNT = EMULATOR_DEFAULT_ACCOUNT;

export interface MotoServer {
  /**
   * `http://127.0.0.1:<port>`: moto behind a layer that answers as AWS does where moto is lenient
   * (src/demo/honest-layer.ts).
   */
  readonly endpoint: string;
  readonly port: number;
  /** Environment for a child process (the CLI) that should talk to this server. */
  readonly env: Readonly<Record<string, string>>;
  readonly credentials: typeof MOTO_CREDENTIALS;
  /** Clears every region and account (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Closes the layer; stops the server when it was started for the file (a worker's server runs on). */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Extra environment of the server, e.g. `MOTO_RDS_SNAPSHOT_LIMIT`. A server with its own environment is always private. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Start a server of its own even when the test worker's server is free (for a test of the start itself).
   * @default false
   */
  readonly private?: boolean;
  /** How long to wait for the server to answer. @default 30000 */
  readonly startTimeoutMs?: number;
}

/** A loopback port free when asked; closed again, so nothing answers on it until someone listens. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const CANDIDATES: readonly (readonly [string, readonly string[]])[] = [
  ['moto_server', []],
  ['python3', ['-m', 'moto.server']],
];

function missingMoto(detail: string): Error {
  return new Error(`moto's server is not installed (${detail}); install it with: ${MOTO_INSTALL_LINE}`);
}

/** Spawns one candidate; resolves once it answers HTTP, rejects if it exits or cannot start. */
async function launch(
  command: string,
  args: readonly string[],
  port: number,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ChildProcess> {
  const child = spawn(command, [...args, '-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let settled = false;
  const ended = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(error));
    child.once('exit', (code, signal) =>
      reject(Object.assign(new Error(`${command} exited (${signal ?? code}): ${stderr.trim()}`), { stderr })),
    );
  });
  const deadline = Date.now() + timeoutMs;
  const ready = (async () => {
    while (!settled && Date.now() < deadline) {
      try {
        await fetch(`http://127.0.0.1:${port}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
        return child;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`moto did not answer on port ${port} within ${timeoutMs} ms: ${stderr.trim()}`);
  })();
  // Whichever loses the race settles later (the server exits when stopped): nobody awaits it then.
  ended.catch(() => {});
  ready.catch(() => {});
  try {
    return await Promise.race([ready, ended]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    settled = true;
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that crashes must not leave servers behind.
  process.once('exit', () => {
    for (const server of running) server.kill('SIGKILL');
  });
}

/** A moto process on a loopback port, answering HTTP. */
export interface MotoProcess {
  readonly port: number;
  readonly child: ChildProcess;
}

/**
 * Starts `moto_server` (or `python3 -m moto.server`) on a free loopback port and waits until it answers.
 * Throws with the install line when moto is missing. The caller stops the child (`stopMotoProcess`); it is
 * killed when this process exits.
 */
export async function launchMotoProcess(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<MotoProcess> {
  const failures: string[] = [];
  for (const [command, args] of CANDIDATES) {
    // A port found free can be taken before moto binds it; a second port is tried before giving up.
    for (let attempt = 0; attempt < 2; attempt++) {
      const port = await freePort();
      try {
        const child = await launch(command, args, port, env, timeoutMs);
        killOnExit(child);
        return { port, child };
      } catch (error) {
        const err = error as NodeJS.ErrnoException & { stderr?: string };
        if (err.code === 'ENOENT') {
          failures.push(`${command}: not found`);
          break;
        }
        if (/No module named/.test(err.stderr ?? err.message)) {
          failures.push(`${command}: no moto module`);
          break;
        }
        if (!/address already in use/i.test(err.stderr ?? err.message)) throw err;
      }
    }
  }
  throw missingMoto(failures.join('; '));
}

/** Environment variable through which a test run's moto broker is found (set by its global setup). */
export const MOTO_BROKER_ENV = 'AURORA_SNAPSHOT_TOOL_MOTO_BROKER';

/**
 * Whether this process already handed out its worker's shared server (a second `startMoto` in the same
 * file then gets a private one, as emptying the shared one would wipe the first's state).
 */
let sharedInUse = false;

/**
 * The port of this test worker's moto server, started by the broker on first request. Test files of one
 * Vitest worker (`VITEST_POOL_ID`) run one after another, never at the same time, so each file can empty the
 * server for itself. Undefined outside such a run.
 */
async function sharedMotoPort(timeoutMs: number): Promise<number | undefined> {
  const broker = process.env[MOTO_BROKER_ENV];
  const worker = process.env.VITEST_POOL_ID;
  if (!broker || !worker) return undefined;
  const response = await fetch(`${broker}/worker/${encodeURIComponent(worker)}`, {
    method: 'POST',
    signal: AbortSignal.timeout(timeoutMs + 5_000),
  });
  const answer = (await response.json()) as { port?: number; error?: string };
  if (!response.ok || answer.port === undefined)
    throw new Error(answer.error ?? `moto broker: HTTP ${response.status}`);
  return answer.port;
}

function useMotoCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/**
 * Empties the moto server at `endpoint`. Emptying is idempotent, so it is asked again once when the connection
 * drops before an answer: fetch may reuse a kept-alive socket the server has just closed (ECONNRESET, seen on a
 * loaded machine). An HTTP error is not asked again.
 */
export async function resetMoto(endpoint: string): Promise<void> {
  const reset = () => fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  const response = await reset().catch(reset);
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}

/**
 * A moto server for this test file, empty, on a loopback port: the test worker's own server when the run
 * has a broker and it is free (emptied first, and left running by `stop`), else `moto_server` (or
 * `python3 -m moto.server`) started for the file. Also puts dummy credentials in this process's environment
 * so SDK clients built here never reach for real ones. Throws with the install line when moto is missing.
 */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  useMotoCredentials();
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const mayShare = options.env === undefined && options.private !== true && !sharedInUse;
  const sharedPort = mayShare ? await sharedMotoPort(timeoutMs) : undefined;
  let motoPort: number;
  let stopServer: () => Promise<void>;
  if (sharedPort !== undefined) {
    sharedInUse = true;
    motoPort = sharedPort;
    // The previous file of this worker left its state behind.
    await resetMoto(`http://127.0.0.1:${motoPort}`);
    stopServer = async () => {
      sharedInUse = false;
    };
  } else {
    const launched = await launchMotoProcess({ ...process.env, ...options.env }, timeoutMs);
    motoPort = launched.port;
    stopServer = () => stopMotoProcess(launched.child);
  }
  const layer = await startAwsHonestLayer(`http://127.0.0.1:${motoPort}`);
  const endpoint = layer.endpoint;
  const layerPort = Number(new URL(endpoint).port);
  let stopped = false;

  return {
    endpoint,
    port: layerPort,
    credentials: MOTO_CREDENTIALS,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    reset: () => resetMoto(endpoint),
    async stop() {
      if (stopped) return;
      stopped = true;
      await layer.stop();
      await stopServer();
    },
  };
}

/** Stops a moto process: SIGTERM, then SIGKILL if it is still there after 3 s. */
export async function stopMotoProcess(server: ChildProcess): Promise<void> {
  running.delete(server);
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const forced = setTimeout(() => server.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(forced);
}
