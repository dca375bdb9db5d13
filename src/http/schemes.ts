/**
 * Which scheme each registry host is spoken to over, decided once per client in docker's order (moby
 * daemon/pkg/registry/service_v2.go lookupV2Endpoints): https always first; for a registry the daemon treats as
 * insecure, plain http next when https fails. The daemon finds that out by pinging /v2/; so do we: one
 * `GET https://host/v2/` without retries, and any answer at all (200, 401, 404) settles https.
 */
import { isInsecureRegistryHost } from './endpoint.ts';
import type { Transport } from './transport.ts';

/** Remembers per host whether https or plain http works. */
export class Schemes {
  readonly #probe: Transport;
  readonly #userAgent: string;
  readonly #insecure: readonly string[];
  readonly #decided = new Map<string, Promise<'http' | 'https'>>();
  readonly #known = new Map<string, 'http' | 'https'>();

  /** `probe` should not retry: a TLS handshake an http server cannot answer fails the same way every time. */
  constructor(opts: { probe: Transport; userAgent: string; insecure: readonly string[] }) {
    this.#probe = opts.probe;
    this.#userAgent = opts.userAgent;
    this.#insecure = opts.insecure;
  }

  /** The scheme known so far for `host`: http only once https failed for an insecure registry. */
  known(host: string): 'http' | 'https' {
    return this.#known.get(host) ?? 'https';
  }

  /**
   * Settles the scheme for `host`: https for every registry that is not insecure, without asking; for an insecure
   * one, https when it answers over TLS and http when it does not. Rejects only with the signal's reason.
   */
  resolve(host: string, signal?: AbortSignal): Promise<'http' | 'https'> {
    if (!isInsecureRegistryHost(host, this.#insecure)) return Promise.resolve('https');
    let decided = this.#decided.get(host);
    if (!decided) {
      decided = this.#ping(host, signal).then((scheme) => {
        this.#known.set(host, scheme);
        return scheme;
      });
      decided.catch(() => this.#decided.delete(host));
      this.#decided.set(host, decided);
    }
    return decided;
  }

  async #ping(host: string, signal: AbortSignal | undefined): Promise<'http' | 'https'> {
    try {
      const res = await this.#probe({
        method: 'GET',
        url: new URL(`https://${host}/v2/`),
        headers: { 'user-agent': this.#userAgent },
        ...(signal && { signal }),
      });
      res.cancel();
      return 'https';
    } catch {
      if (signal?.aborted) throw signal.reason;
      return 'http';
    }
  }
}
