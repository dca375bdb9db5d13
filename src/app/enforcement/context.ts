/**
 * What every enforcement decision works with: the session (with the request's credentials when it carried some),
 * the policy of this trust version, the verdict cache, and `verify`, the one way a reference is checked — the same
 * trustedDigest as `docker trustext pull`, remembered in the cache.
 */
import { fromRegistryAuthHeader } from '../../credentials/index.ts';
import { formatReference, repositoryName, type Reference } from '../../reference/index.ts';
import { applicableRules, type EngineChoice, type Policy } from '../../trust/index.ts';
import type { Session } from '../session/index.ts';
import { trustedDigest } from '../stores/index.ts';
import type { VerdictCache } from './verdict-cache.ts';

/** One request's view of trust. */
export interface Enforcement {
  readonly session: Session;
  readonly policy: Policy;
  readonly cache: VerdictCache;
  /** The trust version the policy was read under: what is remembered is remembered under it. */
  readonly version: string;
  /** The X-Registry-Auth header of the request, to verify with the client's credentials. */
  readonly registryAuth?: string;
  /** How a reference is verified: trustedDigest, unless a test stands in for the trust stores. */
  readonly trusted?: TrustedDigest;
}

/**
 * trustedDigest's shape: `digest` is the manifest a pull takes (a platform's, for an index); `verified.digest` or
 * `notary.digest` what the reference resolved to (the index itself).
 */
export type TrustedDigest = (
  session: Session,
  ref: Reference,
  req: { readonly platform?: string },
) => Promise<{ digest: string; warnings: readonly string[]; verified?: { readonly digest: string }; notary?: { readonly digest: string } }>;

/** A trusted reference: the manifest for the platform, what the reference resolved to, what the policy warned of. */
export interface Verified {
  readonly digest: string;
  /** The digest the reference resolved to: `digest` itself, or the index that holds it. */
  readonly resolved: string;
  readonly warnings: readonly string[];
}

/**
 * The cache key of a verified `repository@digest` for `platform`: an index digest is verified only for the
 * platform whose manifest was checked with it; a platform manifest stands for itself.
 */
export const verifiedKey = (repository: string, digest: string, platform?: string) => `${repository}@${digest}${platform === undefined ? '' : ` ${platform}`}`;

/** Whether `repository@digest` was verified, as itself or as an index for `platform`. */
export function isVerified(ctx: Enforcement, repository: string, digest: string, platform?: string): boolean {
  return ctx.cache.isVerified(verifiedKey(repository, digest)) || (platform !== undefined && ctx.cache.isVerified(verifiedKey(repository, digest, platform)));
}

/** The session to verify `ref` with: the request's credentials for its registry, when it carried any. */
function sessionFor(ctx: Enforcement, ref: Reference): Session {
  const creds = fromRegistryAuthHeader(ctx.registryAuth);
  return creds ? ctx.session.withCredentials(ref.domain, creds) : ctx.session;
}

/**
 * A tag verified before (within the cache's time) that still resolves to the same digest, which is also the
 * newest this user has seen signed for it (the tag history every verification keeps, rollback.ts): one manifest
 * request instead of a verification. Anything else — the tag moved, or moved on and came back (a rollback that
 * only the history shows) — is verified anew.
 */
async function unchangedTag(ctx: Enforcement, session: Session, ref: Reference, key: string): Promise<Verified | undefined> {
  const known = ref.digest === undefined && ref.tag !== undefined ? ctx.cache.tag(key) : undefined;
  const repository = repositoryName(ref);
  if (!known || !ctx.cache.isVerified(verifiedKey(repository, known.digest))) return undefined;
  const [now, newest] = await Promise.all([(await session.registry(ref.domain)).getManifest(ref, ref.tag!), session.tagHistory().get(repository, ref.tag!)]);
  if (now.digest !== known.resolved || newest?.digest !== known.resolved) return undefined;
  return { digest: known.digest, resolved: known.resolved, warnings: known.warnings };
}

/** The digest `ref` (a tag or a digest) may use, verified as `docker trustext pull` verifies it; throws the refusal. */
export async function verify(ctx: Enforcement, ref: Reference, platform?: string): Promise<Verified> {
  const key = `${formatReference(ref)}${platform === undefined ? '' : ` ${platform}`}`;
  const earlier = ctx.cache.refusal(key);
  if (earlier !== undefined) throw earlier;
  const session = sessionFor(ctx, ref);
  try {
    const unchanged = ctx.trusted ? undefined : await unchangedTag(ctx, session, ref, key);
    if (unchanged) return unchanged;
    const trusted = await (ctx.trusted ?? trustedDigest)(session, ref, platform === undefined ? {} : { platform });
    const repository = repositoryName(ref);
    const resolved = trusted.verified?.digest ?? trusted.notary?.digest ?? trusted.digest;
    // The platform manifest is remembered as itself; an index only for the platform checked with it.
    ctx.cache.verified(verifiedKey(repository, trusted.digest), ctx.version);
    if (resolved !== trusted.digest) ctx.cache.verified(verifiedKey(repository, resolved, platform ?? ''), ctx.version);
    if (trusted.verified && ref.tag !== undefined && ref.digest === undefined) {
      ctx.cache.tagVerified(key, { resolved, digest: trusted.digest, warnings: trusted.warnings }, ctx.version);
    }
    return { digest: trusted.digest, resolved, warnings: trusted.warnings };
  } catch (err) {
    ctx.cache.refused(key, err, ctx.version);
    throw err;
  }
}

/** Whether the policy checks nothing for `repository` (every rule that applies to it has mode off). */
export function unchecked(policy: Policy, repository: string): boolean {
  return applicableRules(policy, repository).rules.every((r) => r.mode === 'off');
}

/** The policy's choice for what no signature covers (engine.localImages default refuse, engine.builds default allow). */
export function engineChoice(policy: Policy, field: 'localImages' | 'builds'): EngineChoice {
  return policy.engine?.[field] ?? (field === 'builds' ? 'allow' : 'refuse');
}
