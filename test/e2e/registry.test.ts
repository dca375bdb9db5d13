/**
 * The registry client against the test bed's real registries (distribution 2.8, open and htpasswd): manifests
 * (docker v2 and OCI, by tag and by digest), blobs (monolithic, chunked, cross-repository mount, verified reads),
 * tag pagination, Basic auth through a keychain, and the error codes real registries produce. The image the
 * tests read was pushed by the real docker CLI and dockerd.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { DOCKER_MANIFEST_V2, OCI_MANIFEST } from '../../src/manifest/index.ts';
import { RegistryClient, sha256Digest, type RegistryClientOptions } from '../../src/registry/index.ts';
import { createNodeTransport, type Keychain, type Transport, type TransportRequest } from '../../src/http/index.ts';
import { USER_AGENT } from '../../src/shared/product.ts';
import { baseEnv, docker, dockerConfig, registryManifest, show, testbed, uniqueRepo } from './harness.ts';
import { rejectsWithCode } from '../kit/index.ts';

const tb = testbed();
const anonymous: Keychain = async () => undefined;

interface Seen {
  method: string;
  url: URL;
  headers: Readonly<Record<string, string>>;
  status: number;
}

/** A client over the real node transport that records every exchange (for asserting the protocol used). */
function recordingClient(options: Partial<RegistryClientOptions> = {}): { client: RegistryClient; seen: Seen[] } {
  const seen: Seen[] = [];
  const inner = createNodeTransport();
  const transport: Transport = async (req: TransportRequest) => {
    const res = await inner(req);
    seen.push({ method: req.method, url: req.url, headers: req.headers, status: res.status });
    return res;
  };
  return { client: new RegistryClient({ keychain: anonymous, userAgent: USER_AGENT, transport, ...options }), seen };
}

const open = (path: string) => ({ domain: tb.registry, path });
const authed = (path: string) => ({ domain: tb.authRegistry, path });

/** A small image: a config blob and one (random) layer blob, described by a manifest of the given media type. */
function tinyImage(mediaType: string, label: string) {
  const oci = mediaType === OCI_MANIFEST;
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { label } }, rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(2048);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json',
        size: config.length,
        digest: sha256Digest(config),
      },
      layers: [
        {
          mediaType: oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
          size: layer.length,
          digest: sha256Digest(layer),
        },
      ],
    }),
  );
  return { config, layer, manifest, digest: sha256Digest(manifest) };
}

async function pushTiny(client: RegistryClient, repo: { domain: string; path: string }, mediaType: string, reference?: string) {
  const image = tinyImage(mediaType, repo.path);
  await client.uploadBlob(repo, image.config, sha256Digest(image.config));
  await client.uploadBlob(repo, image.layer, sha256Digest(image.layer));
  const digest = await client.putManifest(repo, reference ?? image.digest, image.manifest, mediaType);
  return { ...image, digest };
}

