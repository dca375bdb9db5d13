/**
 * Keys for signing and verifying, in two tiers:
 *   - format/ (pure): Ed25519 and ECDSA P-256 keys as cosign, sigstore and containers/image exchange them,
 *     key ids, signing and strict synchronous verification over payload bytes, cosign's encrypted private
 *     key files, the repository-scope globs, and reading private key PEMs from cosign, Docker Content Trust
 *     (notary) and OpenSSL for import;
 *   - store/ (adapter): the KeyStore interface and FileKeyStore, a private directory holding keys.json,
 *     `<name>.key` and `<name>.pub` (retired keys as `<name>.<12 hex of id>.*`) and the signing log signed.json;
 *     revocation, rotation and cosign export.
 * Nothing runs at import time. Every failure is a KeyError (shared/errors.ts) with a stable code.
 */
export * from './format/index.ts';
export * from './store/index.ts';
