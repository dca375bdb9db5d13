/**
 * Moving bytes between a client and the engine without changing them: an HTTP exchange streamed both ways (no
 * buffering, no timeouts: `logs -f`, `events` and `docker save` stay open as long as they last), and a hijacked
 * connection spliced both ways with half-close kept (`docker exec` without `-i` closes its writing side at once
 * and keeps reading: moby/moby client/hijack.go CloseWrite); relay-upgrade.ts decides when a connection is one.
 */
import { type ClientRequest, type IncomingMessage, type RequestOptions, request, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Upstream } from './upstream.ts';

/** docker's error body, as the daemon writes it (moby/moby api/types/common ErrorResponse). */
export function errorBody(message: string): string {
  return `${JSON.stringify({ message })}\n`;
}

/**
 * Answers `status` with docker's error body; a response already under way is cut instead. A request body not yet
 * read is read and dropped, so the connection stays usable, unless `close` says the connection ends here.
 */
export function sendError(res: ServerResponse, status: number, message: string, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(message);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...(close && { Connection: 'close' }) });
  res.end(body);
  if (!close) res.req.resume();
}

/**
 * The whole body of `req`, or undefined once it passes `max` bytes: reading then stops, with the connection left
 * open for the answer (sendError with close, so the rest of the body is never read as a next request).
 */
export function readWhole(req: IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(undefined);
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      done(undefined);
    };
    req.on('data', onData);
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/**
 * A request to the engine on behalf of the client answered by `res`: the engine unreachable, or hijacking a
 * request that did not ask to upgrade (Upgrade without Connection: upgrade), is a 502; a client that goes away
 * (Ctrl-C on `logs -f`) stops the engine's side too.
 */
export function engineRequest(upstream: Upstream, res: ServerResponse, options: RequestOptions): ClientRequest {
  const up = request({ ...upstream.requestOptions(), ...options, setHost: false });
  up.on('upgrade', (_answer, socket) => {
    socket.destroy();
    sendError(res, 502, 'the engine switched protocols on a request that did not ask to upgrade');
  });
  up.on('error', (err) => sendError(res, 502, `cannot reach the engine: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
  res.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  return up;
}

/** The client's headers as they came, but for those that frame its body (Content-Length, Transfer-Encoding, Expect). */
export function headersWithoutBody(req: IncomingMessage): string[] {
  const out: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (/^(content-length|transfer-encoding|expect)$/i.test(name)) continue;
    out.push(name, req.rawHeaders[i + 1]!);
  }
  return out;
}

/**
 * Forwards one request (method, path, headers, streamed body; or `body` in its place, framed by its own
 * Content-Length; `path` in place of the target) and streams the engine's answer back; a 200 answer gets `trailer` after its last byte.
 */
export function relayRequest(
  upstream: Upstream,
  req: IncomingMessage,
  res: ServerResponse,
  replaced?: { body?: Uint8Array; path?: string; trailer?: string },
): void {
  const body = replaced?.body;
  const headers = body ? [...headersWithoutBody(req), 'Content-Length', String(body.byteLength)] : [...req.rawHeaders];
  const up = engineRequest(upstream, res, { method: req.method, path: replaced?.path ?? req.url, headers });
  up.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
    res.flushHeaders();
    const trailer = answer.statusCode === 200 ? replaced?.trailer : undefined;
    answer.pipe(res, { end: trailer === undefined });
    if (trailer !== undefined) answer.on('end', () => res.end(trailer));
    answer.on('error', () => res.destroy());
  });
  if (body) up.end(body);
  else req.pipe(up);
}

/** The request head as it came (bytes kept: latin1), its Connection header replaced by `connection`. */
export function requestHead(req: IncomingMessage, connection: string): Buffer {
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (/^(connection|keep-alive)$/i.test(req.rawHeaders[i]!)) continue;
    lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  }
  lines.push(`Connection: ${connection}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * Pipes a and b into each other. An end of one side's data is passed on as a half-close (pipe ends the other's
 * writing side only); once a side has closed altogether, the other is ended (what it still has to write is
 * flushed first), and a failure of either destroys both.
 */
export function splice(a: Duplex, b: Duplex): void {
  for (const [side, other] of [
    [a, b],
    [b, a],
  ] as const) {
    side.on('error', () => other.destroy());
    side.on('close', () => other.end());
  }
  a.pipe(b);
  b.pipe(a);
}
