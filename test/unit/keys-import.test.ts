/**
 * Tests for importing private keys (FileKeyStore.loadPrivate, format/private-key-pem.ts) and exporting
 * them for cosign and containers/image (exportCosign). Every key file is made here with node:crypto, the
 * cosign ones assembled by hand from the layout of sigstore/cosign pkg/cosign/keys.go, and the export is
 * opened independently (node scrypt + @noble/ciphers secretbox), not with the code under test.
 */
import type { KeyErrorCode } from '../../src/shared/errors.ts';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, verify, type KeyObject } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { FileKeyStore, spkiKeyId, publicKeyFromSpki, verifyCosignSignature } from '../../src/keys/index.ts';
import { decodePem, encodePem } from '../../src/encoding/index.ts';
import { rejectsWithCode } from '../kit/index.ts';
import { freshDirs } from './key-store-fixtures.ts';

const freshDir = freshDirs('trustext-keys-import-');
const store = (dir: string) => new FileKeyStore(dir, { now: () => new Date('2026-01-02T03:04:05.000Z'), lock: { timeoutMs: 300 } });
const payload = new TextEncoder().encode('{"critical":{},"optional":null}');
const P256 = { namedCurve: 'P-256' } as const;

const scryptKey = (pass: string, salt: Uint8Array, N: number) => scryptSync(Buffer.from(pass, 'utf8'), salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });

/** A cosign encrypted key file built from the documented layout. */
function cosignPem(key: KeyObject, pass: string, type = 'ENCRYPTED COSIGN PRIVATE KEY', N = 32768): string {
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const box = xsalsa20poly1305(scryptKey(pass, salt, N), nonce).encrypt(key.export({ type: 'pkcs8', format: 'der' }));
  const doc = {
    kdf: { name: 'scrypt', params: { N, r: 8, p: 1 }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(box).toString('base64'),
  };
  return encodePem(type, Buffer.from(JSON.stringify(doc)));
}

/** Docker Content Trust (notary) style: encrypted PKCS#8 with `role` and `gun` PEM headers. */
function dctPem(key: KeyObject, pass: string): string {
  const pem = key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: pass }).toString();
  return pem.replace('-----BEGIN ENCRYPTED PRIVATE KEY-----\n', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nrole: root\ngun: registry.example/team/app\n\n');
}

/** Old notary: SEC1 with OpenSSL legacy encryption, plus a role header OpenSSL itself would refuse. */
function legacyPem(key: KeyObject, pass: string): string {
  const pem = key.export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: pass }).toString();
  return pem.replace(/(DEK-Info: .*\n)/, '$1role: targets\n');
}

const EC_PARAMS = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';

/** Every supported kind: [label, key, PEM, passphrase for the file]. */
function kinds(): [string, KeyObject, string, string | undefined][] {
  const ec = () => generateKeyPairSync('ec', P256).privateKey;
  const ed = () => generateKeyPairSync('ed25519').privateKey;
  const k = [ec(), ed(), ec(), ec(), ec(), ed(), ec(), ec(), ed()] as const;
  return [
    ['PKCS#8 P-256', k[0], k[0].export({ type: 'pkcs8', format: 'pem' }).toString(), undefined],
    ['PKCS#8 Ed25519', k[1], k[1].export({ type: 'pkcs8', format: 'pem' }).toString(), undefined],
    ['SEC1 P-256', k[2], k[2].export({ type: 'sec1', format: 'pem' }).toString(), undefined],
    ['SEC1 P-256 after EC PARAMETERS', k[3], EC_PARAMS + k[3].export({ type: 'sec1', format: 'pem' }).toString(), undefined],
    ['DCT encrypted PKCS#8 P-256 with role header', k[4], dctPem(k[4], 'file-pw'), 'file-pw'],
    ['DCT encrypted PKCS#8 Ed25519 with role header', k[5], dctPem(k[5], 'file-pw'), 'file-pw'],
    ['legacy encrypted SEC1 with role header', k[6], legacyPem(k[6], 'file-pw'), 'file-pw'],
    ['ENCRYPTED COSIGN PRIVATE KEY P-256', k[7], cosignPem(k[7], 'file-pw'), 'file-pw'],
    ['ENCRYPTED SIGSTORE PRIVATE KEY Ed25519, N=2^16, empty passphrase', k[8], cosignPem(k[8], '', 'ENCRYPTED SIGSTORE PRIVATE KEY', 65536), ''],
  ];
}

