/**
 * The SDK clients (RDS, KMS, STS) of one region and account, configured once and shared: one retry
 * budget, one connection pool and one set of caches per region and account.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { RDSClient, type RDSClientConfig } from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';
import { isEndpointDown } from './errors.js';
import { createRetryStrategy, DEFAULT_MAX_ATTEMPTS } from './retry.js';

export interface AwsClientOptions {
  readonly region: string;
  /** Endpoint of an emulator (moto) or a proxy; the real regional endpoints otherwise. */
  readonly endpoint?: string | undefined;
  /**
   * Act as this account on an emulator: moto reads the `x-moto-account-id` header. Ignored by AWS,
   * where the credentials decide the account.
   */
  readonly accountId?: string | undefined;
  /** Attempts per call, the first included. @default 8 */
  readonly maxAttempts?: number | undefined;
  /** First retry delay, doubled on each retry (small values keep tests fast). @default 200 */
  readonly retryBaseDelayMs?: number | undefined;
  /** Upper bound of one retry delay. @default 20000 */
  readonly retryMaxDelayMs?: number | undefined;
  /** Credentials; the SDK's default provider chain when absent. */
  readonly credentials?: RDSClientConfig['credentials'];
  /** A custom HTTP handler (tests); clients built with one are never shared. */
  readonly requestHandler?: RDSClientConfig['requestHandler'];
}

export interface AwsClients {
  readonly region: string;
  /** The endpoint the clients were given (an emulator or proxy); undefined for AWS's own. */
  readonly endpoint: string | undefined;
  readonly rds: RDSClient;
  readonly kms: KMSClient;
  readonly sts: STSClient;
  /**
   * RDS client with only two attempts, for lookups that have a safe default: emulators answer
   * unimplemented calls (DescribeAccountAttributes on moto) with HTTP 500, which the main client
   * would retry eight times.
   */
  readonly rdsProbe: RDSClient;
}

/** Header through which moto lets a request act as another account. */
export const MOTO_ACCOUNT_HEADER = 'x-moto-account-id';

const NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Recent SDK releases print a NodeVersionSupportWarning on every Node below 22 when a client is built.
 * The tool runs on Node 22+ in Lambda, and supports Node 20 for the CLI where the warning would land
 * in the user's output (and in `--json` pipelines) without telling them anything they can act on;
 * the SDK's documented switch is this environment variable, read when a client is constructed.
 * A value the user set (e.g. `false`) is left alone.
 */
export function silenceNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env[NODE_WARNING_SWITCH] ??= 'true';
}

/** An SDK v3 client whose requests can carry the emulator's account header. */
interface ClientLike {
  readonly middlewareStack: object;
}

/** Adds the emulator's account header to the client's requests when `accountId` is given. */
export function actAsAccount<C extends ClientLike>(client: C, accountId: string | undefined): C {
  if (accountId === undefined) return client;
  // The clients' stacks differ in their command types, not in how a build step is added.
  (client.middlewareStack as RDSClient['middlewareStack']).add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[MOTO_ACCOUNT_HEADER] = accountId;
      return next(args);
    },
    { step: 'build', name: 'emulatorAccountHeader' },
  );
  return client;
}

/**
 * What every client of these options is built with: region, endpoint, credentials, HTTP handler, and one
 * retry strategy each (the same attempts and delays for every service).
 */
export function clientConfig(options: AwsClientOptions) {
  silenceNodeVersionWarning();
  const common = {
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.requestHandler === undefined ? {} : { requestHandler: options.requestHandler }),
  };
  const retry = {
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    baseDelayMs: options.retryBaseDelayMs,
    maxDelayMs: options.retryMaxDelayMs,
    // An emulator or proxy that refuses connections, or whose name does not resolve, is down or
    // misnamed: say so at once instead of after the whole retry budget.
    ...(options.endpoint === undefined ? {} : { noRetry: isEndpointDown }),
  };
  return { common, retry, strategy: () => ({ retryStrategy: createRetryStrategy(retry) }) };
}

/** Builds fresh clients (never cached). */
export function buildAwsClients(options: AwsClientOptions): AwsClients {
  const { common, retry, strategy } = clientConfig(options);
  return {
    region: options.region,
    endpoint: options.endpoint,
    rds: actAsAccount(new RDSClient({ ...common, ...strategy() }), options.accountId),
    kms: actAsAccount(new KMSClient({ ...common, ...strategy() }), options.accountId),
    sts: actAsAccount(new STSClient({ ...common, ...strategy() }), options.accountId),
    rdsProbe: actAsAccount(
      new RDSClient({
        ...common,
        retryStrategy: createRetryStrategy({ ...retry, maxAttempts: Math.min(2, retry.maxAttempts) }),
      }),
      options.accountId,
    ),
  };
}

const shared = new Map<string, AwsClients>();

/**
 * The shared clients of a region and account: a Lambda container or a CLI run builds each once.
 * Options with their own credentials or HTTP handler get fresh clients.
 */
export function awsClientsFor(options: AwsClientOptions): AwsClients {
  if (options.credentials !== undefined || options.requestHandler !== undefined) {
    return buildAwsClients(options);
  }
  const key = JSON.stringify([
    options.region,
    options.endpoint ?? null,
    options.accountId ?? null,
    options.maxAttempts ?? null,
    options.retryBaseDelayMs ?? null,
    options.retryMaxDelayMs ?? null,
  ]);
  let clients = shared.get(key);
  if (!clients) {
    clients = buildAwsClients(options);
    shared.set(key, clients);
  }
  return clients;
}
