/**
 * Private keys in PKCS#8 DER (RFC 5208/5958), the plaintext inside cosign's encrypted key files
 * (sigstore/cosign pkg/cosign/keys.go). trustext signs with Ed25519 seeds and ECDSA P-256; cosign may also hold RSA or
 * P-384/P-521 keys, which are refused by name. Pure.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { KeyError } from '../../shared/errors.ts';
import { ed25519SeedFromPkcs8, ed25519SeedToPkcs8 } from './ed25519.ts';
import { p256PrivateKeyFromPkcs8 } from './ecdsa-p256.ts';

/** A private signing key: an Ed25519 32-byte seed, or an ECDSA P-256 key kept as its PKCS#8 DER. */
export type PrivateKey = { readonly type: 'ed25519'; readonly seed: Uint8Array } | { readonly type: 'ecdsa-p256'; readonly pkcs8: Uint8Array };

/**
 * The private key in PKCS#8 DER. The fixed RFC 8410 Ed25519 form is read directly; any other encoding
 * (PKCS#8 v2 with the public key, EC keys) goes through node:crypto. RSA, other curves and non-PKCS#8
 * input (e.g. SEC1 `EC PRIVATE KEY`) are KeyError KEY_INVALID naming what was found.
 */
export function privateKeyFromPkcs8(der: Uint8Array): PrivateKey {
  const seed = ed25519SeedFromPkcs8(der);
  if (seed) return { type: 'ed25519', seed };
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new KeyError('KEY_INVALID', 'the private key is not PKCS#8 DER', { cause });
  }
  if (key.asymmetricKeyType === 'ed25519') {
    const d = key.export({ format: 'jwk' }).d;
    if (!d) throw new KeyError('KEY_INVALID', 'malformed ed25519 private key');
    return { type: 'ed25519', seed: Uint8Array.from(Buffer.from(d, 'base64url')) };
  }
  if (key.asymmetricKeyType === 'ec') {
    const canonical = p256PrivateKeyFromPkcs8(der).export({ format: 'der', type: 'pkcs8' });
    return { type: 'ecdsa-p256', pkcs8: Uint8Array.from(canonical) };
  }
  throw new KeyError('KEY_INVALID', `unsupported private key: ${key.asymmetricKeyType ?? 'unknown type'} (only ecdsa P-256 and ed25519)`);
}

/** The PKCS#8 DER of a private key (the canonical 48-byte RFC 8410 form for Ed25519). */
export function privateKeyToPkcs8(key: PrivateKey): Uint8Array {
  return key.type === 'ed25519' ? Uint8Array.from(ed25519SeedToPkcs8(key.seed)) : key.pkcs8;
}
