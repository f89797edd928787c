// A loopback proxy that lets a chosen mutation reach AWS and then kills the process that sent it before the answer arrives: a crash right after the mutation.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  forward,
  identify,
  listenOnLoopback,
  readBody,
  send,
  stopServer,
} from '../../support/http-forward.js';

export interface CrashProxy {
  readonly endpoint: string;
  /**
   * Arms the proxy: the `nth` request of `action` (1-based) is forwarded, and once its answer is back
   * `crash` runs (it kills the caller) and the connection is destroyed.
   */
  arm(action: string, crash: () => Promise<void>, nth?: number): void;
  /** Whether the armed crash happened. */
  crashed(): boolean;
  /** Requests that arrived after the crash (a killed process sends none). */
  afterCrash(): number;
  stop(): Promise<void>;
}

export async function startCrashProxy(target: string): Promise<CrashProxy> {
  const upstream = new URL(target);
  let armed: { action: string; crash: () => Promise<void>; nth: number; seen: number } | undefined;
  let crashed = false;
  let after = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const call = identify(req, body);
      if (crashed) after += 1;
      const fires = armed !== undefined && call.action === armed.action && ++armed.seen === armed.nth;
      const answer = await forward(upstream, req, body);
      if (fires && armed) {
        crashed = true;
        await armed.crash();
        req.socket.destroy();
        return;
      }
      send(res, answer);
    })().catch(() => {
      res.destroy();
    });
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    arm(action, crash, nth = 1) {
      armed = { action, crash, nth, seen: 0 };
      crashed = false;
      after = 0;
    },
    crashed: () => crashed,
    afterCrash: () => after,
    stop: () => stopServer(server),
  };
}

const CLI = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts');

export interface CrashingRun {
  /** The signal that ended the child (SIGKILL when the crash happened). */
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs the CLI (`argv`) in a child process talking to AWS through `proxy`, which kills it right after
 * the `nth` request of `action` reached AWS. A child is needed: the crash must end the process without
 * any cleanup running.
 */
export async function crashingCliRun(
  proxy: CrashProxy,
  action: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  nth = 1,
): Promise<CrashingRun> {
  let child: ChildProcess | undefined;
  let stderr = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => {
    child = spawn(process.execPath, ['--import', 'tsx', CLI, ...argv], {
      env: { ...env, AWS_ENDPOINT_URL: proxy.endpoint },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (_code, signal) => resolve(signal));
  });
  proxy.arm(
    action,
    async () => {
      child?.kill('SIGKILL');
      await exited;
    },
    nth,
  );
  return { signal: await exited, stderr };
}
