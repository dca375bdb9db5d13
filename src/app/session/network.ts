/**
 * The one place the network environment is read: trustext's own deadline and rate variables, and the proxy
 * variables as Go's ProxyFromEnvironment reads them. Invalid values of ours are usage errors, named and shown.
 */
import { DEFAULT_HTTP, DEFAULT_MIN_RATE, hasProxy, proxyEnvironment, type HttpSettings } from '../../http/index.ts';
import { parseDuration } from '../../shared/duration.ts';
import { UsageError } from '../../shared/errors.ts';
import { HTTP_MIN_RATE_ENV, HTTP_TIMEOUT_ENV } from '../../shared/variables.ts';

/** How long a credential helper may run unless TRUSTEXT_HTTP_TIMEOUT says otherwise (gpg may be asking for a passphrase). */
export const DEFAULT_HELPER_TIMEOUT_MS = 60_000;

/** What the clients of one command are given. */
export interface NetworkSettings {
  /** For the registry and Notary clients. */
  readonly http: HttpSettings;
  /** How long a credential helper may run before it is killed. */
  readonly helperTimeoutMs: number;
}

/**
 * Reads TRUSTEXT_HTTP_TIMEOUT (a Go duration such as 90s or 2m: each exchange's deadline, retries included, and
 * the credential helpers' when set), TRUSTEXT_HTTP_MIN_RATE (bytes per second over 30 s; 0 turns the rule off)
 * and HTTP(S)_PROXY/NO_PROXY. Empty values count as unset. Throws UsageError for values we cannot use.
 */
export function networkSettings(env: Readonly<Record<string, string | undefined>>): NetworkSettings {
  const timeoutText = env[HTTP_TIMEOUT_ENV]?.trim();
  const timeoutMs = timeoutText ? parseDuration(timeoutText) : undefined;
  if (timeoutText && timeoutMs === undefined) {
    throw new UsageError(`invalid ${HTTP_TIMEOUT_ENV} ${JSON.stringify(timeoutText.slice(0, 40))}: want a positive duration such as 90s or 2m`);
  }
  const rateText = env[HTTP_MIN_RATE_ENV]?.trim();
  if (rateText && !/^\d{1,12}$/.test(rateText)) {
    throw new UsageError(
      `invalid ${HTTP_MIN_RATE_ENV} ${JSON.stringify(rateText.slice(0, 40))}: want a number of bytes per second such as 1024 (0 turns the check off)`,
    );
  }
  const proxy = proxyEnvironment(env);
  return {
    http: {
      ...DEFAULT_HTTP,
      ...(timeoutMs !== undefined && { timeoutMs }),
      ...(rateText && { minRate: { ...DEFAULT_MIN_RATE, bytesPerSecond: Number(rateText) } }),
      ...(hasProxy(proxy) && { proxy }),
    },
    helperTimeoutMs: timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS,
  };
}
