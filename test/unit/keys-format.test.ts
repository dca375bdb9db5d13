/**
 * Tests for src/keys/format: pure Ed25519 against RFC 8032 §7.1 test vectors 1-3, RFC 8032 strictness,
 * SPKI PEM interchange with node:crypto (OpenSSL), ECDSA P-256 with DER signatures, PKCS#8, Signers, and the
 * strict PEM framing. Keys from node:crypto stand in for "another implementation" of the formats.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import {
  createSigner,
  ed25519PublicKey,
  ed25519SeedFromPkcs8,
  ed25519SeedToPkcs8,
  generateEd25519,
  spkiKeyId,
  privateKeyFromPkcs8,
  privateKeyToPkcs8,
  publicKeyFromPem,
  publicKeyToPem,
  signEcdsaP256,
  signEd25519,
  verifyCosignSignature,
} from '../../src/keys/index.ts';
import { encodePem } from '../../src/encoding/index.ts';
import { throwsWithCode } from '../kit/index.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const text = (s: string) => new TextEncoder().encode(s);

/** RFC 8032 §7.1, TEST 1, 2 and 3: secret key (seed), public key, message, signature. */
const RFC8032 = [
  {
    name: 'TEST 1 (empty message)',
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte)',
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3 (two bytes)',
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    pub: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    msg: 'af82',
    sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

/** The order of the Ed25519 base point (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function scalarToLE(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

function leToScalar(b: Uint8Array): bigint {
  return b.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

describe('Ed25519 (pure, RFC 8032)', () => {
  for (const v of RFC8032) {
    it(`${v.name}: signs identically and verifies`, () => {
      const pk = ed25519PublicKey(hex(v.pub));
      assert.equal(Buffer.from(createSigner({ type: 'ed25519', seed: hex(v.seed) }).publicKey.spki).toString('hex'), `302a300506032b6570032100${v.pub}`);
      assert.equal(Buffer.from(signEd25519(hex(v.seed), hex(v.msg))).toString('hex'), v.sig);
      assert.equal(verifyCosignSignature(pk, hex(v.msg), hex(v.sig)), true);
    });

    it(`${v.name}: a tampered signature or payload fails`, () => {
      const pk = ed25519PublicKey(hex(v.pub));
      const sig = hex(v.sig);
      for (const i of [0, 31, 32, 63]) {
        const bad = Uint8Array.from(sig);
        bad[i]! ^= 0x01;
        assert.equal(verifyCosignSignature(pk, hex(v.msg), bad), false, `bit flip in byte ${i}`);
      }
      assert.equal(verifyCosignSignature(pk, Uint8Array.from([...hex(v.msg), 0]), sig), false);
    });
  }

  it('is pure Ed25519: a signature over SHA-512(payload) does not verify the payload', () => {
    const v = RFC8032[1]!;
    const prehashed = signEd25519(hex(v.seed), sha512(hex(v.msg)));
    assert.equal(verifyCosignSignature(ed25519PublicKey(hex(v.pub)), hex(v.msg), prehashed), false);
  });

  it('refuses a non-canonical S (S + L), which ZIP-215 would accept', () => {
    const v = RFC8032[0]!;
    const sig = hex(v.sig);
    const s = leToScalar(sig.subarray(32));
    const malleated = Uint8Array.from([...sig.subarray(0, 32), ...scalarToLE(s + L)]);
    assert.equal(verifyCosignSignature(ed25519PublicKey(hex(v.pub)), hex(v.msg), malleated), false);
  });

  it('refuses a small-order public key whose signature ZIP-215 accepts for every message', () => {
    const identity = hex(`01${'00'.repeat(31)}`);
    const sig = Uint8Array.from([...identity, ...new Uint8Array(32)]);
    ed.hashes.sha512 ??= sha512;
    assert.equal(ed.verify(sig, text('anything'), identity), true, 'precondition: noble ZIP-215 mode accepts it');
    assert.equal(verifyCosignSignature(ed25519PublicKey(identity), text('anything'), sig), false);
  });

  it('returns false instead of throwing on malformed input', () => {
    const pk = ed25519PublicKey(hex(RFC8032[0]!.pub));
    for (const sig of [new Uint8Array(0), new Uint8Array(63), new Uint8Array(65), new Uint8Array(64).fill(0xff)]) {
      assert.equal(verifyCosignSignature(pk, text('x'), sig), false);
    }
    assert.equal(verifyCosignSignature({ type: 'ed25519', spki: Buffer.from('3000', 'hex') }, text('x'), new Uint8Array(64)), false);
    assert.equal(verifyCosignSignature({ type: 'rsa' as 'ed25519', spki: Buffer.alloc(0) }, text('x'), new Uint8Array(64)), false);
  });

  it('generates fresh 32-byte key pairs that sign and verify', () => {
    const a = generateEd25519();
    const b = generateEd25519();
    assert.equal(a.privateKey.length, 32);
    assert.equal(a.publicKey.length, 32);
    assert.notDeepEqual(a.privateKey, b.privateKey);
    const payload = text('{"critical":{}}');
    assert.equal(verifyCosignSignature(ed25519PublicKey(a.publicKey), payload, signEd25519(a.privateKey, payload)), true);
    assert.equal(verifyCosignSignature(ed25519PublicKey(b.publicKey), payload, signEd25519(a.privateKey, payload)), false);
  });
});

describe('public keys (SPKI PEM)', () => {
  it('round-trips a node:crypto Ed25519 SPKI PEM byte for byte, with the same key id', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const pk = publicKeyFromPem(pem);
    assert.equal(pk.type, 'ed25519');
    assert.deepEqual(pk.spki, der);
    assert.equal(publicKeyToPem(pk), pem);
    assert.equal(spkiKeyId(pk), createHash('sha256').update(der).digest('hex'));
    assert.match(spkiKeyId(pk), /^[0-9a-f]{64}$/);
  });

  it('writes the standard RFC 8410 prefix, which node:crypto (OpenSSL) parses back to the same key', () => {
    const v = RFC8032[0]!;
    const pem = publicKeyToPem(ed25519PublicKey(hex(v.pub)));
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA[A-Za-z0-9+/=]+\n-----END PUBLIC KEY-----\n$/);
    const jwk = createPrivateKey({ key: Buffer.from(ed25519SeedToPkcs8(hex(v.seed))), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
    assert.equal(Buffer.from(jwk.x!, 'base64url').toString('hex'), v.pub);
  });

  it('accepts ECDSA P-256 (canonical uncompressed SPKI)', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pk = publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    assert.equal(pk.type, 'ecdsa-p256');
    assert.deepEqual(pk.spki, publicKey.export({ type: 'spki', format: 'der' }));
  });

  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const refused: [string, () => string, RegExp][] = [
    ['RSA', () => rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), /unsupported public key: rsa/],
    ['ECDSA P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), /secp384r1/],
    ['secp256k1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), /secp256k1/],
    ['X25519', () => generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(), /x25519/],
    ['RSA PUBLIC KEY (PKCS#1)', () => rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(), /"RSA PUBLIC KEY"/],
    ['a private key', () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /"PRIVATE KEY"/],
    ['a small-order Ed25519 point', () => encodePem('PUBLIC KEY', Buffer.from(`302a300506032b6570032100${'01'}${'00'.repeat(31)}`, 'hex')), /ed25519/],
    ['garbage DER', () => encodePem('PUBLIC KEY', Buffer.from('not der')), /SubjectPublicKeyInfo/],
    ['no PEM at all', () => 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI', /not a PEM/],
  ];
  for (const [name, pem, pattern] of refused) {
    it(`refuses ${name} with KEY_INVALID naming it`, () => {
      throwsWithCode(() => publicKeyFromPem(pem()), 'KEY_INVALID', pattern);
    });
  }
});

describe('ECDSA P-256', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pk = publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const payload = text('{"critical":{"identity":{"docker-reference":"x"}},"optional":null}');

  it('signs DER over SHA-256 and verifies; a node:crypto DER signature verifies too', () => {
    const sig = signEcdsaP256(pkcs8, payload);
    assert.equal(sig[0], 0x30, 'an ASN.1 SEQUENCE');
    assert.equal(verifyCosignSignature(pk, payload, sig), true);
    assert.equal(verifyCosignSignature(pk, payload, nodeSign('sha256', payload, { key: privateKey, dsaEncoding: 'der' })), true);
  });

  it('fails a tampered payload or signature, and truncated or garbage DER, without throwing', () => {
    const sig = signEcdsaP256(pkcs8, payload);
    assert.equal(verifyCosignSignature(pk, text('other'), sig), false);
    const flipped = Uint8Array.from(sig);
    flipped[flipped.length - 1]! ^= 1;
    assert.equal(verifyCosignSignature(pk, payload, flipped), false);
    assert.equal(verifyCosignSignature(pk, payload, sig.subarray(0, sig.length - 1)), false);
    assert.equal(verifyCosignSignature(pk, payload, new Uint8Array(0)), false);
    assert.equal(verifyCosignSignature({ type: 'ecdsa-p256', spki: Buffer.from('garbage') }, payload, sig), false);
  });

  it("refuses BER that is not minimal DER (a padded INTEGER, trailing bytes), as Go's ecdsa.VerifyASN1 does", () => {
    const sig = Buffer.from(signEcdsaP256(pkcs8, payload));
    assert.equal(sig[0], 0x30);
    const rLen = sig[3]!;
    const r = sig.subarray(4, 4 + rLen);
    const rest = sig.subarray(4 + rLen);
    const padded = Buffer.concat([Buffer.from([0x30, sig[1]! + 1, 0x02, rLen + 1, 0x00]), r, rest]);
    assert.equal(verifyCosignSignature(pk, payload, padded), false);
    assert.equal(verifyCosignSignature(pk, payload, Buffer.concat([sig, Buffer.from([0x00])])), false);
  });

  it('refuses IEEE-P1363 r||s signatures (decision: DER only, like sigstore v1.4.2 and c/image)', () => {
    const raw = nodeSign('sha256', payload, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    assert.equal(raw.length, 64);
    assert.equal(verifyCosignSignature(pk, payload, raw), false);
  });

  it('does not verify under an Ed25519 key claimed as P-256, or vice versa', () => {
    const sig = signEcdsaP256(pkcs8, payload);
    const ed25519 = publicKeyFromPem(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    assert.equal(verifyCosignSignature({ type: 'ecdsa-p256', spki: ed25519.spki }, payload, sig), false);
    assert.equal(verifyCosignSignature({ type: 'ed25519', spki: pk.spki }, payload, sig), false);
  });

  it('builds a Signer from PKCS#8 whose key id is that of the public key', () => {
    const signer = createSigner(privateKeyFromPkcs8(pkcs8));
    assert.equal(signer.keyId, spkiKeyId(pk));
    assert.equal(verifyCosignSignature(pk, payload, signer.sign(payload)), true);
  });
});

describe('PKCS#8 private keys', () => {
  it('encodes an Ed25519 seed exactly as node:crypto (OpenSSL) does, and decodes it back', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    assert.deepEqual(Buffer.from(ed25519SeedToPkcs8(seed)), der);
    assert.ok(der.subarray(0, 16).equals(Buffer.from('302e020100300506032b657004220420', 'hex')));
    assert.deepEqual(Buffer.from(ed25519SeedFromPkcs8(der)!), seed);
    const key = privateKeyFromPkcs8(der);
    assert.equal(key.type, 'ed25519');
    assert.deepEqual(Buffer.from(privateKeyToPkcs8(key)), der);
    const signer = createSigner(key);
    const payload = text('payload');
    assert.deepEqual(Buffer.from(signer.sign(payload)), nodeSign(null, payload, privateKey), 'deterministic: same signature as OpenSSL');
    assert.equal(signer.keyId, spkiKeyId(publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString())));
  });

  it('refuses RSA, other curves and non-PKCS#8 input with KEY_INVALID', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'der' });
    throwsWithCode(() => privateKeyFromPkcs8(rsa), 'KEY_INVALID', /rsa/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    throwsWithCode(() => privateKeyFromPkcs8(p384), 'KEY_INVALID', /secp384r1/);
    const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'der' });
    throwsWithCode(() => privateKeyFromPkcs8(sec1), 'KEY_INVALID', /PKCS#8/);
    throwsWithCode(() => privateKeyFromPkcs8(new Uint8Array(48)), 'KEY_INVALID');
  });

  it('refuses seeds that are not 32 bytes', () => {
    throwsWithCode(() => ed25519SeedToPkcs8(new Uint8Array(31)), 'KEY_INVALID');
    throwsWithCode(() => signEd25519(new Uint8Array(64), text('x')), 'KEY_INVALID');
  });
});
