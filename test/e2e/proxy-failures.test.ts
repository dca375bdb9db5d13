/**
 * The enforcing proxy when things go wrong, with the REAL docker CLI 28 and dockerd: a registry that is down makes
 * pull and run of a tag fail closed in enforce mode and pass with a logged warning in warn mode (which also appends
 * its warning to a pull's progress); a registry behind htpasswd is verified with the credentials the client's
 * request carries (X-Registry-Auth), never the proxy user's, and the password never reaches the proxy's log.
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { baseEnv, docker, dockerConfig, ok, show, signedPush, testbed, trustEnv, uniqueRepo } from './harness.ts';
import { startTestProxy, type TestProxy } from './proxy-kit.ts';

const tb = testbed();
const proxies: TestProxy[] = [];
let signer: Record<string, string>;
let direct: Record<string, string>;

/** A TCP forwarder to the test bed's registry, so that the registry can be taken down for one test alone. */
async function forwarder(): Promise<{ address: string; down(): Promise<void> }> {
  const open = new Set<Socket>();
  const [host, port] = [tb.registry.split(':')[0]!, Number(tb.registry.split(':')[1])];
  const server: Server = createServer((client) => {
    const up = connect({ host, port });
    for (const s of [client, up]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        up.destroy();
      });
    }
    client.pipe(up).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    address,
    down: () =>
      new Promise((done) => {
        server.close(() => done());
        for (const s of open) s.destroy();
      }),
  };
}

const started = async (env: Record<string, string>, mode: 'enforce' | 'warn') => {
  const p = await startTestProxy(env, mode);
  proxies.push(p);
  return p;
};

before(async () => {
  // Short deadlines, so that a registry that is down is given up on quickly.
  signer = await trustEnv({ TRUSTEXT_HTTP_TIMEOUT: '2s' });
  direct = baseEnv(await dockerConfig({ plugin: false }));
});

after(async () => {
  await Promise.all(proxies.map((p) => p.proxy.close(1_000)));
});

describe('the enforcing proxy fails closed', { timeout: 240_000 }, () => {
  let ref: string;
  let registry: Awaited<ReturnType<typeof forwarder>>;
  let unsigned: string;

  before(async () => {
    registry = await forwarder();
    ref = `${registry.address}/${uniqueRepo('proxy-down')}:v1`;
    await signedPush(signer, ref);
    unsigned = `${tb.registry}/${uniqueRepo('proxy-warn')}:v1`;
    await ok(['tag', tb.image2, unsigned], direct);
    await ok(['push', unsigned], direct);
    await docker(['rmi', unsigned], direct);
    // Pulled through an enforcing proxy while the registry is up: the image is local and was verified.
    const up = await started(signer, 'enforce');
    await ok(['pull', ref], up.client);
    await ok(['run', '--rm', ref, '/bin/busybox', 'true'], up.client);
    await registry.down();
  });

  it('refuses pull and run of a tag whose registry is down (enforce mode)', async () => {
    const p = await started(signer, 'enforce');
    const run = await docker(['run', '--rm', ref, '/bin/busybox', 'true'], p.client);
    assert.equal(run.code, 125, show(run));
    assert.match(run.stderr, /Error response from daemon: .*(connect|ECONNREFUSED|reach)/i, show(run));
    const pull = await docker(['pull', ref], p.client);
    assert.equal(pull.code, 1, show(pull));
    assert.match(pull.stderr, /Error response from daemon: .*(connect|ECONNREFUSED|reach)/i, show(pull));
    assert.ok(
      p.log.some((l) => l.startsWith('refused POST') && l.includes('/containers/create')),
      p.log.join('\n'),
    );
  });

  it('lets them through with a logged warning in warn mode, and says so in a pull’s progress', async () => {
    const p = await started(signer, 'warn');
    await ok(['run', '--rm', ref, '/bin/busybox', 'true'], p.client);
    assert.ok(
      p.log.some((l) => l.startsWith('warning POST') && l.includes('content trust would refuse this')),
      p.log.join('\n'),
    );
    const pull = await ok(['pull', unsigned], p.client);
    assert.match(pull.stdout, /WARNING: content trust would refuse this: remote trust data does not exist/, show(pull));
  });
});

describe('a registry behind htpasswd', { timeout: 120_000 }, () => {
  const auth = (password: string) => ({ auths: { [tb.authRegistry]: { auth: Buffer.from(`${tb.registryUser}:${password}`).toString('base64') } } });
  let ref: string;
  let p: TestProxy;

  before(async () => {
    const pusher = await trustEnv({}, auth(tb.registryPassword));
    ref = `${tb.authRegistry}/${uniqueRepo('proxy-auth')}:v1`;
    await signedPush(pusher, ref);
    await docker(['rmi', ref], direct);
    // The proxy's user trusts the pusher's key but has no credentials for the registry.
    p = await started({ ...pusher, DOCKER_CONFIG: await dockerConfig({ plugin: false }) }, 'enforce');
  });

  it('verifies with the credentials the request carries (X-Registry-Auth)', async () => {
    const client = baseEnv(await dockerConfig({ plugin: false, config: auth(tb.registryPassword) }), { DOCKER_HOST: `unix://${p.socket}` });
    const r = await ok(['pull', ref], client);
    assert.match(r.stdout, /Tagged .* \(verified sha256:/, show(r));
  });

  it('refuses when the request carries none, or wrong ones', async () => {
    const wrong = 'not-the-password-e2e';
    for (const config of [{}, auth(wrong)]) {
      const client = baseEnv(await dockerConfig({ plugin: false, config }), { DOCKER_HOST: `unix://${p.socket}` });
      const r = await docker(['pull', ref], client);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /Error response from daemon: .*401|unauthorized/i, show(r));
      assert.ok(!r.stderr.includes(wrong));
    }
  });

  it('never logs the registry password', () => {
    const text = p.log.join('\n');
    assert.ok(p.log.length > 0);
    for (const secret of [tb.registryPassword, Buffer.from(`${tb.registryUser}:${tb.registryPassword}`).toString('base64'), 'not-the-password-e2e']) {
      assert.ok(!text.includes(secret), `the log holds a credential:\n${text}`);
    }
  });
});
