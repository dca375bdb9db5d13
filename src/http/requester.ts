/**
 * One registry exchange with everything around the bare transport: the scheme (an insecure registry that does
 * not speak TLS is switched to plain http, see schemes.ts), User-Agent, Authorization (sent only to the
 * registry's own origin, so it is dropped when a blob GET is redirected to storage), one retry after a 401
 * answered through the Authenticator, and redirects (at most 10, never to plain http on a host that is not
 * loopback or insecure). Transient failures are retried below, by the transport (retry.ts). The caller gets
 * the final response and judges its status.
 */
import type { Authenticator } from './authenticator.ts';
import { isPermittedUrl, type RegistryEndpoint } from './endpoint.ts';
import { safeUrl } from './redact.ts';
import { invalidResponse, responseError, transportFailure } from './response-error.ts';
import type { RegistryError } from '../shared/errors.ts';
import type { Schemes } from './schemes.ts';
import type { Transport, TransportResponse } from './transport.ts';

/** One request to a registry; `action` names it in error messages ("getting manifest host/repo:tag"). */
export interface RegistryCall {
  readonly endpoint: RegistryEndpoint;
  readonly method: string;
  readonly url: URL;
  readonly scopes: readonly string[];
  readonly action: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  readonly signal?: AbortSignal | undefined;
}

/** The redirects we follow at most (Go's net/http stops after 10 too). */
export const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Sends registry calls through a transport with auth, redirects and the client's identity. */
export class Requester {
  readonly #transport: Transport;
  readonly #auth: Authenticator;
  readonly #userAgent: string;
  readonly #insecure: readonly string[];
  readonly #errorBodyBytes: number;
  readonly #schemes: Schemes | undefined;

  /** Without `schemes`, every request goes out exactly as addressed (Notary: https only). */
  constructor(opts: {
    transport: Transport;
    authenticator: Authenticator;
    userAgent: string;
    insecure: readonly string[];
    errorBodyBytes: number;
    schemes?: Schemes;
  }) {
    this.#transport = opts.transport;
    this.#auth = opts.authenticator;
    this.#userAgent = opts.userAgent;
    this.#insecure = opts.insecure;
    this.#errorBodyBytes = opts.errorBodyBytes;
    this.#schemes = opts.schemes;
  }

  /** Sends `call` and resolves with the final response (after auth retry and redirects), whatever its status. */
  async send(call: RegistryCall): Promise<TransportResponse> {
    const { scopes, action, signal } = call;
    let { endpoint, method, url, body } = call;
    if (this.#schemes && url.origin === endpoint.origin && url.protocol === 'https:' && (await this.#schemes.resolve(endpoint.host, signal)) === 'http') {
      endpoint = { ...endpoint, origin: new URL(`http://${endpoint.host}`).origin };
      url = new URL(`${url.pathname}${url.search}`, endpoint.origin);
    }
    let authorization = await this.#auth.current(endpoint, scopes);
    let answered = false;
    for (let redirects = 0; ; ) {
      if (!isPermittedUrl(url, this.#insecure)) throw invalidResponse(action, `refusing to send a request to ${safeUrl(url)} over plain http`);
      const ours = url.origin === endpoint.origin;
      const headers: Record<string, string> = { ...call.headers, 'user-agent': this.#userAgent };
      if (ours && authorization) headers.authorization = authorization;
      let res: TransportResponse;
      try {
        res = await this.#transport({ method, url, headers, ...(body && { body }), ...(signal && { signal }) });
      } catch (err) {
        throw transportFailure(action, url.host, err, signal);
      }
      const challenge = res.header('www-authenticate');
      if (res.status === 401 && ours && !answered && challenge) {
        answered = true;
        let next: string | undefined;
        try {
          next = await this.#auth.answer(endpoint, scopes, challenge, authorization, action, signal);
        } catch (err) {
          res.cancel();
          throw err;
        }
        if (next !== undefined) {
          res.cancel();
          authorization = next;
          continue;
        }
      }
      const location = res.header('location');
      if (!REDIRECTS.has(res.status) || !location || !(method === 'GET' || method === 'HEAD' || res.status >= 307)) return res;
      res.cancel();
      if (++redirects > MAX_REDIRECTS) throw invalidResponse(action, `more than ${MAX_REDIRECTS} redirects`, res.status);
      try {
        url = new URL(location, url);
      } catch {
        throw invalidResponse(action, 'a redirect to an invalid location', res.status);
      }
      if (res.status === 303) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
    }
  }

  /** The RegistryError for a response the caller did not expect (body read to the error limit, secrets redacted). */
  error(res: TransportResponse, call: Pick<RegistryCall, 'action' | 'signal'>): Promise<RegistryError> {
    return responseError(res, call.action, this.#errorBodyBytes, call.signal, this.#auth.secrets);
  }
}
