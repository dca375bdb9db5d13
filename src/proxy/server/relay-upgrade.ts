/**
 * Hijacked endpoints (attach, exec start, BuildKit's /grpc and /session, attach over websocket) spliced onto the
 * engine — but only once the engine has switched protocols. Node hands everything after an upgrade request's
 * headers over unparsed (`head`), and Go keeps reading requests on a connection it did not hijack, so splicing at
 * once would let a request pipelined behind an upgrade (or behind an exec the daemon does not hijack: moby/moby
 * daemon/server/router/container exec.go Detach) reach the engine unclassified. So: only the request and its
 * Content-Length body go up, with `Connection: Upgrade, close` (Go closes a connection it answers normally); the
 * client's further bytes wait until the engine's `101`; any other answer is relayed and the connection closed.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { ApiRequestError } from '../../shared/errors.ts';
import { MAX_BODY_BYTES } from '../classify/index.ts';
import { requestHead, splice } from './relay.ts';
import type { Upstream } from './upstream.ts';

/** The longest engine response head read before deciding (the daemon's 101 is a few lines). */
const MAX_RESPONSE_HEAD = 64 * 1024;

/** The Content-Length of an upgrade request; chunked or unreadable lengths are refused (Node does not frame it). */
function bodyLength(req: IncomingMessage): number {
  if (req.headers['transfer-encoding'] !== undefined) throw new ApiRequestError('an upgrade request with a chunked body is refused');
  const lengths = req.headersDistinct['content-length'] ?? [];
  if (lengths.length === 0) return 0;
  if (lengths.length > 1 || !/^\d{1,9}$/.test(lengths[0]!) || Number(lengths[0]) > MAX_BODY_BYTES) {
    throw new ApiRequestError('an upgrade request needs one Content-Length of at most 4 MiB');
  }
  return Number(lengths[0]);
}

/** Reads from the paused `socket` until `length` bytes (counting `initial`) have come; the rest is `extra`. */
function readBody(socket: Socket, initial: Buffer, length: number): Promise<{ body: Buffer; extra: Buffer }> {
  return new Promise((done, fail) => {
    let got = initial;
    const finish = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.pause();
      done({ body: got.subarray(0, length), extra: got.subarray(length) });
    };
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= length) finish();
    };
    const onEnd = () => fail(new ApiRequestError('the request body ended early'));
    if (got.length >= length) return finish();
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.resume();
  });
}

/**
 * Relays one upgrade request of a hijacking endpoint. Throws ApiRequestError (before anything is sent upstream)
 * for a body it cannot frame; later failures close both connections.
 */
export async function relayUpgrade(upstream: Upstream, req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
  client.pause();
  const { body, extra } = await readBody(client, head, bodyLength(req));
  const engine = upstream.connect();
  engine.on('error', () => client.destroy());
  client.on('error', () => engine.destroy());
  engine.write(Buffer.concat([requestHead(req, 'Upgrade, close'), body]));
  let answer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    answer = Buffer.concat([answer, chunk]);
    const end = answer.indexOf('\r\n\r\n');
    if (end < 0) {
      if (answer.length > MAX_RESPONSE_HEAD) {
        engine.destroy();
        client.destroy();
      }
      return;
    }
    engine.off('data', onData);
    engine.pause();
    const switched = /^HTTP\/1\.[01] 101 /.test(answer.subarray(0, end).toString('latin1'));
    client.write(answer);
    if (switched) {
      if (extra.length > 0) engine.write(extra);
      splice(client, engine);
      return;
    }
    // Not hijacked: the engine's answer goes back, the client's further bytes never go up, and both close.
    engine.pipe(client);
    engine.on('close', () => client.destroy());
  };
  engine.on('data', onData);
}
