import { describeManifest } from '../manifest/index.ts';
import { parseReference, repositoryName, type Reference } from '../reference/index.ts';
import { SigningError, UsageError } from '../shared/errors.ts';
import { VERSION } from '../shared/product.ts';
import { encodePayload } from '../signature/index.ts';
import { prepareNotaryPublish, type NotaryPublishOutcome } from './notary-publish.ts';
import { manifestTarget, publishTag } from './notary-tag.ts';
import { defaultStore, type TrustStore } from './notary-trust.ts';
import { passphraseFor } from './passphrase.ts';
import type { Session } from './session.ts';
import { appendSignature } from './signature-store.ts';

/** The key trustext creates on the first signed push without --key, as DCT creates keys on its first push. */
export const DEFAULT_KEY = 'default';

/** A decrypted signing key, ready before anything is pushed. */
export interface SigningKey {
  readonly name: string;
  readonly id: string;
  readonly created: boolean;
  sign(payload: Uint8Array): Uint8Array;
}

/**
 * Gets the signing key for a repository: --key NAME (must exist), else `default`, created on first use (as DCT
 * creates keys on its first push). Asks for the passphrase and decrypts now, so a push never starts when signing
 * cannot follow; the key is trusted for the repository it is about to sign.
 */
export async function prepareSigningKey(session: Session, repository: string, keyName?: string): Promise<SigningKey> {
  const keys = await session.keyStore();
  const name = keyName ?? DEFAULT_KEY;
  const exists = await keys.has(name);
  if (!exists && keyName !== undefined) throw new SigningError(`no signing key named "${name}": create it with 'docker trustext key generate ${name}'`);
  const passphrase = await passphraseFor(session.environment, name, !exists);
  const { entry, signer } = exists
    ? { entry: await keys.get(name), signer: await keys.signer(name, passphrase) }
    : await keys.createSigning(name, passphrase, { scopes: [repository] });
  if (!(await keys.isTrustedFor(name, repository))) await keys.addScope(name, repository);
  return { name, id: entry.id, created: !exists, sign: (p) => signer.sign(p) };
}

/** What to sign: a pushed tag, the digest the engine reported, the key and the claims. */
export interface SignRequest {
  readonly ref: Reference & { readonly tag: string };
  /** The digest the push reported; the registry must serve exactly this for the tag. */
  readonly expectedDigest?: string;
  readonly key: SigningKey;
  readonly claims: Readonly<Record<string, string>>;
  readonly now: Date;
  /** When the signatures stop being valid (the `expires` claim, unix seconds); none by default. */
  readonly expiresAt?: Date;
  readonly signal?: AbortSignal;
}

/** What was signed: each manifest digest (an index and its platform manifests), by which key. */
export interface SignOutcome {
  readonly reference: string;
  readonly key: { readonly name: string; readonly id: string; readonly created: boolean };
  readonly signed: readonly { readonly digest: string; readonly kind: 'index' | 'image' | 'platform'; readonly stored: 'added' | 'present' }[];
}

const RESERVED_CLAIMS = new Set(['creator', 'timestamp', 'expires']);

/** Claims given with -a may not override the ones trustext sets itself. */
export function checkClaims(claims: Readonly<Record<string, string>>): void {
  for (const k of Object.keys(claims)) if (RESERVED_CLAIMS.has(k)) throw new UsageError(`-a ${k}=…: "${k}" is set by trustext itself`);
}

/**
 * Signs the manifest a tag points to (hashing the bytes the registry serves), and for an index every platform
 * manifest too, storing each signature in the registry's `.sig` tag, with a key from prepareSigningKey.
 */
