import { join } from 'node:path';
import { fetchVerified, NotaryClient, TrustCache, trustServerFor, type NotaryContext } from '../../../notary/client/index.ts';
import { lookupTarget, roleSigners, type TrustedTarget, type TufKey } from '../../../notary/tuf/index.ts';
import { repositoryName, type Reference } from '../../../reference/index.ts';
import { NotaryError, VerificationError, type NotaryErrorCode } from '../../../shared/errors.ts';
import { USER_AGENT } from '../../../shared/product.ts';
import { lockOptions, type Session } from '../../session/index.ts';

/** The trust server of `ref`'s repository, as DCT picks it (DOCKER_CONTENT_TRUST_SERVER, else by registry). */
const serverOf = (session: Session, ref: Reference): URL => trustServerFor(ref.domain, session.environment.settings.trustServer());

/** A tag resolved through verified Notary trust data: the digest, its size, and the role that signed it. */
export interface NotaryTarget extends TrustedTarget {
  readonly server: string;
  /** The keys whose signatures on the target's role verified (for the trust policy). */
  readonly signedBy: readonly TufKey[];
}

/**
 * Resolves IMAGE:TAG through the Notary trust server as DCT's trusted pull does: root (pinned on first use),
 * timestamp, then snapshot, targets and delegations by consistent name, verified as a chain (signatures,
 * thresholds, hashes, lengths, expiry, versions never going back), then the tag in `targets/releases`, else
 * `targets`. The verified metadata is cached for the next pull's rollback checks.
 */
export async function resolveFromNotary(session: Session, ref: Reference, signal?: AbortSignal): Promise<NotaryTarget> {
  const tag = ref.tag ?? 'latest';
  const server = serverOf(session, ref);
  try {
    return await resolve(session, ref, tag, server, signal);
  } catch (err) {
    if (!(err instanceof NotaryError) || !UNTRUSTWORTHY.has(err.code)) throw err;
    // Same code, with the context a user needs: which tag, which repository, which server.
    throw new NotaryError(
      err.code as NotaryErrorCode,
      `No valid trust data for ${tag}: Notary trust data for ${repositoryName(ref)} on ${server.origin}: ${err.message}`,
      { cause: err },
    );
  }
}

/** Codes that mean the trust data itself cannot be trusted (as opposed to missing or unreachable). */
const UNTRUSTWORTHY = new Set(['TRUST_DATA_INVALID', 'TRUST_DATA_EXPIRED', 'TRUST_DATA_ROLLBACK']);

async function resolve(session: Session, ref: Reference, tag: string, server: URL, signal?: AbortSignal): Promise<NotaryTarget> {
  const verified = await fetchVerified(notaryContext(session, ref, server), signal);
  const found = lookupTarget(verified, tag);
  if (!found)
    throw new VerificationError(
      'NO_VALID_SIGNATURE',
      `No valid trust data for ${tag}: ${verified.gun} has no ${tag} in targets/releases or targets on ${server.origin}`,
    );
  return { ...found, server: server.origin, signedBy: roleSigners(verified, found.role) };
}

/**
 * Every tag the repository's verified Notary trust data resolves (as a trusted pull would resolve it), with the
 * roles that were skipped because they did not verify. For `migrate`.
 */
export async function notaryTargets(
  session: Session,
  ref: Reference,
  signal?: AbortSignal,
): Promise<{ server: string; targets: Map<string, NotaryTarget>; skipped: readonly string[] }> {
  const server = serverOf(session, ref);
  try {
    const verified = await fetchVerified(notaryContext(session, ref, server), signal);
    const tags = new Set([...verified.targets.values()].flatMap((m) => [...m.keys()]));
    const targets = new Map<string, NotaryTarget>();
    for (const tag of [...tags].sort()) {
      const t = lookupTarget(verified, tag);
      if (t) targets.set(tag, { ...t, server: server.origin, signedBy: roleSigners(verified, t.role) });
    }
    return { server: server.origin, targets, skipped: verified.skipped.map((s) => `${s.role} (${s.reason})`) };
  } catch (err) {
    if (!(err instanceof NotaryError) || !UNTRUSTWORTHY.has(err.code)) throw err;
    throw new NotaryError(err.code as NotaryErrorCode, `Notary trust data for ${repositoryName(ref)} on ${server.origin}: ${err.message}`, { cause: err });
  }
}

/** The Notary context of `ref`'s repository (server as DCT picks it unless given). Does no I/O. */
export function notaryContext(session: Session, ref: Reference, server: URL = serverOf(session, ref)): NotaryContext {
  return {
    gun: repositoryName(ref),
    server,
    client: new NotaryClient({
      server,
      configDir: session.configDir,
      registry: ref.domain,
      keychain: session.keychain,
      userAgent: USER_AGENT,
      http: session.http,
    }),
    cache: new TrustCache(join(session.environment.settings.keysDir, 'notary'), lockOptions(session.environment)),
    now: () => new Date(),
  };
}
