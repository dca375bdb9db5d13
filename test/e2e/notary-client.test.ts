/**
 * The notary client adapter against the test bed's REAL notary-server, holding trust data written by stock DCT
 * (`DOCKER_CONTENT_TRUST=1 docker push` of docker CLI 28): every role by name and by consistent name, the
 * server-managed timestamp key, TLS from `<config>/tls/<host:port>/` only, a missing GUN, and the server's own
 * refusals of bad publishes (INVALID_UPDATE-style messages, VERSION as a retryable code).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { isVersionConflict, NotaryClient, NotaryServerError, TrustCache, trustServerFor } from '../../src/notary/client/index.ts';
import { baseEnv, docker, dockerConfig, registryManifest, show, testbed, uniqueRepo, escapeRegExp } from './harness.ts';
import { rejectsWithCode } from '../kit/index.ts';

const tb = testbed();
const server = trustServerFor(tb.registry, new URL(tb.notary));
const TESTBED_CONFIG = process.env.DOCKER_CONFIG ?? join(tb.dir, 'docker-config');
const USER_AGENT = 'trustext-e2e/notary-client';

interface Signed {
  signed: {
    _type: string;
    version: number;
    meta: Record<string, { hashes: { sha256: string }; length: number }>;
    roles: Record<string, { keyids: string[] }>;
    targets: Record<string, { hashes: { sha256: string }; length: number }>;
  };
}
const parse = (b: Buffer) => JSON.parse(b.toString('utf8')) as Signed;
const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('notary client against the real notary-server', { timeout: 180_000 }, () => {
  let config: string;
  let client: NotaryClient;
  let gun: string;
  let digest: string;

  before(async () => {
    config = await dockerConfig({ plugin: false });
    await cp(join(TESTBED_CONFIG, 'tls'), join(config, 'tls'), { recursive: true });
    const repo = uniqueRepo('notary-client');
    gun = `${tb.registry}/${repo}`;
    const env = baseEnv(config, {
      DOCKER_CONTENT_TRUST: '1',
      DOCKER_CONTENT_TRUST_SERVER: tb.notary,
      DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'root passphrase for e2e',
      DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'repo passphrase for e2e',
    });
    assert.equal((await docker(['tag', tb.image, `${gun}:v1`], env)).code, 0);
    const push = await docker(['push', `${gun}:v1`], env, 120_000);
    assert.equal(push.code, 0, show(push));
    assert.match(push.stdout + push.stderr, /Successfully signed/, show(push));
    const m = await registryManifest(tb.registry, repo, 'v1');
    assert.equal(m.status, 200);
    digest = m.digest!;
    client = new NotaryClient({ server, configDir: config, registry: tb.registry, userAgent: USER_AGENT });
  });

  it('answers the health check', async () => {
    await client.health();
  });

  it('fetches root, timestamp, snapshot and targets by name and by consistent name, hashes chaining up', async () => {
    const root = await client.getRole(gun, 'root');
    const timestamp = await client.getRole(gun, 'timestamp', { maxBytes: 1 << 20 });
    assert.equal(parse(root).signed._type, 'Root');
    assert.equal(parse(timestamp).signed._type, 'Timestamp');

    const snapMeta = parse(timestamp).signed.meta.snapshot!;
    const snapshot = await client.getRole(gun, 'snapshot', { consistentName: hex(snapMeta.hashes.sha256), maxBytes: snapMeta.length });
    assert.equal(snapshot.length, snapMeta.length);
    assert.equal(parse(snapshot).signed._type, 'Snapshot');
    assert.deepEqual(await client.getRole(gun, 'snapshot'), snapshot, 'by name: the same current snapshot');
    assert.equal(hex(parse(snapshot).signed.meta.root!.hashes.sha256), sha256(root), 'snapshot pins the root bytes we got');

    const targetsMeta = parse(snapshot).signed.meta.targets!;
    const targets = await client.getRole(gun, 'targets', { consistentName: hex(targetsMeta.hashes.sha256), maxBytes: targetsMeta.length });
    assert.deepEqual(await client.getRole(gun, 'targets'), targets);
    const v1 = parse(targets).signed.targets.v1!;
    assert.equal(`sha256:${hex(v1.hashes.sha256)}`, digest, 'the target is the digest docker pushed');
  });

  it('refuses a consistent-name body larger than maxBytes, and 404s an unknown checksum as missing', async () => {
    const timestamp = await client.getRole(gun, 'timestamp');
    const snapMeta = parse(timestamp).signed.meta.snapshot!;
    await rejectsWithCode(
      client.getRole(gun, 'snapshot', { consistentName: hex(snapMeta.hashes.sha256), maxBytes: snapMeta.length - 1 }),
      'TRUST_DATA_INVALID',
      /exceeds the limit/,
    );
    await rejectsWithCode(
      client.getRole(gun, 'snapshot', { consistentName: sha256(Buffer.from('not a snapshot')) }),
      'TRUST_DATA_MISSING',
      /snapshot\.[0-9a-f]{64}\.json/,
    );
  });

  it('fetches the server-managed timestamp key, the one root names', async () => {
    const key = await client.getKey(gun, 'timestamp');
    assert.equal(key.keytype, 'ed25519', 'the local signer of notary-server makes ed25519 keys (notaryproject/notary signer/keydbstore)');
    const id = sha256(Buffer.from(`{"keytype":"${key.keytype}","keyval":{"private":null,"public":"${key.public}"}}`));
    const root = parse(await client.getRole(gun, 'root'));
    assert.deepEqual(root.signed.roles.timestamp!.keyids, [id]);
  });

  it('trusts the server only with the CA from tls/<host:port>/', async () => {
    const bare = new NotaryClient({ server, configDir: await dockerConfig({ plugin: false }), userAgent: USER_AGENT });
    await rejectsWithCode(
      bare.getRole(gun, 'root'),
      'NOTARY_UNREACHABLE',
      /error contacting notary server: the certificate of 127\.0\.0\.1:\d+ is not trusted/,
    );
    const wrongDir = await dockerConfig({ plugin: false });
    await mkdir(join(wrongDir, 'tls', server.hostname), { recursive: true }); // host without the port: not docker's directory
    await copyFile(join(TESTBED_CONFIG, 'tls', server.host, 'ca.crt'), join(wrongDir, 'tls', server.hostname, 'ca.crt'));
    await rejectsWithCode(
      new NotaryClient({ server, configDir: wrongDir, userAgent: USER_AGENT }).getRole(gun, 'root'),
      'NOTARY_UNREACHABLE',
      /error contacting notary server: the certificate of 127\.0\.0\.1:\d+ is not trusted/,
    );
    const noConfig = new NotaryClient({ server, userAgent: USER_AGENT });
    await rejectsWithCode(noConfig.health(), 'NOTARY_UNREACHABLE', /error contacting notary server: the certificate of 127\.0\.0\.1:\d+ is not trusted/);
  });

  it("reports a GUN without trust data as TRUST_DATA_MISSING in docker's words", async () => {
    const missing = `${tb.registry}/${uniqueRepo('never-pushed')}`;
    const err = await rejectsWithCode(client.getRole(missing, 'root'), 'TRUST_DATA_MISSING');
    assert.match((err as Error).message, new RegExp(`^remote trust data does not exist for ${escapeRegExp(missing)}`));
    assert.equal((err as NotaryServerError).status, 404);
    assert.deepEqual((err as NotaryServerError).serverCodes, ['METADATA_NOT_FOUND']);
  });

  it("surfaces the server's message when it refuses a publish of invalid metadata", async () => {
    const err = await rejectsWithCode(client.publish(gun, [{ role: 'targets', bytes: Buffer.from('{"signed":{"_type":"Targets"}') }]), 'NOTARY_FAILED');
    assert.ok(err instanceof NotaryServerError);
    assert.equal(err.status, 400, err.message);
    assert.deepEqual(err.serverCodes, ['MALFORMED_JSON'], err.message);
    assert.match(err.message, /400 bad request: .+/);
    assert.equal(isVersionConflict(err), false);

    const forged = JSON.stringify({ signed: { ...parse(await client.getRole(gun, 'targets')).signed, version: 99 }, signatures: [] });
    const invalid = await rejectsWithCode(client.publish(gun, [{ role: 'targets', bytes: Buffer.from(forged) }]), 'NOTARY_FAILED');
    assert.deepEqual((invalid as NotaryServerError).serverCodes, ['INVALID_UPDATE'], (invalid as Error).message);
    assert.match((invalid as Error).message, /update sent by the client is invalid: .*(signature|threshold)/i);
  });

  it('reports re-sending the stored root as a VERSION conflict the caller can retry on', async () => {
    const root = await client.getRole(gun, 'root');
    const err = await rejectsWithCode(client.publish(gun, [{ role: 'root', bytes: root }]), 'NOTARY_FAILED', /newer version of metadata is already available/i);
    assert.equal(isVersionConflict(err), true);
  });

  it('accepts an empty publish, which makes the server re-sign snapshot and timestamp', async () => {
    const before = parse(await client.getRole(gun, 'timestamp')).signed.version;
    await client.publish(gun, []);
    assert.ok(parse(await client.getRole(gun, 'timestamp')).signed.version > before);
  });

  it('caches verified metadata where docker keeps it, with its version', async () => {
    const cache = new TrustCache(join(config, 'trust'));
    const root = await client.getRole(gun, 'root');
    await cache.write(gun, 'root', root);
    assert.deepEqual(await cache.read(gun, 'root'), root);
    assert.equal(await cache.version(gun, 'root'), parse(root).signed.version);
    assert.equal(cache.path(gun, 'root'), join(config, 'trust', 'tuf', gun, 'metadata', 'root.json'));
  });
});