export async function signImage(session: Session, req: SignRequest): Promise<SignOutcome> {
  checkClaims(req.claims);
  const repository = repositoryName(req.ref);
  const reference = `${repository}:${req.ref.tag}`;
  const registry = await session.registry(req.ref.domain);
  const opts = req.signal ? { signal: req.signal } : {};
  const manifest = await registry.getManifest(req.ref, req.ref.tag, undefined, opts);
  if (req.expectedDigest && manifest.digest !== req.expectedDigest) {
    throw new SigningError(`the registry serves ${manifest.digest} for ${reference}, not the pushed ${req.expectedDigest}: refusing to sign`);
  }
  const kind = describeManifest(manifest.bytes, manifest.mediaType);
  const targets = [
    { digest: manifest.digest, kind: kind.kind },
    ...(kind.kind === 'index' ? kind.children.map((c) => ({ digest: c.digest, kind: 'platform' as const })) : []),
  ];
  const signed: { digest: string; kind: 'index' | 'image' | 'platform'; stored: 'added' | 'present' }[] = [];
  for (const t of targets) {
    signed.push({ ...t, stored: await signDigest(session, req.ref, t.digest, req) });
  }
  // Remember what this key signed, so that `key rotate` can re-sign it with the new key.
  const keys = await session.keyStore();
  for (const t of targets) await keys.recordSigned(req.key.name, { repository, tag: req.ref.tag, digest: t.digest, at: req.now });
  return { reference, key: { name: req.key.name, id: req.key.id, created: req.key.created }, signed };
}

/** Signs one manifest digest of `ref`'s repository for `ref.tag` and stores the signature (kept if present). */
export async function signDigest(
  session: Session,
  ref: Reference & { readonly tag: string },
  digest: string,
  req: Pick<SignRequest, 'key' | 'claims' | 'now' | 'expiresAt' | 'signal'>,
): Promise<'added' | 'present'> {
  const optional = {
    creator: `trustext ${VERSION}`,
    timestamp: Math.floor(req.now.getTime() / 1000),
    ...(req.expiresAt && { expires: Math.floor(req.expiresAt.getTime() / 1000) }),
    ...req.claims,
  };
  const payload = encodePayload({ dockerReference: `${repositoryName(ref)}:${ref.tag}`, manifestDigest: digest, optional });
  const signature = Buffer.from(req.key.sign(payload)).toString('base64');
  return appendSignature(await session.registry(ref.domain), ref, digest, { payload, signature }, req.signal);
}

/** What `docker trustext sign` did: the registry signatures and/or the Notary publish, as the store asked. */
export interface SignExistingOutcome {
  readonly reference: string;
  readonly registry?: SignOutcome;
  readonly notary?: NotaryPublishOutcome;
}

/** Signs an image already in the registry (`docker trustext sign IMAGE:TAG`): the same as the signing half of push. */
export async function signExisting(
  session: Session,
  image: string,
  opts: { keyName?: string; claims: Readonly<Record<string, string>>; expiresAt?: Date; store?: TrustStore; signal?: AbortSignal },
): Promise<SignExistingOutcome> {
  const ref = parseReference(image);
  if (ref.digest !== undefined || ref.tag === undefined) throw new UsageError(`sign needs IMAGE:TAG, got ${image}`);
  const tagged = ref as Reference & { tag: string };
  const store = opts.store ?? defaultStore(session);
  checkClaims(opts.claims);
  const key = store !== 'notary' ? await prepareSigningKey(session, repositoryName(ref), opts.keyName) : undefined;
  const notary = store !== 'registry' ? await prepareNotaryPublish(session, ref, opts.signal ? { signal: opts.signal } : {}) : undefined;
  const registry = key && await signImage(session, {
    ref: tagged, key, claims: opts.claims, now: new Date(),
    ...(opts.expiresAt && { expiresAt: opts.expiresAt }), ...(opts.signal && { signal: opts.signal }),
  });
  const published = notary && await publishTag(notary, tagged.tag, await manifestTarget(session, tagged, undefined, opts.signal), opts.signal);
  return { reference: `${repositoryName(ref)}:${tagged.tag}`, ...(registry && { registry }), ...(published && { notary: published }) };
}
