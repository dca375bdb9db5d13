import type { Reference } from '../../reference/index.ts';
import { checkClaims } from './registry/index.ts';
import type { Session } from '../session/index.ts';
import { forEachStore } from './backends.ts';
import type { StoreName, TrustStore } from './store-choice.ts';
import type { SignedStores, SigningOptions } from './trust-backend.ts';

/** Turns one store's signing failure into the error to throw, knowing what the stores before it stored. */
export type SigningFailure = (store: StoreName, done: SignedStores, err: unknown) => unknown;

/** Signing with everything settled; `sign` needs only the tag (and, after a push, the digest pushed). */
export interface PreparedSigning {
  sign(ref: Reference & { readonly tag: string }, expectedDigest?: string, failed?: SigningFailure): Promise<SignedStores>;
}

/**
 * The one signing path of `push` and `sign`: resolves what every store of --store `flag` needs (claims checked, the
 * signing key and its passphrase, Notary keys) before anything is pushed, then signs store by store in the order
 * stores/store-choice.ts gives. A failing store stops the rest; `failed` words the error from what is stored.
 */
export async function prepareSigning(session: Session, ref: Reference, flag: TrustStore | undefined, opts: SigningOptions): Promise<PreparedSigning> {
  checkClaims(opts.claims);
  const steps = await forEachStore(session, 'sign', flag, (backend) => backend.prepareSigning(ref, opts));
  return {
    async sign(tagged, expectedDigest, failed = (_store, _done, err) => err) {
      let done: SignedStores = {};
      for (const step of steps) {
        try {
          done = { ...done, ...(await step.value(tagged, expectedDigest)) };
        } catch (err) {
          throw failed(step.store, done, err);
        }
      }
      return done;
    },
  };
}
