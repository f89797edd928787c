// The adapter tests' AWS for one test file: moto (the worker's server, see moto.ts) behind the counting fault
// proxy, emptied before each test, with an estate builder that talks to moto directly (never faulted or counted).
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createEstate, type Estate } from './estate.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { type MotoServer, startMoto } from './moto.js';

export interface MotoBehindFaultProxy {
  readonly moto: MotoServer;
  /** What the code under test talks to; no faults planned at the start of each test. */
  readonly proxy: FaultProxy;
  /** Builds estates on moto itself; a new one for each test. */
  readonly estate: Estate;
  /** Environment of the CLI: moto's credentials and region, the proxy as endpoint. */
  readonly env: NodeJS.ProcessEnv;
}

export interface MotoBehindFaultProxyOptions {
  /** The fault proxy's seed. */
  readonly seed: number;
  /** Environment of a moto server of the file's own, e.g. `MOTO_RDS_SNAPSHOT_LIMIT`. */
  readonly motoEnv?: Readonly<Record<string, string>>;
  /** The estate every test of the file starts from, built after moto was emptied. */
  readonly given?: (estate: Estate) => Promise<void>;
}

/** A fixture's field once its hook has set it; a clear error when read before. */
export function ready<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is set up in beforeAll: use it inside a test or hook`);
  return value;
}

/** Registers the file's hooks; the returned object's fields are set once `beforeAll` ran. */
export function useMotoBehindFaultProxy(options: MotoBehindFaultProxyOptions): MotoBehindFaultProxy {
  let moto: MotoServer | undefined;
  let proxy: FaultProxy | undefined;
  let estate: Estate | undefined;

  beforeAll(async () => {
    moto = await startMoto(options.motoEnv === undefined ? {} : { env: options.motoEnv });
    proxy = await startFaultProxy({ target: moto.endpoint, seed: options.seed });
  });

  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  beforeEach(async () => {
    const server = ready(moto, 'moto');
    await server.reset();
    ready(proxy, 'the fault proxy').setPlan([]);
    ready(proxy, 'the fault proxy').reset();
    estate = createEstate({ endpoint: server.endpoint });
    await options.given?.(estate);
  });

  return {
    get moto() {
      return ready(moto, 'moto');
    },
    get proxy() {
      return ready(proxy, 'the fault proxy');
    },
    get estate() {
      return ready(estate, 'the estate');
    },
    get env() {
      return {
        ...process.env,
        ...ready(moto, 'moto').env,
        AWS_ENDPOINT_URL: ready(proxy, 'the fault proxy').endpoint,
      };
    },
  };
}
