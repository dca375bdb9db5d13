/**
 * Honest outcomes (issue #9 item 12) and the refusals that go with them: a stored signature is never reported
 * as missing, a `.sig` that cannot be merged is never silently replaced, durations that do not fit are usage
 * errors, widened key scopes are announced, new keys need 8-character passphrases from the variable too, and a
 * non-https trust server is refused whenever it is set.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { docker, show, tempDir, testbed, uniqueRepo, ok, trustEnv, escapeRegExp } from './harness.ts';
import { getManifest, putBlob, putManifest, readSig, sigTag, OCI_MANIFEST } from './raw-registry.ts';

const tb = testbed();
async function tagged(e: Record<string, string>, prefix: string) {
  const repo = uniqueRepo(prefix);
  const ref = `${tb.registry}/${repo}:1`;
  await ok(['tag', tb.image, ref], e);
  return { repo, ref };
}

describe('honest outcomes', { timeout: 180_000 }, () => {
  it('a lock left by a crashed trustext is taken over: the push is signed and says so', async () => {
    const e = await trustEnv();
    const keys = e.TRUSTEXT_KEYS_DIR!;
    await mkdir(keys, { recursive: true, mode: 0o700 });
    const dead = spawnSync('true').pid!;
    await writeFile(join(keys, 'keys.json.lock'), `${JSON.stringify({ pid: dead, host: hostname() })}\n`, { mode: 0o600 });
    const { repo, ref } = await tagged(e, 'stale-lock');
    const r = await ok(['trustext', 'push', ref], e);
    assert.match(r.stdout, /Successfully signed/);
    assert.doesNotMatch(r.stderr, /NOT signed/);
    assert.match(r.stderr, new RegExp(`^notice: taking over the lock .*keys\\.json\\.lock: process ${dead} is no longer running$`, 'm'));
    assert.equal((await readSig(tb.registry, repo, (await getManifest(tb.registry, repo, '1')).digest)).manifest.layers.length, 1);
    assert.ok(!(await readdir(keys)).includes('keys.json.lock'));
  });

  it('a signature stored but not logged is a warning, not "NOT signed"', async () => {
    const e = await trustEnv();
    const keys = e.TRUSTEXT_KEYS_DIR!;
    const { ref } = await tagged(e, 'log-fails');
    await ok(['trustext', 'push', ref], e);
    // The signing log cannot be replaced once it is a directory: recording fails after the signature is stored.
    spawnSync('sh', ['-c', `rm -f '${join(keys, 'signed.json')}' && mkdir '${join(keys, 'signed.json')}'`]);
    const r = await ok(['trustext', 'sign', ref], e);
    assert.match(r.stdout, /Successfully signed/);
    assert.match(r.stderr, /^warning: signed sha256:[0-9a-f]{64}, but the signing log was not updated \('key rotate' will not re-sign it\): /m);
  });

  it('--expires past what a duration can hold is a usage error (125), nothing signed', async () => {
    const e = await trustEnv();
    const { repo, ref } = await tagged(e, 'expires-overflow');
    await ok(['push', ref], { ...e, DOCKER_CONTENT_TRUST: '0' });
    const r = await docker(['trustext', 'sign', '--expires', '99999999999d', ref], e);
    assert.equal(r.code, 125, show(r));
    assert.match(r.stderr, /invalid --expires "99999999999d"/);
    assert.equal((await getManifest(tb.registry, repo, sigTag((await getManifest(tb.registry, repo, '1')).digest))).status, 404);
  });

  for (const [what, sig] of [
    [
      'a .sig over the 1000-signature limit',
      async (repo: string) => {
        const blob = await putBlob(tb.registry, repo, Buffer.from('{"critical":{}}'));
        const config = await putBlob(tb.registry, repo, Buffer.from('{}'));
        const layer = {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          size: 15,
          digest: blob,
          annotations: { 'dev.cosignproject.cosign/signature': 'AA==' },
        };
        return Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_MANIFEST,
            config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 2, digest: config },
            layers: Array(1001).fill(layer),
          }),
        );
      },
    ],
    [
      'a .sig holding a layer that is not a cosign signature',
      async (repo: string) => {
        const blob = await putBlob(tb.registry, repo, Buffer.from('{"other":"tool"}'));
        const config = await putBlob(tb.registry, repo, Buffer.from('{}'));
        return Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_MANIFEST,
            config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 2, digest: config },
            layers: [{ mediaType: 'application/vnd.in-toto+json', size: 16, digest: blob }],
          }),
        );
      },
    ],
  ] as const) {
    it(`refuses to sign over ${what} (kept as it was); --force replaces it`, async () => {
      const e = await trustEnv();
      const { repo, ref } = await tagged(e, 'bad-sig');
      await ok(['push', ref], { ...e, DOCKER_CONTENT_TRUST: '0' });
      const digest = (await getManifest(tb.registry, repo, '1')).digest;
      const bytes = await sig(repo);
      assert.equal(await putManifest(tb.registry, repo, sigTag(digest), bytes, OCI_MANIFEST), 201);
      const r = await docker(['trustext', 'sign', ref], e);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`refusing to replace ${sigTag(digest)}: .*use --force to replace it`));
      assert.deepEqual((await getManifest(tb.registry, repo, sigTag(digest))).bytes, bytes, 'the .sig is untouched');
      await ok(['trustext', 'sign', '--force', ref], e);
      await ok(['trustext', 'verify', ref], e);
    });
  }

  it("revoke refuses to rewrite a .sig that also holds another tool's layers (they would be dropped)", async () => {
    const e = await trustEnv();
    const { repo, ref } = await tagged(e, 'revoke-attach');
    await ok(['trustext', 'push', ref], e);
    const digest = (await getManifest(tb.registry, repo, '1')).digest;
    const manifest = JSON.parse((await getManifest(tb.registry, repo, sigTag(digest))).bytes.toString());
    const blob = await putBlob(tb.registry, repo, Buffer.from('{"attestation":true}'));
    manifest.layers.push({ mediaType: 'application/vnd.in-toto+json', size: 20, digest: blob });
    const bytes = Buffer.from(JSON.stringify(manifest));
    assert.equal(await putManifest(tb.registry, repo, sigTag(digest), bytes, OCI_MANIFEST), 201);
    const r = await docker(['trustext', 'revoke', '-y', ref], e);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /refusing to rewrite sha256-[0-9a-f]{64}\.sig: it holds 1 layer\(s\) that are not cosign signatures/);
    assert.deepEqual((await getManifest(tb.registry, repo, sigTag(digest))).bytes, bytes);
  });

  it("announces that signing with --key widens the key's trusted repositories", async () => {
    const e = await trustEnv();
    await ok(['trustext', 'key', 'generate', '--dir', await tempDir(), 'ci'], e);
    const { repo, ref } = await tagged(e, 'widen');
    await ok(['push', ref], { ...e, DOCKER_CONTENT_TRUST: '0' });
    const r = await ok(['trustext', 'sign', '--key', 'ci', ref], e);
    assert.match(r.stderr, new RegExp(`^notice: key "ci" \\([0-9a-f]{12}\\) is now trusted for ${escapeRegExp(tb.registry)}/${repo} too`, 'm'));
    const again = await ok(['trustext', 'sign', '--key', 'ci', ref], e);
    assert.doesNotMatch(again.stderr, /now trusted/);
  });

  it('refuses a new key whose passphrase from the variable is under 8 characters; nothing is created', async () => {
    const e = await trustEnv({ DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'short' });
    const { repo, ref } = await tagged(e, 'short-pass');
    const r = await docker(['trustext', 'push', ref], e);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE is too short for signing key "default": use at least 8 characters/);
    assert.equal((await getManifest(tb.registry, repo, '1')).status, 404, 'nothing pushed');
    const gen = await docker(['trustext', 'key', 'generate', '--dir', await tempDir(), 'k'], e);
    assert.equal(gen.code, 1, show(gen));
    assert.equal(JSON.parse((await ok(['trustext', 'key', 'list', '--format', 'json'], e)).stdout).length, 0);
  });

  it('refuses an http:// trust server whenever it is set, even for registry signatures', async () => {
    const e = await trustEnv({ DOCKER_CONTENT_TRUST_SERVER: 'http://127.0.0.1:4443' });
    const { repo, ref } = await tagged(e, 'http-notary');
    for (const args of [
      ['trustext', 'push', '--store', 'registry', ref],
      ['trustext', 'verify', '--store', 'registry', ref],
    ]) {
      const r = await docker(args, e);
      assert.equal(r.code, 1, show(r));
      assert.equal(r.stderr.trim(), 'valid https URL required for trust server, got http://127.0.0.1:4443');
    }
    assert.equal((await getManifest(tb.registry, repo, '1')).status, 404, 'nothing pushed');
  });
});
