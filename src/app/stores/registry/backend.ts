import { formatReference, repositoryName, type Reference } from '../../../reference/index.ts';
import { inspectRepository } from './inspect.ts';
import { addPolicySigner, checkPolicySigner, removePolicySigner } from './policy-signers.ts';
import { revokeRegistry } from './revoke.ts';
import { guardRollback } from './rollback.ts';
import type { Session } from '../../session/index.ts';
import { signImage } from './sign.ts';
import { prepareSigningKey } from './signing-key.ts';
import { verificationReport } from './verify.ts';
import type { TrustBackend } from '../trust-backend.ts';

/**
 * Cosign signatures in the registry (`sha256-<hex>.sig`), judged by the trust policy against the key store: signing
 * with a key-store key, reading with rollback checks, inspect and revoke over the signatures, signers as policy rules.
 */
export function registryBackend(session: Session): TrustBackend {
  return {
    store: 'registry',
    async prepareSigning(ref, opts) {
      const key = await prepareSigningKey(session, repositoryName(ref), opts.keyName);
      return async (tagged, expectedDigest) => ({
        registry: await signImage(session, {
          ref: tagged,
          key,
          claims: opts.claims,
          now: new Date(),
          ...(expectedDigest && { expectedDigest }),
          ...(opts.expiresAt && { expiresAt: opts.expiresAt }),
          ...(opts.force && { force: true }),
          ...(opts.signal && { signal: opts.signal }),
        }),
      });
    },
    async read(ref, opts) {
      const report = await verificationReport(session, ref, { ...(opts.platform && { platform: opts.platform }), ...(opts.signal && { signal: opts.signal }) });
      // Any signature, valid or not, is the registry's to judge: a bad one is never masked by another store.
      if (opts.fallback && report.digests.every((d) => d.stored === 'none' && !d.problem)) return { nothing: report };
      return { source: { kind: 'registry', report: await guardRollback(session, report, { ...(opts.allowRollback && { allowRollback: true }) }) } };
    },
    inspect: (ref, signal) => inspectRepository(session, ref, signal),
    async revoke(ref: Reference, signal) {
      return { digests: (await revokeRegistry(session, ref, formatReference(ref), signal)).digests };
    },
    prepareSigner: async (name, pems) => {
      await checkPolicySigner(session, name, pems);
    },
    addSigner: async (name, pems, repositories) => ({ keys: (await addPolicySigner(session, name, pems, repositories)).keys }),
    removeSigner: (name, repositories, force) => removePolicySigner(session, name, repositories, force),
  };
}
