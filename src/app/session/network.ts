/**
 * What the registry, Notary and credential helper clients of one command are given: the http module's defaults,
 * changed by TRUSTEXT_HTTP_TIMEOUT, TRUSTEXT_HTTP_MIN_RATE and the proxy variables as settings/ read them.
 */
import { DEFAULT_HTTP, DEFAULT_MIN_RATE, hasProxy, type HttpSettings } from '../../http/index.ts';
import type { Settings } from '../../settings/index.ts';

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
 * TRUSTEXT_HTTP_TIMEOUT is each exchange's deadline, retries included, and the credential helpers' when set;
 * TRUSTEXT_HTTP_MIN_RATE (bytes per second over 30 s; 0 turns the rule off). Throws UsageError for values we
 * cannot use (Settings.http).
 */
export function networkSettings(settings: Settings): NetworkSettings {
  const { timeoutMs, minRateBytesPerSecond } = settings.http();
  const proxy = settings.proxy;
  return {
    http: {
      ...DEFAULT_HTTP,
      ...(timeoutMs !== undefined && { timeoutMs }),
      ...(minRateBytesPerSecond !== undefined && { minRate: { ...DEFAULT_MIN_RATE, bytesPerSecond: minRateBytesPerSecond } }),
      ...(hasProxy(proxy) && { proxy }),
    },
    helperTimeoutMs: timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS,
  };
}
