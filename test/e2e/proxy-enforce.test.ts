/**
 * `docker trustext enforce on|off|status` and `docker trustext proxy` as users run them (the built binary, through
 * the REAL docker CLI 28): `on` starts the proxy in the background in front of the engine the current context
 * names and makes the context `trustext` current, so a plain `docker pull` (no DOCKER_HOST) of an unsigned image
 * is refused and of a signed one verified; `status` reports the proxy and its counters; `off` puts the previous
 * context back and stops the proxy. The proxy itself exits 0 on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pollUntil } from '../kit/index.ts';
import { baseEnv, BINARY, docker, dockerConfig, ok, show, signedPushRepo, tempDir, testbed, trustEnv, uniqueRepo } from './harness.ts';
import { rawRequest } from './proxy-kit.ts';

const tb = testbed();
let env: Record<string, string>;
let signed: string;
let unsigned: string;
let runtime: string;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

before(async () => {
  const signer = await trustEnv();
  signed = (await signedPushRepo(signer, uniqueRepo('proxy-enforce'), 'v1')).ref;
  unsigned = `${tb.registry}/${uniqueRepo('proxy-enforce-unsigned')}:v1`;
  const direct = baseEnv(await dockerConfig({ plugin: false }));
  await ok(['tag', tb.image2, unsigned], direct);
  await ok(['push', unsigned], direct);
  await docker(['rmi', signed, unsigned], direct);
  runtime = await tempDir('trustext-runtime-');
  // The user's shell: no DOCKER_HOST, a current context `testbed` naming the test bed's engine.
  const { DOCKER_HOST: _host, DOCKER_CONTENT_TRUST: _trust, ...rest } = signer;
  env = { ...rest, XDG_RUNTIME_DIR: runtime };
  await ok(['context', 'create', 'testbed', '--docker', `host=${tb.dockerHost}`], env);
  await ok(['context', 'use', 'testbed'], env);
});

after(async () => {
  const state = await readFile(join(runtime, 'trustext', 'enforce.json'), 'utf8').catch(() => undefined);
  if (state) {
    await docker(['trustext', 'enforce', 'off'], env);
    const { pid } = JSON.parse(state) as { pid: number };
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});

describe('docker trustext enforce', { timeout: 120_000 }, () => {
  let pid: number;

  it('on: plain docker pull (no DOCKER_HOST) goes through the proxy, unsigned refused, signed verified', async () => {
    // A process of its own, whether or not a systemd user manager runs here (proxy-systemd.test.ts has that case).
    const r = await ok(['trustext', 'enforce', 'on', '--service', 'process'], env);
    assert.match(r.stdout, /Content trust enforced: docker context "trustext" -> unix:\/\/.* -> unix:\/\//, show(r));
    assert.match(r.stderr, /bypasses the proxy/);
    assert.equal((await ok(['context', 'show'], env)).stdout.trim(), 'trustext');
    const refused = await docker(['pull', unsigned], env);
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stderr, /^Error response from daemon: remote trust data does not exist for /, show(refused));
    const pulled = await ok(['pull', signed], env);
    assert.match(pulled.stdout, /Tagged .*:v1 \(verified sha256:[0-9a-f]{64}\)/, show(pulled));
  });

  it('status: the proxy, its upstream, mode and counters, and the bypass caveat', async () => {
    const r = await ok(['trustext', 'enforce', 'status', '--format', 'json'], env);
    const s = JSON.parse(r.stdout) as { on: boolean; proxy: { pid: number; upstream: string; mode: string; allowed: number; refused: number }; bypass: string };
    assert.equal(s.on, true);
    assert.equal(s.proxy.upstream, tb.dockerHost);
    assert.equal(s.proxy.mode, 'enforce');
    assert.ok(s.proxy.refused >= 1 && s.proxy.allowed >= 1, r.stdout);
    assert.match(s.bypass, /bypasses the proxy/);
    pid = s.proxy.pid;
    const pretty = await ok(['trustext', 'enforce', 'status'], env);
    assert.match(pretty.stdout, /^Enforcement: on/m);
    assert.match(pretty.stdout, /^Proxy: +up, pid \d+/m);
    assert.match(pretty.stdout, /^Runs as: +process \(log: .*proxy\.log\)/m);
  });

  it('on again while on is refused', async () => {
    const r = await docker(['trustext', 'enforce', 'on'], env);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /already on/);
  });

  it('a proxy that died (kill -9) is connection refused, never a bypass; on again takes over, off cleans up', async () => {
    process.kill(pid, 'SIGKILL');
    assert.ok(await pollUntil(() => !alive(pid), 10_000));
    const r = await docker(['pull', unsigned], env);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /Cannot connect to the Docker daemon at unix:\/\/.*trustext\/docker\.sock/, show(r));
    assert.match((await ok(['trustext', 'enforce', 'status'], env)).stdout, /^Proxy: +down/m);
    // The socket kill -9 left behind is cleared, and the context that was current before trustext is still known.
    await ok(['trustext', 'enforce', 'on'], env);
    const s = JSON.parse((await ok(['trustext', 'enforce', 'status', '--format', 'json'], env)).stdout) as { proxy: { pid: number } };
    pid = s.proxy.pid;
    assert.equal((await docker(['pull', unsigned], env)).code, 1);
  });

  it('off: the previous context is current again and the proxy is stopped', async () => {
    const r = await ok(['trustext', 'enforce', 'off'], env);
    assert.match(r.stdout, /docker context "testbed" is current, proxy stopped/, show(r));
    assert.equal((await ok(['context', 'show'], env)).stdout.trim(), 'testbed');
    assert.equal(alive(pid), false);
    const ls = await ok(['context', 'ls', '--format', '{{.Name}}'], env);
    assert.doesNotMatch(ls.stdout, /^trustext$/m);
    const status = await ok(['trustext', 'enforce', 'status'], env);
    assert.match(status.stdout, /^Enforcement: off/m);
  });
});

describe('docker trustext enforce, when things are left behind', { timeout: 120_000 }, () => {
  it('off still restores the previous context after a reboot emptied the runtime directory', async () => {
    await ok(['trustext', 'enforce', 'on'], env);
    const state = JSON.parse(await readFile(join(runtime, 'trustext', 'enforce.json'), 'utf8')) as { pid: number };
    process.kill(state.pid, 'SIGKILL');
    await rm(join(runtime, 'trustext'), { recursive: true, force: true });
    const r = await ok(['trustext', 'enforce', 'off'], env);
    assert.match(r.stdout, /docker context "testbed" is current/, show(r));
    assert.equal((await ok(['context', 'show'], env)).stdout.trim(), 'testbed');
  });

  it('refuses to take over a docker context named trustext that is not its own', async () => {
    await ok(['context', 'create', 'trustext', '--docker', 'host=unix:///nonexistent.sock'], env);
    try {
      const r = await docker(['trustext', 'enforce', 'on'], env);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /a docker context named "trustext" exists and is not trustext's/);
      assert.equal((await ok(['context', 'show'], env)).stdout.trim(), 'testbed');
    } finally {
      await docker(['context', 'rm', '-f', 'trustext'], env);
    }
  });
});

describe('docker trustext enforce in front of a TLS engine', { timeout: 120_000 }, () => {
  it('starts the proxy on the TLS context that was current, and off makes it current again', async () => {
    const c = tb.tlsCertPath;
    await ok(['context', 'create', 'testbed-tls', '--docker', `host=${tb.tlsHost},ca=${c}/ca.pem,cert=${c}/cert.pem,key=${c}/key.pem`], env);
    await ok(['context', 'use', 'testbed-tls'], env);
    try {
      await ok(['trustext', 'enforce', 'on'], env);
      const s = JSON.parse((await ok(['trustext', 'enforce', 'status', '--format', 'json'], env)).stdout) as { proxy: { upstream: string } };
      assert.equal(s.proxy.upstream, tb.tlsHost);
      const refused = await docker(['pull', unsigned], env);
      assert.equal(refused.code, 1, show(refused));
      assert.match(refused.stderr, /^Error response from daemon: remote trust data does not exist/, show(refused));
      await ok(['pull', signed], env);
      const off = await ok(['trustext', 'enforce', 'off'], env);
      assert.match(off.stdout, /docker context "testbed-tls" is current, proxy stopped/, show(off));
    } finally {
      await docker(['trustext', 'enforce', 'off'], env);
      await ok(['context', 'use', 'testbed'], env);
    }
  });
});

describe('docker trustext proxy', { timeout: 60_000 }, () => {
  it('serves until SIGTERM, then exits 0', async () => {
    const socket = join(await tempDir('trustext-proxy-cmd-'), 'p.sock');
    const child = spawn(BINARY, ['trustext', 'proxy', '--listen', `unix://${socket}`, '--upstream', tb.dockerHost], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    assert.ok(await pollUntil(() => stderr.includes('listening on'), 15_000), stderr);
    const ping = await rawRequest(socket, 'GET', '/_ping');
    assert.equal(ping.status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /stopping/);
  });

  it('refuses a --listen that is not unix:///PATH (usage error, 125)', async () => {
    const r = await docker(['trustext', 'proxy', '--listen', 'tcp://127.0.0.1:1'], env);
    assert.equal(r.code, 125, show(r));
  });
});
