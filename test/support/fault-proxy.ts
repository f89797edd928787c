// A loopback HTTP proxy in front of moto that counts every AWS API request and, by a seeded plan, answers some with faults.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { failRequest, forward, listenOnLoopback, readBody, send, stopServer } from './http-forward.js';

/**
 * - `throttle`: HTTP 400 with the service's throttling error (`Throttling` for RDS/STS, `ThrottlingException` for KMS)
 * - `error500` / `error503`: a server fault in the service's error format
 * - `drop`: the connection is destroyed before the request reaches moto (nothing happened)
 * - `drop-after-forward`: moto handles the request, then the connection is destroyed before the answer
 *   (the call happened but the caller cannot know: the crash-after-mutation case)
 * - `delay`: the request is held for `delayMs`, then forwarded
 */
export type FaultKind = 'throttle' | 'error500' | 'error503' | 'drop' | 'drop-after-forward' | 'delay';

export interface FaultRule {
  readonly fault: FaultKind;
  /** API actions the rule applies to (e.g. `CreateDBClusterSnapshot`); all when absent. */
  readonly actions?: readonly string[];
  /** Regions the rule applies to; all when absent. */
  readonly regions?: readonly string[];
  /** Chance that a matching request is faulted, decided by the seeded generator. @default 1 */
  readonly probability?: number;
  /** Fault only these matching calls (1-based, counted per rule over all its actions and regions). */
  readonly nth?: number | readonly number[];
  /** At most this many faults from this rule. */
  readonly times?: number;
  /** For `delay`. @default 200 */
  readonly delayMs?: number;
}

/** Rules in order; the first that fires decides a request's fault. */
export type FaultPlan = readonly FaultRule[];

/** RDS calls that change something (the ones a crash can interrupt). */
export const MUTATING_ACTIONS: readonly string[] = [
  'CreateDBClusterSnapshot',
  'CopyDBClusterSnapshot',
  'DeleteDBClusterSnapshot',
  'ModifyDBClusterSnapshotAttribute',
  'AddTagsToResource',
  'RemoveTagsFromResource',
];

export interface ProxiedRequest {
  readonly region: string;
  /** Signing name from the credential scope: `rds`, `kms`, `sts`. */
  readonly service: string;
  readonly action: string;
  readonly account: string | undefined;
  readonly fault: FaultKind | undefined;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to the SDK as the endpoint. */
  readonly endpoint: string;
  /** Requests per `${region}:${Action}`, faulted ones included. */
  counts(): Record<string, number>;
  /** Requests of one action (all regions), or of all actions. */
  total(action?: string): number;
  /** Faults injected per `${region}:${Action}`. */
  faults(): Record<string, number>;
  /** Every counted request in arrival order. */
  requests(): readonly ProxiedRequest[];
  /** Replaces the plan and restarts its rules' call and fault counters. */
  setPlan(plan: FaultPlan): void;
  /** Forgets counts and requests and restarts the plan's counters (the plan stays). */
  reset(): void;
  stop(): Promise<void>;
}

export interface FaultProxyOptions {
  /** moto's endpoint. */
  readonly target: string;
  readonly seed: number;
  readonly plan?: FaultPlan;
}

/** 32-bit FNV-1a: turns the decision's inputs into a seed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** One draw of mulberry32 from a seed: uniform in [0, 1). */
function mulberry32(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * The draw for the n-th request of one action in one region under one rule. Deriving it from those
 * inputs, not from one shared stream, keeps a seed's faults the same when the engine sends requests of
 * different actions or regions concurrently in another order.
 */
export function faultDraw(seed: number, rule: number, key: string, n: number): number {
  return mulberry32(fnv1a(`${seed}|${rule}|${key}|${n}`));
}

interface Identified {
  readonly region: string;
  readonly service: string;
  readonly action: string;
  readonly json: boolean;
}

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

function identify(req: IncomingMessage, body: Buffer): Identified | undefined {
  const scope = CREDENTIAL_SCOPE.exec(String(req.headers.authorization ?? ''));
  const region = scope?.[1] ?? 'unknown';
  const service = scope?.[2] ?? 'unknown';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    return { region, service, action: target.slice(target.lastIndexOf('.') + 1), json: true };
  }
  const fromQuery = new URL(req.url ?? '/', 'http://proxy').searchParams.get('Action');
  const fromBody = new URLSearchParams(body.toString('utf8')).get('Action');
  const action = fromBody ?? fromQuery;
  if (!action) return undefined;
  return { region, service, action, json: false };
}

