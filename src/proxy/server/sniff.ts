/**
 * The HTTP/2 client preface (RFC 9113 §3.4) read off a fresh connection before Node's HTTP/1 parser sees it:
 * node:http refuses it (HPE_PAUSED_H2_UPGRADE), and BuildKit clients speak h2c with prior knowledge to engines
 * that take it (moby/moby daemon/command/httphandler.go). The bytes read are handed back unconsumed.
 */
import type { Socket } from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Resolves whether `socket` starts with the HTTP/2 preface, once enough bytes have come to tell; unshifts them. */
export function startsWithHttp2Preface(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = Buffer.alloc(0);
    const done = (is: boolean) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.pause();
      if (seen.length > 0) socket.unshift(seen);
      resolve(is);
    };
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, PREFACE.length);
      if (!seen.subarray(0, n).equals(PREFACE.subarray(0, n))) done(false);
      else if (n === PREFACE.length) done(true);
    };
    const onEnd = () => done(false);
    socket.on('data', onData);
    socket.on('end', onEnd);
  });
}
