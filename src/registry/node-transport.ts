/**
 * The production Transport over node:http and node:https with the client's own keep-alive agents: one for plain
 * http, one shared https agent for hosts without certs.d entries, and one per host that has them (its CAs added
 * to the default roots, its client certificate presented). Bodies are streamed, never buffered here.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createSecureContext, getCACertificates } from 'node:tls';
import { loadHostTls } from './certs-dir.ts';
import type { Transport, TransportRequest, TransportResponse } from './transport.ts';

/** Options of the node transport: docker-style certs.d directories, searched in order. */
export interface NodeTransportOptions {
  readonly certsDirs?: readonly string[];
  /** How long a connection may stay silent (connecting, waiting for headers or body bytes) before it fails; default 30 s. */
  readonly idleTimeoutMs?: number;
}

/** A registry that sends nothing for this long is treated as unreachable (docker's own client waits on dial for 30 s). */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Creates a Transport over node:http/https; TLS material from certs.d is read on first use of each host. */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  const certsDirs = options.certsDirs ?? [];
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const httpAgent = new HttpAgent({ keepAlive: true });
  const defaultHttpsAgent = new HttpsAgent({ keepAlive: true });
  const httpsAgents = new Map<string, Promise<HttpsAgent>>();

  const agentFor = (url: URL): Promise<HttpsAgent> => {
    let agent = httpsAgents.get(url.host);
    if (!agent) {
      agent = loadHostTls(certsDirs, url.host).then((tls) => {
        if (!tls) return defaultHttpsAgent;
        // One secure context per host, built once: passing `ca` instead makes node parse the ~150 default roots
        // again for every new connection, and fold them into every request's agent pool name.
        const secureContext = createSecureContext({
          ca: [...getCACertificates('default'), ...tls.ca],
          ...(tls.cert && { cert: tls.cert }),
          ...(tls.key && { key: tls.key }),
        });
        return new HttpsAgent({ keepAlive: true, secureContext });
      });
      agent.catch(() => httpsAgents.delete(url.host));
      httpsAgents.set(url.host, agent);
    }
    return agent;
  };

  return async (req: TransportRequest): Promise<TransportResponse> => {
    req.signal?.throwIfAborted();
    const https = req.url.protocol === 'https:';
    if (!https && req.url.protocol !== 'http:') throw new TypeError(`unsupported protocol ${req.url.protocol}`);
    const agent = https ? await agentFor(req.url) : httpAgent;
    req.signal?.throwIfAborted();
    return send(req, https, agent, idleTimeoutMs);
  };
}

function send(req: TransportRequest, https: boolean, agent: HttpAgent, idleTimeoutMs: number): Promise<TransportResponse> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.body) headers['content-length'] = String(req.body.byteLength);
  else if (BODY_METHODS.has(req.method)) headers['content-length'] = '0';
  return new Promise((resolve, reject) => {
    const { signal } = req;
    let response: IncomingMessage | undefined;
    const onAbort = () => (response ?? request).destroy(signal!.reason);
    const cleanup = () => signal?.removeEventListener('abort', onAbort);
    const request = (https ? httpsRequest : httpRequest)(req.url, { method: req.method, headers, agent });
    signal?.addEventListener('abort', onAbort, { once: true });
    // A silent peer (no connect, no headers, no body bytes) fails as ETIMEDOUT instead of hanging the command.
    request.setTimeout(idleTimeoutMs, () => {
      const err = Object.assign(new Error(`no response for ${idleTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' });
      (response ?? request).destroy(err);
    });
    request.on('error', (err) => {
      cleanup();
      reject(signal?.aborted ? signal.reason : err);
    });
    request.on('response', (res) => {
      response = res;
      res.on('close', cleanup);
      resolve({
        status: res.statusCode ?? 0,
        header: (name) => {
          const v = res.headers[name.toLowerCase()];
          return Array.isArray(v) ? v.join(', ') : v;
        },
        body: res,
        cancel: () => {
          if (res.readableEnded) return;
          if (res.complete) res.resume(); // already received: drain so the connection is reused
          else res.destroy();
        },
      });
    });
    request.end(req.body);
  });
}
