/**
 * Signing and verifying payload bytes by key type, the way the cosign ecosystem does it: pure Ed25519
 * (never Ed25519ph) and ECDSA P-256 over SHA-256 with DER signatures (sigstore/sigstore pkg/signature, containers/image signature/sigstore).
 * Verification is pure and synchronous (house style convention 3): key, payload, signature in; boolean out.
 *
 * Decision on ECDSA encodings: only ASN.1 DER is accepted. sigstore/sigstore v1.4.2 (vendored by
 * containers/image v5.23) and cosign v2 accept only DER; sigstore HEAD also accepts IEEE-P1363 r||s. Taking
 * only the common subset keeps "trustext verifies it" implying "podman, skopeo and every cosign verify it
 * too"; a P1363 signature fails closed. Every known producer (cosign, c/image, KMS back ends via cosign)
 * writes DER, and so does signEcdsaP256.
 */
import { createPublicKey } from 'node:crypto';
import { ed25519PublicFromSeed, ed25519PublicKey, ed25519RawFromSpki, signEd25519, verifyEd25519 } from './ed25519.ts';
import { p256PrivateKeyFromPkcs8, signEcdsaP256, verifyEcdsaP256 } from './ecdsa-p256.ts';
import type { PrivateKey } from './private-key.ts';
import { spkiKeyId, publicKeyFromKeyObject, type PublicKey } from './public-key.ts';

/** Signs payloads with one private key; `keyId` and `publicKey` identify the key that verifies them. */
export interface Signer {
  readonly keyId: string;
  readonly publicKey: PublicKey;
  /** The raw signature of `payload` (64 bytes for Ed25519, DER for ECDSA); base64 it for the cosign annotation. */
  sign(payload: Uint8Array): Uint8Array;
}

/** A Signer for a private key; the key material stays in the closure and is never exposed. */
export function createSigner(key: PrivateKey): Signer {
  if (key.type === 'ed25519') {
    const seed = Uint8Array.from(key.seed);
    const publicKey = ed25519PublicKey(ed25519PublicFromSeed(seed));
    return { keyId: spkiKeyId(publicKey), publicKey, sign: (payload) => signEd25519(seed, payload) };
  }
  const privateKey = p256PrivateKeyFromPkcs8(key.pkcs8);
  const publicKey = publicKeyFromKeyObject(createPublicKey(privateKey));
  return { keyId: spkiKeyId(publicKey), publicKey, sign: (payload) => Uint8Array.from(signEcdsaP256(privateKey, payload)) };
}

/**
 * Whether `signature` is valid for `payload` under `pk`: pure Ed25519 with RFC 8032 strictness, or ECDSA
 * P-256 over SHA-256 with a DER signature. Never throws; malformed keys or signatures are `false`.
 */
export function verifyCosignSignature(pk: PublicKey, payload: Uint8Array, signature: Uint8Array): boolean {
  switch (pk.type) {
    case 'ed25519': {
      const raw = ed25519RawFromSpki(pk.spki);
      return raw !== undefined && verifyEd25519(raw, payload, signature);
    }
    case 'ecdsa-p256':
      return verifyEcdsaP256(pk.spki, payload, signature);
    default:
      return false;
  }
}
