// A loopback proxy that lets a chosen mutation reach AWS and then lets nothing more of that run reach it: a
// crash right after the mutation, as AWS sees one.
import { createServer } from 'node:http';
import { type CliRun, runCli } from '../../support/cli.js';
import {
  forward,
  identify,
  listenOnLoopback,
  rdsError,
  readBody,
  send,
  stopServer,
} from '../../support/http-forward.js';

export interface CrashProxy {
  readonly endpoint: string;
  /**
   * Arms the proxy: the `nth` request of `action` (1-based) is forwarded, and once its answer is back the run
   * is dead: that answer, and every answer and request after it, never reach AWS or the run.
   */
  arm(action: string, nth?: number): void;
  /** Whether the armed crash happened. */
  crashed(): boolean;
  stop(): Promise<void>;
}

/**
 * What the run learns of the crash: an answer that is not AWS's, so that it ends at once. A refusal is not
 * retried; nothing the run does after it reaches AWS.
 */
const DEAD = () => rdsError(403, 'AccessDenied', 'the process was killed (crash proxy)');

export async function startCrashProxy(target: string): Promise<CrashProxy> {
  const upstream = new URL(target);
  let armed: { action: string; nth: number; seen: number } | undefined;
  let crashed = false;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (crashed) {
        send(res, DEAD());
        return;
      }
      const call = identify(req, body);
      const fires = armed !== undefined && call.action === armed.action && ++armed.seen === armed.nth;
      const answer = await forward(upstream, req, body);
      if (fires) crashed = true;
      // A request in flight when the crash happens reaches AWS, as in a killed process; its answer is lost.
      send(res, crashed ? DEAD() : answer);
    })().catch(() => {
      res.destroy();
    });
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    arm(action, nth = 1) {
      armed = { action, nth, seen: 0 };
      crashed = false;
    },
    crashed: () => crashed,
    stop: () => stopServer(server),
  };
}

export interface CrashingRun {
  /** The run's exit code: not 0 once it learnt of the crash. */
  readonly code: number;
  /** What it printed on stderr. */
  readonly stderr: string;
}

/**
 * Runs the CLI (`argv`) in this process, talking to AWS through `proxy`, which lets the `nth` request of
 * `action` reach AWS and then nothing else of the run: from AWS's side, a process killed right after that
 * request. The run learns it from refusals and ends; nothing it does after reaches AWS, so no cleanup does.
 */
export async function crashingCliRun(
  proxy: CrashProxy,
  action: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  nth = 1,
): Promise<CrashingRun> {
  proxy.arm(action, nth);
  const run: CliRun = await runCli(argv, { ...env, AWS_ENDPOINT_URL: proxy.endpoint });
  return { code: run.code, stderr: run.stderr };
}
