import type { TrustedKey } from '../signature/index.ts';

/** A key as the store lists it. */
export interface KeyInfo {
  readonly name: string;
  readonly id: string;
  readonly type: string;
  readonly created: string;
  readonly scopes: readonly string[];
  /** True when the store holds the (encrypted) private key, i.e. it is one of ours. */
  readonly private: boolean;
}

/** The key operations the use cases need (implemented over src/keys' FileKeyStore in key-store.ts). */
export interface KeyStorePort {
  has(name: string): Promise<boolean>;
  get(name: string): Promise<KeyInfo>;
  create(name: string, passphrase: string, opts: { scopes: readonly string[] }): Promise<KeyInfo>;
  signer(name: string, passphrase: string): Promise<{ sign(payload: Uint8Array): Uint8Array }>;
  isTrustedFor(name: string, repository: string): Promise<boolean>;
  addScope(name: string, glob: string): Promise<void>;
  /** Keys trusted for a fully qualified repository, as verifiers. */
  trustedKeys(repository: string): Promise<TrustedKey[]>;
  exportPublic(name: string): Promise<string>;
  /** Every key in the store. */
  list(): Promise<KeyInfo[]>;
  /** Verifiers for the keys whose private half this store holds (our own signatures), whatever their scopes. */
  ownKeys(): Promise<TrustedKey[]>;
  importPublic(name: string, pem: string, opts: { scopes: readonly string[] }): Promise<KeyInfo>;
}
