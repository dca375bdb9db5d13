/**
 * The transports the registry and Notary clients build for themselves from HttpSettings: the node transport
 * (deadline, silence and rate limits, proxies, certs.d) and the same with retries on top. One place, so both
 * clients behave alike on the network.
 */
import { DEFAULT_HTTP, type HttpSettings } from './http-settings.ts';
import { createNodeTransport } from './node-transport.ts';
import { withRetries } from './retry.ts';
import type { Transport } from './transport.ts';

/** A client's transports: `once` sends each request one time (probes), `retrying` retries idempotent ones. */
export interface HttpTransports {
  readonly once: Transport;
  readonly retrying: Transport;
}

/** Builds both transports over one set of keep-alive agents. */
export function httpTransports(options: {
  certsDirs: readonly string[];
  http?: Partial<HttpSettings> | undefined;
  skipVerify?: (host: string) => boolean;
}): HttpTransports {
  const http = { ...DEFAULT_HTTP, ...options.http };
  const once = createNodeTransport({
    certsDirs: options.certsDirs,
    idleTimeoutMs: http.idleTimeoutMs,
    timeoutMs: http.timeoutMs,
    minRate: http.minRate,
    ...(http.proxy && { proxy: http.proxy }),
    ...(options.skipVerify && { skipVerify: options.skipVerify }),
  });
  return { once, retrying: withRetries(once, http.retry, { timeoutMs: http.timeoutMs }) };
}
