/**
 * Public keys as cosign, sigstore and containers/image exchange them: a PEM `PUBLIC KEY` block holding a
 * DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), read by Go's x509.ParsePKIXPublicKey through
 * sigstore's cryptoutils.UnmarshalPEMToPublicKey. Ed25519 (RFC 8410) and ECDSA P-256 only. Pure.
 * (sigstore/sigstore pkg/cryptoutils: a node:crypto Ed25519 SPKI parses with x509.ParsePKIXPublicKey.)
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { KeyError } from '../../shared/errors.ts';
import { decodePem, encodePem } from '../../encoding/index.ts';
import { ed25519RawFromSpki, isEd25519Point } from './ed25519.ts';

/** The key algorithms trustext signs and verifies with. */
export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256';

/** A public key: its algorithm and its canonical DER SubjectPublicKeyInfo. */
export interface PublicKey {
  readonly type: KeyAlgorithm;
  readonly spki: Buffer;
}

/** The PEM `PUBLIC KEY` text of a public key, as `cosign public-key` writes it. */
export function publicKeyToPem(pk: PublicKey): string {
  return encodePem('PUBLIC KEY', pk.spki);
}

/**
 * The public key in a PEM `PUBLIC KEY` (SPKI) text. Ed25519 and ECDSA P-256 keys are accepted and
 * re-encoded canonically (uncompressed P-256 point, as Go marshals it); RSA, other curves, `RSA PUBLIC KEY`
 * and private-key blocks are KeyError KEY_INVALID naming what was found.
 */
export function publicKeyFromPem(text: string): PublicKey {
  const block = decodePem(text);
  if (block.type !== 'PUBLIC KEY') throw new KeyError('KEY_INVALID', `expected a PEM "PUBLIC KEY" block, found "${block.type}"`);
  return publicKeyFromSpki(block.body);
}

/** The public key in DER SPKI bytes; the same rules as publicKeyFromPem. */
export function publicKeyFromSpki(der: Uint8Array): PublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new KeyError('KEY_INVALID', 'not a DER SubjectPublicKeyInfo', { cause });
  }
  return publicKeyFromKeyObject(key);
}

/** The PublicKey of a node:crypto public (or private) KeyObject; KEY_INVALID unless Ed25519 or P-256. */
export function publicKeyFromKeyObject(key: KeyObject): PublicKey {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const kind = pub.asymmetricKeyType;
  if (kind === 'ed25519') {
    const spki = pub.export({ format: 'der', type: 'spki' });
    const raw = ed25519RawFromSpki(spki);
    if (!raw || !isEd25519Point(raw)) throw new KeyError('KEY_INVALID', 'malformed ed25519 public key: not a valid curve point');
    return { type: 'ed25519', spki };
  }
  if (kind === 'ec') {
    const curve = pub.asymmetricKeyDetails?.namedCurve ?? 'unknown curve';
    if (curve !== 'prime256v1') throw new KeyError('KEY_INVALID', `unsupported public key: ecdsa ${curve} (only P-256 and ed25519)`);
    return { type: 'ecdsa-p256', spki: pub.export({ format: 'der', type: 'spki' }) };
  }
  throw new KeyError('KEY_INVALID', `unsupported public key: ${kind ?? 'unknown type'} (only ecdsa P-256 and ed25519)`);
}

/** The key id: lowercase hex SHA-256 of the canonical SPKI DER, stable across PEM re-wrapping. */
export function spkiKeyId(pk: PublicKey): string {
  return createHash('sha256').update(pk.spki).digest('hex');
}
