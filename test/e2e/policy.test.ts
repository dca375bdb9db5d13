/**
 * Issue acceptance for trust management: two required signers with --threshold 2, key rotation, cosign key
 * round trips (checked with an independent implementation of cosign's encrypted key format), and refusals that
 * change nothing on disk.
 */
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { DOCKER, docker, run, show, tempDir, testbed, uniqueRepo, ok, trustEnv, escapeRegExp } from './harness.ts';
import { getManifest, readSig, writeSig } from './raw-registry.ts';

const tb = testbed();
/** sha256 of every file under a directory (paths and contents), to prove nothing changed. */
async function snapshot(dir: string): Promise<string> {
  const h = createHash('sha256');
  for (const e of (await readdir(dir, { withFileTypes: true, recursive: true }))
    .filter((x) => x.isFile())
    .map((x) => join(x.parentPath, x.name))
    .sort()) {
    h.update(e).update(await readFile(e));
  }
  return h.digest('hex');
}

describe('signers and threshold', () => {
  it('with two required signers and --threshold 2: one signature is refused, both are accepted', async () => {
    const alice = await trustEnv();
    const bob = await trustEnv();
    const platform = await trustEnv();
    const repo = uniqueRepo('two-signers');
    const ref = `${tb.registry}/${repo}:1`;
    const dir = await tempDir();
    for (const [who, env] of [
      ['alice', alice],
      ['bob', bob],
    ] as const) {
      await ok(['trustext', 'key', 'generate', who, '--dir', dir], env);
      await ok(['trustext', 'signer', 'add', '--key', join(dir, `${who}.pub`), who, `${tb.registry}/${repo}`], platform);
    }
    await ok(['trustext', 'policy', 'set', `${tb.registry}/${repo}`, '--signer', 'alice', '--signer', 'bob', '--threshold', '2'], platform);
    await docker(['tag', tb.image, ref], alice);
    await ok(['trustext', 'push', '--key', 'alice', ref], alice);
    const one = await docker(['trustext', 'pull', ref], platform);
    assert.equal(one.code, 1, show(one));
    assert.match(one.stderr, /policy rule .* not met: .*1 of 2/);
    await ok(['trustext', 'sign', '--key', 'bob', ref], bob);
    const both = await docker(['trustext', 'pull', ref], platform);
    assert.equal(both.code, 0, show(both));
    const json = JSON.parse((await ok(['trustext', 'verify', '--format', 'json', ref], platform)).stdout);
    assert.equal(json.Digests[0].Policy.Threshold, 2);
    assert.deepEqual(json.Digests[0].Policy.Signers, ['alice', 'bob']);
  });
});

describe('key rotate', () => {
  it('re-signs what the old key signed; the old key’s signatures alone no longer verify', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('rotate');
    const ref = `${tb.registry}/${repo}:1`;
    await docker(['tag', tb.image, ref], env);
    await ok(['trustext', 'push', ref], env);
    const digest = (await getManifest(tb.registry, repo, '1')).digest;
    const before = await readSig(tb.registry, repo, digest);
    const rot = await ok(['trustext', 'key', 'rotate', 'default'], env);
    assert.match(rot.stdout, new RegExp(`re-signed ${escapeRegExp(tb.registry)}/${repo}:1@${digest}`));
    assert.equal((await readSig(tb.registry, repo, digest)).manifest.layers.length, 2);
    await ok(['trustext', 'verify', ref], env);
    // Keep only the old key's signature: refused, since the old key is revoked.
    assert.equal(await writeSig(tb.registry, repo, digest, before.manifest, []), 201);
    const r = await docker(['trustext', 'verify', '--format', 'json', ref], env);
    assert.equal(r.code, 1, show(r));
    const d = JSON.parse(r.stdout).Digests[0];
    assert.match(d.Policy.Reason, /revoked/);
    assert.equal(d.Signatures[0].Accepted, true, 'the signature itself is valid');
    assert.equal(d.Signatures[0].Counted, false);
    assert.match(d.Signatures[0].PolicyReason, /revoked/);
  });

  it('key revoke makes the key’s existing signatures stop verifying', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('key-revoke');
    const ref = `${tb.registry}/${repo}:1`;
    await docker(['tag', tb.image, ref], env);
    await ok(['trustext', 'push', ref], env);
    const before = JSON.parse((await ok(['trustext', 'inspect', `${tb.registry}/${repo}`], env)).stdout);
    assert.equal(before[0].SignedTags.length, 1);
    await ok(['trustext', 'key', 'revoke', 'default'], env);
    const r = await docker(['trustext', 'verify', ref], env);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /revoked/);
    const after = JSON.parse((await ok(['trustext', 'inspect', `${tb.registry}/${repo}`], env)).stdout);
    assert.deepEqual(after[0].SignedTags, [], 'a revoked key is credited with nothing');
    assert.deepEqual(after[0].Signers, []);
  });
});

