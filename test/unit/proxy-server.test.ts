/**
 * Starting the proxy's socket against hostile leftovers: a socket left by a proxy killed with -9 is cleared, one
 * something still listens on is refused (never stolen), a file that is not a socket is refused, forwarding to its
 * own socket is refused, and the socket is created 0660. Then, in front of a recording stand-in for the engine,
 * what must never reach it: an upgrade with a chunked body (Node does not frame it), and an
 * HTTP/2 connection.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type ProxyOptions, startProxy, upstreamFor } from '../../src/proxy/index.ts';
import { pollUntil, rejectsWithCode } from '../kit/index.ts';

const dir = () => mkdtemp(join(tmpdir(), 'trustext-proxy-unit-'));
const upstream = (path: string) => upstreamFor({ contextName: 'default', host: `unix://${path}` });

/** Asserts that starting a proxy with `options` is refused; one that starts anyway is closed, so a failure cannot hang. */
async function refusedStart(options: ProxyOptions, message: RegExp): Promise<void> {
  const started = startProxy(options);
  started.then(
    (p) => p.close(10),
    () => {},
  );
  await rejectsWithCode(started, 'CONFIG_INVALID', message);
}

describe('startProxy', { timeout: 20_000 }, () => {
  it('creates its socket 0660 and refuses a second proxy on the same socket', async () => {
    const socketPath = join(await dir(), 'p.sock');
    const first = await startProxy({ socketPath, upstream: upstream('/nonexistent/engine.sock') });
    try {
      assert.equal((await stat(socketPath)).mode & 0o777, 0o660);
      await refusedStart({ socketPath, upstream: upstream('/nonexistent/engine.sock') }, /already listens/);
      assert.ok((await stat(socketPath)).isSocket(), 'the live socket is left alone');
    } finally {
      await first.close(100);
    }
  });

  it('clears the socket of a listener killed with -9, and listens there', async () => {
    const socketPath = join(await dir(), 'p.sock');
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`]);
    await once(child.stdout, 'data');
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.ok((await stat(socketPath)).isSocket(), 'kill -9 leaves the socket file behind');
    const proxy = await startProxy({ socketPath, upstream: upstream('/nonexistent/engine.sock') });
    await proxy.close(100);
    assert.equal(await pollUntil(async () => (await stat(socketPath).catch(() => undefined)) === undefined, 2_000), true);
  });

  it('refuses a path that holds something other than a socket, and its own socket as the engine', async () => {
    const d = await dir();
    const file = join(d, 'not-a-socket');
    await writeFile(file, 'keep me');
    await refusedStart({ socketPath: file, upstream: upstream('/nonexistent/engine.sock') }, /is not a socket/);
    const socketPath = join(d, 'p.sock');
    await refusedStart({ socketPath, upstream: upstream(socketPath) }, /cannot forward to its own socket/);
  });
});

/** Writes `bytes` on a fresh connection to `path` and resolves everything that comes back until it closes. */
function exchange(path: string, bytes: string): Promise<Buffer> {
  return new Promise((done, fail) => {
    const socket = connect({ path });
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', fail);
    socket.on('close', () => done(Buffer.concat(chunks)));
    socket.write(bytes);
  });
}

describe('what never reaches the engine', { timeout: 20_000 }, () => {
  it('refuses upgrades it cannot frame and HTTP/2, before a byte goes upstream', async () => {
    const d = await dir();
    const enginePath = join(d, 'engine.sock');
    const received: Buffer[] = [];
    const engine = createServer((s) => s.on('data', (b: Buffer) => received.push(b)));
    await new Promise<void>((done) => engine.listen(enginePath, done));
    const proxy = await startProxy({ socketPath: join(d, 'p.sock'), upstream: upstream(enginePath) });
    try {
      const up = 'POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n';
      const chunked = await exchange(proxy.socketPath, `${up}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
      assert.match(chunked.toString('latin1'), /^HTTP\/1\.1 400 [\s\S]*chunked body is refused/);
      const h2 = await exchange(proxy.socketPath, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
      assert.equal(h2.readUInt32BE(h2.length - 4), 0x0d, 'GOAWAY HTTP_1_1_REQUIRED');
      assert.deepEqual(received, [], 'nothing reached the engine');
    } finally {
      await proxy.close(100);
      engine.close();
    }
  });
});

describe('closing the proxy', { timeout: 20_000 }, () => {
  it('ends an idle keep-alive connection at once instead of waiting out the grace period', async () => {
    const d = await dir();
    const engineSock = join(d, 'engine.sock');
    const engine = createServer((c) => c.on('data', () => c.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK')));
    await new Promise<void>((done) => engine.listen(engineSock, done));
    const proxy = await startProxy({ socketPath: join(d, 'p.sock'), upstream: upstream(engineSock) });
    const client = connect({ path: proxy.socketPath });
    try {
      client.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n');
      await once(client, 'data'); // answered; the connection stays open, idle
      const started = Date.now();
      await proxy.close(5_000);
      assert.ok(Date.now() - started < 2_000, `close took ${Date.now() - started} ms`);
    } finally {
      client.destroy();
      engine.close();
      engine.unref();
    }
  });
});
