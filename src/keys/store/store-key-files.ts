/**
 * The key files of one entry: `<name>.pub` (SPKI PEM) and `<name>.key` (cosign encrypted PKCS#8, always
 * `ENCRYPTED COSIGN PRIVATE KEY` with scrypt N=2^15 whatever the key was imported from). Reading checks
 * each file against the id keys.json recorded, so a swapped file is KEY_INVALID rather than a wrong key.
 */
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import { decryptPrivateKey, encryptPrivateKey } from '../format/index.ts';
import { privateKeyFromPkcs8, privateKeyToPkcs8, type PrivateKey } from '../format/index.ts';
import { spkiKeyId, publicKeyFromPem, publicKeyToPem, type PublicKey } from '../format/index.ts';
import { createSigner, type Signer } from '../format/index.ts';
import type { KeyEntry } from './key-store.ts';
import { INDEX_FILE } from './store-index.ts';
import { errorCode, readFileLimited } from './store-files.ts';

/** The contents of a new private key's two files, and its public key. */
export interface PrivateKeyFiles {
  readonly keyFile: string;
  readonly pubFile: string;
  readonly publicKey: PublicKey;
}

/** The files that store `key` encrypted under `passphrase` (PASSPHRASE_REQUIRED when shorter than MIN_PASSPHRASE_LENGTH). */
export async function privateKeyFiles(key: PrivateKey, passphrase: string, name: string): Promise<PrivateKeyFiles> {
  requireNewPassphrase(passphrase, name);
  const { publicKey } = createSigner(key);
  const pkcs8 = privateKeyToPkcs8(key);
  try {
    return { keyFile: await encryptPrivateKey(pkcs8, passphrase), pubFile: publicKeyToPem(publicKey), publicKey };
  } finally {
    pkcs8.fill(0);
  }
}

/** The cosign PEM of `key` under `passphrase` with scrypt N=2^15, the one c/image v5.23 (go-tuf v0.5.1) can open (sigstore/cosign pkg/cosign/keys.go). */
export async function exportCosignPem({ key }: { key: PrivateKey }, passphrase: string): Promise<string> {
  const pkcs8 = privateKeyToPkcs8(key);
  try {
    return await encryptPrivateKey(pkcs8, passphrase, { N: 32768 });
  } finally {
    pkcs8.fill(0);
  }
}

/** The shortest passphrase a new key may be encrypted under, whichever way it was given (the prompt asks the same). */
export const MIN_PASSPHRASE_LENGTH = 8;

/** PASSPHRASE_REQUIRED for an empty passphrase protecting key `name`. */
export function requirePassphrase(passphrase: string, name: string): void {
  if (passphrase === '') throw new KeyError('PASSPHRASE_REQUIRED', `a passphrase is required to protect key "${name}"`);
}

/** PASSPHRASE_REQUIRED when a passphrase for new key `name` is empty or shorter than MIN_PASSPHRASE_LENGTH. */
export function requireNewPassphrase(passphrase: string, name: string): void {
  requirePassphrase(passphrase, name);
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new KeyError('PASSPHRASE_REQUIRED', `the passphrase for new key "${name}" is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
}

/** The public key of `entry` from its .pub file, checked against the id the index recorded. */
export async function readPublicKey(dir: string, entry: KeyEntry): Promise<PublicKey> {
  const publicKey = publicKeyFromPem(await readKeyFile(dir, `${entry.name}.pub`));
  if (spkiKeyId(publicKey) !== entry.id) throw new KeyError('KEY_INVALID', `the public key file of "${entry.name}" does not match its id in ${INDEX_FILE}`);
  return publicKey;
}

/**
 * The private key of `entry` decrypted with `passphrase`, with a Signer for it. KEY_NOT_FOUND for a public
 * key without a private part, PASSPHRASE_WRONG for a wrong passphrase, KEY_INVALID when the file does not
 * match the index id.
 */
export async function readPrivateKey(dir: string, entry: KeyEntry, passphrase: string): Promise<{ key: PrivateKey; signer: Signer }> {
  if (!entry.private) throw new KeyError('KEY_NOT_FOUND', `key "${entry.name}" is a trusted public key without a private key; it cannot sign`);
  const pkcs8 = await decryptPrivateKey(await readKeyFile(dir, `${entry.name}.key`), passphrase);
  const key = privateKeyFromPkcs8(pkcs8);
  pkcs8.fill(0);
  const signer = createSigner(key);
  if (signer.keyId !== entry.id) throw new KeyError('KEY_INVALID', `the private key file of "${entry.name}" does not match its id in ${INDEX_FILE}`);
  return { key, signer };
}

/** A store file's text; KEY_NOT_FOUND when it is missing, KEYSTORE_FAILED when unreadable. */
export async function readKeyFile(dir: string, file: string): Promise<string> {
  const path = join(dir, file);
  try {
    return await readFileLimited(path);
  } catch (err) {
    const code = errorCode(err);
    throw new KeyError(code === 'ENOENT' ? 'KEY_NOT_FOUND' : 'KEYSTORE_FAILED', `cannot read ${path}: ${code}`, { cause: err });
  }
}
