import { describeManifest } from '../../../manifest/index.ts';
import { repositoryName, type Reference } from '../../../reference/index.ts';
import { hasCode, SigningError, UsageError } from '../../../shared/errors.ts';
import { VERSION } from '../../../shared/product.ts';
import { encodePayload } from '../../../signature/index.ts';
import { checkRollback, signingTimestamp } from '../../../trust/index.ts';
import type { SigningKey } from './signing-key.ts';
import type { Session } from '../../session/index.ts';
import { appendSignature } from './signature-store.ts';

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
  /** Replace a `.sig` that cannot be read or merged (its signatures are lost); refused otherwise. */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** One signed manifest: its digest, what it is, and whether the signature was added or already there. */
export interface SignedDigest {
  readonly digest: string;
  readonly kind: 'index' | 'image' | 'platform';
  readonly stored: 'added' | 'present';
}

/** What was signed: each manifest digest (an index and its platform manifests), by which key. */
export interface SignOutcome {
  readonly reference: string;
  readonly key: { readonly name: string; readonly id: string; readonly created: boolean };
  readonly signed: readonly SignedDigest[];
  /** Things that went wrong after the signatures were stored (they are stored all the same). */
  readonly warnings: readonly string[];
}

/** Signing stopped part way: `signed` holds the digests whose signatures are stored, `cause` why the rest are not. */
export class PartlySignedError extends SigningError {
  readonly signed: readonly SignedDigest[];
  readonly unsigned: readonly string[];
  constructor(signed: readonly SignedDigest[], unsigned: readonly string[], cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(signed.length === 0 ? why : `signed ${signed.map((d) => `${d.kind} ${d.digest}`).join(', ')}; NOT signed ${unsigned.join(', ')}: ${why}`, { cause });
    this.signed = signed;
    this.unsigned = unsigned;
  }
}

const RESERVED_CLAIMS = new Set(['creator', 'timestamp', 'expires']);

/** Claims given with -a may not override the ones trustext sets itself. */
export function checkClaims(claims: Readonly<Record<string, string>>): void {
  for (const k of Object.keys(claims)) if (RESERVED_CLAIMS.has(k)) throw new UsageError(`-a ${k}=…: "${k}" is set by trustext itself`);
}

/**
 * Signs the manifest a tag points to (hashing the bytes the registry serves), and for an index every platform
 * manifest too, storing each signature in the registry's `.sig` tag, with a key from prepareSigningKey. The
 * signatures carry a timestamp later than any this host has seen for another digest of the tag (monotonic, for
 * rollback checks). Fails with PartlySignedError naming what is stored and what is not.
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
  const history = session.tagHistory();
  const timestamp = signingTimestamp(await history.get(repository, req.ref.tag), manifest.digest, req.now);
  const results = await Promise.allSettled(targets.map(async (t) => ({ ...t, stored: await signDigest(session, req.ref, t.digest, { ...req, timestamp }) })));
  const signed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  // What is stored is recorded, even when the rest failed: what follows cannot make a signature unsigned.
  const warnings: string[] = [];
  const keep = (what: string) => (err: unknown) => {
    warnings.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  };
  if (signed.some((s) => s.digest === manifest.digest)) {
    await history
      .update(repository, req.ref.tag, (r) =>
        checkRollback(r, manifest.digest, timestamp, req.now).rolledBack ? r : { digest: manifest.digest, timestamp, seen: req.now.toISOString() },
      )
      .catch(keep('signed, but the tag history was not updated'));
  }
  // Remember what this key signed, so that `key rotate` can re-sign it with the new key (with this timestamp).
  const keys = await session.keyStore();
  for (const t of signed) {
    await keys
      .recordSigned(req.key.name, { repository, tag: req.ref.tag, digest: t.digest, at: req.now, timestamp })
      .catch(keep(`signed ${t.digest}, but the signing log was not updated ('key rotate' will not re-sign it)`));
  }
  if (failure) {
    if (hasCode(failure.reason, 'CANCELLED')) throw failure.reason;
    throw new PartlySignedError(
      signed,
      targets.filter((t) => !signed.some((s) => s.digest === t.digest)).map((t) => `${t.kind} ${t.digest}`),
      failure.reason,
    );
  }
  return { reference, key: { name: req.key.name, id: req.key.id, created: req.key.created }, signed, warnings };
}

/**
 * Signs one manifest digest of `ref`'s repository for `ref.tag` and stores the signature (kept if present), under
 * this host's lock for that digest's `.sig`. `timestamp` (unix seconds) defaults to `now`.
 */
export async function signDigest(
  session: Session,
  ref: Reference & { readonly tag: string },
  digest: string,
  req: Pick<SignRequest, 'key' | 'claims' | 'now' | 'expiresAt' | 'signal' | 'force'> & { readonly timestamp?: number },
): Promise<'added' | 'present'> {
  const optional = {
    creator: `trustext ${VERSION}`,
    timestamp: req.timestamp ?? Math.floor(req.now.getTime() / 1000),
    ...(req.expiresAt && { expires: Math.floor(req.expiresAt.getTime() / 1000) }),
    ...req.claims,
  };
  const repository = repositoryName(ref);
  const payload = encodePayload({ dockerReference: `${repository}:${ref.tag}`, manifestDigest: digest, optional });
  const signature = Buffer.from(req.key.sign(payload)).toString('base64');
  return appendSignature(
    await session.registry(ref.domain),
    ref,
    digest,
    { payload, signature },
    {
      lock: signatureLock(session, repository, digest),
      label: `key "${req.key.name}" (${req.key.id.slice(0, 12)})`,
      ...(req.force && { force: true }),
      ...(req.signal && { signal: req.signal }),
    },
  );
}

/** This host's lock around read-merge-writes of the `.sig` of `repository@digest` (sign, revoke, rotate). */
export function signatureLock(session: Session, repository: string, digest: string): <T>(fn: () => Promise<T>) => Promise<T> {
  // The holder talks to the registry while holding it: waiters allow for a few full request deadlines.
  return (fn) => session.withLock(`signatures ${repository}@${digest}`, fn, { timeoutMs: 600_000 });
}