describe('registry client against the open registry', { timeout: 60_000 }, () => {
  const pushedRepo = uniqueRepo('registry-pushed');
  const pushed = open(pushedRepo);

  before(async () => {
    const env = baseEnv(await dockerConfig({ plugin: false }));
    const ref = `${tb.registry}/${pushedRepo}:v1`;
    const tag = await docker(['tag', tb.image, ref], env);
    assert.equal(tag.code, 0, show(tag));
    const push = await docker(['push', ref], env);
    assert.equal(push.code, 0, show(push));
  });

  it('gets the manifest docker pushed, by tag and by digest, with the digest of the bytes served', async () => {
    const client = new RegistryClient({ keychain: anonymous, userAgent: USER_AGENT });
    const served = await registryManifest(tb.registry, pushedRepo, 'v1');
    assert.equal(served.status, 200);
    const byTag = await client.getManifest(pushed, 'v1');
    assert.equal(byTag.digest, served.digest);
    assert.equal(byTag.digest, `sha256:${createHash('sha256').update(byTag.bytes).digest('hex')}`);
    assert.ok([DOCKER_MANIFEST_V2, OCI_MANIFEST].includes(byTag.mediaType), byTag.mediaType);
    const byDigest = await client.getManifest(pushed, byTag.digest);
    assert.deepEqual(byDigest, byTag);
    const head = await client.headManifest(pushed, 'v1');
    assert.deepEqual(head, { digest: byTag.digest, mediaType: byTag.mediaType, size: byTag.bytes.length });
  });

  it('reads the pushed config and layer blobs, verified against their digests', async () => {
    const client = new RegistryClient({ keychain: anonymous, userAgent: USER_AGENT });
    const manifest = JSON.parse((await client.getManifest(pushed, 'v1')).bytes.toString()) as {
      config: { digest: string; size: number };
      layers: { digest: string; size: number }[];
    };
    const config = await client.getBlob(pushed, manifest.config.digest);
    assert.equal(config.length, manifest.config.size);
    assert.equal((JSON.parse(config.toString()) as { os: string }).os, 'linux');
    const layer = manifest.layers[0]!;
    const bytes = await client.getBlob(pushed, layer.digest, layer.size);
    assert.equal(sha256Digest(bytes), layer.digest);
    await rejectsWithCode(client.getBlob(pushed, layer.digest, layer.size - 1), 'REGISTRY_INVALID_RESPONSE', /exceeds the limit/);
    assert.equal(await client.blobExists(pushed, layer.digest), true);
  });

  for (const mediaType of [DOCKER_MANIFEST_V2, OCI_MANIFEST]) {
    it(`puts and gets a ${mediaType === OCI_MANIFEST ? 'OCI' : 'docker v2'} manifest by tag and by digest`, async () => {
      const client = new RegistryClient({ keychain: anonymous, userAgent: USER_AGENT });
      const repo = open(uniqueRepo('registry-put'));
      const byTag = await pushTiny(client, repo, mediaType, 'tagged');
      assert.equal(byTag.digest, sha256Digest(byTag.manifest));
      const got = await client.getManifest(repo, 'tagged');
      assert.deepEqual(got, { bytes: byTag.manifest, mediaType, digest: byTag.digest });
      assert.equal((await registryManifest(tb.registry, repo.path, 'tagged')).digest, byTag.digest);

      const other = tinyImage(mediaType, 'by-digest');
      await client.uploadBlob(repo, other.config, sha256Digest(other.config));
      await client.uploadBlob(repo, other.layer, sha256Digest(other.layer));
      assert.equal(await client.putManifest(repo, other.digest, other.manifest, mediaType), other.digest);
      assert.deepEqual(await client.getManifest(repo, other.digest), { bytes: other.manifest, mediaType, digest: other.digest });
      assert.deepEqual(await client.getManifest(repo, other.digest, [mediaType]), { bytes: other.manifest, mediaType, digest: other.digest });
      assert.deepEqual(await client.headManifest(repo, other.digest), { digest: other.digest, mediaType, size: other.manifest.length });
    });
  }

  it('deletes a manifest by digest', async () => {
    const client = new RegistryClient({ keychain: anonymous, userAgent: USER_AGENT });
    const repo = open(uniqueRepo('registry-delete'));
    const image = await pushTiny(client, repo, OCI_MANIFEST);
    await client.deleteManifest(repo, image.digest);
    assert.equal(await client.headManifest(repo, image.digest), undefined);
    await rejectsWithCode(client.getManifest(repo, image.digest), 'REGISTRY_NOT_FOUND');
  });

  it('uploads a blob monolithically: POST, then one PUT ?digest= with the bytes', async () => {
    const { client, seen } = recordingClient();
    const repo = open(uniqueRepo('registry-mono'));
    const blob = randomBytes(100_000);
    const digest = sha256Digest(blob);
    assert.equal(await client.blobExists(repo, digest), false);
    await client.uploadBlob(repo, blob, digest);
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.status}`),
      ['HEAD 404', 'HEAD 404', 'POST 202', 'PUT 201'],
    );
    assert.equal(seen[3]!.url.searchParams.get('digest'), digest);
    assert.equal(await client.blobExists(repo, digest), true);
    assert.deepEqual(await client.getBlob(repo, digest), blob);
    seen.length = 0;
    await client.uploadBlob(repo, blob, digest);
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.status}`),
      ['HEAD 200'],
      'an existing blob is not uploaded again',
    );
  });

  it('uploads a blob in chunks above the threshold: PATCHes with Content-Range, then an empty PUT', async () => {
    const { client, seen } = recordingClient({ upload: { chunkThresholdBytes: 1000, chunkBytes: 4096 } });
    const repo = open(uniqueRepo('registry-chunked'));
    const blob = randomBytes(10_000);
    const digest = sha256Digest(blob);
    await client.uploadBlob(repo, blob, digest);
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.status}`),
      ['HEAD 404', 'POST 202', 'PATCH 202', 'PATCH 202', 'PATCH 202', 'PUT 201'],
    );
    assert.deepEqual(
      seen.filter((s) => s.method === 'PATCH').map((s) => s.headers['content-range']),
      ['0-4095', '4096-8191', '8192-9999'],
    );
    assert.equal(seen.at(-1)!.url.searchParams.get('digest'), digest);
    assert.deepEqual(await client.getBlob(repo, digest), blob);
  });

  it('mounts a blob from another repository (201), and falls back to uploading when the source lacks it (202)', async () => {
    const { client, seen } = recordingClient();
    const source = open(uniqueRepo('registry-mount-src'));
    const target = open(uniqueRepo('registry-mount-dst'));
    const blob = randomBytes(5000);
    const digest = sha256Digest(blob);
    await client.uploadBlob(source, blob, digest);
    seen.length = 0;
    await client.uploadBlob(target, blob, digest, { mountFrom: source.path });
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.status}`),
      ['HEAD 404', 'POST 201'],
    );
    assert.equal(seen[1]!.url.searchParams.get('mount'), digest);
    assert.equal(seen[1]!.url.searchParams.get('from'), source.path);
    assert.deepEqual(await client.getBlob(target, digest), blob);

    const fresh = randomBytes(5000);
    seen.length = 0;
    await client.uploadBlob(target, fresh, sha256Digest(fresh), { mountFrom: open(uniqueRepo('registry-mount-empty')).path });
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.status}`),
      ['HEAD 404', 'POST 202', 'PUT 201'],
    );
    assert.deepEqual(await client.getBlob(target, sha256Digest(fresh)), fresh);
  });

  it('lists tags, asking for small pages with ?n=', async () => {
    // distribution 2.8 (the test bed's registry) ignores `n` on tags/list and sends every tag in one page without a
    // Link header (paging tags came with distribution v3), so following Link rel="next" is tested against an
    // in-process registry in test/unit/registry-hostile.test.ts. Here: the real answer, and that we asked for n=2.
    const { client, seen } = recordingClient();
    const repo = open(uniqueRepo('registry-tags'));
    const image = await pushTiny(client, repo, OCI_MANIFEST);
    const tags = ['a1', 'b2', 'c3', 'd4', 'e5'];
    for (const t of tags) await client.putManifest(repo, t, image.manifest, OCI_MANIFEST);
    seen.length = 0;
    assert.deepEqual((await client.listTags(repo, { pageSize: 2 })).sort(), tags);
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.url.pathname}?${s.url.searchParams}`),
      [`GET /v2/${repo.path}/tags/list?n=2`],
    );
    assert.deepEqual((await client.listTags(repo)).sort(), tags);
  });

  it('answers 404s with REGISTRY_NOT_FOUND and the registry’s error codes', async () => {
    const client = new RegistryClient({ keychain: anonymous, userAgent: USER_AGENT });
    const repo = open(uniqueRepo('registry-missing'));
    const missing = sha256Digest(Buffer.from('nothing'));
    const tag = await rejectsWithCode(client.getManifest(pushed, 'no-such-tag'), 'REGISTRY_NOT_FOUND');
    assert.equal(tag.status, 404);
    assert.deepEqual(tag.registryCodes, ['MANIFEST_UNKNOWN']);
    assert.match(tag.message, new RegExp(`^getting manifest ${tb.registry}/${pushedRepo}:no-such-tag: 404 not found`));
    await rejectsWithCode(client.getManifest(repo, missing), 'REGISTRY_NOT_FOUND');
    assert.deepEqual((await rejectsWithCode(client.getBlob(pushed, missing), 'REGISTRY_NOT_FOUND')).registryCodes, ['BLOB_UNKNOWN']);
    assert.deepEqual((await rejectsWithCode(client.listTags(repo), 'REGISTRY_NOT_FOUND')).registryCodes, ['NAME_UNKNOWN']);
    await rejectsWithCode(client.deleteManifest(pushed, missing), 'REGISTRY_NOT_FOUND');
    assert.equal(await client.headManifest(pushed, 'no-such-tag'), undefined);
    assert.equal(await client.blobExists(pushed, missing), false);
  });
});

