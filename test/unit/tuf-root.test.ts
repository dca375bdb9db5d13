/** Root trust: trust on first use, pinning, rotation (old AND new root keys), x509 CN/validity rules. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trustRoot, verifyRepository } from '../../src/notary/tuf/index.ts';
import { CERTS, GUN, NOW, ecdsaSigner, encode, envelope, repoSpec, x509Signer, type RepoSpec } from './tuf-fixtures.ts';
import { throwsWithCode } from '../kit/index.ts';

const A = x509Signer(CERTS.rootA);
const B = x509Signer(CERTS.rootB);

/** Root `spec.root` moved to root key `to` at `version`, signed by `signers`. */
function rotated(spec: RepoSpec, to: typeof A, version: number, signers: (typeof A)[]): Buffer {
  const root = structuredClone(spec.root);
  delete root.keys[spec.keys.root.id];
  root.keys[to.id] = { keytype: 'ecdsa-x509', keyval: { private: null, public: to.key.public } };
  root.roles.root = { keyids: [to.id], threshold: 1 };
  root.version = version;
  return envelope(root, signers);
}

describe('trustRoot', () => {
  it('trusts a self-signed root on first use', () => {
    const files = encode(repoSpec());
    assert.equal(trustRoot({ gun: GUN, root: files.root, now: NOW }).signed.version, 1);
  });

  it('accepts the pinned root itself', () => {
    const files = encode(repoSpec());
    assert.equal(trustRoot({ gun: GUN, root: files.root, pinnedRoot: files.root, now: NOW }).bytes, files.root);
  });

  it('accepts a rotation signed by the old and the new root key, and verifies the repository on it', () => {
    const spec = repoSpec();
    const pinned = encode(spec).root;
    spec.root = JSON.parse(rotated(spec, B, 2, [A, B]).toString()).signed;
    spec.signers.root = [A, B];
    const files = encode(spec);
    const v = verifyRepository({ ...files, pinnedRoot: pinned });
    assert.equal(v.versions.get('root'), 2);
  });

  it('refuses a rotation signed only by the new root key (no old-key signature)', () => {
    const spec = repoSpec();
    const pinned = encode(spec).root;
    const next = rotated(spec, B, 2, [B]);
    trustRoot({ gun: GUN, root: next, now: NOW }); // fine on first use...
    throwsWithCode(() => trustRoot({ gun: GUN, root: next, pinnedRoot: pinned, now: NOW }), 'TRUST_DATA_INVALID', /root rotation/); // ...not after A was pinned
  });

  it('refuses a rotation signed only by the old root key (not by its own)', () => {
    const spec = repoSpec();
    const pinned = encode(spec).root;
    throwsWithCode(() => trustRoot({ gun: GUN, root: rotated(spec, B, 2, [A]), pinnedRoot: pinned, now: NOW }), 'TRUST_DATA_INVALID', /^root: 0 valid/);
  });

  it('walks intermediate roots, each signed by its predecessor', () => {
    const spec = repoSpec();
    const v1 = encode(spec).root;
    const v2 = rotated(spec, B, 2, [A, B]);
    const v3 = rotated(spec, B, 3, [B]);
    assert.equal(trustRoot({ gun: GUN, root: v3, pinnedRoot: v1, intermediateRoots: [v2], now: NOW }).signed.version, 3);
    throwsWithCode(() => trustRoot({ gun: GUN, root: v3, pinnedRoot: v1, now: NOW }), 'TRUST_DATA_INVALID', /root rotation/);
    const forged = rotated(spec, B, 2, [B]);
    throwsWithCode(() => trustRoot({ gun: GUN, root: v3, pinnedRoot: v1, intermediateRoots: [forged], now: NOW }), 'TRUST_DATA_INVALID', /root rotation/);
  });

  it('refuses an older root than the pinned one (TRUST_DATA_ROLLBACK), and a different root of the same version', () => {
    const spec = repoSpec();
    const v1 = encode(spec).root;
    const v2 = rotated(spec, A, 2, [A]);
    throwsWithCode(() => trustRoot({ gun: GUN, root: v1, pinnedRoot: v2, now: NOW }), 'TRUST_DATA_ROLLBACK');
    throwsWithCode(() => trustRoot({ gun: GUN, root: v1, previousVersion: 2, now: NOW }), 'TRUST_DATA_ROLLBACK');
    const otherV1 = rotated(spec, A, 1, [A, B]);
    throwsWithCode(() => trustRoot({ gun: GUN, root: otherV1, pinnedRoot: v1, now: NOW }), 'TRUST_DATA_INVALID', /same version/);
  });

  it('refuses root certificates for another GUN, and bare ecdsa root keys', () => {
    throwsWithCode(
      () => trustRoot({ gun: GUN, root: encode(repoSpec({ root: x509Signer(CERTS.other) })).root, now: NOW }),
      'TRUST_DATA_INVALID',
      /no valid certificate/,
    );
    throwsWithCode(() => trustRoot({ gun: GUN, root: encode(repoSpec({ root: ecdsaSigner() })).root, now: NOW }), 'TRUST_DATA_INVALID', /no valid certificate/);
  });

  it('refuses a root whose certificate is not yet valid or has expired (final root only)', () => {
    const root = encode(repoSpec()).root;
    throwsWithCode(() => trustRoot({ gun: GUN, root, now: new Date('2026-11-20T00:00:00Z') }), 'TRUST_DATA_INVALID', /no valid certificate/);
    throwsWithCode(() => trustRoot({ gun: GUN, root, now: new Date('2036-11-20T00:00:00Z') }), 'TRUST_DATA_INVALID', /no valid certificate/);
    trustRoot({ gun: GUN, root, now: new Date('2026-11-21T21:00:00Z') }); // one day of leeway on NotBefore
  });
});
