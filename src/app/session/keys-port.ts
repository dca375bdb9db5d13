import type { VerifyingKey } from '../../signature/index.ts';

/** A key as the store lists it. */
export interface KeyInfo {
  readonly name: string;
  readonly id: string;
  readonly type: string;
  readonly created: string;
  readonly scopes: readonly string[];
  /** True when the store holds the (encrypted) private key, i.e. it is one of ours. */
  readonly private: boolean;
  /** When the key was revoked (ISO time); its signatures never count again. */
  readonly revoked?: string;
  /** The id of the key that replaced this one on rotation. */
  readonly retiredBy?: string;
}

/** A key trusted for a repository, as a verifier, with whether it has been revoked (policy refuses those). */
export type RepositoryKey = VerifyingKey & { readonly revoked?: boolean };

/** The key operations the use cases need (implemented over src/keys' FileKeyStore in key-store.ts). */
export interface KeyStorePort {
  has(name: string): Promise<boolean>;
  get(name: string): Promise<KeyInfo>;
  create(name: string, passphrase: string, opts: { scopes: readonly string[] }): Promise<KeyInfo>;
  signer(name: string, passphrase: string): Promise<{ sign(payload: Uint8Array): Uint8Array }>;
  /**
   * Creates a key as `create` does and returns its signer too (no second decryption); when another process
   * created `name` meanwhile, that key is used (decrypted with `passphrase`) and `created` is false.
   */
  createOrOpenSigning(
    name: string,
    passphrase: string,
    opts: { scopes: readonly string[] },
  ): Promise<{ entry: KeyInfo; signer: { sign(payload: Uint8Array): Uint8Array }; created: boolean }>;
  isTrustedFor(name: string, repository: string): Promise<boolean>;
  addScope(name: string, glob: string): Promise<void>;
  /** Keys trusted for a fully qualified repository (revoked ones included and marked), as verifiers. */
  trustedKeys(repository: string): Promise<RepositoryKey[]>;
  exportPublic(name: string): Promise<string>;
  /** Every key in the store. */
  list(): Promise<KeyInfo[]>;
  /** Verifiers for the keys whose private half this store holds (our own signatures), whatever their scopes. */
  ownKeys(): Promise<VerifyingKey[]>;
  importPublic(name: string, pem: string, opts: { scopes: readonly string[] }): Promise<KeyInfo>;
  revoke(name: string): Promise<KeyInfo>;
  rotate(name: string, oldPassphrase: string, newPassphrase: string): Promise<{ old: KeyInfo; current: KeyInfo }>;
  loadPrivate(name: string, pem: string, filePassphrase: string | undefined, storePassphrase: string, opts: { scopes: readonly string[] }): Promise<KeyInfo>;
  exportCosign(name: string, storePassphrase: string, exportPassphrase: string): Promise<string>;
  recordSigned(name: string, event: { repository: string; tag?: string; digest: string; at: Date; timestamp?: number }): Promise<void>;
  signedBy(name: string): Promise<readonly { repository: string; tag?: string; digest: string; at: string; timestamp?: number }[]>;
}
