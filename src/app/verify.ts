import { describeManifest, parsePlatform, selectPlatform, type Platform } from '../manifest/index.ts';
import { repositoryName, type Reference } from '../reference/index.ts';
import { UsageError, VerificationError } from '../shared/errors.ts';
import { judgeSignatures, type Verdict } from '../signature/index.ts';
import type { RegistryPort } from './registry-port.ts';
import type { Session } from './session.ts';
import { readSignatures } from './signature-store.ts';

/** A verified image: what to pull (a platform manifest for an index) and the verdicts that allowed it. */
export interface VerifiedImage {
  readonly repository: string;
  /** The digest the tag (or the given digest) resolved to, by hashing the manifest bytes. */
  readonly digest: string;
  /** The digest to pull: `digest`, or for an index the verified manifest of the chosen platform. */
  readonly pullDigest: string;
  readonly verdicts: readonly Verdict[];
}

/** What was asked for, as DCT names it in its messages: the tag, or the digest. */
function asked(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** Verifies the signatures of one manifest digest; throws DCT-style VerificationErrors when none is acceptable. */
async function verifyDigest(session: Session, registry: RegistryPort, ref: Reference, digest: string, signal?: AbortSignal): Promise<Verdict[]> {
  const repository = repositoryName(ref);
  const stored = await readSignatures(registry, ref, digest, signal);
  if (stored.kind === 'none') {
    throw new VerificationError('NO_TRUST_DATA', `remote trust data does not exist for ${repository}: no signature for ${asked(ref)} (${digest})`);
  }
  if (stored.kind === 'invalid') throw new VerificationError('NO_VALID_SIGNATURE', `No valid trust data for ${asked(ref)}: ${stored.reason}`);
  const keys = await (await session.keyStore()).trustedKeys(repository);
  const verdicts = judgeSignatures(stored.signatures, { repository, digest, ...(ref.digest === undefined && ref.tag !== undefined && { tag: ref.tag }) }, keys);
  if (!verdicts.some((v) => v.accepted)) {
    const why = verdicts.length === 0 ? 'the signature manifest holds no signatures' : verdicts.map((v) => v.reason).join('; ');
    throw new VerificationError('NO_VALID_SIGNATURE', `No valid trust data for ${asked(ref)}: ${verdicts.length} signature(s) for ${digest}, none acceptable: ${why}`);
  }
  return verdicts;
}

/**
 * Resolves IMAGE:TAG (or @DIGEST) to a digest by hashing the manifest bytes the registry serves, and accepts it
 * only with a signature by a key trusted for the repository naming exactly that digest, repository and tag.
 * For an index, the index and the manifest of the platform to pull must both verify.
 */
export async function verifyImage(session: Session, ref: Reference, opts: { platform?: string; signal?: AbortSignal } = {}): Promise<VerifiedImage> {
  const registry = await session.registry(ref.domain);
  const signal = opts.signal;
  const manifest = await registry.getManifest(ref, ref.digest ?? ref.tag ?? 'latest', undefined, signal ? { signal } : {});
  const verdicts = await verifyDigest(session, registry, ref, manifest.digest, signal);
  const kind = describeManifest(manifest.bytes, manifest.mediaType);
  if (kind.kind === 'image') return { repository: repositoryName(ref), digest: manifest.digest, pullDigest: manifest.digest, verdicts };
  const platform = await wantedPlatform(session, opts.platform, signal);
  const child = selectPlatform(kind.children, platform);
  if (!child) throw new VerificationError('NO_VALID_SIGNATURE', `No valid trust data for ${asked(ref)}: ${manifest.digest} has no manifest for ${platform.os}/${platform.architecture}`);
  const childVerdicts = await verifyDigest(session, registry, ref, child.digest, signal);
  return { repository: repositoryName(ref), digest: manifest.digest, pullDigest: child.digest, verdicts: [...verdicts, ...childVerdicts] };
}

/** --platform, else the engine's own platform (what it would pull). */
async function wantedPlatform(session: Session, flag: string | undefined, signal?: AbortSignal): Promise<Platform> {
  if (flag) {
    const p = parsePlatform(flag);
    if (!p) throw new UsageError(`invalid --platform "${flag}": expected os/arch[/variant]`);
    return p;
  }
  const v = await (await session.engine()).version(signal ? { signal } : {});
  return { os: v.os, architecture: v.arch };
}
