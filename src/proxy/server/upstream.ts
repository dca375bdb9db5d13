/**
 * The real engine behind the proxy: HTTP requests through one keep-alive agent, and raw connections for the
 * hijacked endpoints (attach, exec, BuildKit's /grpc and /session, HTTP/2), to the endpoint docker's own resolution
 * gave (unix socket, or tcp with the endpoint's TLS). ssh endpoints are not supported yet.
 */
import { Agent, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Endpoint } from '../../engine/index.ts';
import { splitHostPort } from '../../net/index.ts';
import { ConfigError } from '../../shared/errors.ts';

/** net.Socket's `onread`: every read lands in `buffer`; `callback` returning false pauses the socket. */
export interface OnRead {
  readonly buffer: Buffer;
  readonly callback: (bytes: number, buffer: Buffer) => boolean;
}

/** Where and how to reach the engine. */
export interface Upstream {
  /** Shown in logs and `status`: the engine's address (never credentials: endpoints hold none). */
  readonly address: string;
  /** The unix socket path, when the engine is on one (for the loop check). */
  readonly socketPath?: string;
  /** Options for an http.request to the engine (agent, socket path or host and port). */
  requestOptions(): RequestOptions;
  /** A new raw connection to the engine (TLS when the endpoint has it); `onread` reads into one buffer (net.Socket's option). */
  connect(onread?: OnRead): Socket;
  /**
   * Whether `onread` holds: reads stop while the socket is paused. Not over TLS, which goes on handing decrypted
   * records to the callback after a pause, so a reused buffer would be overwritten.
   */
  readonly pausableReads: boolean;
  /** Closes idle keep-alive connections. */
  close(): void;
}

/** The upstream for an engine endpoint; CONFIG_INVALID for an endpoint the proxy cannot dial. */
export function upstreamFor(endpoint: Endpoint): Upstream {
  const { host } = endpoint;
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    const agent = new Agent({ keepAlive: true });
    return {
      address: host,
      socketPath,
      pausableReads: true,
      requestOptions: () => ({ socketPath, agent }),
      connect: (onread) => netConnect({ path: socketPath, allowHalfOpen: true, ...(onread && { onread }) }),
      close: () => agent.destroy(),
    };
  }
  if (host.startsWith('tcp://')) {
    const split = splitHostPort(host.slice('tcp://'.length));
    if (split.error !== undefined) throw new ConfigError('CONFIG_INVALID', `cannot proxy to ${host}: ${split.error}`);
    const hostname = split.host;
    const port = Number(split.port);
    const tls = endpoint.tls;
    if (!tls) {
      const agent = new Agent({ keepAlive: true });
      return {
        address: host,
        pausableReads: true,
        requestOptions: () => ({ host: hostname, port, agent }),
        connect: (onread) => netConnect({ host: hostname, port, allowHalfOpen: true, ...(onread && { onread }) }),
        close: () => agent.destroy(),
      };
    }
    const secure = {
      ...(tls.ca && { ca: tls.ca }),
      ...(tls.cert && { cert: tls.cert }),
      ...(tls.key && { key: tls.key }),
      rejectUnauthorized: !tls.skipVerify,
      ...(isIP(hostname) === 0 && { servername: hostname }),
    };
    const agent = new HttpsAgent({ keepAlive: true, ...secure });
    return {
      address: host,
      pausableReads: false,
      requestOptions: () => ({ host: hostname, port, agent, protocol: 'https:' }),
      // TLS has no half-close of its own (a close_notify ends both ways), so none is asked for.
      connect: (onread) => tlsConnect({ host: hostname, port, ...secure, ...(onread && { onread }) }),
      close: () => agent.destroy(),
    };
  }
  throw new ConfigError('CONFIG_INVALID', `cannot proxy to ${host}: only unix and tcp engine endpoints are supported`);
}
