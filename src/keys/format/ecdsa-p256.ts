/**
 * ECDSA P-256 with SHA-256 as cosign signs with it: `ecdsa.SignASN1` over SHA-256(payload), signatures as
 * ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }` (sigstore/sigstore pkg/signature/ecdsa.go). node:crypto
 * (OpenSSL) does the arithmetic. Pure.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { KeyError } from '../../shared/errors.ts';

/** The P-256 private KeyObject in PKCS#8 DER; KeyError KEY_INVALID for anything else. */
export function p256PrivateKeyFromPkcs8(pkcs8: Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new KeyError('KEY_INVALID', 'not a PKCS#8 private key', { cause });
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new KeyError('KEY_INVALID', `expected an ecdsa P-256 private key, found ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''}`);
  }
  return key;
}

/** The ASN.1 DER ECDSA signature over SHA-256(payload) with a PKCS#8 P-256 key (randomised, as Go's). */
export function signEcdsaP256(pkcs8: Uint8Array | KeyObject, payload: Uint8Array): Uint8Array {
  const key = pkcs8 instanceof Uint8Array ? p256PrivateKeyFromPkcs8(pkcs8) : pkcs8;
  return sign('sha256', payload, { key, dsaEncoding: 'der' });
}

/**
 * Whether `signature` is a DER ECDSA signature over SHA-256(payload) under the P-256 key in `spki`.
 * DER only (see signatures.ts for why IEEE-P1363 r||s is refused); OpenSSL rejects non-minimal DER, as Go's
 * ecdsa.VerifyASN1 does. Never throws: a malformed key or signature is `false`.
 */
export function verifyEcdsaP256(spki: Uint8Array, payload: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false;
    return verify('sha256', payload, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
