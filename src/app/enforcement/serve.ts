/**
 * `docker trustext proxy`: the enforcing Engine API proxy on a unix socket, in front of the engine docker's own
 * resolution gives (context, -H, DOCKER_HOST, TLS) or `--upstream`; the gate verifies with this session's key
 * store, policy and credentials, and talks to that same engine to look images and containers up.
 */
import { join } from 'node:path';
import { DockerodeEngine, parseDockerHost, type Endpoint, type Engine } from '../../engine/index.ts';
import { startProxy, upstreamFor } from '../../proxy/index.ts';
import { UsageError } from '../../shared/errors.ts';
import { USER_AGENT } from '../../shared/product.ts';
import type { Session } from '../session/index.ts';
import { proxyGate, type EnforcementMode } from './gate.ts';
import { runtimeDir, SOCKET_FILE } from './runtime-dir.ts';

/** How the proxy is asked to run. */
export interface ProxyRequest {
  /** `unix:///PATH` (default: docker.sock in the runtime directory). */
  readonly listen?: string;
  /** The engine to forward to, as -H takes it (default: docker's own resolution). */
  readonly upstream?: string;
  readonly mode: EnforcementMode;
  /** One line per decision. */
  readonly log: (line: string) => void;
}

/** A running enforcing proxy. */
export interface ServingProxy {
  readonly socket: string;
  readonly upstream: string;
  readonly mode: EnforcementMode;
  close(graceMs: number): Promise<void>;
}

/** The proxy's memory in MiB (resident, and of it the JS heap in use and buffers outside it). */
function memoryMiB(): { rss: number; heapUsed: number; external: number } {
  const m = process.memoryUsage();
  const mib = (n: number) => Math.round((n / 1048576) * 10) / 10;
  return { rss: mib(m.rss), heapUsed: mib(m.heapUsed), external: mib(m.external + m.arrayBuffers) };
}

/** The socket path of `unix:///PATH`; a usage error for anything else. */
function listenPath(listen: string): string {
  if (!listen.startsWith('unix:///')) throw new UsageError(`invalid --listen ${JSON.stringify(listen)}: want unix:///PATH`);
  return listen.slice('unix://'.length);
}

/** Starts the proxy; resolves once it listens. */
export async function serveProxy(session: Session, req: ProxyRequest): Promise<ServingProxy> {
  const socket = req.listen ? listenPath(req.listen) : join(await runtimeDir(session.environment.settings), SOCKET_FILE);
  const endpoint: Endpoint = req.upstream ? { contextName: 'upstream', host: parseDockerHost(false, req.upstream) } : await session.endpoint();
  const upstream = upstreamFor(endpoint);
  let engine: Promise<Engine> | undefined;
  // The gate looks images and containers up on the engine behind the proxy, never through it.
  const behind: Session = {
    ...session,
    endpoint: async () => endpoint,
    engine: () => (engine ??= Promise.resolve(new DockerodeEngine({ endpoint, userAgent: USER_AGENT }))),
  };
  const gate = proxyGate(behind, { mode: req.mode });
  const started = new Date().toISOString();
  const running = await startProxy({
    socketPath: socket,
    upstream,
    gate,
    log: req.log,
    status: () => ({
      pid: process.pid,
      socket: `unix://${socket}`,
      upstream: upstream.address,
      mode: gate.mode,
      started,
      ...gate.counters,
      cache: { entries: gate.cache.size, hits: gate.cache.hits, misses: gate.cache.misses },
      memory: memoryMiB(),
    }),
  });
  return { socket, upstream: upstream.address, mode: req.mode, close: (graceMs) => running.close(graceMs) };
}
