/**
 * What a use case needs of one trust store. Two implementations: registry-backend.ts (cosign signatures in the
 * registry, judged by the trust policy) and notary-backend.ts (Notary v1 trust data, as DCT). Which of them an
 * operation uses, and in what order, is store-choice.ts's table; the use cases compose the parts.
 */
import type { Reference } from '../../reference/index.ts';
import type { KeyInfo } from '../session/index.ts';
import type { NotaryPublishOutcome } from './notary/index.ts';
import type { SignOutcome } from './registry/index.ts';
import type { TrustSource } from './trust-source.ts';
import type { VerificationReport } from './registry/index.ts';
import type { RepositoryInspection } from './registry/index.ts';
import type { StoreName } from './store-choice.ts';

/** What signing is asked for, the same for every store (a store ignores what it has no use for). */
export interface SigningOptions {
  readonly keyName?: string;
  readonly claims: Readonly<Record<string, string>>;
  readonly expiresAt?: Date;
  /** Replace a registry `.sig` that cannot be read or merged (its signatures are lost). */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** What the stores did when signing, by store. */
export interface SignedStores {
  readonly registry?: SignOutcome;
  readonly notary?: NotaryPublishOutcome;
}

/** A store's signing with every key and passphrase settled: it only needs the pushed tag (and the digest pushed). */
export type SignStep = (ref: Reference & { readonly tag: string }, expectedDigest?: string) => Promise<SignedStores>;

/** How a read goes: the index platform, rollback acceptance, and whether a later store may stand in when this one holds nothing. */
export interface ReadOptions {
  readonly platform?: string;
  readonly allowRollback?: boolean;
  readonly signal?: AbortSignal;
  /** Another store follows: holding nothing for the image is then reported, not judged. */
  readonly fallback?: boolean;
  /**
   * The stores before held nothing for the image, and this is the report of the unsigned image. When this store
   * holds nothing either and that report was accepted (a warn or off rule), the read hands it back as `nothing`;
   * trust data this store does hold is judged as ever, and its refusals stand.
   */
  readonly unsigned?: VerificationReport;
}

/** A read's result: the trust data found, or (with `fallback`, or an accepted `unsigned`) nothing, with the report of the unsigned image. */
export type ReadResult = { readonly source: TrustSource } | { readonly nothing: VerificationReport };

/** Revoke's result, by store. */
export interface Revoked {
  readonly digests?: readonly { readonly digest: string; readonly removed: number; readonly kept: number }[];
  readonly notary?: NotaryPublishOutcome;
}

/** signer add's result, by store. */
export interface SignerAdded {
  readonly keys?: readonly KeyInfo[];
  readonly notary?: readonly NotaryPublishOutcome[];
}

/** One trust store, as the use cases see it. */
export interface TrustBackend {
  readonly store: StoreName;
  /** Settles what signing needs (key, passphrases, Notary keys and roles) before anything is pushed. */
  prepareSigning(ref: Reference, opts: SigningOptions): Promise<SignStep>;
  /** The trust data of an image for a pull or verify. */
  read(ref: Reference, opts: ReadOptions): Promise<ReadResult>;
  /** `docker trust inspect`'s view of the repository (or of one tag). */
  inspect(ref: Reference, signal?: AbortSignal): Promise<RepositoryInspection>;
  /** Removes our trust for the tag (or every signed tag of the repository). */
  revoke(ref: Reference, signal?: AbortSignal): Promise<Revoked>;
  /** Refuses, before any store of the operation changes, a signer this store could not add. */
  prepareSigner(name: string, pems: readonly string[]): Promise<void>;
  /** Makes `name` (its public keys) a signer of the repositories. */
  addSigner(name: string, pems: readonly string[], repositories: readonly string[], signal?: AbortSignal): Promise<SignerAdded>;
  /** Stops `name` being a signer of the repositories; `force` lets it be the last signer of a rule. */
  removeSigner(name: string, repositories: readonly string[], force: boolean, signal?: AbortSignal): Promise<void>;
}
