/**
 * Fixtures for the TUF unit tests (no tests here): fixed certificates made once with openssl for the GUN
 * registry.test/fixture/repo, throwaway signers of every key type, and a repository builder whose signed
 * values tests mutate before `encode` signs them and chains the hashes, as notary would.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { canonicalJson, tufKeyId, type TufKey } from '../../src/notary/tuf/index.ts';

ed.hashes.sha512 = sha512;

export const GUN = 'registry.test/fixture/repo';
/** The fixed clock of the unit tests (the certificates are valid 2026-11-22 … 2036-11-19). */
export const NOW = new Date('2027-06-01T00:00:00Z');
export const FUTURE = '2030-01-01T00:00:00Z';
export const PAST = '2027-05-31T23:59:59.999999999Z';

/** openssl req -x509 -newkey ec (P-256) -subj "/CN=<gun>" -days 3650 -sha256. */
export const CERTS = {
  rootA: {
    cert: `-----BEGIN CERTIFICATE-----
MIIBnjCCAUWgAwIBAgIUSCEwqo1jmmHylsQm1lQPlo37QHIwCgYIKoZIzj0EAwIw
JTEjMCEGA1UEAwwacmVnaXN0cnkudGVzdC9maXh0dXJlL3JlcG8wHhcNMjYxMTIy
MjAwNzUwWhcNMzYxMTE5MjAwNzUwWjAlMSMwIQYDVQQDDBpyZWdpc3RyeS50ZXN0
L2ZpeHR1cmUvcmVwbzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABIMZ6AkgpjRq
L2Vt/mZ1lwlQI1+o8FMww6HbdYzFOLBGckhQhf6YZLkreNwVYpaJ+kATpfiqDkpI
t8MCBmRx2TKjUzBRMB0GA1UdDgQWBBTdLhyhbRMF+3LwDCe9+SIT/ptTpTAfBgNV
HSMEGDAWgBTdLhyhbRMF+3LwDCe9+SIT/ptTpTAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0cAMEQCIEfHDlGmMjKkf1ZCmVzSGwjTIlfBO0n0SfrOlKrIXkQi
AiB/10ddYFVVl03iXe43RrsxWNgYcLrH9SGe86XxWn3jZA==
-----END CERTIFICATE-----
`,
    key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgYyDhYUwxACZfDN/i
+eJNSozt9T+4U8CZmCB8eGZHVmqhRANCAASDGegJIKY0ai9lbf5mdZcJUCNfqPBT
MMOh23WMxTiwRnJIUIX+mGS5K3jcFWKWifpAE6X4qg5KSLfDAgZkcdky
-----END PRIVATE KEY-----
`,
  },
  rootB: {
    cert: `-----BEGIN CERTIFICATE-----
MIIBnzCCAUWgAwIBAgIUKcwFW5oCxAPdKjSgOdUAFBkOKBMwCgYIKoZIzj0EAwIw
JTEjMCEGA1UEAwwacmVnaXN0cnkudGVzdC9maXh0dXJlL3JlcG8wHhcNMjYxMTIy
MjAwNzUwWhcNMzYxMTE5MjAwNzUwWjAlMSMwIQYDVQQDDBpyZWdpc3RyeS50ZXN0
L2ZpeHR1cmUvcmVwbzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABGJSq6AHOYsP
mGHC1ylVvkXiRxMy+wbbQGpleljvI1Qj+zLUx2frJPiI2EA7IcZH006Ixvzb1thl
wPwZfTSyhASjUzBRMB0GA1UdDgQWBBR6srhF+VtQqHSseRenVYVYgG/PEzAfBgNV
HSMEGDAWgBR6srhF+VtQqHSseRenVYVYgG/PEzAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0gAMEUCIGDDW5BjRC9IRdT+cKqa+txZNCGLYQQHKOQrHnwohlD4
AiEA5Fedfg13atx7MUJJ6Ju1zhJp/4bavSxgJdaALcVTXEs=
-----END CERTIFICATE-----
`,
    key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqTdqE/PLwh5kWI57
9KvvhFbQlz2ExD+g36P3IOkhekmhRANCAARiUqugBzmLD5hhwtcpVb5F4kcTMvsG
20BqZXpY7yNUI/sy1Mdn6yT4iNhAOyHGR9NOiMb829bYZcD8GX00soQE
-----END PRIVATE KEY-----
`,
  },
  /** CN = registry.test/other: not this GUN. */
  other: {
    cert: `-----BEGIN CERTIFICATE-----
MIIBkDCCATegAwIBAgIUckPkGFuCUlnkzVB7DMrDViV1tLMwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTcmVnaXN0cnkudGVzdC9vdGhlcjAeFw0yNjExMjIyMDA3NTBa
Fw0zNjExMTkyMDA3NTBaMB4xHDAaBgNVBAMME3JlZ2lzdHJ5LnRlc3Qvb3RoZXIw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAReQ7yxa7ilUIM9NiNgFJB8EwEFzAzo
XXXTTmjYmMx7cBo80wa2PvqbQmVqqpAfGM8hBLlqDCwK8/A0TE38lFEQo1MwUTAd
BgNVHQ4EFgQUtYPrfP8MoadTr/xf1l3YGyKS+AgwHwYDVR0jBBgwFoAUtYPrfP8M
oadTr/xf1l3YGyKS+AgwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBE
AiBECl+dij9ucxrNTyTben6BMRWdHNB+iztPT/SuWHFCKQIgAb4JfjQabjEAo2BY
5xgl7apQyGjga9xyQlGL2GzIGr0=
-----END CERTIFICATE-----
`,
    key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghAMTrnOYUmMQ7nLM
fT5lJBCZxuUOHClFrC8i82zbF0WhRANCAAReQ7yxa7ilUIM9NiNgFJB8EwEFzAzo
XXXTTmjYmMx7cBo80wa2PvqbQmVqqpAfGM8hBLlqDCwK8/A0TE38lFEQ
-----END PRIVATE KEY-----
`,
  },
};

/** A key that can sign metadata: its KEY, id, and how it signs. */
export interface Signer {
  readonly key: TufKey;
  readonly id: string;
  sign(message: Buffer): { method: string; sig: Buffer };
}

function make(key: TufKey, sign: Signer['sign']): Signer {
  return { key, id: tufKeyId(key), sign };
}

function ecdsaSign(priv: KeyObject, der: boolean) {
  return (m: Buffer) => ({ method: 'ecdsa', sig: nodeSign('sha256', m, { key: priv, dsaEncoding: der ? 'der' : 'ieee-p1363' }) });
}

/** An ecdsa-x509 root signer from one of CERTS. */
export function x509Signer(c: { cert: string; key: string }): Signer {
  return make({ keytype: 'ecdsa-x509', public: Buffer.from(c.cert).toString('base64') }, ecdsaSign(createPrivateKey(c.key), false));
}

/** A fresh P-256 `ecdsa` signer (SPKI public key); `der: true` makes it sign in DER, which notary refuses. */
export function ecdsaSigner(opts: { der?: boolean } = {}): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return make({ keytype: 'ecdsa', public: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') }, ecdsaSign(privateKey, opts.der ?? false));
}

/** An ed25519 signer (method eddsa) from a fixed seed byte. */
export function ed25519Signer(seedByte: number): Signer {
  const seed = new Uint8Array(32).fill(seedByte);
  return make({ keytype: 'ed25519', public: Buffer.from(ed.getPublicKey(seed)).toString('base64') }, (m) => ({
    method: 'eddsa',
    sig: Buffer.from(ed.sign(m, seed)),
  }));
}

/** A fresh RSA signer with the given method and modulus size. */
export function rsaSigner(method: 'rsapss' | 'rsapkcs1v15', bits = 2048): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const padding = method === 'rsapss' ? 6 : 1;
  return make({ keytype: 'rsa', public: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') }, (m) => ({
    method,
    sig: nodeSign('sha256', m, { key: privateKey, padding, saltLength: 32 }),
  }));
}

/** The SPKI of a certificate's key, derived from its private key (independently of the code under test). */
export function spkiOfPrivate(pem: string): string {
  return createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The file bytes notary writes: `{"signed":<canonical>,"signatures":[…]}` signed by each signer. */
export function envelope(signed: unknown, signers: readonly Signer[]): Buffer {
  const body = canonicalJson(signed);
  const sigs = signers.map((s) => {
    const { method, sig } = s.sign(body);
    return { keyid: s.id, method, sig: sig.toString('base64') };
  });
  return Buffer.concat([Buffer.from('{"signed":'), body, Buffer.from(`,"signatures":${JSON.stringify(sigs)}}`)]);
}

/** FileMeta of bytes as the notary server writes it (sha256 and sha512). */
export function fileMeta(bytes: Uint8Array) {
  const h = (a: string) => createHash(a).update(bytes).digest('base64');
  return { hashes: { sha256: h('sha256'), sha512: h('sha512') }, length: bytes.length };
}

/** A base64 sha256 of a fake manifest and its hex, for target entries. */
export function digestOf(text: string): { b64: string; hex: string } {
  const d = createHash('sha256').update(text).digest();
  return { b64: d.toString('base64'), hex: d.toString('hex') };
}

type Obj = Record<string, any>;

/** A repository under construction: the `signed` values (mutable) and who signs each file. */
export interface RepoSpec {
  root: Obj;
  targets: Obj;
  snapshot: Obj;
  timestamp: Obj;
  releases: Obj | undefined;
  signers: { root: Signer[]; targets: Signer[]; snapshot: Signer[]; timestamp: Signer[]; releases: Signer[] };
  keys: { root: Signer; targets: Signer; snapshot: Signer; timestamp: Signer; releases: Signer };
  /** Edits the computed snapshot or timestamp meta before that file is signed. */
  patchMeta?: (file: 'snapshot' | 'timestamp', meta: Obj) => void;
}

/** The files of an encoded repository, as verifyRepository takes them. */
export interface RepoFiles {
  gun: string;
  root: Buffer;
  targets: Buffer;
  snapshot: Buffer;
  timestamp: Buffer;
  delegations: Map<string, Buffer>;
  now: Date;
}

export const TAG_DIGEST = digestOf('manifest for latest');
export const RELEASE_DIGEST = digestOf('manifest for latest, signed as a release');

/** A docker-shaped repository: x509 root A, ecdsa targets, ed25519 snapshot/timestamp, an ecdsa targets/releases delegation. */
export function repoSpec(opts: { releases?: boolean; root?: Signer } = {}): RepoSpec {
  const keys = {
    root: opts.root ?? x509Signer(CERTS.rootA),
    targets: ecdsaSigner(),
    snapshot: ed25519Signer(1),
    timestamp: ed25519Signer(2),
    releases: ecdsaSigner(),
  };
  const role = (s: Signer) => ({ keyids: [s.id], threshold: 1 });
  const root = {
    _type: 'Root',
    consistent_snapshot: false,
    expires: '2035-01-01T00:00:00Z',
    version: 1,
    keys: Object.fromEntries(
      [keys.root, keys.targets, keys.snapshot, keys.timestamp].map((s) => [s.id, { keytype: s.key.keytype, keyval: { private: null, public: s.key.public } }]),
    ),
    roles: { root: role(keys.root), targets: role(keys.targets), snapshot: role(keys.snapshot), timestamp: role(keys.timestamp) },
  };
  const withReleases = opts.releases ?? true;
  const targets = {
    _type: 'Targets',
    expires: FUTURE,
    version: 2,
    targets: { latest: { hashes: { sha256: TAG_DIGEST.b64 }, length: 523 }, old: { hashes: { sha256: digestOf('old').b64 }, length: 100 } },
    delegations: withReleases
      ? {
          keys: { [keys.releases.id]: { keytype: 'ecdsa', keyval: { private: null, public: keys.releases.key.public } } },
          roles: [{ name: 'targets/releases', ...role(keys.releases), paths: [''] }],
        }
      : { keys: {}, roles: [] },
  };
  const releases = withReleases
    ? {
        _type: 'Targets',
        expires: FUTURE,
        version: 1,
        delegations: { keys: {}, roles: [] },
        targets: { latest: { hashes: { sha256: RELEASE_DIGEST.b64 }, length: 600 } },
      }
    : undefined;
  return {
    root,
    targets,
    releases,
    snapshot: { _type: 'Snapshot', expires: FUTURE, version: 3, meta: {} },
    timestamp: { _type: 'Timestamp', expires: FUTURE, version: 3, meta: {} },
    signers: { root: [keys.root], targets: [keys.targets], snapshot: [keys.snapshot], timestamp: [keys.timestamp], releases: [keys.releases] },
    keys,
  };
}

/** Signs every file and chains the hashes (snapshot lists root, targets, releases; timestamp lists snapshot). */
export function encode(spec: RepoSpec): RepoFiles {
  const root = envelope(spec.root, spec.signers.root);
  const targets = envelope(spec.targets, spec.signers.targets);
  const releases = spec.releases && envelope(spec.releases, spec.signers.releases);
  const snapshotMeta: Obj = { root: fileMeta(root), targets: fileMeta(targets), ...(releases && { 'targets/releases': fileMeta(releases) }) };
  spec.patchMeta?.('snapshot', snapshotMeta);
  const snapshot = envelope({ ...spec.snapshot, meta: snapshotMeta }, spec.signers.snapshot);
  const tsMeta: Obj = { snapshot: fileMeta(snapshot) };
  spec.patchMeta?.('timestamp', tsMeta);
  const timestamp = envelope({ ...spec.timestamp, meta: tsMeta }, spec.signers.timestamp);
  return { gun: GUN, root, targets, snapshot, timestamp, delegations: new Map(releases ? [['targets/releases', releases]] : []), now: NOW };
}
