/**
 * The KeyStore on a private directory (keys-dir.ts says where): keys.json plus `<name>.key` (cosign
 * encrypted PEM) and `<name>.pub` (SPKI PEM), all 0600 in a 0700 directory, every write atomic and
 * transactional (store-updates.ts, store-rotate.ts), and the signing log signed.json (signing-log.ts).
 * Reads take no lock (keys.json is only ever replaced whole), but wait for a change in progress, or finish one a
 * crashed process left (store-journal.ts), before reading. Passphrases never appear in errors.
 */
import { KeyError } from '../../shared/errors.ts';
import { generateEd25519 } from '../format/index.ts';
import { privateKeyFromPem } from '../format/index.ts';
import type { PrivateKey } from '../format/index.ts';
import { spkiKeyId, publicKeyFromPem, publicKeyToPem, type PublicKey } from '../format/index.ts';
import { matchScope, validateScope } from '../format/index.ts';
import { createSigner, type Signer } from '../format/index.ts';
import type { AddKeyOptions, KeyEntry, KeyStore, Rotation, SignedRecord, SigningEvent, TrustedForOptions, TrustedKeyEntry } from './key-store.ts';
import { appendSigningLog, readSigningLog, signedRecord } from './signing-log.ts';
import { checkKeyName, checkNew, checkStoredName, readIndex } from './store-index.ts';
import { writeFileAtomic, type AtomicWriter } from './store-files.ts';
import { exportCosignPem, privateKeyFiles, readPrivateKey, readPublicKey, requireNewPassphrase, requirePassphrase } from './store-key-files.ts';
import { settleStore, type LockOptions } from './store-lock.ts';
import { applyRotation } from './store-rotate.ts';
import { addKey, keyExists, keyNotFound, removeKey, updateKey, type StoreIo } from './store-updates.ts';

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
    return (await this.createSigning(name, passphrase, options)).entry;
  }

  async createSigning(name: string, passphrase: string, options: AddKeyOptions = {}): Promise<{ entry: KeyEntry; signer: Signer }> {
    const made = await this.#createSigning(name, passphrase, options, 'fail');
    return { entry: made.entry, signer: made.signer };
  }

  async createOrOpenSigning(name: string, passphrase: string, options: AddKeyOptions = {}): Promise<{ entry: KeyEntry; signer: Signer; created: boolean }> {
    const made = await this.#createSigning(name, passphrase, options, 'use');
    if (made.created) return made;
    // Another process created it first (under the store lock): sign with that key, which needs its passphrase.
    return { entry: made.entry, signer: await this.signer(name, passphrase), created: false };
  }

  async #createSigning(
    name: string,
    passphrase: string,
    options: AddKeyOptions,
    whenTaken: 'fail' | 'use',
  ): Promise<{ entry: KeyEntry; signer: Signer; created: boolean }> {
    const scopes = checkNew(name, options);
    requireNewPassphrase(passphrase, name);
    if (whenTaken === 'fail' && (await this.has(name))) throw keyExists(name);
    const { privateKey: seed } = generateEd25519();
    try {
      // The signer is made from the seed in hand: decrypting the file just written would cost a second scrypt.
      const signer = createSigner({ type: 'ed25519', seed });
      const { entry, added } = await this.#addPrivate(name, { type: 'ed25519', seed }, passphrase, scopes, whenTaken);
      return { entry, signer, created: added };
    } finally {
      seed.fill(0);
    }
  }

  async loadPrivate(name: string, pem: string, filePassphrase: string | undefined, storePassphrase: string, options: AddKeyOptions = {}): Promise<KeyEntry> {
    const scopes = checkNew(name, options);
    requireNewPassphrase(storePassphrase, name);
    if (await this.has(name)) throw keyExists(name);
    return (await this.#addPrivate(name, await privateKeyFromPem(pem, filePassphrase), storePassphrase, scopes, 'fail')).entry;
  }

  async importPublic(name: string, pem: string, options: AddKeyOptions = {}): Promise<KeyEntry> {
    const scopes = checkNew(name, options);
    const publicKey = publicKeyFromPem(pem);
    return (await addKey(this.#io, this.#entry(name, publicKey, scopes, false), [[`${name}.pub`, publicKeyToPem(publicKey)]])).entry;
  }

  async has(name: string): Promise<boolean> {
    checkStoredName(name);
    return (await this.#index()).entries.some((e) => e.name === name);
  }

  async get(name: string): Promise<KeyEntry> {
    checkStoredName(name);
    const entry = (await this.#index()).entries.find((e) => e.name === name);
    if (!entry) throw keyNotFound(name, this.dir);
    return entry;
  }

  async list(): Promise<KeyEntry[]> {
    return [...(await this.#index()).entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async publicKeyPem(name: string): Promise<string> {
    return publicKeyToPem(await readPublicKey(this.dir, await this.get(name)));
  }

  async signer(name: string, passphrase: string): Promise<Signer> {
    const entry = await this.get(name);
    if (entry.revoked) throw new KeyError('KEY_REVOKED', `key "${name}" was revoked at ${entry.revoked}; it must not sign again`);
    return (await readPrivateKey(this.dir, entry, passphrase)).signer;
  }

  async exportCosign(name: string, storePassphrase: string, exportPassphrase: string): Promise<string> {
    requirePassphrase(exportPassphrase, name);
    return exportCosignPem(await readPrivateKey(this.dir, await this.get(name), storePassphrase), exportPassphrase);
  }

  async addScope(name: string, glob: string): Promise<KeyEntry> {
    checkStoredName(name);
    validateScope(glob);
    return updateKey(this.#io, name, (e) => (e.scopes.includes(glob) ? e : { ...e, scopes: [...e.scopes, glob] }));
  }

  async revoke(name: string): Promise<KeyEntry> {
    checkStoredName(name);
    const at = this.#now().toISOString();
    return updateKey(this.#io, name, (e) => (e.revoked ? e : { ...e, revoked: at }));
  }

  async remove(name: string): Promise<void> {
    await removeKey(this.#io, checkStoredName(name));
  }

  async rotate(name: string, oldPassphrase: string, newPassphrase: string): Promise<Rotation> {
    checkKeyName(name);
    requireNewPassphrase(newPassphrase, name);
    const entry = await this.get(name);
    await readPrivateKey(this.dir, entry, oldPassphrase);
    const { privateKey: seed } = generateEd25519();
    const files = await privateKeyFiles({ type: 'ed25519', seed }, newPassphrase, name).finally(() => seed.fill(0));
    const current = this.#entry(name, files.publicKey, [...entry.scopes], true);
    return applyRotation(this.#io, { oldId: entry.id, current, keyFile: files.keyFile, pubFile: files.pubFile, now: current.created });
  }

  async trustedFor(repository: string, options: TrustedForOptions = {}): Promise<TrustedKeyEntry[]> {
    const live = (await this.list()).filter((e) => options.includeRevoked || e.revoked === undefined);
    const entries = live.filter((e) => e.scopes.some((glob) => matchScope(glob, repository)));
    return Promise.all(entries.map(async (entry) => ({ entry, publicKey: await readPublicKey(this.dir, entry) })));
  }

  async recordSigned(name: string, event: SigningEvent): Promise<SignedRecord> {
    const record = signedRecord((await this.get(name)).id, event);
    await appendSigningLog(this.#io, record);
    return record;
  }

  async signedBy(name: string): Promise<SignedRecord[]> {
    const { id } = await this.get(name);
    return (await readSigningLog(this.dir)).filter((r) => r.keyId === id);
  }

  async #addPrivate(
    name: string,
    key: PrivateKey,
    passphrase: string,
    scopes: string[],
    whenTaken: 'fail' | 'use',
  ): Promise<{ entry: KeyEntry; added: boolean }> {
    const files = await privateKeyFiles(key, passphrase, name);
    return addKey(
      this.#io,
      this.#entry(name, files.publicKey, scopes, true),
      [
        [`${name}.key`, files.keyFile],
        [`${name}.pub`, files.pubFile],
      ],
      whenTaken,
    );
  }

  /** Index reads after any change in progress (or left by a crash) has settled. */
  async #index() {
    await settleStore(this.dir, this.#io.lock);
    return readIndex(this.dir);
  }

  #entry(name: string, publicKey: PublicKey, scopes: string[], isPrivate: boolean): KeyEntry {
    return { name, id: spkiKeyId(publicKey), type: publicKey.type, created: this.#now().toISOString(), scopes, private: isPrivate };
  }
}
