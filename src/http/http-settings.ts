/**
 * How patient the HTTP clients (registry and Notary) are and how they reach the network: the overall deadline
 * of each exchange, the silence and low-speed limits, retries, and the proxy environment. The app fills it from
 * the environment (src/app/network.ts); the clients read no environment themselves.
 */
import { DEFAULT_MIN_RATE, type MinRate } from './rate-window.ts';
import type { ProxyEnvironment } from './proxy-from-env.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';

/** Network settings shared by every request of a client. */
export interface HttpSettings {
  /** Connect → last body byte of one exchange, its retries included (default 120 s). */
  readonly timeoutMs: number;
  /** How long a connection may stay silent (connecting, waiting for headers or body bytes); default 30 s. */
  readonly idleTimeoutMs: number;
  /** The lowest rate an incomplete response body may arrive at (default 1 KiB/s over 30 s). */
  readonly minRate: MinRate;
  /** Retries of idempotent requests (default: ggcr's three attempts, 1 s and 3 s apart). */
  readonly retry: RetryPolicy;
  /** HTTP(S)_PROXY and NO_PROXY as Go reads them; direct connections when absent. */
  readonly proxy?: ProxyEnvironment;
}

/** Two minutes for any one exchange: long enough for a slow link, short enough that nothing hangs. */
export const DEFAULT_HTTP_TIMEOUT_MS = 120_000;

/** A registry that sends nothing for this long is treated as unreachable (docker's own client waits on dial for 30 s). */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** The defaults: 120 s deadline, 30 s of silence, 1 KiB/s over 30 s, ggcr's retries, no proxy. */
export const DEFAULT_HTTP: HttpSettings = {
  timeoutMs: DEFAULT_HTTP_TIMEOUT_MS,
  idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
  minRate: DEFAULT_MIN_RATE,
  retry: DEFAULT_RETRY,
};
