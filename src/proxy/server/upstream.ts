/**
 * The real engine behind the proxy: HTTP requests through one keep-alive agent, and raw connections for the
 * hijacked endpoints (attach, exec, BuildKit's /grpc and /session, HTTP/2), to the endpoint docker's own resolution
 * gave: a unix socket, tcp (with the endpoint's TLS), or ssh through `ssh … docker system dial-stdio` as the docker
 * CLI's connection helper does (docker/cli cli/connhelper/ssh).
 */
import { Agent, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { SshDialStdioAgent, type Endpoint } from '../../engine/index.ts';
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
  /** A new raw connection to the engine (TLS when the endpoint has it; half-close kept where the transport has it). */
  connect(): Duplex;
  /**
   * A new plain socket whose every read lands in `onread`'s one buffer, and stops while the socket is paused;
   * emits 'connect'. Absent over TLS, which goes on handing decrypted records to the callback after a pause (a
   * reused buffer would be overwritten), and over ssh, which is a process's pipes.
   */
  readonly connectPausable?: (onread: OnRead) => Socket;
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
      requestOptions: () => ({ socketPath, agent }),
      connect: () => netConnect({ path: socketPath, allowHalfOpen: true }),
      connectPausable: (onread) => netConnect({ path: socketPath, allowHalfOpen: true, onread }),
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
        requestOptions: () => ({ host: hostname, port, agent }),
        connect: () => netConnect({ host: hostname, port, allowHalfOpen: true }),
        connectPausable: (onread) => netConnect({ host: hostname, port, allowHalfOpen: true, onread }),
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
      requestOptions: () => ({ host: hostname, port, agent, protocol: 'https:' }),
      // TLS has no half-close of its own (a close_notify ends both ways), so none is asked for.
      connect: () => tlsConnect({ host: hostname, port, ...secure }),
      close: () => agent.destroy(),
    };
  }
  if (host.startsWith('ssh://')) {
    const agent = new SshDialStdioAgent(host, { keepAlive: true });
    return {
      address: host,
      // The agent dials every connection itself; the host only names the engine in the Host header.
      requestOptions: () => ({ host: 'docker', port: 80, agent }),
      connect: () => agent.dial(),
      close: () => agent.destroy(),
    };
  }
  throw new ConfigError('CONFIG_INVALID', `cannot proxy to ${host}: only unix, tcp and ssh engine endpoints are supported`);
}
