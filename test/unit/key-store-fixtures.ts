/**
 * What the key store tests share: store directories under a temporary root (made before a test file's tests,
 * removed after them) and Ed25519 public keys to import.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

/** Registers the hooks for a root named `prefix…` and returns a function giving a fresh, not yet existing, directory in it. */
export function freshDirs(prefix: string): () => string {
  let root = '';
  let n = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });
  return () => join(root, `store${n++}`);
}

/** A new Ed25519 public key as SPKI PEM. */
export const edPem = (): string => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