describe('registry client against the htpasswd registry (Basic auth)', { timeout: 60_000 }, () => {
  const keychain =
    (username: string, password: string): Keychain =>
    async (host) =>
      host === tb.authRegistry ? { username, password } : undefined;

  it('pushes and pulls with Basic credentials from the keychain, sending them up front after the first challenge', async () => {
    const { client, seen } = recordingClient({ keychain: keychain(tb.registryUser, tb.registryPassword) });
    const repo = authed(uniqueRepo('registry-basic'));
    const image = await pushTiny(client, repo, OCI_MANIFEST, 'v1');
    assert.equal(seen[0]!.status, 401, 'anonymous first, as docker does');
    assert.equal(seen[0]!.headers.authorization, undefined);
    const basic = `Basic ${Buffer.from(`${tb.registryUser}:${tb.registryPassword}`).toString('base64')}`;
    assert.ok(
      seen.slice(1).every((s) => s.headers.authorization === basic && s.status !== 401),
      'every later request carries Basic',
    );
    assert.deepEqual(await client.getManifest(repo, 'v1'), { bytes: image.manifest, mediaType: OCI_MANIFEST, digest: image.digest });
    assert.deepEqual(await client.getBlob(repo, sha256Digest(image.layer)), image.layer);
    assert.deepEqual(await client.listTags(repo), ['v1']);
    assert.equal(seen.filter((s) => s.status === 401).length, 1);
  });

  it('rejects wrong credentials and anonymous access with REGISTRY_UNAUTHORIZED, never echoing the password', async () => {
    const wrong = 'wrong-password-1234';
    const bad = new RegistryClient({ keychain: keychain(tb.registryUser, wrong), userAgent: USER_AGENT });
    const repo = authed(uniqueRepo('registry-denied'));
    const e = await rejectsWithCode(bad.getManifest(repo, 'latest'), 'REGISTRY_UNAUTHORIZED');
    assert.equal(e.status, 401);
    assert.deepEqual(e.registryCodes, ['UNAUTHORIZED']);
    assert.ok(!e.message.includes(wrong) && !e.message.includes(Buffer.from(`${tb.registryUser}:${wrong}`).toString('base64')), e.message);
    assert.match(e.message, new RegExp(`^getting manifest ${tb.authRegistry}/${repo.path}:latest: 401 unauthorized`));
    const blob = randomBytes(10);
    await rejectsWithCode(bad.uploadBlob(repo, blob, sha256Digest(blob)), 'REGISTRY_UNAUTHORIZED');
    const none = new RegistryClient({ keychain: anonymous, userAgent: USER_AGENT });
    await rejectsWithCode(none.listTags(repo), 'REGISTRY_UNAUTHORIZED');
  });
});
