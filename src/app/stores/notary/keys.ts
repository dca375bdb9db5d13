import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import {
  createSigner,
  ed25519RawFromSpki,
  NotaryKeyDir,
  p256PrivateKeyFromPkcs8,
  publicKeyFromPem,
  type KeyAlgorithm,
  type PrivateKey,
  type PublicKey,
} from '../../../keys/index.ts';
import {
  ecdsaDerToRaw,
  ecdsaTufKey,
  ed25519TufKey,
  tufKeyId,
  RELEASES_ROLE,
  type MetadataSigner,
  type TufKey,
  type VerifiedRepository,
} from '../../../notary/tuf/index.ts';
import { SigningError } from '../../../shared/errors.ts';
import { notaryPassphrase, passphraseFor } from '../../session/index.ts';
import type { Session } from '../../session/index.ts';

/** Docker Content Trust's private keys, shared with the docker CLI: `<docker config>/trust/private`. */
export function dctKeyDir(session: Session): NotaryKeyDir {
  return new NotaryKeyDir(join(session.configDir, 'trust', 'private'));
}

/** A new ECDSA P-256 key, as docker creates root and targets keys. */
export function newEcdsaKey(): { key: PrivateKey; object: KeyObject; id: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = Uint8Array.from(privateKey.export({ type: 'pkcs8', format: 'der' }));
  return { key: { type: 'ecdsa-p256', pkcs8 }, object: privateKey, id: tufKeyId(ecdsaTufKey(privateKey)) };
}

/** The node:crypto key of an ECDSA private key (a SigningError for ed25519, which notary root and targets keys never are). */
export function ecdsaKeyObject(key: PrivateKey): KeyObject {
  if (key.type !== 'ecdsa-p256') throw new SigningError(`expected an ecdsa key, found ${key.type}`);
  return p256PrivateKeyFromPkcs8(key.pkcs8);
}

/**
 * A metadata signer over a key-format signer (the key store's, or createSigner's for a DCT key file), listed under
 * `keyid` as the role names it: Ed25519 signs as eddsa; ECDSA's DER signature is re-encoded as notary's raw r‖s.
 */
export function metadataSigner(signer: { sign(payload: Uint8Array): Uint8Array }, type: KeyAlgorithm, keyid: string): MetadataSigner {
  return type === 'ed25519'
    ? { keyid, method: 'eddsa', sign: (m) => signer.sign(m) }
    : { keyid, method: 'ecdsa', sign: (m) => ecdsaDerToRaw(signer.sign(m), 32) };
}

/**
 * The roles of a verified repository we can sign a tag into, with the key id for each: as docker's
 * `GetSignableRoles`, the direct children of targets (threshold 1, all paths) whose keys we hold, plus `targets`
 * itself when we hold its key; never a delegation that failed verification. `targets/releases` comes first, since
 * docker's pull looks there first.
 */
export function signableRoles(repo: VerifiedRepository, holds: (keyId: string) => boolean): Map<string, string> {
  const candidates = new Map<string, readonly string[]>();
  for (const d of repo.documents.get('targets')?.signed.delegations ?? []) {
    if (d.name.split('/').length === 2 && d.threshold === 1 && (d.paths ?? []).includes('')) candidates.set(d.name, d.keyids);
  }
  candidates.set('targets', repo.root.signed.roles.targets.keyids);
  const broken = (role: string) => repo.skipped.some((s) => s.role === role && (s.reason === 'expired' || s.reason === 'threshold'));
  const roles = new Map<string, string>();
  for (const role of [...candidates.keys()].sort((a, b) => rank(a) - rank(b))) {
    const id = candidates.get(role)!.find(holds);
    if (id !== undefined && !broken(role)) roles.set(role, id);
  }
  return roles;
}

