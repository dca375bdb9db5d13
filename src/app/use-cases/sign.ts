import { parseReference, repositoryName, type Reference } from '../../reference/index.ts';
import { UsageError } from '../../shared/errors.ts';
import type { NotaryPublishOutcome } from '../stores/notary/index.ts';
import type { Session } from '../session/index.ts';
import type { SignOutcome } from '../stores/registry/index.ts';
import { prepareSigning, type SigningOptions, type TrustStore } from '../stores/index.ts';

/** What `docker trustext sign` did: the registry signatures and/or the Notary publish, as the store asked. */
export interface SignExistingOutcome {
  readonly reference: string;
  readonly registry?: SignOutcome;
  readonly notary?: NotaryPublishOutcome;
}

/** Signs an image already in the registry (`docker trustext sign IMAGE:TAG`): the same path as the signing half of push. */
export async function signExisting(session: Session, image: string, opts: SigningOptions & { store?: TrustStore }): Promise<SignExistingOutcome> {
  const ref = parseReference(image);
  if (ref.digest !== undefined || ref.tag === undefined) throw new UsageError(`sign needs IMAGE:TAG, got ${image}`);
  const { store, ...signing } = opts;
  const done = await (await prepareSigning(session, ref, store, signing)).sign(ref as Reference & { tag: string });
  return { reference: `${repositoryName(ref)}:${ref.tag}`, ...(done.registry && { registry: done.registry }), ...(done.notary && { notary: done.notary }) };
}