/** Every file in `dir` with its mode and bytes. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort())
    out[f] = `${((await stat(join(dir, f))).mode & 0o777).toString(8)}:${(await readFile(join(dir, f))).toString('base64')}`;
  return out;
}

/** A store already holding one key, so "nothing changed" is checked against real content. */
async function seeded(): Promise<string> {
  const dir = freshDir();
  await store(dir).create('existing', 'passphrase-pw');
  return dir;
}

describe('loadPrivate', () => {
  for (const [label, key, pem, filePass] of kinds()) {
    it(`imports ${label}, re-encrypted as a cosign key under the store passphrase, and signs with it`, async () => {
      const dir = freshDir();
      const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
      const entry = await store(dir).loadPrivate('imported', pem, filePass, 'store-pw', { scopes: ['reg.example/**'] });
      const type = key.asymmetricKeyType === 'ec' ? 'ecdsa-p256' : 'ed25519';
      assert.deepEqual(
        { ...entry },
        { name: 'imported', id: spkiKeyId(publicKeyFromSpki(spki)), type, created: '2026-01-02T03:04:05.000Z', scopes: ['reg.example/**'], private: true },
      );
      const file = decodePem(await readFile(join(dir, 'imported.key'), 'utf8'));
      assert.equal(file.type, 'ENCRYPTED COSIGN PRIVATE KEY');
      assert.deepEqual(JSON.parse(file.body.toString()).kdf.params, { N: 32768, r: 8, p: 1 });
      const signer = await store(dir).signer('imported', 'store-pw');
      const signature = signer.sign(payload);
      assert.equal(verifyCosignSignature(publicKeyFromSpki(spki), payload, signature), true);
      // Checked by node:crypto too: ECDSA signatures are DER, Ed25519 pure.
      const algorithm = type === 'ed25519' ? null : 'sha256';
      assert.equal(verify(algorithm, payload, { key: createPublicKey(key), dsaEncoding: 'der' }, signature), true);
    });
  }

  const refused: [string, () => string, string | undefined, [code: KeyErrorCode, pattern?: RegExp]][] = [
    ['a wrong DCT passphrase', () => dctPem(generateKeyPairSync('ec', P256).privateKey, 'pass-RIGHT-1'), 'pass-WRONG-2', ['PASSPHRASE_WRONG']],
    ['a wrong cosign passphrase', () => cosignPem(generateKeyPairSync('ec', P256).privateKey, 'pass-RIGHT-1'), 'pass-WRONG-2', ['PASSPHRASE_WRONG']],
    ['a wrong legacy passphrase', () => legacyPem(generateKeyPairSync('ec', P256).privateKey, 'pass-RIGHT-1'), 'pass-WRONG-2', ['PASSPHRASE_WRONG']],
    ['an encrypted file without a passphrase', () => dctPem(generateKeyPairSync('ec', P256).privateKey, 'pass-RIGHT-1'), undefined, ['PASSPHRASE_REQUIRED']],
    [
      'an RSA PKCS#8 key',
      () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      undefined,
      ['KEY_INVALID', /rsa/],
    ],
    [
      'an RSA PKCS#1 key',
      () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      undefined,
      ['KEY_INVALID', /rsa/],
    ],
    [
      'an encrypted RSA key',
      () => dctPem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'passphrase-pw'),
      'passphrase-pw',
      ['KEY_INVALID', /rsa/],
    ],
    [
      'a P-384 SEC1 key',
      () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
      undefined,
      ['KEY_INVALID', /secp384r1/],
    ],
    ['an Ed448 key', () => generateKeyPairSync('ed448').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, ['KEY_INVALID', /ed448/]],
    [
      'a public key',
      () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      undefined,
      ['KEY_INVALID', /PUBLIC KEY/],
    ],
    ['garbage', () => 'not a key', undefined, ['KEY_INVALID']],
    ['a damaged PKCS#8 body', () => encodePem('PRIVATE KEY', randomBytes(40)), undefined, ['KEY_INVALID']],
  ];
  for (const [what, pem, filePass, expected] of refused) {
    it(`refuses ${what}, leaving the store byte-identical`, async () => {
      const dir = await seeded();
      const before = await snapshot(dir);
      const err = await rejectsWithCode(store(dir).loadPrivate('imported', pem(), filePass, 'store-pw'), ...expected);
      assert.doesNotMatch(`${err.message} ${String(err.cause)}`, /pass-RIGHT-1|pass-WRONG-2|store-pw/);
      assert.deepEqual(await snapshot(dir), before);
    });
  }

  it('refuses a taken name, an already stored key and an empty store passphrase, changing nothing', async () => {
    const dir = await seeded();
    const key = generateKeyPairSync('ec', P256).privateKey;
    const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    await store(dir).loadPrivate('first', pem, undefined, 'passphrase-pw');
    const before = await snapshot(dir);
    await rejectsWithCode(store(dir).loadPrivate('first', pem, undefined, 'passphrase-pw'), 'KEY_EXISTS', /"first"/);
    const twin = await rejectsWithCode(store(dir).loadPrivate('second', pem, undefined, 'passphrase-pw'), 'KEY_EXISTS', /already in the store as "first"/);
    assert.equal(twin.existingName, 'first');
    await rejectsWithCode(store(dir).loadPrivate('third', pem, undefined, ''), 'PASSPHRASE_REQUIRED');
    assert.deepEqual(await snapshot(dir), before);
  });
});

