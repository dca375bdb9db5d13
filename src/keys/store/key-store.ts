/**
 * The key store interface: named signing keys (ours, with an encrypted private part) and trusted public
 * keys (someone else's), each trusted for the repositories its scopes match. The file implementation is
 * FileKeyStore; use cases depend on this interface only.
 */
import type { KeyType, PublicKey } from '../format/public-key.ts';
import type { Signer } from '../format/signatures.ts';

/** A key as the store index (keys.json) records it. */
export interface KeyEntry {
  /** The key's name, docker-style: `^[a-z0-9][a-z0-9_-]*$`, at most 100 characters. */
  readonly name: string;
  /** Lowercase hex SHA-256 of the SPKI DER (keyId). */
  readonly id: string;
  readonly type: KeyType;
  /** When the key was created or imported, ISO 8601 UTC. */
  readonly created: string;
  /** Repository globs (format/scope-glob.ts) the key is trusted for when verifying. */
  readonly scopes: readonly string[];
  /** True when the store holds the encrypted private key (a key we sign with); false for imported public keys. */
  readonly private: boolean;
}

/** A key trusted for a repository: its index entry and its public key, ready for verifySignature. */
export interface TrustedKey {
  readonly entry: KeyEntry;
  readonly publicKey: PublicKey;
}

/** Options for keys added to the store. */
export interface AddKeyOptions {
  /** Repository globs the key is trusted for; default none (a key can sign without being trusted to verify). */
  readonly scopes?: readonly string[];
}

/**
 * Named keys and their trust scopes. Names that break the naming rule are KEY_INVALID, unknown names
 * KEY_NOT_FOUND, taken names (or an already imported key) KEY_EXISTS, storage failures KEYSTORE_FAILED.
 */
export interface KeyStore {
  /** Generates an Ed25519 key, stores it encrypted under `passphrase` (PASSPHRASE_REQUIRED if empty), returns its entry. */
  create(name: string, passphrase: string, options?: AddKeyOptions): Promise<KeyEntry>;
  /** Trusts someone else's public key (SPKI PEM, Ed25519 or ECDSA P-256) under `name`; it has no private part. */
  importPublic(name: string, pem: string, options?: AddKeyOptions): Promise<KeyEntry>;
  /** Whether a key called `name` exists. */
  has(name: string): Promise<boolean>;
  /** The entry of key `name`. */
  get(name: string): Promise<KeyEntry>;
  /** Every entry, sorted by name. */
  list(): Promise<KeyEntry[]>;
  /** The SPKI PEM public key of `name`, for cosign, podman or another trustext to import. */
  publicKeyPem(name: string): Promise<string>;
  /** A Signer for key `name`: decrypts its private key (PASSPHRASE_WRONG on a bad passphrase; KEY_NOT_FOUND without one). */
  signer(name: string, passphrase: string): Promise<Signer>;
  /** Adds a repository glob to the scopes of `name` (no change if present) and returns the updated entry. */
  addScope(name: string, glob: string): Promise<KeyEntry>;
  /** The keys whose scopes match the fully qualified `repository` (e.g. 'docker.io/library/busybox'). */
  trustedFor(repository: string): Promise<TrustedKey[]>;
}
