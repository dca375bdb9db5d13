/**
 * Ed25519 as cosign's verifiers use it: PURE Ed25519 (RFC 8032 §5.1) over the raw payload bytes, never
 * Ed25519ph (sigstore/sigstore pkg/signature/ed25519.go, containers/image signature/sigstore), keys as RFC 8410 SPKI and PKCS#8. Signing through node:crypto (OpenSSL; RFC 8032 signatures are
 * deterministic, so the bytes are the same), verification by OpenSSL after a strict point check by @noble/ed25519.
 * Pure; the only shared state is noble's `hashes.sha512` slot, filled lazily (never at import time).
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import type { PublicKey } from './public-key.ts';
import { KeyError } from '../../shared/errors.ts';

/** The fixed SPKI header of every Ed25519 public key (RFC 8410 §4): SEQUENCE, AlgorithmIdentifier id-Ed25519, BIT STRING. */
export const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The fixed PKCS#8 v1 header of an Ed25519 private key (RFC 8410 §7) followed by the 32-byte seed. */
export const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 key pair: the 32-byte private seed (RFC 8032 §5.1.5) and the 32-byte public key. */
export interface Ed25519KeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** noble's sync API needs a SHA-512; set it on first use instead of at import time. */
function noble(): typeof ed {
  if (!ed.hashes.sha512) ed.hashes.sha512 = sha512;
  return ed;
}

/** A fresh random Ed25519 key pair (seed from the platform CSPRNG). */
export function generateEd25519(): Ed25519KeyPair {
  const { secretKey, publicKey } = noble().keygen();
  return { privateKey: secretKey, publicKey };
}

/** node:crypto's private KeyObject for a seed: OpenSSL signs without noble's ~30 ms one-time base-point table. */
function privateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, checkSeed(seed)]), format: 'der', type: 'pkcs8' });
}

/** The public key for a 32-byte seed. */
export function ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return Uint8Array.from(spki.subarray(ED25519_SPKI_PREFIX.length));
}

/** The 64-byte pure Ed25519 signature of `payload` (no prehash), deterministic per RFC 8032 (so OpenSSL's equals noble's). */
export function signEd25519(seed: Uint8Array, payload: Uint8Array): Uint8Array {
  return Uint8Array.from(nodeSign(null, payload, privateKeyObject(seed)));
}

/**
 * Whether `signature` is a valid pure Ed25519 signature of `payload` under the 32 raw `publicKey` bytes,
 * with RFC 8032 strictness (noble `zip215: false`): S must be < L, points canonically encoded, and
 * small-order public keys are refused. Never throws: any malformed input is `false`.
 */
export function verifyEd25519(publicKey: Uint8Array, payload: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    // noble decodes the key strictly (canonical, not of small order); OpenSSL then checks S < L and the
    // cofactorless equation against the exact R bytes, without noble's ~30 ms one-time base-point table.
    if (!isEd25519Point(publicKey)) return false;
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    return nodeVerify(null, payload, key, signature);
  } catch {
    return false;
  }
}

/** Whether 32 bytes are a canonical encoding of a point on the curve that is not of small order. */
export function isEd25519Point(raw: Uint8Array): boolean {
  try {
    return raw.length === 32 && !ed.Point.fromBytes(raw, false).isSmallOrder();
  } catch {
    return false;
  }
}

/** The Ed25519 PublicKey (SPKI) for 32 raw public key bytes. */
export function ed25519PublicKey(raw: Uint8Array): PublicKey {
  if (raw.length !== 32) throw new KeyError('KEY_INVALID', `an ed25519 public key is 32 bytes, got ${raw.length}`);
  return { type: 'ed25519', spki: Buffer.concat([ED25519_SPKI_PREFIX, raw]) };
}

/** The 32 raw bytes of an Ed25519 SPKI, or undefined when `spki` is not exactly the RFC 8410 encoding. */
export function ed25519RawFromSpki(spki: Uint8Array): Uint8Array | undefined {
  if (spki.length !== ED25519_SPKI_PREFIX.length + 32) return undefined;
  if (!ED25519_SPKI_PREFIX.equals(spki.subarray(0, ED25519_SPKI_PREFIX.length))) return undefined;
  return spki.subarray(ED25519_SPKI_PREFIX.length);
}

/** The PKCS#8 DER of an Ed25519 seed, byte-identical to Go's x509.MarshalPKCS8PrivateKey and OpenSSL. */
export function ed25519SeedToPkcs8(seed: Uint8Array): Buffer {
  return Buffer.concat([ED25519_PKCS8_PREFIX, checkSeed(seed)]);
}

/** The seed in an RFC 8410 PKCS#8 v1 Ed25519 key (the fixed 48-byte form), or undefined for anything else. */
export function ed25519SeedFromPkcs8(der: Uint8Array): Uint8Array | undefined {
  if (der.length !== ED25519_PKCS8_PREFIX.length + 32) return undefined;
  if (!ED25519_PKCS8_PREFIX.equals(der.subarray(0, ED25519_PKCS8_PREFIX.length))) return undefined;
  return Uint8Array.from(der.subarray(ED25519_PKCS8_PREFIX.length));
}

function checkSeed(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new KeyError('KEY_INVALID', `an ed25519 private key seed is 32 bytes, got ${seed.length}`);
  return seed;
}
