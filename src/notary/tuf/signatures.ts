/**
 * Signature checks as notary's verifiers do them (tuf/signed/verifiers.go, verify.go `VerifySignatures`): the
 * message is canonical(decoded `signed`); ecdsa is SHA-256 with raw r‖s of exactly 2·ceil(bits/8) bytes (DER
 * refused); eddsa is plain Ed25519 as Go checks it (OpenSSL's); rsapss (salt 32) and rsapkcs1v15 over SHA-256 with
 * keys of 2048 bits or more. Pure.
 */
import { constants, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { NotaryError } from '../../shared/errors.ts';
import { canonicalJson } from './canonical-json.ts';
import { tufKeyId, publicKeyOf } from './key-id.ts';
import type { RoleKeys, Signed, SignedCommon, TufKey, TufSignature } from './types.ts';

/** DER SPKI header of an Ed25519 public key (RFC 8410); the raw 32 bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const CURVE_BYTES: Readonly<Record<string, number>> = { prime256v1: 32, secp384r1: 48, secp521r1: 66 };

/** Whether `sig` is a valid signature of `message` by `key` with its method; false for a method that does not fit the key type. */
export function verifyTufSignature(key: TufKey, sig: TufSignature, message: Uint8Array): boolean {
  try {
    switch (sig.method) {
      case 'ecdsa': {
        if (key.keytype !== 'ecdsa' && key.keytype !== 'ecdsa-x509') return false;
        const pub = publicKeyOf(key);
        const size = CURVE_BYTES[pub.asymmetricKeyDetails?.namedCurve ?? ''];
        if (pub.asymmetricKeyType !== 'ec' || size === undefined || sig.sig.length !== 2 * size) return false;
        return nodeVerify('sha256', message, { key: pub, dsaEncoding: 'ieee-p1363' }, sig.sig);
      }
      case 'eddsa': {
        if (key.keytype !== 'ed25519') return false;
        const pub = Buffer.from(key.public, 'base64');
        if (pub.length !== 32 || sig.sig.length !== 64) return false;
        // OpenSSL, like Go's crypto/ed25519 that notary verifies with: cofactorless, S < L, canonical encodings.
        return nodeVerify(null, message, createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, pub]), format: 'der', type: 'spki' }), sig.sig);
      }
      case 'rsapss':
      case 'rsapkcs1v15': {
        if (key.keytype !== 'rsa' && key.keytype !== 'rsa-x509') return false;
        const pub = publicKeyOf(key);
        if (pub.asymmetricKeyType !== 'rsa' || (pub.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return false;
        const pss = sig.method === 'rsapss';
        return nodeVerify(
          'sha256',
          message,
          pss ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key: pub, padding: constants.RSA_PKCS1_PADDING },
          sig.sig,
        );
      }
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/**
 * The number of distinct keys among `role.keyids` (looked up in `keys`) with a valid signature on `doc`.
 * Signatures by unlisted key ids are skipped, invalid ones ignored; a listed key whose computed id differs
 * from the signature's keyid throws TRUST_DATA_INVALID (notary `ErrInvalidKeyID`).
 */
export function countValidSignatures(doc: Signed<SignedCommon>, roleName: string, role: RoleKeys, keys: ReadonlyMap<string, TufKey>): number {
  const message = canonicalJson(doc.signedValue);
  const valid = new Set<string>();
  for (const sig of doc.signatures) {
    if (!role.keyids.includes(sig.keyid)) continue;
    const key = keys.get(sig.keyid);
    if (key === undefined) continue;
    if (tufKeyId(key) !== sig.keyid) throw new NotaryError('TRUST_DATA_INVALID', `${roleName}: key ${sig.keyid} does not have that id`);
    if (verifyTufSignature(key, sig, message)) valid.add(sig.keyid);
  }
  return valid.size;
}

/** Throws TRUST_DATA_INVALID naming `roleName` unless a threshold (at least 1) of `role`'s keys validly signed `doc`. */
export function verifyThreshold(doc: Signed<SignedCommon>, roleName: string, role: RoleKeys, keys: ReadonlyMap<string, TufKey>): void {
  if (role.threshold < 1) throw new NotaryError('TRUST_DATA_INVALID', `${roleName} has a threshold below 1`);
  const count = countValidSignatures(doc, roleName, role, keys);
  if (count < role.threshold) {
    throw new NotaryError('TRUST_DATA_INVALID', `${roleName}: ${count} valid signature(s), threshold is ${role.threshold}`);
  }
}
