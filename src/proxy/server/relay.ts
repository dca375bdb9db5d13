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

/** Answers `status` with docker's error body; a response already under way is cut instead. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(message);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
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

/** Forwards one request as it came (method, path, headers, streamed body) and streams the engine's answer back. */
export function relayRequest(upstream: Upstream, req: IncomingMessage, res: ServerResponse): void {
  const up = engineRequest(upstream, res, { method: req.method, path: req.url, headers: [...req.rawHeaders] });
  up.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
    res.flushHeaders();
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  req.pipe(up);
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