/** cosign's encrypted private key, built from the spec (scrypt N=32768 r=8 p=1 + NaCl secretbox over PKCS#8). */
function cosignEncrypt(pkcs8: Buffer, password: string): string {
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const key = scryptSync(password, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 << 20 });
  const box = xsalsa20poly1305(key, nonce).encrypt(pkcs8);
  const body = JSON.stringify({
    kdf: { name: 'scrypt', params: { N: 32768, r: 8, p: 1 }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(box).toString('base64'),
  });
  return `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n${Buffer.from(body)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n`;
}
function cosignDecrypt(pem: string, password: string): Buffer {
  const body = JSON.parse(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64').toString());
  assert.deepEqual(body.kdf.params, { N: 32768, r: 8, p: 1 });
  assert.equal(body.cipher.name, 'nacl/secretbox');
  const key = scryptSync(password, Buffer.from(body.kdf.salt, 'base64'), 32, { N: 32768, r: 8, p: 1, maxmem: 64 << 20 });
  return Buffer.from(xsalsa20poly1305(key, Buffer.from(body.cipher.nonce, 'base64')).decrypt(Buffer.from(body.ciphertext, 'base64')));
}

describe('cosign keys', () => {
  it('a key we export decrypts independently and matches key export --public', async () => {
    const env = await trustEnv({ COSIGN_PASSWORD: 'cosign-export-pw' });
    const repo = uniqueRepo('cosign-export');
    await docker(['tag', tb.image, `${tb.registry}/${repo}:1`], env);
    await ok(['trustext', 'push', `${tb.registry}/${repo}:1`], env);
    const pem = (await ok(['trustext', 'key', 'export', '--cosign', 'default'], env)).stdout;
    assert.match(pem, /^-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n/);
    const priv = createPrivateKey({ key: cosignDecrypt(pem, 'cosign-export-pw'), format: 'der', type: 'pkcs8' });
    const pub = (await ok(['trustext', 'key', 'export', '--public', 'default'], env)).stdout;
    assert.equal(createPublicKey(priv).export({ type: 'spki', format: 'pem' }), createPublicKey(pub).export({ type: 'spki', format: 'pem' }));
  });

  it('a key made in cosign’s format imports, signs, and its signature verifies', async () => {
    const env = await trustEnv({ COSIGN_PASSWORD: 'made-by-cosign' });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const file = join(await tempDir(), 'cosign.key');
    await writeFile(file, cosignEncrypt(privateKey.export({ type: 'pkcs8', format: 'der' }), 'made-by-cosign'));
    await ok(['trustext', 'key', 'import', file, '--name', 'ci'], env);
    const repo = uniqueRepo('cosign-import');
    const ref = `${tb.registry}/${repo}:1`;
    await docker(['tag', tb.image, ref], env);
    await ok(['trustext', 'push', '--key', 'ci', ref], env);
    await ok(['trustext', 'verify', ref], env);
    const exported = (await ok(['trustext', 'key', 'export', '--public', 'ci'], env)).stdout;
    assert.equal(createPublicKey(exported).export({ type: 'spki', format: 'pem' }), publicKey.export({ type: 'spki', format: 'pem' }));
  });
});

describe('refusals change nothing', () => {
  const cases: [string, (env: Record<string, string>, dir: string) => Promise<string[]>, RegExp][] = [
    [
      'a broken policy file',
      async (_e, dir) => {
        await writeFile(join(dir, 'bad.json'), '{\n  "version": 1,\n  "rules": [ { "repositories": 5 } ]\n}\n');
        return ['trustext', 'policy', 'validate', join(dir, 'bad.json')];
      },
      /bad\.json:3: rules\[0\]\.repositories/,
    ],
    [
      'a bad key file',
      async (_e, dir) => {
        await writeFile(join(dir, 'junk.pem'), 'not a key');
        return ['trustext', 'key', 'load', join(dir, 'junk.pem'), '--name', 'junk'];
      },
      /./,
    ],
    ['a wrong passphrase', async () => ['trustext', 'key', 'export', '--cosign', 'default'], /passphrase/i],
    ['an unknown key name', async () => ['trustext', 'key', 'revoke', 'nobody'], /nobody/],
    ['an invalid key name', async () => ['trustext', 'key', 'generate', 'Bad Name'], /must start with lowercase/],
  ];
  for (const [name, setup, why] of cases) {
    it(`${name}: one clear line, exit 1 (125 for usage), store byte-identical`, async () => {
      const env = await trustEnv();
      const keys = env.TRUSTEXT_KEYS_DIR!;
      const repo = uniqueRepo('unchanged');
      await docker(['tag', tb.image, `${tb.registry}/${repo}:1`], env);
      await ok(['trustext', 'push', `${tb.registry}/${repo}:1`], env);
      await ok(['trustext', 'policy', 'set', `${tb.registry}/${repo}`, '--threshold', '1'], env);
      const before = await snapshot(keys);
      const args = await setup(env, await tempDir());
      const wrong: Record<string, string> =
        name === 'a wrong passphrase' ? { DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'not the passphrase', COSIGN_PASSWORD: 'x' } : {};
      const r = await docker(args, { ...env, ...wrong });
      assert.ok(r.code === 1 || r.code === 125, show(r));
      assert.equal(
        r.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('See ')).length,
        1,
        show(r),
      );
      assert.match(r.stderr, why);
      assert.equal(await snapshot(keys), before, 'nothing on disk changed');
    });
  }
});

