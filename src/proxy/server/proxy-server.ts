/**
 * The Engine API proxy's server: a unix socket (0660) that speaks the Engine API and hands every request to the
 * engine behind it, streaming both ways; hijacked connections spliced once the engine has switched protocols
 * (relay-upgrade.ts); HTTP/2 turned away with GOAWAY HTTP_1_1_REQUIRED. Each request is first read
 * as the daemon reads it (classify/): one the daemon could read differently is answered 400 with docker's error
 * body and never forwarded. The gate (when given) decides every classified request before anything is forwarded:
 * as it came, or a verified pull in place of the tag asked for (relay-pull.ts).
 */
import { chmod, lstat, unlink } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { ApiRequestError, ConfigError } from '../../shared/errors.ts';
import { type ApiRoute, classifyRequest, HIJACKING, MAX_BODY_BYTES } from '../classify/index.ts';
import { BODY_READ, FORWARD, type Gate, type GateDecision } from './gate.ts';
import { errorBody, readWhole, relayRequest, sendError } from './relay.ts';
import { rawDownload, relayDownload } from './relay-download.ts';
import { line, relayVerifiedPull } from './relay-pull.ts';
import { relayUpgrade } from './relay-upgrade.ts';
import { startsWithHttp2Preface } from './sniff.ts';
import type { Upstream } from './upstream.ts';

/** How the proxy runs. */
export interface ProxyOptions {
  /** The unix socket to listen on. */
  readonly socketPath: string;
  readonly upstream: Upstream;
  /** Decides every request the proxy can read; without one, everything readable is forwarded as it came. */
  readonly gate?: Gate;
  /** One line per decision: allowed (when the gate says what), warned, refused (never a header value or a query). */
  readonly log?: (line: string) => void;
  /** What `GET /_trustext/status` answers (a path the daemon has no route for), for `enforce status`. */
  readonly status?: () => unknown;
}

/** The proxy's own status path. */
export const STATUS_PATH = '/_trustext/status';

/** A running proxy. */
export interface RunningProxy {
  readonly socketPath: string;
  /** Stops accepting, lets open exchanges finish for up to `graceMs`, then cuts what is left. */
  close(graceMs?: number): Promise<void>;
}

/** At most this many client connections at once; more are closed as they come. */
const MAX_CONNECTIONS = 1024;

/** At most this many gate decisions (registry and Notary verifications) at once; the rest wait their turn. */
const MAX_GATE_CALLS = 32;

/**
 * An empty SETTINGS frame, then GOAWAY (last stream 0, HTTP_1_1_REQUIRED 0xd) (RFC 9113 §6.5, §6.8, §7): an HTTP/2
 * client learns at once that it must use HTTP/1.1, and is not left waiting.
 */
const HTTP2_REFUSAL = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0d]);

/** Whether something answers on the unix socket at `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ path }, () => {
      s.destroy();
      done(true);
    });
    s.on('error', () => done(false));
  });
}

/** Removes a socket file nobody listens on any more (a proxy killed with -9); refuses one in use. */
async function clearStaleSocket(path: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return;
  if (!st.isSocket()) throw new ConfigError('CONFIG_INVALID', `${path} exists and is not a socket`);
  if (await answers(path)) throw new ConfigError('CONFIG_INVALID', `something already listens on ${path}`);
  await unlink(path);
}

