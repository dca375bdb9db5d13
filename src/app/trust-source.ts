import type { Reference } from '../reference/index.ts';
import { hasCode, VerificationError } from '../shared/errors.ts';
import type { Decision } from '../trust/index.ts';
import { notaryDecision } from './notary-policy.ts';
import { defaultStore, resolveFromNotary, type NotaryTarget, type TrustStore } from './notary-trust.ts';
import type { Session } from './session.ts';
import { guardRollback } from './rollback.ts';
import { verificationReport, type VerificationReport } from './verify.ts';

/** Where an image's trust came from: a registry verification report (to be judged), or a verified Notary target. */
export type TrustSource =
  | { readonly kind: 'registry'; readonly report: VerificationReport }
  | { readonly kind: 'notary'; readonly target: NotaryTarget; readonly decision?: Decision };

/** How readTrust reads: the store (default defaultStore), the platform of an index, rollback acceptance, cancellation. */
export interface TrustOptions {
  readonly store?: TrustStore;
  readonly platform?: string;
  /** Accept a registry-signed tag that moved back to an older signed digest (see rollback.ts). */
  readonly allowRollback?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Picks and reads the trust data for a pull or verify. registry: the registry's signatures (the report, which the
 * caller refuses or accepts). notary: verified Notary trust data, by tag; a digest reference must match it. both:
 * the registry when the repository has any registry signatures for the image — valid or not, never masked — else
 * Notary. Notary targets must also meet the trust policy when an explicit rule governs the repository (notaryDecision).
 * An accepted registry report of a tag is checked for rollback (guardRollback), which refuses with TAG_ROLLBACK.
 */
export async function readTrust(session: Session, ref: Reference, opts: TrustOptions = {}): Promise<TrustSource> {
  const store = defaultStore(session, opts.store);
  let unsigned: VerificationReport | undefined;
  if (store !== 'notary') {
    const report = await verificationReport(session, ref, { ...(opts.platform && { platform: opts.platform }), ...(opts.signal && { signal: opts.signal }) });
    const nothing = report.digests.every((d) => d.stored === 'none' && !d.problem);
    if (store === 'registry' || !nothing) {
      return { kind: 'registry', report: await guardRollback(session, report, { ...(opts.allowRollback && { allowRollback: true }) }) };
    }
    unsigned = report;
  }
  let target: NotaryTarget;
  try {
    target = await resolveFromNotary(session, ref, opts.signal);
  } catch (err) {
    // both, no registry signatures, and no Notary trust data for the tag either: a warn or off rule that let the
    // unsigned image through decides, as it would with --store registry (its warning says so).
    if (unsigned?.accepted && (hasCode(err, 'TRUST_DATA_MISSING') || hasCode(err, 'NO_VALID_SIGNATURE'))) return { kind: 'registry', report: unsigned };
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
  return { kind: 'notary', target, ...(decision && { decision }) };
}
