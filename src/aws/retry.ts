/**
 * The retry policy of every AWS client the tool makes: the SDK's standard strategy (retries
 * throttling, 5xx and network faults) with exponential backoff and jitter we configure.
 */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

type Refresh = ConfiguredRetryStrategy['refreshRetryTokenForRetry'];

export interface RetryOptions {
  /** Attempts per call, the first included. @default 8 */
  readonly maxAttempts?: number | undefined;
  /** Delay before the first retry; each further retry doubles it. @default 200 */
  readonly baseDelayMs?: number | undefined;
  /** Upper bound of one delay. @default 20000 */
  readonly maxDelayMs?: number | undefined;
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: (() => number) | undefined;
  /** Errors never retried, although the standard strategy would (a refused connection to an emulator). */
  readonly noRetry?: ((error: unknown) => boolean) | undefined;
}

/**
 * Eight attempts spread over roughly half a minute ride out the short bursts of throttling RDS gives
 * when its account-wide control-plane budget is spent (what the original tool kept hitting).
 */
export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_RETRY_BASE_DELAY_MS = 200;
export const DEFAULT_RETRY_MAX_DELAY_MS = 20_000;

/**
 * Delay before retry number `retry` (1 for the first retry): exponential, capped, with "equal jitter"
 * (half fixed, half random) so concurrent callers spread out yet every retry still waits.
 */
export function backoffDelay(
  retry: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {},
): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  const cap = options.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, retry - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The SDK's standard strategy decides *what* to retry (throttling codes, HTTP 500/502/503/504,
 * connection resets and timeouts) and keeps its retry budget; we only choose the delays, because its
 * built-in throttling delay starts at a full second, which would make the fault-injection tests slow.
 */
export function createRetryStrategy(options: RetryOptions = {}): ConfiguredRetryStrategy {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const delay = (retry: number) => backoffDelay(retry, options);
  const noRetry = options.noRetry;
  if (noRetry === undefined) return new ConfiguredRetryStrategy(maxAttempts, delay);
  return new (class extends ConfiguredRetryStrategy {
    override async refreshRetryTokenForRetry(
      token: Parameters<Refresh>[0],
      errorInfo: Parameters<Refresh>[1],
    ): ReturnType<Refresh> {
      // The SDK's retry middleware ends the call with the original error when this throws.
      if (noRetry(errorInfo.error)) throw new Error('not retried');
      return super.refreshRetryTokenForRetry(token, errorInfo);
    }
  })(maxAttempts, delay);
}
