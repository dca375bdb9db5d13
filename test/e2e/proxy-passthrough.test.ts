/**
 * The enforcing Engine API proxy as a pipe, with the REAL docker CLI 28 in front and the test bed's REAL dockerd
 * behind (the test bed's images, local and unsigned, in a repository the trust policy does not check):
 * version negotiation, `docker run` (create, hijacked attach, start, wait) with and without stdin, `docker exec`
 * with and without -i (half-close kept), `docker logs -f` of a container quiet for longer than the keep-alive
 * timeout, `docker events`, `docker save | docker load`, a request the daemon could read differently refused
 * with docker's error body, HTTP/2 turned away at once, and requests pipelined behind an upgrade never forwarded.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeFile } from 'node:fs/promises';
import { waitFor } from '../kit/index.ts';
import { baseEnv, DOCKER, docker, dockerConfig, ok, run, show, tempDir, testbed } from './harness.ts';
import { rawRequest, startTestProxy } from './proxy-kit.ts';

const tb = testbed();
let proxy: { socketPath: string; close(graceMs: number): Promise<void> };
let env: Record<string, string>;
let refusals: string[] = [];
const names: string[] = [];
const name = (what: string) => {
  const n = `trustext-proxy-${what}-${process.pid}`;
  names.push(n);
  return n;
};

before(async () => {
  const keys = join(await tempDir('trustext-proxy-'), 'keys');
  const policy = join(keys, '..', 'policy.json');
  const repository = tb.image.replace(/:[^:/]+$/, '');
  await writeFile(policy, JSON.stringify({ version: 2, rules: [{ repositories: repository, mode: 'off' }] }));
  const p = await startTestProxy(baseEnv(await dockerConfig({ plugin: false }), { TRUSTEXT_KEYS_DIR: keys, TRUSTEXT_POLICY: policy }));
  proxy = { socketPath: p.socket, close: (ms) => p.proxy.close(ms) };
  refusals = p.log;
  env = p.client;
});

after(async () => {
  const direct = baseEnv(await dockerConfig({ plugin: false }));
  if (names.length) await docker(['rm', '-f', ...names], direct);
  await proxy?.close(1_000);
});

/** `bash -c SCRIPT` with DOCKER set to the docker CLI, through the proxy. */
const sh = (script: string, timeoutMs?: number) => run('bash', ['-c', script], { env: { ...env, DOCKER }, ...(timeoutMs && { timeoutMs }) });

/** A raw request to the proxy socket: the status and body. */
const raw = (method: string, path: string, body?: string) => rawRequest(proxy.socketPath, method, path, body);

