/**
 * The key store interface: named signing keys (ours, with an encrypted private part) and trusted public
 * keys (someone else's), each trusted for the repositories its scopes match. The file implementation is
 * FileKeyStore; use cases depend on this interface only.
 */
import type { KeyAlgorithm, PublicKey } from '../format/index.ts';
import type { Signer } from '../format/index.ts';

/** A key as the store index (keys.json) records it. */
export interface KeyEntry {
  /** The key's name, docker-style: `^[a-z0-9][a-z0-9_-]*$`, at most 100 characters. */
  readonly name: string;
  /** Lowercase hex SHA-256 of the SPKI DER (spkiKeyId). */
  readonly id: string;
  readonly type: KeyAlgorithm;
  /** When the key was created or imported, ISO 8601 UTC. */
  readonly created: string;
  /** Repository globs (format/scope-glob.ts) the key is trusted for when verifying. */
  readonly scopes: readonly string[];
  /** True when the store holds the encrypted private key (a key we sign with); false for imported public keys. */
  readonly private: boolean;
  /** When the key was revoked, ISO 8601 UTC; a revoked key is never trusted again. Absent while it is live. */
  readonly revoked?: string;
  /** The id of the key that replaced this one when it was rotated (its name is then `<name>.<12 hex of id>`). */
  readonly retiredBy?: string;
}

/** Options for trustedFor. */
export interface TrustedForOptions {
  /** Also return revoked keys (their `entry.revoked` set), so a caller can refuse and say why; default false. */
  readonly includeRevoked?: boolean;
}

/** The outcome of rotate: the retired key and its replacement. */
export interface Rotation {
  /** The old key, renamed `<name>.<12 hex of its id>`, revoked, with `retiredBy` the new key's id. */
  readonly old: KeyEntry;
  /** The new Ed25519 key under the old name, with the old key's scopes. */
  readonly current: KeyEntry;
}

/** One image signed with a key, as recordSigned is told it. */
export interface SigningEvent {
  /** Fully qualified repository, e.g. 'registry.example/team/app'. */
  readonly repository: string;
  readonly tag?: string;
  /** The manifest digest that was signed, e.g. 'sha256:…'. */
  readonly digest: string;
  /** When it was signed. */
  readonly at: Date | string;
  /** The `timestamp` claim the signature carries (unix seconds), when it has one: what a re-signature must keep. */
  readonly timestamp?: number;
}

/** A signing log record: the event with the signing key's id and the time as ISO 8601 UTC. */
export interface SignedRecord extends Omit<SigningEvent, 'at'> {
  readonly keyId: string;
  readonly at: string;
}

/** A key trusted for a repository: its index entry and its public key, ready for verifyCosignSignature. */
export interface TrustedKeyEntry {
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
  /** Generates an Ed25519 key, stores it encrypted under `passphrase` (PASSPHRASE_REQUIRED if under 8 characters), returns its entry. */
  create(name: string, passphrase: string, options?: AddKeyOptions): Promise<KeyEntry>;
  /** As create, also returning a Signer for the new key (made from the key in hand, without decrypting it again). */
  createSigning(name: string, passphrase: string, options?: AddKeyOptions): Promise<{ entry: KeyEntry; signer: Signer }>;
  /**
   * As createSigning, except that a key another process created meanwhile under `name` is used instead (decrypted
   * with `passphrase`): decided under the store lock, so concurrent first uses all end up with the same key.
   */
  createOrOpenSigning(name: string, passphrase: string, options?: AddKeyOptions): Promise<{ entry: KeyEntry; signer: Signer; created: boolean }>;
  /**
   * Imports a private key PEM (PKCS#8, SEC1 P-256, encrypted PKCS#8 as Docker Content Trust writes it, or
   * cosign's encrypted key) decrypted with `filePassphrase`, stored re-encrypted under `storePassphrase`.
   */
  loadPrivate(name: string, pem: string, filePassphrase: string | undefined, storePassphrase: string, options?: AddKeyOptions): Promise<KeyEntry>;
  /** Trusts someone else's public key (SPKI PEM, Ed25519 or ECDSA P-256) under `name`; it has no private part. */
  importPublic(name: string, pem: string, options?: AddKeyOptions): Promise<KeyEntry>;
  /** Whether a key called `name` exists. */
  has(name: string): Promise<boolean>;
  /** The entry of key `name`. */
  get(name: string): Promise<KeyEntry>;
  /** Every entry, sorted by name, revoked and retired keys included. */
  list(): Promise<KeyEntry[]>;
  /** Marks `name` revoked (no change when it already is); it is never trusted again. */
  revoke(name: string): Promise<KeyEntry>;
  /** Deletes `name`: its entry and its key files. */
  remove(name: string): Promise<void>;
  /** Replaces private key `name` with a new Ed25519 key under `newPassphrase`; the old one is retired and revoked. */
  rotate(name: string, oldPassphrase: string, newPassphrase: string): Promise<Rotation>;
  /** The private key of `name` as an `ENCRYPTED COSIGN PRIVATE KEY` PEM (scrypt N=2^15) under `exportPassphrase`. */
  exportCosign(name: string, storePassphrase: string, exportPassphrase: string): Promise<string>;
  /** Appends to the signing log that key `name` signed `event` (the newest 10000 records are kept). */
  recordSigned(name: string, event: SigningEvent): Promise<SignedRecord>;
  /** The signing log records of key `name` (by its id, so a retired key keeps its history), oldest first. */
  signedBy(name: string): Promise<SignedRecord[]>;
  /** The SPKI PEM public key of `name`, for cosign, podman or another trustext to import. */
  publicKeyPem(name: string): Promise<string>;
  /** A Signer for key `name`: decrypts its private key (PASSPHRASE_WRONG on a bad passphrase; KEY_NOT_FOUND without one; KEY_INVALID when revoked). */
  signer(name: string, passphrase: string): Promise<Signer>;
  /** Adds a repository glob to the scopes of `name` (no change if present) and returns the updated entry. */
  addScope(name: string, glob: string): Promise<KeyEntry>;
  /** The keys whose scopes match the fully qualified `repository` (e.g. 'docker.io/library/busybox'), live ones only unless asked. */
  trustedFor(repository: string, options?: TrustedForOptions): Promise<TrustedKeyEntry[]>;
}
