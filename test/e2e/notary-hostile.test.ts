/**
 * Notary interop against a hostile trust server: an in-process TLS proxy (with the test bed notary-server's own
 * certificate) in front of the real notary-server replays stale metadata, tampers with targets, or swaps the
 * root; and a clock moved forward (faketime) makes the server's timestamp expire. Each is refused; nothing pulled.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BINARY, baseEnv, docker, dockerConfig, run, show, tempDir, testbed, uniqueRepo, refusedPull } from './harness.ts';
import { lyingProxy, type Lie } from './lying-proxy.ts';

const tb = testbed();
const notaryHost = new URL(tb.notary).host;
let ca: Buffer;
let proxy: Awaited<ReturnType<typeof lyingProxy>>;
let lie: Lie = () => undefined;

before(async () => {
  ca = await readFile(join(tb.dir, 'ca', 'ca.crt'));
  const tls = { key: await readFile(join(tb.dir, 'notary', 'server.key')), cert: await readFile(join(tb.dir, 'notary', 'server.crt')), ca };
  proxy = await lyingProxy(notaryHost, (req) => lie(req), tls);
});
after(async () => {
  await proxy.close();
});

/** DCT pushes straight to the notary-server; trustext reads through the proxy. */
async function envs() {
  const config = await dockerConfig();
  await cp(join(tb.dir, 'docker-config', 'tls'), join(config, 'tls'), { recursive: true });
  await mkdir(join(config, 'tls', proxy.host), { recursive: true });
  await cp(join(tb.dir, 'ca', 'ca.crt'), join(config, 'tls', proxy.host, 'ca.crt'));
  const common = {
    DOCKER_CONTENT_TRUST: '1',
    TRUSTEXT_KEYS_DIR: join(await tempDir(), 'keys'),
    DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'hostile root passphrase',
    DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'hostile repo passphrase',
  };
  return {
    dct: baseEnv(config, { ...common, DOCKER_CONTENT_TRUST_SERVER: tb.notary }),
    ours: baseEnv(config, { ...common, DOCKER_CONTENT_TRUST_SERVER: `https://${proxy.host}` }),
  };
}

/** GET a metadata file straight from the notary-server. */
function fetchRole(gun: string, file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    request(`${tb.notary}/v2/${gun}/_trust/tuf/${file}`, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${file}: ${res.statusCode}`))));
    })
      .on('error', reject)
      .end();
  });
}

async function dctPush(env: Record<string, string>, ref: string, image = tb.image) {
  await docker(['tag', image, ref], env);
  const r = await docker(['push', ref], env);
  assert.equal(r.code, 0, show(r));
}

const serve = (body: Buffer): ReturnType<Lie> => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body });

describe('hostile Notary server', () => {
  it('refuses a rollback: an older timestamp and snapshot than were seen before', async () => {
    const { dct, ours } = await envs();
    const repo = uniqueRepo('rollback');
    const gun = `${tb.registry}/${repo}`;
    await dctPush(dct, `${gun}:v1`);
    const oldTimestamp = await fetchRole(gun, 'timestamp.json');
    lie = () => undefined;
    assert.equal((await docker(['trustext', 'pull', '--store', 'notary', `${gun}:v1`], ours)).code, 0); // seen: version N
    await dctPush(dct, `${gun}:v2`, tb.image2); // the server moves on to N+1
    assert.equal((await docker(['trustext', 'verify', '--store', 'notary', `${gun}:v2`], ours)).code, 0); // seen: N+1
    lie = (req) => (req.url?.endsWith('/timestamp.json') ? serve(oldTimestamp) : undefined);
    await refusedPull(ours, `${gun}:v1`, /No valid trust data for v1: Notary trust data for .* timestamp version \d+ is older than version \d+ seen before/, [
      '--store',
      'notary',
    ]);
  });

  it('refuses tampered targets (one byte changed)', async () => {
    const { dct, ours } = await envs();
    const gun = `${tb.registry}/${uniqueRepo('tampered')}`;
    await dctPush(dct, `${gun}:v1`);
    const real = await fetchRole(gun, 'targets.json');
    const forged = Buffer.from(real);
    forged[real.indexOf('"length":') + 9]! ^= 0x01; // one digit of the target's length
    lie = (req) => (/\/targets(\.[0-9a-f]{64})?\.json$/.test(req.url ?? '') ? serve(forged) : undefined);
    await refusedPull(ours, `${gun}:v1`, /No valid trust data for v1: .*targets.*(is \d+ bytes|does not match)/, ['--store', 'notary']);
  });

  it('refuses a swapped root after the first one was pinned', async () => {
    const { dct, ours } = await envs();
    const gun = `${tb.registry}/${uniqueRepo('pinned')}`;
    const other = `${tb.registry}/${uniqueRepo('other')}`;
    await dctPush(dct, `${gun}:v1`);
    await dctPush(dct, `${other}:v1`);
    lie = () => undefined;
    assert.equal((await docker(['trustext', 'verify', '--store', 'notary', `${gun}:v1`], ours)).code, 0); // pins gun's root
    const otherRoot = await fetchRole(other, 'root.json');
    lie = (req) => (req.url === `/v2/${gun}/_trust/tuf/root.json` ? serve(otherRoot) : undefined);
    await refusedPull(
      ours,
      `${gun}:v1`,
      /No valid trust data for v1: Notary trust data for .*: root version \d+ differs from the trusted root of the same version/,
      ['--store', 'notary'],
    );
  });

  it('refuses a root that claims more rotations than it will follow, before fetching any of them', async () => {
    const { dct, ours } = await envs();
    const gun = `${tb.registry}/${uniqueRepo('rotations')}`;
    await dctPush(dct, `${gun}:v1`);
    lie = () => undefined;
    assert.equal((await docker(['trustext', 'verify', '--store', 'notary', `${gun}:v1`], ours)).code, 0); // pins root v1
    const root = (await fetchRole(gun, 'root.json')).toString();
    const inflated = Buffer.from(root.replace(/"version":1\}/, '"version":1000}'));
    assert.notEqual(inflated.toString(), root);
    const asked: string[] = [];
    lie = (req) => {
      if (/\/\d+\.root\.json$/.test(req.url ?? '')) asked.push(req.url!);
      return req.url === `/v2/${gun}/_trust/tuf/root.json` ? serve(inflated) : undefined;
    };
    await refusedPull(
      ours,
      `${gun}:v1`,
      /No valid trust data for v1: Notary trust data for .*: root moved from version 1 to 1000: more than 64 rotations to follow/,
      ['--store', 'notary'],
    );
    assert.deepEqual(asked, []);
  });

  it('refuses frozen trust data: the server’s timestamp has expired (clock moved 15 days ahead)', async () => {
    const { dct, ours } = await envs();
    const gun = `${tb.registry}/${uniqueRepo('frozen')}`;
    await dctPush(dct, `${gun}:v1`);
    lie = () => undefined;
    const r = await run('faketime', ['-f', '+15d', BINARY, 'verify', '--store', 'notary', `${gun}:v1`], { env: ours });
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /No valid trust data for v1: .*timestamp version \d+ expired at /);
  });
});
