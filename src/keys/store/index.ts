/**
 * The key store adapter: the KeyStore interface, its file implementation (FileKeyStore) and the private
 * directory it keeps (where it lives is settings/' keysDir). Everything here touches the file system only when a
 * method is called.
 */
export type { AddKeyOptions, KeyEntry, KeyStore, Rotation, SignedRecord, SigningEvent, TrustedForOptions, TrustedKeyEntry } from './key-store.ts';
export { FileKeyStore, type FileKeyStoreOptions } from './file-key-store.ts';
export { INDEX_FILE, INDEX_VERSION, checkKeyName, checkStoredName, retiredName } from './store-index.ts';
export { MAX_SIGNED_RECORDS, SIGNED_FILE } from './signing-log.ts';
export { writeFileAtomic, type AtomicWriteOptions, type AtomicWriter } from './store-files.ts';
export { LOCK_FILE, type LockOptions } from './store-lock.ts';
export { NotaryKeyDir, type NotaryKeyInfo } from './notary-key-dir.ts';
export { MIN_PASSPHRASE_LENGTH } from './store-key-files.ts';
