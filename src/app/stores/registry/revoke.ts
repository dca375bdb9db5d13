import { describeManifest, OCI_MANIFEST } from '../../../manifest/index.ts';
import { repositoryName, type Reference } from '../../../reference/index.ts';
import { SigningError, UsageError } from '../../../shared/errors.ts';
import { buildSignatureImage, judgeSignatures, signatureTag, type VerifyingKey } from '../../../signature/index.ts';
import { ATTACHMENT_TAG } from './inspect.ts';
import type { RegistryPort } from '../../session/index.ts';
import type { Session } from '../../session/index.ts';
import { signatureLock } from './sign.ts';
import { readSignatures } from './signature-store.ts';

/** What revoke removed from the registry: for each digest, how many signatures were removed and how many (not ours) remain. */
export interface RegistryRevokeOutcome {
  readonly reference: string;
  readonly digests: readonly { readonly digest: string; readonly removed: number; readonly kept: number }[];
}

/** Our registry signatures for one tag, or for every tag of the repository that has any. */
export async function revokeRegistry(session: Session, ref: Reference, reference: string, signal?: AbortSignal): Promise<RegistryRevokeOutcome> {
  if (ref.tag !== undefined) return revokeSignatures(session, ref, signal);
  const registry = await session.registry(ref.domain);
  const tags = (await registry.listTags(ref, signal ? { signal } : {})).filter((t) => !ATTACHMENT_TAG.test(t)).sort();
  const digests: RegistryRevokeOutcome['digests'][number][] = [];
  for (const tag of tags) digests.push(...(await revokeSignatures(session, { ...ref, tag }, signal)).digests);
  return { reference, digests };
}

/**
 * Removes our signatures for IMAGE:TAG from the registry: in the `.sig` of the tag's digest (and, for an index,
 * of each platform manifest), every signature made by a key this store holds privately and naming this tag.
 * Other signers' signatures stay; a `.sig` left empty is deleted. A trusted pull of the tag then fails.
 */
export async function revokeSignatures(session: Session, ref: Reference, signal?: AbortSignal): Promise<RegistryRevokeOutcome> {
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
async function revokeDigest(registry: RegistryPort, ref: Reference & { tag: string }, digest: string, own: readonly VerifyingKey[], signal?: AbortSignal) {
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
