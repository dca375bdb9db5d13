import { describeManifest } from '../manifest/index.ts';
import { repositoryName, type Reference } from '../reference/index.ts';
import { ALL_TARGETS, withTarget } from '../notary/tuf/index.ts';
import { hasCode, SigningError, UsageError } from '../shared/errors.ts';
import { prepareNotaryPublish, type NotaryPublishOutcome } from './notary-publish.ts';
import { defaultStore, type TrustStore } from './notary-trust.ts';
import { buildSignatureImage, judgeSignatures, OCI_MANIFEST, signatureTag, type TrustedKey } from '../signature/index.ts';
import type { RegistryPort } from './registry-port.ts';
import { signatureLock } from './sign.ts';
import type { Session } from './session.ts';
import { ATTACHMENT_TAG } from './inspect.ts';
import { readSignatures } from './signature-store.ts';

/** What revoke removed: for each digest, how many signatures were removed and how many (not ours) remain. */
export interface RevokeOutcome {
  readonly reference: string;
  readonly digests: readonly { readonly digest: string; readonly removed: number; readonly kept: number }[];
  /** The Notary roles the tag was removed from, when Notary was revoked too. */
  readonly notary?: NotaryPublishOutcome;
}

/**
 * `revoke` over the chosen store, as `docker trust revoke`: for IMAGE:TAG that tag, for a repository without a tag
 * every signed tag. Registry signatures go as revokeSignatures removes them; Notary targets are removed from every
 * role we hold a key for; `both` touches Notary only if the repository has trust data there.
 */
export async function revokeTrust(session: Session, ref: Reference, flag?: TrustStore, signal?: AbortSignal): Promise<RevokeOutcome> {
  const store = defaultStore(session, flag);
  if (ref.digest !== undefined) throw new UsageError(`revoke needs IMAGE[:TAG], got ${repositoryName(ref)}@${ref.digest}`);
  const tag = ref.tag;
  const reference = tag === undefined ? repositoryName(ref) : `${repositoryName(ref)}:${tag}`;
  const registry = store === 'notary' ? { reference, digests: [] } : await revokeRegistry(session, ref, reference, signal);
  if (store === 'registry') return registry;
  try {
    const publisher = await prepareNotaryPublish(session, ref, { initialize: false, ...(signal && { signal }) });
    const notary = await publisher.publish((signed, version, expires) => withTarget(signed, tag ?? ALL_TARGETS, undefined, version, expires), signal);
    return { ...registry, notary };
  } catch (err) {
    if (store === 'both' && hasCode(err, 'TRUST_DATA_MISSING')) return registry;
    throw err;
  }
}

/** Our registry signatures for one tag, or for every tag of the repository that has any. */
async function revokeRegistry(session: Session, ref: Reference, reference: string, signal?: AbortSignal): Promise<RevokeOutcome> {
  if (ref.tag !== undefined) return revokeSignatures(session, ref, signal);
  const registry = await session.registry(ref.domain);
  const tags = (await registry.listTags(ref, signal ? { signal } : {})).filter((t) => !ATTACHMENT_TAG.test(t)).sort();
  const digests: RevokeOutcome['digests'][number][] = [];
  for (const tag of tags) digests.push(...(await revokeSignatures(session, { ...ref, tag }, signal)).digests);
  return { reference, digests };
}

/**
 * Removes our signatures for IMAGE:TAG from the registry: in the `.sig` of the tag's digest (and, for an index,
 * of each platform manifest), every signature made by a key this store holds privately and naming this tag.
 * Other signers' signatures stay; a `.sig` left empty is deleted. A trusted pull of the tag then fails.
 */
export async function revokeSignatures(session: Session, ref: Reference, signal?: AbortSignal): Promise<RevokeOutcome> {
  if (ref.tag === undefined || ref.digest !== undefined) throw new UsageError(`revoke needs IMAGE:TAG, got ${repositoryName(ref)}@${ref.digest}`);
  const repository = repositoryName(ref);
  const registry = await session.registry(ref.domain);
  const opts = signal ? { signal } : {};
  const manifest = await registry.getManifest(ref, ref.tag, undefined, opts);
  const kind = describeManifest(manifest.bytes, manifest.mediaType);
  const digests = [manifest.digest, ...(kind.kind === 'index' ? kind.children.map((c) => c.digest) : [])];
  const tagged = { ...ref, tag: ref.tag };
  const own = await (await session.keyStore()).ownKeys();
  const results: { digest: string; removed: number; kept: number }[] = [];
  for (const digest of digests) {
    results.push(await signatureLock(session, repository, digest)(() => revokeDigest(registry, tagged, digest, own, signal)));
  }
  return { reference: `${repository}:${ref.tag}`, digests: results };
}

/** Removes our signatures from the `.sig` of one digest (under its lock: the read-modify-write must not race a signer). */
async function revokeDigest(registry: RegistryPort, ref: Reference & { tag: string }, digest: string, own: readonly TrustedKey[], signal?: AbortSignal) {
  const repository = repositoryName(ref);
  const opts = signal ? { signal } : {};
  const stored = await readSignatures(registry, ref, digest, signal);
  if (stored.kind !== 'found') return { digest, removed: 0, kept: 0 };
  // Verdicts come in layer order. Match by position, not payload digest: two signers signing the same
  // reference in the same second produce identical payloads (same layer digest, different signatures).
  const verdicts = judgeSignatures(stored.signatures, { repository, digest, tag: ref.tag }, own);
  const keep = stored.layers.filter((_, i) => !verdicts[i]!.accepted);
  const removed = stored.layers.length - keep.length;
  if (removed > 0 && stored.skipped > 0) {
    throw new SigningError(
      `refusing to rewrite ${signatureTag(digest)}: it holds ${stored.skipped} layer(s) that are not cosign signatures, which rewriting it would drop`,
    );
  }
  if (removed > 0) {
    if (keep.length === 0) {
      await registry.deleteManifest(ref, stored.manifestDigest, opts);
    } else {
      const image = buildSignatureImage(keep);
      await registry.uploadBlob(ref, image.config.bytes, image.config.digest, opts);
      await registry.putManifest(ref, signatureTag(digest), image.manifest, OCI_MANIFEST, opts);
    }
  }
  return { digest, removed, kept: keep.length };
}
