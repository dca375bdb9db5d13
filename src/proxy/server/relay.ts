/**
 * Moving bytes between a client and the engine without changing them: an HTTP exchange streamed both ways (no
 * buffering, no timeouts: `logs -f`, `events` and `docker save` stay open as long as they last), and a hijacked
 * connection spliced both ways with half-close kept (`docker exec` without `-i` closes its writing side at once
 * and keeps reading: moby/moby client/hijack.go CloseWrite); relay-upgrade.ts decides when a connection is one.
 */
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Upstream } from './upstream.ts';

/** docker's error body, as the daemon writes it (moby/moby api/types/common ErrorResponse). */
export function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${JSON.stringify({ message })}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Forwards one request as it came (method, path, headers, streamed body) and streams the engine's answer back. */
export function relayRequest(upstream: Upstream, req: IncomingMessage, res: ServerResponse, body?: Uint8Array): void {
  const headers: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const up = request({ ...upstream.requestOptions(), method: req.method, path: req.url, headers, setHost: false });
  up.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
    res.flushHeaders();
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  // An engine that hijacks a request that did not ask to upgrade (Upgrade without Connection: upgrade) gets no splice.
  up.on('upgrade', (_answer, socket) => {
    socket.destroy();
    sendError(res, 502, 'the engine switched protocols on a request that did not ask to upgrade');
  });
  up.on('error', (err) => sendError(res, 502, `cannot reach the engine: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
  // The client went away (Ctrl-C on `logs -f`): stop the engine's side too.
  res.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  if (body) up.end(body);
  else req.pipe(up);
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
