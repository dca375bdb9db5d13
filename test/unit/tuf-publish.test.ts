/**
 * The publishing half of the TUF core: metadata signed and framed as notary's Go client writes it, and the
 * targets/delegation edits made on decoded documents. Everything written here must read back through the strict
 * parsers and signature checks the pull side uses.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ALL_TARGETS,
  canonicalJson,
  dockerTarget,
  ecdsaDerToRaw,
  ecdsaMetadataSigner,
  ecdsaTufKey,
  ed25519TufKey,
  emptyTargets,
  expiresAt,
  tufKeyId,
  parseRoot,
  parseTargets,
  rootSigned,
  signMetadata,
  trustRoot,
  verifyThreshold,
  withDelegation,
  withTarget,
  type TufKey,
} from '../../src/notary/tuf/index.ts';
import { metadataSigner } from '../../src/app/stores/notary/keys.ts';
import { createSigner } from '../../src/keys/index.ts';
import { createRootCertificate } from '../../src/notary/tuf/root-certificate.ts';
import { GUN, NOW } from './tuf-fixtures.ts';
import { throwsWithCode } from '../kit/index.ts';

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const EXPIRES = '2030-01-01T00:00:00.5Z';

describe('signMetadata', () => {
  it('frames canonical bytes and raw r||s ecdsa signatures exactly as Go json.Marshal writes the envelope', () => {
    const key = p256();
    const signer = ecdsaMetadataSigner(key);
    const signed = withTarget(emptyTargets(1, EXPIRES), 'v1', dockerTarget(DIGEST, 527), 1, EXPIRES);
    const bytes = signMetadata(signed, [signer]);
    const text = bytes.toString('utf8');
    const hash = Buffer.from('ab'.repeat(32), 'hex').toString('base64');
    const expected = `{"signed":{"_type":"Targets","delegations":{"keys":{},"roles":[]},"expires":"${EXPIRES}","targets":{"v1":{"hashes":{"sha256":"${hash}"},"length":527}},"version":1},"signatures":[{"keyid":"${signer.keyid}","method":"ecdsa","sig":"`;
    assert.ok(text.startsWith(expected), text);
    assert.match(text, /"sig":"[A-Za-z0-9+/]+={0,2}"\}\]\}$/);
    const doc = parseTargets(bytes);
    assert.equal(doc.signatures[0]!.sig.length, 64);
    assert.equal(signer.keyid, tufKeyId(ecdsaTufKey(key)));
    verifyThreshold(doc, 'targets', { keyids: [signer.keyid], threshold: 1 }, new Map([[signer.keyid, ecdsaTufKey(key)]]));
  });

  it('signs with ed25519 keys (a key-format signer) as eddsa over the same canonical bytes', () => {
    const seed = Buffer.alloc(32, 7);
    const key = ed25519TufKey(ed25519RawOf(seed));
    const signer = metadataSigner(createSigner({ type: 'ed25519', seed }), 'ed25519', tufKeyId(key));
    assert.equal(signer.method, 'eddsa');
    const doc = parseTargets(signMetadata(emptyTargets(3, EXPIRES), [signer]), 'targets/releases');
    verifyThreshold(doc, 'targets/releases', { keyids: [signer.keyid], threshold: 1 }, new Map([[signer.keyid, key]]));
  });

  it("signs with ecdsa key-format signers (DER) as notary's raw r||s", () => {
    const pk = p256();
    const key = ecdsaTufKey(pk);
    const pkcs8 = Uint8Array.from(pk.export({ type: 'pkcs8', format: 'der' }));
    const signer = metadataSigner(createSigner({ type: 'ecdsa-p256', pkcs8 }), 'ecdsa-p256', tufKeyId(key));
    const doc = parseTargets(signMetadata(emptyTargets(3, EXPIRES), [signer]));
    assert.equal(doc.signatures[0]!.sig.length, 64);
    verifyThreshold(doc, 'targets', { keyids: [signer.keyid], threshold: 1 }, new Map([[signer.keyid, key]]));
  });

  it('refuses characters Go would escape differently in the file, and an empty signer list', () => {
    const signer = ecdsaMetadataSigner(p256());
    for (const name of ['a<b', 'a>b', 'a&b', 'a\u2028b']) {
      throwsWithCode(() => signMetadata(withTarget(emptyTargets(1, EXPIRES), name, dockerTarget(DIGEST, 1), 1, EXPIRES), [signer]), 'TRUST_DATA_INVALID');
    }
    throwsWithCode(() => signMetadata(emptyTargets(1, EXPIRES), []), 'TRUST_DATA_INVALID');
  });
});

describe('ecdsaDerToRaw', () => {
  it('turns DER signatures (short r and s included) into the raw r||s notary verifies', () => {
    const key = p256();
    for (let i = 0; i < 300; i++) {
      const msg = Buffer.from(`message ${i}`);
      const der = sign('sha256', msg, { key, dsaEncoding: 'der' });
      const raw = ecdsaDerToRaw(der, 32);
      assert.equal(raw.length, 64);
      assert.ok(verify('sha256', msg, { key: createPublicKey(key), dsaEncoding: 'ieee-p1363' }, raw), `signature ${i}`);
    }
  });

  it('refuses what is not a DER ECDSA signature', () => {
    for (const hex of ['', '3000', '300602010102', '3006020101020101ff', '30060201ff020101', '3008020101020101', '310602010102010100']) {
      throwsWithCode(() => ecdsaDerToRaw(Buffer.from(hex, 'hex'), 32), 'TRUST_DATA_INVALID');
    }
    throwsWithCode(() => ecdsaDerToRaw(Buffer.from(`3024022100${'ff'.repeat(32)}020101`, 'hex'), 16), 'TRUST_DATA_INVALID');
  });
});

describe('a new repository root', () => {
  it('is signed by the x509 certificate key and trusted on first use by the verifier', () => {
    const rootKey = p256();
    const cert = createRootCertificate({
      gun: GUN,
      privateKey: rootKey,
      notBefore: new Date(NOW.getTime() - 1000),
      notAfter: new Date(NOW.getTime() + 86_400_000),
    });
    const rootTuf: TufKey = { keytype: 'ecdsa-x509', public: Buffer.from(cert.pem).toString('base64') };
    const entry = (k: TufKey) => [tufKeyId(k), k] as const;
    const keys = {
      root: entry(rootTuf),
      targets: entry(ecdsaTufKey(p256())),
      snapshot: entry(ed25519TufKey(Buffer.alloc(32, 1))),
      timestamp: entry(ed25519TufKey(Buffer.alloc(32, 2))),
    };
    const root = signMetadata(rootSigned(keys, 1, expiresAt(NOW, 3_600_000)), [ecdsaMetadataSigner(rootKey, keys.root[0])]);
    const trusted = trustRoot({ gun: GUN, root, pinnedRoot: undefined, now: NOW });
    assert.equal(trusted.signed.roles.targets.keyids[0], keys.targets[0]);
    assert.equal(parseRoot(root).signed.keys.size, 4);
    assert.equal(canonicalJson(JSON.parse(root.toString()).signed).toString(), JSON.stringify(JSON.parse(root.toString()).signed));
  });
});

describe('editing decoded targets', () => {
  const base = {
    _type: 'Targets',
    delegations: { keys: {}, roles: [] },
    expires: EXPIRES,
    targets: { old: { hashes: { sha256: Buffer.alloc(32, 9).toString('base64') }, length: 1 } },
    version: 4,
  };

  it('withTarget sets or removes one name, bumps the version and expiry, and keeps everything else', () => {
    const next = withTarget(base, 'v2', dockerTarget(DIGEST, 9), 5, '2031-01-01T00:00:00Z');
    assert.deepEqual(Object.keys(next.targets as object).sort(), ['old', 'v2']);
    assert.equal(next.version, 5);
    assert.equal(next.expires, '2031-01-01T00:00:00Z');
    assert.equal(base.version, 4, 'the input is not modified');
    assert.deepEqual(Object.keys(withTarget(base, 'old', undefined, 5, EXPIRES).targets as object), []);
    const two = withTarget(base, 'v2', dockerTarget(DIGEST, 9), 5, EXPIRES);
    assert.deepEqual(withTarget(two, ALL_TARGETS, undefined, 6, EXPIRES).targets, {});
    throwsWithCode(() => withTarget(base, ALL_TARGETS, dockerTarget(DIGEST, 9), 6, EXPIRES), 'TRUST_DATA_INVALID');
  });

  it('withDelegation adds a role with paths [""], or a key to an existing role once', () => {
    const k = ed25519TufKey(Buffer.alloc(32, 3));
    const id = tufKeyId(k);
    const one = withDelegation(base, 'targets/releases', [id, k], 5, EXPIRES);
    assert.deepEqual((one.delegations as { roles: unknown[] }).roles, [{ keyids: [id], name: 'targets/releases', paths: [''], threshold: 1 }]);
    const k2 = ed25519TufKey(Buffer.alloc(32, 4));
    const two = withDelegation(withDelegation(one, 'targets/releases', [tufKeyId(k2), k2], 6, EXPIRES), 'targets/releases', [id, k], 7, EXPIRES);
    const roles = (two.delegations as { roles: { keyids: string[] }[]; keys: object }).roles;
    assert.deepEqual(roles[0]!.keyids, [id, tufKeyId(k2)]);
    assert.equal(Object.keys((two.delegations as { keys: object }).keys).length, 2);
    const doc = parseTargets(signMetadata(two, [ecdsaMetadataSigner(p256())]));
    assert.equal(doc.signed.delegations[0]!.name, 'targets/releases');
  });

  it('dockerTarget takes sha256 digests and sizes only', () => {
    assert.deepEqual(dockerTarget(DIGEST, 0).length, 0);
    throwsWithCode(() => dockerTarget('sha512:abc', 1), 'TRUST_DATA_INVALID');
    throwsWithCode(() => dockerTarget(DIGEST, -1), 'TRUST_DATA_INVALID');
    throwsWithCode(() => dockerTarget(DIGEST, 1.5), 'TRUST_DATA_INVALID');
  });
});

/** The raw Ed25519 public key of a seed, through node:crypto (independent of the signer under test). */
function ed25519RawOf(seed: Buffer): Buffer {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
  return spki.subarray(spki.length - 32);
}