describe('exportCosign', () => {
  for (const curve of ['ecdsa P-256', 'ed25519'] as const) {
    it(`writes ${curve} as ENCRYPTED COSIGN PRIVATE KEY with scrypt N=2^15, r=8, p=1 that opens independently`, async () => {
      const dir = freshDir();
      const key = curve === 'ed25519' ? generateKeyPairSync('ed25519').privateKey : generateKeyPairSync('ec', P256).privateKey;
      await store(dir).loadPrivate('k', key.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, 'store-pw');
      const pem = await store(dir).exportCosign('k', 'store-pw', 'export-pw');
      const block = decodePem(pem);
      assert.equal(block.type, 'ENCRYPTED COSIGN PRIVATE KEY');
      const doc = JSON.parse(block.body.toString('utf8'));
      assert.deepEqual(doc.kdf, { name: 'scrypt', params: { N: 32768, r: 8, p: 1 }, salt: doc.kdf.salt });
      assert.equal(doc.cipher.name, 'nacl/secretbox');
      const boxKey = scryptKey('export-pw', Buffer.from(doc.kdf.salt, 'base64'), 32768);
      const pkcs8 = xsalsa20poly1305(boxKey, Buffer.from(doc.cipher.nonce, 'base64')).decrypt(Buffer.from(doc.ciphertext, 'base64'));
      assert.deepEqual(Buffer.from(pkcs8), key.export({ type: 'pkcs8', format: 'der' }));
      const exportedPublic = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
      assert.deepEqual(exportedPublic.export({ type: 'spki', format: 'der' }), createPublicKey(key).export({ type: 'spki', format: 'der' }));
      assert.equal(pem.includes('export-pw') || pem.includes('store-pw'), false);
    });
  }

  it('round-trips through loadPrivate under the export passphrase', async () => {
    const dir = freshDir();
    const entry = await store(dir).create('k', 'store-pw');
    const pem = await store(dir).exportCosign('k', 'store-pw', 'export-pw');
    const other = freshDir();
    assert.equal((await store(other).loadPrivate('k', pem, 'export-pw', 'other-pw')).id, entry.id);
  });

  it('refuses a wrong store passphrase, an empty export passphrase, public and unknown keys, changing nothing', async () => {
    const dir = await seeded();
    await store(dir).importPublic('theirs', createPublicKey(generateKeyPairSync('ed25519').privateKey).export({ type: 'spki', format: 'pem' }).toString());
    const before = await snapshot(dir);
    await rejectsWithCode(store(dir).exportCosign('existing', 'wrong', 'export-pw'), 'PASSPHRASE_WRONG');
    await rejectsWithCode(store(dir).exportCosign('existing', 'passphrase-pw', ''), 'PASSPHRASE_REQUIRED');
    await rejectsWithCode(store(dir).exportCosign('theirs', 'passphrase-pw', 'export-pw'), 'KEY_NOT_FOUND', /cannot sign/);
    await rejectsWithCode(store(dir).exportCosign('nope', 'passphrase-pw', 'export-pw'), 'KEY_NOT_FOUND');
    assert.deepEqual(await snapshot(dir), before);
  });
});