/** Writes `bytes` on a fresh proxy connection and collects everything that comes back until the proxy closes it. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect({ path: proxy.socketPath });
    let text = '';
    socket.setEncoding('latin1').on('data', (d: string) => {
      text += d;
    });
    socket.on('error', fail);
    socket.on('close', () => done(text));
    socket.write(bytes);
  });
}

describe('the proxy passes the Engine API through', { timeout: 180_000 }, () => {
  it('negotiates the API version (docker version shows the server)', async () => {
    const r = await ok(['version', '--format', '{{.Server.APIVersion}}'], env);
    assert.match(r.stdout.trim(), /^1\.\d+$/, show(r));
  });

  it('runs a container with its output (create, hijacked attach, start, wait)', async () => {
    const r = await ok(['run', '--rm', '--name', name('run'), tb.image, '/bin/busybox', 'echo', 'through the proxy'], env);
    assert.equal(r.stdout, 'through the proxy\n');
  });

  it('carries stdin into docker run -i and the output back', async () => {
    const r = await sh(`echo hi | "$DOCKER" run -i --rm --name ${name('stdin')} ${tb.image} /bin/busybox cat`);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, 'hi\n');
  });

  it('runs docker exec with and without -i (a half-closed stdin does not cut the output)', async () => {
    const c = name('exec');
    await ok(['run', '-d', '--name', c, tb.image, '/bin/busybox', 'sleep', '300'], env);
    const plain = await ok(['exec', c, '/bin/busybox', 'echo', 'no stdin'], env);
    assert.equal(plain.stdout, 'no stdin\n');
    const piped = await sh(`printf 'line one\\nline two\\n' | "$DOCKER" exec -i ${c} /bin/busybox cat`);
    assert.equal(piped.code, 0, show(piped));
    assert.equal(piped.stdout, 'line one\nline two\n');
  });

  it('follows logs of a container quiet for longer than the keep-alive timeout', async () => {
    const c = name('logs');
    await ok(['run', '-d', '--name', c, tb.image, '/bin/busybox', 'sh', '-c', 'echo before; sleep 7; echo after'], env);
    const r = await ok(['logs', '-f', c], env);
    assert.equal(r.stdout, 'before\nafter\n');
  });

  it('streams docker events', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const c = name('events');
    await ok(['create', '--name', c, tb.image, '/bin/busybox', 'true'], env);
    const until = Math.floor(Date.now() / 1000) + 1;
    const r = await ok(['events', '--since', String(since), '--until', String(until), '--filter', `container=${c}`, '--format', '{{.Action}}'], env);
    assert.match(r.stdout, /^create$/m, show(r));
  });

  it('pipes docker save into docker load', async () => {
    const r = await sh(`"$DOCKER" save ${tb.image} | "$DOCKER" load`);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /Loaded image/);
  });

  it('relays docker save of a 64 MiB image (a raw download) byte for byte, and docker cp out of a container', async () => {
    // Random bytes, so that the download outruns the client and reads wait on writes (where a reused buffer would show).
    const big = `${tb.image.replace(/:[^:/]+$/, '')}:big-${process.pid}`;
    const imported = await sh(
      `head -c 64M /dev/urandom > "$TMPDIR_BIG/blob" && tar -C "$TMPDIR_BIG" -c blob | "$DOCKER" import - ${big}`.replaceAll(
        '$TMPDIR_BIG',
        await tempDir('trustext-big-'),
      ),
    );
    assert.equal(imported.code, 0, show(imported));
    try {
      const through = await sh(`"$DOCKER" save ${big} | sha256sum`);
      const straight = await sh(`DOCKER_HOST=${tb.dockerHost} "$DOCKER" save ${big} | sha256sum`);
      assert.equal(through.code, 0, show(through));
      assert.equal(through.stdout, straight.stdout, 'the same bytes through the proxy as straight from the engine');
      const c = name('cp');
      await ok(['create', '--name', c, big, '/blob'], env);
      const cp = await sh(`"$DOCKER" cp ${c}:/blob - | tar -xO | wc -c`);
      assert.equal(cp.stdout.trim(), String(64 << 20), show(cp));
    } finally {
      await docker(['rmi', '-f', big], baseEnv(await dockerConfig({ plugin: false })));
    }
  });

  it('refuses with docker’s error body a request the daemon could route elsewhere, and forwards nothing', async () => {
    const before = refusals.length;
    const r = await raw('POST', '/v1.41/containers//create', JSON.stringify({ Image: tb.image }));
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.body).message, /not clean/);
    assert.equal(refusals.length, before + 1);
    const cli = await docker(['--host', `unix://${proxy.socketPath}`, 'version'], env);
    assert.equal(cli.code, 0, show(cli));
  });

  it('turns HTTP/2 away with GOAWAY HTTP_1_1_REQUIRED at once (HTTP/2 would reach the whole API unread)', async () => {
    const socket = connect({ path: proxy.socketPath });
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    const closed = new Promise((done) => socket.on('close', done));
    socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    assert.equal(await waitFor(closed, 10_000), true);
    const frames = Buffer.concat(chunks);
    assert.equal(frames[3], 4, 'a SETTINGS frame first');
    assert.equal(frames[12], 7, 'then GOAWAY');
    assert.equal(frames.readUInt32BE(frames.length - 4), 0x0d, 'HTTP_1_1_REQUIRED');
  });

  it('never lets a request pipelined behind an upgrade reach the engine unread', async () => {
    const c1 = name('pipelined-ping');
    const c2 = name('pipelined-exec');
    const host = 'Host: docker\r\n';
    const create = (n: string) => {
      const body = JSON.stringify({ Image: tb.image, Cmd: ['/bin/busybox', 'true'] });
      return `POST /containers/create?name=${n} HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    };
    // Behind an upgrade of an endpoint that never switches protocols: refused before anything goes up.
    const ping = await rawExchange(`GET /_ping HTTP/1.1\r\n${host}Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n${create(c1)}`);
    assert.match(ping, /^HTTP\/1\.1 400 /, ping);
    // Behind an exec start the daemon answers without hijacking (Detach): the engine's answer, then the end.
    const target = name('pipelined-target');
    await ok(['run', '-d', '--name', target, tb.image, '/bin/busybox', 'sleep', '300'], env);
    const exec = await raw('POST', `/containers/${target}/exec`, JSON.stringify({ Cmd: ['/bin/busybox', 'true'] }));
    const id = JSON.parse(exec.body).Id as string;
    const detach = JSON.stringify({ Detach: true });
    const start = `POST /exec/${id}/start HTTP/1.1\r\n${host}Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${detach.length}\r\n\r\n${detach}`;
    const answer = await rawExchange(start + create(c2));
    assert.match(answer, /^HTTP\/1\.1 200 /, answer);
    for (const n of [c1, c2]) {
      const inspect = await docker(['container', 'inspect', n], env);
      assert.notEqual(inspect.code, 0, `${n} must not exist: ${show(inspect)}`);
    }
  });
});
