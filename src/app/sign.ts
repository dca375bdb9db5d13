import { describeManifest } from '../manifest/index.ts';
import { repositoryName, type Reference } from '../reference/index.ts';
import { SigningError, UsageError } from '../shared/errors.ts';
import { VERSION } from '../shared/product.ts';
import { encodePayload } from '../signature/index.ts';
import { passphraseFor } from './passphrase.ts';
import type { Session } from './session.ts';
import { appendSignature } from './signature-store.ts';

/** The key trustext creates on the first signed push without --key, as DCT creates keys on its first push. */
export const DEFAULT_KEY = 'default';

/** What to sign: a pushed tag, the digest the engine reported, the key and the claims. */
export interface SignRequest {
  readonly ref: Reference & { readonly tag: string };
  /** The digest the push reported; the registry must serve exactly this for the tag. */
  readonly expectedDigest?: string;
  readonly keyName?: string;
  readonly claims: Readonly<Record<string, string>>;
  readonly now: Date;
  readonly signal?: AbortSignal;
}

/** What was signed: each manifest digest (an index and its platform manifests), by which key. */
export interface SignOutcome {
  readonly reference: string;
  readonly key: { readonly name: string; readonly id: string; readonly created: boolean };
  readonly signed: readonly { readonly digest: string; readonly kind: 'index' | 'image' | 'platform'; readonly stored: 'added' | 'present' }[];
}

const RESERVED_CLAIMS = new Set(['creator', 'timestamp']);

/**
 * Signs the manifest a tag points to (hashing the bytes the registry serves), and for an index every platform
 * manifest too, storing each signature in the registry's `.sig` tag. Without --key the `default` key is used,
 * created on first use and trusted for the repository it signs.
 */
export async function signImage(session: Session, req: SignRequest): Promise<SignOutcome> {
  for (const k of Object.keys(req.claims)) if (RESERVED_CLAIMS.has(k)) throw new UsageError(`-a ${k}=…: "${k}" is set by trustext itself`);
  const repository = repositoryName(req.ref);
  const reference = `${repository}:${req.ref.tag}`;
  const registry = await session.registry();
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
  const keys = await session.keyStore();
  const name = req.keyName ?? DEFAULT_KEY;
  const exists = await keys.has(name);
  if (!exists && req.keyName !== undefined) throw new SigningError(`no signing key named "${name}": create it with 'docker trustext key generate ${name}'`);
  const passphrase = await passphraseFor(session.environment, name, !exists);
  const entry = exists ? await keys.get(name) : await keys.create(name, passphrase, { scopes: [repository] });
  const signer = await keys.signer(name, passphrase);
  if (!(await keys.isTrustedFor(name, repository))) await keys.addScope(name, repository);
  const optional = { creator: `trustext ${VERSION}`, timestamp: Math.floor(req.now.getTime() / 1000), ...req.claims };
  const signed: { digest: string; kind: 'index' | 'image' | 'platform'; stored: 'added' | 'present' }[] = [];
  for (const t of targets) {
    const payload = encodePayload({ dockerReference: reference, manifestDigest: t.digest, optional });
    const signature = Buffer.from(signer.sign(payload)).toString('base64');
    signed.push({ ...t, stored: await appendSignature(registry, req.ref, t.digest, { payload, signature }, req.signal) });
  }
  return { reference, key: { name, id: entry.id, created: !exists }, signed };
}
