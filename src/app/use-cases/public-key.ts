import { readFile } from 'node:fs/promises';
import { KeyError } from '../../shared/errors.ts';
import type { KeyInfo } from '../session/index.ts';
import type { Session } from '../session/index.ts';

/** Largest public key file we read. */
const MAX_KEY_FILE = 64 * 1024;

/** The SPKI PEM public key of a key in the store (ours or imported), for verifiers such as cosign or podman. */
export async function exportPublicKey(session: Session, name: string): Promise<string> {
  return (await session.keyStore()).exportPublic(name);
}

/**
 * Trusts someone else's public key (SPKI PEM, Ed25519 or ECDSA P-256, e.g. a cosign.pub) for the repositories
 * matching `scopes` (default: every repository).
 */
export async function importPublicKey(session: Session, file: string, name: string, scopes: readonly string[]): Promise<KeyInfo> {
  let pem: Buffer;
  try {
    pem = await readFile(file);
  } catch (err) {
    throw new KeyError('KEY_INVALID', `cannot read public key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (pem.length > MAX_KEY_FILE) throw new KeyError('KEY_INVALID', `public key file ${file} is larger than ${MAX_KEY_FILE} bytes`);
  return (await session.keyStore()).importPublic(name, pem.toString('utf8'), { scopes: scopes.length ? scopes : ['**'] });
}
