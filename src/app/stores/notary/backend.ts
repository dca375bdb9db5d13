import { ALL_TARGETS, withTarget } from '../../../notary/tuf/index.ts';
import { hasCode, VerificationError } from '../../../shared/errors.ts';
import { inspectNotary } from './inspect.ts';
import { notaryDecision } from './policy.ts';
import { prepareNotaryPublish } from './publish.ts';
import { addNotarySigner, removeNotarySigner } from './signers.ts';
import { manifestTarget, publishTag } from './tag.ts';
import { resolveFromNotary, type NotaryTarget } from './trust.ts';
import type { Session } from '../../session/index.ts';
import type { TrustBackend } from '../trust-backend.ts';

/**
 * Notary v1 trust data, as DCT reads and writes it: publishing tags into every role we hold a key for, trusted
 * reads through the verified TUF chain (and the trust policy when an explicit rule governs the repository),
 * `docker trust inspect`'s view, revocation, and signers as delegations.
 */
export function notaryBackend(session: Session): TrustBackend {
  return {
    store: 'notary',
    async prepareSigning(ref, opts) {
      const publisher = await prepareNotaryPublish(session, ref, opts.signal ? { signal: opts.signal } : {});
      return async (tagged, expectedDigest) => ({
        notary: await publishTag(publisher, tagged.tag, await manifestTarget(session, tagged, expectedDigest, opts.signal), opts.signal),
      });
    },
    async read(ref, opts) {
      let target: NotaryTarget;
      try {
        target = await resolveFromNotary(session, ref, opts.signal);
      } catch (err) {
        // No trust data for the tag at all: an accepted unsigned image stays accepted (its rule's warning says so).
        if (opts.unsigned?.accepted && (hasCode(err, 'TRUST_DATA_MISSING') || hasCode(err, 'NO_VALID_SIGNATURE'))) return { nothing: opts.unsigned };
        throw err;
      }
      if (ref.digest !== undefined && ref.digest !== target.digest) {
        throw new VerificationError(
          'NO_VALID_SIGNATURE',
          `No valid trust data for ${ref.digest}: Notary trust data for ${ref.tag ?? 'latest'} names ${target.digest}`,
        );
      }
      const decision = await notaryDecision(session, ref, target);
      if (decision && !decision.allowed) {
        throw new VerificationError(
          'NO_VALID_SIGNATURE',
          `No valid trust data for ${ref.tag ?? 'latest'}: Notary trust data does not meet policy rule ${decision.rule.repositories}: ${decision.reason}`,
        );
      }
      return { source: { kind: 'notary', target, ...(decision && { decision }) } };
    },
    inspect: (ref, signal) => inspectNotary(session, ref, signal),
    async revoke(ref, signal) {
      const publisher = await prepareNotaryPublish(session, ref, { initialize: false, ...(signal && { signal }) });
      return { notary: await publisher.publish((signed, version, expires) => withTarget(signed, ref.tag ?? ALL_TARGETS, undefined, version, expires), signal) };
    },
    // Notary's refusals (no repository key, a threshold we cannot meet) come before it publishes, and it runs first.
    prepareSigner: async () => {},
    addSigner: async (name, pems, repositories, signal) => ({ notary: await addNotarySigner(session, name, pems, repositories, signal) }),
    async removeSigner(name, repositories, _force, signal) {
      await removeNotarySigner(session, name, repositories, signal);
    },
  };
}
