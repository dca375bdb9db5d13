/** Key ids, canonical key ids, and signature checks of every key type and method. */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  canonicalKeyId,
  canonicalJson,
  certificateOf,
  tufKeyId,
  parseTargets,
  verifyTufSignature,
  verifyThreshold,
  type TufKey,
} from '../../src/notary/tuf/index.ts';
import { CERTS, ecdsaSigner, ed25519Signer, envelope, rsaSigner, spkiOfPrivate, x509Signer, type Signer } from './tuf-fixtures.ts';
import { throwsWithCode } from '../kit/index.ts';
import { encodePem } from '../../src/encoding/index.ts';

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');

describe('tufKeyId', () => {
  it('is the sha256 of the hand-written canonical KEY', () => {
    const key: TufKey = { keytype: 'ed25519', public: 'VLprdbsJXg1UwH3skM1aKFgQvO8YBG4VbMAB7507Bvs=' };
    assert.equal(tufKeyId(key), sha256hex('{"keytype":"ed25519","keyval":{"private":null,"public":"VLprdbsJXg1UwH3skM1aKFgQvO8YBG4VbMAB7507Bvs="}}'));
  });

  it('covers the certificate PEM for ecdsa-x509 keys', () => {
    const pub = Buffer.from(CERTS.rootA.cert).toString('base64');
    assert.equal(tufKeyId({ keytype: 'ecdsa-x509', public: pub }), sha256hex(`{"keytype":"ecdsa-x509","keyval":{"private":null,"public":"${pub}"}}`));
  });

  it('canonicalKeyId of an ecdsa-x509 key is the id of its SPKI as a bare ecdsa key', () => {
    const spki = spkiOfPrivate(CERTS.rootA.key);
    const want = sha256hex(`{"keytype":"ecdsa","keyval":{"private":null,"public":"${spki}"}}`);
    const key: TufKey = { keytype: 'ecdsa-x509', public: Buffer.from(CERTS.rootA.cert).toString('base64') };
    assert.equal(canonicalKeyId(key), want);
    assert.notEqual(tufKeyId(key), want);
    const ed = ed25519Signer(9).key;
    assert.equal(canonicalKeyId(ed), tufKeyId(ed));
  });

  it('re-encodes certificates as Go pem.EncodeToMemory does (openssl writes the same)', () => {
    assert.equal(encodePem('CERTIFICATE', certificateOf(x509Signer(CERTS.rootA).key).raw), CERTS.rootA.cert);
  });

  it('refuses certificate bundles and non-certificates in x509 keys', () => {
    const bundle: TufKey = { keytype: 'ecdsa-x509', public: Buffer.from(CERTS.rootA.cert + CERTS.rootB.cert).toString('base64') };
    throwsWithCode(() => certificateOf(bundle), 'TRUST_DATA_INVALID');
    throwsWithCode(() => certificateOf({ keytype: 'ecdsa-x509', public: Buffer.from('junk').toString('base64') }), 'TRUST_DATA_INVALID');
  });
});

describe('verifyTufSignature', () => {
  const message = canonicalJson({ _type: 'Targets', version: 1 });
  const cases: [string, () => Signer][] = [
    ['ecdsa (raw r||s)', () => ecdsaSigner()],
    ['ecdsa-x509', () => x509Signer(CERTS.rootA)],
    ['ed25519 (eddsa)', () => ed25519Signer(3)],
    ['rsa rsapss', () => rsaSigner('rsapss')],
    ['rsa rsapkcs1v15', () => rsaSigner('rsapkcs1v15')],
  ];
  for (const [name, make] of cases) {
    it(`${name}: accepts a good signature, refuses another message and a flipped bit`, () => {
      const s = make();
      const { method, sig } = s.sign(message);
      assert.equal(verifyTufSignature(s.key, { keyid: s.id, method, sig }, message), true);
      assert.equal(verifyTufSignature(s.key, { keyid: s.id, method, sig }, Buffer.concat([message, Buffer.from(' ')])), false);
      const flipped = Buffer.from(sig);
      flipped[5]! ^= 1;
      assert.equal(verifyTufSignature(s.key, { keyid: s.id, method, sig: flipped }, message), false);
    });
  }

  it('refuses DER-encoded ecdsa signatures', () => {
    const s = ecdsaSigner({ der: true });
    const { sig } = s.sign(message);
    assert.notEqual(sig.length, 64);
    assert.equal(verifyTufSignature(s.key, { keyid: s.id, method: 'ecdsa', sig }, message), false);
  });

  it('refuses a method that does not fit the key type, and unknown methods', () => {
    const ed = ed25519Signer(4);
    const { sig } = ed.sign(message);
    assert.equal(verifyTufSignature(ed.key, { keyid: ed.id, method: 'ed25519', sig }, message), false);
    assert.equal(verifyTufSignature(ed.key, { keyid: ed.id, method: 'ecdsa', sig }, message), false);
    const ec = ecdsaSigner();
    assert.equal(verifyTufSignature(ec.key, { keyid: ec.id, method: 'eddsa', sig: ec.sign(message).sig }, message), false);
  });

  it('refuses RSA keys under 2048 bits', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key: TufKey = { keytype: 'rsa', public: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
    const sig = nodeSign('sha256', message, { key: privateKey, padding: 6, saltLength: 32 });
    assert.equal(verifyTufSignature(key, { keyid: tufKeyId(key), method: 'rsapss', sig }, message), false);
  });
});

describe('verifyThreshold', () => {
  const a = ecdsaSigner();
  const b = ed25519Signer(5);
  const outsider = ed25519Signer(6);
  const keys = new Map([
    [a.id, a.key],
    [b.id, b.key],
    [outsider.id, outsider.key],
  ]);
  const doc = (signers: Signer[]) => parseTargets(envelope({ _type: 'Targets', expires: '2030-01-01T00:00:00Z', version: 1, targets: {} }, signers));

  it('counts distinct listed keys and skips unlisted ones', () => {
    verifyThreshold(doc([a, b, outsider]), 'targets', { keyids: [a.id, b.id], threshold: 2 }, keys);
    throwsWithCode(() => verifyThreshold(doc([a, a, outsider]), 'targets', { keyids: [a.id, b.id], threshold: 2 }, keys), 'TRUST_DATA_INVALID');
  });

  it('refuses a signature by a key the role does not list', () => {
    throwsWithCode(() => verifyThreshold(doc([outsider]), 'targets', { keyids: [a.id], threshold: 1 }, keys), 'TRUST_DATA_INVALID');
  });

  it('refuses no signatures, and a listed key whose id does not match', () => {
    throwsWithCode(() => verifyThreshold(doc([]), 'targets', { keyids: [a.id], threshold: 1 }, keys), 'TRUST_DATA_INVALID');
    const lying = new Map([[a.id, b.key]]);
    throwsWithCode(() => verifyThreshold(doc([a]), 'targets', { keyids: [a.id], threshold: 1 }, lying), 'TRUST_DATA_INVALID', /does not have that id/);
  });
});