/** Every key id that could sign a role of `repo` (targets and its delegations), to look for in the key directory. */
export function candidateKeyIds(repo: VerifiedRepository): string[] {
  const delegations = repo.documents.get('targets')?.signed.delegations ?? [];
  return [...repo.root.signed.roles.targets.keyids, ...delegations.flatMap((d) => d.keyids)];
}

const rank = (role: string) => (role === RELEASES_ROLE ? 0 : role === 'targets' ? 2 : 1);

/** Decrypts the keys of `roles` (key id → signer), asking once per key for the repository passphrase. */
export async function unlockKeys(session: Session, dir: NotaryKeyDir, ids: Iterable<string>): Promise<Map<string, MetadataSigner>> {
  const signers = new Map<string, MetadataSigner>();
  for (const id of new Set(ids)) {
    const passphrase = await notaryPassphrase(session.environment, 'repository', id, false);
    const key = await dir.load(id, passphrase);
    signers.set(id, metadataSigner(createSigner(key), key.type, id));
  }
  return signers;
}

/**
 * The root key for a new repository, as docker's `repo.Initialize` picks it: the first root key in the directory
 * (decrypted with the root passphrase), else a new one (saved under the root passphrase when the repository is
 * initialized).
 */
export async function rootKeyFor(session: Session, dir: NotaryKeyDir): Promise<{ key: PrivateKey; id: string; isNew: boolean; passphrase: string }> {
  const existing = (await dir.list()).find((k) => k.role === 'root');
  if (existing) {
    const passphrase = await notaryPassphrase(session.environment, 'root', existing.id, false);
    return { key: await dir.load(existing.id, passphrase), id: existing.id, isNew: false, passphrase };
  }
  const fresh = newEcdsaKey();
  return { key: fresh.key, id: fresh.id, isNew: true, passphrase: await notaryPassphrase(session.environment, 'root', fresh.id, true) };
}

/** The notary KEY of a public key from the key store or a PEM file (ed25519 as raw bytes, ECDSA P-256 as SPKI). */
export function tufKeyOf(pk: PublicKey): TufKey {
  if (pk.type === 'ed25519') {
    const raw = ed25519RawFromSpki(pk.spki);
    if (!raw) throw new SigningError('malformed ed25519 public key');
    return ed25519TufKey(raw);
  }
  if (pk.type === 'ecdsa-p256') return { keytype: 'ecdsa', public: Buffer.from(pk.spki).toString('base64') };
  throw new SigningError(`a ${pk.type} key cannot sign notary trust data`);
}

/**
 * trustext's own signing keys (Ed25519, and ECDSA P-256 ones loaded with `key load`) as notary delegation keys,
 * by notary key id → key name and type: each can sign a delegation role listing it, with its passphrase.
 */
export async function storeDelegationKeys(session: Session): Promise<Map<string, { name: string; type: KeyAlgorithm }>> {
  const store = await session.keyStore();
  const out = new Map<string, { name: string; type: KeyAlgorithm }>();
  for (const k of await store.list()) {
    if (!k.private || k.revoked || (k.type !== 'ed25519' && k.type !== 'ecdsa-p256')) continue;
    out.set(tufKeyId(tufKeyOf(publicKeyFromPem(await store.exportPublic(k.name)))), { name: k.name, type: k.type });
  }
  return out;
}

/**
 * Unlocks store keys as metadata signers: Ed25519 as eddsa; ECDSA as notary's ecdsa, whose raw r‖s is the
 * store signer's DER signature re-encoded (the store signs as cosign does, in DER).
 */
export async function unlockStoreKeys(session: Session, keys: ReadonlyMap<string, { name: string; type: KeyAlgorithm }>): Promise<Map<string, MetadataSigner>> {
  const store = await session.keyStore();
  const out = new Map<string, MetadataSigner>();
  for (const [id, { name, type }] of keys) {
    const signer = await store.signer(name, await passphraseFor(session.environment, name, false));
    out.set(id, metadataSigner(signer, type, id));
  }
  return out;
}
