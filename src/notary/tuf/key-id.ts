/**
 * Key ids and public keys of notary KEYs (notaryproject/notary tuf/data/keys.go `TUFKey.ID`, tuf/utils/x509.go
 * `CanonicalKeyID`, `CertToKey`). Certificates are read with node:crypto's X509Certificate. Pure.
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { encodePem } from '../../encoding/index.ts';
import { canonicalJson } from './canonical-json.ts';
import { invalid } from './parse-fields.ts';
import type { TufKey } from './types.ts';

/** The notary key id: hex sha256 of canonical `{"keytype":…,"keyval":{"private":null,"public":…}}`. */
export function tufKeyId(key: TufKey): string {
  const doc = { keytype: key.keytype, keyval: { private: null, public: key.public } };
  return createHash('sha256').update(canonicalJson(doc)).digest('hex');
}

/**
 * The id docker shows and names key files by: for x509 keys the id of the certificate's public key as a bare
 * `ecdsa`/`rsa` key (SPKI DER), otherwise the plain key id.
 */
export function canonicalKeyId(key: TufKey): string {
  if (key.keytype !== 'ecdsa-x509' && key.keytype !== 'rsa-x509') return tufKeyId(key);
  const spki = certificateOf(key).publicKey.export({ type: 'spki', format: 'der' });
  return tufKeyId({ keytype: key.keytype === 'ecdsa-x509' ? 'ecdsa' : 'rsa', public: spki.toString('base64') });
}

/** The single certificate of an x509 KEY (base64 of a PEM); TRUST_DATA_INVALID for anything else. */
export function certificateOf(key: TufKey): X509Certificate {
  if (key.keytype !== 'ecdsa-x509' && key.keytype !== 'rsa-x509') invalid(`a ${key.keytype} key has no certificate`);
  const pem = Buffer.from(key.public, 'base64').toString('latin1');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----/g) ?? [];
  if (blocks.length !== 1) invalid(`an x509 key must hold exactly one certificate, found ${blocks.length}`);
  try {
    return new X509Certificate(pem);
  } catch (cause) {
    return invalid(`unreadable certificate in an x509 key: ${(cause as Error).message}`);
  }
}

/** The KEY notary re-derives from a certificate (`CertToKey`) to check root signatures: the Go-encoded PEM (`pem.EncodeToMemory`) of its DER. */
export function keyFromCertificate(cert: X509Certificate): TufKey {
  const keytype = cert.publicKey.asymmetricKeyType === 'rsa' ? 'rsa-x509' : 'ecdsa-x509';
  return { keytype, public: Buffer.from(encodePem('CERTIFICATE', cert.raw), 'latin1').toString('base64') };
}

/** The node:crypto public key of an ecdsa/rsa KEY (SPKI DER, or a certificate's key for x509 types). */
export function publicKeyOf(key: TufKey): KeyObject {
  if (key.keytype === 'ecdsa-x509' || key.keytype === 'rsa-x509') return certificateOf(key).publicKey;
  if (key.keytype === 'ed25519') invalid('an ed25519 key has no SPKI form here');
  try {
    return createPublicKey({ key: Buffer.from(key.public, 'base64'), format: 'der', type: 'spki' });
  } catch (cause) {
    return invalid(`unreadable ${key.keytype} public key: ${(cause as Error).message}`);
  }
}
