/**
 * Tests for cosign's encrypted private key format (src/keys/format/encrypted-key.ts) checked from the spec
 * (sigstore/cosign pkg/cosign/keys.go, go-securesystemslib `encrypted`), not from the code: blobs are built and opened
 * here with node:crypto scrypt and NaCl secretbox assembled from XSalsa20 + Poly1305.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { xsalsa20, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { decryptPrivateKey, ed25519SeedToPkcs8, encryptPrivateKey, generateEd25519 } from '../../src/keys/index.ts';
import { decodePem, encodePem } from '../../src/encoding/index.ts';
import { rejectsWithCode } from '../kit/index.ts';

/** NaCl crypto_secretbox built from its definition: tag(16) || c, c = m XOR XSalsa20 stream after 32 bytes, tag = Poly1305(c, first 32 stream bytes). */
function secretboxSeal(key: Uint8Array, nonce: Uint8Array, message: Uint8Array): Uint8Array {
  const stream = xsalsa20(key, nonce, new Uint8Array(32 + message.length));
  const c = message.map((b, i) => b ^ stream[32 + i]!);
  return Uint8Array.from([...poly1305(c, stream.subarray(0, 32)), ...c]);
}

function scryptKey(passphrase: string, salt: Uint8Array, N: number): Uint8Array {
  return scryptSync(Buffer.from(passphrase, 'utf8'), salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
}

/** An encrypted key file assembled by hand from the documented layout. */
function handMade(pkcs8: Uint8Array, passphrase: string, opts: { N?: number; r?: number; type?: string; nonceLength?: number } = {}): string {
  const N = opts.N ?? 32768;
  const salt = randomBytes(32);
  const nonce = randomBytes(opts.nonceLength ?? 24);
  const box = opts.nonceLength === undefined ? secretboxSeal(scryptKey(passphrase, salt, N), nonce, pkcs8) : new Uint8Array(48);
  const json = `{"kdf":{"name":"scrypt","params":{"N":${N},"r":${opts.r ?? 8},"p":1},"salt":"${salt.toString('base64')}"},"cipher":{"name":"nacl/secretbox","nonce":"${nonce.toString('base64')}"},"ciphertext":"${Buffer.from(box).toString('base64')}"}`;
  return encodePem(opts.type ?? 'ENCRYPTED COSIGN PRIVATE KEY', Buffer.from(json));
}

const pkcs8 = ed25519SeedToPkcs8(generateEd25519().privateKey);

describe('encryptPrivateKey', () => {
  it('writes the documented layout: COSIGN PEM type, scrypt N=2^15 r=8 p=1, 32-byte salt, 24-byte nonce, secretbox', async () => {
    const pem = await encryptPrivateKey(pkcs8, 'correct horse');
    const block = decodePem(pem);
    assert.equal(block.type, 'ENCRYPTED COSIGN PRIVATE KEY');
    const doc = JSON.parse(block.body.toString('utf8'));
    assert.deepEqual(Object.keys(doc), ['kdf', 'cipher', 'ciphertext']);
    assert.deepEqual(doc.kdf.params, { N: 32768, r: 8, p: 1 });
    assert.equal(doc.kdf.name, 'scrypt');
    assert.equal(doc.cipher.name, 'nacl/secretbox');
    const salt = Buffer.from(doc.kdf.salt, 'base64');
    const nonce = Buffer.from(doc.cipher.nonce, 'base64');
    assert.equal(salt.length, 32);
    assert.equal(nonce.length, 24);
    // Opened independently: scrypt from node:crypto, then secretbox by definition.
    const box = Buffer.from(doc.ciphertext, 'base64');
    const key = scryptKey('correct horse', salt, 32768);
    const expected = secretboxSeal(key, nonce, pkcs8);
    assert.deepEqual(Buffer.from(box), Buffer.from(expected));
    assert.deepEqual(Buffer.from(xsalsa20poly1305(key, nonce).decrypt(box)), Buffer.from(pkcs8));
  });

  it('round-trips, with fresh salt and nonce each time', async () => {
    const a = await encryptPrivateKey(pkcs8, 'pw');
    const b = await encryptPrivateKey(pkcs8, 'pw');
    assert.notEqual(a, b);
    assert.deepEqual(Buffer.from(await decryptPrivateKey(a, 'pw')), Buffer.from(pkcs8));
    assert.deepEqual(Buffer.from(await decryptPrivateKey(b, new TextEncoder().encode('pw'))), Buffer.from(pkcs8));
  });

  it("round-trips with N=2^17 (needs more than node scrypt's default maxmem)", async () => {
    const pem = await encryptPrivateKey(pkcs8, 'pw', { N: 131072 });
    assert.equal(JSON.parse(decodePem(pem).body.toString()).kdf.params.N, 131072);
    assert.deepEqual(Buffer.from(await decryptPrivateKey(pem, 'pw')), Buffer.from(pkcs8));
  });
});

describe('decryptPrivateKey', () => {
  it('opens a blob built independently from the spec, under both PEM types and every accepted N', async () => {
    for (const type of ['ENCRYPTED COSIGN PRIVATE KEY', 'ENCRYPTED SIGSTORE PRIVATE KEY']) {
      for (const N of [32768, 65536, 131072]) {
        const out = await decryptPrivateKey(handMade(pkcs8, 'pässwörd', { N, type }), 'pässwörd');
        assert.deepEqual(Buffer.from(out), Buffer.from(pkcs8), `${type} N=${N}`);
      }
    }
  });

  it('says PASSPHRASE_WRONG for a wrong passphrase, without the passphrase in the message', async () => {
    const pem = handMade(pkcs8, 'right-passphrase');
    const err = await rejectsWithCode(decryptPrivateKey(pem, 'wrong-passphrase'), 'PASSPHRASE_WRONG');
    assert.doesNotMatch(err.message, /right-passphrase|wrong-passphrase/);
  });

  it('says PASSPHRASE_WRONG for a ciphertext altered after encryption (secretbox does not authenticate)', async () => {
    const doc = JSON.parse(decodePem(await encryptPrivateKey(pkcs8, 'pw')).body.toString());
    const box = Buffer.from(doc.ciphertext, 'base64');
    box[box.length - 1]! ^= 1;
    doc.ciphertext = box.toString('base64');
    await rejectsWithCode(decryptPrivateKey(encodePem('ENCRYPTED COSIGN PRIVATE KEY', Buffer.from(JSON.stringify(doc))), 'pw'), 'PASSPHRASE_WRONG');
  });

  const invalid: [string, () => string, RegExp][] = [
    ['N=1024', () => handMade(pkcs8, 'pw', { N: 1024 }), /N=1024/],
    ['N=2^18', () => handMade(pkcs8, 'pw', { N: 262144 }), /scrypt parameters/],
    ['r=16', () => handMade(pkcs8, 'pw', { r: 16 }), /r=16/],
    ['a 12-byte nonce', () => handMade(pkcs8, 'pw', { nonceLength: 12 }), /nonce/],
    ['another PEM type', () => handMade(pkcs8, 'pw', { type: 'ENCRYPTED PRIVATE KEY' }), /"ENCRYPTED PRIVATE KEY"/],
    [
      'another KDF',
      () => encodePem('ENCRYPTED COSIGN PRIVATE KEY', Buffer.from(decodePem(handMade(pkcs8, 'pw')).body.toString().replace('"scrypt"', '"pbkdf2"'))),
      /unsupported kdf "pbkdf2"/,
    ],
    ['a body that is not JSON', () => encodePem('ENCRYPTED COSIGN PRIVATE KEY', Buffer.from('{nope')), /not JSON/],
    ['a plaintext private key', () => encodePem('PRIVATE KEY', pkcs8), /"PRIVATE KEY"/],
  ];
  for (const [name, pem, pattern] of invalid) {
    it(`refuses ${name} with KEY_INVALID`, async () => {
      await rejectsWithCode(decryptPrivateKey(pem(), 'pw'), 'KEY_INVALID', pattern);
    });
  }
});
