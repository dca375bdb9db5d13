/**
 * The production Transport over node:http and node:https (agents in node-agents.ts), with the limits that keep a
 * command from hanging: an overall deadline per exchange (connect → last body byte), a silence timeout, and the
 * low-speed rule for bodies (rate-window.ts). Requests go through the proxy proxy-from-env.ts picks. Bodies are
 * streamed, never buffered here.
 */
import { request as httpRequest, STATUS_CODES, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { formatMs } from '../shared/http-env.ts';
import { HTTP_MIN_RATE_ENV, HTTP_TIMEOUT_ENV } from '../settings/index.ts';
import { DEFAULT_HTTP } from './http-settings.ts';
import { Agents } from './node-agents.ts';
import { hasProxy, proxyFunc, type ProxyEnvironment, type ProxyFunc } from './proxy-from-env.ts';
import { RateWindow, type MinRate } from './rate-window.ts';
import { isRetryableError, RETRY_STATUSES } from './retry.ts';
import { TransportError } from './transport-error.ts';
import type { Transport, TransportRequest, TransportResponse } from './transport.ts';

/** Options of the node transport; every limit defaults to DEFAULT_HTTP's. */
export interface NodeTransportOptions {
  /** docker-style certs.d directories, searched in order. */
  readonly certsDirs?: readonly string[];
  /** How long a connection may stay silent (connecting, waiting for headers or body bytes) before it fails. */
  readonly idleTimeoutMs?: number;
  /** The deadline of an exchange that names none (TransportRequest.deadline). */
  readonly timeoutMs?: number;
  /** The lowest rate an incomplete response body may arrive at. */
  readonly minRate?: MinRate;
  /** The proxy variables; direct connections when absent. */
  readonly proxy?: ProxyEnvironment;
  /** Hosts whose TLS certificate is not verified (docker's insecure registries); none by default. */
  readonly skipVerify?: (host: string) => boolean;
}

interface Limits {
  readonly idleTimeoutMs: number;
  readonly timeoutMs: number;
  readonly minRate: MinRate;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Creates a Transport over node:http/https; TLS material from certs.d is read on first use of each host. */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  const limits: Limits = {
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_HTTP.idleTimeoutMs,
    timeoutMs: options.timeoutMs ?? DEFAULT_HTTP.timeoutMs,
    minRate: options.minRate ?? DEFAULT_HTTP.minRate,
  };
  const agents = new Agents({ certsDirs: options.certsDirs ?? [], skipVerify: options.skipVerify ?? (() => false) });
  const proxyFor: ProxyFunc | undefined = options.proxy && hasProxy(options.proxy) ? proxyFunc(options.proxy) : undefined;

  return async (req: TransportRequest): Promise<TransportResponse> => {
    req.signal?.throwIfAborted();
    const https = req.url.protocol === 'https:';
    if (!https && req.url.protocol !== 'http:') throw new TypeError(`unsupported protocol ${req.url.protocol}`);
    const proxy = proxyFor && choose(proxyFor, req.url);
    const agent = https ? await agents.https(req.url.host, proxy) : agents.http(proxy);
    req.signal?.throwIfAborted();
    return send(req, https, agent, limits, proxy && shown(proxy));
  };
}

/** A proxy as messages show it: scheme and host, never its credentials. */
function shown(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/** The proxy for `url`, refusing what we cannot speak (socks5 and other schemes) and HTTP_PROXY under CGI. */
function choose(proxyFor: ProxyFunc, url: URL): URL | undefined {
  let proxy: URL | undefined;
  try {
    proxy = proxyFor(url);
  } catch (err) {
    throw new TransportError('ETRUSTEXT_PROXY', `cannot reach ${url.host}: ${(err as Error).message}`);
  }
  if (proxy && proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    const variable = url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
    throw new TransportError(
      'ETRUSTEXT_PROXY',
      `cannot reach ${url.host} through proxy ${shown(proxy)}: only http:// and https:// proxies are supported (${variable})`,
    );
  }
  return proxy;
}

/** A failure on the way through a proxy, said as such; the code (and whether to retry) stays the original's. */
function throughProxy(err: unknown, host: string, via: string): unknown {
  if (err instanceof TransportError) return err;
  const e = err as NodeJS.ErrnoException & { statusCode?: number };
  const status = e?.code === 'ERR_PROXY_TUNNEL' ? e.statusCode : undefined;
  const why =
    status !== undefined
      ? `the proxy answered ${status} ${(STATUS_CODES[status] ?? 'unexpected status').toLowerCase()}`
      : typeof e?.code === 'string' && e.code !== 'ERR_PROXY_TUNNEL'
        ? e.code.toLowerCase()
        : String(e?.message ?? err).toLowerCase();
  return new TransportError(typeof e?.code === 'string' ? e.code : 'ETRUSTEXT_PROXY', `cannot reach ${host} through proxy ${via}: ${why}`, {
    retryable: isRetryableError(err) || (status !== undefined && RETRY_STATUSES.has(status)),
    cause: err,
  });
}

function send(req: TransportRequest, https: boolean, agent: import('node:http').Agent, limits: Limits, via: string | undefined): Promise<TransportResponse> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.body) headers['content-length'] = String(req.body.byteLength);
  else if (BODY_METHODS.has(req.method)) headers['content-length'] = '0';
  const host = req.url.host;
  const deadline = req.deadline ?? Date.now() + limits.timeoutMs;
  return new Promise((resolve, reject) => {
    const { signal } = req;
    let response: IncomingMessage | undefined;
    let consumed = 0;
    let ticker: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(timer);
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: unknown) => {
      stop();
      (response ?? request).destroy(err as Error);
    };
    const onAbort = () => fail(signal!.reason);
    const request = (https ? httpsRequest : httpRequest)(req.url, { method: req.method, headers, agent });
    signal?.addEventListener('abort', onAbort, { once: true });
    // The whole exchange is bounded: a peer that trickles headers or body never outlasts the deadline.
    timer = setTimeout(
      () => {
        if (response?.complete) return;
        fail(new TransportError('ETRUSTEXT_DEADLINE', `${host} did not answer in full within ${formatMs(limits.timeoutMs)} (${HTTP_TIMEOUT_ENV})`));
      },
      Math.max(0, deadline - Date.now()),
    );
    timer.unref();
    // A silent peer (no connect, no headers, no body bytes) fails as ETIMEDOUT instead of hanging the command.
    request.setTimeout(limits.idleTimeoutMs, () => {
      fail(Object.assign(new Error(`no response for ${formatMs(limits.idleTimeoutMs)}`), { code: 'ETIMEDOUT' }));
    });
    request.on('error', (err) => {
      stop();
      reject(signal?.aborted ? signal.reason : via ? throughProxy(err, host, via) : err);
    });
    request.on('response', (res) => {
      if (via && res.statusCode === 407) {
        // The proxy, not the registry, refused an absolute-form request: said like a refused CONNECT.
        res.resume();
        stop();
        reject(new TransportError('ETRUSTEXT_PROXY', `cannot reach ${host} through proxy ${via}: the proxy answered 407 proxy authentication required`));
        return;
      }
      response = res;
      res.on('error', () => {}); // surfaces through the body's iteration
      res.on('close', stop);
      ticker = watchRate(
        res,
        limits.minRate,
        () => consumed,
        (arrived) => {
          const rate = limits.minRate;
          fail(
            new TransportError(
              'ETRUSTEXT_SLOW',
              `${host} sent ${arrived} bytes in ${formatMs(rate.windowMs)}, below the minimum rate of ${rate.bytesPerSecond} B/s (${HTTP_MIN_RATE_ENV})`,
            ),
          );
        },
      );
      resolve({
        status: res.statusCode ?? 0,
        header: (name) => {
          const v = res.headers[name.toLowerCase()];
          return Array.isArray(v) ? v.join(', ') : v;
        },
        body: (async function* () {
          for await (const chunk of res) {
            consumed += (chunk as Buffer).byteLength;
            yield chunk as Buffer;
          }
        })(),
        cancel: () => {
          stop();
          if (res.readableEnded) return;
          if (res.complete)
            res.resume(); // already received: drain so the connection is reused
          else res.destroy();
        },
      });
    });
    request.end(req.body);
  });
}

/**
 * Samples a body's arrivals once a second (what was read plus what waits in the stream's buffer) until it is
 * complete, calling `tooSlow` when the last window fell short. A full buffer means our reader is the holdup,
 * not the peer: the window then starts afresh.
 */
function watchRate(res: IncomingMessage, rule: MinRate, consumed: () => number, tooSlow: (arrived: number) => void): NodeJS.Timeout | undefined {
  if (rule.bytesPerSecond <= 0) return undefined;
  const window = new RateWindow(rule, Date.now());
  const ticker = setInterval(
    () => {
      if (res.complete || res.destroyed) {
        clearInterval(ticker);
        return;
      }
      const now = Date.now();
      const total = consumed() + res.readableLength;
      if (res.readableLength >= res.readableHighWaterMark) {
        window.restart(now, total);
        return;
      }
      const arrived = window.sample(now, total);
      if (arrived !== undefined) tooSlow(arrived);
    },
    Math.min(1000, rule.windowMs / 10),
  );
  ticker.unref();
  return ticker;
}
