// The crash scenarios' history: six scheduled runs of the CLI build a state, a seventh is killed right after
// one mutation reached AWS, and the runs after it must converge to the state of the uninterrupted history.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../support/cli.js';
import { type CrashingRun, type CrashProxy, crashingCliRun, startCrashProxy } from './crash-proxy.js';
import { HOUR, type Rig, startRig } from './rig.js';

const T0 = Date.parse('2026-04-01T00:00:00Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** Six scheduled runs, 8 hours apart: something to take, copy, share and expire at every run. */
export const WARM_UP: readonly string[] = [0, 8, 16, 24, 32, 40].map((h) => at(h * HOUR));
/** The run that is killed. */
export const CRASH_AT = at(48 * HOUR);
/** The runs after the crash. */
export const AFTER: readonly string[] = [at(48 * HOUR + 5 * MINUTE), at(48 * HOUR + 10 * MINUTE)];
/** When the plan must be empty. */
export const CHECK_AT = at(48 * HOUR + 15 * MINUTE);

export interface CrashScenarioOptions {
  /** The fault proxy's seed. */
  readonly seed: number;
  /**
   * Builds the estate of a history on the emptied moto and returns the configuration file's text (moto's
   * reset forgets KMS keys, so a configuration naming a key is written anew for each history).
   */
  setUp(rig: Rig): Promise<string>;
}

export interface CrashScenario {
  readonly rig: Rig;
  readonly crashProxy: CrashProxy;
  /** The configuration file of the current history. */
  readonly config: string;
  /** One CLI run at `now` that must succeed. */
  pass(now: string): Promise<void>;
  /** Empties moto, builds the estate and runs the warm-up. */
  prepare(): Promise<void>;
  /** The runs after the crash, then the actions (source and destination) of the plan at CHECK_AT. */
  recoverAndPlan(): Promise<unknown[]>;
  /** A run at CRASH_AT killed right after the `nth` request of `action` reached AWS: nothing more of it does. */
  crashingRun(action: string, nth?: number): Promise<CrashingRun>;
  stop(): Promise<void>;
}

export async function startCrashScenario(options: CrashScenarioOptions): Promise<CrashScenario> {
  const rig = await startRig({ seed: options.seed });
  const crashProxy = await startCrashProxy(rig.proxy.endpoint);
  const config = join(mkdtempSync(join(tmpdir(), 'ast-crash-')), 'tool.yaml');

  const pass = async (now: string): Promise<void> => {
    const result = await runCli(['run', '--config', config, '--now', now], rig.env);
    expect(result.code, `run at ${now}: ${result.stderr}`).toBe(0);
  };

  return {
    rig,
    crashProxy,
    config,
    pass,
    async prepare() {
      await rig.reset();
      writeFileSync(config, await options.setUp(rig));
      for (const now of WARM_UP) await pass(now);
    },
    async recoverAndPlan() {
      for (const now of AFTER) await pass(now);
      const plan = await runCli(['plan', '--config', config, '--now', CHECK_AT, '--json'], rig.env);
      expect(plan.code, plan.stderr).toBe(0);
      const parsed = JSON.parse(plan.stdout) as {
        source?: { actions: unknown[] };
        destination?: { actions: unknown[] };
      };
      return [...(parsed.source?.actions ?? []), ...(parsed.destination?.actions ?? [])];
    },
    crashingRun: (action, nth = 1) =>
      crashingCliRun(crashProxy, action, ['run', '--config', config, '--now', CRASH_AT], rig.env, nth),
    async stop() {
      await crashProxy.stop();
      await rig.stop();
    },
  };
}