describe('freshness, required claims and warn mode', () => {
  it('refuses a signature past its --expires, accepts a fresh one', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('expires');
    const ref = `${tb.registry}/${repo}:1`;
    await docker(['tag', tb.image, ref], env);
    await ok(['trustext', 'push', '--expires', '1s', ref], env);
    // Verify two hours on (faketime, as notary-hostile.test.ts does) rather than sleep past the expiry.
    const late = await run('faketime', ['-f', '+2h', DOCKER, 'trustext', 'verify', ref], { env });
    assert.equal(late.code, 1, show(late));
    assert.match(late.stderr, /expired at /);
    await ok(['trustext', 'sign', '--expires', '720h', ref], env);
    await ok(['trustext', 'verify', ref], env);
  });

  it('requires claims per rule; warn mode lets a shortfall through with a warning', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('claims');
    const ref = `${tb.registry}/${repo}:1`;
    await docker(['tag', tb.image, ref], env);
    await ok(['trustext', 'push', '-a', 'env=dev', ref], env);
    await ok(['trustext', 'policy', 'set', `${tb.registry}/${repo}`, '--require-claim', 'env=prod'], env);
    const refused = await docker(['trustext', 'verify', ref], env);
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stderr, /claim env is "dev", policy requires "prod"/);
    await ok(['trustext', 'policy', 'set', `${tb.registry}/${repo}`, '--require-claim', 'env=prod', '--mode', 'warn'], env);
    await docker(['rmi', ref], env);
    const warned = await docker(['trustext', 'pull', ref], env);
    assert.equal(warned.code, 0, show(warned));
    assert.match(warned.stderr, /^warning: .*env/m);
    await ok(['trustext', 'sign', '-a', 'env=prod', ref], env);
    await ok(['trustext', 'policy', 'set', `${tb.registry}/${repo}`, '--require-claim', 'env=prod'], env);
    await ok(['trustext', 'verify', ref], env);
  });
});