/** Starts the proxy; CONFIG_INVALID when it would forward to itself or its socket is taken. */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const { upstream, socketPath } = options;
  if (upstream.socketPath !== undefined && resolve(upstream.socketPath) === resolve(socketPath)) {
    throw new ConfigError('CONFIG_INVALID', `the proxy cannot forward to its own socket ${socketPath}`);
  }
  const log = options.log ?? (() => {});
  // The status and message of a refusal, logged once (method and path only: a query can carry anything).
  const refusal = (req: IncomingMessage, err: unknown): { status: number; message: string } => {
    const status = err instanceof ApiRequestError ? err.status : 403;
    const message = err instanceof Error ? err.message : String(err);
    log(`refused ${req.method} ${req.url?.split('?')[0]}: ${message}`);
    return { status, message };
  };
  const refuse = (res: ServerResponse, req: IncomingMessage, err: unknown) => {
    const { status, message } = refusal(req, err);
    sendError(res, status, message, status === 413);
  };
  // Verifications in flight are bounded, so a flood of pulls queues instead of exhausting the proxy.
  let running = 0;
  const waiting: (() => void)[] = [];
  const limited = async <T>(fn: () => Promise<T>): Promise<T> => {
    while (running >= MAX_GATE_CALLS) await new Promise<void>((wake) => waiting.push(wake));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  const decide = async (req: IncomingMessage): Promise<{ route: ApiRoute; decision: GateDecision }> => {
    const route = classifyRequest(req.method ?? '', req.url ?? '');
    const gate = options.gate;
    if (!gate) return { route, decision: FORWARD };
    const read = BODY_READ.has(route.endpoint);
    const body = read ? await readWhole(req, MAX_BODY_BYTES) : undefined;
    if (read && body === undefined) throw new ApiRequestError(`the request body is over ${MAX_BODY_BYTES >> 20} MiB`, { status: 413 });
    const request = {
      route,
      contentTypes: req.headersDistinct['content-type'] ?? [],
      ...(body && { body }),
      ...(req.headers['x-registry-auth'] !== undefined && { registryAuth: req.headers['x-registry-auth'] as string }),
      ...(req.headers['user-agent'] !== undefined && { userAgent: req.headers['user-agent'] }),
    };
    const decision = await limited(() => gate.decide(request));
    if (decision.note !== undefined) log(`allowed ${decision.note}`);
    if (decision.warning !== undefined) log(`warning ${req.method} ${route.path}: ${decision.warning}`);
    // A body read to decide on is sent as read when the gate did not replace it.
    return { route, decision: read && decision.kind === 'forward' && !decision.body ? { ...decision, body: body! } : decision };
  };

  const http = createHttpServer({ requestTimeout: 0, keepAliveTimeout: 5_000 });
  http.timeout = 0;
  // Requests in flight per connection, so that closing ends idle keep-alive connections at once and busy ones as
  // soon as their exchange is over (the http server's own closeIdleConnections knows only sockets it accepted).
  const busy = new WeakMap<Socket, number>();
  // Connections handed to a raw download: nothing after that request is read on them.
  const raw = new WeakSet<Socket>();
  let closing = false;
  http.on('request', (req, res) => {
    const conn = req.socket;
    if (raw.has(conn)) {
      conn.destroy();
      return;
    }
    busy.set(conn, (busy.get(conn) ?? 0) + 1);
    res.on('close', () => {
      const left = (busy.get(conn) ?? 1) - 1;
      busy.set(conn, left);
      if (closing && left === 0) conn.destroy();
    });
    if (options.status && req.method === 'GET' && req.url === STATUS_PATH) {
      const body = `${JSON.stringify(options.status())}\n`;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
      return;
    }
    decide(req)
      .then(({ route, decision }) => {
        if (decision.kind === 'pull') {
          relayVerifiedPull(upstream, req, res, { ...decision, ...(route.version !== undefined && { version: route.version }) });
          return;
        }
        // Raw only when this is the one exchange on the connection: a response still owed before it, or a request
        // read behind it, would be interleaved with the raw bytes.
        const alone = busy.get(conn) === 1 && res.socket === conn;
        const pausable = upstream.connectPausable;
        if (
          route.endpoint === 'download' &&
          pausable !== undefined &&
          alone &&
          decision.body === undefined &&
          decision.path === undefined &&
          rawDownload(req)
        ) {
          raw.add(conn);
          busy.set(conn, Number.POSITIVE_INFINITY);
          relayDownload(pausable, req, conn, (message) => sendError(res, 502, message, true));
          return;
        }
        // warn mode: a pull enforcement would refuse ends with a status line saying so.
        const trailer = decision.warning !== undefined && route.endpoint === 'images-create' ? line({ status: `WARNING: ${decision.warning}` }) : undefined;
        relayRequest(upstream, req, res, {
          ...(decision.body && { body: decision.body }),
          ...(decision.path && { path: decision.path }),
          ...(trailer && { trailer }),
        });
      })
      .catch((err: unknown) => refuse(res, req, err));
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    busy.set(socket, Number.POSITIVE_INFINITY); // hijacked: it lasts as long as the exchange does
    decide(req)
      .then(async ({ route, decision }) => {
        if (!HIJACKING.has(route.endpoint)) throw new ApiRequestError('an upgrade request to an endpoint that does not switch protocols is refused');
        if (decision.kind !== 'forward') throw new ApiRequestError('this request cannot be an upgrade', { status: 403 });
        await relayUpgrade(upstream, req, socket, head);
      })
      .catch((err: unknown) => {
        const { status, message } = refusal(req, err);
        const body = errorBody(message);
        socket.end(
          `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
  });
  http.on('clientError', (err, socket) => {
    if ((err as NodeJS.ErrnoException).code === 'HPE_PAUSED_H2_UPGRADE' || !socket.writable) socket.destroy();
    else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  const open = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    startsWithHttp2Preface(socket).then((h2) => {
      if (!h2) {
        http.emit('connection', socket);
        socket.resume();
        return;
      }
      // HTTP/2 reaches the daemon's whole API, not only gRPC (moby/moby daemon/command/httphandler.go routes only
      // application/grpc streams to gRPC): until the proxy reads HTTP/2 itself, it is turned away, politely.
      log('refused an HTTP/2 connection: use HTTP/1.1');
      socket.end(HTTP2_REFUSAL);
    });
  });

  server.maxConnections = MAX_CONNECTIONS;
  await clearStaleSocket(socketPath);
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(socketPath, () => {
      server.off('error', fail);
      // Accept failures (EMFILE) must not kill the proxy: they are logged and the server keeps listening.
      server.on('error', (err) => log(`accept failed: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      done();
    });
  });
  await chmod(socketPath, 0o660);

  return {
    socketPath,
    close: async (graceMs = 10_000) => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      closing = true;
      for (const s of open) if ((busy.get(s) ?? 0) === 0) s.destroy();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((done) => {
        timer = setTimeout(done, graceMs);
      });
      await Promise.race([closed, grace]);
      clearTimeout(timer);
      for (const s of open) s.destroy();
      upstream.close();
      await closed;
    },
  };
}
