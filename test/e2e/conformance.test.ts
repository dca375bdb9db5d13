/**
 * Conformance of what `docker trustext push` stores, checked on the raw registry objects against cosign's
 * specs/SIGNATURE_SPEC.md and containers/image's strict payload parser (signature/internal/sigstore_payload.go),
 * with node:crypto as the verifier — not with trustext's own code. (Debian's skopeo has sigstore disabled and
 * cosign cannot be installed here, so the spec is the oracle.) Also: a key made the way cosign makes ECDSA keys
 * is trusted with `key import --public` and its signatures verify.
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { docker, passStore, show, tempDir, testbed, uniqueRepo, trustEnv } from './harness.ts';
import { OCI_MANIFEST, getManifest, putBlob, readSig, sigTag, writeSig } from './raw-registry.ts';

const tb = testbed();
const keysOnly = (o: object) => Object.keys(o).sort();

describe('cosign signature format, on the raw objects', () => {
  it('stores an OCI manifest at sha256-<hex>.sig with cosign’s config, layer type, payload schema and annotation', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('conformance');
    const ref = `${tb.registry}/${repo}:1.0`;
    await docker(['tag', tb.image, ref], env);
    assert.equal((await docker(['trustext', 'push', '-a', 'team=platform', ref], env)).code, 0);
    const digest = (await getManifest(tb.registry, repo, '1.0')).digest;
    const sig = await readSig(tb.registry, repo, digest);

    // Manifest: OCI image manifest, schemaVersion 2, served as such.
    assert.equal(sig.raw.contentType, OCI_MANIFEST);
    assert.equal(sig.manifest.schemaVersion, 2);
    assert.equal(sig.manifest.mediaType, OCI_MANIFEST);
    // Config: an OCI image config whose rootfs.diff_ids are the payload digests, in layer order.
    assert.equal(sig.manifest.config.mediaType, 'application/vnd.oci.image.config.v1+json');
    assert.equal(`sha256:${createHash('sha256').update(sig.config).digest('hex')}`, sig.manifest.config.digest);
    const config = JSON.parse(sig.config.toString());
    assert.equal(config.rootfs.type, 'layers');
    assert.deepEqual(
      config.rootfs.diff_ids,
      sig.manifest.layers.map((l: { digest: string }) => l.digest),
    );
    assert.equal(sig.manifest.layers.length, 1);
    const layer = sig.manifest.layers[0];
    const payload = sig.payloads[0]!;
    assert.equal(layer.mediaType, 'application/vnd.dev.cosign.simplesigning.v1+json');
    assert.equal(layer.digest, `sha256:${createHash('sha256').update(payload).digest('hex')}`);
    assert.equal(layer.size, payload.length);

    // Payload: exactly the field set containers/image's paranoid parser accepts.
    const p = JSON.parse(payload.toString());
    assert.deepEqual(keysOnly(p), ['critical', 'optional']);
    assert.deepEqual(keysOnly(p.critical), ['identity', 'image', 'type']);
    assert.deepEqual(keysOnly(p.critical.identity), ['docker-reference']);
    assert.deepEqual(keysOnly(p.critical.image), ['docker-manifest-digest']);
    assert.equal(p.critical.type, 'cosign container image signature');
    assert.equal(p.critical.image['docker-manifest-digest'], digest);
    assert.equal(p.critical.identity['docker-reference'], ref, 'fully qualified repo:tag');
    assert.equal(typeof p.optional.creator, 'string');
    assert.ok(Number.isSafeInteger(p.optional.timestamp));
    assert.equal(p.optional.team, 'platform');

    // Signature: standard base64 in dev.cosignproject.cosign/signature, pure Ed25519 over the exact payload bytes,
    // verifiable with the SPKI PEM that `key export --public` prints.
    const b64 = layer.annotations['dev.cosignproject.cosign/signature'];
    assert.match(b64, /^[A-Za-z0-9+/]+={0,2}$/);
    const pem = await docker(['trustext', 'key', 'export', '--public', 'default'], env);
    assert.equal(pem.code, 0, show(pem));
    assert.match(pem.stdout, /^-----BEGIN PUBLIC KEY-----\n/);
    const publicKey = createPublicKey(pem.stdout);
    assert.equal(publicKey.asymmetricKeyType, 'ed25519');
    assert.equal(verify(null, payload, publicKey, Buffer.from(b64, 'base64')), true);
    assert.equal(verify(null, createHash('sha512').update(payload).digest(), publicKey, Buffer.from(b64, 'base64')), false, 'not Ed25519ph');
  });

  it('keeps existing signatures when signing again, without duplicates', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('accumulate');
    const ref = `${tb.registry}/${repo}:1`;
    await docker(['tag', tb.image, ref], env);
    assert.equal((await docker(['trustext', 'push', ref], env)).code, 0);
    const digest = (await getManifest(tb.registry, repo, '1')).digest;
    const again = await docker(['trustext', 'sign', '-a', 'round=2', ref], env);
    assert.equal(again.code, 0, show(again));
    const sig = await readSig(tb.registry, repo, digest);
    assert.equal(sig.manifest.layers.length, 2);
    const other = await trustEnv();
    assert.equal((await docker(['trustext', 'sign', ref], other)).code, 0);
    assert.equal((await readSig(tb.registry, repo, digest)).manifest.layers.length, 3);
  });

  it('trusts an ECDSA P-256 key imported with key import --public (as cosign makes them) and verifies its DER signatures', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('cosign-key');
    const ref = `${tb.registry}/${repo}:1`;
    await docker(['tag', tb.image, ref], env);
    assert.equal((await docker(['push', ref], { ...env, DOCKER_CONTENT_TRUST: '0' })).code, 0);
    const digest = (await getManifest(tb.registry, repo, '1')).digest;
    // Sign the way cosign sign --key cosign.key does for ECDSA: DER ECDSA over SHA-256 of the payload.
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const payload = Buffer.from(
      JSON.stringify({
        critical: { identity: { 'docker-reference': ref }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
        optional: null,
      }),
    );
    const signature = sign('sha256', payload, privateKey).toString('base64');
    const config = Buffer.from(
      JSON.stringify({
        architecture: '',
        created: '0001-01-01T00:00:00Z',
        os: '',
        rootfs: { type: 'layers', diff_ids: [`sha256:${createHash('sha256').update(payload).digest('hex')}`] },
        config: {},
      }),
    );
    const manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: config.length, digest: await putBlob(tb.registry, repo, config) },
      layers: [
        {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          size: payload.length,
          digest: await putBlob(tb.registry, repo, payload),
          annotations: { 'dev.cosignproject.cosign/signature': signature },
        },
      ],
    };
    assert.equal(await writeSig(tb.registry, repo, digest, manifest, []), 201);
    const before = await docker(['trustext', 'pull', ref], env);
    assert.equal(before.code, 1, `untrusted until imported\n${show(before)}`);
    const file = join(await tempDir(), 'cosign.pub');
    await writeFile(file, publicKey.export({ type: 'spki', format: 'pem' }));
    const imp = await docker(['trustext', 'key', 'import', '--public', file, '--name', 'ci', '--scope', `${tb.registry}/e2e/**`], env);
    assert.equal(imp.code, 0, show(imp));
    const after = await docker(['trustext', 'pull', ref], env);
    assert.equal(after.code, 0, show(after));
    assert.match(sigTag(digest), /\.sig$/);
  });

  it('pulls from an htpasswd registry whose credentials live only in docker-credential-pass', async () => {
    const pass = await passStore([{ server: tb.authRegistry, username: tb.registryUser, secret: tb.registryPassword }]);
    try {
      const env = { ...(await trustEnv({}, { credsStore: 'pass' })), ...pass.env };
      const repo = uniqueRepo('authed');
      const ref = `${tb.authRegistry}/${repo}:1`;
      await docker(['tag', tb.image, ref], env);
      const push = await docker(['trustext', 'push', ref], env);
      assert.equal(push.code, 0, show(push));
      await docker(['rmi', ref], env);
      const pull = await docker(['trustext', 'pull', ref], env);
      assert.equal(pull.code, 0, show(pull));
      assert.match(pull.stderr, /^Tagging /m);
      const anonymous = await docker(['trustext', 'pull', ref], { ...(await trustEnv()), ...pass.env });
      assert.equal(anonymous.code, 1, show(anonymous));
    } finally {
      pass.stop();
    }
  });
});
