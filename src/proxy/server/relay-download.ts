/**
 * Bulk downloads (`docker save`, `export`, `cp` out of a container: GET requests without a body whose answers run
 * to hundreds of MiB) relayed raw: the request head goes up with `Connection: close` on a connection of its own, and
 * the engine's answer — status, headers and body, framing included — comes back byte for byte until the engine
 * closes, read into one buffer that is reused once each write has gone out (net.Socket `onread`). No HTTP parsing
 * and no allocation per read, so the proxy costs the throughput and memory of a splice. The engine's answer says
 * `Connection: close` (Go's server does for a request that asked it), so the client opens a new connection for
 * its next request; anything it sends on this one after the request is not forwarded (the connection is closed).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { requestHead } from './relay.ts';
import type { Upstream } from './upstream.ts';

/** The read buffer of one download. */
const READ_BYTES = 256 * 1024;

/** Whether `req` can be relayed raw: an HTTP/1.1 GET without a body (an HTTP/1.0 client could not read a chunked answer). */
export function rawDownload(req: IncomingMessage): boolean {
  return (
    req.httpVersion === '1.1' && req.method === 'GET' && req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0
  );
}

/** Relays `req` (read by Node's parser off `client`) to the engine and its answer raw back onto `client`. */
export function relayDownload(
  connectPausable: NonNullable<Upstream['connectPausable']>,
  req: IncomingMessage,
  client: Socket,
  onFailure: (message: string) => void,
): void {
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  let answered = false;
  const engine = connectPausable({
    buffer,
    callback: (bytes, buf) => {
      answered = true;
      // A write holds on to the buffer until it is flushed (its callback): the next read waits for that.
      client.write(buf.subarray(0, bytes), (err) => {
        if (!err) engine.resume();
      });
      return false;
    },
  });
  engine.on('connect', () => engine.write(requestHead(req, 'close')));
  const finish = () => {
    if (answered) client.end();
    else onFailure('the engine closed the connection without answering');
  };
  engine.on('end', finish);
  engine.on('close', () => {
    if (answered) client.end();
  });
  engine.on('error', (err) => {
    if (!answered) onFailure(`cannot reach the engine: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
    else client.destroy();
  });
  client.on('close', () => engine.destroy());
}
