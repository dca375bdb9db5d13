/**
 * The KeyStore on a private directory (keys-dir.ts says where): keys.json plus `<name>.key` (cosign
 * encrypted PEM) and `<name>.pub` (SPKI PEM), all 0600 in a 0700 directory, every write atomic and
 * transactional (store-updates.ts). Reads take no lock: keys.json is only ever replaced whole.
 * Passphrases never appear in errors.
 */
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import { ed25519PublicKey, ed25519SeedToPkcs8, generateEd25519 } from '../format/ed25519.ts';
import { decryptPrivateKey, encryptPrivateKey } from '../format/encrypted-key.ts';
import { privateKeyFromPkcs8 } from '../format/private-key.ts';
import { keyId, publicKeyFromPem, publicKeyToPem, type PublicKey } from '../format/public-key.ts';
import { matchScope, validateScope } from '../format/scope-glob.ts';
import { createSigner, type Signer } from '../format/signatures.ts';
import type { AddKeyOptions, KeyEntry, KeyStore, TrustedKey } from './key-store.ts';
import { checkKeyName, INDEX_FILE, readIndex } from './store-index.ts';
import { errorCode, readFileLimited, writeFileAtomic, type AtomicWriter } from './store-files.ts';
import type { LockOptions } from './store-lock.ts';
import { addKey, keyExists, keyNotFound, updateKey, type StoreIo } from './store-updates.ts';

/** Injected clock and I/O seams; the defaults are the real ones. */
export interface FileKeyStoreOptions {
  readonly now?: () => Date;
  readonly write?: AtomicWriter;
  readonly lock?: LockOptions;
}

/** A KeyStore in directory `dir`, created (0700) on the first write; the constructor touches nothing. */
export class FileKeyStore implements KeyStore {
  readonly dir: string;
  readonly #now: () => Date;
  readonly #io: StoreIo;

  constructor(dir: string, options: FileKeyStoreOptions = {}) {
    this.dir = dir;
    this.#now = options.now ?? (() => new Date());
    this.#io = { dir, write: options.write ?? writeFileAtomic, lock: options.lock ?? {} };
  }

  async create(name: string, passphrase: string, options: AddKeyOptions = {}): Promise<KeyEntry> {
    const scopes = checkNew(name, options);
    if (passphrase === '') throw new KeyError('PASSPHRASE_REQUIRED', `a passphrase is required to create key "${name}"`);
    if (await this.has(name)) throw keyExists(name);
    const { privateKey: seed, publicKey: raw } = generateEd25519();
    const pkcs8 = ed25519SeedToPkcs8(seed);
    const encrypted = await encryptPrivateKey(pkcs8, passphrase);
    seed.fill(0);
    pkcs8.fill(0);
    const publicKey = ed25519PublicKey(raw);
    const files = [[`${name}.key`, encrypted], [`${name}.pub`, publicKeyToPem(publicKey)]] as const;
    return addKey(this.#io, this.#entry(name, publicKey, scopes, true), files);
  }

  async importPublic(name: string, pem: string, options: AddKeyOptions = {}): Promise<KeyEntry> {
    const scopes = checkNew(name, options);
    const publicKey = publicKeyFromPem(pem);
    return addKey(this.#io, this.#entry(name, publicKey, scopes, false), [[`${name}.pub`, publicKeyToPem(publicKey)]]);
  }

  async has(name: string): Promise<boolean> {
    checkKeyName(name);
    return (await readIndex(this.dir)).entries.some((e) => e.name === name);
  }

  async get(name: string): Promise<KeyEntry> {
    checkKeyName(name);
    const entry = (await readIndex(this.dir)).entries.find((e) => e.name === name);
    if (!entry) throw keyNotFound(name, this.dir);
    return entry;
  }

  async list(): Promise<KeyEntry[]> {
    return [...(await readIndex(this.dir)).entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async publicKeyPem(name: string): Promise<string> {
    return publicKeyToPem(await this.#publicKey(await this.get(name)));
  }

  async signer(name: string, passphrase: string): Promise<Signer> {
    const entry = await this.get(name);
    if (!entry.private) throw new KeyError('KEY_NOT_FOUND', `key "${name}" is a trusted public key without a private key; it cannot sign`);
    const pkcs8 = await decryptPrivateKey(await this.#read(`${name}.key`), passphrase);
    const signer = createSigner(privateKeyFromPkcs8(pkcs8));
    pkcs8.fill(0);
    if (signer.keyId !== entry.id) throw new KeyError('KEY_INVALID', `the private key file of "${name}" does not match its id in ${INDEX_FILE}`);
    return signer;
  }

  async addScope(name: string, glob: string): Promise<KeyEntry> {
    checkKeyName(name);
    validateScope(glob);
    return updateKey(this.#io, name, (e) => (e.scopes.includes(glob) ? e : { ...e, scopes: [...e.scopes, glob] }));
  }

  async trustedFor(repository: string): Promise<TrustedKey[]> {
    const entries = (await this.list()).filter((e) => e.scopes.some((glob) => matchScope(glob, repository)));
    return Promise.all(entries.map(async (entry) => ({ entry, publicKey: await this.#publicKey(entry) })));
  }

  #entry(name: string, publicKey: PublicKey, scopes: string[], isPrivate: boolean): KeyEntry {
    return { name, id: keyId(publicKey), type: publicKey.type, created: this.#now().toISOString(), scopes, private: isPrivate };
  }

  /** The public key of `entry` from its .pub file, checked against the id the index recorded. */
  async #publicKey(entry: KeyEntry): Promise<PublicKey> {
    const publicKey = publicKeyFromPem(await this.#read(`${entry.name}.pub`));
    if (keyId(publicKey) !== entry.id) throw new KeyError('KEY_INVALID', `the public key file of "${entry.name}" does not match its id in ${INDEX_FILE}`);
    return publicKey;
  }

  async #read(file: string): Promise<string> {
    const path = join(this.dir, file);
    try {
      return await readFileLimited(path);
    } catch (err) {
      const code = errorCode(err);
      throw new KeyError(code === 'ENOENT' ? 'KEY_NOT_FOUND' : 'KEYSTORE_FAILED', `cannot read ${path}: ${code}`, { cause: err });
    }
  }
}

/** The deduplicated, validated scopes of a key about to be added under a valid `name`. */
function checkNew(name: string, options: AddKeyOptions): string[] {
  checkKeyName(name);
  return [...new Set((options.scopes ?? []).map(validateScope))];
}
