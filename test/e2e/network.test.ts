/**
 * Issue #9's transport items through the real docker CLI and plugin: a registry that drips (bounded by
 * TRUSTEXT_HTTP_TIMEOUT), one that resets and answers 503 (retried; given up on with a clear line), a real forward
 * proxy (tinyproxy, the test bed installs it) that must see registry and Notary requests unless NO_PROXY says
 * otherwise and whose credentials never show, and the test bed's registry by a name that resolves to 127.0.0.1,
 * insecure to the daemon only after resolving it, reached by trustext and dockerd alike.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dctEnv, docker, show, tempDir, testbed, uniqueRepo, type RunResult, signedPush, assertOneLine } from './harness.ts';
import { lyingProxy, type Lie } from './lying-proxy.ts';
import { pollUntil } from '../kit/index.ts';

const tb = testbed();
const closers: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

/** A trust-on environment with a fresh config and key store; Notary off unless `notary` names a server. */
async function env(extra: Record<string, string | undefined> = {}): Promise<Record<string, string>> {
  const e = await dctEnv();
  delete e.DOCKER_CONTENT_TRUST_SERVER;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete e[k];
    else e[k] = v;
  }
  return e;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe('deadlines', { timeout: 120_000 }, () => {
  it('fails a pull from a registry that drips a byte every 5 s within TRUSTEXT_HTTP_TIMEOUT, with one clear line', async () => {
    let server: Server | undefined;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': '4096' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), 5_000);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server!.closeAllConnections();
      server!.close();
    });
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const started = Date.now();
    const r = await docker(['trustext', 'pull', `${host}/drip/app:1`], await env({ TRUSTEXT_HTTP_TIMEOUT: '3s' }), 60_000);
    assert.equal(r.code, 1, show(r));
    assertOneLine(r, new RegExp(`^getting manifest ${host}/drip/app:1: ${host} did not answer in full within 3 s \\(TRUSTEXT_HTTP_TIMEOUT\\)$`, 'm'));
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  });

  it('refuses an invalid TRUSTEXT_HTTP_TIMEOUT or TRUSTEXT_HTTP_MIN_RATE as a usage error (125)', async () => {
    for (const [name, value] of [
      ['TRUSTEXT_HTTP_TIMEOUT', '90'],
      ['TRUSTEXT_HTTP_MIN_RATE', 'fast'],
    ] as const) {
      const r = await docker(['trustext', 'verify', `${tb.registry}/x/y:1`], await env({ [name]: value }));
      assert.equal(r.code, 125, show(r));
      assert.match(r.stderr.split('\n')[0]!, new RegExp(`^invalid ${name} "${value}": want `));
    }
  });

  it('names the variables in --help', async () => {
    const r = await docker(['trustext', '--help'], await env());
    for (const name of ['TRUSTEXT_HTTP_TIMEOUT', 'TRUSTEXT_HTTP_MIN_RATE', 'HTTPS_PROXY', 'NO_PROXY']) assert.match(r.stdout, new RegExp(name));
  });
});

describe('retries', { timeout: 120_000 }, () => {
  let lie: Lie = () => undefined;
  const seen: string[] = [];

  it('verifies through a registry that resets the first connection and answers 503 once; gives up on one that only answers 503', async () => {
    const front = await lyingProxy(tb.registry, (req) => {
      seen.push(`${req.method} ${req.url}`);
      return lie(req);
    });
    closers.push(front.close);
    const e = await env();
    const ref = `${front.host}/${uniqueRepo('flaky')}:v1`;
    await signedPush(e, ref);

    let n = 0;
    seen.length = 0;
    lie = () => (++n === 1 ? 'reset' : n === 2 ? { status: 503, headers: { 'Retry-After': '1' }, body: Buffer.alloc(0) } : undefined);
    const ok = await docker(['trustext', 'verify', ref], e);
    assert.equal(ok.code, 0, show(ok));
    assert.ok(n > 3, `the registry was asked again after the reset and the 503 (${seen.join(', ')})`);
    assert.equal(seen[0], seen[1], 'the request that was reset was sent again');
    assert.equal(seen[1], seen[2], 'and again after the 503');

    seen.length = 0;
    lie = () => ({ status: 503, headers: {}, body: Buffer.from('down for maintenance') });
    const down = await docker(['trustext', 'verify', ref], e);
    assert.equal(down.code, 1, show(down));
    assertOneLine(down, /: 503 service unavailable \(gave up after 3 attempts\)$/m);
    assert.equal(seen.length, 3, seen.join(', '));
  });
});

