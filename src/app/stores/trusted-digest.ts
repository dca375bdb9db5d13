import type { Reference } from '../../reference/index.ts';
import type { Session } from '../session/index.ts';
import { policyWarnings, refusal } from './registry/index.ts';
import type { TrustStore } from './index.ts';
import { readTrust } from './trust-source.ts';

/**
 * The digest a trusted pull may fetch, from the trust data readTrust picks; refused (the pull's one-line reason)
 * when not trusted. Shared by `pull` and the Engine API proxy (app/enforcement), so both refuse the same images in the same words.
 */
export async function trustedDigest(
  session: Session,
  ref: Reference,
  req: { readonly store?: TrustStore; readonly platform?: string; readonly signal?: AbortSignal; readonly allowRollback?: boolean },
) {
  const trust = await readTrust(session, ref, {
    ...(req.store && { store: req.store }),
    ...(req.platform && { platform: req.platform }),
    ...(req.signal && { signal: req.signal }),
    ...(req.allowRollback && { allowRollback: true }),
  });
  if (trust.kind === 'notary') return { digest: trust.target.digest, warnings: [...(trust.decision?.warnings ?? [])], notary: trust.target };
  const refused = refusal(ref, trust.report);
  if (refused) throw refused;
  return { digest: trust.report.pullDigest, warnings: policyWarnings(trust.report), verified: trust.report };
}
