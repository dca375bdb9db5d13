import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseReference, type Reference } from '../../reference/index.ts';
import { KeyError } from '../../shared/errors.ts';
import type { KeyInfo } from '../session/index.ts';
import { passphraseFor } from '../session/index.ts';
import type { Session } from '../session/index.ts';
import { signDigest } from '../stores/registry/index.ts';
import type { SigningKey } from '../stores/registry/index.ts';

/** The passphrase of a key file in cosign's format (or an encrypted PEM): COSIGN_PASSWORD, else the repository passphrase, else asked. */
async function filePassphrase(session: Session, purpose: string, isNew: boolean): Promise<string> {
  const cosign = session.environment.settings.passphrases.cosign;
  if (cosign !== undefined) return cosign;
  return passphraseFor(session.environment, purpose, isNew);
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new KeyError('KEY_INVALID', `cannot read key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}

/** `key generate NAME`: a new Ed25519 key (trusted nowhere until it signs or is added as a signer); writes NAME.pub into `dir`. */
export async function generateKey(session: Session, name: string, dir: string): Promise<{ key: KeyInfo; publicFile: string }> {
  const store = await session.keyStore();
  const key = await store.create(name, await passphraseFor(session.environment, name, true), { scopes: [] });
  const publicFile = join(dir, `${name}.pub`);
  await writeFile(publicFile, await store.exportPublic(name), { mode: 0o644 });
  return { key, publicFile };
}

/** `key load FILE` / `key import FILE`: a private key (PEM, DCT/notary, or cosign's encrypted format) into the store. */
export async function loadKey(session: Session, file: string, name: string): Promise<KeyInfo> {
  const pem = await readKeyFile(file);
  const encrypted = /-----BEGIN (ENCRYPTED|.*\n(Proc-Type: 4,ENCRYPTED))/.test(pem) || /ENCRYPTED/.test(pem.split('\n')[0] ?? '');
  const fromFile = encrypted ? await filePassphrase(session, `key file ${file}`, false) : undefined;
  const store = await session.keyStore();
  return store.loadPrivate(name, pem, fromFile, await passphraseFor(session.environment, name, true), { scopes: [] });
}

/** `key export --cosign NAME`: the private key in cosign's encrypted format (N=32768), under COSIGN_PASSWORD or the repository passphrase. */
export async function exportCosignKey(session: Session, name: string): Promise<string> {
  const store = await session.keyStore();
  const storePassphrase = await passphraseFor(session.environment, name, false);
  return store.exportCosign(name, storePassphrase, await filePassphrase(session, `exported key ${name}`, true));
}

/** `key revoke NAME`: the key's signatures stop counting everywhere, old ones included. */
export async function revokeKey(session: Session, name: string): Promise<KeyInfo> {
  return (await session.keyStore()).revoke(name);
}

/**
 * `key rotate NAME`: a new key under the same name and scopes; everything the old key signed (per the signing
 * log) is signed again with the new key; the old key is retired and revoked, so its signatures alone no longer
 * verify. The new key's passphrase is the same variable, or asked for twice.
 */
export async function rotateKey(
  session: Session,
  name: string,
  now: Date,
  signal?: AbortSignal,
): Promise<{ old: KeyInfo; current: KeyInfo; resigned: string[] }> {
  const store = await session.keyStore();
  const oldPassphrase = await passphraseFor(session.environment, name, false);
  const newPassphrase =
    session.environment.settings.passphrases.repository !== undefined ? oldPassphrase : await passphraseFor(session.environment, name, true);
  const { old, current } = await store.rotate(name, oldPassphrase, newPassphrase);
  const signer = await store.signer(name, newPassphrase);
  const key: SigningKey = { name, id: current.id, created: false, sign: (p) => signer.sign(p) };
  const seen = new Set<string>();
  const resigned: string[] = [];
  for (const r of await store.signedBy(old.name)) {
    const id = `${r.repository}:${r.tag ?? ''}@${r.digest}`;
    if (seen.has(id) || r.tag === undefined) continue;
    seen.add(id);
    const ref = { ...parseReference(r.repository), tag: r.tag } as Reference & { tag: string };
    // The original signature's timestamp, not now: a re-signed old digest must not look newer than its tag's later
    // ones (a rollback target). Records older than timestamps in the log have only their signing time.
    const timestamp = r.timestamp ?? Math.floor(Date.parse(r.at) / 1000);
    await signDigest(session, ref, r.digest, { key, claims: {}, now, ...(Number.isSafeInteger(timestamp) && { timestamp }), ...(signal && { signal }) });
    await store.recordSigned(name, { repository: r.repository, tag: r.tag, digest: r.digest, at: now, ...(Number.isSafeInteger(timestamp) && { timestamp }) });
    resigned.push(`${r.repository}:${r.tag}@${r.digest}`);
  }
  return { old, current, resigned };
}

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
  const pem = await readPublicKeyFile(file);
  return (await session.keyStore()).importPublic(name, pem, { scopes: scopes.length ? scopes : ['**'] });
}

/** A public key file's text (at most MAX_KEY_FILE bytes); KEY_INVALID naming the file when it cannot be read. */
export async function readPublicKeyFile(file: string): Promise<string> {
  let pem: Buffer;
  try {
    pem = await readFile(file);
  } catch (err) {
    throw new KeyError('KEY_INVALID', `cannot read public key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (pem.length > MAX_KEY_FILE) throw new KeyError('KEY_INVALID', `public key file ${file} is larger than ${MAX_KEY_FILE} bytes`);
  return pem.toString('utf8');
}