/** A real forward proxy (tinyproxy) on loopback with Basic auth, logging every request line. */
async function tinyproxy(user: string, password: string): Promise<{ url: string; host: string; log: () => Promise<string[]>; stop: () => void }> {
  const dir = await tempDir('trustext-proxy-');
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  await writeFile(
    join(dir, 'tinyproxy.conf'),
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 60',
      `LogFile "${logFile}"`,
      'LogLevel Connect',
      'MaxClients 50',
      'Allow 127.0.0.1',
      `BasicAuth ${user} ${password}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  const stop = () => {
    child.kill('SIGTERM');
  };
  closers.push(stop);
  // Nothing reports that tinyproxy listens: poll a connection until it does, or it exits.
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
  const up = await pollUntil(async () => child.exitCode !== null || (await listening()), 10_000);
  if (!up || child.exitCode !== null) throw new Error(`tinyproxy did not start (exit ${child.exitCode})`);
  const host = `127.0.0.1:${port}`;
  const log = async () =>
    (await readFile(logFile, 'utf8').catch(() => ''))
      .split('\n')
      .map((l) => /Request \(file descriptor \d+\): (\S+ \S+)/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined);
  return { url: `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}`, host, log, stop };
}

describe('through a forward proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)', { timeout: 180_000 }, () => {
  const password = 'pr0xy-s3cret-pw';

  it('sends registry and Notary requests through the proxy, none for NO_PROXY hosts, and never shows the proxy credentials', async () => {
    const proxy = await tinyproxy('trustext', password);
    const notary = tb.notaryByName;
    const e = await env({ DOCKER_CONTENT_TRUST_SERVER: notary });
    const ref = `${tb.registryByName}/${uniqueRepo('proxied')}:v1`;
    await signedPush(e, ref); // registry and Notary, directly

    const proxied = { ...e, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url };
    const verify = await docker(['-D', 'trustext', 'verify', '--store', 'registry', ref], proxied);
    assert.equal(verify.code, 0, show(verify));
    const viaNotary = await docker(['-D', 'trustext', 'verify', '--store', 'notary', ref], proxied);
    assert.equal(viaNotary.code, 0, show(viaNotary));
    const lines = await proxy.log();
    const notaryHost = new URL(notary).host;
    assert.ok(lines.includes(`CONNECT ${notaryHost}`), `the Notary server through a CONNECT tunnel: ${lines.join(', ')}`);
    assert.ok(
      lines.some((l) => l.startsWith(`GET http://${tb.registryByName}/v2/`)),
      `registry requests in absolute form: ${lines.join(', ')}`,
    );
    assert.ok(lines.includes(`CONNECT ${tb.registryByName}`), 'the https attempt at the insecure registry went through the proxy too');

    const before = lines.length;
    const bypass = await docker(['trustext', 'verify', '--store', 'registry', ref], { ...proxied, NO_PROXY: `localhost,.example.com,${tb.hostname}` });
    assert.equal(bypass.code, 0, show(bypass));
    const bypassNotary = await docker(['trustext', 'verify', '--store', 'notary', ref], { ...proxied, no_proxy: tb.hostname.toUpperCase() });
    assert.equal(bypassNotary.code, 0, show(bypassNotary));
    assert.deepEqual((await proxy.log()).slice(before), [], 'nothing for a host in NO_PROXY');

    const loopback = await docker(['trustext', 'verify', `${tb.registry}/${uniqueRepo('none')}:v1`], proxied);
    assert.deepEqual((await proxy.log()).slice(before), [], 'nothing for loopback, ever');
    assert.equal(loopback.code, 1, show(loopback));

    // A refused CONNECT (wrong password: tinyproxy answers 401) and a refused absolute-form request (no
    // credentials: 407) both say that the proxy refused, naming it without its credentials.
    const wrong = proxy.url.replace(encodeURIComponent(password), 'wr0ng-pw-123');
    const results: RunResult[] = [];
    for (const [store, httpsProxy, httpProxy, status] of [
      ['notary', wrong, wrong, '401 unauthorized'],
      ['registry', wrong, `http://${proxy.host}`, '407 proxy authentication required'],
    ]) {
      const refused = await docker(['-D', 'trustext', 'verify', '--store', store!, ref], { ...e, HTTPS_PROXY: httpsProxy!, HTTP_PROXY: httpProxy! });
      assert.equal(refused.code, 1, show(refused));
      assert.match(refused.stderr.split('\n')[0]!, new RegExp(`through proxy http://${proxy.host}: the proxy answered ${status}`), show(refused));
      results.push(refused);
    }
    proxy.stop();
    const gone = await docker(['-D', 'trustext', 'verify', '--store', 'notary', ref], proxied);
    assert.equal(gone.code, 1, show(gone));
    assert.match(gone.stderr, new RegExp(`through proxy http://${proxy.host}: econnrefused`));
    for (const r of [verify, viaNotary, bypass, bypassNotary, loopback, gone, ...results]) {
      for (const secret of [password, encodeURIComponent(password), 'wr0ng-pw-123', Buffer.from(`trustext:${password}`).toString('base64')]) {
        assert.ok(!(r.stdout + r.stderr).includes(secret), `the proxy credentials stay out of the output (also with -D):\n${show(r)}`);
      }
    }
  });

  it('refuses a socks5 proxy with a clear line instead of going direct', async () => {
    const r = await docker(
      ['trustext', 'verify', `${tb.registryByName}/x/y:1`],
      await env({ HTTPS_PROXY: 'socks5://u:secretsocks@127.0.0.1:1080', HTTP_PROXY: 'socks5://127.0.0.1:1080' }),
    );
    assert.equal(r.code, 1, show(r));
    assertOneLine(r, /through proxy socks5:\/\/127\.0\.0\.1:1080: only http:\/\/ and https:\/\/ proxies are supported \(HTTP_PROXY\)/);
    assert.doesNotMatch(r.stderr, /secretsocks/);
  });
});

describe('an insecure registry by name (resolving into the daemon’s 127.0.0.0/8)', { timeout: 120_000 }, () => {
  it('signs on push and verifies on pull through the name: https fails, plain http works, for trustext and dockerd alike', async () => {
    const e = await env();
    const ref = `${tb.registryByName}/${uniqueRepo('byname')}:v1`;
    const push = await signedPush(e, ref);
    assert.match(push.stdout, /^Successfully signed /m);
    assert.equal((await docker(['rmi', ref], e)).code, 0);
    const pull = await docker(['trustext', 'pull', ref], e);
    assert.equal(pull.code, 0, show(pull));
    assert.equal(pull.stdout.trim().split('\n').at(-1), ref);
    assert.equal((await docker(['image', 'inspect', ref], e)).code, 0, 'the daemon pulled it by the name too');
  });
});
