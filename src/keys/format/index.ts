/**
 * Key formats, pure (no file system, network or environment): Ed25519 and ECDSA P-256 keys as cosign,
 * sigstore and containers/image exchange them (sigstore/cosign pkg/cosign, sigstore/sigstore pkg/signature, containers/image signature/sigstore), key ids, signing and
 * strict synchronous verification over payload bytes, cosign's encrypted private key files, and the
 * repository-scope globs of the key store. Every failure is a KeyError with a stable code.
 */
export {
  generateEd25519,
  signEd25519,
  verifyEd25519,
  ed25519PublicKey,
  ed25519SeedToPkcs8,
  ed25519SeedFromPkcs8,
  ed25519RawFromSpki,
  type Ed25519KeyPair,
} from './ed25519.ts';
export { p256PrivateKeyFromPkcs8, signEcdsaP256, verifyEcdsaP256 } from './ecdsa-p256.ts';
export {
  spkiKeyId,
  publicKeyFromPem,
  publicKeyFromSpki,
  publicKeyToPem,
  type KeyAlgorithm,
  type PublicKey,
} from './public-key.ts';
export { privateKeyFromPkcs8, privateKeyToPkcs8, type PrivateKey } from './private-key.ts';
export { privateKeyFromPem, notaryKeyFileHeaders, IMPORTABLE_PRIVATE_KEY_PEM_TYPES } from './private-key-pem.ts';
export { createSigner, verifyCosignSignature, type Signer } from './signatures.ts';
export {
  decryptPrivateKey,
  encryptPrivateKey,
  COSIGN_PRIVATE_KEY_PEM_TYPE,
  SIGSTORE_PRIVATE_KEY_PEM_TYPE,
  type Passphrase,
  type ScryptN,
} from './encrypted-key.ts';
/** encodeNotaryKeyFile, loaded on demand: asn1js would cost every command's start-up. */
export const loadNotaryKeyFile = () => import('./notary-key-file.ts');
export { matchScope, scopeProblem, validateScope } from './scope-glob.ts';
