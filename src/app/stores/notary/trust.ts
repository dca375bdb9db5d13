import { join } from 'node:path';
import { resolveKeyStoreDir } from '../../../keys/index.ts';
import { NotaryClient, TrustCache, trustServerFor } from '../../../notary/client/index.ts';
import {
  lookupTarget,
  parseRoot,
  parseSnapshot,
  parseTimestamp,
  roleSigners,
  verifyRepository,
  type TrustedTarget,
  type TufKey,
  type VerifiedRepository,
} from '../../../notary/tuf/index.ts';
import { repositoryName, type Reference } from '../../../reference/index.ts';
import { NotaryError, VerificationError, type NotaryErrorCode } from '../../../shared/errors.ts';
import { USER_AGENT } from '../../../shared/product.ts';
import { lockOptions, type Session } from '../../session/index.ts';

/** The roles whose versions are remembered for rollback detection, besides the delegations. */
const TOP_ROLES = ['root', 'timestamp', 'snapshot', 'targets'] as const;

/** A tag resolved through verified Notary trust data: the digest, its size, and the role that signed it. */
export interface NotaryTarget extends TrustedTarget {
  readonly server: string;
  /** The keys whose signatures on the target's role verified (for the trust policy). */
  readonly signedBy: readonly TufKey[];
}

const hexOf = (b64: string | undefined) => (b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('hex'));

/**
 * Resolves IMAGE:TAG through the Notary trust server as DCT's trusted pull does: root (pinned on first use),
 * timestamp, then snapshot, targets and delegations by consistent name, verified as a chain (signatures,
 * thresholds, hashes, lengths, expiry, versions never going back), then the tag in `targets/releases`, else
 * `targets`. The verified metadata is cached for the next pull's rollback checks.
 */
export async function resolveFromNotary(session: Session, ref: Reference, signal?: AbortSignal): Promise<NotaryTarget> {
  const tag = ref.tag ?? 'latest';
  const server = trustServerFor(ref.domain, session.environment.env);
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
  const verified = await loadVerified(notaryContext(session, ref, server), signal);
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
  const server = trustServerFor(ref.domain, session.environment.env);
  try {
    const verified = await loadVerified(notaryContext(session, ref, server), signal);
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

/** A repository's Notary endpoint: its gun, the trust server, a client for it and the local cache of verified metadata. */
export interface NotaryContext {
  readonly gun: string;
  readonly server: URL;
  readonly client: NotaryClient;
  readonly cache: TrustCache;
}

/** The Notary context of `ref`'s repository (server as DCT picks it unless given). Does no I/O. */
export function notaryContext(session: Session, ref: Reference, server: URL = trustServerFor(ref.domain, session.environment.env)): NotaryContext {
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
    cache: new TrustCache(join(resolveKeyStoreDir(session.environment.env), 'notary'), lockOptions(session.environment)),
  };
}

/** Fetches and verifies a repository's Notary trust data, caching it for the next rollback checks. */
export async function loadVerified(ctx: NotaryContext, signal?: AbortSignal): Promise<VerifiedRepository> {
  const { gun, client, cache } = ctx;
  const opts = signal ? { signal } : {};
  const [pinnedRoot, ...versions] = await Promise.all([cache.read(gun, 'root'), ...TOP_ROLES.map((r) => cache.version(gun, r))]);
  const root = await client.getRole(gun, 'root', opts);
  const intermediateRoots = await rootsBetween(ctx, pinnedRoot, root, signal);
  const timestamp = await client.getRole(gun, 'timestamp', opts);
  const snapshotSum = hexOf(parseTimestamp(timestamp).signed.meta.get('snapshot')?.hashes.sha256);
  const snapshot = await client.getRole(gun, 'snapshot', { ...opts, ...(snapshotSum && { consistentName: snapshotSum }) });
  const meta = parseSnapshot(snapshot).signed.meta;
  const byName = (role: string) => {
    const sum = hexOf(meta.get(role)?.hashes.sha256);
    return client.getRole(gun, role, { ...opts, ...(sum && { consistentName: sum }) });
  };
  const targets = await byName('targets');
  const delegationNames = [...meta.keys()].filter((r) => r.startsWith('targets/'));
  const delegations = new Map(await Promise.all(delegationNames.map(async (r) => [r, await byName(r)] as const)));
  const previous = new Map<string, number>();
  TOP_ROLES.forEach((r, i) => {
    if (versions[i] !== undefined) previous.set(r, versions[i]!);
  });
  for (const r of delegationNames) {
    const v = await cache.version(gun, r);
    if (v !== undefined) previous.set(r, v);
  }
  const verified = verifyRepository({ gun, root, pinnedRoot, intermediateRoots, timestamp, snapshot, targets, delegations, previous, now: new Date() });
  await cache.store(gun, [['root', root], ['timestamp', timestamp], ['snapshot', snapshot], ['targets', targets], ...delegations]);
  return verified;
}

/** The most root rotations between two pulls that are followed (each one is a download). */
const MAX_ROTATIONS = 64;

/**
 * Every root version strictly between the pinned root and the current one (`<n>.root.json`), as notary's client
 * fetches them, so each rotation is checked against the root before it. More than MAX_ROTATIONS is refused.
 */
async function rootsBetween(ctx: NotaryContext, pinned: Uint8Array | undefined, current: Uint8Array, signal?: AbortSignal): Promise<Uint8Array[]> {
  if (pinned === undefined) return [];
  const from = parseRoot(pinned).signed.version;
  const to = parseRoot(current).signed.version;
  if (to - from - 1 > MAX_ROTATIONS) {
    throw new NotaryError('TRUST_DATA_INVALID', `root moved from version ${from} to ${to}: more than ${MAX_ROTATIONS} rotations to follow`);
  }
  const versions = Array.from({ length: Math.max(0, to - from - 1) }, (_, i) => from + 1 + i);
  return Promise.all(versions.map((version) => ctx.client.getRole(ctx.gun, 'root', { version, ...(signal && { signal }) })));
}