const ERRORS: Record<'throttle' | 'error500' | 'error503', { status: number; query: string; json: string }> =
  {
    throttle: { status: 400, query: 'Throttling', json: 'ThrottlingException' },
    error500: { status: 500, query: 'InternalFailure', json: 'KMSInternalException' },
    error503: { status: 503, query: 'ServiceUnavailable', json: 'ServiceUnavailableException' },
  };

function respondWithError(
  res: ServerResponse,
  request: Identified,
  kind: keyof typeof ERRORS,
  requestId: string,
): void {
  const error = ERRORS[kind];
  const message = kind === 'throttle' ? 'Rate exceeded' : 'Injected by the fault proxy';
  if (request.json) {
    const body = JSON.stringify({ __type: error.json, message });
    res.writeHead(error.status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': error.json,
      'x-amzn-requestid': requestId,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>${type}</Type>` +
    `<Code>${error.query}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(error.status, {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  let plan: FaultPlan = options.plan ?? [];
  let counts = new Map<string, number>();
  let faults = new Map<string, number>();
  let log: ProxiedRequest[] = [];
  // Per rule: calls matched, calls matched per key, faults injected.
  let ruleState = plan.map(() => ({ matched: 0, perKey: new Map<string, number>(), injected: 0 }));
  let requestNumber = 0;

  const restartRules = () => {
    ruleState = plan.map(() => ({ matched: 0, perKey: new Map<string, number>(), injected: 0 }));
  };

  const decide = (request: Identified, key: string): FaultRule | undefined => {
    for (const [index, rule] of plan.entries()) {
      const state = ruleState[index];
      if (!state) continue;
      if (rule.actions && !rule.actions.includes(request.action)) continue;
      if (rule.regions && !rule.regions.includes(request.region)) continue;
      state.matched += 1;
      const n = (state.perKey.get(key) ?? 0) + 1;
      state.perKey.set(key, n);
      if (rule.times !== undefined && state.injected >= rule.times) continue;
      let fires: boolean;
      if (rule.nth !== undefined) {
        const wanted = typeof rule.nth === 'number' ? [rule.nth] : rule.nth;
        fires = wanted.includes(state.matched);
      } else {
        const probability = rule.probability ?? 1;
        fires = probability >= 1 || faultDraw(options.seed, index, key, n) < probability;
      }
      if (fires) {
        state.injected += 1;
        return rule;
      }
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const request = identify(req, body);
      if (!request) {
        // moto's own API (/moto-api/reset...) passes through uncounted.
        send(res, await forward(target, req, body));
        return;
      }
      const key = `${request.region}:${request.action}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const rule = decide(request, key);
      const account = req.headers['x-moto-account-id'];
      log.push({
        region: request.region,
        service: request.service,
        action: request.action,
        account: typeof account === 'string' ? account : undefined,
        fault: rule?.fault,
      });
      if (rule) faults.set(key, (faults.get(key) ?? 0) + 1);
      requestNumber += 1;
      const requestId = `fault-proxy-${requestNumber}`;
      switch (rule?.fault) {
        case 'throttle':
        case 'error500':
        case 'error503':
          respondWithError(res, request, rule.fault, requestId);
          return;
        case 'drop':
          req.socket.destroy();
          return;
        case 'drop-after-forward':
          await forward(target, req, body);
          req.socket.destroy();
          return;
        case 'delay':
          await new Promise((resolve) => setTimeout(resolve, rule.delayMs ?? 200));
          break;
        default:
          break;
      }
      send(res, await forward(target, req, body));
    })().catch((error: unknown) => failRequest(res, 'fault proxy', error));
  });

  const endpoint = await listenOnLoopback(server);

  return {
    endpoint,
    counts: () => Object.fromEntries(counts),
    total: (action) => {
      let sum = 0;
      for (const [key, count] of counts) if (action === undefined || key.endsWith(`:${action}`)) sum += count;
      return sum;
    },
    faults: () => Object.fromEntries(faults),
    requests: () => [...log],
    setPlan(next) {
      plan = next;
      restartRules();
    },
    reset() {
      counts = new Map();
      faults = new Map();
      log = [];
      restartRules();
    },
    stop: () => stopServer(server),
  };
}
