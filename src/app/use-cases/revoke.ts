import { formatReference, repositoryName, type Reference } from '../../reference/index.ts';
import { UsageError } from '../../shared/errors.ts';
import type { NotaryPublishOutcome } from '../stores/notary/index.ts';
import type { Session } from '../session/index.ts';
import { forEachStore, type TrustStore } from '../stores/index.ts';

/** What revoke removed: for each digest, how many signatures were removed and how many (not ours) remain. */
export interface RevokeOutcome {
  readonly reference: string;
  readonly digests: readonly { readonly digest: string; readonly removed: number; readonly kept: number }[];
  /** The Notary roles the tag was removed from, when Notary was revoked too. */
  readonly notary?: NotaryPublishOutcome;
}

/**
 * `revoke` over the chosen store (stores/store-choice.ts), as `docker trust revoke`: for IMAGE:TAG that tag, for a
 * repository without a tag every signed tag. Registry signatures go as revokeSignatures removes them; Notary
 * targets are removed from every role we hold a key for.
 */
export async function revokeTrust(session: Session, ref: Reference, flag?: TrustStore, signal?: AbortSignal): Promise<RevokeOutcome> {
  if (ref.digest !== undefined) throw new UsageError(`revoke needs IMAGE[:TAG], got ${repositoryName(ref)}@${ref.digest}`);
  const revoked = await forEachStore(session, 'revoke', flag, (backend) => backend.revoke(ref, signal));
  return Object.assign({ reference: formatReference(ref), digests: [] }, ...revoked.map((r) => r.value));
}
