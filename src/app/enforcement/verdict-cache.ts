/**
 * The proxy's memory of verifications (key: `repository@digest`, or the reference refused, under one trust
 * version), so that repeated `docker run` of a verified image costs no registry round trip. A verified digest is
 * trusted again for VERIFIED_TTL_MS; a refusal with a verdict (no signature, policy not met) is repeated for
 * REFUSED_TTL_MS; failures to reach a registry or Notary are never remembered. Any change of the trust version (the
 * policy file or the key store, trust-version.ts) forgets everything. Bounded: the oldest entries go first.
 */
import { TrustExtError, type ErrorCode } from '../../shared/errors.ts';

/** How long a verified digest stays verified (Kyverno keeps them 60 min; a revocation should not wait that long). */
export const VERIFIED_TTL_MS = 15 * 60_000;
/** How long a refusal is repeated without asking again (Connaisseur: 30 s). */
export const REFUSED_TTL_MS = 30_000;
/** At most this many entries of each kind. */
const MAX_ENTRIES = 10_000;

/** The refusals that are verdicts on the trust data, and so worth repeating. */
const VERDICTS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NO_TRUST_DATA',
  'NO_VALID_SIGNATURE',
  'TAG_ROLLBACK',
  'POLICY_NOT_SATISFIED',
  'TRUST_DATA_MISSING',
]);

/** Whether a refusal is a verdict (cacheable) rather than a failure to find out. */
export function isVerdict(err: unknown): boolean {
  return err instanceof TrustExtError && VERDICTS.has(err.code);
}

/** Sets an entry at the end of `map`, dropping the oldest when full. */
function put<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}

/** A tag's verification: the digest it resolved to, the digest a pull takes (a platform's, for an index), warnings. */
export interface TagVerdict {
  readonly resolved: string;
  readonly digest: string;
  readonly warnings: readonly string[];
}

/** Verified digests and recent refusals, for one trust version at a time; `now` is the clock (ms). */
export class VerdictCache {
  readonly #now: () => number;
  #version: string | undefined;
  readonly #verified = new Map<string, number>();
  readonly #refused = new Map<string, { readonly error: unknown; readonly until: number }>();
  readonly #tags = new Map<string, TagVerdict & { readonly until: number }>();
  /** Lookups answered from the cache, and those that were not. */
  hits = 0;
  misses = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Starts over when `version` is not the one the entries were made under. */
  sync(version: string): void {
    if (version === this.#version) return;
    this.#version = version;
    this.#verified.clear();
    this.#refused.clear();
    this.#tags.clear();
  }

  /**
   * What tag `key` (repository:tag, platform) was last verified as, within VERIFIED_TTL_MS: the digest the tag
   * resolved to and the digest to pull. A tag that still resolves to that digest needs no new verification.
   */
  tag(key: string): TagVerdict | undefined {
    const entry = this.#tags.get(key);
    if (entry === undefined || entry.until <= this.#now()) return undefined;
    return entry;
  }

  /** Remembers what tag `key` verified as, under trust `version`. */
  tagVerified(key: string, verdict: TagVerdict, version: string): void {
    if (version === this.#version) put(this.#tags, key, { ...verdict, until: this.#now() + VERIFIED_TTL_MS });
  }

  /** Whether `repository@digest` was verified within VERIFIED_TTL_MS. */
  isVerified(key: string): boolean {
    const until = this.#verified.get(key);
    const hit = until !== undefined && until > this.#now();
    if (until !== undefined && !hit) this.#verified.delete(key);
    if (hit) this.hits++;
    else this.misses++;
    return hit;
  }

  /** Remembers `key` as verified under trust `version`; a verification that outlived its version is not kept. */
  verified(key: string, version: string): void {
    if (version === this.#version) put(this.#verified, key, this.#now() + VERIFIED_TTL_MS);
  }

  /** The refusal of `key` made within REFUSED_TTL_MS, to throw again. */
  refusal(key: string): unknown {
    const entry = this.#refused.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > this.#now()) {
      this.hits++;
      return entry.error;
    }
    this.#refused.delete(key);
    return undefined;
  }

  /** Remembers `error` for `key` when it is a verdict reached under the current trust `version`. */
  refused(key: string, error: unknown, version: string): void {
    if (isVerdict(error) && version === this.#version) put(this.#refused, key, { error, until: this.#now() + REFUSED_TTL_MS });
  }

  get size(): number {
    return this.#verified.size + this.#refused.size + this.#tags.size;
  }
}
